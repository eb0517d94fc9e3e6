"""RPT318 "รายงานรายละเอียดข้อมูลนักเรียน": the school's students as xlsx.

Layout sourced from LAO-EMS's importer (docs/lec-portal-facts.md): sheet `Sheet1`, row 1 the
title, rows 2–3 headers with merged group cells for บิดา/มารดา/ผู้ปกครอง and the two addresses,
data from row 4. The importer matches headers by name, so the column order is the mock's own
(docs/student-fields.md's); cell styling is invented.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from starlette.requests import Request
from starlette.responses import Response

from mock_portals.lec.fields import FIELDSETS
from mock_portals.lec.portal import portal_of, student_scope
from mock_portals.lec.records import Lgo, School, Student

TITLE = "รายงานรายละเอียดข้อมูลนักเรียน"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROUTING_HEADERS = ("ลำดับที่", "จังหวัด", "อำเภอ", "อปท.", "สถานศึกษา", "ปีการศึกษา", "ภาคเรียน")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _headers(sheet: Worksheet, drop: tuple[str, ...] = ()) -> list[str]:
    """Write rows 2–3; return the field keys in column order after the routing columns."""
    column = 1
    for header in ROUTING_HEADERS:
        _single_header(sheet, column, header)
        column += 1
    keys: list[str] = []
    for fieldset in FIELDSETS:
        fields = [field for field in fieldset.fields if field.key not in drop]
        if not fields:
            continue
        if fieldset.group is None:
            for field in fields:
                _single_header(sheet, column, field.header)
                keys.append(field.key)
                column += 1
            continue
        first = column
        for field in fields:
            sheet.cell(3, column, field.header).alignment = _CENTER
            keys.append(field.key)
            column += 1
        sheet.cell(2, first, fieldset.group).alignment = _CENTER
        sheet.merge_cells(start_row=2, start_column=first, end_row=2, end_column=column - 1)
    return keys


def _single_header(sheet: Worksheet, column: int, text: str) -> None:
    sheet.cell(2, column, text).alignment = _CENTER
    sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)


def build_rpt318(
    school: School,
    lgo: Lgo,
    year: int,
    term: int,
    students: list[Student],
    drop: tuple[str, ...] = (),
) -> bytes:
    """The xlsx bytes of RPT318 for one school, without the columns of the `drop` keys."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    keys = _headers(sheet, drop)
    last_column = len(ROUTING_HEADERS) + len(keys)
    sheet.cell(1, 1, TITLE).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_column)
    routing = [lgo.province, lgo.district, lgo.name, school.name, year, term]
    for number, student in enumerate(students, start=1):
        row = [number, *routing, *(student.values.get(k, "") for k in keys)]
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def rpt318(request: Request) -> Response:
    # At LGO level `?school=<code>` exports an other-affiliation school the LGO enters.
    found = await student_scope(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    portal = portal_of(request)
    year, term = portal.round()
    students = portal.db.students(school.code)
    drop = portal.faults.faults.report_drops
    body = build_rpt318(school, ctx.lgo, int(year), int(term), students, drop)
    disposition = f'attachment; filename="RPT318_{school.code}.xlsx"'
    return Response(body, media_type=XLSX_TYPE, headers={"Content-Disposition": disposition})
