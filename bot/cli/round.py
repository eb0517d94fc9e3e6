"""`edubot round` and `edubot status`: a whole LEC round from its plan, and where it stands."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from bot import console
from bot.cli.shared import (
    HeadedOpt,
    ask_before_guarded_steps,
    drop_if_empty,
    fail,
    need_display,
    run_dir_named,
)
from bot.config import DEFAULT_CONFIG_DIR
from bot.engine.options import RunOptions
from bot.engine.pipeline import current_term, execute, prepare, target_identity
from bot.engine.round import ROUND_MOCK_STATE, load_plan, prepare_round, run_round
from bot.errors import EdubotError, PortalError
from bot.log import configure
from bot.ops.calendar_file import load_deadlines
from bot.portals.lec.status import (
    build_status,
    days_to_close,
    file_counts,
    lgo_options,
    verified_counts,
)


def round_command(
    plan: Annotated[Path, typer.Argument(help="Round plan (YAML): the flows, in order")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Rehearse against the mock")] = False,
    confirm: Annotated[
        bool, typer.Option("--confirm", help="Go on through confirmation steps (irreversible)")
    ] = False,
    run_dir: Annotated[Path | None, typer.Option("--run-dir", help="Reports go here")] = None,
    headed: HeadedOpt = False,
    non_interactive: Annotated[bool, typer.Option("--non-interactive")] = False,
) -> None:
    """Run a whole LEC round: basic data, children, verification, confirmations, in order.

    Every step is checked before the first runs. Without --confirm the round stops before the
    first irreversible step.

    Example: edubot round demo-run/round/round.yaml --dry-run --confirm
    """
    code = run_plan(
        plan,
        dry_run=dry_run,
        confirm=confirm,
        run_dir=run_dir,
        headed=headed,
        non_interactive=non_interactive,
    )
    raise typer.Exit(code)


def run_plan(
    plan: Path,
    *,
    dry_run: bool,
    confirm: bool,
    run_dir: Path | None,
    headed: bool,
    non_interactive: bool,
) -> int:
    """Check every step of the round, run them in order, show how each went; the exit code
    (1 when a step failed). A refusal leaves through `typer.Exit` with its own code."""
    need_display(headed)
    directory = run_dir or run_dir_named("round-%Y%m%d-%H%M%S")
    existed = directory.exists()
    configure(log_file=directory / "edubot.log")
    base = RunOptions(
        flow_path=plan,
        data_path=None,
        dry_run=dry_run,
        confirm=confirm,
        headless=not headed,
        mock_state=ROUND_MOCK_STATE,  # only an in-process mock has a state of its own
    )
    try:
        round_plan, steps = prepare_round(plan, base)
        if confirm and not non_interactive:
            for planned in steps:
                ask_before_guarded_steps(planned.prepared)
        outcomes = run_round(
            round_plan, steps, base, directory, lambda planned: console.ProgressListener()
        )
    except EdubotError as exc:
        if not existed:
            drop_if_empty(directory)
        raise fail(exc) from None
    console.print_round(round_plan.name, outcomes, len(steps))
    failed = any(o.report is not None and o.report.exit_code() for o in outcomes)
    return 1 if failed else 0


def status(
    plan: Annotated[Path, typer.Argument(help="Round plan (YAML), as for `edubot round`")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Read the mock portal")] = False,
    today: Annotated[
        str | None, typer.Option("--today", help="YYYY-MM-DD, to count days from")
    ] = None,
) -> None:
    """Where the round stands: per school, children in the file and on the portal, verified,
    confirmed; the LGO level; days left before LEC closes. Changes nothing.

    Example: edubot status demo-run/round/round.yaml --dry-run
    """
    day = date.fromisoformat(today) if today else date.today()
    directory = run_dir_named("status-%Y%m%d-%H%M%S")
    configure(log_file=directory / "edubot.log")
    try:
        round_plan = load_plan(plan)
        folder = plan.resolve().parent
        base = RunOptions(
            flow_path=plan, data_path=None, dry_run=dry_run, mock_state=ROUND_MOCK_STATE
        )
        options = lgo_options(round_plan, base)
        report = execute(prepare(options), console.QuietListener(), directory)
        if report.aborted:
            raise PortalError(report.aborted)
        closes, days_left = days_to_close(
            load_deadlines(DEFAULT_CONFIG_DIR / "deadlines.yaml"), day
        )
        result = build_status(
            report.extracted,
            file_counts(round_plan, folder),
            verified_counts(
                round_plan,
                folder,
                target_identity(options, "lec"),
                current_term(DEFAULT_CONFIG_DIR),  # as the runs named it, whatever --today says
            ),
            closes,
            days_left,
        )
    except EdubotError as exc:
        raise fail(exc) from None
    finally:
        drop_if_empty(directory)  # status changes nothing; a failed one keeps its evidence
    console.print_status(round_plan.name, result)
