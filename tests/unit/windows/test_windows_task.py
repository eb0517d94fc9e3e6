"""`edubot schedule test` on Windows: the task's program is read back from the Task Scheduler
and its wrapper's command is the entry's own. Pure tests, with a fake command runner."""

from __future__ import annotations

import base64
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import system
from bot.cli.app import app
from bot.errors import ConfigError
from bot.ops.schedule import (
    ScheduleEntry,
    SchtasksStore,
    entry_environment,
    run_args,
    scheduler_for,
    windows_wrapper_script,
)
from bot.ops.windows_task import decoded_script, readable_error, task_program, wrapper_command
from tests.unit.ops.fake_runner import FakeRunner

WIN_EXE = r"C:\Users\สมชาย\pipx\venvs\edubot\Scripts\edubot.exe"


def win_entry() -> ScheduleEntry:
    return ScheduleEntry(
        id="students-soon",
        flow=Path(r"C:\Users\สมชาย\AppData\Roaming\edubot\flows\lec\students.yaml"),
        data=Path(r"C:\Users\สมชาย\Documents\100% เด็ก.xlsx"),
        run_dir=Path(r"C:\Users\สมชาย\AppData\Local\edubot\edubot\runs\scheduled-students"),
        portal="lec",
        portal_url="http://127.0.0.1:8001",
        environment={"EDUBOT_BROWSER": r"C:\Program Files\Google\Chrome\Application\chrome.exe"},
        dry_run=True,
        at=datetime(2026, 12, 8, 8, 30),
    )


def printed(text: str) -> str:
    """What the PowerShell query prints: base64 of the UTF-8 text, a CRLF after it."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii") + "\r\n"


def test_a_wrapper_reads_back_as_the_entrys_own_command_and_variables() -> None:
    entry = win_entry()
    env, words = wrapper_command(windows_wrapper_script(entry, WIN_EXE))
    assert words == run_args(entry, WIN_EXE)  # Thai letters and the % come back as they were
    assert env == entry_environment(entry)


def test_the_tasks_program_comes_back_whole_on_any_code_page() -> None:
    program = r'"C:\Users\สมชาย\runs\edubot-students-soon.cmd"'
    assert printed(program).isascii()
    assert task_program(printed(program)) == r"C:\Users\สมชาย\runs\edubot-students-soon.cmd"
    assert task_program("") == ""


def test_the_store_reads_the_wrapper_its_task_runs(tmp_path: Path) -> None:
    wrapper = tmp_path / "edubot-students-soon.cmd"
    text = windows_wrapper_script(win_entry(), WIN_EXE)
    wrapper.write_bytes(text.encode("utf-8"))
    runner = FakeRunner(stdout=printed(f'"{wrapper}"'))
    assert SchtasksStore(runner).command("students-soon") == wrapper_command(text)
    script = decoded_script(runner.calls[0])
    assert r"Get-ScheduledTask -TaskPath '\edubot\' -TaskName 'students-soon'" in script


def test_no_such_task_and_a_lost_wrapper_are_told_apart(tmp_path: Path) -> None:
    assert SchtasksStore(FakeRunner(returncode=1)).command("nope") is None
    lost = FakeRunner(stdout=printed(str(tmp_path / "gone.cmd")))
    with pytest.raises(ConfigError, match=r"cannot be read .* schedule it again"):
        SchtasksStore(lost).command("students-soon")


def test_schedule_test_on_windows_looks_the_task_up(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = FakeRunner(returncode=1)  # Get-ScheduledTask: no such task
    monkeypatch.setattr(system, "scheduler_factory", lambda: scheduler_for("win32", run=runner))
    done = CliRunner().invoke(app, ["--lang", "en", "schedule", "test", "nope"])
    assert done.exit_code == 2
    assert "no scheduled run 'nope'" in done.output
    assert "Get-ScheduledTask" in decoded_script(runner.calls[0])


def test_powershells_serialized_error_is_shown_as_words() -> None:
    clixml = (
        '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'
        '<S S="Error">Register-ScheduledTask : Access is denied._x000D__x000A_</S>'
        '<S S="Error">At line:5 char:1 &amp; more_x000D__x000A_</S></Objs>'
    )
    assert (
        readable_error(clixml)
        == "Register-ScheduledTask : Access is denied. At line:5 char:1 & more"
    )
    assert readable_error("ERROR: denied\r\n") == "ERROR: denied"

    def clixml_runner(args: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(args, 1, "", clixml)

    with pytest.raises(
        ConfigError, match="could not create the task: Register-ScheduledTask : Access"
    ):
        SchtasksStore(clixml_runner, lambda path, text: None).add(
            win_entry(), WIN_EXE, datetime(2026, 12, 8, 8, 30)
        )
