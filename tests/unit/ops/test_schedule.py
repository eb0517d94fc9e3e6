"""Scheduled runs: exact crontab and schtasks lines, and stores that never touch the real ones."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.errors import ConfigError
from bot.ops.calendar_file import Calendar
from bot.ops.schedule import (
    CrontabStore,
    ScheduleEntry,
    SchtasksStore,
    cron_line,
    register_task_args,
    resolve_when,
    run_args,
    scheduler_for,
    schtasks_delete_args,
    task_name,
    windows_wrapper_script,
)
from bot.ops.windows_task import decoded_script
from tests.unit.ops.fake_runner import FakeRunner

WHEN = datetime(2026, 12, 6, 8, 30)
EXE = "/home/officer/edubot/.venv/bin/edubot"
WIN_EXE = r"C:\edubot\.venv\Scripts\edubot.exe"


def entry(**changes: Any) -> ScheduleEntry:
    values: dict[str, Any] = {
        "id": "lec-confirm",
        "flow": Path("/home/officer/edubot/flows/lec/confirm_school.yaml"),
        "data": Path("/home/officer/data/students.xlsx"),
        "run_dir": Path("/home/officer/runs/confirm"),
        "deadline": "lec:2569-2:school_confirm",
        "days_before": 2,
        "at_time": time(8, 30),
    }
    return ScheduleEntry(**(values | changes))


def win_entry(**changes: Any) -> ScheduleEntry:
    values: dict[str, Any] = {
        "flow": Path(r"C:\edubot\flows\esar\upload.yaml"),
        "data": Path(r"C:\edubot\sar.xlsx"),
        "run_dir": Path(r"C:\edubot\runs\sar"),
    }
    return entry(**(values | changes))


class FakeCrontab:
    """An in-memory crontab."""

    def __init__(self, text: str = "") -> None:
        self.text = text
        self.writes = 0

    def read(self) -> str:
        return self.text

    def write(self, text: str) -> None:
        self.text = text
        self.writes += 1


def test_cron_line_exact() -> None:
    assert cron_line(entry(), EXE, WHEN) == (
        '30 8 6 12 * [ "$(date +\\%Y)" = 2026 ] && umask 077 && mkdir -p /home/officer/runs/confirm'
        " && /home/officer/edubot/.venv/bin/edubot run"
        " /home/officer/edubot/flows/lec/confirm_school.yaml"
        " --data /home/officer/data/students.xlsx --run-dir /home/officer/runs/confirm"
        " --non-interactive >> /home/officer/runs/confirm/schedule.log 2>&1 # edubot:lec-confirm"
    )


def test_cron_fields_parse_back() -> None:
    line = cron_line(entry(), EXE, datetime(2027, 4, 24, 7, 5))
    minute, hour, day, month, weekday, command = line.split(" ", 5)
    assert (int(minute), int(hour), int(day), int(month), weekday) == (5, 7, 24, 4, "*")
    assert "= 2027 ]" in command
    assert command.endswith("# edubot:lec-confirm")


def test_guarded_flags_only_when_allowed() -> None:
    assert "--confirm" not in run_args(entry(), EXE)
    assert run_args(entry(allow_guarded=True, dry_run=True), EXE)[-3:] == [
        "--non-interactive",
        "--dry-run",
        "--confirm",
    ]
    assert "--confirm" in cron_line(entry(allow_guarded=True), EXE, WHEN)


def test_portal_url_goes_in_as_environment() -> None:
    line = cron_line(entry(portal="lec", portal_url="http://127.0.0.1:8001"), EXE, WHEN)
    assert "&& EDUBOT_LEC_URL=http://127.0.0.1:8001 /home/officer/" in line


def test_aware_time_is_converted_to_local() -> None:
    aware = datetime(2026, 12, 6, 1, 30, tzinfo=UTC)
    local = aware.astimezone()
    line = cron_line(entry(), EXE, aware)
    assert line.startswith(f"{local.minute} {local.hour} {local.day} {local.month} * ")


def test_relative_paths_are_refused() -> None:
    with pytest.raises(ConfigError, match=r"absolute paths; 'flows/lec/x\.yaml' is relative"):
        cron_line(entry(flow=Path("flows/lec/x.yaml")), EXE, WHEN)
    with pytest.raises(ConfigError, match="'bin/edubot' is relative"):
        cron_line(entry(), "bin/edubot", WHEN)


def test_a_flows_name_runs_wherever_the_scheduler_starts_a_relative_file_does_not() -> None:
    line = cron_line(entry(flow=Path("lec/confirm_school")), EXE, WHEN)
    assert " run lec/confirm_school --data /home/officer/data/students.xlsx " in line
    named_relative_data = entry(flow=Path("lec/confirm_school"), data=Path("data/students.xlsx"))
    with pytest.raises(ConfigError, match=r"'data/students\.xlsx' is relative"):
        cron_line(named_relative_data, EXE, WHEN)
    script = windows_wrapper_script(win_entry(flow=Path(r"esar\upload")), WIN_EXE)
    assert r'edubot.exe" run "esar\upload" --data "C:\edubot\sar.xlsx"' in script


@pytest.mark.parametrize("bad", ["/tmp/a\nb", "/tmp/a\rb", "/tmp/a\0b"])
def test_line_breaks_in_paths_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="line break or NUL"):
        entry(data=Path(bad))


def test_entry_needs_exactly_one_time() -> None:
    with pytest.raises(ValidationError, match="either 'deadline'"):
        entry(at=WHEN)
    with pytest.raises(ValidationError, match="either 'deadline'"):
        entry(deadline=None)
    with pytest.raises(ValidationError, match="'portal_url' needs 'portal'"):
        entry(portal_url="http://127.0.0.1:8001")
    with pytest.raises(ValidationError, match="id"):
        entry(id="a b; rm -rf ~")


def test_resolve_when(calendar: Calendar) -> None:
    assert resolve_when(entry(), calendar, date(2026, 11, 29)) == WHEN
    explicit = entry(deadline=None, at=datetime(2026, 12, 1, 9, 0))
    assert resolve_when(explicit, calendar, date(2026, 11, 29)) == datetime(2026, 12, 1, 9, 0)


def cron_command(line: str) -> str:
    """What cron hands to /bin/sh: the command field with `\\%` turned back into `%`."""
    return line.split(" ", 5)[5].replace("\\%", "%")


@pytest.fixture
def fake_edubot(tmp_path: Path) -> Path:
    """An executable that records its arguments, one per line, next to itself."""
    exe = tmp_path / "bin dir" / "edubot"
    exe.parent.mkdir()
    exe.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/argv"\necho ran\n')
    exe.chmod(0o755)
    return exe


def test_cron_command_runs_in_sh_with_awkward_paths(tmp_path: Path, fake_edubot: Path) -> None:
    awkward = entry(
        flow=tmp_path / "โฟลว์ 'a' $HOME.yaml",
        data=tmp_path / "100% ข้อมูล.xlsx",
        run_dir=tmp_path / "runs" / "รอบ 2",
        portal="esar",
        portal_url="http://127.0.0.1:9/x?a=1&b=2",
    )
    now = datetime.now()
    subprocess.run(
        ["/bin/sh", "-c", cron_command(cron_line(awkward, fake_edubot, now))], check=True
    )
    argv = (fake_edubot.parent / "argv").read_text().splitlines()
    assert argv == [
        "run",
        str(awkward.flow),
        "--data",
        str(awkward.data),
        "--run-dir",
        str(awkward.run_dir),
        "--non-interactive",
    ]
    log = awkward.run_dir / "schedule.log"
    assert log.read_text() == "ran\n"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_cron_command_does_nothing_in_another_year(tmp_path: Path, fake_edubot: Path) -> None:
    next_year = datetime.now() + timedelta(days=366)
    line = cron_line(entry(run_dir=tmp_path / "run"), fake_edubot, next_year)
    done = subprocess.run(["/bin/sh", "-c", cron_command(line)], check=False)
    assert done.returncode != 0
    assert not (fake_edubot.parent / "argv").exists()


OTHERS = "MAILTO=officer@example.org\n# backups\n0 2 * * * /usr/bin/backup --all # nightly\n"


def test_crontab_store_add_list_remove_keeps_other_lines() -> None:
    crontab = FakeCrontab(OTHERS)
    store = CrontabStore(crontab)
    first = store.add(entry(), EXE, WHEN)
    second = store.add(entry(id="sar-upload", allow_guarded=True), EXE, WHEN)
    assert crontab.text == OTHERS + first + "\n" + second + "\n"
    assert [(j.id, j.line) for j in store.list()] == [
        ("lec-confirm", first),
        ("sar-upload", second),
    ]

    assert store.remove("lec-confirm") is True
    assert crontab.text == OTHERS + second + "\n"
    assert store.remove("lec-confirm") is False
    assert store.remove("sar-upload") is True
    assert crontab.text == OTHERS


def test_crontab_store_replaces_an_entry_with_the_same_id() -> None:
    crontab = FakeCrontab("0 2 * * * /usr/bin/backup")  # no final newline
    store = CrontabStore(crontab)
    store.add(entry(), EXE, WHEN)
    later = store.add(entry(), EXE, WHEN + timedelta(days=1))
    assert crontab.text == "0 2 * * * /usr/bin/backup\n" + later + "\n"
    assert len(store.list()) == 1


def test_crontab_store_ignores_commented_out_entries() -> None:
    store = CrontabStore(FakeCrontab("# 0 8 1 1 * true # edubot:old\n"))
    assert store.list() == []
    assert store.remove("old") is False


def test_register_task_args_exact() -> None:
    when = datetime(2027, 4, 24, 9, 5)
    args = register_task_args(win_entry(id="sar-upload"), WIN_EXE, when)
    assert args[:4] == ["powershell", "-NoProfile", "-NonInteractive", "-EncodedCommand"]
    assert decoded_script(args).split("\n") == [
        "$ErrorActionPreference = 'Stop'",
        "$ProgressPreference = 'SilentlyContinue'",
        "$action = New-ScheduledTaskAction -Execute"
        r""" '"C:\edubot\runs\sar\edubot-sar-upload.cmd"'""",
        "$trigger = New-ScheduledTaskTrigger -Once -At ([datetime]::new(2027, 4, 24, 9, 5, 0))",
        "$settings = New-ScheduledTaskSettingsSet -AllowStartIfOnBatteries"
        " -DontStopIfGoingOnBatteries -StartWhenAvailable",
        "Register-ScheduledTask -TaskPath '\\edubot\\' -TaskName 'sar-upload' -Action $action"
        " -Trigger $trigger -Settings $settings -Force > $null",
    ]
    # The same task name schtasks lists and deletes.
    assert task_name("sar-upload") == r"edubot\sar-upload"


def test_a_windows_task_date_is_numbers_never_text_a_locale_reads() -> None:
    # A Thai Windows writes dates in the Buddhist era and schtasks /SD reads the machine's
    # format: the task's time goes in as numbers, the Gregorian year edubot computed.
    args = register_task_args(win_entry(), WIN_EXE, datetime(2026, 12, 6, 8, 30))
    script = decoded_script(args)
    assert "[datetime]::new(2026, 12, 6, 8, 30, 0)" in script
    assert "/SD" not in script and "2569" not in script


def test_a_quote_in_a_windows_path_is_kept_literal_in_powershell() -> None:
    args = register_task_args(win_entry(run_dir=Path(r"C:\Users\O'Neil\runs")), WIN_EXE, WHEN)
    assert r"""-Execute '"C:\Users\O''Neil\runs\edubot-lec-confirm.cmd"'""" in decoded_script(args)


def test_windows_wrapper_script_exact() -> None:
    script = windows_wrapper_script(win_entry(id="sar-upload"), WIN_EXE)
    assert script.split("\r\n") == [
        "@echo off",
        "rem edubot scheduled run 'sar-upload', written by edubot; it is replaced on change.",
        "chcp 65001 >nul",
        r'if not exist "C:\edubot\runs\sar" mkdir "C:\edubot\runs\sar"',
        r'"C:\edubot\.venv\Scripts\edubot.exe" run "C:\edubot\flows\esar\upload.yaml"'
        r' --data "C:\edubot\sar.xlsx" --run-dir "C:\edubot\runs\sar" --non-interactive'
        r' >> "C:\edubot\runs\sar\schedule.log" 2>&1',
        "",
    ]


def test_windows_wrapper_flags_environment_and_percent() -> None:
    guarded = win_entry(
        allow_guarded=True,
        portal="esar",
        portal_url="http://127.0.0.1:8002",
        data=Path(r"C:\ข้อมูล\100% sar.xlsx"),
    )
    lines = windows_wrapper_script(guarded, WIN_EXE).split("\r\n")
    assert lines[4] == 'set "EDUBOT_ESAR_URL=http://127.0.0.1:8002"'
    assert r'--data "C:\ข้อมูล\100%% sar.xlsx"' in lines[5]
    assert "--non-interactive --confirm >>" in lines[5]


def test_a_windows_task_refuses_what_windows_would_refuse() -> None:
    with pytest.raises(ConfigError, match="too long for the Windows Task Scheduler"):
        register_task_args(win_entry(run_dir=Path("C:\\" + "d" * 250)), WIN_EXE, WHEN)
    with pytest.raises(ConfigError, match="is relative"):
        register_task_args(win_entry(data=Path("sar.xlsx")), WIN_EXE, WHEN)
    with pytest.raises(ConfigError, match="contains a double quote"):
        register_task_args(win_entry(data=Path('C:\\a".xlsx')), WIN_EXE, WHEN)


def test_schtasks_delete_args() -> None:
    assert schtasks_delete_args("sar-upload") == [
        "schtasks", "/Delete", "/TN", r"edubot\sar-upload", "/F",
    ]  # fmt: skip


def test_schtasks_store() -> None:
    listing = (
        '"\\edubot\\sar-upload","24/04/2027 09:05:00","Ready"\r\n'
        '"\\Microsoft\\Windows\\Defrag","N/A","Ready"\r\n'
    )
    runner = FakeRunner(stdout=listing)
    written: dict[Path, str] = {}
    store = SchtasksStore(runner, written.__setitem__)
    script = store.add(win_entry(id="sar-upload"), WIN_EXE, WHEN)
    assert written == {Path(r"C:\edubot\runs\sar\edubot-sar-upload.cmd"): script}
    assert runner.calls[0] == register_task_args(win_entry(id="sar-upload"), WIN_EXE, WHEN)
    assert [(j.id, j.line) for j in store.list()] == [("sar-upload", "24/04/2027 09:05:00")]
    assert store.remove("sar-upload") is True
    assert runner.calls[-1] == schtasks_delete_args("sar-upload")
    with pytest.raises(
        ConfigError, match="Task Scheduler could not create the task: ERROR: denied"
    ):
        SchtasksStore(FakeRunner(returncode=1), written.__setitem__).add(win_entry(), WIN_EXE, WHEN)


def test_scheduler_for_platform() -> None:
    assert isinstance(scheduler_for("win32", run=FakeRunner()), SchtasksStore)
    assert isinstance(scheduler_for("linux", crontab=FakeCrontab()), CrontabStore)
    assert isinstance(scheduler_for("darwin", crontab=FakeCrontab()), CrontabStore)


def test_quoting_matches_posix_shell() -> None:
    line = cron_line(entry(data=Path("/home/o/it's here.xlsx")), EXE, WHEN)
    assert shlex.quote("/home/o/it's here.xlsx") in line
    assert os.linesep not in line
