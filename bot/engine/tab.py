"""The runner's view of a browser tab: a small `Tab` protocol, and `PlaywrightTab`, the real one.

The runner decides (retries, re-login, irreversible clicks); the tab does what a page does. The
unit tests drive the runner with a fake tab, without a browser (tests/unit/engine/fake_tab.py).
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Request

from bot.engine.actions import (
    ActionEnv,
    LeafStep,
    RunState,
    StepState,
    condition_holds,
    perform,
    read_back,
    take_screenshot,
)  # fmt: skip
from bot.engine.health import WireWatch
from bot.engine.session import SessionWatch
from bot.errors import StepFailed
from bot.flow.binding import Bindings
from bot.flow.model import Click, Condition
from bot.log import logger
from bot.portals.commands import NO_COMMANDS, PortalCommands
from bot.portals.session_words import SessionWords


class Tab(Protocol):
    """What the runner needs of a tab."""

    def perform(self, step: LeafStep, env: ActionEnv, state: StepState) -> None:
        """Carry out one leaf step (bot.engine.actions.perform)."""

    def holds(
        self, condition: Condition, b: Bindings, state: StepState, run: RunState | None = None
    ) -> bool:
        """Test a `when:` condition on the page as it is now."""

    def read_back(self, click: Click, b: Bindings, timeout_ms: int) -> bool:
        """Does the portal show that an irreversible click took effect (its `verify`)?"""

    def screenshot(self, path: Path, full: bool) -> None:
        """The page as it is, personal data masked."""

    def logged_out(self) -> str | None:
        """The sign that the portal ended the session (a 401, its alert), else None."""

    def forget_logout(self) -> None:
        """Logged in again: forget the signs of the session that ended."""

    def before_page_load(self) -> None:
        """A `goto` follows: the moment to move to a fresh tab when this one has served."""

    def before_record(self) -> None:
        """A record begins: a tab that pages reached by clicks have worn out moves to a fresh
        one, on the last page the old one was shown by a plain GET."""

    def before_retry(self) -> None:
        """A retry, or the next record after a failed one, follows: it starts in a fresh tab,
        on the last page the old one was shown by a plain GET (the list, the school's home), as
        a person reloads. A failed try leaves a page nobody knows (a popup still open over the
        list, a form half filled, a crashed renderer) that would fail what comes next too."""

    def trouble_seen(self) -> str | None:
        """What went wrong on the wire since `forget_trouble` (a page answered 5xx, a page load
        failed or never answered), else None (bot.engine.health)."""

    def forget_trouble(self) -> None:
        """A new try begins: what went wrong before is of no concern to it."""


# Page loads (clicks, posts, gotos) a tab serves before the next record starts in a fresh one
# that reloads the last page a GET showed, at the cost of that one request. Flows that follow
# links and post forms (LEC's framework) never `goto` in a record, so the renewal at a `goto`
# never comes: on that mock one tab crashed ("Target crashed", its heap capped) after ~400
# loads, and held 830 MB; renewed after 100 loads its renderer still reached 380 MB and once
# crashed in 400 children, after 50 it stays under 300 MB (benchmarks/README.md). 50 loads add
# a request every ~25 children.
RELOAD_AFTER_LOADS = 50


class PlaywrightTab:
    """A Playwright page, renewed every `renew_every` page loads at a `goto` (0: never), at a
    record's start after `RELOAD_AFTER_LOADS` loads, and after a crash or a failed try.

    Busy with one page after another, V8 and Blink leave ~3 MB of every page they showed
    uncollected (a tab grew past 800 MB over 175 children and, under a heap cap, crashed), and
    Playwright's driver and client keep ~40 KB of objects per page load; all of it goes when the
    tab closes. A `goto` replaces the document anyway, so making it in a fresh tab loses nothing
    (cookies live in the context) and costs no request.
    """

    def __init__(
        self,
        page: Page,
        renew_every: int = 0,
        words: SessionWords | None = None,
        commands: PortalCommands = NO_COMMANDS,
    ):
        self.page = page
        self.renew_every = renew_every
        self.commands = commands
        self._last_shown = ""  # the last page this tab was shown by a GET that only reads
        self.session = SessionWatch(words or SessionWords())
        self.wire = WireWatch()
        self._gotos = 0  # `goto`s this tab made: its budget of `renew_every`
        self._loads = 0  # every page it loaded, by a goto, a click or a form post
        self._crashed = False
        self._watch(page)

    def perform(self, step: LeafStep, env: ActionEnv, state: StepState) -> None:
        self.session.answering_elsewhere = isinstance(step, Click) and step.dialog is not None
        try:
            perform(self.page, step, env, state)
        finally:
            self.session.answering_elsewhere = False

    def holds(
        self, condition: Condition, b: Bindings, state: StepState, run: RunState | None = None
    ) -> bool:
        try:
            return condition_holds(self.page, condition, b, state, run)
        except PlaywrightError as exc:
            # The tab crashed or closed while the condition looked at it: this attempt fails
            # and the retry goes on in a fresh tab, as after a failed action.
            raise StepFailed(f"when: {str(exc).splitlines()[0]}") from None

    def read_back(self, click: Click, b: Bindings, timeout_ms: int) -> bool:
        return read_back(self.page, click, b, timeout_ms)

    def screenshot(self, path: Path, full: bool) -> None:
        take_screenshot(self.page, path, full=full)

    def logged_out(self) -> str | None:
        return self.session.ended

    def forget_logout(self) -> None:
        self.session.forget()

    def before_page_load(self) -> None:
        self._gotos += 1
        if self.renew_every and self._gotos > self.renew_every:
            self._open_fresh_page()
            self._gotos = 1

    def before_record(self) -> None:
        if self._loads >= RELOAD_AFTER_LOADS and self._last_shown:
            self._open_fresh_page()
            self._reopen_last_shown()

    def before_retry(self) -> None:
        if self._crashed:
            logger.warning("the browser tab crashed; the retry goes on in a fresh tab")
        self._open_fresh_page()
        self._reopen_last_shown()

    def _reopen_last_shown(self) -> None:
        if self._last_shown:
            # A portal that does not answer now leaves the tab blank: the flow opens its page.
            with suppress(PlaywrightError):
                self.page.goto(self._last_shown)

    def trouble_seen(self) -> str | None:
        return self.wire.sign()

    def forget_trouble(self) -> None:
        self.wire.clear()

    def _watch(self, page: Page) -> None:
        page.on("crash", self._note_crash)
        page.on("request", self._note_shown)
        self.session.attach(page)
        self.wire.attach(page)

    def _note_shown(self, request: Request) -> None:
        if not request.is_navigation_request() or request.frame.parent_frame is not None:
            return
        self._loads += 1
        # Only a GET may be asked for again, and only one carrying no command that stores (on
        # LEC's framework a GET's `cmd` runs like a form's: bot.portals.commands).
        if request.method != "GET":
            return
        sent = parse_qs(urlsplit(request.url).query).get(self.commands.field, [])
        if not self.commands.field or not sent or self.commands.only_reads(sent):
            self._last_shown = request.url

    def _note_crash(self, page: Page) -> None:
        # A renderer can die (out of memory, a Chromium bug); its tab answers nothing after.
        self._crashed = True

    def _open_fresh_page(self) -> None:
        # Cookies live in the context: the fresh tab is still logged in. The old tab closes
        # first, so two renderers never hold their memory at once.
        context = self.page.context
        # A page closed while its navigation is still committing (a click answered 500, seen
        # at once) can leave Playwright's close waiting for ever: let the load finish first.
        with suppress(PlaywrightError):
            self.page.wait_for_load_state(timeout=10_000)
        self.page.close()
        fresh = context.new_page()
        self._watch(fresh)
        self.page = fresh
        self._crashed = False
        self._gotos = self._loads = 0
