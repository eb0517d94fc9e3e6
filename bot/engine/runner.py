"""Run a bound plan: the flow's steps, once per record, with retries and re-login.

The runner decides; its `Tab` (bot.engine.tab) does what a page does, so the rules below have
unit tests without a browser. The runner never prints and never chooses file paths: it reports
each record through the `RunListener` it is given and writes artefacts only under the directory
it is handed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.data.fields import personal_values
from bot.engine.actions import ActionEnv, RunState, StepState, outcome_unknown
from bot.engine.health import answered_badly
from bot.engine.misfits import MisfitWatch, Place, name_to_probe, where_it_failed
from bot.engine.patience import Patience, PortalUnavailable, Tries
from bot.engine.records import (
    NoTracer,
    PlannedRecord,
    RecordResult,
    RecordTracer,
    RunListener,
)  # fmt: skip
from bot.engine.session import login_refused, words_of
from bot.engine.tab import Tab
from bot.errors import (
    LoginRefused,
    OutcomeUnknown,
    PortalError,
    PortalRejected,
    PreconditionFailed,
    RunStopped,
    SafetyError,
    SessionExpired,
    StepFailed,
)  # fmt: skip
from bot.flow.binding import Bindings
from bot.flow.model import Click, Flow, ForEach, Goto, RunFlow, Step, When
from bot.log import logger, redact


@dataclass
class Runner:
    """Runs one flow on one tab."""

    flow: Flow
    tab: Tab
    bindings: Bindings
    artefacts_dir: Path
    listener: RunListener
    allow_irreversible: bool = False
    timeout_ms: int = 15_000
    # How long to keep trying, the outage pause and the requests-a-second cap: one for every
    # worker of the run (bot.engine.patience).
    patience: Patience = field(default_factory=Patience)
    # A seam for tests; backoff between retries is the only wait the runner makes itself.
    pause: Callable[[float], None] = time.sleep
    # Asked before each record; a reason (e.g. "verified in an earlier run") skips it.
    skip: Callable[[PlannedRecord], str | None] = lambda record: None
    tracer: RecordTracer = field(default_factory=NoTracer)
    may_request: Callable[[str], bool] = lambda url: True
    # True once the dry-run wall has blocked a request: no retry can help, the run must stop.
    wall_tripped: Callable[[], bool] = lambda: False
    run_state: RunState = field(default_factory=RunState)
    # Keep an unmasked copy of each screenshot too, owner-only (--full-screenshots).
    full_screenshots: bool = False
    # Where the last given-up record failed for no reason the portal gave (bot.engine.misfits).
    _last_misfit: Place | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.misfits = MisfitWatch(self.flow.name, name_to_probe(self.flow.path, self.flow.name))

    def run(
        self, records: Iterable[PlannedRecord], ready: Callable[[], None] = lambda: None
    ) -> list[RecordResult]:
        """Run the flow: the steps outside `for_each` once, the loop once per record.

        `ready` is called once the steps before the loop (logging in, reading the portal) are
        done, just before the first record. The caller announces the run
        (`start_run`/`end_run`): with several workers, several runners share one run.
        """
        results: list[RecordResult] = []
        for step in self.flow.steps:
            if isinstance(step, ForEach):
                ready()
                results += [self._run_record(step, r) for r in records]
            else:
                self._prelude(step)
        return results

    def _prelude(self, step: Step) -> None:
        """A step outside the loop (login, snapshot, a confirmation), retried like a record."""
        tries = self.patience.tries()
        while True:
            tries.begin()
            state = StepState()
            self._begin_try()
            try:
                self._steps((step,), self.bindings, state)
                if self._is_login(step):
                    self.tab.forget_logout()  # signs from before the login are of no session
                self.patience.succeeded()
                return
            except PortalRejected as exc:
                if self._is_login(step) and not isinstance(exc, RunStopped):
                    # Told apart from other refusals: its fix is `edubot login`.
                    raise login_refused(str(exc), self.flow.portal) from None
                raise  # the portal said no (a school not confirmed)
            except (PreconditionFailed, OutcomeUnknown):
                raise
            except PortalError as exc:
                if self.wall_tripped():
                    raise
                if state.pressed is not None:
                    self._settle_press(state, exc)
                    continue  # the step goes on from what the portal shows
                where = f"line {step.line}"
                if not self._wait_to_retry(tries, exc, where, redact(str(exc)), relogin=False):
                    raise

    def _settle_press(self, state: StepState, exc: PortalError) -> None:
        """An irreversible click was pressed and then something failed: its outcome is unknown.

        Read the portal's state through the click's `verify` before anything else. Shown done:
        the caller goes again from the top of the record (or step), where the flow's own guards
        see the portal as it is now, and the press log refuses a second press. Not shown: the
        run stops (exit 1), naming what the officer must look at.
        """
        assert state.pressed is not None
        click, bindings = state.pressed
        # A portal that dropped the session shows its login page: log in again, read again.
        if self.tab.read_back(click, bindings, self.timeout_ms) or (
            self._relogin_if_needed() and self.tab.read_back(click, bindings, self.timeout_ms)
        ):
            self.run_state.presses.settle(click, bindings)
            logger.warning(
                "line {}: {} failed after the press ({}); the portal shows it done",
                click.line, click.describe(), redact(str(exc)),
            )  # fmt: skip
            return
        raise OutcomeUnknown(outcome_unknown(click, bindings, redact(str(exc)))) from None

    def _is_login(self, step: Step) -> bool:
        """The flow's login: the sub-flow it also logs in again with (else one named login)."""
        if not isinstance(step, RunFlow):
            return False
        relogin = self.flow.relogin
        return step.flow == relogin.run if relogin else step.flow.rsplit("/", 1)[-1] == "login"

    def _run_record(self, loop: ForEach, record: PlannedRecord) -> RecordResult:
        reason = self.skip(record)
        if reason is not None:
            result = RecordResult(record, "skipped", reason, duration_s=0.0, attempts=0)
            self.listener.end_record(result)
            return result
        self.listener.start_record(record)
        started = time.monotonic()
        self.tab.before_record()
        try:
            outcome, attempts = self._attempts(loop, record)
        except (RunStopped, LoginRefused) as exc:
            # This record failed for the reason the whole run stops; the report shows both.
            self.tracer.discard()
            reason = redact(str(exc))
            failed = RecordResult(record, "failed", reason, time.monotonic() - started, 1)
            self.listener.end_record(failed)
            raise
        elapsed = time.monotonic() - started
        if isinstance(outcome, StepState):
            self.tracer.discard()
            result = RecordResult(
                record,
                outcome.outcome or "done",
                "",
                elapsed,
                attempts,
                receipts=tuple(outcome.screenshots),
                cleared=tuple(dict.fromkeys(outcome.cleared)),
            )
        else:
            screenshot = self._evidence(record)
            trace = self.tracer.keep(
                self.artefacts_dir / "failures" / f"{record.index:04d}-trace.zip"
            )
            self.tab.before_retry()  # the next record must not meet this one's page
            result = RecordResult(
                record, "failed", outcome, elapsed, attempts, screenshot, trace=trace
            )
        self.listener.end_record(result)
        self.misfits.record_ended(result.status != "failed", self._last_misfit, result.message)
        return result

    def _attempts(self, loop: ForEach, record: PlannedRecord) -> tuple[StepState | str, int]:
        """Try the record until it passes, is refused, or runs out of attempts.

        Returns the final state on success, else the reason it failed, and the attempts made.
        """
        bindings = self.bindings.with_record(record.values)
        # The portal's words and refused fields may quote the child's names: masked here, so
        # the log, the report and the e-mail built from it never hold them.
        personal = personal_values(record.values)
        earlier = ""  # what a failed attempt had done (added, updated) before it broke
        self._last_misfit = None
        tries = self.patience.tries()
        while True:
            attempt = tries.begin()
            state = StepState()
            # A retry cannot trust the snapshot: the failed attempt may have saved the record.
            self.run_state.trust_snapshot = attempt == 1
            self._begin_try()
            self.tracer.begin(attempt)
            try:
                self._steps(loop.steps, bindings, state)
            except RunStopped:
                raise  # no record can pass: the run ends here, with the portal's words
            except PortalRejected as exc:
                words = words_of(self.flow.portal)
                said_ended = words.session_expired(str(exc))
                failure: PortalError = PortalUnavailable(str(exc))  # a stale form: load it again
                if not words.form_stale(str(exc)):
                    if self.flow.relogin is None or not (said_ended or self.tab.logged_out()):
                        return redact(str(exc), personal), attempt
                    # Refused because the session had ended (a 401, its alert, its words): not
                    # because of the data. Log in again and try the record again.
                    failure = SessionExpired(str(exc))
                ended = f"the portal said “{redact(str(exc), personal)}”" if said_ended else ""
            except (SafetyError, OutcomeUnknown):
                raise
            except PortalError as exc:
                failure, ended = exc, ""
            else:
                self.patience.succeeded()
                if earlier and state.outcome in ("unchanged", "verified"):
                    # An earlier attempt saved and lost the answer; this one found it saved.
                    state.outcome = earlier
                return state, attempt
            if self.wall_tripped():
                raise failure
            if state.outcome in ("added", "updated"):
                earlier = earlier or state.outcome
            reason = redact(str(failure), personal)
            if isinstance(failure, StepFailed) and failure.flow_name:
                reason = f"{failure.flow_name}: {reason}"  # its line numbers are that file's
            if state.pressed is not None:
                # Never press an irreversible button twice on a guess: read the portal.
                self._settle_press(state, failure)
                earlier = earlier or "submitted"
                continue  # the record goes on from what the portal shows
            # No trace while logging in again: it would hold the typed password.
            self.tracer.discard()
            if not self._wait_to_retry(tries, failure, f"record {record.index}", reason, ended):
                sign = self.tab.trouble_seen()
                self._last_misfit = where_it_failed(failure, sign, self.flow.name)
                return f"{reason} — {tries.spent()}", attempt

    def _begin_try(self) -> None:
        """Before a try: wait out a pause of the run; what the tab saw go wrong is old news."""
        self.patience.before_try()
        self.tab.forget_trouble()

    def _wait_to_retry(
        self,
        tries: Tries,
        failure: PortalError,
        where: str,
        reason: str,
        ended: str = "",
        relogin: bool = True,
    ) -> bool:
        """After a failed try: a fresh tab (the old page may still be moving: an expiry alert,
        its redirect); then log in again if the session dropped (`relogin`), else wait. False:
        give up (no reason to, or no time left)."""
        if relogin and not isinstance(failure, SessionExpired) and self._session_lost():
            failure = SessionExpired(reason)  # a field "missing" on the login page, say
        if isinstance(failure, SessionExpired):  # its sign (a URL, an alert) may be gone by now
            ended = ended or "the portal asked to log in again"
        wait = self.patience.after_failure(tries, failure, self.tab.trouble_seen(), where, reason)
        if wait is None:
            return False
        self.tab.before_retry()
        if not (relogin and self._relogin_if_needed(ended)):
            self.pause(wait)
        return True

    def _steps(self, steps: Sequence[Step], bindings: Bindings, state: StepState) -> None:
        env = ActionEnv(
            bindings,
            self.artefacts_dir,
            self.allow_irreversible,
            self.timeout_ms,
            self.run_state,
            self.may_request,
            self.full_screenshots,
        )
        for step in steps:
            try:
                self._step(step, bindings, state, env)
            except StepFailed as exc:
                if not step.optional:
                    raise
                reason = redact(str(exc), personal_values(bindings.record or {}))
                logger.warning("optional step at line {} skipped: {}", step.line, reason)

    def _step(self, step: Step, bindings: Bindings, state: StepState, env: ActionEnv) -> None:
        logger.debug("line {}: {}", step.line, step.describe())
        if isinstance(step, When):
            holds = self.tab.holds(step.condition, bindings, state, self.run_state)
            self._steps(step.steps if holds else step.otherwise, bindings, state)
        elif isinstance(step, RunFlow):
            try:
                self._steps(step.steps, bindings, state)
            except StepFailed as exc:
                exc.flow_name = exc.flow_name or step.flow
                raise
        elif isinstance(step, ForEach):
            raise StepFailed("for_each inside another step is not supported")
        else:
            if isinstance(step, Goto):
                self.tab.before_page_load()
            if isinstance(step, Goto | Click):
                self.patience.before_request()
            try:
                self.tab.perform(step, env, state)
            except StepFailed as exc:
                exc.flow_line = exc.flow_line or step.line
                raise
            # Said now, not after the next step's timeout (the framework posts forms: clicks).
            navigated = isinstance(step, Goto | Click)
            if navigated and bindings.record is not None and self._session_lost():
                raise SessionExpired(f"{step.describe()}: the portal asked to log in again")
            if answered_badly(self.tab.trouble_seen()):  # a page load answered 5xx or failed
                raise PortalUnavailable(f"{step.describe()}: {self.tab.trouble_seen()}")

    def _session_lost(self) -> bool:
        """Did the portal just end the session (a 401, its alert, its login page)? Said at
        once, not after a timeout."""
        relogin = self.flow.relogin
        return relogin is not None and (
            self.tab.logged_out() is not None
            or self.tab.holds(relogin.when, self.bindings, StepState())
        )

    def _relogin_if_needed(self, ended: str = "") -> bool:
        """If the portal dropped the session, log in again; True when it did.

        `ended`: the portal said so in words a step read. A refused login stops the run
        (`LoginRefused`): the password is not typed again.
        """
        relogin = self.flow.relogin
        if relogin is None:
            return False
        try:
            sign = self.tab.logged_out() or ended or None
            if sign is None and not self.tab.holds(relogin.when, self.bindings, StepState()):
                return False
            logger.info("session lost ({}); logging in again", sign or "the login page shows")
            self.tab.forget_logout()
            self._steps(self._relogin_steps(), self.bindings, StepState())
        except RunStopped:
            raise
        except PortalRejected as exc:
            raise login_refused(str(exc), self.flow.portal) from None
        except PortalError as exc:
            logger.warning("re-login failed: {}", exc)
            return False
        return True

    def _relogin_steps(self) -> tuple[Step, ...]:
        for step in self.flow.walk():
            if (
                isinstance(step, RunFlow)
                and self.flow.relogin
                and step.flow == self.flow.relogin.run
            ):
                return step.steps
        raise StepFailed(f"relogin flow {self.flow.relogin!r} is not run anywhere in the flow")

    def _evidence(self, record: PlannedRecord) -> Path | None:
        """A screenshot of the page as the record failed, personal data masked (an unmasked copy
        beside it only with --full-screenshots)."""
        path = self.artefacts_dir / "failures" / f"{record.index:04d}.png"
        try:
            self.tab.screenshot(path, self.full_screenshots)
        except Exception as exc:  # evidence is best effort; never hide the record's own error
            logger.warning("could not take a failure screenshot: {}", exc)
            path.unlink(missing_ok=True)  # never an unmasked half of one
            return None
        return path
