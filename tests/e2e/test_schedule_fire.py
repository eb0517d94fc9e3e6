"""`edubot schedule test ID` fires an installed entry now, as a rehearsal on the mock: a cron
line in cron's bare environment, or a Windows task's wrapper; the entry's own command, its own
program, another run folder."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import system as cli_ops
from bot.cli.app import app
from bot.data.demo import demo_students, write_students_xlsx
from bot.ops.schedule import CrontabStore, ScheduleEntry, SchtasksStore, cron_line
from tests.unit.cli.conftest import FakeCrontab

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
EDUBOT = Path(sys.executable).with_name("edubot")
GRADES = [f"ประถมศึกษาปีที่ {n}" for n in range(1, 7)]


def test_schedule_test_runs_the_entry_now_on_the_mock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # what cron passes on: edubot's files
    monkeypatch.setenv("EDUBOT_LANG", "en")
    data = tmp_path / "children.xlsx"
    write_students_xlsx(data, demo_students(3, seed=7, school_grades=GRADES))
    run_dir = tmp_path / "runs" / "scheduled"
    entry = ScheduleEntry(
        id="students-soon",
        flow=REPO / "flows" / "lec" / "students.yaml",
        data=data,
        run_dir=run_dir,
        dry_run=True,
        at=datetime(2026, 12, 8, 8, 30),
    )
    crontab = FakeCrontab(cron_line(entry, EDUBOT, datetime(2026, 12, 8, 8, 30)) + "\n")
    monkeypatch.setattr(cli_ops, "scheduler_factory", lambda: CrontabStore(crontab))
    done = CliRunner().invoke(app, ["schedule", "test", "students-soon"])
    assert done.exit_code == 0, done.output
    assert "in the scheduler's environment: browser " in done.output
    assert "test passed (exit 0)" in done.output
    report = json.loads((tmp_path / "runs" / "scheduled-test" / "report.json").read_text())
    assert report["dry_run"] is True
    assert report["totals"]["records"] == 3
    assert not run_dir.exists()  # the entry's own folder is left for the real run


def test_schedule_test_of_an_unknown_entry_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_ops, "scheduler_factory", lambda: CrontabStore(FakeCrontab("")))
    done = CliRunner().invoke(app, ["schedule", "test", "nope"])
    assert done.exit_code == 2
    assert "nope" in done.output


def test_schedule_test_fires_a_windows_tasks_wrapper_on_the_mock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Task Scheduler's side is faked (it answers which program the task runs); the wrapper
    # it names is read, and its own `edubot run` words are rehearsed for real on the mock.
    monkeypatch.setenv("EDUBOT_LANG", "en")
    data = tmp_path / "children.xlsx"
    write_students_xlsx(data, demo_students(2, seed=8, school_grades=GRADES))
    run_dir = tmp_path / "runs" / "scheduled"
    flow = REPO / "flows" / "lec" / "students.yaml"
    wrapper = tmp_path / "edubot-students-soon.cmd"
    wrapper.write_text(
        "@echo off\r\nchcp 65001 >nul\r\n"
        f'"{EDUBOT}" run "{flow}" --data "{data}" --run-dir "{run_dir}" --non-interactive'
        f' --dry-run >> "{run_dir / "schedule.log"}" 2>&1\r\n',
        encoding="utf-8",
    )
    answer = base64.b64encode(f'"{wrapper}"'.encode()).decode() + "\r\n"

    def task_scheduler(args: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(args, 0, answer, "")

    monkeypatch.setattr(cli_ops, "scheduler_factory", lambda: SchtasksStore(task_scheduler))
    done = CliRunner().invoke(app, ["schedule", "test", "students-soon"])
    assert done.exit_code == 0, done.output
    assert "test passed (exit 0)" in done.output
    report = json.loads((tmp_path / "runs" / "scheduled-test" / "report.json").read_text())
    assert report["dry_run"] is True and report["totals"]["records"] == 2
