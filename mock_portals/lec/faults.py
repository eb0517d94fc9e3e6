"""Simulated network and server trouble, and per-route request counts (test-only surface).

The middleware counts every request, then (outside `/_mock/`) waits the configured latency and
answers a share of form POSTs with 500 before the app sees them, so a fault never stores or
half-stores anything. `trickle_ms` sends a page's second half that much after its first, as a
busy JSP server flushing its output does: the browser shows (and a bot may read) half a page.
A busy portal also goes down for a while (`down_for_s`: 503 or connections closed unanswered),
serves some pages seconds late (`slow_ms`), and stores a save whose answer never arrives
(`lost_answer_rate`). A per-route fault may name a framework page's command, as in
`"POST /student/student.do?cmd=doSave"`: on the framework rendering one URL takes every command
(the list, the form, the save) in its form's hidden `cmd`, so the route alone cannot single out
the saves. The middleware sits outside Starlette's own error middleware so that it
can close the connection itself (see `drop_connection`). What may be set, and its checks, is in
`fault_settings.py`.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qs

from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_portals.lec.fault_settings import Faults

MOCK_PREFIX = "/_mock/"
SERVER_ERROR_HTML = (
    '<!doctype html><html lang="th"><meta charset="utf-8"><title>500</title>'
    '<div role="alert" class="alert alert-danger">ระบบขัดข้อง กรุณาลองใหม่อีกครั้ง</div></html>'
)


GATEWAY_TIMEOUT_HTML = "<!doctype html><title>504</title><h1>504 Gateway Time-out</h1>"
SERVICE_UNAVAILABLE_HTML = "<!doctype html><title>503</title><h1>503 Service Unavailable</h1>"


T = TypeVar("T")


class ConnectionDroppedError(ConnectionError):
    """Raised into an in-process client (no TCP connection to close) where a served mock would
    close the connection without an answer."""


class FaultInjector:
    """The current fault settings and the random source that applies them."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock  # the outage window's time; tests inject a fake one
        self.set(Faults())

    def set(self, faults: Faults) -> None:
        with self._lock:
            self.faults = faults
            self._random = random.Random(faults.seed)
            self._requests = 0  # requests outside /_mock/ since this setting
            self._down_since: float | None = None

    def outage(self) -> str | None:
        """The down mode ("503" or "refuse") while this request falls in the outage; else None.

        Called once per request outside /_mock/: the window opens at the
        `down_from_request`-th one and stays open `down_for_s` by the clock."""
        with self._lock:
            faults = self.faults
            if faults.down_for_s <= 0:
                return None
            self._requests += 1
            if self._down_since is None:
                if self._requests < (faults.down_from_request or 1):
                    return None
                self._down_since = self._clock()
            down = self._clock() - self._down_since < faults.down_for_s
        return faults.down_mode if down else None

    def names_commands(self, route: str) -> bool:
        """Whether a per-route fault names a command of `route` ("POST /x.do?cmd=doSave"): then
        the request's `cmd` must be read to know which faults apply."""
        with self._lock:
            faults = self.faults
        tables: list[Any] = [faults.answer_delay_ms, faults.request_delay_ms, faults.slow_ms]
        tables += [faults.gateway_timeout, faults.lost_answer_rate]
        prefix = f"{route}?cmd="
        return any(isinstance(t, dict) and any(k.startswith(prefix) for k in t) for t in tables)

    def slow_s(self, route: Route) -> float:
        """How long the page takes to build (the command, the route, else the bare path)."""
        with self._lock:
            slow = self.faults.slow_ms
        return _per_route(slow, route, slow.get(route.path, 0)) / 1000

    def loses_answer(self, route: Route) -> bool:
        """Whether this request is handled and then left unanswered (lost_answer_rate)."""
        with self._lock:
            lost = self.faults.lost_answer_rate
            if isinstance(lost, dict):
                rate = _per_route(lost, route, 0)
            else:
                rate = lost if route.method == "POST" else 0
            # No draw when the rate is 0: error_rate's sequence for a seed stays as it was.
            return rate > 0 and self._random.random() < rate

    def delay_s(self) -> float:
        with self._lock:
            jitter = self._random.uniform(-1, 1) * self.faults.jitter_ms
        return max(0.0, self.faults.latency_ms + jitter) / 1000

    def trickle_s(self) -> float:
        with self._lock:
            return self.faults.trickle_ms / 1000

    def route_delays_s(self, route: Route) -> tuple[float, float]:
        """(before handling, before answering) for the route, in seconds."""
        with self._lock:
            faults = self.faults
        before = _per_route(faults.request_delay_ms, route, 0) / 1000
        return before, _per_route(faults.answer_delay_ms, route, 0) / 1000

    def gateway_timeout(self, route: Route) -> str | None:
        """ "handled" or "lost" when a gateway answers this route 504; else None."""
        with self._lock:
            return _per_route(self.faults.gateway_timeout, route, None)

    def should_fail(self) -> bool:
        with self._lock:
            return self._random.random() < self.faults.error_rate


@dataclass(frozen=True)
class Route:
    """A request as the per-route faults name it: `METHOD /path`, and the framework command
    it carries when a fault names one (else "")."""

    method: str
    path: str
    command: str = ""

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _per_route(table: Mapping[str, T], route: Route, default: T) -> T:
    """The value `table` gives the route's command, else the route, else `default`."""
    if route.command and f"{route}?cmd={route.command}" in table:
        return table[f"{route}?cmd={route.command}"]
    return table.get(str(route), default)


class RequestCounter:
    """How many requests each `METHOD path` received since start or reset."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, key: str) -> None:
        with self._lock:
            self._counts[key] += 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


class FaultMiddleware:
    """Counts, delays and fails requests as the injector says; `/_mock/` is only counted.

    It wraps the whole Starlette app (see `app.py`), outside its error middleware: closing a
    connection needs uvicorn's own `send`, and an in-process client gets the exception itself.
    """

    def __init__(self, app: ASGIApp, injector: FaultInjector, counter: RequestCounter) -> None:
        self.app = app
        self.injector = injector
        self.counter = counter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        self.counter.add(f"{method} {path}")
        if not path.startswith(MOCK_PREFIX):
            delay = self.injector.delay_s()
            if delay > 0:
                await asyncio.sleep(delay)  # the simulated network, inside the server
            down = self.injector.outage()
            if down == "refuse":
                await drop_connection(send)
                return
            if down is not None:
                await HTMLResponse(SERVICE_UNAVAILABLE_HTML, status_code=503)(scope, receive, send)
                return
            if method == "POST" and self.injector.should_fail():
                await HTMLResponse(SERVER_ERROR_HTML, status_code=500)(scope, receive, send)
                return
            trickle = self.injector.trickle_s()
            if trickle > 0:
                send = _trickling(send, trickle)
            route = Route(method, path)
            if self.injector.names_commands(str(route)):
                command, receive = await _command_of(scope, receive)
                route = Route(method, path, command)
            before, after = self.injector.route_delays_s(route)
            before += self.injector.slow_s(route)
            if before > 0:
                await asyncio.sleep(before)  # the request arrives late, or the page is slow
            if after > 0:
                send = _answering_late(send, after)
            gateway = self.injector.gateway_timeout(route)
            if gateway is not None:
                if gateway == "handled":
                    await self.app(scope, receive, _swallowed)
                await HTMLResponse(GATEWAY_TIMEOUT_HTML, status_code=504)(scope, receive, send)
                return
            if self.injector.loses_answer(route):
                await self.app(scope, receive, _swallowed)  # handled and committed
                await drop_connection(send)
                return
        await self.app(scope, receive, send)


async def buffer_body(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole request body, and a `receive` that hands it to the app again."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


async def _command_of(scope: Scope, receive: Receive) -> tuple[str, Receive]:
    """The request's framework command (its form's `cmd`, else the query's, as Struts reads
    it), and a `receive` that hands the body read for it to the app again."""
    body, replay = await buffer_body(receive)
    query = scope.get("query_string", b"").decode("latin-1")
    found = parse_qs(body.decode("latin-1")).get("cmd") or parse_qs(query).get("cmd") or [""]
    return found[0], replay


async def drop_connection(send: Send) -> None:
    """Close the client's connection without an answer.

    ASGI has no message for this. Under uvicorn `send` is the request cycle's bound method and
    its `transport` the TCP connection; closing it, then yielding once so uvicorn sees the
    connection lost, leaves the client with no answer at all (uvicorn would otherwise send its
    own 500). An in-process client has no connection: it gets `ConnectionDroppedError`."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionDroppedError("The mock closed the connection without an answer.")
    transport.close()
    await asyncio.sleep(0)


async def _swallowed(message: Message) -> None:
    """Where the portal's own answer goes when the gateway answers instead."""


def _answering_late(send: Send, pause_s: float) -> Send:
    """A `send` that holds the answer `pause_s`: the portal has done the work by then."""

    async def send_late(message: Message) -> None:
        if message["type"] == "http.response.start":
            await asyncio.sleep(pause_s)
        await send(message)

    return send_late


def _trickling(send: Send, pause_s: float) -> Send:
    """A `send` that splits an HTML body in two and sends the second half `pause_s` later.

    The headers (Content-Length included) go out unchanged: the browser commits the page on the
    first half and parses it while the rest is on its way."""
    html = False

    async def send_in_halves(message: Message) -> None:
        nonlocal html
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers", []))
            html = headers.get(b"content-type", b"").startswith(b"text/html")
        body = message.get("body", b"")
        if message["type"] != "http.response.body" or not html or len(body) < 2:
            await send(message)
            return
        half = len(body) // 2
        await send({**message, "body": body[:half], "more_body": True})
        await asyncio.sleep(pause_s)  # the simulated slow server
        await send({**message, "body": body[half:]})

    return send_in_halves
