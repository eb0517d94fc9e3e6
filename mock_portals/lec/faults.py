"""Simulated network and server trouble, and per-route request counts (test-only surface).

The middleware counts every request, then (outside `/_mock/`) waits the configured latency and
answers a share of form POSTs with 500 before the app sees them, so a fault never stores or
half-stores anything. `trickle_ms` sends a page's second half that much after its first, as a
busy JSP server flushing its output does: the browser shows (and a bot may read) half a page.
A busy portal also goes down for a while (`down_for_s`: 503 or connections closed unanswered),
serves some pages seconds late (`slow_ms`), and stores a save whose answer never arrives
(`lost_answer_rate`). The middleware sits outside Starlette's own error middleware so that it
can close the connection itself (see `drop_connection`).
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MOCK_PREFIX = "/_mock/"
SERVER_ERROR_HTML = (
    '<!doctype html><html lang="th"><meta charset="utf-8"><title>500</title>'
    '<div role="alert" class="alert alert-danger">ระบบขัดข้อง กรุณาลองใหม่อีกครั้ง</div></html>'
)


GATEWAY_TIMEOUT_HTML = "<!doctype html><title>504</title><h1>504 Gateway Time-out</h1>"
SERVICE_UNAVAILABLE_HTML = "<!doctype html><title>503</title><h1>503 Service Unavailable</h1>"
DOWN_MODES = ("503", "refuse")


class ConnectionDroppedError(ConnectionError):
    """Raised into an in-process client (no TCP connection to close) where a served mock would
    close the connection without an answer."""


class FaultSettingError(ValueError):
    """A `/_mock/faults` body that names an unknown setting or a value out of range."""


@dataclass(frozen=True)
class Faults:
    """What to inject; the defaults inject nothing."""

    latency_ms: float = 0
    jitter_ms: float = 0
    error_rate: float = 0.0
    session_ttl_requests: int | None = None
    seed: int | None = None
    trickle_ms: float = 0  # an HTML page's second half arrives this long after its first
    # Not a fault but the portal's manner: answer a student save with 303 → list (Post/Redirect/
    # Get) instead of rendering the list in the save's own response (a Struts forward).
    save_redirects: bool = False
    # Portal changes a guard must notice (tests of fail-closed guards): RPT318 leaves out these
    # fields' columns (a report that shows less than the form; leaving out `national_id` makes
    # its header unrecognisable), and the LGO home lists its schools without the rows'
    # data-testid (a redesigned page on which "no unconfirmed row" proves nothing).
    report_drops: tuple[str, ...] = ()
    school_rows_unmarked: bool = False
    # Per route (`"POST /school/confirm.do"`): the portal handles the request at once and its
    # answer leaves this much later (the confirmation is made; the browser hears nothing).
    answer_delay_ms: dict[str, float] = field(default_factory=dict)
    # Per route: the request waits this long before the portal handles it at all.
    request_delay_ms: dict[str, float] = field(default_factory=dict)
    # Per route: a gateway in front answers 504, after the portal handled the request
    # ("handled") or without passing it on ("lost"). The browser cannot tell which.
    gateway_timeout: dict[str, str] = field(default_factory=dict)
    # An outage: from the `down_from_request`-th request outside /_mock/ after this setting
    # (the first when None) for `down_for_s` seconds every request is answered 503 ("503") or
    # its connection closed without an answer ("refuse"); then the portal is back.
    down_for_s: float = 0
    down_from_request: int | None = None
    down_mode: str = "503"
    # Per route (`"GET /student/list.do"`, or `"/student/list.do"` for every method): the page
    # takes this long to build; the request waits before the portal handles it.
    slow_ms: dict[str, float] = field(default_factory=dict)
    # Share of POSTs (a number), or per route (`{"POST /student/save.do": 0.5}`), that the
    # portal handles and commits, then closes the connection without an answer.
    lost_answer_rate: float | dict[str, float] = 0.0

    @classmethod
    def from_json(cls, body: Any) -> Faults:
        """Settings from a JSON object; keys left out take their defaults."""
        if not isinstance(body, dict):
            raise FaultSettingError("Fault settings must be a JSON object.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(body) - known)
        if unknown:
            raise FaultSettingError(f"Unknown fault setting {unknown}. Known: {sorted(known)}.")
        drops = body.get("report_drops", [])
        if not isinstance(drops, list) or not all(isinstance(k, str) for k in drops):
            raise FaultSettingError(
                f"Fault 'report_drops' has value {drops!r}. Not a list of keys."
            )
        faults = cls(**(body | {"report_drops": tuple(drops)}))
        faults._check()
        return faults

    def _check(self) -> None:
        for name in ("latency_ms", "jitter_ms", "trickle_ms", "down_for_s"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value < 0:
                raise FaultSettingError(f"Fault '{name}' has value {value!r}. Not a number >= 0.")
        rate = self.error_rate
        if not isinstance(rate, int | float) or not 0 <= rate <= 1:
            raise FaultSettingError(f"Fault 'error_rate' has value {rate!r}. Not in 0..1.")
        for name in ("save_redirects", "school_rows_unmarked"):
            if not isinstance(getattr(self, name), bool):
                raise FaultSettingError(
                    f"Fault '{name}' has value {getattr(self, name)!r}. Not true or false."
                )
        for name in ("answer_delay_ms", "request_delay_ms", "slow_ms"):
            routes = getattr(self, name)
            if not isinstance(routes, dict) or not all(
                isinstance(k, str) and isinstance(v, int | float) and v >= 0
                for k, v in routes.items()
            ):
                raise FaultSettingError(
                    f"Fault '{name}' has value {routes!r}. Not a map of 'METHOD /path' to ms >= 0."
                )
        gateway = self.gateway_timeout
        if not isinstance(gateway, dict) or not all(
            isinstance(k, str) and v in ("handled", "lost") for k, v in gateway.items()
        ):
            raise FaultSettingError(
                f"Fault 'gateway_timeout' has value {gateway!r}. "
                "Not a map of 'METHOD /path' to 'handled' or 'lost'."
            )
        for name in ("session_ttl_requests", "seed"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise FaultSettingError(f"Fault '{name}' has value {value!r}. Not an int >= 0.")
        self._check_busy_portal()

    def _check_busy_portal(self) -> None:
        start = self.down_from_request
        if start is not None and (not _is_int(start) or start < 1):
            raise FaultSettingError(
                f"Fault 'down_from_request' has value {start!r}. Not an int >= 1 (or null)."
            )
        if self.down_mode not in DOWN_MODES:
            raise FaultSettingError(
                f"Fault 'down_mode' has value {self.down_mode!r}. Not '503' or 'refuse'."
            )
        lost = self.lost_answer_rate
        rates = lost.values() if isinstance(lost, dict) else [lost]
        if not all(_is_rate(r) for r in rates) or (
            isinstance(lost, dict) and not all(isinstance(k, str) for k in lost)
        ):
            raise FaultSettingError(
                f"Fault 'lost_answer_rate' has value {lost!r}. "
                "Not a number in 0..1 or a map of 'METHOD /path' to one."
            )

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_rate(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


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

    def slow_s(self, method: str, path: str) -> float:
        """How long the page `METHOD path` takes to build (the route, else the bare path)."""
        with self._lock:
            slow = self.faults.slow_ms
        return slow.get(f"{method} {path}", slow.get(path, 0)) / 1000

    def loses_answer(self, method: str, path: str) -> bool:
        """Whether this request is handled and then left unanswered (lost_answer_rate)."""
        with self._lock:
            lost = self.faults.lost_answer_rate
            if isinstance(lost, dict):
                rate = lost.get(f"{method} {path}", 0)
            else:
                rate = lost if method == "POST" else 0
            # No draw when the rate is 0: error_rate's sequence for a seed stays as it was.
            return rate > 0 and self._random.random() < rate

    def delay_s(self) -> float:
        with self._lock:
            jitter = self._random.uniform(-1, 1) * self.faults.jitter_ms
        return max(0.0, self.faults.latency_ms + jitter) / 1000

    def trickle_s(self) -> float:
        with self._lock:
            return self.faults.trickle_ms / 1000

    def route_delays_s(self, route: str) -> tuple[float, float]:
        """(before handling, before answering) for `METHOD /path`, in seconds."""
        with self._lock:
            faults = self.faults
        before = faults.request_delay_ms.get(route, 0) / 1000
        return before, faults.answer_delay_ms.get(route, 0) / 1000

    def gateway_timeout(self, route: str) -> str | None:
        """ "handled" or "lost" when a gateway answers this route 504; else None."""
        with self._lock:
            return self.faults.gateway_timeout.get(route)

    def should_fail(self) -> bool:
        with self._lock:
            return self._random.random() < self.faults.error_rate


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
            before, after = self.injector.route_delays_s(f"{method} {path}")
            before += self.injector.slow_s(method, path)
            if before > 0:
                await asyncio.sleep(before)  # the request arrives late, or the page is slow
            if after > 0:
                send = _answering_late(send, after)
            gateway = self.injector.gateway_timeout(f"{method} {path}")
            if gateway is not None:
                if gateway == "handled":
                    await self.app(scope, receive, _swallowed)
                await HTMLResponse(GATEWAY_TIMEOUT_HTML, status_code=504)(scope, receive, send)
                return
            if self.injector.loses_answer(method, path):
                await self.app(scope, receive, _swallowed)  # handled and committed
                await drop_connection(send)
                return
        await self.app(scope, receive, send)


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
