"""`edubot purge`: what it removes, what it refuses, and that it asks first."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import system
from bot.cli.app import app
from bot.engine.journal import Journal, install_key


def fake_run(parent: Path, name: str, *, age: float = 0.0) -> Path:
    """A run directory as edubot leaves it after a failed record."""
    run = parent / name
    (run / "failures").mkdir(parents=True)
    (run / "screenshots").mkdir()
    for path in (
        run / "report.json",
        run / "report.html",
        run / "edubot.log",
        run / "failures" / "0002.png",
        run / "failures" / "0002-trace.zip",
        run / "screenshots" / "receipt.png",
    ):
        path.write_text("child data", encoding="utf-8")
    stamp = 1_700_000_000 - age
    os.utime(run / "report.json", (stamp, stamp))
    return run


@pytest.fixture
def runs(private_data_dir: Path) -> Path:
    return private_data_dir / "runs"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(system, "stdin_is_terminal", lambda: True)


def purge(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["purge", *args], input=input)
    return result.exit_code, result.output


def test_default_purges_only_the_most_recent_run_and_prints_counts(runs: Path) -> None:
    older = fake_run(runs, "20250101-090000", age=100)
    newer = fake_run(runs, "20250102-090000", age=10)
    code, output = purge("--yes")
    assert code == 0, output
    assert not newer.exists() and older.exists()
    assert "1 run(s) (6 file(s))" in output
    assert "child data" not in output and "0002" not in output  # counts, not contents


def test_all_purges_every_run_and_the_journal_entries_but_keeps_the_key(
    runs: Path, private_data_dir: Path
) -> None:
    fake_run(runs, "a", age=5)
    fake_run(runs, "b", age=1)
    key = install_key(private_data_dir)
    journal = Journal(private_data_dir / "journal.sqlite3", key, "flow|portal|data")
    for national_id in ("1103702071005", "1103702071013"):
        journal.mark(national_id, "digest", "verified", "added", "ok")
    journal.close()
    (private_data_dir / "mock-state" / "lec").mkdir(parents=True)
    (private_data_dir / "mock-state" / "lec" / "lec.sqlite3").write_bytes(b"children")

    code, output = purge("--all", "--yes")
    assert code == 0, output
    assert list(runs.iterdir()) == []
    assert "2 run(s) (12 file(s))" in output and "2 journal entr" in output
    assert (private_data_dir / "journal.key").read_bytes() == key
    with sqlite3.connect(private_data_dir / "journal.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM records").fetchone() == (0,)
    assert not (private_data_dir / "mock-state").exists()


def test_asks_on_a_terminal_and_no_keeps_everything(runs: Path, terminal: None) -> None:
    run = fake_run(runs, "r")
    code, output = purge(input="n\n")
    assert code == 0 and run.exists()
    assert "nothing was removed" in output
    code, output = purge(input="y\n")
    assert code == 0 and not run.exists()


def test_without_a_terminal_and_without_yes_nothing_is_removed(runs: Path) -> None:
    run = fake_run(runs, "r")
    code, output = purge()
    assert code == 2 and run.exists()
    assert "--yes" in output


def test_refuses_a_folder_outside_the_data_dir_without_a_report(tmp_path: Path) -> None:
    mine = tmp_path / "officer-documents"
    mine.mkdir()
    (mine / "edubot.log").write_text("not edubot's", encoding="utf-8")
    code, output = purge(str(mine), "--yes")
    assert code == 2 and "not an edubot run" in output
    assert (mine / "edubot.log").exists()


def test_an_explicit_run_elsewhere_loses_only_edubots_files(tmp_path: Path) -> None:
    run = fake_run(tmp_path, "demo-run")
    (run / "my-notes.docx").write_text("the officer's", encoding="utf-8")
    code, output = purge(str(run), "--yes")
    assert code == 0, output
    assert sorted(p.name for p in run.iterdir()) == ["my-notes.docx"]
    assert "kept 1 file(s)" in output


def test_refuses_the_data_dir_itself_and_all_with_a_path(
    private_data_dir: Path, runs: Path
) -> None:
    fake_run(runs, "r")
    install_key(private_data_dir)
    (private_data_dir / "report.json").write_text("{}", encoding="utf-8")
    code, output = purge(str(private_data_dir), "--yes")
    assert code == 2 and "data directory" in output
    code, output = purge(str(runs / "r"), "--all", "--yes")
    assert code == 2 and "not both" in output
    assert (runs / "r" / "report.json").exists()


def test_a_missing_path_is_refused_and_no_runs_is_not_an_error(tmp_path: Path) -> None:
    code, output = purge(str(tmp_path / "nope"), "--yes")
    assert code == 2 and "does not exist" in output
    code, output = purge("--yes")
    assert code == 0 and "nothing to purge" in output


def test_a_rounds_step_folders_go_and_the_officers_own_folder_stays(runs: Path) -> None:
    round_run = runs / "round-20261201-090000"
    for step in ("01-lec-basic-data", "02-lec-students", "11-lec-confirm-lgo"):
        fake_run(round_run, step)
    (round_run / "edubot.log").write_text("log", encoding="utf-8")
    (round_run / "notes").mkdir()
    (round_run / "notes" / "mine.txt").write_text("the officer's", encoding="utf-8")

    code, output = purge("--all", "--yes")
    assert code == 0, output
    assert sorted(p.relative_to(round_run).as_posix() for p in round_run.rglob("*")) == [
        "notes",
        "notes/mine.txt",
    ]
    assert "(19 file(s))" in output and "kept 1 file(s)" in output


def test_the_latest_run_is_the_one_with_evidence_not_a_later_log_only_folder(runs: Path) -> None:
    failed = fake_run(runs, "20261201-090000", age=100)  # screenshots of failed children
    status = runs / "status-20261201-100000"  # `edubot status` left only its (empty) log
    status.mkdir()
    (status / "edubot.log").write_text("", encoding="utf-8")

    code, output = purge("--yes")
    assert code == 0, output
    assert not failed.exists()
    assert status.exists()
