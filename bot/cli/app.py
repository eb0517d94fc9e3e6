"""The `edubot` command: thin Typer commands that call the library and map errors to exit codes."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from bot import console
from bot.errors import DataError, EdubotError, ExitCode, PortalError, SafetyError
from bot.log import configure

if TYPE_CHECKING:
    from bot.engine.pipeline import Prepared


class _LangAnywhere(TyperGroup):
    """The one `--lang`, declared on the app, is taken wherever the officer types it:
    `edubot --lang th deadlines` and `edubot deadlines --lang th` mean the same."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer's own click Context
        return super().parse_args(ctx, lang_first(args))


def lang_first(args: list[str]) -> list[str]:
    """`args` with every `--lang X` / `--lang=X` moved before the command (up to a `--`)."""
    end = args.index("--") if "--" in args else len(args)
    head, rest, moved = args[:end], args[end:], []
    kept: list[str] = []
    index = 0
    while index < len(head):
        arg = head[index]
        if arg == "--lang" and index + 1 < len(head):
            moved += head[index : index + 2]
            index += 2
            continue
        if arg.startswith("--lang="):
            moved.append(arg)
        else:
            kept.append(arg)
        index += 1
    return moved + kept + rest


app = typer.Typer(
    cls=_LangAnywhere,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a local may hold a password
    add_completion=False,
    help="edubot — กรอกข้อมูล LEC และส่ง SAR ให้อัตโนมัติ (LEC records and e-SAR uploads, automated).",
)


@app.callback()
def _setup(
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="th or en, before or after the command; default: EDUBOT_LANG, else Thai on a"
            " Thai locale, else both",
        ),
    ] = None,
) -> None:
    """edubot — LEC records and e-SAR uploads for Thai local-government education officers."""
    os.umask(0o077)  # everything edubot creates (runs, logs, journal) is the officer's alone
    from bot import i18n

    if lang is not None and lang not in ("th", "en"):
        raise typer.BadParameter("--lang is th or en")
    i18n.use(lang)  # None: back to EDUBOT_LANG / the locale (each command starts afresh)


mock_app = typer.Typer(no_args_is_help=True, help="Mock portals for rehearsal and tests.")
template_app = typer.Typer(no_args_is_help=True, help="Write input templates (Thai headers).")
app.add_typer(mock_app, name="mock")
app.add_typer(template_app, name="template")

FlowArg = Annotated[Path, typer.Argument(help="Flow file, e.g. flows/lec/students.yaml")]
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


def _parse_vars(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise typer.BadParameter(f"--var takes NAME=VALUE, got {pair!r}")
        out[name.strip()] = value
    return out


def _ask_before_guarded_steps(prepared: Prepared) -> None:
    """On a real portal and a terminal, ask once more before irreversible steps may run."""
    from bot.engine.pipeline import guarded_steps

    guarded = guarded_steps(prepared.flow)
    if not guarded or prepared.options.dry_run or not sys.stdin.isatty():
        return
    steps = "; ".join(f"{s.describe()} (line {s.line})" for s in guarded)
    question = (
        f"ขั้นตอนต่อไปนี้ย้อนกลับไม่ได้ (irreversible): {steps}. "
        "ดำเนินการต่อในระบบจริงหรือไม่? (go ahead on the real portal?)"
    )
    if not typer.confirm(question, default=False):
        raise SafetyError(
            "หยุดก่อนขั้นตอนที่ย้อนกลับไม่ได้ตามที่สั่ง ยังไม่ได้ส่งอะไร — "
            "Stopped before any irreversible step, as asked. Nothing was sent."
        )


def _drop_if_empty(directory: Path) -> None:
    """Remove a run folder that holds nothing but an empty log (a run refused before it began,
    a status that found nothing to keep): it would count as the latest run for `purge`."""
    configure()  # close the log file first (Windows cannot remove an open file)
    log = directory / "edubot.log"
    with contextlib.suppress(OSError):
        if log.is_file() and log.stat().st_size == 0:
            log.unlink()
        directory.rmdir()  # only if nothing else is in it


def _fail(exc: EdubotError) -> typer.Exit:
    if isinstance(exc, DataError) and exc.problems:
        console.print_problems(exc.problems, "ข้อมูลที่ต้องแก้ไข (problems to fix)")
    console.print_error(str(exc))
    return typer.Exit(int(exc.exit_code))


def _need_display(headed: bool) -> None:
    from bot.data.inputs import require_display

    try:
        require_display(headed)
    except EdubotError as exc:
        raise _fail(exc) from None


@app.command()
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
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser window")] = False,
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
    from bot.engine.options import RunOptions
    from bot.paths import default_runs_dir

    _need_display(headed)
    directory = run_dir or default_runs_dir() / datetime.now().strftime("%Y%m%d-%H%M%S")
    existed = directory.exists()
    configure(verbose=verbose, log_file=directory / "edubot.log")
    options = RunOptions(
        flow_path=flow,
        data_path=data,
        dry_run=dry_run,
        confirm=confirm,
        run_dir=directory,
        variables=_parse_vars(var),
        headless=not headed,
        fresh=fresh,
        workers=workers,
        accept_portal_extras=accept_portal_extras,
        full_screenshots=full_screenshots,
        account=account,
    )
    try:
        from bot.engine.pipeline import execute, prepare

        prepared = prepare(options)
        if prepared.warnings:  # as `check` shows them (e.g. optional columns left out)
            console.print_problems(prepared.warnings, "คำเตือน (warnings)")
        if not non_interactive:
            _ask_before_guarded_steps(prepared)
        report = execute(prepared, console.ProgressListener(), directory)
    except EdubotError as exc:
        if non_interactive:
            _notify(f"{flow}: {exc}", directory)
        if not existed:
            _drop_if_empty(directory)
        raise _fail(exc) from None
    path = report.write()
    summary = report.as_dict()
    console.print_summary(summary, path)
    if non_interactive and report.exit_code():
        _notify(summary, directory)
    raise typer.Exit(report.exit_code())


def _notify(what: dict[str, object] | str, directory: Path) -> None:
    """A scheduled run that failed leaves a notice the officer will see (desktop, e-mail)."""
    from bot.config import load_settings
    from bot.ops.notify import FailureSummary, NotifySettings, notify_failure
    from bot.secrets import Secret

    config = load_settings().notify
    password = os.environ.get("EDUBOT_SMTP_PASSWORD")
    settings = NotifySettings(
        **config.model_dump(),
        smtp_password=Secret(password, "smtp.password") if password else None,
    )
    summary = FailureSummary.from_report(what, directory) if isinstance(what, dict) else what
    notify_failure(summary, settings)


@app.command()
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
    from bot.engine.options import RunOptions
    from bot.engine.pipeline import prepare

    try:
        prepared = prepare(
            RunOptions(
                flow_path=flow,
                data_path=data,
                show_personal=show_personal_data,
                variables=_parse_vars(var),
            ),
            only_checking=True,
        )
    except DataError as exc:
        if data is not None and _at_cells(exc.problems):
            target = annotated or _annotated_name(data)
            copied = _try_annotated_copy(data, list(exc.problems), target)
            console.print_problems(exc.problems, "ข้อมูลที่ต้องแก้ไข (problems to fix)")
            console.print_error(f"{exc}\n{copied}")
            raise typer.Exit(int(ExitCode.BAD_INPUT)) from None
        raise _fail(exc) from None
    except EdubotError as exc:
        raise _fail(exc) from None
    if prepared.warnings:
        console.print_problems(prepared.warnings, "คำเตือน (warnings)")
    _say_guarded_steps(prepared)
    ready = len(prepared.records)
    if prepared.flow.input is not None and not ready:
        console.err.print(
            console.t(
                f"คำเตือน: ไม่พบรายการใดใน {data} (มีแต่หัวตาราง?) — กรอกข้อมูลใต้แถวหัวตารางแล้วตรวจอีกครั้ง",
                f"warning: {data} holds no records (only the header row?); fill in the rows under "
                "the header and check again",
            ),
            markup=False,
            style="yellow",
        )
    console.print_line(
        f"OK: {prepared.flow.name}, "
        + console.t(
            f"{ready} รายการ ตรวจแล้ว พร้อมส่ง (ยังไม่ได้ส่งอะไร)",
            f"{ready} record(s) ready; nothing was sent",
        )
    )


def _annotated_name(data: Path) -> Path:
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
    from bot.data.annotate import write_annotated_copy
    from bot.data.errors import RuleError

    try:
        write_annotated_copy(data, problems, target)
    except (RuleError, OSError) as error:
        return console.t(
            f"เขียนไฟล์ที่ทำเครื่องหมายไม่ได้ ({target}): {error}",
            f"no marked-up copy could be written to {target}: {error}",
        )
    return f"Marked-up copy (ไฟล์ที่ทำเครื่องหมายแล้ว): {target}"


def _say_guarded_steps(prepared: Prepared) -> None:
    """What `check` tells of irreversible steps: where they are, and any guard that judges by
    absence in front of one (it would pass by itself on a changed page)."""
    from bot.engine.pipeline import guarded_steps
    from bot.flow.checks import guard_warnings

    guarded = guarded_steps(prepared.flow)
    if not guarded:
        return
    lines = ", ".join(str(s.line) for s in guarded)
    console.print_line(
        console.t(
            f"มีขั้นตอนที่ย้อนกลับไม่ได้ (บรรทัด {lines}): ในระบบจริงจะทำเมื่อสั่งด้วย --confirm เท่านั้น",
            f"irreversible steps (lines {lines}): on a real portal they run only with --confirm",
        )
    )
    for warning in guard_warnings(prepared.flow):
        console.err.print(str(warning), markup=False, style="yellow")


OverwriteOpt = Annotated[
    bool, typer.Option("--overwrite", help="Replace a file that is already there")
]


def _new_file(file: Path, overwrite: bool) -> None:
    from bot.data.inputs import require_new_file

    try:
        require_new_file(file, overwrite)
    except EdubotError as exc:
        raise _fail(exc) from None


@template_app.command("students")
def template_students(
    file: Annotated[Path, typer.Argument(help="Where to write the .xlsx template")],
    overwrite: OverwriteOpt = False,
) -> None:
    """Write the students template (Thai headers, drop-down lists).

    Example: edubot template students children.xlsx
    """
    from bot.data.template import write_student_template

    _new_file(file, overwrite)
    write_student_template(file)
    console.print_line(f"Template written (เขียนแม่แบบแล้ว): {file}")


@template_app.command("sar")
def template_sar(
    file: Annotated[Path, typer.Argument(help="Where to write the .xlsx manifest template")],
    overwrite: OverwriteOpt = False,
) -> None:
    """Write the SAR manifest template: one row per school, year and level, with its PDF.

    Example: edubot template sar sar-2568.xlsx
    """
    from bot.portals.esar.template import write_sar_template

    _new_file(file, overwrite)
    write_sar_template(file)
    console.print_line(f"Template written (เขียนแม่แบบแล้ว): {file}")


@mock_app.command("serve")
def mock_serve(
    lec_port: Annotated[int, typer.Option("--lec-port", help="0 = any free port")] = 0,
    esar_port: Annotated[int, typer.Option("--esar-port", help="0 = any free port")] = 0,
    state_dir: Annotated[Path | None, typer.Option("--state-dir")] = None,
    markup: Annotated[
        str | None,
        typer.Option(
            "--markup",
            help="The mock LEC's pages: accessible or framework (default: $EDUBOT_LEC_MARKUP,"
            " else accessible)",
        ),
    ] = None,
) -> None:
    """Serve the mock LEC and e-SAR portals on 127.0.0.1 until Ctrl-C.

    Example: edubot mock serve --lec-port 8001 --esar-port 8002 --markup framework
    """
    from bot.paths import mock_state_dir
    from mock_portals.esar.app import create_app as create_esar
    from mock_portals.lec.app import create_app as create_lec
    from mock_portals.lec.markup import MarkupSettingError, configured_markup

    try:
        lec_markup = configured_markup(markup)
    except MarkupSettingError as exc:
        raise typer.BadParameter(str(exc), param_hint="--markup") from exc
    base = state_dir or mock_state_dir()
    (base / "lec").mkdir(parents=True, exist_ok=True)
    (base / "esar").mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.ExitStack() as stack:
        lec = _serve_on(stack, create_lec(base / "lec", markup=lec_markup), lec_port, "--lec-port")
        esar = _serve_on(stack, create_esar(base / "esar"), esar_port, "--esar-port")
        print(f"lec {lec.url}", flush=True)
        print(f"esar {esar.url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()


def _serve_on(stack: contextlib.ExitStack, asgi: Any, port: int, option: str) -> Any:
    """Serve one mock; a port already taken is the officer's to change, said as such."""
    import errno

    from bot.data.inputs import port_busy
    from mock_portals.serve import serve_in_thread

    try:
        return stack.enter_context(serve_in_thread(asgi, port))
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
            raise
        raise _fail(port_busy(option, port, forbidden=exc.errno == errno.EACCES)) from None


@app.command("round")
def round_(
    plan: Annotated[Path, typer.Argument(help="Round plan (YAML): the flows, in order")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Rehearse against the mock")] = False,
    confirm: Annotated[
        bool, typer.Option("--confirm", help="Go on through confirmation steps (irreversible)")
    ] = False,
    run_dir: Annotated[Path | None, typer.Option("--run-dir", help="Reports go here")] = None,
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser window")] = False,
    non_interactive: Annotated[bool, typer.Option("--non-interactive")] = False,
) -> None:
    """Run a whole LEC round: basic data, children, verification, confirmations, in order.

    Every step is checked before the first runs. Without --confirm the round stops before the
    first irreversible step.

    Example: edubot round demo-run/round/round.yaml --dry-run --confirm
    """
    from bot.engine.options import RunOptions
    from bot.engine.round import ROUND_MOCK_STATE, prepare_round, run_round
    from bot.paths import default_runs_dir

    _need_display(headed)
    directory = run_dir or default_runs_dir() / datetime.now().strftime("round-%Y%m%d-%H%M%S")
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
                _ask_before_guarded_steps(planned.prepared)
        outcomes = run_round(
            round_plan, steps, base, directory, lambda planned: console.ProgressListener()
        )
    except EdubotError as exc:
        if not existed:
            _drop_if_empty(directory)
        raise _fail(exc) from None
    console.print_round(round_plan.name, outcomes, len(steps))
    failed = any(o.report is not None and o.report.exit_code() for o in outcomes)
    raise typer.Exit(1 if failed else 0)


@app.command()
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
    from datetime import date as date_

    from bot.config import DEFAULT_CONFIG_DIR
    from bot.engine.options import RunOptions
    from bot.engine.pipeline import current_term, execute, prepare, target_identity
    from bot.engine.round import ROUND_MOCK_STATE, load_plan
    from bot.ops.deadlines import load_deadlines
    from bot.paths import default_runs_dir
    from bot.portals.lec.status import (
        build_status,
        days_to_close,
        file_counts,
        lgo_options,
        verified_counts,
    )

    day = date_.fromisoformat(today) if today else date_.today()
    directory = default_runs_dir() / datetime.now().strftime("status-%Y%m%d-%H%M%S")
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
        raise _fail(exc) from None
    finally:
        _drop_if_empty(directory)  # status changes nothing; a failed one keeps its evidence
    console.print_status(round_plan.name, result)


@app.command()
def demo(
    run_dir: Annotated[Path, typer.Option("--run-dir")] = Path("demo-run"),
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser window")] = False,
    whole_round: Annotated[
        bool, typer.Option("--round", help="Rehearse the demo municipality's whole LEC round")
    ] = False,
) -> None:
    """Rehearse on this machine: enter a sample school's children into the mock LEC.

    Example: edubot demo --headed      ·      edubot demo --round
    """
    from bot.data.demo import demo_students, write_students_xlsx
    from bot.engine.options import RunOptions
    from bot.engine.pipeline import execute, prepare

    _need_display(headed)
    if whole_round:
        import shutil

        from bot.cli.demo import write_demo_round
        from bot.engine.round import ROUND_MOCK_STATE
        from bot.paths import mock_state_dir

        # A rehearsal of the round starts from the seed: the last one confirmed every school.
        shutil.rmtree(mock_state_dir() / ROUND_MOCK_STATE, ignore_errors=True)
        plan = write_demo_round(run_dir / "round")
        console.print_line(f"แผนรอบตัวอย่าง (demo round plan): {plan}")
        round_(plan, dry_run=True, confirm=True, run_dir=run_dir / "runs", headed=headed,
               non_interactive=True)  # fmt: skip
    run_dir.mkdir(parents=True, exist_ok=True)
    data = run_dir / "demo-students.xlsx"
    grades = [f"อนุบาล {n}" for n in (1, 2, 3)] + [f"ประถมศึกษาปีที่ {n}" for n in range(1, 7)]
    write_students_xlsx(data, demo_students(12, seed=2568, school_grades=grades))
    console.print_line(f"ไฟล์ตัวอย่าง (sample data): {data}")
    flow = Path(__file__).resolve().parents[2] / "flows" / "lec" / "students.yaml"
    configure(log_file=run_dir / "edubot.log")
    # Its own mock state, so that a rehearsed round (which locks the schools) never blocks it.
    options = RunOptions(
        flow, data, dry_run=True, run_dir=run_dir, headless=not headed, mock_state="demo-lec"
    )
    try:
        report = execute(prepare(options), console.ProgressListener(), run_dir)
    except EdubotError as exc:
        raise _fail(exc) from None
    path = report.write()
    console.print_summary(report.as_dict(), path)
    raise typer.Exit(report.exit_code())


def main() -> None:
    """Console entry point; an unexpected error exits 3 without a traceback full of locals."""
    os.umask(0o077)  # everything edubot writes is the officer's alone
    try:
        app()
    except SystemExit:
        raise
    except Exception as exc:  # pragma: no cover - last resort
        from bot.log import redact

        console.print_error(f"internal error: {redact(f'{type(exc).__name__}: {exc}')}")
        sys.exit(int(ExitCode.INTERNAL))


from bot.cli import ops as cli_ops  # noqa: E402, F401  (registers deadlines, schedule, report, login, doctor)
from bot.cli import privacy as cli_privacy  # noqa: E402,F401  (registers purge)
