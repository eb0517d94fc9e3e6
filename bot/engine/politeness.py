"""A cap on the requests a second the whole run sends, however many workers it has.

A token bucket of one token, taken before every step that makes the browser ask the portal for
a page (a `goto`, a `click`: a click may submit a form): requests go at least 1/`per_second`
apart, so no second ever holds more than `per_second` of them. At 300 ms a page the default of
6 a second never holds one worker, and holds two (LEC's most, config/portals.yaml) 5–12 % when
their requests collide (tests/unit/engine/test_politeness.py measures it).

A page's own requests (scripts, styles) are not counted: they follow the page the bucket let
through, and the portal serves them from the same load.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """Shared by every worker of a run (one thread: no lock needed, see bot.engine.workers)."""

    per_second: float  # 0: no cap
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    waited_s: float = 0.0  # in all, for the report
    _tokens: float = field(default=0.0, init=False)
    _at: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self._tokens, self._at = 1.0, self.clock()

    def take(self) -> float:
        """Wait until a request may go; return the seconds waited."""
        if self.per_second <= 0:
            return 0.0
        waited = 0.0
        while True:
            now = self.clock()
            self._tokens = min(1.0, self._tokens + (now - self._at) * self.per_second)
            self._at = now
            if self._tokens >= 1.0 - 1e-9:  # a hair under: float rounding, not a wait
                self._tokens = max(0.0, self._tokens - 1.0)
                self.waited_s += waited
                return waited
            wait = (1.0 - self._tokens) / self.per_second
            self.sleep(wait)
            waited += wait
