"""The network half of the probe's promise: no request that could change the portal leaves.

A route on the browser context sees every request of every page. GETs pass; so do the POSTs
of the login sub-flow (the login form and the organisation choice) while it runs, and nothing
else: every other request is aborted and named in the report. The walk itself never presses a
save button (`resolve`), so a stopped request means the flow or the page did something the walk
did not foresee, which the officer should hear about.

Requests made beside the browser (the snapshot download, `page.request`) bypass routes; the
probe makes only the snapshot's GET that way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Route

SAFE_METHOD = "GET"


@dataclass
class RequestGuard:
    """Aborts every request other than a GET, except the login's own while it runs."""

    stopped: list[str] = field(default_factory=list)  # "POST /student/save.do", in order
    let_through: list[str] = field(default_factory=list)  # the login's POSTs
    _login_open: bool = False

    def install(self, context: BrowserContext) -> None:
        """Route every request of `context` through the guard (before its first page)."""
        context.route("**/*", self._route)

    @contextmanager
    def logging_in(self) -> Iterator[None]:
        """While the login sub-flow runs, its form posts (login, organisation) may leave."""
        self._login_open = True
        try:
            yield
        finally:
            self._login_open = False

    def allows(self, method: str) -> bool:
        method = method.upper()
        return method == SAFE_METHOD or (self._login_open and method == "POST")

    def _route(self, route: Route) -> None:
        request = route.request
        # The path only: a query may hold a child's ID, and the report is shared.
        named = f"{request.method} {urlsplit(request.url).path or '/'}"
        if not self.allows(request.method):
            self.stopped.append(named)
            route.abort("blockedbyclient")
            return
        if request.method.upper() != SAFE_METHOD:
            self.let_through.append(named)
        route.fallback()  # the browser's own routes (asset filter, dry-run wall) come next
