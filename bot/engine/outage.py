"""When the portal is down: stop sending, probe gently, resume — one pause for all workers.

After `pause_after_failures` transient failures in a row (5xx, connections failing, pages not
answering; counted over every worker, any success resets the count) the run stops sending. The
worker that saw the last failure becomes the prober: it waits, says so on the terminal with a
countdown (Thai and English), then asks the portal for one page (`probe`: a single GET). No
answer: the wait doubles, up to `probe_max_s`. An answer: the run resumes where each worker
was. Every other worker waits at its next try (`wait_while_down`), so there is one retry storm
at most: none at all. After `give_up_after_s` down (default 30 minutes) the run stops with
`PortalDown` (exit 1); the report lists the records left, and running the same command again
finishes them (bot.engine.journal).

A dropped session is not an outage (the portal answers; the runner logs in again) and is not
counted here.

All waiting goes through `sleep` — in a run, the browser session's pause, which lets the other
workers' greenlets go on — and all time through `clock`, so the tests use a fake clock.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from bot.engine.troubles import Pause, PortalTroubles
from bot.errors import RunStopped
from bot.i18n import say


class PortalDown(RunStopped):
    """The portal did not answer for longer than the ceiling: the run stops (exit 1)."""


@dataclass(frozen=True)
class OutagePolicy:
    """config/settings.yaml `outage:`."""

    pause_after_failures: int = 6  # transient failures in a row, over all workers
    probe_first_s: float = 5.0  # the first wait before a probe; it doubles each time
    probe_max_s: float = 120.0
    give_up_after_s: float = 1800.0  # down this long: stop the run


Announce = Callable[[str], None]


def terminal_line(stream: TextIO | None = None) -> Announce:
    """Say the pause on the terminal: one line kept up to date on a terminal, else one line
    per change (a log file or a scheduled run's output gets no countdown every second)."""
    out = stream or sys.stderr
    live = out.isatty()
    last = [""]

    def announce(text: str) -> None:
        if live:
            out.write("\r\x1b[2K" + text + ("\n" if not text.startswith("⏳") else ""))
            out.flush()
        elif not text.startswith("⏳") or not last[0].startswith("⏳"):
            out.write(text + "\n")
            out.flush()
        last[0] = text

    return announce


@dataclass
class Outage:
    """The run's one shared view of whether the portal is up."""

    policy: OutagePolicy
    probe: Callable[[], bool]  # one GET; True when the portal answered (below 500)
    troubles: PortalTroubles
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    announce: Announce = field(default_factory=terminal_line)
    in_a_row: int = 0
    down: bool = False
    stopped: str = ""  # the reason, once the ceiling was reached
    paused_total_s: float = 0.0  # time the run has spent paused, for the records' budgets
    _down_since: float = 0.0

    def succeeded(self) -> None:
        """A record (or a step) went through: the portal answers."""
        self.in_a_row = 0

    def failed(self, reason: str) -> None:
        """A transient failure; the one that makes `pause_after_failures` in a row pauses the
        run (this worker probes until the portal answers, or raises `PortalDown`)."""
        self.wait_while_down()
        self.in_a_row += 1
        if self.in_a_row >= self.policy.pause_after_failures:
            self._ride_out(reason)

    def wait_while_down(self) -> None:
        """Before a try: while another worker probes, wait; stop if it gave up."""
        while self.down:
            self.sleep(1.0)
        if self.stopped:
            raise PortalDown(self.stopped)

    def paused_s(self) -> float:
        """Seconds paused so far, the pause in progress included."""
        ongoing = self.clock() - self._down_since if self.down else 0.0
        return self.paused_total_s + ongoing

    def _ride_out(self, reason: str) -> None:
        self.down, self._down_since = True, self.clock()
        pause = self.troubles.paused(reason)
        self.announce(
            say(
                f"⚠ ระบบไม่ตอบสนอง ({pause.reason}) หยุดส่งข้อมูลชั่วคราว จะลองติดต่อเป็นระยะ",
                f"⚠ The portal is not answering ({pause.reason}); edubot stopped sending and "
                "will check on it now and then",
            )
        )
        try:
            self._probe_until_up(pause)
        finally:
            self.paused_total_s += self.clock() - self._down_since
            self.down, self.in_a_row = False, 0

    def _probe_until_up(self, pause: Pause) -> None:
        wait = self.policy.probe_first_s
        while True:
            self._count_down(wait)
            answered = self.probe()
            self.troubles.probed(pause, answered)
            down_s = self.clock() - self._down_since
            if answered:
                self.troubles.resumed(pause, down_s)
                self.announce(
                    say(
                        f"✔ ระบบกลับมาตอบแล้ว (หยุดไป {_minutes(down_s)}) ทำต่อจากที่ค้างไว้",
                        f"✔ The portal answers again (down {_minutes(down_s)}); "
                        "going on where the run was",
                    )
                )
                return
            if down_s >= self.policy.give_up_after_s:
                self.troubles.stopped(pause, down_s)
                self.stopped = say(
                    f"ระบบไม่ตอบสนองนาน {_minutes(down_s)} edubot หยุดการทำงาน รายการที่ยังไม่ได้ทำ"
                    "อยู่ในรายงาน รันคำสั่งเดิมอีกครั้งเมื่อระบบกลับมา จะทำต่อจากที่ค้างไว้",
                    f"The portal did not answer for {_minutes(down_s)}; edubot stopped. The "
                    "report lists the records left: run the same command again when the portal "
                    "is back and it finishes them",
                )
                self.announce("✖ " + self.stopped)
                raise PortalDown(self.stopped)
            wait = min(wait * 2, self.policy.probe_max_s)

    def _count_down(self, seconds: float) -> None:
        """Wait `seconds`, saying each second how long until the next probe."""
        left = seconds
        while left > 0:
            down_s = self.clock() - self._down_since
            self.announce(
                say(
                    f"⏳ ระบบไม่ตอบสนองมา {_minutes(down_s)} — ลองใหม่ใน {left:.0f} วินาที",
                    f"⏳ portal down for {_minutes(down_s)} — next check in {left:.0f} s",
                )
            )
            step = min(1.0, left)
            self.sleep(step)
            left -= step


def _minutes(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
