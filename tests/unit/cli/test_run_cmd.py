"""`edubot run` and `edubot demo` without a browser: a refusal comes before Chrome starts, and
`demo --round` ends with the round's own exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.browser.launch import LaunchedBrowser
from bot.cli import demo
from bot.cli.app import app, main

REPO = Path(__file__).resolve().parents[3]
STUDENTS = str(REPO / "flows" / "lec" / "students.yaml")


@pytest.fixture
def launches(monkeypatch: pytest.MonkeyPatch) -> list[LaunchedBrowser]:
    """Every browser a command tried to start (none starts)."""
    started: list[LaunchedBrowser] = []

    def no_browser(self: LaunchedBrowser) -> LaunchedBrowser:
        started.append(self)
        raise AssertionError("a browser was started")

    monkeypatch.setattr(LaunchedBrowser, "__enter__", no_browser)
    return started


def test_a_run_refused_for_its_data_starts_no_browser(
    cli: CliRunner, tmp_path: Path, launches: list[LaunchedBrowser]
) -> None:
    data = tmp_path / "children.csv"
    data.write_text("เลขประจำตัวประชาชน,ชื่อ\n1234,ปิยะดา\n", encoding="utf-8")
    result = cli.invoke(
        app, ["run", STUDENTS, "--data", str(data), "--run-dir", str(tmp_path / "r")]
    )
    assert result.exit_code == 2, result.output
    assert "nothing was sent" in result.output
    assert launches == []
    assert not (tmp_path / "r").exists()  # a run refused before it began leaves no folder


@pytest.mark.parametrize(
    "argv",
    [["run", STUDENTS, "--no-such-option"], ["run", STUDENTS, "--data", "no-such-file.xlsx"]],
)
def test_the_console_script_starts_no_browser_for_a_refused_run(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, launches: list[LaunchedBrowser]
) -> None:
    monkeypatch.setattr("sys.argv", ["edubot", *argv])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    assert launches == []


def test_demo_round_ends_with_the_rounds_exit_code(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planned: list[tuple[Path, bool, bool]] = []

    def run_plan(plan: Path, *, dry_run: bool, confirm: bool, **_: object) -> int:
        planned.append((plan, dry_run, confirm))
        return 1

    monkeypatch.setattr(demo, "run_plan", run_plan)
    result = cli.invoke(app, ["demo", "--round", "--run-dir", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert planned == [(tmp_path / "round" / "round.yaml", True, True)]
    assert not (tmp_path / "demo-students.xlsx").exists()  # the one-school demo did not run
