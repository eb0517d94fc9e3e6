"""RPT318 as legacy `.xls` (BIFF8), as the framework's JExcelAPI exports write it.

Same layout as report.py's xlsx (Sheet1, title row 1, headers rows 2–3 with merged group cells,
data from row 4); written with xlwt, the maintained-enough BIFF writer on the registry.
"""

from __future__ import annotations

from io import BytesIO

import xlwt

from mock_portals.lec.fields import FIELDSETS
from mock_portals.lec.records import Lgo, School, Student
from mock_portals.lec.report import ROUTING_HEADERS, TITLE

XLS_TYPE = "application/octet-stream"  # what BaseDomainAction.exportExcel sends


def _headers(sheet: xlwt.Worksheet, drop: tuple[str, ...] = ()) -> list[str]:
    """Rows 2–3 (0-based 1–2); the field keys in column order after the routing columns,
    without the `drop` keys (the `report_drops` fault, as in the xlsx)."""
    column = 0
    for header in ROUTING_HEADERS:
        sheet.write_merge(1, 2, column, column, header)
        column += 1
    keys: list[str] = []
    for fieldset in FIELDSETS:
        fields = [field for field in fieldset.fields if field.key not in drop]
        if not fields:
            continue
        if fieldset.group is None:
            for field in fields:
                sheet.write_merge(1, 2, column, column, field.header)
                keys.append(field.key)
                column += 1
            continue
        first = column
        for field in fields:
            sheet.write(2, column, field.header)
            keys.append(field.key)
            column += 1
        sheet.write_merge(1, 1, first, column - 1, fieldset.group)
    return keys


def build_rpt318_xls(
    school: School,
    lgo: Lgo,
    year: int,
    term: int,
    students: list[Student],
    drop: tuple[str, ...] = (),
) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    keys = _headers(sheet, drop)
    sheet.write_merge(0, 0, 0, len(ROUTING_HEADERS) + len(keys) - 1, TITLE)
    routing = [lgo.province, lgo.district, lgo.name, school.name, year, term]
    for row, student in enumerate(students, start=3):
        cells = [row - 2, *routing, *(student.values.get(k, "") for k in keys)]
        for column, value in enumerate(cells):
            sheet.write(row, column, value)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
