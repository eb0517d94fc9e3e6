"""What the portal holds, read once from its own export (RPT318), as portal strings by ID.

Unlike `readers`, nothing here is judged: the portal's data is what it is, and the engine only
compares it with the officer's file to decide what must be added, changed or left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from bot.data.fields import ROUTING_FIELDS
from bot.data.headers import find_header
from bot.data.rules import CLEAR_MARK
from bot.data.sources import load_sheets
from bot.data.thai import format_be_date, normalise_id

PortalRows = dict[str, dict[str, str]]


def portal_string(value: object) -> str:
    """A cell as the portal would show it: BE dates, plain numbers, trimmed text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_be_date(value.date())
    if isinstance(value, date):
        return format_be_date(value)
    if isinstance(value, float | Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value).strip()


def read_portal_rows(path: Path, key: str = "national_id") -> PortalRows:
    """Every data row of an RPT318 (or flat) export, keyed by `key`, values as portal strings."""
    rows: PortalRows = {}
    for sheet in load_sheets(path):
        layout = find_header(sheet.rows)
        if layout is None or key not in layout.mapped:
            continue
        columns = layout.mapped
        for raw in sheet.rows[layout.data_start - 1 :]:
            values = {
                name: portal_string(raw[col.index]) if col.index < len(raw) else ""
                for name, col in columns.items()
            }
            identity = normalise_id(values[key]) if key == "national_id" else values[key]
            if identity:
                rows[identity] = values | {key: identity}
    return rows


# Where a record goes (school, round), not what it says: the form never enters these.
_ROUTING = frozenset(spec.key for spec in ROUTING_FIELDS)


def differing_fields(record: Mapping[str, str], portal: Mapping[str, str]) -> list[str]:
    """The entered fields whose record value differs from the portal's (those the portal shows).

    A blank in the record leaves the portal's value alone, so it differs from nothing; the
    clear mark asks for an empty field, so it equals an empty portal value.
    """
    return [
        key
        for key, shown in portal.items()
        if key in record and key not in _ROUTING and _differs(record[key], shown)
    ]


def _differs(wanted: str, shown: str) -> bool:
    wanted = wanted.strip()
    if not wanted:
        return False
    return ("" if wanted == CLEAR_MARK else wanted) != shown.strip()
