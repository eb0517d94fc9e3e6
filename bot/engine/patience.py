"""How long to keep trying one record (or the login) when the portal struggles.

On deadline day a government portal answers slowly, fails some requests (5xx), drops sessions
and closes connections. None of that is the record's fault, so a record is given up only after
`give_up_after_s` of trying (default 10 minutes), not after a count of tries; the waits between
tries grow exponentially with full jitter (tenacity's `wait_random_exponential`), so that many
workers (and many municipalities) do not come back at the same moment.

What is retried and what is not:

- **transient** — the portal failed, not the data: a 5xx, a connection error (`net::ERR_…`,
  Chromium's error page), a page that never answered, a dropped session, a failed re-login.
  Retried until the time budget is spent.
- **refused** — the portal read the data and said no (its validation message): never retried,
  the officer must change the data.
- **final** — a safety rule, a precondition of an irreversible step, an unknown outcome: never
  retried here (the runner stops or settles the press itself).
- **unsure** — anything else (an element missing on a page that loaded fine, an expectation not
  met): perhaps a changed portal, which no wait mends. Tried `unsure_attempts` times (the old
  count), so a changed page does not cost ten minutes a record.

Time spent in a shared outage pause (bot.engine.outage) does not count against a record: it is
time the run waited for the portal, not time the record was tried.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

import tenacity

from bot.config import Settings
from bot.engine.outage import Outage, OutagePolicy
from bot.engine.politeness import TokenBucket
from bot.engine.troubles import PortalTroubles
from bot.errors import (
    OutcomeUnknown,
    PortalRejected,
    PreconditionFailed,
    SafetyError,
    SessionExpired,
    StepFailed,
)  # fmt: skip
from bot.i18n import say


class PortalUnavailable(StepFailed):
    """The portal answered a page with a server error (5xx) or not at all: try again later."""


class Kind(Enum):
    TRANSIENT = "transient"
    REFUSED = "refused"
    FINAL = "final"
    UNSURE = "unsure"


# Words in a step's error that show the portal (or the way to it) failed, not the data. The
# first two are edubot's own (bot.engine.actions: an error page behind `reject_on`, a snapshot
# download); the rest are Chromium's for a connection that failed or an answer that never came.
TRANSIENT_SIGNS = (
    "the portal answered 5",
    "net::ERR_",
    "chrome-error://",
    "ERR_EMPTY_RESPONSE",
    "Navigation timeout",
)


def classify(exc: BaseException, sign: str | None = None) -> Kind:
    """What kind of failure `exc` is; `sign` is what the tab saw go wrong on the wire during
    the attempt (a 5xx document, a failed or unanswered navigation), if anything."""
    if isinstance(exc, SafetyError | OutcomeUnknown | PreconditionFailed):
        return Kind.FINAL
    if isinstance(exc, PortalRejected):
        return Kind.REFUSED
    if isinstance(exc, SessionExpired | PortalUnavailable) or sign:
        return Kind.TRANSIENT
    if isinstance(exc, StepFailed) and any(s in str(exc) for s in TRANSIENT_SIGNS):
        return Kind.TRANSIENT
    return Kind.UNSURE


@dataclass(frozen=True)
class PatiencePolicy:
    """config/settings.yaml `retries:`."""

    give_up_after_s: float = 600.0  # of trying one record, outage pauses not counted
    backoff_s: float = 1.0  # the first wait's window; it doubles each try
    backoff_max_s: float = 60.0
    unsure_attempts: int = 3  # tries for a failure that shows no sign of a struggling portal


@dataclass
class Tries:
    """The tries of one record (or one step before the records): when to try again.

    `clock` and `paused` are seams for tests: `paused()` is the seconds the whole run has
    spent in outage pauses so far, which the record's trying time leaves out.
    """

    policy: PatiencePolicy
    clock: Callable[[], float] = time.monotonic
    paused: Callable[[], float] = lambda: 0.0
    attempts: int = 0
    unsure: int = 0
    _started: float = field(default=0.0, init=False)
    _paused_at_start: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self._started = self.clock()
        self._paused_at_start = self.paused()
        policy = self.policy
        # tenacity holds the rules; this object feeds them the record's own clock (tenacity's
        # would count outage pauses, and a fake clock in tests could not stand in for it).
        self._rules = tenacity.Retrying(
            stop=tenacity.stop_after_delay(policy.give_up_after_s),
            wait=tenacity.wait_random_exponential(
                multiplier=policy.backoff_s, max=policy.backoff_max_s
            ),
        )

    def trying_s(self) -> float:
        """Seconds spent on this record so far, outage pauses left out."""
        paused = self.paused() - self._paused_at_start
        return max(0.0, self.clock() - self._started - paused)

    def begin(self) -> int:
        """An attempt starts; returns its number (1, 2, …)."""
        self.attempts += 1
        return self.attempts

    def wait_before_next(self, exc: BaseException, sign: str | None = None) -> float | None:
        """After a failed attempt: the seconds to wait before the next, or None to give up."""
        kind = classify(exc, sign)
        if kind in (Kind.REFUSED, Kind.FINAL):
            return None
        if kind is Kind.UNSURE:
            self.unsure += 1
            if self.unsure >= self.policy.unsure_attempts:
                return None
        state = tenacity.RetryCallState(self._rules, None, (), {})
        state.attempt_number = max(self.attempts, 1)
        state.set_exception((type(exc), exc, exc.__traceback__))
        state.start_time, state.outcome_timestamp = 0.0, self.trying_s()
        if self._rules.stop(state):
            return None
        wait = float(self._rules.wait(state))
        # Never wait past the budget: the last try comes before the record is given up.
        return min(wait, max(0.0, self.policy.give_up_after_s - self.trying_s()))

    def spent(self) -> str:
        """How the tries went, for the record's message when it is given up."""
        minutes = self.trying_s() / 60
        return say(
            f"ลองแล้ว {self.attempts} ครั้งใน {minutes:.1f} นาที",
            f"tried {self.attempts} times over {minutes:.1f} min",
        )


@dataclass
class Patience:
    """A run's patience, shared by its workers: the policy for each record's tries, the one
    outage pause, the requests-a-second cap, and the log of what the portal did."""

    policy: PatiencePolicy = field(default_factory=PatiencePolicy)
    outage: Outage | None = None
    bucket: TokenBucket | None = None
    troubles: PortalTroubles = field(default_factory=PortalTroubles)
    clock: Callable[[], float] = time.monotonic

    def tries(self) -> Tries:
        paused = self.outage.paused_s if self.outage else (lambda: 0.0)
        return Tries(self.policy, self.clock, paused)

    def before_try(self) -> None:
        """While the portal is down, wait; raises `PortalDown` once the run gave up."""
        if self.outage:
            self.outage.wait_while_down()

    def before_request(self) -> None:
        """Before a step that asks the portal for a page: keep under the cap."""
        if self.bucket:
            self.troubles.throttled(self.bucket.take())

    def succeeded(self) -> None:
        if self.outage:
            self.outage.succeeded()

    def after_failure(
        self, tries: Tries, failure: BaseException, sign: str | None, where: str, reason: str
    ) -> float | None:
        """A try failed: the wait before the next one, or None to give up. A transient failure
        also counts toward the outage pause (which may hold this worker until the portal is
        back); a dropped session does not (the portal answers; the runner logs in again)."""
        kind = classify(failure, sign)
        if sign and sign not in reason:
            reason = f"{reason} [{sign}]"  # what the tab saw: the cause behind the step's words
        wait = tries.wait_before_next(failure, sign)
        if wait is None:
            if kind in (Kind.TRANSIENT, Kind.UNSURE):
                self.troubles.gave_up(where, tries.attempts, tries.trying_s())
            return None
        self.troubles.retry(where, tries.attempts, kind.value, wait, reason)
        if self.outage and kind is Kind.TRANSIENT and not isinstance(failure, SessionExpired):
            self.outage.failed(sign or reason)
        return wait


def patience_from(
    settings: Settings, sleep: Callable[[float], None], probe: Callable[[], bool]
) -> Patience:
    """A run's patience as config/settings.yaml sets it; `sleep` lets the other workers go on."""
    retries, outage = settings.retries, settings.outage
    troubles = PortalTroubles()
    policy = PatiencePolicy(
        give_up_after_s=retries.give_up_after_min * 60,
        backoff_s=retries.backoff_s,
        backoff_max_s=retries.backoff_max_s,
        unsure_attempts=retries.attempts,
    )
    pause = OutagePolicy(
        pause_after_failures=outage.pause_after_failures,
        probe_first_s=outage.probe_first_s,
        probe_max_s=outage.probe_max_s,
        give_up_after_s=outage.give_up_after_min * 60,
    )
    return Patience(
        policy,
        Outage(pause, probe, troubles, sleep=sleep),
        TokenBucket(settings.politeness.requests_per_s, sleep=sleep),
        troubles,
    )
