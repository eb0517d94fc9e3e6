"""The retry policy: what is retried, for how long, with which waits (a fake clock)."""

from __future__ import annotations

import random

import pytest

from bot.engine.patience import Kind, PatiencePolicy, PortalUnavailable, Tries, classify
from bot.errors import (
    LoginRefused,
    OutcomeUnknown,
    PortalRejected,
    PreconditionFailed,
    RunStopped,
    SafetyError,
    SessionExpired,
    StepFailed,
)  # fmt: skip
from tests.unit.engine.fake_clock import FakeClock

SERVER_ERROR = StepFailed("the portal answered 500: ระบบขัดข้อง กรุณาลองใหม่อีกครั้ง")
MISSING_LABEL = StepFailed("fill 'ชื่อ': Timeout 15000ms exceeded.")


@pytest.mark.parametrize(
    ("exc", "sign", "kind"),
    [
        (SERVER_ERROR, None, Kind.TRANSIENT),
        (
            StepFailed("goto student/form.do: net::ERR_EMPTY_RESPONSE at http://x/"),
            None,
            Kind.TRANSIENT,
        ),
        (StepFailed("expect text: page at chrome-error://chromewebdata/"), None, Kind.TRANSIENT),
        (SessionExpired("goto: the portal asked to log in again"), None, Kind.TRANSIENT),
        (PortalUnavailable("HTTP 503"), None, Kind.TRANSIENT),
        # The same words as a changed page, but the tab saw the portal answer 503 meanwhile.
        (MISSING_LABEL, "HTTP 503 (http://127.0.0.1/student/form.do)", Kind.TRANSIENT),
        (MISSING_LABEL, None, Kind.UNSURE),
        (PortalRejected("ระดับชั้นนี้ไม่เปิดสอนในสถานศึกษา"), "HTTP 500 (x)", Kind.REFUSED),
        (RunStopped("โรงเรียนยืนยันข้อมูลแล้ว"), None, Kind.REFUSED),
        (LoginRefused("รหัสผ่านไม่ถูกต้อง"), None, Kind.REFUSED),
        (SafetyError("wall"), None, Kind.FINAL),
        (OutcomeUnknown("?"), "HTTP 502 (x)", Kind.FINAL),
        (PreconditionFailed("no"), None, Kind.FINAL),
    ],
)
def test_classify_tells_a_struggling_portal_from_a_refusal(
    exc: Exception, sign: str | None, kind: Kind
) -> None:
    assert classify(exc, sign) is kind


def tries(clock: FakeClock, paused: list[float] | None = None, **policy: float) -> Tries:
    held = paused if paused is not None else [0.0]
    return Tries(PatiencePolicy(**policy), clock=clock, paused=lambda: held[0])  # type: ignore[arg-type]


def test_a_transient_failure_is_retried_until_the_time_budget_not_a_count() -> None:
    random.seed(7)  # tenacity's jitter draws from `random`
    clock = FakeClock()
    record = tries(clock, give_up_after_s=600, backoff_s=1, backoff_max_s=60)
    waits: list[float] = []
    while True:
        record.begin()
        clock.advance(2.0)  # an attempt takes two seconds and fails with a 500
        wait = record.wait_before_next(SERVER_ERROR)
        if wait is None:
            break
        waits.append(wait)
        clock.sleep(wait)
    assert record.attempts > 10, "a count of three would have given up long before"
    assert 600 <= record.trying_s() <= 600 + 2.0
    assert all(0 <= w <= 60 for w in waits)
    # Exponential with full jitter: each wait falls in a window that doubles, to the cap.
    for n, w in enumerate(waits, start=1):
        assert w <= min(2 ** (n - 1), 60) + 1e-9, (n, w)
    assert max(waits) > 8, "the windows grew"
    assert len(set(waits)) == len(waits), "jitter: no two waits alike"


def test_the_last_wait_never_runs_past_the_budget() -> None:
    clock = FakeClock()
    record = tries(clock, give_up_after_s=10, backoff_s=100, backoff_max_s=100)
    record.begin()
    clock.advance(9.0)
    wait = record.wait_before_next(SERVER_ERROR)
    assert wait is not None and wait <= 1.0


def test_a_refusal_is_never_retried() -> None:
    record = tries(FakeClock())
    record.begin()
    assert record.wait_before_next(PortalRejected("เลขประจำตัวประชาชนไม่ถูกต้อง")) is None
    assert record.wait_before_next(OutcomeUnknown("?")) is None


def test_a_failure_without_a_sign_of_trouble_keeps_the_old_count() -> None:
    clock = FakeClock()
    record = tries(clock, unsure_attempts=3)
    outcomes = []
    for _ in range(3):
        record.begin()
        outcomes.append(record.wait_before_next(MISSING_LABEL))
    assert [w is not None for w in outcomes] == [True, True, False]
    assert clock.now - 1000.0 < 1.0, "a changed page costs no ten minutes"


def test_time_spent_in_an_outage_pause_is_not_counted_against_the_record() -> None:
    clock, paused = FakeClock(), [50.0]
    record = tries(clock, paused, give_up_after_s=600)
    record.begin()
    clock.advance(1500.0)  # the run was paused 25 minutes meanwhile
    paused[0] += 1490.0
    assert record.trying_s() == pytest.approx(10.0)
    assert record.wait_before_next(SERVER_ERROR) is not None
    assert "tried 1 times over 0.2 min" in record.spent()
