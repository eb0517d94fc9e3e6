"""What the page script reports, read into plain records; nothing else it might send is kept.

Only the keys named here are read from a report, so a typed value could not come through even
if a page tried to send one: a field is told by its name and kind, never its contents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

MAX_TEXT = 200  # a label, a button's name, a marked text: never more
# Query parameters that hold a session or a one-time token, not a place.
_TOKENS = re.compile(r"^(urltoken|token|csrf.*|_csrf|jsessionid|sid|session.*)$", re.IGNORECASE)
# A search form sent by GET puts what was typed into the address (`list.do?q=<national ID>`):
# a search's words, a number as long as an ID, or Thai text are what a person typed, not a place.
_SEARCHES = re.compile(r"^(q|query|search.*|keyword.*|key|name|.*name)$", re.IGNORECASE)
_TYPED = re.compile(r"\d{11,}|[\u0e00-\u0e7f]")


def _kept(name: str, value: str) -> bool:
    return not (_TOKENS.match(name) or _SEARCHES.match(name) or _TYPED.search(value))


@dataclass(frozen=True)
class Goto:
    """The person typed an address (or the recording began there)."""

    path: str


@dataclass(frozen=True)
class FieldChanged:
    """A field the person filled, chose or ticked; `by` is how it is named (`label`,
    `placeholder`, `css`), `why` why it is CSS."""

    page: str
    control: str  # text, password, select, checkbox, file
    by: str
    name: str
    why: str = ""
    checked: bool | None = None
    option: str | None = None  # a select's choice, only outside the data catalogue

    def same_field(self, other: FieldChanged) -> bool:
        return (self.page, self.by, self.name) == (other.page, other.by, other.name)


@dataclass(frozen=True)
class Clicked:
    """A button or link pressed; `by` is `role` (button/link by its name) or `css`."""

    page: str
    by: str
    role: str | None
    name: str
    why: str = ""
    popup: str | None = None  # the words of the message box the button is in
    irreversible: bool = False  # the page read confirm/send/delete in words it did not send
    dialog: str | None = None  # the words of the native dialog it opened, when accepted
    dismissed: bool = False  # the person answered that dialog no


@dataclass(frozen=True)
class ExpectMarked:
    """A text the person marked as what the page must show."""

    page: str
    text: str
    exact: bool = True


@dataclass(frozen=True)
class PageArrived:
    url: str
    referrer: str
    how: str  # navigate, reload, back_forward


Recorded = Goto | FieldChanged | Clicked | ExpectMarked


def _text(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key)
    return " ".join(value.split())[:MAX_TEXT] if isinstance(value, str) else ""


def relative(url: str, base: str) -> str:
    """`url` as a flow's `goto` path: relative to the portal's address, tokens and what a
    search form carried left out."""
    parts = urlsplit(url)
    path = parts.path.split(";")[0]  # ;jsessionid=… is a session, not a place
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if _kept(k, v)])
    address = f"{parts.scheme}://{parts.netloc}{path}" + (f"?{query}" if query else "")
    base = base.rstrip("/")
    if address.startswith(base + "/"):
        return address[len(base) + 1 :]
    return address


def parse(payload: object, base: str) -> FieldChanged | Clicked | ExpectMarked | PageArrived | None:
    """One report of the page script, or None for one that makes no sense."""
    if not isinstance(payload, dict):
        return None
    page = relative(_text(payload, "page"), base)
    kind = payload.get("kind")
    if kind == "page":
        return PageArrived(
            _text(payload, "page"), _text(payload, "referrer"), _text(payload, "how")
        )
    if kind == "field":
        checked = payload.get("checked")
        option = payload.get("option")
        return FieldChanged(
            page=page,
            control=_text(payload, "control"),
            by=_text(payload, "by"),
            name=_text(payload, "name"),
            why=_text(payload, "why"),
            checked=checked if isinstance(checked, bool) else None,
            option=_text(payload, "option") if isinstance(option, str) else None,
        )
    if kind == "click":
        role = payload.get("role")
        return Clicked(
            page=page,
            by=_text(payload, "by"),
            role=role if role in ("button", "link") else None,
            name=_text(payload, "name"),
            why=_text(payload, "why"),
            popup=_text(payload, "popup") or None,
            irreversible=payload.get("irreversible") is True,
        )
    if kind == "expect":
        return ExpectMarked(page, _text(payload, "text"), payload.get("exact") is not False)
    return None
