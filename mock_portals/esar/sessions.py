"""Server-side sessions of the mock: a cookie id, a CSRF token, idle expiry, flash messages.

Sessions live in memory on purpose: restarting the mock logs everyone out, as a real portal's
restart would, while uploads (in SQLite) survive.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

COOKIE_NAME = "ESARSESSID"


@dataclass
class Session:
    """One browser's session; `username` is None before login."""

    sid: str
    csrf_token: str
    last_seen: float
    username: str | None = None
    requests: int = 0
    flashes: list[tuple[str, str]] = field(default_factory=list)

    def flash(self, kind: str, message: str) -> None:
        """Queue a message for the next page: kind is "info" or "error"."""
        self.flashes.append((kind, message))

    def take_flashes(self) -> list[tuple[str, str]]:
        """The queued messages, emptied."""
        taken, self.flashes = self.flashes, []
        return taken


class SessionStore:
    """Creates, finds and expires sessions against an injectable monotonic clock."""

    def __init__(self, *, idle_timeout_s: float, clock: Callable[[], float]) -> None:
        self.idle_timeout_s = idle_timeout_s
        self.ttl_requests: int | None = None
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, username: str | None = None) -> Session:
        """A fresh session with its own id and CSRF token."""
        session = Session(secrets.token_urlsafe(24), secrets.token_urlsafe(24), self._clock())
        session.username = username
        with self._lock:
            self._sessions[session.sid] = session
        return session

    def find(self, sid: str | None) -> Session | None:
        """The live session for this cookie value, touching it; None when unknown or expired."""
        if not sid:
            return None
        now = self._clock()
        with self._lock:
            session = self._sessions.get(sid)
            if session is None:
                return None
            idle = now - session.last_seen > self.idle_timeout_s
            used_up = self.ttl_requests is not None and session.requests >= self.ttl_requests
            if idle or used_up:
                del self._sessions[sid]
                return None
            session.last_seen = now
            session.requests += 1
            return session

    def drop(self, sid: str) -> None:
        """End one session (logout, or replaced at login)."""
        with self._lock:
            self._sessions.pop(sid, None)

    def expire_all(self) -> None:
        """End every session at once (the test surface's session-expire)."""
        with self._lock:
            self._sessions.clear()
