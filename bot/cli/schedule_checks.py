"""`edubot schedule probe|test`, and the proof `schedule add` asks for before it installs an entry
(bot/ops/schedule_probe.py says why: the scheduler's environment is not the officer's).

`register(schedule_app, scheduler)` adds the two commands; `scheduler` returns the store
(crontab or Task Scheduler) the other schedule commands use, so tests swap one for all.
"""

from __future__ import annotations

import json
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from bot import console
from bot.errors import EdubotError, ExitCode
from bot.i18n import say

TEST_TIMEOUT_S = 900


def register(schedule_app: typer.Typer, scheduler: Callable[[], Any]) -> None:
    schedule_app.command("probe", hidden=True)(schedule_probe)

    @schedule_app.command("test")
    def schedule_test(
        entry_id: Annotated[str, typer.Argument(help="The entry's id, as `schedule list` shows")],
    ) -> None:
        """Fire a scheduled entry now, as the scheduler would (its bare environment), but as a
        rehearsal on the mock portal; first check it will find its browser and password.

        Example: edubot schedule test lec-2569-2-school_entry
        """
        fire_entry_now(scheduler(), entry_id)


def schedule_probe(
    portal: Annotated[str, typer.Argument(help="lec or esar")],
    dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
) -> None:
    """Print, as one JSON line, the browser and the credentials this environment finds."""
    from bot.ops.schedule_probe import probe_answer

    answer = probe_answer(portal, dry_run)
    print(json.dumps(answer))
    ready = answer["browser"] is not None and answer["credentials"] is not None
    raise typer.Exit(0 if ready else 1)


def keyring_variables(keyring: str | None) -> dict[str, str]:
    """The entry's variables for `--keyring`: `file` is keyrings.alt's file backend."""
    from bot.errors import ConfigError
    from bot.ops.schedule_probe import FILE_KEYRING, KEYRING_VARIABLE, file_keyring_available

    if keyring is None:
        return {}
    if keyring != "file":
        raise ConfigError(f"--keyring takes `file`, not {keyring!r}.")
    if not file_keyring_available():
        raise ConfigError(
            say(
                "--keyring file ต้องติดตั้ง keyrings.alt ก่อน (`pipx inject edubot keyrings.alt`)",
                "--keyring file needs keyrings.alt: `pipx inject edubot keyrings.alt` (in a "
                "checkout: .venv/bin/pip install keyrings.alt).",
            )
        )
    console.print_line(
        say(
            "คำเตือน: --keyring file เก็บรหัสผ่านในไฟล์ที่อ่านได้เฉพาะท่าน แต่ไม่ได้เข้ารหัส",
            "warning: --keyring file keeps the password in a file only you can read, but it "
            "is NOT encrypted: anyone who administers this machine or its backups can read it",
        )
    )
    return {KEYRING_VARIABLE: FILE_KEYRING}


def proven_environment(
    edubot: Path | str, portal: str, dry_run: bool, own: dict[str, str], url: dict[str, str]
) -> dict[str, str]:
    """The entry's own variables (`own`, maybe with EDUBOT_BROWSER added) once the probe, in the
    scheduler's environment with `own` and `url` set, finds a browser and the credentials.

    Raises ConfigError with the fixes when it does not; a probe that cannot start at all (the
    program is missing) is said as a warning: the check is then left to `schedule test`.
    """
    from bot.browser.find import find_browser
    from bot.errors import ConfigError
    from bot.ops.schedule_probe import fixes, run_probe, scheduler_environment

    result = run_probe(edubot, portal, dry_run, scheduler_environment({**own, **url}))
    here = find_browser()
    if result.ran and result.browser is None and here is not None and here.executable:
        own = {**own, "EDUBOT_BROWSER": here.executable}  # what this window finds, by its path
        result = run_probe(edubot, portal, dry_run, scheduler_environment({**own, **url}))
    problems = fixes(result, portal, here.executable if here else None)
    if not result.ran:
        for th, en in problems:
            console.print_line(say(f"คำเตือน: {th}", f"warning: {en}"))
        return own
    if problems:
        thai = "; ".join(th for th, _ in problems)
        english = "; ".join(en for _, en in problems)
        raise ConfigError(
            say(
                f"การตั้งเวลานี้จะทำงานไม่สำเร็จ: {thai}",
                f"this scheduled run would fail: {english}.",
            )
        )
    return own


def fire_entry_now(store: Any, entry_id: str) -> None:
    """Run the entry's own command now, in the scheduler's environment, with --dry-run: cron's
    bare one, or on Windows this session's (the task runs as the officer) with the wrapper's
    variables."""
    from bot.ops.schedule_probe import run_probe, scheduler_environment

    try:
        found = _entry_command(store, entry_id)
    except EdubotError as exc:
        _refuse(f"อ่านงานที่ตั้งเวลาไว้ไม่ได้: {exc}", f"cannot read the scheduled entry: {exc}")
    if found is None:
        _refuse(
            f"ไม่พบการตั้งเวลา {entry_id!r} ดูรายการด้วย edubot schedule list",
            f"no scheduled run {entry_id!r}; see `edubot schedule list`",
        )
    env, args = found
    try:
        portal = _portal_of(args)
    except EdubotError as exc:
        _refuse(f"โฟลว์ของการตั้งเวลานี้ใช้ไม่ได้: {exc}", f"this entry's flow cannot be used: {exc}")
    real = run_probe(args[0], portal, "--dry-run" in args, scheduler_environment(env))
    console.print_line(
        say(
            f"ในสภาพแวดล้อมของตัวตั้งเวลา: เบราว์เซอร์ {real.browser or 'ไม่พบ'} · "
            f"รหัสผ่าน {real.credentials or 'ไม่พบ'}",
            f"in the scheduler's environment: browser {real.browser or 'NOT FOUND'}; "
            f"password {real.credentials or 'NOT FOUND'}",
        )
    )
    rehearsal = rehearsal_args(args)
    rehearsal_env = {k: v for k, v in env.items() if not k.endswith("_URL")}  # the mock, always
    title = say("ซ้อมกับระบบจำลอง:", "rehearsing on the mock:")
    console.print_line(f"{title} {shlex.join(rehearsal)}")
    done = subprocess.run(
        rehearsal, env=scheduler_environment(rehearsal_env), timeout=TEST_TIMEOUT_S, check=False
    )
    ok = done.returncode == 0 and real.ready
    console.print_line(
        say(
            f"ผลการทดสอบ: {'พร้อม' if ok else 'ยังไม่พร้อม'} (รหัสจบ {done.returncode})",
            f"test {'passed' if ok else 'FAILED'} (exit {done.returncode})",
        )
    )
    raise typer.Exit(0 if ok else 1)


def _entry_command(store: Any, entry_id: str) -> tuple[dict[str, str], list[str]] | None:
    """(variables, `edubot run` words) of the entry: its cron line, or its Windows wrapper."""
    from bot.ops.schedule import CrontabStore

    if isinstance(store, CrontabStore):
        job = next((j for j in store.list() if j.id == entry_id), None)
        return command_of(job.line) if job else None
    found: tuple[dict[str, str], list[str]] | None = store.command(entry_id)
    return found


def command_of(line: str) -> tuple[dict[str, str], list[str]]:
    """(the variables it sets, `edubot run …` words) of one of edubot's cron lines."""
    words = shlex.split(line.replace("\\%", "%"), comments=True)
    run = words.index("run")
    start = run - 1
    env: dict[str, str] = {}
    for word in reversed(words[:start]):
        name, sep, value = word.partition("=")
        if not sep or not name.isidentifier():
            break
        env[name] = value
    end = words.index(">>") if ">>" in words else len(words)
    return env, words[start:end]


def rehearsal_args(args: list[str]) -> list[str]:
    """The entry's own `edubot run` words with a run folder of its own and --dry-run."""
    out = list(args)
    if "--run-dir" in out:
        at = out.index("--run-dir") + 1
        out[at] = str(Path(out[at]).with_name(Path(out[at]).name + "-test"))
    return out if "--dry-run" in out else [*out, "--dry-run"]


def _portal_of(args: list[str]) -> str:
    from bot.flow.loader import load_flow

    return load_flow(args[2]).portal


def _refuse(th: str, en: str) -> NoReturn:
    console.print_error(say(th, en))
    raise typer.Exit(int(ExitCode.BAD_INPUT))
