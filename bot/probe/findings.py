"""What the probe found at each step: the words a report shows, and whether the step passed."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from bot.log import redact
from bot.probe.candidates import Candidate

Said = tuple[str, str]  # (Thai, English): chosen between by bot.i18n.say when shown


def same(text: str) -> Said:
    """A text that is one already in both languages (a portal's words, an engine's reason)."""
    return (text, text)


Status = Literal[
    "found",  # the element the step uses is on the page (nothing typed or chosen)
    "opened",  # a page or the portal's export was read (GET)
    "followed",  # a link (a GET) was followed to walk on
    "pressed",  # a button whose command only reads (LEC's goCreate) was pressed to walk on
    "would_press",  # a save or irreversible button: found, never pressed
    "logged_in",  # a step of the login, which the probe does run
    "no_page",  # the step uses no page (mark, verify): nothing to resolve
    "not_taken",  # a branch the page and the record did not take
    "after_press",  # after a button the probe does not press: its page never comes
    "missing",  # the locator found nothing (candidates say what the page shows)
    "ambiguous",  # the locator found several elements
    "refused",  # the portal refused (login, a locked school): the walk stops
    "failed",  # anything else that went wrong
]

PASSING: frozenset[str] = frozenset(
    {
        "found",
        "opened",
        "followed",
        "pressed",
        "would_press",
        "logged_in",
        "no_page",
        "not_taken",
        "after_press",
    }
)


@dataclass(frozen=True)
class Finding:
    """One step (or one field of a form) and what the probe saw of it."""

    flow_file: str
    line: int
    step: str  # the step as reports describe it
    status: Status
    detail: Said = ("", "")  # Thai, English; personal data masked
    element: str = ""  # the element found: tag and identifying attributes, never a value
    wanted: str = ""  # the words a missing locator looked for
    candidates: tuple[Candidate, ...] = ()

    @property
    def passed(self) -> bool:
        return self.status in PASSING

    @property
    def where(self) -> str:
        return f"{shown_path(self.flow_file)}:{self.line}"


def shown_path(path: str) -> str:
    """A flow file as the officer typed it: relative to the current folder when inside it."""
    if not Path(path).is_absolute():
        return path
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith("..") else relative


def masked_finding(finding: Finding, personal: Sequence[str]) -> Finding:
    """The finding with the record's names, phones and address parts (and any ID) masked: the
    words a locator looked for, an element's words and a reason may quote them."""

    def mask(text: str) -> str:
        return redact(text, personal)

    return replace(
        finding,
        detail=(mask(finding.detail[0]), mask(finding.detail[1])),
        element=mask(finding.element),
        wanted=mask(finding.wanted),
        candidates=tuple(replace(c, words=mask(c.words)) for c in finding.candidates),
    )
