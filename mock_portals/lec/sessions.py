"""Login sessions (cookie `JSESSIONID`, idle expiry) and one-time per-page `urlToken`s.

Both live in memory, like a servlet container's sessions: restarting the app logs everyone out
while the stored data (SQLite) stays. Time comes from an injected clock so tests need not sleep.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Clock = Callable[[], float]
COOKIE = "JSESSIONID"
_MAX_TOKENS = 10_000


@dataclass
class Session:
    """A logged-in user; `org_code` stays None until an organisation is chosen."""

    id: str
    username: str
    org_code: str | None
    last_seen: float
    requests: int = 0
    # The framework markup's form beans (search condition, last list, record in hand), kept in
    # the session as a Struts ActionForm in session scope is.
    beans: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Token:
    purpose: str
    session_id: str | None
    issued_at: float


class SessionStore:
    """Sessions and urlTokens behind one lock (uvicorn and test clients use several threads)."""

    def __init__(self, clock: Clock, idle_timeout_s: float) -> None:
        self._clock = clock
        self._idle = idle_timeout_s
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._tokens: dict[str, _Token] = {}

    def create(self, username: str, org_code: str | None) -> Session:
        session = Session(secrets.token_hex(16).upper(), username, org_code, self._clock())
        with self._lock:
            self._sessions[session.id] = session
        return session

    def lookup(self, session_id: str | None, ttl_requests: int | None) -> Session | None:
        """The live session for a cookie, counting this request; None when idle or used up."""
        if session_id is None:
            return None
        now = self._clock()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            expired = now - session.last_seen > self._idle
            used_up = ttl_requests is not None and session.requests >= ttl_requests
            if expired or used_up:
                del self._sessions[session_id]
                return None
            session.last_seen = now
            session.requests += 1
            return session

    def live(self) -> int:
        """How many sessions are open now (idle ones not yet expired): a client that logs out
        leaves none behind."""
        now = self._clock()
        with self._lock:
            return sum(1 for s in self._sessions.values() if now - s.last_seen <= self._idle)

    def drop(self, session_id: str | None) -> None:
        with self._lock:
            self._sessions.pop(session_id or "", None)

    def drop_all(self) -> None:
        """Every session ends now; tokens of the login page stay usable."""
        with self._lock:
            self._sessions.clear()

    def clear(self) -> None:
        with self._lock:
            self._sessions.clear()
            self._tokens.clear()

    def issue_token(self, purpose: str, session_id: str | None) -> str:
        """A fresh one-time token for one rendered form."""
        token = secrets.token_urlsafe(16)
        now = self._clock()
        with self._lock:
            if len(self._tokens) >= _MAX_TOKENS:
                self._prune(now)
            self._tokens[token] = _Token(purpose, session_id, now)
        return token

    def consume_token(self, token: str | None, purpose: str, session_id: str | None) -> bool:
        """True once for a token issued for this purpose and session and not yet too old."""
        now = self._clock()
        with self._lock:
            issued = self._tokens.pop(token or "", None)
        return (
            issued is not None
            and issued.purpose == purpose
            and issued.session_id == session_id
            and now - issued.issued_at <= self._idle
        )

    def _prune(self, now: float) -> None:
        self._tokens = {t: v for t, v in self._tokens.items() if now - v.issued_at <= self._idle}
        while len(self._tokens) >= _MAX_TOKENS:  # all fresh: forget the oldest
            self._tokens.pop(next(iter(self._tokens)))
