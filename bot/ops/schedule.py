"""Scheduled runs: one-shot crontab lines on Linux/macOS, Task Scheduler tasks on Windows.

The functions that build a crontab line or a task's command line are pure, so tests assert
them exactly. The stores that install them take an injectable reader/writer or command runner,
so no test touches a real crontab. A scheduled run is unattended: it always passes
`--non-interactive`, and passes `--confirm` (for guarded steps) only when the entry says so.
"""

from __future__ import annotations

import csv
import io
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.errors import ConfigError
from bot.flows_catalogue import names_a_flow
from bot.ops.calendar_file import Calendar
from bot.ops.crontab import CrontabIO, NoCrontab, SystemCrontab, no_crontab
from bot.ops.deadlines import find_item, resolve_schedule_time
from bot.ops.windows_task import (
    powershell_args,
    readable_error,
    register_task_script,
    task_program,
    task_program_script,
    wrapper_command,
)
from bot.secrets import is_secret_variable

__all__ = [
    "CommandRunner",
    "CrontabIO",
    "CrontabStore",
    "NoCrontab",
    "ScheduleEntry",
    "ScheduledJob",
    "SchtasksStore",
    "SystemCrontab",
    "cron_line",
    "entry_environment",
    "register_task_args",
    "resolve_when",
    "run_args",
    "scheduler_for",
    "schtasks_delete_args",
    "task_name",
    "windows_wrapper_path",
    "windows_wrapper_script",
]

LOG_NAME = "schedule.log"
MARKER = "# edubot:"
TASK_FOLDER = "edubot"
WINDOWS_PATH_LIMIT = 259  # MAX_PATH (260) with its terminating NUL: what cmd.exe can start
_MARKER_RE = re.compile(r"\s# edubot:([A-Za-z0-9][A-Za-z0-9_.-]*)\s*$")


class ScheduleEntry(BaseModel):
    """One planned, unattended run of a flow."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    flow: Path
    data: Path
    run_dir: Path
    portal: Literal["lec", "esar"] | None = None
    portal_url: str | None = Field(default=None, pattern=r"^https?://[^\s\"'%]+$")
    dry_run: bool = False
    deadline: str | None = None  # a DueItem id, e.g. "lec:2569-2:school_confirm"
    days_before: int = Field(default=0, ge=0)
    at_time: time = time(8, 0)
    at: datetime | None = None
    allow_guarded: bool = False
    # Variables the scheduler sets for the run (bot/ops/schedule_probe.py): the browser found
    # now (EDUBOT_BROWSER) when the scheduler's PATH would not find it, a keyring backend that
    # works without a desktop session (PYTHON_KEYRING_BACKEND). Never a secret.
    environment: dict[str, str] = Field(default_factory=dict)

    @field_validator("environment")
    @classmethod
    def _plain_variables(cls, value: dict[str, str]) -> dict[str, str]:
        for name, text in value.items():
            if not re.fullmatch(r"[A-Z_][A-Z0-9_]*", name):
                raise ValueError(f"{name!r} is not an environment variable's name")
            if is_secret_variable(name):
                raise ValueError(f"{name} holds a secret: a scheduler entry never carries one")
            if any(ch in text for ch in "\n\r\0"):
                raise ValueError(f"the value of {name} contains a line break or NUL")
        return value

    @field_validator("flow", "data", "run_dir")
    @classmethod
    def _printable(cls, value: Path) -> Path:
        # A newline would end the crontab line and start a command of its own.
        if any(ch in str(value) for ch in "\n\r\0"):
            raise ValueError(f"path {str(value)!r} contains a line break or NUL")
        return value

    @model_validator(mode="after")
    def _one_time(self) -> Self:
        if (self.deadline is None) == (self.at is None):
            raise ValueError("give either 'deadline' (with days_before, at_time) or 'at'")
        if self.portal_url is not None and self.portal is None:
            raise ValueError("'portal_url' needs 'portal' (lec or esar) to know which URL it is")
        return self


def resolve_when(entry: ScheduleEntry, calendar: Calendar, today: date) -> datetime:
    """The local time an entry runs: its explicit `at`, or `days_before` its deadline."""
    if entry.at is not None:
        return _local(entry.at)
    assert entry.deadline is not None  # the model's validator guarantees one of the two
    item = find_item(calendar, entry.deadline, today)
    return resolve_schedule_time(item, entry.days_before, entry.at_time)


def _local(when: datetime) -> datetime:
    # cron and the Task Scheduler read wall-clock time on the machine itself.
    return when.astimezone().replace(tzinfo=None) if when.tzinfo else when


def run_args(entry: ScheduleEntry, edubot_executable: Path | str) -> list[str]:
    """The `edubot run` argument list for an entry; the executable first."""
    args = [str(edubot_executable), "run", str(entry.flow)]
    args += ["--data", str(entry.data), "--run-dir", str(entry.run_dir), "--non-interactive"]
    if entry.dry_run:
        args.append("--dry-run")
    if entry.allow_guarded:
        args.append("--confirm")
    return args


def _require_absolute(paths: Sequence[str], absolute: Callable[[str], bool]) -> None:
    for path in paths:
        if not absolute(path):
            raise ConfigError(
                f"Scheduled runs need absolute paths; '{path}' is relative. "
                "Give the full path, because the scheduler starts in another directory."
            )


def _env(entry: ScheduleEntry) -> dict[str, str]:
    """The variables the scheduler sets for the entry's run."""
    env = dict(entry.environment)
    if entry.portal_url is not None and entry.portal is not None:
        env[f"EDUBOT_{entry.portal.upper()}_URL"] = entry.portal_url
    return env


def entry_environment(entry: ScheduleEntry) -> dict[str, str]:
    """The entry's own variables, as the scheduler will set them (public for the probe)."""
    return _env(entry)


def cron_line(entry: ScheduleEntry, edubot_executable: Path | str, when: datetime) -> str:
    """A crontab line that runs the entry once, at `when` (local time), logging to its run dir.

    cron has no year field, so the command first checks the year; `%` is escaped because cron
    turns a bare `%` into a newline.
    """
    args = run_args(entry, edubot_executable)
    _require_absolute([args[0], *_paths_of(entry)], _posix_abs)
    when = _local(when)
    run_dir = shlex.quote(str(entry.run_dir))
    log = shlex.quote(str(PurePosixPath(entry.run_dir) / LOG_NAME))
    env = "".join(f"{k}={shlex.quote(v)} " for k, v in _env(entry).items())
    command = (
        f'[ "$(date +%Y)" = {when.year} ] && umask 077 && mkdir -p {run_dir} && '
        f"{env}{shlex.join(args)} >> {log} 2>&1"
    )
    fields = f"{when.minute} {when.hour} {when.day} {when.month} *"
    return f"{fields} {command.replace('%', chr(92) + '%')} {MARKER}{entry.id}"


def _paths_of(entry: ScheduleEntry) -> list[str]:
    """The paths to be absolute; a flow's name is found wherever the scheduler starts."""
    flow = [] if names_a_flow(str(entry.flow)) else [str(entry.flow)]
    return [*flow, str(entry.data), str(entry.run_dir)]


def _posix_abs(path: str) -> bool:
    return PurePosixPath(path).is_absolute()


def _windows_abs(path: str) -> bool:
    return PureWindowsPath(path).is_absolute()


def task_name(entry_id: str) -> str:
    """The Task Scheduler name of an entry, in edubot's own folder."""
    return f"{TASK_FOLDER}\\{entry_id}"


def windows_wrapper_path(entry: ScheduleEntry) -> PureWindowsPath:
    """Where the entry's `.cmd` wrapper lives: in its run directory."""
    return PureWindowsPath(str(entry.run_dir)) / f"edubot-{entry.id}.cmd"


def windows_wrapper_script(entry: ScheduleEntry, edubot_executable: Path | str) -> str:
    """The `.cmd` file a task runs: it makes the run dir, runs edubot, appends to the log.

    The task names only this file: its command line, with real paths, is long, and the
    variables and the log need a shell. Write it as UTF-8 with CRLF line ends.
    """
    paths = [str(edubot_executable), str(entry.flow), str(entry.data), str(entry.run_dir)]
    _require_absolute([str(edubot_executable), *_paths_of(entry)], _windows_abs)
    for path in paths:
        if '"' in path:  # cannot be in a Windows file name, and would end the quoted argument
            raise ConfigError(
                f"The path '{path}' contains a double quote; rename it to schedule it."
            )
    # In a batch file % starts a variable, so a literal one is written %%.
    exe, flow, data, run_dir = (str(PureWindowsPath(p)).replace("%", "%%") for p in paths)
    log = str(PureWindowsPath(run_dir) / LOG_NAME)
    flags = " ".join(run_args(entry, exe)[7:])
    lines = [
        "@echo off",
        f"rem edubot scheduled run '{entry.id}', written by edubot; it is replaced on change.",
        # Lines after this one are read as UTF-8, so Thai folder names survive.
        "chcp 65001 >nul",
        f'if not exist "{run_dir}" mkdir "{run_dir}"',
        *(f'set "{k}={v.replace("%", "%%")}"' for k, v in _env(entry).items()),
        f'"{exe}" run "{flow}" --data "{data}" --run-dir "{run_dir}" {flags} >> "{log}" 2>&1',
    ]
    return "\r\n".join(lines) + "\r\n"


def register_task_args(
    entry: ScheduleEntry, edubot_executable: Path | str, when: datetime
) -> list[str]:
    """The command that creates a one-time task running the entry's wrapper (a PowerShell
    command line, not schtasks: bot/ops/windows_task.py says why).

    Pass the list to subprocess as is; write `windows_wrapper_script` first.
    """
    windows_wrapper_script(entry, edubot_executable)  # the same path checks, before anything
    wrapper = str(windows_wrapper_path(entry))
    if len(wrapper) > WINDOWS_PATH_LIMIT:
        raise ConfigError(
            f"The run directory of '{entry.id}' is too long for the Windows Task Scheduler "
            f"({len(wrapper)} characters, at most {WINDOWS_PATH_LIMIT}); choose a shorter one."
        )
    script = register_task_script(TASK_FOLDER, entry.id, wrapper, _local(when))
    return powershell_args(script)


def schtasks_delete_args(entry_id: str) -> list[str]:
    """`schtasks /Delete` arguments for an entry's task, without a question."""
    return ["schtasks", "/Delete", "/TN", task_name(entry_id), "/F"]


class ScheduledJob(BaseModel):
    """An installed scheduled run, as the scheduler lists it."""

    model_config = ConfigDict(frozen=True)

    id: str
    line: str  # the crontab line, or the task's next run time on Windows


# Aliases, because inside the stores `list` names their method, not the builtin.
_Lines = list[str]
_Jobs = list[ScheduledJob]


class CrontabStore:
    """Adds, lists and removes edubot's lines, leaving every other line as it was."""

    def __init__(self, crontab: CrontabIO | None = None) -> None:
        self._crontab = crontab if crontab is not None else SystemCrontab()

    def add(self, entry: ScheduleEntry, edubot_executable: Path | str, when: datetime) -> str:
        """Install (or replace) the entry's line and return it."""
        line = cron_line(entry, edubot_executable, when)
        try:
            kept = [ln for ln in self._lines() if _marker(ln) != entry.id]
            self._crontab.write("".join(f"{ln}\n" for ln in [*kept, line]))
        except NoCrontab:
            raise NoCrontab(no_crontab(by_hand=line)) from None
        return line

    def list(self) -> _Jobs:
        """edubot's installed lines, in crontab order."""
        return [ScheduledJob(id=i, line=ln) for ln in self._lines() if (i := _marker(ln))]

    def remove(self, entry_id: str) -> bool:
        """Remove the entry's line; False when there was none."""
        lines = self._lines()
        kept = [ln for ln in lines if _marker(ln) != entry_id]
        if len(kept) == len(lines):
            return False
        self._crontab.write("".join(f"{ln}\n" for ln in kept))
        return True

    def _lines(self) -> _Lines:
        return self._crontab.read().splitlines()


def _marker(line: str) -> str | None:
    if line.lstrip().startswith("#"):
        return None
    match = _MARKER_RE.search(line)
    return match.group(1) if match else None


CommandRunner = Callable[[_Lines], subprocess.CompletedProcess[str]]


def run_command(args: _Lines) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing its text output; never raises on a non-zero exit."""
    return subprocess.run(args, capture_output=True, text=True, check=False)


FileWriter = Callable[[Path, str], None]


def write_wrapper(path: Path, text: str) -> None:
    """Write a wrapper script, making its directory; newlines are already CRLF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


class SchtasksStore:
    """The same operations as `CrontabStore`, through the Windows Task Scheduler."""

    def __init__(
        self, run: CommandRunner = run_command, write_file: FileWriter = write_wrapper
    ) -> None:
        self._run = run
        self._write_file = write_file

    def add(self, entry: ScheduleEntry, edubot_executable: Path | str, when: datetime) -> str:
        """Write the entry's wrapper, create (or replace) its task; return the wrapper text."""
        args = register_task_args(entry, edubot_executable, when)
        script = windows_wrapper_script(entry, edubot_executable)
        self._write_file(Path(str(windows_wrapper_path(entry))), script)
        self._check(self._run(args), "create")
        return script

    def list(self) -> _Jobs:
        """edubot's tasks with their next run time."""
        done = self._run(["schtasks", "/Query", "/FO", "CSV", "/NH"])
        self._check(done, "list")
        prefix = f"\\{TASK_FOLDER}\\"
        jobs = []
        for row in csv.reader(io.StringIO(done.stdout)):
            if len(row) >= 2 and row[0].startswith(prefix):
                jobs.append(ScheduledJob(id=row[0].removeprefix(prefix), line=row[1]))
        return jobs

    def command(self, entry_id: str) -> tuple[dict[str, str], _Lines] | None:
        """The variables and the `edubot run` words of the entry's wrapper, read from the file
        its task runs (`edubot schedule test`); None when there is no such task."""
        done = self._run(powershell_args(task_program_script(TASK_FOLDER, entry_id)))
        program = task_program(done.stdout) if done.returncode == 0 else ""
        if not program:
            return None
        try:
            text = Path(program).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"The task {task_name(entry_id)} runs {program}, which cannot be read "
                f"({exc.strerror}); schedule it again with `edubot schedule add`."
            ) from None
        return wrapper_command(text)

    def remove(self, entry_id: str) -> bool:
        """Delete the entry's task; False when there was none."""
        return self._run(schtasks_delete_args(entry_id)).returncode == 0

    @staticmethod
    def _check(done: subprocess.CompletedProcess[str], what: str) -> None:
        if done.returncode != 0:
            message = readable_error(done.stderr or done.stdout)
            raise ConfigError(f"The Task Scheduler could not {what} the task: {message}")


def scheduler_for(
    platform: str = sys.platform,
    *,
    crontab: CrontabIO | None = None,
    run: CommandRunner = run_command,
    write_file: FileWriter = write_wrapper,
) -> CrontabStore | SchtasksStore:
    """The scheduler of this operating system: schtasks on Windows, cron elsewhere."""
    if platform.startswith("win"):
        return SchtasksStore(run, write_file)
    return CrontabStore(crontab)
