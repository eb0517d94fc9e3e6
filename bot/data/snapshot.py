"""What the portal holds, read once from its own export (RPT318), as portal strings by ID.

Unlike `readers`, nothing here is judged: the portal's data is what it is, and the engine only
compares it with the officer's file to decide what must be added, changed or left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from bot.data.errors import RuleError
from bot.data.fields import FIELDS_BY_KEY, ROUTING_FIELDS
from bot.data.headers import find_header
from bot.data.rules import CLEAR_MARK, plain_text
from bot.data.sources import RawSheet, load_sheets
from bot.data.thai import format_be_date, normalise_id
from bot.log import redact

PortalRows = dict[str, dict[str, str]]


@dataclass(frozen=True)
class PortalExport:
    """The portal's rows by key, and the field keys its header shows (even with no rows)."""

    rows: PortalRows
    columns: frozenset[str]


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
    return read_portal_export(path, key).rows


def read_portal_export(path: Path, key: str = "national_id") -> PortalExport:
    """The export's rows and columns; RuleError when no sheet has a header naming `key`.

    An export whose header is not recognised must not read as "the portal holds nobody": every
    child would look absent (and be added again), or "equal" on the few columns that matched.
    """
    rows: PortalRows = {}
    columns: set[str] = set()
    sheets = load_sheets(path)
    for sheet in sheets:
        layout = find_header(sheet.rows)
        if layout is None or key not in layout.mapped:
            continue
        mapped = layout.mapped
        columns |= mapped.keys()
        for raw in sheet.rows[layout.data_start - 1 :]:
            values = {
                name: portal_string(raw[col.index]) if col.index < len(raw) else ""
                for name, col in mapped.items()
            }
            identity = normalise_id(values[key]) if key == "national_id" else values[key]
            if identity:
                rows[identity] = values | {key: identity}
    if not columns:
        raise _not_recognised(sheets, key)
    return PortalExport(rows, frozenset(columns))


def _not_recognised(sheets: list[RawSheet], key: str) -> RuleError:
    spec = FIELDS_BY_KEY.get(key)
    expected = f"{spec.header_th} ({key})" if spec else key
    found = "; ".join(_first_row_text(sheet) for sheet in sheets) or "no sheet"
    return RuleError(
        f"ไม่รู้จักหัวตารางของไฟล์ที่ระบบส่งออก: ต้องมีคอลัมน์ {expected} และชื่อคอลัมน์ที่รู้จักอีกอย่างน้อย 2 "
        f"คอลัมน์ใน 12 แถวแรก แต่พบ: {found}",
        f"the export's header was not recognised: expected a header row with {expected} and at "
        f"least two more known columns in the first 12 rows; found: {found}",
        fix_th="ระบบอาจเปลี่ยนรูปแบบรายงาน แจ้งผู้ดูแล edubot ก่อนยืนยันข้อมูล",
        fix_en="the portal may have changed its report; tell edubot's maintainer before confirming",
    )


def _first_row_text(sheet: RawSheet) -> str:
    """The sheet's first non-empty row, short and with IDs masked: what the header looked like."""
    for row in sheet.rows[:12]:
        cells = [plain_text(cell) for cell in row if plain_text(cell)]
        if cells:
            shown = " | ".join(cell[:30] for cell in cells[:8])
            more = f" … (+{len(cells) - 8})" if len(cells) > 8 else ""
            return f"{sheet.name}: {redact(shown)}{more}"
    return f"{sheet.name}: (empty)"


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
