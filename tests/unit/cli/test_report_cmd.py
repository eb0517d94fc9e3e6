"""`edubot report`: report.html from report.json, opened through an injectable opener."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import system
from bot.cli.app import app

REPORT = {
    "flow": {"name": "lec-students", "path": "flows/lec/students.yaml", "portal": "lec"},
    "dry_run": True,
    "totals": {"records": 1, "failed": 1},
    "records": [{"index": 1, "key": "1-1037-xxxxx-00-5", "row": 2, "status": "failed",
                 "message": "เลขประจำตัวประชาชนไม่ถูกต้อง"}],
    "exit_code": 1,
}  # fmt: skip


def make_run(directory: Path, mtime: float | None = None) -> Path:
    directory.mkdir(parents=True)
    path = directory / "report.json"
    path.write_text(json.dumps(REPORT, ensure_ascii=False), encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return directory


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []

    def opener(url: str) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(system, "open_in_browser", opener)
    return urls


def test_writes_the_html_and_opens_it(cli: CliRunner, tmp_path: Path, opened: list[str]) -> None:
    run = make_run(tmp_path / "run")
    result = cli.invoke(app, ["report", str(run)])
    assert result.exit_code == 0, result.output
    html = run / "report.html"
    assert "เลขประจำตัวประชาชนไม่ถูกต้อง" in html.read_text(encoding="utf-8")
    assert f"Report: {html}" in result.output
    assert opened == [html.absolute().as_uri()]


def test_no_open_only_prints_the_path(cli: CliRunner, tmp_path: Path, opened: list[str]) -> None:
    run = make_run(tmp_path / "run")
    result = cli.invoke(app, ["report", str(run / "report.json"), "--no-open", "--lang", "th"])
    assert result.exit_code == 0
    assert result.output.strip() == f"รายงาน: {run / 'report.html'}"
    assert opened == []


def test_without_an_argument_the_latest_run(
    cli: CliRunner, isolated: Path, opened: list[str]
) -> None:
    make_run(isolated / "runs" / "20261120-080000", mtime=1_000_000)
    latest = make_run(isolated / "runs" / "20261119-080000", mtime=2_000_000)
    result = cli.invoke(app, ["report", "--no-open"])
    assert result.exit_code == 0, result.output
    assert (latest / "report.html").exists()
    assert not (isolated / "runs" / "20261120-080000" / "report.html").exists()


def test_when_no_browser_opens_it_says_so(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(system, "open_in_browser", lambda url: False)
    result = cli.invoke(app, ["report", str(make_run(tmp_path / "run"))])
    assert result.exit_code == 0
    assert "Open that file in a browser." in result.output


def test_missing_or_broken_reports_exit_2(cli: CliRunner, tmp_path: Path) -> None:
    no_runs = cli.invoke(app, ["report"])
    assert no_runs.exit_code == 2
    assert "No runs under" in no_runs.output
    assert cli.invoke(app, ["report", str(tmp_path)]).exit_code == 2
    (tmp_path / "report.json").write_text("{", encoding="utf-8")
    broken = cli.invoke(app, ["report", str(tmp_path)])
    assert broken.exit_code == 2
    assert "not valid JSON" in broken.output


def test_times_read_in_thai_time_on_a_machine_kept_in_utc(
    cli: CliRunner, tmp_path: Path, opened: list[str]
) -> None:
    run = tmp_path / "run"
    run.mkdir()
    written_in_utc = {
        **REPORT,
        "started_at": "2026-12-04T00:50:00+00:00",
        "finished_at": "2026-12-04T00:51:30+00:00",
    }
    (run / "report.json").write_text(json.dumps(written_in_utc), encoding="utf-8")
    result = cli.invoke(app, ["report", str(run), "--no-open"])
    assert result.exit_code == 0, result.output
    html = (run / "report.html").read_text(encoding="utf-8")
    assert "2026-12-04 07:50:00" in html and "00:50:00" not in html


def test_report_and_purge_take_the_same_latest_run(
    cli: CliRunner, isolated: Path, opened: list[str]
) -> None:
    runs = isolated / "runs"
    make_run(runs / "20261119-080000", mtime=1_000_000)
    round_run = runs / "round-20261120-090000"
    make_run(round_run / "01-lec-students", mtime=2_000_000)  # a round: reports in its steps
    os.utime(round_run, (3_000_000, 3_000_000))
    status_only = runs / "status-20261120-100000"
    status_only.mkdir()
    (status_only / "edubot.log").write_text("", encoding="utf-8")  # no evidence: not a run

    shown = cli.invoke(app, ["report", "--no-open"])
    assert shown.exit_code == 2
    assert f"The latest run, {round_run}, holds no report.json" in " ".join(shown.output.split())

    purged = cli.invoke(app, ["purge", "--yes"])
    assert purged.exit_code == 0, purged.output
    assert not round_run.exists()
    assert (runs / "20261119-080000" / "report.json").exists()
