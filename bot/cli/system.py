"""What the commands reach outside the process for: the clock, the system's scheduler, the
web browser that opens a report, the machine the doctor examines, the terminal that answers
purge's question, the installed `edubot` program.

Commands call these through this module (`system.clock()`), so that tests replace them in one
place with `monkeypatch.setattr(system, "clock", …)`.
"""

from __future__ import annotations

import shutil
import sys
import webbrowser
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.errors import ConfigError
from bot.ops.doctor import Probes
from bot.ops.schedule import CrontabStore, SchtasksStore, scheduler_for

scheduler_factory: Callable[[], CrontabStore | SchtasksStore] = scheduler_for
clock: Callable[[], datetime] = datetime.now
open_in_browser: Callable[[str], bool] = webbrowser.open
doctor_probes: Callable[[], Probes] = Probes


def stdin_is_terminal() -> bool:
    """Whether someone at a terminal can answer a question."""
    return sys.stdin.isatty()


def find_edubot() -> Path:
    """The `edubot` program of this installation, for the scheduler to start."""
    scripts = Path(sys.executable).parent  # the venv's bin/ or Scripts/; not resolved on purpose
    for name in ("edubot", "edubot.exe"):
        if (scripts / name).is_file():
            return scripts / name
    found = shutil.which("edubot")
    if found:
        return Path(found).absolute()
    raise ConfigError(
        "Cannot find the edubot program to schedule; install edubot (make demo) and retry."
    )
