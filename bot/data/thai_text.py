"""Text clean-up for Thai input: digits, invisible characters, spacing."""

from __future__ import annotations

import re

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Zero-width space/joiners and the BOM sneak in from copy-paste out of web pages and Word.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u2060"), None)
_SPACES = re.compile(r"\s+")
# NIKHAHIT + SARA AA looks exactly like SARA AM but compares differently; the portal searches
# names by exact text, so fold it to the single code point everyone else uses.
# A tone mark may sit between the two halves: น + ํ + ้ + า is น้ำ typed in the old way.
_SARA_AM_SPLIT = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")


def to_arabic_digits(text: str) -> str:
    """Return ``text`` with Thai digits ๐–๙ replaced by 0–9."""
    return text.translate(_THAI_DIGITS)


def clean_text(text: object) -> str:
    """Strip, collapse whitespace (NBSP included) and drop zero-width characters."""
    if text is None:
        return ""
    value = str(text)
    # Most cells are clean already; a workbook of 1000 children has ~150 000 of them. Every
    # character the full pass changes is non-printable (whitespace other than " ", the
    # zero-width ones) except NIKHAHIT and runs or ends of plain spaces.
    if (
        value.isprintable()
        and "\u0e4d" not in value
        and "  " not in value
        and value[:1] != " "
        and value[-1:] != " "
    ):
        return value
    return _clean_fully(value)


def _clean_fully(value: str) -> str:
    value = value.translate(_INVISIBLE).replace("\u00a0", " ").replace("\u202f", " ")
    if "\u0e4d" in value:
        value = _SARA_AM_SPLIT.sub("\\1\u0e33", value)
    return _SPACES.sub(" ", value).strip()


def compact(text: object) -> str:
    """Return ``text`` cleaned, with Arabic digits and without any spaces, lower-cased."""
    return to_arabic_digits(clean_text(text)).replace(" ", "").lower()
