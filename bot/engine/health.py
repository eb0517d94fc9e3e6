"""What a tab saw go wrong on the wire: a page answered 5xx, a page load failed, none answered.

A step fails in words about the page ("Timeout 15000ms exceeded" waiting for a label) while the
cause was the portal: its 503 page has no such label, a dropped connection left Chromium's own
error page, a page still had not answered. The watch notes, per attempt, the main frame's
navigations (page loads and form posts) that failed that way, so the retry policy
(bot.engine.patience) can tell a struggling portal from a changed one.

The runner asks after every step, not only after a `goto`: LEC's framework opens its forms and
saves by posts that a click sends. A 503 met there fails the try at once, as transient, and
counts toward the outage pause; else the next step waited out its timeout on the error page, the
failure read as a changed page, and an outage never paused the run.
"""

from __future__ import annotations

from playwright.sync_api import Page, Request, Response

from bot.log import redact

UNANSWERED = "no answer yet from"


def answered_badly(sign: str | None) -> bool:
    """A sign that a page load ended badly (5xx, failed), not one still waiting: a page's
    script may have started the next load (the portal's logout alert does) by the time a
    `goto` returns."""
    return bool(sign) and not str(sign).startswith(UNANSWERED)


def _main_frame_navigation(request: Request) -> bool:
    try:
        return request.is_navigation_request() and request.frame.parent_frame is None
    except Exception:  # a frame already detached: it was no main-frame load worth noting
        return False


class WireWatch:
    """Notes a tab's failed and unanswered page loads since `clear()`."""

    def __init__(self) -> None:
        self.seen: str | None = None
        self._pending: dict[Request, str] = {}

    def attach(self, page: Page) -> None:
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_failed)

    def clear(self) -> None:
        """A new attempt: what went wrong before is of no concern to it."""
        self.seen = None
        self._pending.clear()

    def sign(self) -> str | None:
        """What went wrong on the wire since `clear()`, or None when every page answered."""
        if self.seen:
            return self.seen
        if self._pending:
            return f"{UNANSWERED} {next(iter(self._pending.values()))}"
        return None

    def _on_request(self, request: Request) -> None:
        if _main_frame_navigation(request):
            self._pending[request] = redact(request.url)

    def _on_response(self, response: Response) -> None:
        request = response.request
        url = self._pending.pop(request, None)
        if url is not None and response.status >= 500:
            self.seen = f"HTTP {response.status} ({url})"

    def _on_failed(self, request: Request) -> None:
        url = self._pending.pop(request, None)
        # ERR_ABORTED: the browser left the load for another one (a click, a redirect by
        # script); the portal did nothing wrong.
        if url is not None and "ERR_ABORTED" not in (request.failure or ""):
            self.seen = f"{request.failure or 'the connection failed'} ({url})"
