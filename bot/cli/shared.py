"""What every command shares: the options typed the same way everywhere, and the one way a
refusal becomes an exit code (`fail`, `refuse`). Command modules import this; it imports none
of them.
"""

from __future__ import annotations

import contextlib
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from bot import console
from bot.data.inputs import require_display, require_new_file
from bot.engine.pipeline import Prepared, guarded_steps
from bot.errors import DataError, EdubotError, ExitCode, SafetyError
from bot.i18n import say
from bot.log import configure
from bot.paths import default_runs_dir

BAD_INPUT = int(ExitCode.BAD_INPUT)

FlowArg = Annotated[
    Path,
    typer.Argument(help="A flow's name (lec/students: `edubot flows list`) or its file's path"),
]
DataOpt = Annotated[Path | None, typer.Option("--data", help="Data file (xlsx or csv)")]
VarOpt = Annotated[list[str], typer.Option("--var", help="NAME=VALUE for ${config.NAME}")]
AccountOpt = Annotated[
    str | None,
    typer.Option(
        "--account",
        help="Log in as this user (e.g. lgo); its password: the keyring or"
        " EDUBOT_LEC_PASSWORD_<ACCOUNT>. A dry run uses the mock's account of that name",
    ),
]
HeadedOpt = Annotated[bool, typer.Option("--headed", help="Show the browser window")]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Config folder (default: edubot's own with your overrides: `edubot config path`)",
    ),
]
OverwriteOpt = Annotated[
    bool, typer.Option("--overwrite", help="Replace a file that is already there")
]


def fail(exc: EdubotError) -> typer.Exit:
    """Show a refusal (and the rows to fix, if any); the exit to raise with its code."""
    if isinstance(exc, DataError) and exc.problems:
        console.print_problems(exc.problems, say("ข้อมูลที่ต้องแก้ไข", "problems to fix"))
    console.print_error(str(exc))
    return typer.Exit(int(exc.exit_code))


def refuse(th: str, en: str) -> typer.Exit:
    """Show a refusal of the command line itself; the exit to raise (bad input, 2)."""
    console.print_error(say(th, en))
    return typer.Exit(BAD_INPUT)


def parse_vars(pairs: list[str]) -> dict[str, str]:
    """`--var NAME=VALUE` pairs as a mapping."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise typer.BadParameter(f"--var takes NAME=VALUE, got {pair!r}")
        out[name.strip()] = value
    return out


def need_display(headed: bool) -> None:
    """A window needs a screen: refused before anything starts."""
    try:
        require_display(headed)
    except EdubotError as exc:
        raise fail(exc) from None


def new_file(file: Path, overwrite: bool) -> None:
    """A file about to be written: its folder exists, and an existing one needs --overwrite."""
    try:
        require_new_file(file, overwrite)
    except EdubotError as exc:
        raise fail(exc) from None


def run_dir_named(pattern: str) -> Path:
    """A new run folder under edubot's runs, named by the time now (`pattern`: strftime)."""
    return default_runs_dir() / datetime.now().strftime(pattern)


def drop_if_empty(directory: Path) -> None:
    """Remove a run folder that holds nothing but an empty log (a run refused before it began,
    a status that found nothing to keep): it would count as the latest run for `purge`."""
    configure()  # close the log file first (Windows cannot remove an open file)
    log = directory / "edubot.log"
    with contextlib.suppress(OSError):
        if log.is_file() and log.stat().st_size == 0:
            log.unlink()
        directory.rmdir()  # only if nothing else is in it


def ask_before_guarded_steps(prepared: Prepared) -> None:
    """On a real portal and a terminal, ask once more before irreversible steps may run."""
    guarded = guarded_steps(prepared.flow)
    if not guarded or prepared.options.dry_run or not sys.stdin.isatty():
        return
    steps = "; ".join(f"{s.describe()} (line {s.line})" for s in guarded)
    question = say(
        f"ขั้นตอนต่อไปนี้ย้อนกลับไม่ได้: {steps}. ดำเนินการต่อในระบบจริงหรือไม่?",
        f"These steps are irreversible: {steps}. Go ahead on the real portal?",
        both=f"ขั้นตอนต่อไปนี้ย้อนกลับไม่ได้ (irreversible): {steps}. "
        "ดำเนินการต่อในระบบจริงหรือไม่? (go ahead on the real portal?)",
    )
    if not typer.confirm(question, default=False):
        raise SafetyError(
            say(
                "หยุดก่อนขั้นตอนที่ย้อนกลับไม่ได้ตามที่สั่ง ยังไม่ได้ส่งอะไร",
                "Stopped before any irreversible step, as asked. Nothing was sent.",
            )
        )
