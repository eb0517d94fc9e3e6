"""What LEC holds, read once from its own export (RPT318), as portal strings by ID.

LEC's framework exports a list page as a legacy `.xls` named `<pageCode>.xls` (RPT318.xls);
`bot.data.sources` reads it (or an `.xlsx`) by its content. Unlike `bot.data.readers`, nothing
here is judged: the portal's data is what it is, and the engine only compares it with the
officer's file to decide what must be added, changed or left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.data.errors import RuleError
from bot.data.fields import FIELDS_BY_KEY, ROUTING_FIELDS
from bot.data.headers import find_header
from bot.data.rules import CLEAR_MARK, plain_text
from bot.data.sources import RawSheet, load_sheets
from bot.data.tables import portal_string
from bot.data.thai import normalise_id
from bot.log import redact

__all__ = [
    "PortalExport",
    "PortalRows",
    "differing_fields",
    "portal_string",
    "read_portal_export",
    "read_portal_rows",
]

PortalRows = dict[str, dict[str, str]]


@dataclass(frozen=True)
class PortalExport:
    """The portal's rows by key, and the field keys its header shows (even with no rows)."""

    rows: PortalRows
    columns: frozenset[str]


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
                name: _shown(name, raw[col.index]) if col.index < len(raw) else ""
                for name, col in mapped.items()
            }
            identity = normalise_id(values[key]) if key == "national_id" else values[key]
            if identity:
                rows[identity] = values | {key: identity}
    if not columns:
        raise _not_recognised(sheets, key)
    return PortalExport(rows, frozenset(columns))


def _shown(key: str, value: object) -> str:
    """A cell as the portal's form shows it. A phone written into a number cell lost its
    leading 0 (an .xls keeps a number only as a number): the form shows 0812345678."""
    text = portal_string(value)
    spec = FIELDS_BY_KEY.get(key)
    if isinstance(value, int) and spec is not None and spec.kind == "phone" and len(text) in (8, 9):
        return "0" + text
    return text


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
