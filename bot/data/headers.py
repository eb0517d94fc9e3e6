"""Find the header row of a sheet and map its columns to field keys.

Two layouts are understood: the flat template (one header row, Thai headers or English
aliases) and LEC's RPT318 export (a group row over a sub-header row, with merged cells such as
บิดา › ชื่อ). Merges are not needed: a group name carries right until the next top header.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.data.fields import ADDRESSES, ALL_FIELDS, IGNORED_HEADERS, PERSONS
from bot.data.rules import plain_text
from bot.data.thai_text import compact

_SCAN_ROWS = 12
_MIN_KEYS = 3


def normalise_header(text: object) -> str:
    """Fold a header for matching: no spaces, marks of required, or case."""
    return compact(text).replace("*", "").replace(":", "").removesuffix("(จำเป็น)")


def _single_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for spec in ALL_FIELDS:
        names = [spec.header_th, spec.alias_en, spec.key, spec.form_label, *spec.extra_headers]
        if not spec.rpt_group:
            names.append(spec.rpt_header)
        for address, address_th, group_th in ADDRESSES:
            if spec.key.startswith(f"{address}_"):
                names += [f"{spec.rpt_header} ({group_th})", f"{spec.rpt_header}{address_th}"]
        for name in names:
            if name:
                lookup.setdefault(normalise_header(name), spec.key)
    return lookup


_SINGLE = _single_lookup()
_IGNORED = frozenset(normalise_header(name) for name in IGNORED_HEADERS)
_PERSON_GROUPS = {normalise_header(th): en for en, th in PERSONS}
_SUB_ALIASES = {
    "เบอร์โทรศัพท์": "phone", "โทรศัพท์": "phone", "หมู่": "village_no", "แขวง/ตำบล": "subdistrict",
    "ตำบล/แขวง": "subdistrict", "เขต/อำเภอ": "district", "อำเภอ/เขต": "district",
}  # fmt: skip
_SUB_PARTS = {
    normalise_header(spec.rpt_header): spec.key.split("_", 1)[1]
    for spec in ALL_FIELDS
    if spec.rpt_group
} | {normalise_header(k): v for k, v in _SUB_ALIASES.items()}
_KNOWN_KEYS = frozenset(spec.key for spec in ALL_FIELDS)


@dataclass(frozen=True)
class Column:
    """A header cell: its 0-based index, its text, and the key it maps to (``None``: unknown)."""

    index: int
    header: str
    key: str | None


@dataclass(frozen=True)
class HeaderLayout:
    """Where the headers are, where data starts, and what each column holds."""

    kind: Literal["flat", "rpt318"]
    header_row: int
    data_start: int
    columns: tuple[Column, ...]

    @property
    def mapped(self) -> dict[str, Column]:
        """Key → its (first) column."""
        found: dict[str, Column] = {}
        for column in self.columns:
            if column.key is not None:
                found.setdefault(column.key, column)
        return found

    @property
    def unknown(self) -> tuple[Column, ...]:
        """Columns whose header means nothing to edubot, and repeated columns."""
        mapped = self.mapped
        return tuple(c for c in self.columns if c.key is None or mapped[c.key] is not c)


def header_key(text: object) -> str | None:
    """Return the field key a single header cell names, or ``None``."""
    return _SINGLE.get(normalise_header(text))


def _group_of(text: str) -> str | None:
    folded = normalise_header(text)
    if folded in _PERSON_GROUPS:
        return _PERSON_GROUPS[folded]
    if "ทะเบียนบ้าน" in folded:
        return "reg"
    if "ปัจจุบัน" in folded:
        return "cur"
    return None


def _cell(row: tuple[object, ...], index: int) -> str:
    return plain_text(row[index]) if index < len(row) else ""


def _map_single(row: tuple[object, ...]) -> list[Column]:
    columns = []
    for index in range(len(row)):
        text = _cell(row, index)
        if text and normalise_header(text) not in _IGNORED:
            # A header may carry its English alias on a second line.
            keys = [header_key(part) for part in [text, *str(row[index]).splitlines()]]
            columns.append(Column(index, text, next((k for k in keys if k), None)))
    return columns


def _map_double(top: tuple[object, ...], sub: tuple[object, ...]) -> list[Column]:
    columns: list[Column] = []
    group: str | None = None
    group_text = ""
    for index in range(max(len(top), len(sub))):
        top_text, sub_text = _cell(top, index), _cell(sub, index)
        if top_text:
            group = _group_of(top_text)
            group_text = top_text
        if group is not None and sub_text:
            part = _SUB_PARTS.get(normalise_header(sub_text))
            key = f"{group}_{part}" if part else None
            columns.append(Column(index, f"{group_text} › {sub_text}", _known(key)))
        elif group is None and (top_text or sub_text):
            text = top_text or sub_text
            if normalise_header(text) not in _IGNORED:
                columns.append(Column(index, text, header_key(text)))
    return columns


def _known(key: str | None) -> str | None:
    return key if key in _KNOWN_KEYS else None


def _score(columns: list[Column]) -> int:
    keys = {c.key for c in columns if c.key}
    if "national_id" not in keys and "first_name" not in keys:
        return 0
    return len(keys)


def find_header(rows: tuple[tuple[object, ...], ...]) -> HeaderLayout | None:
    """Find the header row in the first rows of a sheet; ``None`` if the sheet has none."""
    best: HeaderLayout | None = None
    best_score = _MIN_KEYS - 1
    for index, row in enumerate(rows[:_SCAN_ROWS]):
        single = _map_single(row)
        if _score(single) > best_score:
            best_score = _score(single)
            best = HeaderLayout("flat", index + 1, index + 2, tuple(single))
        if index + 1 < len(rows) and any(_group_of(_cell(row, i)) for i in range(len(row))):
            double = _map_double(row, rows[index + 1])
            if _score(double) > best_score:
                best_score = _score(double)
                best = HeaderLayout("rpt318", index + 1, index + 3, tuple(double))
    return best
