"""Injected faults for tests and rehearsals: latency, failing form posts, short sessions."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

MOCK_PREFIX = "/_mock/"

FAULT_PAGE = (
    "<!doctype html><html lang='th'><head><meta charset='utf-8'>"
    "<title>ระบบขัดข้อง</title></head><body><h1>ระบบขัดข้องชั่วคราว</h1>"
    "<p role='alert'>เกิดข้อผิดพลาดภายในระบบ (500) กรุณาลองใหม่อีกครั้ง</p></body></html>"
)


class Faults(BaseModel):
    """The fault settings; `POST /_mock/faults` takes any subset of these keys as JSON."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    latency_ms: int = Field(default=0, ge=0, le=60_000)
    jitter_ms: int = Field(default=0, ge=0, le=60_000)
    error_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    session_ttl_requests: int | None = Field(default=None, ge=1)
    seed: int | None = None
    # Not a fault but a portal update a guard must notice: the status page names a submitted
    # report with these words instead of ส่งแล้ว (tests of fail-closed guards).
    submitted_label: str | None = Field(default=None, min_length=1, max_length=40)


class FaultState:
    """The current faults, their random source and the per-route request counter."""

    def __init__(self) -> None:
        self.faults = Faults()
        self.rng = random.Random()
        self.requests: Counter[str] = Counter()

    def set(self, faults: Faults) -> None:
        """Install new faults; a seed makes latency jitter and errors repeatable."""
        self.faults = faults
        self.rng = random.Random(faults.seed)

    def clear(self) -> None:
        """No faults, no counts."""
        self.set(Faults())
        self.requests.clear()


class FaultMiddleware:
    """Counts portal requests, delays them, and fails form posts before any handler runs."""

    def __init__(self, app: ASGIApp, state: FaultState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(MOCK_PREFIX):
            await self.app(scope, receive, send)
            return
        self.state.requests[f"{scope['method']} {scope['path']}"] += 1
        faults, rng = self.state.faults, self.state.rng
        delay_ms = faults.latency_ms + (rng.uniform(0, faults.jitter_ms) if faults.jitter_ms else 0)
        if delay_ms:
            await asyncio.sleep(delay_ms / 1000)
        if scope["method"] == "POST" and faults.error_rate and rng.random() < faults.error_rate:
            await HTMLResponse(FAULT_PAGE, status_code=500)(scope, receive, send)
            return
        await self.app(scope, receive, send)
