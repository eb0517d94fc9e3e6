"""The shared pause when the portal is down: count, probe, grow, resume or stop (fake clock)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from bot.engine.outage import Outage, OutagePolicy, PortalDown, terminal_line
from bot.engine.troubles import PortalTroubles
from tests.unit.engine.fake_clock import FakeClock, Greenlets


def outage(
    clock: FakeClock, answers: Callable[[], bool], said: list[str], **policy: float
) -> Outage:
    settings = OutagePolicy(**{"pause_after_failures": 3, **policy})  # type: ignore[arg-type]
    return Outage(
        settings, answers, PortalTroubles(), sleep=clock.sleep, clock=clock, announce=said.append
    )


def up_after(clock: FakeClock, seconds: float, probes: list[float]) -> Callable[[], bool]:
    start = clock.now

    def probe() -> bool:
        probes.append(clock.now - start)
        return clock.now - start >= seconds

    return probe


def test_failures_below_the_threshold_or_broken_by_a_success_never_pause() -> None:
    clock, said, probes = FakeClock(), list[str](), list[float]()
    watch = outage(clock, up_after(clock, 0, probes), said)
    for _ in range(10):
        watch.failed("HTTP 500")
        watch.failed("HTTP 500")
        watch.succeeded()
    assert probes == [] and said == [] and clock.sleeps == []


def test_a_pause_probes_at_growing_intervals_capped_then_resumes() -> None:
    clock, said, probes = FakeClock(), list[str](), list[float]()
    watch = outage(clock, up_after(clock, 400, probes), said, probe_first_s=5, probe_max_s=120)
    watch.failed("HTTP 503 (x)")
    watch.failed("HTTP 503 (x)")
    watch.failed("HTTP 503 (x)")  # the third in a row: this call rides the outage out

    gaps = [b - a for a, b in zip([0.0, *probes], probes, strict=False)]
    assert gaps == [5, 10, 20, 40, 80, 120, 120, 120]
    assert not watch.down and watch.in_a_row == 0
    assert watch.paused_s() == pytest.approx(sum(gaps))
    assert all(s <= 1.0 for s in clock.sleeps), "the countdown says each second"
    (pause,) = watch.troubles.pauses
    assert pause.probes == len(probes) and not pause.gave_up
    assert pause.resumed_at is not None
    # Thai and English, the countdown in between.
    assert "ระบบไม่ตอบสนอง" in said[0] and "not answering" in said[0]
    assert any("ลองใหม่ใน 120 วินาที" in s and "next check in 120 s" in s for s in said)
    assert "กลับมาตอบแล้ว" in said[-1] and "answers again (down 8:35)" in said[-1]
    assert pause.down_s == pytest.approx(515)


def test_down_past_the_ceiling_stops_the_run_and_every_worker() -> None:
    clock, said = FakeClock(), list[str]()
    watch = outage(
        clock, lambda: False, said, probe_first_s=5, probe_max_s=120, give_up_after_s=1800
    )
    watch.failed("net::ERR_CONNECTION_REFUSED")
    watch.failed("net::ERR_CONNECTION_REFUSED")
    with pytest.raises(PortalDown) as stopped:
        watch.failed("net::ERR_CONNECTION_REFUSED")
    assert 1800 <= clock.now - 1000.0 <= 1800 + 120
    assert "records left" in str(stopped.value) and "รายการที่ยังไม่ได้ทำ" in str(stopped.value)
    assert watch.troubles.pauses[0].gave_up
    # Another worker at its next try stops too, without probing again.
    with pytest.raises(PortalDown):
        watch.wait_while_down()


def test_workers_share_one_pause_and_all_go_on_when_the_portal_answers() -> None:
    """Two workers as greenlets: one trips the pause and probes; the other, at its next try,
    waits for that pause instead of sending, and both go on once the portal answers."""
    together = Greenlets()
    clock, said, probes = together.clock, list[str](), list[float]()
    watch = outage(clock, up_after(clock, 12, probes), said, probe_first_s=5)
    watch.sleep = together.sleep
    tried_at: dict[str, list[float]] = {"a": [], "b": []}

    def worker(name: str, tries: int, every_s: float) -> Callable[[], None]:
        def work() -> None:
            for _ in range(tries):
                watch.wait_while_down()
                tried_at[name].append(clock.now - 1000.0)
                together.sleep(every_s)
                if clock.now - 1000.0 >= 12:  # the portal is back
                    watch.succeeded()
                else:
                    watch.failed("HTTP 503")

        return work

    errors = together.run(worker("a", 6, 1.0), worker("b", 6, 1.5))

    assert errors == []
    assert len(watch.troubles.pauses) == 1, "one pause for all, not one per worker"
    (pause,) = watch.troubles.pauses
    # a fails at 1 and 2 s, b at 1.5: the third in a row (a, at 2 s) pauses the run; probes
    # at +5 s (down) and +15 s (answered).
    resumed = 2.0 + 15.0
    assert pause.down_s == pytest.approx(15.0)
    # No try of either worker fell inside the pause: b waited for a's probes.
    inside = [t for ts in tried_at.values() for t in ts if 2.0 < t < resumed]
    assert inside == [], tried_at
    assert resumed in tried_at["a"] and len(tried_at["a"]) == 6
    assert min(t for t in tried_at["b"] if t > 2.0) >= resumed and len(tried_at["b"]) == 6


class Terminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_the_countdown_keeps_one_line_on_a_terminal_and_one_line_a_change_in_a_log() -> None:
    said = ["⚠ down", *(f"⏳ next check in {n} s" for n in (3, 2, 1)), "✔ up"]
    live, log = Terminal(tty=True), Terminal(tty=False)
    for stream in (live, log):
        announce = terminal_line(stream)
        for text in said:
            announce(text)
    assert log.getvalue() == "⚠ down\n⏳ next check in 3 s\n✔ up\n"
    screen = live.getvalue()
    assert screen.count("\n") == 2 and screen.count("\r\x1b[2K") == len(said)
    assert screen.endswith("\r\x1b[2K✔ up\n")
