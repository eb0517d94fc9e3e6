"""Notice, as a browser tab sees it, that the portal ended the session.

A portal built on LEC's vendor framework answers a page asked for in an expired session with
HTTP 401 and a page whose `alert()` says so, and then loads its login page
(docs/lec-portal-facts.md). Either sign is enough: the watch notes it and the runner logs in
again. The watch is also the tab's answer to a native dialog no step waits for: dismissed, as
Playwright does when nobody listens, so an alert never holds a page load.
"""

from __future__ import annotations

from playwright.sync_api import Dialog, Page, Response
from playwright.sync_api import Error as PlaywrightError

from bot.errors import AccountBlocked, LoginRefused
from bot.i18n import say
from bot.log import logger, redact
from bot.portals.commands import NO_COMMANDS, PortalCommands
from bot.portals.lec.commands import COMMANDS as LEC_COMMANDS
from bot.portals.lec.session_words import WORDS as LEC_WORDS
from bot.portals.session_words import SessionWords

_WORDS = {"lec": LEC_WORDS}
_COMMANDS = {"lec": LEC_COMMANDS}


def words_of(portal: str) -> SessionWords:
    """The table of `portal`; a portal without one (e-SAR) has no words to match."""
    return _WORDS.get(portal, SessionWords())


def login_refused(said: str, portal: str) -> LoginRefused:
    """The portal's refusal of the login; an account it will not let in (locked, password
    expired) said as such in Thai and English, with what the officer does about it."""
    state = words_of(portal).account_state(said)
    if state is None:
        return LoginRefused(said)
    thai_fix, english_fix = state.fix
    return AccountBlocked(
        f"{said} — "
        + say(
            f"{state.thai}: {thai_fix} edubot ไม่เปลี่ยนรหัสผ่านให้ และจะไม่ลองเข้าระบบอีกในการรันนี้",
            f"{state.english}: {english_fix}. edubot never changes a password and does not "
            "try to log in again in this run",
        )
    )


def commands_of(portal: str) -> PortalCommands:
    """The portal's commands that only read (bot.portals.commands); a portal without a table
    (e-SAR) has none."""
    return _COMMANDS.get(portal, NO_COMMANDS)


class SessionWatch:
    """Notes a main-frame 401 and the portal's "session expired" alert; answers idle dialogs."""

    def __init__(self, words: SessionWords) -> None:
        self.words = words
        self.ended: str | None = None  # the signs that the session ended, until forgotten
        # While a step answers the dialogs itself (a click's `dialog:`), the watch only notes.
        self.answering_elsewhere = False

    def attach(self, page: Page) -> None:
        page.on("response", self._on_response)
        page.on("dialog", self._on_dialog)

    def forget(self) -> None:
        """Logged in again: the signs seen so far are about the session that ended."""
        self.ended = None

    def _note(self, sign: str) -> None:
        self.ended = sign if self.ended is None else f"{self.ended}; {sign}"

    def _on_response(self, response: Response) -> None:
        # Only the page's own document counts: a 401 for an image or an XHR is not a logout.
        if response.status != 401:
            return
        request = response.request
        if request.is_navigation_request() and request.frame.parent_frame is None:
            self._note(f"HTTP 401 ({redact(response.url)})")

    def _on_dialog(self, dialog: Dialog) -> None:
        said = " ".join(dialog.message.split())
        if self.words.session_expired(said):
            self._note(f"the portal's alert “{said}”")
        if self.answering_elsewhere:
            return
        logger.debug("{} dialog answered by dismissing it: {}", dialog.type, redact(said))
        try:
            # What Playwright does with nobody listening: leaving a page is allowed, nothing
            # else is agreed to.
            if dialog.type == "beforeunload":
                dialog.accept()
            else:
                dialog.dismiss()
        except PlaywrightError as exc:  # the tab closed meanwhile: nothing left to answer
            logger.debug("the dialog could not be answered: {}", exc)
