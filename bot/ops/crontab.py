"""The user's crontab, through the `crontab` program (bot/ops/schedule.py uses it).

A machine without that program (a minimal Linux, a container, cron never installed) is said
as such, with the way to install it, instead of a FileNotFoundError.
"""

from __future__ import annotations

import subprocess
from typing import Protocol

from bot.errors import ConfigError
from bot.i18n import say


class CrontabIO(Protocol):
    """Reads and replaces the user's whole crontab."""

    def read(self) -> str:
        """The current crontab text; empty when the user has none."""
        ...

    def write(self, text: str) -> None:
        """Replace the crontab with `text`."""
        ...


class SystemCrontab:
    """The real `crontab` command of the current user."""

    def read(self) -> str:
        """`crontab -l`, treating 'no crontab for user' as empty."""
        done = _crontab(["crontab", "-l"])
        if done.returncode != 0:
            if "no crontab" in done.stderr:
                return ""
            raise ConfigError(f"Cannot read the crontab: {done.stderr.strip()}")
        return done.stdout

    def write(self, text: str) -> None:
        """`crontab -` with the new text."""
        done = _crontab(["crontab", "-"], text)
        if done.returncode != 0:
            raise ConfigError(f"Cannot write the crontab: {done.stderr.strip()}")


class NoCrontab(ConfigError):
    """This machine has no `crontab` program (a minimal Linux, a container)."""


def no_crontab(by_hand: str = "") -> str:
    """The refusal when this machine has no `crontab`; `by_hand` is the line to add yourself."""
    if by_hand:
        return (
            say(
                "ไม่พบโปรแกรม crontab ในเครื่องนี้ ติดตั้งด้วย sudo apt install cron "
                "หรือเพิ่มบรรทัดนี้เองด้วย crontab -e",
                "This machine has no `crontab` program; install cron (sudo apt install cron), "
                "or add this line by hand with `crontab -e`",
            )
            + f":\n{by_hand}"
        )
    return say(
        "ไม่พบโปรแกรม crontab ในเครื่องนี้ (ติดตั้งด้วย sudo apt install cron)",
        "This machine has no `crontab` program; install cron (sudo apt install cron).",
    )


def _crontab(args: list[str], text: str | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(args, input=text, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise NoCrontab(no_crontab()) from None
