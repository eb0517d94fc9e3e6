"""What a recorded field or button means: a data field's key, a login, an irreversible press.

A field the person filled is bound to `${record.<key>}` when its label is one the student
field catalogue (`bot.data.fields`) or the SAR manifest (`bot.portals.esar.fields`) knows; its
value is never needed, so it is never asked for. A password is the portal's stored secret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.data.fields import STUDENT_FIELDS
from bot.portals.esar.fields import COLUMNS

# The words of a button whose press cannot be taken back: confirm, submit, send, delete (Thai
# and English). Thai writes words together, so the Thai words match anywhere in the name
# (ยกเลิกการยืนยัน too); ส่ง does not match the ส่ง of ส่งเสริม (promote) or ส่งออก (export).
# The page script uses the same words (JavaScript reads this pattern as it is).
IRREVERSIBLE_WORDS = r"ยืนยัน|บันทึกและส่ง|ส่ง(?!เสริม|ออก)|ลบ|\b(?:confirm|submit|send|delete|remove)\b"
_IRREVERSIBLE = re.compile(IRREVERSIBLE_WORDS, re.IGNORECASE)

# What a login form calls its user-name field (the password field is told by its type).
_USERNAME_LABELS = frozenset(
    {"ชื่อผู้ใช้", "ชื่อผู้ใช้งาน", "username", "user name", "user", "login", "ชื่อเข้าใช้ระบบ"}
)
_SPACES = re.compile(r"\s+")


def normalise(label: str) -> str:
    """A label as the engine compares it: spacing collapsed, edge colons and asterisks gone."""
    return _SPACES.sub(" ", label.replace("\u200b", "")).strip(" :*\t\n")


def _squeezed(label: str) -> str:
    return _SPACES.sub("", normalise(label)).lower()


@dataclass(frozen=True)
class Meaning:
    """What a field is: a record field (`key`, with the kind of records it belongs to)."""

    key: str
    records: str  # "student" or "sar"


def _student_catalogue() -> dict[str, Meaning]:
    found: dict[str, Meaning] = {}
    for spec in STUDENT_FIELDS:  # the form's label and every header the field goes by
        for name in (spec.form_label, spec.header_th, *spec.extra_headers):
            found.setdefault(_squeezed(name), Meaning(spec.key, "student"))
    return found


# What an upload form's school picker says (the mock e-SAR's; ONESQA's form is not known): the
# school is the record's, never the one chosen while recording, or every SAR of a workbook would
# go to that school.
_SAR_PICKERS = {"สถานศึกษา": "school_code"}


def _sar_catalogue() -> dict[str, Meaning]:
    found = {
        _squeezed(name): Meaning(column.field, "sar")
        for column in COLUMNS
        for name in (column.thai, column.field)
    }
    found |= {_squeezed(name): Meaning(key, "sar") for name, key in _SAR_PICKERS.items()}
    return found


# LEC's forms are the children's; e-SAR's are the SAR manifest's.
_BY_PORTAL = {"lec": _student_catalogue(), "esar": _sar_catalogue()}


def meaning(label: str, portal: str) -> Meaning | None:
    """The record field a label names on this portal's forms, or None."""
    return _BY_PORTAL.get(portal, {}).get(_squeezed(label))


def catalogue_labels() -> list[str]:
    """Every label the catalogues know, normalised: the page script withholds a select's
    chosen option for these (the flow binds them to the record instead)."""
    labels = {normalise(spec.form_label) for spec in STUDENT_FIELDS if spec.form_label}
    labels |= {normalise(spec.header_th) for spec in STUDENT_FIELDS}
    labels |= {normalise(column.thai) for column in COLUMNS} | set(_SAR_PICKERS)
    return sorted(labels)


_AFTERWORD = re.compile(r"\s*\([^()]*\)$")  # e-SAR's ชื่อผู้ใช้ (รหัสสถานศึกษา): what to type


def is_username(label: str) -> bool:
    return _AFTERWORD.sub("", normalise(label)).lower() in _USERNAME_LABELS


def is_irreversible(name: str) -> bool:
    """Does a button or link with this name confirm, submit, send or delete?"""
    return bool(_IRREVERSIBLE.search(name))


_LONG_NUMBER = re.compile(r"\d[\d\s-]{4,}\d")


def looks_personal(text: str) -> bool:
    """A marked text holding a long number (a national ID, a phone) is a child's data, never a
    flow's: what a page must show is the portal's own words."""
    return bool(_LONG_NUMBER.search(text))


_MANY_DIGITS = re.compile(r"\d[\d\s-]{4,}")  # an ID or a phone number: never kept from a box
# "ของ <name>": whose record the box asks about (ยืนยันการส่งรายงาน SAR ของ <a school>,
# ยกเลิกการยืนยันข้อมูลของ <a school>?): one record's words, which the next would not match.
# ของสถานศึกษา, written together, is the portal's own words.
_WHOSE = re.compile(r"\s*ของ\s")
BOX_WORDS = 60


def dialog_words(message: str) -> str:
    """The words of a dialog or message box a flow may match: the first line, cut before any
    long number (a child's ID or phone may follow the portal's words) and before the name of
    whose record it is."""
    first = " ".join((message.strip().splitlines() or [""])[0].split())
    cuts = [found.start() for found in (_MANY_DIGITS.search(first), _WHOSE.search(first)) if found]
    return first[: min(cuts, default=len(first))].strip()[:BOX_WORDS].strip()
