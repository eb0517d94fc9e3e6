"""`edubot purge`: the officer's command for removing what runs left about children.

It asks before removing anything, and only someone at a terminal can answer
(`system.stdin_is_terminal`, which tests replace).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot import console
from bot.cli import system
from bot.cli.shared import fail
from bot.errors import ExitCode
from bot.i18n import say
from bot.ops.purge import PurgeRefused, check_run_dir, describe, latest_run, purge, runs_in
from bot.paths import data_dir, default_runs_dir


def _targets(run_dir: Path | None, every: bool) -> list[Path]:
    if every and run_dir is not None:
        raise PurgeRefused("Give a run directory or --all, not both. Nothing was removed.")
    if every:
        return runs_in(default_runs_dir())
    if run_dir is not None:
        return [check_run_dir(run_dir, data_dir())]
    latest = latest_run(default_runs_dir())
    return [] if latest is None else [latest]


def _confirmed(question: str, yes: bool) -> bool:
    if yes:
        return True
    if not system.stdin_is_terminal():
        raise PurgeRefused(
            "purge asks before it removes anything, and this is not a terminal; "
            "add --yes to purge without asking. Nothing was removed."
        )
    return typer.confirm(question, default=False)


def purge_command(
    run_dir: Annotated[
        Path | None, typer.Argument(help="A run directory (default: the latest run)")
    ] = None,
    every: Annotated[
        bool,
        typer.Option(
            "--all", help="Every run, the journal's entries, mock state, killed runs' leftovers"
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
) -> None:
    """Remove a run's report, log, screenshots and traces (personal data) from this machine.

    Example: edubot purge --all --yes
    """
    try:
        targets = _targets(run_dir, every)
        if not targets and not every:
            console.print_line(say("ไม่มีผลการรันให้ลบ", "nothing to purge: no runs yet"))
            return
        what = "every run, the journal's entries and the mock state" if every else str(targets[0])
        if not _confirmed(say(f"ลบ {what}?", f"remove {what}?"), yes):
            console.print_line(say("ยกเลิก ไม่ได้ลบอะไร", "cancelled; nothing was removed"))
            raise typer.Exit(int(ExitCode.DONE))
        result = purge(targets, data_dir=data_dir(), everything=every)
    except PurgeRefused as exc:
        raise fail(exc) from None
    console.print_line(describe(result))
