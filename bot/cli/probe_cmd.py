"""`edubot probe`: prove a flow against the live portal without changing anything there.

Exit codes as `run`: 0 when every step found what it needs, 1 when one did not (or the guard
had to stop a request), 2 for a bad flow, data file or command line.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot import console
from bot.cli.shared import (
    AccountOpt,
    DataOpt,
    FlowArg,
    HeadedOpt,
    VarOpt,
    drop_if_empty,
    fail,
    need_display,
    parse_vars,
    run_dir_named,
)
from bot.errors import EdubotError
from bot.i18n import say
from bot.log import configure

if TYPE_CHECKING:  # the probe's modules load with the command, not with the CLI's --help
    from bot.probe.session import ProbeOptions, ProbeResult


def probe(
    flow: FlowArg,
    data: DataOpt = None,
    org: Annotated[
        str | None,
        typer.Option("--org", help="The organisation to choose at login (its code or name)"),
    ] = None,
    var: VarOpt = [],  # noqa: B006
    account: AccountOpt = None,
    capture: Annotated[
        Path | None,
        typer.Option(
            "--capture",
            help="Keep every page visited, children's data replaced (HTML + masked screenshot),"
            " to send to whoever maintains the flows",
        ),
    ] = None,
    run_dir: Annotated[Path | None, typer.Option("--run-dir", help="Where probe.html goes")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Probe edubot's mock portal instead")
    ] = False,
    headed: HeadedOpt = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Walk a flow on the portal and say, step by step, what it would use; nothing is saved.

    Only the login is sent; every field is found but not filled, a save or confirm button is
    found but not pressed, and any other request is stopped.

    Example: edubot probe flows/lec/students.yaml --data children.xlsx --capture pages
    """
    from bot.probe.report import exit_code
    from bot.probe.session import ProbeOptions

    need_display(headed)
    directory = run_dir or run_dir_named("probe-%Y%m%d-%H%M%S")
    existed = directory.exists()
    configure(verbose=verbose, log_file=directory / "edubot.log")
    variables = parse_vars(var)
    if org is not None:
        variables["org"] = org
    options = ProbeOptions(
        flow_path=flow,
        data_path=data,
        variables=variables,
        account=account,
        capture_dir=capture,
        run_dir=directory,
        headless=not headed,
        dry_run=dry_run,
    )
    try:
        result = probe_and_say(options)
    except EdubotError as exc:
        if not existed:
            drop_if_empty(directory)  # refused before the portal: no run folder left behind
        raise fail(exc) from None
    raise typer.Exit(exit_code(result))


def probe_and_say(options: ProbeOptions) -> ProbeResult:
    """Probe as `options` say, print the report's lines and write probe.html in its run folder;
    `edubot record` probes the flow it wrote through here too. EdubotError before the portal."""
    from bot.probe.memory import remember
    from bot.probe.report import terminal_lines, write_html
    from bot.probe.session import prepare_probe, run_probe

    result = run_probe(prepare_probe(options))
    for line in terminal_lines(result):
        console.print_line(line)
    page = write_html(result, options.run_dir)
    console.print_line(f"{say('รายงาน', 'report')}: {page}")
    if options.capture_dir is not None:
        console.print_line(f"{say('หน้าที่เก็บไว้', 'captured pages')}: {options.capture_dir}")
    if not options.dry_run:
        remember(result.flow.portal, result.flow.name, result.passed, result.page_hashes,
                 datetime.now())  # fmt: skip
    return result
