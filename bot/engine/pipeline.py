"""Wires the stages of a run: flow + data → checks → target → browser → runner → report.

`prepare` (bot.engine.planning) refuses everything that can be refused before a browser opens
or a request is sent. `execute` then runs a prepared plan and returns the report builder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from bot.browser.launch import BrowserSession
from bot.browser.mock_proof import prove_mock
from bot.browser.tracing import ContextTracer
from bot.config import PortalTarget, Settings, check_target
from bot.engine.actions import PressLog, RunState
from bot.engine.journal import Journal
from bot.engine.locate import install as install_locating
from bot.engine.options import RunOptions
from bot.engine.patience import Patience, patience_from
from bot.engine.planning import Prepared, current_term, guarded_steps, prepare, record_fields
from bot.engine.records import NoTracer, RecordTracer, RunListener
from bot.engine.report import ReportBuilder
from bot.engine.run_listeners import JournalListener, ListenerFan, journal_skip, open_journal
from bot.engine.runlock import holding
from bot.engine.runner import Runner
from bot.engine.session import commands_of, words_of
from bot.engine.tab import PlaywrightTab
from bot.engine.targets import (
    account_key,
    credentials_for,
    download_rule,
    portal_target,
    target_identity,
    worker_count,
)  # fmt: skip
from bot.engine.workers import loads_per_tab, run_in_workers
from bot.errors import AccountBlocked, LoginRefused, PortalError, SafetyError
from bot.flow.binding import Bindings
from bot.flow.model import Flow
from bot.i18n import say
from bot.log import register_secret
from bot.paths import data_dir
from bot.secrets import Credentials

# Names that lived here before planning, targets and run_listeners were split off; the CLI,
# rounds and tests still import them from here.
__all__ = [
    "JournalListener",
    "Prepared",
    "account_key",
    "credentials_for",
    "current_term",
    "download_rule",
    "execute",
    "guarded_steps",
    "portal_target",
    "prepare",
    "record_fields",
    "target_identity",
    "why_stopped",
]


def execute(
    prepared: Prepared,
    listener: RunListener,
    run_dir: Path,
) -> ReportBuilder:
    """Run a prepared plan against its portal; return the filled report builder."""
    options, flow, settings = prepared.options, prepared.flow, prepared.settings
    with ExitStack() as stack:
        target, mock_origins, creds = enter_portal(stack, flow, options)
        report_fields = flow.input.report if flow.input else ()
        report = ReportBuilder(run_dir, target.url, options.dry_run, report_fields)
        report.planned_records = prepared.records
        journal = open_journal(prepared, target_identity(options, flow.portal))
        stack.callback(journal.close)
        fan = ListenerFan((report, JournalListener(journal), listener))
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
                mock_origins=mock_origins,
            ) as session:
                patience = patience_from(
                    settings, session.pause, _probe(session, target.url, settings)
                )
                report.troubles = patience.troubles

                @contextmanager
                def make_runner() -> Iterator[Runner]:
                    with _worker(
                        prepared,
                        target,
                        creds,
                        fan,
                        run_dir,
                        journal,
                        session,
                        workers,
                        presses,
                        patience,
                    ) as run:
                        runners.append(run)
                        yield run

                try:
                    run_in_workers(workers, make_runner, prepared.records, session.run_together)
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


def enter_portal(
    stack: ExitStack, flow: Flow, options: RunOptions
) -> tuple[PortalTarget, tuple[str, ...], Credentials]:
    """The portal a run (or a probe) talks to, proven and held: its target, the mock origins
    a dry run may reach, and the account's credentials, registered as a secret."""
    target = stack.enter_context(portal_target(flow.portal, options))
    check_target(target, dry_run=options.dry_run)
    # A dry run proves its target is one of edubot's mocks before anything else: on this
    # machine may still be a tunnel to the real portal.
    mock_origins = (prove_mock(target),) if options.dry_run else ()
    creds = credentials_for(flow.portal, options, flow.account)
    register_secret(creds.password.reveal())
    # Before the first request: a second run on this account stops here, nothing sent.
    stack.enter_context(holding(data_dir(), [account_key(options, flow.portal, creds)], flow.name))
    return target, mock_origins, creds


def why_stopped(exc: PortalError, portal: str) -> str:
    """The portal's reason for stopping a run, and what the officer does about it."""
    reason = str(exc)
    if isinstance(exc, AccountBlocked):
        return reason  # the portal's words, and what to do: never `edubot login` alone
    if isinstance(exc, LoginRefused):
        return (
            reason
            + " — "
            + say(
                f"ระบบไม่รับชื่อผู้ใช้หรือรหัสผ่าน: บันทึกใหม่ด้วย edubot login {portal} แล้วรันอีกครั้ง",
                f"the portal refused the login: store the right username and password with "
                f"`edubot login {portal}`, then run again",
            )
        )
    if "net::ERR_" in reason or "Timeout" in reason:
        return (
            reason
            + " — "
            + say(
                "ติดต่อระบบไม่ได้: ตรวจการเชื่อมต่ออินเทอร์เน็ตแล้วรันอีกครั้ง ระบบจะทำต่อจากที่ค้างไว้",
                "could not reach the portal: check the connection, then run again; the run goes on "
                "where it stopped",
            )
        )
    return reason


def _probe(session: BrowserSession, url: str, settings: Settings) -> Callable[[], bool]:
    """One GET of the portal's address while the run is paused: True when it answered (below
    500). Playwright's own HTTP client, so no tab and no login is spent on it; through the
    dry-run wall like every request of a dry run."""

    def probe() -> bool:
        if not session.wall.allows(url):
            return False
        client = session.playwright.request.new_context()
        try:
            timeout = settings.timeouts.navigation_ms
            return client.get(url, timeout=timeout, max_redirects=0).status < 500
        except PlaywrightError:
            return False  # refused, reset, timed out: still down
        finally:
            client.dispose()

    return probe


def _say_if_walled(session: BrowserSession) -> None:
    # Said even when the blocked request made a step fail: the wall is the reason.
    if session.wall.blocked:
        raise SafetyError(
            say(
                "การซ้อม (--dry-run) ส่งได้เฉพาะไปยังระบบจำลองของ edubot จึงกันคำขอที่จะไปที่อื่นไว้",
                f"The dry-run wall blocked {len(session.wall.blocked)} request(s) to somewhere "
                f"other than edubot's mock (first: {session.wall.blocked[0]}). Nothing was sent "
                "there.",
            )
        )


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
    patience: Patience,
) -> Iterator[Runner]:
    """One worker (of `workers`): its own logged-in context and tab in the run's browser, and a
    runner. Workers never share a context: the portal keeps a form bean (the record in hand,
    the last list shown) in each session, which two workers in one would overwrite."""
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
        tab = PlaywrightTab(
            context.new_page(),
            renew_every=loads_per_tab(settings.browser.renew_page_every, workers),
            words=words_of(flow.portal),
            commands=commands_of(flow.portal),
        )
        records = tuple((r.masked_key, r.values) for r in prepared.records)
        yield Runner(
            flow=flow,
            tab=tab,
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
            patience=patience,
        )
    finally:
        context.close()
