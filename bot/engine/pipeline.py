"""Wires the stages of a run: flow + data → checks → target → browser → runner → report.

Everything that can be refused is refused in `prepare`, before a browser opens or a request is
sent. `execute` then runs a prepared plan and returns the report builder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from starlette.types import ASGIApp

from bot.browser.launch import BrowserSession, ContextTracer, LaunchedBrowser, OriginWall
from bot.browser.mock_proof import prove_mock
from bot.config import (
    PortalTarget,
    Settings,
    check_target,
    is_loopback_url,
    load_portals,
    load_settings,
    url_override,
)  # fmt: skip
from bot.data.inputs import require_file
from bot.data.problems import Problem, has_errors
from bot.data.readers import read_students
from bot.data.records import ALL_FIELDS
from bot.data.tables import read_table
from bot.engine.actions import PressLog, RunState
from bot.engine.journal import Journal, digest_values, install_key, run_identity, state_for
from bot.engine.locate import install as install_locating
from bot.engine.options import RunOptions
from bot.engine.report import ReportBuilder
from bot.engine.runlock import AccountKey, holding
from bot.engine.runner import (
    NoTracer,
    PlannedRecord,
    RecordResult,
    RecordTracer,
    RetryPolicy,
    RunListener,
    Runner,
)
from bot.engine.workers import loads_per_tab, run_in_workers
from bot.errors import (
    DataError,
    FlowError,
    InputError,
    LoginRefused,
    PortalError,
    SafetyError,
)
from bot.flow.binding import Bindings
from bot.flow.checks import check_flow
from bot.flow.loader import load_flow
from bot.flow.model import Click, Flow, InputSpec
from bot.log import mask_id, register_secret
from bot.net import origin_of
from bot.paths import data_dir, mock_state_dir
from bot.secrets import Credentials, Secret, load_credentials

DEMO_PASSWORD = "demo"  # the mock portals' demo accounts (README); never a real credential


@dataclass(frozen=True)
class Prepared:
    """A run that passed every check and may now touch a portal."""

    options: RunOptions
    flow: Flow
    records: tuple[PlannedRecord, ...]
    settings: Settings
    warnings: tuple[object, ...] = ()
    term: str = "-"  # the LEC round in effect ("2569-2"), part of the journal's identity


def _refuse(data_path: Path, problems: Sequence[Problem]) -> DataError:
    errors = sum(1 for p in problems if p.severity == "error")
    return DataError(
        f"ไฟล์ {data_path} มีข้อผิดพลาด {errors} จุด ยังไม่ได้ส่งข้อมูลใด ๆ แก้ไขแล้วรันใหม่ — "
        f"{data_path} has {errors} problem(s); nothing was sent. Fix them and run again "
        f"(`edubot check` writes a copy of the file with each bad cell marked).",
        tuple(problems),
    )


def plan_sar_records(
    manifest_path: Path, max_bytes: int
) -> tuple[tuple[PlannedRecord, ...], tuple[object, ...]]:
    """Read and check a SAR manifest; refuse it whole when any entry has an error."""
    # Loaded here, not at the top: pypdf and the SAR checks cost a student run ~0.15 s to start.
    from bot.portals.esar.checks import check_manifest
    from bot.portals.esar.manifest import read_manifest
    from bot.portals.esar.records import sar_key, sar_portal_values

    manifest = read_manifest(manifest_path)
    problems = check_manifest(manifest, max_bytes=max_bytes)
    if has_errors(problems):
        raise _refuse(manifest_path, problems)
    records = tuple(
        PlannedRecord(
            index=i,
            key=sar_key(entry),
            masked_key=sar_key(entry),  # school codes are public, not personal data
            values=sar_portal_values(entry, manifest.folder),
            sheet=entry.origin.sheet,
            row=entry.origin.row or 0,
        )
        for i, entry in enumerate(manifest.entries, start=1)
    )
    return records, tuple(p for p in problems if p.severity != "error")


def plan_table_records(
    data_path: Path, spec: InputSpec
) -> tuple[tuple[PlannedRecord, ...], tuple[object, ...]]:
    """Read a table the flow declares (buildings, basic data); refuse it whole on any problem."""
    assert spec.columns is not None  # InputSpec guarantees it for tables
    rows, problems = read_table(data_path, spec.columns, spec.key)
    if problems:
        raise _refuse(data_path, problems)
    records = tuple(
        PlannedRecord(
            index=i,
            key=row.values[spec.key],
            masked_key=row.values[spec.key],  # building names, school codes: not personal
            values=row.values,
            sheet=row.sheet,
            row=row.row,
        )
        for i, row in enumerate(rows, start=1)
    )
    return records, ()


def plan_records(
    data_path: Path, show_personal: bool = False
) -> tuple[tuple[PlannedRecord, ...], tuple[object, ...]]:
    """Read the data file; refuse it whole when any row has an error."""
    table = read_students(data_path, show_personal=show_personal)
    if table.has_errors:
        raise _refuse(data_path, table.problems)
    records = tuple(
        PlannedRecord(
            index=i,
            key=row.student.key,
            masked_key=mask_id(row.student.key),
            values=row.student.as_portal_values(),
            sheet=row.sheet,
            row=row.row,
        )
        for i, row in enumerate(table.rows, start=1)
    )
    warnings = tuple(p for p in table.problems if p.severity != "error")
    return records, warnings


def prepare(options: RunOptions, *, only_checking: bool = False) -> Prepared:
    """Load and check everything; raise InputError before any browser opens.

    `only_checking` (`edubot check`): nothing will run, so irreversible steps are no reason to
    refuse; the flow and its data are checked all the same.
    """
    flow = load_flow(options.flow_path)
    problems = check_flow(flow, record_fields(flow))
    if problems:
        raise FlowProblems(problems)
    _require_vars(flow, options)
    records: tuple[PlannedRecord, ...] = ()
    warnings: tuple[object, ...] = ()
    if flow.input is not None:
        if options.data_path is None:
            raise InputError(
                f"โฟลว์ {flow.path} กรอกข้อมูลจากไฟล์ ระบุไฟล์ด้วย --data FILE — "
                f"Flow {flow.path} enters records: give the data file with --data FILE."
            )
        require_file(options.data_path, "ไฟล์ข้อมูล", "data file", "*.xlsx")
        if flow.input.records == "table":
            records, warnings = plan_table_records(options.data_path, flow.input)
        elif flow.input.records == "sar":
            max_mb = load_portals(options.config_dir)["esar"].max_upload_mb
            records, warnings = plan_sar_records(options.data_path, int(max_mb * 1024 * 1024))
        else:
            records, warnings = plan_records(options.data_path, options.show_personal)
    guarded = [s for s in flow.walk() if isinstance(s, Click) and s.irreversible]
    if guarded and not options.dry_run and not options.confirm and not only_checking:
        lines = ", ".join(f"line {s.line}" for s in guarded)
        raise SafetyError(
            f"ขั้นตอนที่ย้อนกลับไม่ได้ ({lines}) ในระบบจริงต้องสั่งด้วย --confirm ซ้อมด้วย --dry-run ก่อน — "
            f"{flow.path} has irreversible steps ({lines}); on a real portal they run only with "
            "--confirm. Rehearse with --dry-run first. Nothing was sent."
        )
    settings = load_settings(options.config_dir)
    return Prepared(options, flow, records, settings, warnings, current_term(options.config_dir))


def current_term(config_dir: Path, today: date | None = None) -> str:
    """The LEC round in effect today per config/deadlines.yaml ("2569-2"); "-" without one."""
    from bot.ops.deadlines import current_lec_round, load_deadlines

    path = config_dir / "deadlines.yaml"
    if not path.is_file():
        return "-"
    lec_round = current_lec_round(load_deadlines(path), today or date.today())
    return lec_round.id if lec_round else "-"


def _require_vars(flow: Flow, options: RunOptions) -> None:
    """The `--var` values the flow declares it needs, asked for before anything logs in."""
    missing = [name for name in flow.vars if not options.variables.get(name)]
    if missing:
        wanted = " ".join(f"--var {name}=..." for name in missing)
        raise InputError(
            f"โฟลว์ {flow.path} ต้องระบุ {wanted} (เช่น รหัส อปท. --var org=6400101) "
            f"ยังไม่ได้ส่งอะไร — Flow {flow.path} needs {wanted} (e.g. the LGO code: "
            "--var org=6400101). Nothing was sent."
        )


def record_fields(flow: Flow) -> list[str] | None:
    """The fields `${record.…}` may name in this flow, or None when it takes no records."""
    if flow.input is None:
        return None
    if flow.input.records == "sar":
        from bot.portals.esar.records import SAR_RECORD_FIELDS

        return list(SAR_RECORD_FIELDS)
    if flow.input.records == "table":
        return list(flow.input.columns or {})
    return [f.key for f in ALL_FIELDS]


class FlowProblems(InputError):
    """Several problems in one flow, each a FlowError naming file:line."""

    def __init__(self, problems: Sequence[FlowError]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)


@contextmanager
def portal_target(portal: str, options: RunOptions) -> Iterator[PortalTarget]:
    """Where this run goes; for a dry run without an address, a mock served in-process."""
    if options.mock_url:
        yield PortalTarget(name=portal, url=options.mock_url, is_mock=True)
        return
    override = url_override(portal)
    if options.dry_run and override is None:
        from mock_portals.serve import serve_in_thread

        app = _mock_app(portal, options.mock_state)
        with serve_in_thread(app) as served:
            yield PortalTarget(name=portal, url=served.url, is_mock=True)
        return
    url = override or load_portals(options.config_dir)[portal].url
    yield PortalTarget(name=portal, url=url, is_mock=options.dry_run)


def in_process_mock(options: RunOptions, portal: str) -> bool:
    """Does this run go to a mock edubot serves itself (so: demo accounts, never a password)?"""
    return bool(options.mock_url) or (options.dry_run and url_override(portal) is None)


def _mock_app(portal: str, name: str | None = None) -> ASGIApp:
    state = mock_state_dir() / (name or portal)
    state.mkdir(parents=True, exist_ok=True)
    if portal == "lec":
        from mock_portals.lec.app import create_app

        return create_app(state)
    from mock_portals.esar.app import create_app as create_esar_app

    return create_esar_app(state)


def target_identity(options: RunOptions, portal: str) -> str:
    """The portal a run goes to, as the journal and the run lock name it: its address, or for a
    mock edubot serves itself (whose port changes every run) the state it serves."""
    if in_process_mock(options, portal):
        return f"in-process-mock:{options.mock_state or portal}"
    return url_override(portal) or load_portals(options.config_dir)[portal].url


def account_key(options: RunOptions, portal: str, creds: Credentials) -> AccountKey:
    """Which run lock a run on this portal with these credentials holds."""
    return AccountKey(portal, target_identity(options, portal), creds.username)


def credentials_for(
    portal: str, options: RunOptions, flow_account: str | None = None
) -> Credentials:
    """The login to use; a dry run (always a mock) gets the demo password, and neither the
    keyring nor a real-portal password variable is even read (the account the flow names,
    e.g. `lgo`, unless `--account` chose)."""
    if options.dry_run or in_process_mock(options, portal):
        username = (
            options.account
            or flow_account
            or flow_account
            or os.environ.get(f"EDUBOT_{portal.upper()}_USERNAME")
            or _DEMO_USERS[portal]
        )
        return Credentials(username, Secret(DEMO_PASSWORD, f"{portal}.password"), "demo")
    return load_credentials(portal, options.account)


_DEMO_USERS = {"lec": "school", "esar": "qa"}


def execute(
    prepared: Prepared,
    listener: RunListener,
    run_dir: Path,
    launched: LaunchedBrowser | None = None,
) -> ReportBuilder:
    """Run a prepared plan against its portal; return the filled report builder.

    `launched`: a browser this thread started already (see `LaunchedBrowser`); the run uses it
    and closes it.
    """
    options, flow, settings = prepared.options, prepared.flow, prepared.settings
    with ExitStack() as stack:
        target = stack.enter_context(portal_target(flow.portal, options))
        check_target(target, dry_run=options.dry_run)
        # A dry run proves its target is one of edubot's mocks before anything else: on this
        # machine may still be a tunnel to the real portal.
        mock_origins = (prove_mock(target),) if options.dry_run else ()
        creds = credentials_for(flow.portal, options, flow.account)
        register_secret(creds.password.reveal())
        # Before the first request: a second run on this account stops here, nothing sent.
        stack.enter_context(
            holding(data_dir(), [account_key(options, flow.portal, creds)], flow.name)
        )
        report_fields = flow.input.report if flow.input else ()
        report = ReportBuilder(run_dir, target.url, options.dry_run, report_fields)
        journal = open_journal(prepared, target_identity(options, flow.portal))
        stack.callback(journal.close)
        fan = _Fan((report, JournalListener(journal), listener))
        workers = worker_count(options, target, len(prepared.records))
        runners: list[Runner] = []
        presses = PressLog()  # one for every worker: no irreversible click twice in a run
        fan.start_run(flow, len(prepared.records))
        try:
            with BrowserSession(
                headless=options.headless,
                dry_run=options.dry_run,
                block_resources=settings.browser.block_resources,
                action_timeout_ms=settings.timeouts.action_ms,
                navigation_timeout_ms=settings.timeouts.navigation_ms,
                launched=launched,
                mock_origins=mock_origins,
            ) as session:

                @contextmanager
                def make_runner() -> Iterator[Runner]:
                    with _worker(
                        prepared, target, creds, fan, run_dir, journal, session, workers, presses
                    ) as run:
                        runners.append(run)
                        yield run

                try:
                    run_in_workers(
                        workers, make_runner, prepared.records, session.run_together, session.signal
                    )
                finally:
                    _say_if_walled(session)
        except PortalError as exc:
            # Outside any record (login refused, a precondition unmet): the run stops here,
            # and the report says why, how far it got and what to do.
            report.abort(why_stopped(exc, flow.portal))
        finally:
            fan.end_run()
            for runner in runners:
                report.extracted.update(runner.run_state.extracted)
    return report


def why_stopped(exc: PortalError, portal: str) -> str:
    """The portal's reason for stopping a run, and what the officer does about it."""
    reason = str(exc)
    if isinstance(exc, LoginRefused):
        return (
            f"{reason} — ระบบไม่รับชื่อผู้ใช้หรือรหัสผ่าน: บันทึกใหม่ด้วย edubot login {portal} "
            f"แล้วรันอีกครั้ง (the portal refused the login: store the right username and "
            f"password with `edubot login {portal}`, then run again)"
        )
    if "net::ERR_" in reason or "Timeout" in reason:
        return (
            f"{reason} — ติดต่อระบบไม่ได้: ตรวจการเชื่อมต่ออินเทอร์เน็ตแล้วรันอีกครั้ง "
            "ระบบจะทำต่อจากที่ค้างไว้ (could not reach the portal: check the connection, then "
            "run again; the run goes on where it stopped)"
        )
    return reason


def _say_if_walled(session: BrowserSession) -> None:
    # Said even when the blocked request made a step fail: the wall is the reason.
    if session.wall.blocked:
        raise SafetyError(
            "การซ้อม (--dry-run) ส่งได้เฉพาะไปยังระบบจำลองของ edubot จึงกันคำขอที่จะไปที่อื่นไว้ — "
            f"The dry-run wall blocked {len(session.wall.blocked)} request(s) to somewhere other "
            f"than edubot's mock (first: {session.wall.blocked[0]}). Nothing was sent there."
        )


def download_rule(dry_run: bool, target: PortalTarget, wall: OriginWall) -> Callable[[str], bool]:
    """Where a request made beside the browser (the snapshot download and each of its
    redirects) may go: a dry run, through the wall to the proven mock only (a refusal trips the
    wall, so the run stops and says why); a real run, to the portal's own origin only (https:
    `check_target` refused anything else)."""
    portal = origin_of(target.url)

    def allowed(url: str) -> bool:
        if not dry_run:
            return origin_of(url) == portal
        if wall.allows(url):
            return True
        wall.blocked.append(url)
        return False

    return allowed


def guarded_steps(flow: Flow) -> list[Click]:
    """The flow's irreversible steps (confirm, submit), sub-flows included."""
    return [s for s in flow.walk() if isinstance(s, Click) and s.irreversible]


def worker_count(options: RunOptions, target: PortalTarget, records: int) -> int:
    """How many workers: as asked, within the portal's polite cap (mocks on loopback: 8)."""
    profile = load_portals(options.config_dir)[target.name]
    wanted = options.workers or profile.default_workers
    cap = 8 if target.is_mock or is_loopback_url(target.url) else profile.max_workers
    return max(1, min(wanted, cap, records))


@contextmanager
def _worker(
    prepared: Prepared,
    target: PortalTarget,
    creds: Credentials,
    listener: RunListener,
    run_dir: Path,
    journal: Journal,
    session: BrowserSession,
    workers: int,
    presses: PressLog,
) -> Iterator[Runner]:
    """One worker (of `workers`): its own logged-in context and tab in the run's browser, and a
    runner."""
    options, flow, settings = prepared.options, prepared.flow, prepared.settings
    install_locating(session.playwright)  # before the context: `label:` finds fields with it
    context = session.new_context(target.url)
    try:
        tracing = settings.browser
        tracer: RecordTracer = (
            ContextTracer(
                context, snapshots_from_attempt=1 if tracing.trace_snapshots == "always" else 2
            )
            if tracing.trace_failures
            else NoTracer()
        )
        page = context.new_page()
        records = tuple((r.masked_key, r.values) for r in prepared.records)
        yield Runner(
            flow=flow,
            page=page,
            bindings=Bindings(None, {flow.portal: creds}, dict(options.variables)),
            artefacts_dir=run_dir,
            listener=listener,
            pause=session.pause,  # a backoff that lets the other workers go on
            skip=journal_skip(flow, journal),
            tracer=tracer,
            may_request=download_rule(options.dry_run, target, session.wall),
            wall_tripped=lambda: bool(session.wall.blocked),
            run_state=RunState(
                records=records,
                accept_portal_extras=options.accept_portal_extras,
                presses=presses,
            ),
            full_screenshots=options.full_screenshots,
            allow_irreversible=options.confirm or options.dry_run,
            timeout_ms=settings.timeouts.action_ms,
            retry=RetryPolicy(**settings.retries.model_dump()),
            collect_garbage_every=settings.browser.collect_garbage_every,
            renew_page_every=loads_per_tab(settings.browser.renew_page_every, workers),
        )
    finally:
        context.close()


def open_journal(prepared: Prepared, portal_identity: str) -> Journal:
    """The journal of this flow × portal × round × data file; emptied first with --fresh."""
    options = prepared.options
    identity = run_identity(prepared.flow.name, portal_identity, prepared.term, options.data_path)
    journal = Journal(data_dir() / "journal.sqlite3", install_key(data_dir()), identity)
    if options.fresh:
        journal.forget()
    return journal


def journal_skip(flow: Flow, journal: Journal) -> Callable[[PlannedRecord], str | None]:
    """What the runner asks before each record. A flow that exists to read the portal
    (`purpose: verify`) reads it every time: the journal never answers for the portal there."""
    if flow.purpose == "verify":
        return lambda record: None
    return lambda record: _already_verified(journal, record)


def _already_verified(journal: Journal, record: PlannedRecord) -> str | None:
    if journal.is_done(record.key, digest_values(record.values)):
        return "ตรวจสอบแล้วในรอบก่อน ข้อมูลไม่เปลี่ยน (verified in an earlier run; data unchanged)"
    return None


@dataclass
class JournalListener:
    """Writes each record's state to the journal as the run goes."""

    journal: Journal

    def start_run(self, flow: Flow, total: int) -> None:
        pass

    def start_record(self, record: PlannedRecord) -> None:
        self.journal.mark(record.key, digest_values(record.values), "submitted")

    def end_record(self, result: RecordResult) -> None:
        if result.status == "skipped":
            return
        record = result.record
        self.journal.mark(
            record.key,
            digest_values(record.values),
            state_for(result.status),
            result.status,
            result.message,
        )

    def end_run(self) -> None:
        pass


@dataclass
class _Fan:
    """Fan the runner's hooks out to several listeners, in order.

    Workers share one thread and are only suspended inside browser calls, which no listener
    makes, so one worker's hooks never interleave with another's.
    """

    listeners: tuple[RunListener, ...]

    def start_run(self, flow: Flow, total: int) -> None:
        for listener in self.listeners:
            listener.start_run(flow, total)

    def start_record(self, record: PlannedRecord) -> None:
        for listener in self.listeners:
            listener.start_record(record)

    def end_record(self, result: RecordResult) -> None:
        for listener in self.listeners:
            listener.end_record(result)

    def end_run(self) -> None:
        for listener in self.listeners:
            listener.end_run()
