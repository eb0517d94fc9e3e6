"""Plain tables a flow declares itself (buildings, basic school data): columns, not rules.

A flow's `input: {records: table, columns: {key: หัวคอลัมน์, ...}}` names the columns it needs;
this reads them from xlsx, xls or CSV by their Thai header (or the key itself), as text the portal
takes. Every missing column, empty key cell and repeated key is reported in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from bot.data.errors import RuleError
from bot.data.headers import normalise_header
from bot.data.problems import Problem
from bot.data.sources import load_sheets
from bot.data.thai import format_be_date


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


@dataclass(frozen=True)
class TableRow:
    sheet: str
    row: int
    values: dict[str, str]


def _problem(path: Path, sheet: str, row: int | None, column: str, th: str, en: str) -> Problem:
    fix_th = "แก้ไขในไฟล์แล้วตรวจอีกครั้ง"
    fix_en = "Fix it in the file and check again."
    return Problem(
        file=str(path),
        sheet=sheet,
        row=row,
        column=column,
        message_th=th,
        message_en=en,
        fix_th=fix_th,
        fix_en=fix_en,
    )


def read_table(
    path: Path, columns: Mapping[str, str], key: str
) -> tuple[list[TableRow], list[Problem]]:
    """Rows of the first sheet holding the declared columns, with every problem found."""
    try:
        sheets = load_sheets(path)
    except RuleError as exc:
        return [], [_problem(path, "", None, "", exc.th, exc.en)]
    wanted = {normalise_header(h): k for k, h in columns.items()} | {
        normalise_header(k): k for k in columns
    }
    for sheet in sheets:
        for index, header_row in enumerate(sheet.rows[:10]):
            found = {
                wanted[normalise_header(c)]: i
                for i, c in enumerate(header_row)
                if c and normalise_header(c) in wanted
            }
            if key in found:
                return _rows(path, sheet.name, sheet.rows, index + 1, found, columns, key)
    header = columns[key]
    return [], [
        _problem(
            path,
            "",
            None,
            header,
            f"ไม่พบคอลัมน์ {header}",
            f"No column {header!r} ({key}) in any sheet.",
        )
    ]


def _rows(
    path: Path,
    sheet: str,
    rows: tuple[tuple[object, ...], ...],
    header_row: int,
    found: dict[str, int],
    columns: Mapping[str, str],
    key: str,
) -> tuple[list[TableRow], list[Problem]]:
    problems = [
        _problem(
            path,
            sheet,
            header_row,
            columns[k],
            f"ไม่พบคอลัมน์ {columns[k]}",
            f"The column {columns[k]!r} ({k}) is missing.",
        )
        for k in columns
        if k not in found
    ]
    out: list[TableRow] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows[header_row:], start=header_row + 1):
        values = {k: portal_string(raw[i]) if i < len(raw) else "" for k, i in found.items()}
        if not any(values.values()):
            continue
        ident = values.get(key, "")
        if not ident:
            problems.append(
                _problem(
                    path,
                    sheet,
                    number,
                    columns[key],
                    f"ไม่ได้กรอก {columns[key]}",
                    f"{columns[key]} is empty.",
                )
            )
            continue
        if ident in seen:
            problems.append(
                _problem(
                    path,
                    sheet,
                    number,
                    columns[key],
                    f"{columns[key]} ซ้ำกับแถว {seen[ident]}",
                    f"{columns[key]} repeats row {seen[ident]}.",
                )
            )
            continue
        seen[ident] = number
        out.append(TableRow(sheet, number, {k: values.get(k, "") for k in columns}))
    return out, problems
