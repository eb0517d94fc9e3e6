"""The network half of the probe's promise: no request that could change the portal leaves.

A route on the browser context sees every request of every page. While the login sub-flow
runs, its GETs and POSTs (the login form, the organisation choice) pass. Outside it:

- a GET passes, unless it names a command (`?cmd=`) that is not a read: Struts reads a
  command from the query as from the form, so `GET …?cmd=doDelete` would delete;
- a POST passes only when it names commands and each is one the portal's table
  (`bot.portals.<portal>.commands`) knows to only read, as LEC's `cmd=goCreate` (open a blank
  form) or `cmd=list` (search); one it cannot read (a multipart body), one without a command,
  or one with `doSave`, `doDelete`, or a command never seen, is stopped;
- any other method is stopped.

Every stopped request is named in the report (method, path, command; never the query or the
body, which may hold a child's ID). The walk itself never presses a save button (`resolve`),
so a stopped request means the flow or the page did something the walk did not foresee.

Requests made beside the browser (the snapshot download, `page.request`) bypass routes; the
probe passes their addresses through `admits_beside` first, so they meet the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import BrowserContext, Request, Route

from bot.portals.commands import NO_COMMANDS, PortalCommands

_FORM_TYPE = "application/x-www-form-urlencoded"
_UNREADABLE = "?"  # a body the guard cannot read: its command is unknown, so it is stopped
_COMMAND_SHAPE = re.compile(r"\w{0,40}")  # a command's name, or none ("cmd=")


@dataclass
class RequestGuard:
    """Stops every request that could change the portal; names what it stopped."""

    commands: PortalCommands = NO_COMMANDS
    stopped: list[str] = field(default_factory=list)  # "POST /student/save.do", in order
    let_through: list[str] = field(default_factory=list)  # the login's POSTs
    reads: list[str] = field(default_factory=list)  # POSTs of read commands ("… cmd=goCreate")
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

    def admits(self, method: str, url: str, body: str | None = None, kind: str = "") -> bool:
        """Whether a request may leave: `body` is a POST's body, `kind` its content type."""
        method = method.upper()
        return self._admits(method, self._commands_in(method, url, body, kind))

    def _admits(self, method: str, sent: list[str]) -> bool:
        """The rule, for a request of `method` naming the commands `sent`."""
        if method not in ("GET", "POST"):
            return False
        if self._login_open:
            return True
        if method == "GET":
            return all(command in self.commands.reads for command in sent)
        return self.commands.only_reads(sent)

    def admits_beside(self, url: str) -> bool:
        """A GET made beside the browser (a download): admitted, or named as stopped."""
        if self.admits("GET", url):
            return True
        self.stopped.append(self._named("GET", url, self._commands_in("GET", url, None, "")))
        return False

    def _route(self, route: Route) -> None:
        request = route.request
        method = request.method.upper()
        sent = self._commands_in(method, request.url, *_body_of(request))
        named = self._named(method, request.url, sent)
        if not self._admits(method, sent):
            self.stopped.append(named)
            route.abort("blockedbyclient")
            return
        if method != "GET":
            (self.let_through if self._login_open else self.reads).append(named)
        route.fallback()  # the browser's own routes (asset filter, dry-run wall) come next

    def _commands_in(self, method: str, url: str, body: str | None, kind: str) -> list[str]:
        """Every command the request names, in its query and (a POST) its form body."""
        name = self.commands.field
        if not name:
            return []
        sent = parse_qs(urlsplit(url).query, keep_blank_values=True).get(name, [])
        if method == "POST" and body:
            if kind.split(";")[0].strip().lower() != _FORM_TYPE:
                return [*sent, _UNREADABLE]
            sent = sent + parse_qs(body, keep_blank_values=True).get(name, [])
        return sent

    def _named(self, method: str, url: str, sent: list[str]) -> str:
        # The path only: a query may hold a child's ID, and the report is shared.
        named = f"{method.upper()} {urlsplit(url).path or '/'}"
        shown = [c if _COMMAND_SHAPE.fullmatch(c) else _UNREADABLE for c in sent]
        return named + "".join(f" {self.commands.field}={c}" for c in shown)


def _body_of(request: Request) -> tuple[str | None, str]:
    """A request's body as text and its content type ('' and None for a GET)."""
    kind = request.headers.get("content-type", "")
    raw = request.post_data_buffer
    if raw is None:
        return None, kind
    return raw.decode("utf-8", errors="replace"), kind
