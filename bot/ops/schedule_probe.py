"""Will a scheduled run find its browser and its password? Asked now, as the scheduler would ask.

cron starts a job with a bare environment: HOME, LOGNAME, USER, SHELL=/bin/sh,
PATH=/usr/bin:/bin, and nothing else. No DISPLAY and no DBUS_SESSION_BUS_ADDRESS, so the
desktop's keyring (GNOME Keyring, KWallet, both reached over D-Bus) is out of reach, and a
browser found through a longer PATH is not found. A run scheduled without knowing that fails
at 08:30 on deadline day. So `edubot schedule add` runs `edubot schedule probe` at once, with
exactly that environment plus the entry's own variables (what `env -i NAME=VALUE …` does), and
refuses the entry when the probe finds no browser or no credentials, saying how to fix it:

- the browser: the one found now goes into the entry as EDUBOT_BROWSER;
- the password: a keyring that needs no desktop session, `--keyring file`, i.e. keyrings.alt's
  file backend (PYTHON_KEYRING_BACKEND in the entry, the password stored into the same backend
  with `edubot login`). That file is readable by the officer only but not encrypted: said
  where it is offered.

On Windows the Task Scheduler starts the task as the officer, with the officer's environment
and Windows Credential Manager, so the probe runs in the current environment there.

The probe's answer is one JSON line on stdout; it never holds a secret, only where one came
from ("keyring", "environment").
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CRON_PATH = "/usr/bin:/bin"
FILE_KEYRING = "keyrings.alt.file.PlaintextKeyring"
KEYRING_VARIABLE = "PYTHON_KEYRING_BACKEND"
PROBE_TIMEOUT_S = 60

Runner = Callable[..., subprocess.CompletedProcess[str]]


def scheduler_environment(
    entry_env: Mapping[str, str],
    current: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> dict[str, str]:
    """The environment the scheduler gives the entry's run (see the module's docstring)."""
    import sys

    current = os.environ if current is None else current
    if (platform or sys.platform) == "win32":
        return {**current, **entry_env}  # the task runs as the officer, in the officer's session
    env = {"PATH": CRON_PATH, "SHELL": "/bin/sh"}
    for name in ("HOME", "LOGNAME", "USER"):
        if current.get(name):
            env[name] = current[name]
    return {**env, **entry_env}


def probe_args(edubot: Path | str, portal: str, dry_run: bool) -> list[str]:
    return [str(edubot), "schedule", "probe", portal, *(["--dry-run"] if dry_run else [])]


@dataclass(frozen=True)
class ProbeResult:
    """What the probe found in the scheduler's environment; `ran` False: it could not start."""

    ran: bool
    browser: str | None = None
    browser_executable: str | None = None
    credentials: str | None = None  # "keyring", "environment", "mock" (a dry run), or None
    keyring: str | None = None
    detail: str = ""

    @property
    def ready(self) -> bool:
        return self.ran and self.browser is not None and self.credentials is not None


def run_probe(
    edubot: Path | str,
    portal: str,
    dry_run: bool,
    env: Mapping[str, str],
    run: Runner = subprocess.run,
) -> ProbeResult:
    """Start `edubot schedule probe` with exactly `env` and read its answer."""
    try:
        done = run(
            probe_args(edubot, portal, dry_run),
            env=dict(env),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=PROBE_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return ProbeResult(ran=False, detail=f"{type(exc).__name__}: {exc}")
    answer = _last_json_line(done.stdout)
    if answer is None:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return ProbeResult(ran=False, detail=" / ".join(tail) or f"exit {done.returncode}")
    return ProbeResult(
        ran=True,
        browser=answer.get("browser"),
        browser_executable=answer.get("browser_executable"),
        credentials=answer.get("credentials"),
        keyring=answer.get("keyring"),
    )


def _last_json_line(text: str) -> dict[str, Any] | None:
    for line in reversed(text.strip().splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def probe_answer(portal: str, dry_run: bool) -> dict[str, str | None]:
    """What this process finds (the probe command prints it as JSON)."""
    from bot.browser.find import find_browser
    from bot.errors import CredentialsError
    from bot.ops.doctor import keyring_backend
    from bot.secrets import load_credentials

    choice = find_browser()
    credentials: str | None = "mock"  # a dry run logs in with the mock's own accounts
    if not dry_run:
        try:
            credentials = load_credentials(portal).source
        except CredentialsError:
            credentials = None
    return {
        "browser": choice.describe() if choice else None,
        "browser_executable": choice.executable if choice else None,
        "credentials": credentials,
        "keyring": keyring_backend(),
    }


def file_keyring_available() -> bool:
    """Whether keyrings.alt (the file backend) is installed next to edubot."""
    import importlib.util

    return importlib.util.find_spec("keyrings.alt") is not None


def fixes(result: ProbeResult, portal: str, here_browser: str | None) -> list[tuple[str, str]]:
    """(Thai, English) for each thing the scheduled run would lack, with the way out."""
    if not result.ran:
        return [
            (
                f"ตรวจในสภาพแวดล้อมของตัวตั้งเวลาไม่ได้ ({result.detail})",
                f"could not check the scheduler's environment ({result.detail})",
            )
        ]
    found: list[tuple[str, str]] = []
    if result.browser is None:
        where = f" (พบที่นี่: {here_browser})" if here_browser else ""
        found.append(
            (
                f"ตัวตั้งเวลาจะหาเบราว์เซอร์ไม่พบ (PATH={CRON_PATH}){where}: ติดตั้ง Chrome/Chromium "
                "ในที่มาตรฐาน หรือตั้ง EDUBOT_BROWSER=ที่อยู่เต็มของโปรแกรม",
                f"the scheduler will find no browser (PATH={CRON_PATH}): install Chrome or "
                "Chromium in a standard place, or set EDUBOT_BROWSER to the program's full path",
            )
        )
    if result.credentials is None:
        login = f"{KEYRING_VARIABLE}={FILE_KEYRING} edubot login {portal}"
        found.append(
            (
                "ตัวตั้งเวลาจะหารหัสผ่านไม่พบ: keyring ของเดสก์ท็อปใช้ไม่ได้เมื่อไม่มีผู้ใช้เปิดหน้าจอ "
                f"ใช้ --keyring file (ติดตั้ง keyrings.alt แล้วเก็บรหัสผ่านด้วย {login}) "
                "ไฟล์นี้อ่านได้เฉพาะท่านแต่ไม่ได้เข้ารหัส ใช้เฉพาะเครื่องที่ท่านใช้คนเดียว",
                "the scheduler will find no password: a desktop keyring is out of reach without "
                "a desktop session. Use --keyring file (install keyrings.alt: `pipx inject "
                f"edubot keyrings.alt`, then store the password with `{login}`). That file is "
                "readable by you only but NOT encrypted: use it only on a machine no one else "
                "administers",
            )
        )
    return found
