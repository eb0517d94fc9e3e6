"""The words a portal uses to end a session or refuse an account, one table per portal.

The engine reads them to tell "logged out" (log in again) from "this account cannot log in"
(stop the run at once, never type the password again); each portal's folder holds its own
(bot/portals/lec/session_words.py), and `bot.engine.session.words_of` picks it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AccountState:
    """An account the portal will not let in until a person acts: locked, password expired."""

    code: str  # the portal's message code, e.g. 00520
    thai: str  # the portal's own words, as it shows them
    english: str  # what they mean
    fix: tuple[str, str]  # what the officer does, in Thai and in English


@dataclass(frozen=True)
class SessionWords:
    """A portal's words for an ended session and for accounts that cannot log in."""

    expired: tuple[str, ...] = ()  # parts of a dialog's or message's text
    account_states: tuple[AccountState, ...] = ()
    # The portal refused the form itself, not its data (a spent or expired form token): load
    # the form again. Seen when a lost answer made the browser send the same post twice.
    stale_form: tuple[str, ...] = ()

    def form_stale(self, text: str) -> bool:
        said = _squeezed(text)
        return any(_squeezed(words) in said for words in self.stale_form)

    def session_expired(self, text: str) -> bool:
        said = _squeezed(text)
        return any(_squeezed(words) in said for words in self.expired)

    def account_state(self, text: str) -> AccountState | None:
        """The account state the portal's text announces, by its words."""
        said = _squeezed(text)
        return next((s for s in self.account_states if _squeezed(s.thai) in said), None)


def _squeezed(text: str) -> str:
    # Alerts carry "\n" and runs of spaces the page may or may not show; compare without them.
    return "".join(text.replace("\\n", " ").split())
