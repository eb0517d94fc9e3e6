"""A fresh mock LEC in this process, with every request it serves timed.

The mock counts requests (`/_mock/state`) but keeps no timestamps, so the benchmark wraps the
app in `RequestLog` — an ASGI wrapper living here, outside the mock — that notes when each
request arrived and when its response ended, on `time.monotonic()`. On Linux that clock is
system-wide, so it compares directly with the moment the harness spawned a contender: "start
to first navigation" is the first request's arrival minus the spawn time, as the server saw it.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_portals.lec.app import create_app
from mock_portals.lec.markup import DEFAULT_MARKUP
from mock_portals.serve import serve_in_thread

MOCK_PREFIX = "/_mock/"


@dataclass(frozen=True)
class Hit:
    """One request the mock served: what, when it arrived, when its response ended."""

    method: str
    path: str
    arrived: float
    finished: float


class RequestLog:
    """Wraps an ASGI app and records a `Hit` per HTTP request (test surface `/_mock/` excluded)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._hits: list[Hit] = []
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(MOCK_PREFIX):
            await self.app(scope, receive, send)
            return
        arrived = time.monotonic()

        async def timed_send(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                hit = Hit(scope["method"], path, arrived, time.monotonic())
                with self._lock:
                    self._hits.append(hit)

        await self.app(scope, receive, timed_send)

    def take(self) -> list[Hit]:
        """The hits so far, oldest first; the log starts empty again."""
        with self._lock:
            hits, self._hits = self._hits, []
        return sorted(hits, key=lambda h: h.arrived)


@dataclass
class Mock:
    """A served mock LEC: its URL, its request log, and a client for `/_mock/`."""

    url: str
    log: RequestLog
    client: httpx.Client

    def request_counts(self) -> Counter[str]:
        """`/_mock/state` → `requests` ("METHOD /path": count), the mock's own counter."""
        return Counter(self._state()["requests"])

    def student_count(self) -> int:
        return len(self._state()["students"])

    def students(self) -> list[dict[str, Any]]:
        students: list[dict[str, Any]] = self._state()["students"]
        return students

    def _state(self) -> dict[str, Any]:
        response = self.client.get("/_mock/state")
        response.raise_for_status()
        state: dict[str, Any] = response.json()
        return state


@contextmanager
def fresh_mock(latency_ms: float, markup: str = DEFAULT_MARKUP) -> Iterator[Mock]:
    """A mock LEC on 127.0.0.1 with empty student tables in a new state dir, `latency_ms` set,
    in the rendering `markup` (the framework's by default, as `make demo` serves it)."""
    with tempfile.TemporaryDirectory(prefix="edubot-bench-lec-") as state:
        log = RequestLog(create_app(Path(state), seed=False))
        with serve_in_thread(log) as served, httpx.Client(base_url=served.url) as client:
            client.post("/_mock/settings", json={"markup": markup}).raise_for_status()
            client.post("/_mock/faults", json={"latency_ms": latency_ms}).raise_for_status()
            yield Mock(served.url, log, client)
