"""What the portal did to a run: every retry, pause and resume, for the log and the reports.

The officer reads in report.json / report.html how the portal behaved (how many tries it took,
when it was down and for how long), and the log has a line for each. Records are named by
their row number only and reasons are passed through `redact`: no personal data here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.log import logger, redact

REASON_CHARS = 160  # enough for "HTTP 503 (https://…/student/form.do)"; a report is no log dump


def _now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class Pause:
    """One stretch of time the run stopped sending because the portal did not answer."""

    started_at: datetime
    reason: str
    probes: int = 0
    resumed_at: datetime | None = None
    down_s: float | None = None  # by the run's clock, once over
    gave_up: bool = False

    def as_dict(self) -> dict[str, Any]:
        ended = self.resumed_at
        return {
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "resumed_at": ended.isoformat(timespec="seconds") if ended else None,
            "down_s": None if self.down_s is None else round(self.down_s, 1),
            "probes": self.probes,
            "gave_up": self.gave_up,
            "reason": self.reason,
        }


@dataclass
class PortalTroubles:
    """Shared by every worker of a run (one thread: no lock needed, see bot.engine.workers)."""

    now: Callable[[], datetime] = _now
    retries: int = 0
    retry_wait_s: float = 0.0
    kinds: Counter[str] = field(default_factory=Counter)
    given_up: int = 0  # records given up after their time of trying
    pauses: list[Pause] = field(default_factory=list)
    throttled_s: float = 0.0  # waited to keep under the requests-a-second cap
    retry_log: list[dict[str, Any]] = field(default_factory=list)

    def retry(self, where: str, attempt: int, kind: str, wait_s: float, reason: str) -> None:
        """`where`: "record 12" or "line 3" (a step before the records)."""
        said = redact(reason)[:REASON_CHARS]
        self.retries += 1
        self.retry_wait_s += wait_s
        self.kinds[kind] += 1
        self.retry_log.append(
            {
                "at": self.now().isoformat(timespec="seconds"),
                "where": where,
                "attempt": attempt,
                "kind": kind,
                "wait_s": round(wait_s, 2),
                "reason": said,
            }
        )
        logger.warning(
            "{} attempt {} failed: {} — {}, trying again in {:.1f} s",
            where, attempt, said, kind, wait_s,
        )  # fmt: skip

    def gave_up(self, where: str, attempts: int, trying_s: float) -> None:
        self.given_up += 1
        logger.warning("{} given up after {} attempts over {:.0f} s", where, attempts, trying_s)

    def paused(self, reason: str) -> Pause:
        pause = Pause(self.now(), redact(reason)[:REASON_CHARS])
        self.pauses.append(pause)
        logger.warning("the portal is not answering ({}); the run pauses", pause.reason)
        return pause

    def probed(self, pause: Pause, answered: bool) -> None:
        pause.probes += 1
        logger.info("probe {} of the portal: {}", pause.probes, "answered" if answered else "no")

    def resumed(self, pause: Pause, down_s: float) -> None:
        pause.resumed_at, pause.down_s = self.now(), down_s
        logger.warning("the portal answers again after {:.0f} s; the run resumes", down_s)

    def stopped(self, pause: Pause, down_s: float) -> None:
        pause.resumed_at, pause.down_s, pause.gave_up = self.now(), down_s, True
        logger.error("the portal did not answer for {:.0f} s; the run stops", down_s)

    def throttled(self, wait_s: float) -> None:
        self.throttled_s += wait_s

    def as_dict(self) -> dict[str, Any]:
        """The report's `portal_troubles` section."""
        return {
            "retries": self.retries,
            "retry_wait_s": round(self.retry_wait_s, 1),
            "retries_by_kind": dict(self.kinds),
            "records_given_up": self.given_up,
            "pauses": [p.as_dict() for p in self.pauses],
            "paused_s": round(sum(p.down_s or 0.0 for p in self.pauses), 1),
            "throttled_s": round(self.throttled_s, 1),
            "retry_log": self.retry_log,
        }
