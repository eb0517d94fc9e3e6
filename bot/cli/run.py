"""`edubot run`, `edubot check` and `edubot template`: a flow over a data file, checked first.

A run checks the flow and every row before its browser starts: a run refused for its data
never opens a page, nor starts Chrome.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from bot import console
from bot.cli.shared import (
    AccountOpt,
    DataOpt,
    FlowArg,
    HeadedOpt,
    OverwriteOpt,
    VarOpt,
    ask_before_guarded_steps,
    drop_if_empty,
    fail,
    need_display,
    new_file,
    parse_vars,
    run_dir_named,
)
from bot.config import load_settings
from bot.data.annotate import write_annotated_copy
from bot.data.errors import RuleError
from bot.data.template import write_student_template
from bot.engine.options import RunOptions
from bot.engine.pipeline import Prepared, execute, guarded_steps, prepare
from bot.errors import DataError, EdubotError, ExitCode
from bot.flow.checks import guard_warnings
from bot.i18n import say
from bot.log import configure
from bot.ops import notify as notices
from bot.ops.notify import FailureSummary, NotifySettings
from bot.portals.esar.template import write_sar_template
from bot.secrets import Secret


def run(
    flow: FlowArg,
    data: DataOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Run against local mock portals")
    ] = False,
    confirm: Annotated[
        bool, typer.Option("--confirm", help="Allow irreversible steps (confirm, submit)")
    ] = False,
    run_dir: Annotated[
        Path | None, typer.Option("--run-dir", help="Where report.json goes")
    ] = None,
    var: VarOpt = [],  # noqa: B006
    account: AccountOpt = None,
    headed: HeadedOpt = False,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Start over: forget what earlier runs verified")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Logged-in contexts in one browser sharing the records. They help most while"
            " pages are slow to answer; on a 2-core machine the CPU limits them.",
        ),
    ] = None,
    non_interactive: Annotated[
        bool,
        typer.Option(
            "--non-interactive", help="Never ask (scheduled runs); --confirm still needed"
        ),
    ] = False,
    accept_portal_extras: Annotated[
        bool,
        typer.Option(
            "--accept-portal-extras",
            help="Confirm although the portal holds children the file lacks (checked by hand)",
        ),
    ] = False,
    full_screenshots: Annotated[
        bool,
        typer.Option(
            "--full-screenshots",
            help="Also keep each screenshot unmasked (NAME-full.png, owner-only, not in"
            " report.html); shared screenshots always mask children's data",
        ),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Run a flow over a data file; a re-run continues where the last one stopped.

    Example: edubot run flows/lec/students.yaml --data children.xlsx --dry-run
    """
    need_display(headed)
    directory = run_dir or run_dir_named("%Y%m%d-%H%M%S")
    existed = directory.exists()
    configure(verbose=verbose, log_file=directory / "edubot.log")
    options = RunOptions(
        flow_path=flow,
        data_path=data,
        dry_run=dry_run,
        confirm=confirm,
        run_dir=directory,
        variables=parse_vars(var),
        headless=not headed,
        fresh=fresh,
        workers=workers,
        accept_portal_extras=accept_portal_extras,
        full_screenshots=full_screenshots,
        account=account,
    )
    try:
        prepared = prepare(options)
        if prepared.warnings:  # as `check` shows them (e.g. optional columns left out)
            console.print_problems(prepared.warnings, say("คำเตือน", "warnings"))
        if not non_interactive:
            ask_before_guarded_steps(prepared)
        report = execute(prepared, console.ProgressListener(), directory)
    except EdubotError as exc:
        if non_interactive:
            notify(f"{flow}: {exc}", directory)
        if not existed:
            drop_if_empty(directory)
        raise fail(exc) from None
    path = report.write()
    summary = report.as_dict()
    console.print_summary(summary, path)
    if non_interactive and report.exit_code():
        notify(summary, directory)
    raise typer.Exit(report.exit_code())


def notify(what: dict[str, object] | str, directory: Path) -> None:
    """A scheduled run that failed leaves a notice the officer will see (desktop, e-mail)."""
    config = load_settings().notify
    password = os.environ.get("EDUBOT_SMTP_PASSWORD")
    settings = NotifySettings(
        **config.model_dump(),
        smtp_password=Secret(password, "smtp.password") if password else None,
    )
    summary = FailureSummary.from_report(what, directory) if isinstance(what, dict) else what
    notices.notify_failure(summary, settings)  # through the module: tests replace it there


def check(
    flow: FlowArg,
    data: DataOpt = None,
    annotated: Annotated[
        Path | None, typer.Option("--annotated", help="Where to write the marked-up copy")
    ] = None,
    show_personal_data: Annotated[
        bool,
        typer.Option("--show-personal-data", help="Show IDs and names in full (masked by default)"),
    ] = False,
    var: VarOpt = [],  # noqa: B006
) -> None:
    """Check a flow and its data without opening a browser; nothing is sent.

    Example: edubot check flows/lec/students.yaml --data children.xlsx
    """
    options = RunOptions(
        flow_path=flow,
        data_path=data,
        show_personal=show_personal_data,
        variables=parse_vars(var),
    )
    try:
        prepared = prepare(options, only_checking=True)
    except DataError as exc:
        if data is None or not _at_cells(exc.problems):
            raise fail(exc) from None
        target = annotated or annotated_name(data)
        copied = _try_annotated_copy(data, list(exc.problems), target)
        console.print_problems(exc.problems, say("ข้อมูลที่ต้องแก้ไข", "problems to fix"))
        console.print_error(f"{exc}\n{copied}")
        raise typer.Exit(int(ExitCode.BAD_INPUT)) from None
    except EdubotError as exc:
        raise fail(exc) from None
    if prepared.warnings:
        console.print_problems(prepared.warnings, say("คำเตือน", "warnings"))
    _say_guarded_steps(prepared)
    ready = len(prepared.records)
    if prepared.flow.input is not None and not ready:
        console.err.print(
            say(
                f"คำเตือน: ไม่พบรายการใดใน {data} (มีแต่หัวตาราง?) — กรอกข้อมูลใต้แถวหัวตารางแล้วตรวจอีกครั้ง",
                f"warning: {data} holds no records (only the header row?); fill in the rows under "
                "the header and check again",
            ),
            markup=False,
            style="yellow",
        )
    console.print_line(
        f"OK: {prepared.flow.name}, "
        + say(
            f"{ready} รายการ ตรวจแล้ว พร้อมส่ง (ยังไม่ได้ส่งอะไร)",
            f"{ready} record(s) ready; nothing was sent",
        )
    )


def annotated_name(data: Path) -> Path:
    """`children-ตรวจสอบ.xlsx`; `children.csv` gets `children-csv-ตรวจสอบ.xlsx`, so that two
    inputs of one name never write over each other's marked-up copy."""
    kind = data.suffix.lower().lstrip(".")
    tag = "" if kind == "xlsx" else f"-{kind or 'file'}"
    return data.with_name(f"{data.stem}{tag}-ตรวจสอบ.xlsx")


def _at_cells(problems: tuple[object, ...]) -> bool:
    """Whether a marked-up copy would show anything: some problem sits at a row of the file
    (a file that cannot be read at all has nothing to mark, and may not be copyable)."""
    return any(getattr(p, "row", None) is not None for p in problems)


def _try_annotated_copy(data: Path, problems: list[Any], target: Path) -> str:
    """Write the marked-up copy; a copy that cannot be written is said, not an internal error."""
    try:
        write_annotated_copy(data, problems, target)
    except (RuleError, OSError) as error:
        return say(
            f"เขียนไฟล์ที่ทำเครื่องหมายไม่ได้ ({target}): {error}",
            f"no marked-up copy could be written to {target}: {error}",
        )
    return f"{say('ไฟล์ที่ทำเครื่องหมายแล้ว', 'marked-up copy')}: {target}"


def _say_guarded_steps(prepared: Prepared) -> None:
    """What `check` tells of irreversible steps: where they are, and any guard that judges by
    absence in front of one (it would pass by itself on a changed page)."""
    guarded = guarded_steps(prepared.flow)
    if not guarded:
        return
    lines = ", ".join(str(s.line) for s in guarded)
    console.print_line(
        say(
            f"มีขั้นตอนที่ย้อนกลับไม่ได้ (บรรทัด {lines}): ในระบบจริงจะทำเมื่อสั่งด้วย --confirm เท่านั้น",
            f"irreversible steps (lines {lines}): on a real portal they run only with --confirm",
        )
    )
    for warning in guard_warnings(prepared.flow):
        console.err.print(str(warning), markup=False, style="yellow")


def template_students(
    file: Annotated[Path, typer.Argument(help="Where to write the .xlsx template")],
    overwrite: OverwriteOpt = False,
) -> None:
    """Write the students template (Thai headers, drop-down lists).

    Example: edubot template students children.xlsx
    """
    new_file(file, overwrite)
    write_student_template(file)
    console.print_line(_template_written(file))


def template_sar(
    file: Annotated[Path, typer.Argument(help="Where to write the .xlsx manifest template")],
    overwrite: OverwriteOpt = False,
) -> None:
    """Write the SAR manifest template: one row per school, year and level, with its PDF.

    Example: edubot template sar sar-2568.xlsx
    """
    new_file(file, overwrite)
    write_sar_template(file)
    console.print_line(_template_written(file))


def _template_written(file: Path) -> str:
    return f"{say('เขียนแม่แบบแล้ว', 'template written')}: {file}"
