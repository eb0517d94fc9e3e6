"""A scheduled run's environment is cron's, not the officer's: proved when scheduling."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.browser.find import BrowserChoice
from bot.cli import schedule_checks
from bot.cli import system as cli_ops
from bot.cli.app import app
from bot.errors import ConfigError
from bot.ops import schedule_probe
from bot.ops.schedule import (
    CrontabStore,
    NoCrontab,
    ScheduleEntry,
    SystemCrontab,
    cron_line,
    windows_wrapper_script,
)
from bot.ops.schedule_probe import (
    FILE_KEYRING,
    ProbeResult,
    fixes,
    run_probe,
    scheduler_environment,
)

REPO = Path(__file__).resolve().parents[3]
EDUBOT = Path(sys.executable).with_name("edubot")
WHEN = datetime(2026, 12, 8, 8, 30)


def entry(**extra: Any) -> ScheduleEntry:
    fields: dict[str, Any] = {
        "id": "students-test",
        "flow": REPO / "flows" / "lec" / "students.yaml",
        "data": Path("/srv/edubot/children.xlsx"),
        "run_dir": Path("/srv/edubot/runs/students-test"),
        "at": WHEN,
    }
    return ScheduleEntry(**{**fields, **extra})


def test_cron_gives_a_bare_environment_with_the_entrys_own_variables() -> None:
    officer = {
        "HOME": "/home/somchai",
        "LOGNAME": "somchai",
        "PATH": "/home/somchai/.local/bin:/usr/local/bin:/usr/bin:/bin",
        "DISPLAY": ":0",
        "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus",
        "EDUBOT_LEC_PASSWORD": "typed-in-this-window",
    }
    env = scheduler_environment({"EDUBOT_BROWSER": "/opt/chromium/chrome"}, officer, "linux")
    assert env == {
        "HOME": "/home/somchai",
        "LOGNAME": "somchai",
        "PATH": "/usr/bin:/bin",
        "SHELL": "/bin/sh",
        "EDUBOT_BROWSER": "/opt/chromium/chrome",
    }


def test_windows_tasks_run_in_the_officers_own_environment() -> None:
    officer = {"USERPROFILE": r"C:\Users\somchai", "PATH": r"C:\Windows"}
    env = scheduler_environment({"PYTHON_KEYRING_BACKEND": "x"}, officer, "win32")
    assert env == {**officer, "PYTHON_KEYRING_BACKEND": "x"}


def test_the_probe_is_run_with_exactly_that_environment_and_read_back() -> None:
    seen: dict[str, Any] = {}

    def fake_run(args: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        seen.update(options, args=args)
        answer = {"browser": "Chromium", "credentials": None, "keyring": None}
        return subprocess.CompletedProcess(args, 1, "noise\n" + json.dumps(answer) + "\n", "")

    result = run_probe("/x/edubot", "lec", False, {"PATH": "/usr/bin:/bin"}, fake_run)
    assert seen["args"] == ["/x/edubot", "schedule", "probe", "lec"]
    assert seen["env"] == {"PATH": "/usr/bin:/bin"}
    assert result == ProbeResult(ran=True, browser="Chromium", credentials=None)
    assert not result.ready
    (missing,) = fixes(result, "lec", None)
    assert "--keyring file" in missing[1] and "NOT encrypted" in missing[1]


def test_a_probe_that_cannot_start_is_not_a_verdict() -> None:
    def missing(args: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        raise FileNotFoundError(2, "No such file", args[0])

    result = run_probe("/nowhere/edubot", "lec", True, {}, missing)
    assert not result.ran
    assert "could not check" in fixes(result, "lec", None)[0][1]


def test_the_real_probe_in_crons_environment_finds_this_machines_browser() -> None:
    result = run_probe(EDUBOT, "lec", True, scheduler_environment({}))
    assert result.ran, result.detail
    assert result.browser is not None  # /usr/bin holds this machine's Chromium
    assert result.credentials == "mock"
    real = run_probe(EDUBOT, "lec", False, scheduler_environment({}))
    assert real.ran and real.credentials is None  # no desktop keyring, no variables: no password


def test_a_browser_only_a_longer_path_finds_goes_into_the_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    probes: list[dict[str, str]] = []

    def fake_probe(
        edubot: Path | str, portal: str, dry_run: bool, env: dict[str, str]
    ) -> ProbeResult:
        probes.append(dict(env))
        found = "EDUBOT_BROWSER" in env
        return ProbeResult(ran=True, browser="Chromium" if found else None, credentials="mock")

    monkeypatch.setattr(schedule_probe, "run_probe", fake_probe)
    monkeypatch.setattr(
        "bot.browser.find.find_browser",
        lambda: BrowserChoice("chromium", executable="/home/somchai/.local/bin/chromium"),
    )
    own = schedule_checks.proven_environment("/x/edubot", "lec", True, {}, {})
    assert own == {"EDUBOT_BROWSER": "/home/somchai/.local/bin/chromium"}
    assert len(probes) == 2


def test_no_password_in_crons_environment_refuses_the_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        schedule_probe, "run_probe", lambda *a: ProbeResult(ran=True, browser="Chrome")
    )
    with pytest.raises(ConfigError) as caught:
        schedule_checks.proven_environment("/x/edubot", "lec", False, {}, {})
    assert "would fail" in str(caught.value)
    assert f"PYTHON_KEYRING_BACKEND={FILE_KEYRING} edubot login lec" in str(caught.value)


def test_keyring_file_needs_keyrings_alt_and_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule_probe, "file_keyring_available", lambda: False)
    with pytest.raises(ConfigError, match=r"pipx inject edubot keyrings\.alt"):
        schedule_checks.keyring_variables("file")
    monkeypatch.setattr(schedule_probe, "file_keyring_available", lambda: True)
    assert schedule_checks.keyring_variables("file") == {"PYTHON_KEYRING_BACKEND": FILE_KEYRING}
    assert schedule_checks.keyring_variables(None) == {}


def test_the_entrys_variables_reach_the_cron_line_and_the_windows_wrapper() -> None:
    own = entry(environment={"PYTHON_KEYRING_BACKEND": FILE_KEYRING})
    line = cron_line(own, "/opt/edubot/bin/edubot", WHEN)
    assert f"PYTHON_KEYRING_BACKEND={FILE_KEYRING} /opt/edubot/bin/edubot run" in line
    windows = entry(
        flow=Path(r"C:\edubot\students.yaml"),
        data=Path(r"C:\edubot\children.xlsx"),
        run_dir=Path(r"C:\edubot\runs\t"),
        environment={"EDUBOT_BROWSER": r"C:\Program Files\Chromium\chrome.exe"},
    )
    script = windows_wrapper_script(windows, r"C:\edubot\edubot.exe")
    assert 'set "EDUBOT_BROWSER=C:\\Program Files\\Chromium\\chrome.exe"' in script


@pytest.mark.parametrize("name", ["EDUBOT_LEC_PASSWORD", "lower_case", "EDUBOT_SMTP_TOKEN"])
def test_an_entry_never_carries_a_secret_or_a_strange_name(name: str) -> None:
    with pytest.raises(ValueError):
        entry(environment={name: "x"})


def test_no_crontab_program_is_said_with_the_line_to_add_by_hand(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(NoCrontab, match="install cron"):
        SystemCrontab().read()
    with pytest.raises(NoCrontab) as caught:
        CrontabStore(SystemCrontab()).add(entry(), "/opt/edubot/bin/edubot", WHEN)
    assert "crontab -e" in str(caught.value)
    assert "# edubot:students-test" in str(caught.value)


def test_schedule_add_without_crontab_exits_2_with_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_ops, "scheduler_factory", lambda: CrontabStore(SystemCrontab()))
    monkeypatch.setattr(cli_ops, "clock", lambda: datetime(2026, 12, 1, 9, 0))
    monkeypatch.setattr(cli_ops, "find_edubot", lambda: EDUBOT)
    monkeypatch.setenv("PATH", str(tmp_path))  # no crontab there (the probe uses full paths)
    data = tmp_path / "children.xlsx"
    assert CliRunner().invoke(app, ["template", "students", str(data)]).exit_code == 0
    done = CliRunner().invoke(
        app,
        ["schedule", "add", "lec/students", "--data", str(data), "--when", "2026-12-08 08:30",
         "--dry-run"],
    )  # fmt: skip
    assert done.exit_code == 2, done.output
    assert "install cron" in done.output
    assert "crontab -e" in done.output
    assert "--dry-run >> " in done.output  # the whole line, ready to paste
    assert "internal error" not in done.output
