"""The requests-a-second cap, and what it costs a run at 300 ms a page (fake clock)."""

from __future__ import annotations

import pytest

from bot.engine.politeness import TokenBucket
from tests.unit.engine.fake_clock import FakeClock, Greenlets

PAGE_S = 0.3  # a page of the real portal at a quiet hour: 150–300 ms


def test_no_second_ever_holds_more_requests_than_the_cap() -> None:
    clock = FakeClock()
    bucket = TokenBucket(4, sleep=clock.sleep, clock=clock)
    sent = []
    for _ in range(40):
        bucket.take()
        sent.append(clock.now)
    for start in sent:
        within = [t for t in sent if start <= t < start + 1.0]
        assert len(within) <= 4
    assert sent[-1] - sent[0] == pytest.approx((40 - 1) / 4)
    assert bucket.waited_s == pytest.approx(sent[-1] - sent[0])


def test_no_cap_never_waits() -> None:
    clock = FakeClock()
    bucket = TokenBucket(0, sleep=clock.sleep, clock=clock)
    assert [bucket.take() for _ in range(100)] == [0.0] * 100
    assert clock.sleeps == []


def run_workers(workers: int, per_second: float, fill_s: float = 0.0, records: int = 60) -> float:
    """Seconds for `records` children on `workers` workers sharing the bucket: each child a page
    load, `fill_s` of typing, and a save, each request PAGE_S."""
    together = Greenlets()
    clock = together.clock
    bucket = TokenBucket(per_second, sleep=together.sleep, clock=clock)
    left = [records]

    def work() -> None:
        while left[0] > 0:
            left[0] -= 1
            bucket.take()
            together.sleep(PAGE_S)  # goto the form
            if fill_s:
                together.sleep(fill_s)
            bucket.take()
            together.sleep(PAGE_S)  # click save

    start = clock.now
    assert together.run(*[work] * workers) == []
    return clock.now - start


def extra(workers: int, per_second: float, fill_s: float = 0.0) -> float:
    return run_workers(workers, per_second, fill_s) / run_workers(workers, 0, fill_s) - 1


def test_what_the_default_cap_costs_at_300_ms_a_page() -> None:
    """LEC allows two workers (config/portals.yaml). At the default 6 requests a second one
    worker is never held; two lose a little when their requests collide."""
    table = {
        (workers, fill): round(extra(workers, 6, fill), 2)
        for workers in (1, 2)
        for fill in (0.0, 0.2)
    }
    print(
        f"\nextra time at 6 requests/s, {PAGE_S * 1000:.0f} ms a page, (workers, typing s): {table}"
    )
    assert table[(1, 0.0)] == 0.0 and table[(1, 0.2)] == 0.0
    assert 0.0 < table[(2, 0.2)] <= 0.06
    assert 0.0 < table[(2, 0.0)] <= 0.15  # 6.7 requests a second wanted, 6 given
    # Four workers would send 13 a second: the cap holds them to 6, as it is there to do.
    assert run_workers(4, 6) >= (60 * 2 - 1) / 6
