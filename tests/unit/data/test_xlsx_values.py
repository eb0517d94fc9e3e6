"""calamine's fast path reads what openpyxl reads, and steps aside where it would not."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font

from bot.data import sources, xlsx_values
from bot.data.errors import RuleError
from bot.data.sources import DEFAULT_LIMITS, RawSheet, ReadLimits, load_sheets
from bot.data.xlsx_values import WorksheetScan, scan_worksheets

THAI_DATE_FORMATS = [
    "[$-1070000]d/m/yyyy;@",  # Excel's Thai Buddhist-Era date
    "[$-th-TH,107]d mmmm yyyy",
    "B2dd/mm/yyyy",
    "dd/mm/yyyy",
    '"วันที่ "d',
    "yyyy-mm-dd hh:mm",
]


def by_openpyxl(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> list[RawSheet]:
    return [RawSheet(n, rows) for n, rows in sources._read_cells(path, limits, data_only=True)]


def tricky_workbook(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "นักเรียน"
    sheet["C3"], sheet["D3"], sheet["E3"] = "หัว", 104, 104.5
    sheet["F3"] = 1402656877339  # an ID typed as a number
    sheet["C4"], sheet["D4"] = datetime(2022, 11, 5), date(2022, 11, 5)
    sheet["E4"], sheet["F4"] = time(8, 30), True
    sheet["E5"], sheet["F5"] = "  ข้อความ\u00a0 ", timedelta(hours=30)
    sheet["C6"] = CellRichText("ab", TextBlock(InlineFont(b=True), "cd"))
    sheet["D6"], sheet["E6"], sheet["F6"] = "0812345678", 1e20, -0.0
    sheet["G7"] = datetime(2022, 1, 1, 13, 45)
    sheet["D8"].font = Font(bold=True)  # styled, empty
    sheet.merge_cells("C9:D9")
    sheet["C9"] = "merged"
    for row, number_format in enumerate([*THAI_DATE_FORMATS, "0.00", "@", "[h]:mm"], start=10):
        cell = sheet.cell(row, 2, 44880.0)
        cell.number_format = number_format
    workbook.create_sheet("ว่าง")
    hidden = workbook.create_sheet("lists")
    hidden["A1"], hidden.sheet_state = "ชาย", "hidden"
    workbook.save(path)
    return path


def test_tricky_cells_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    path = tricky_workbook(tmp_path / "t.xlsx")
    assert scan_worksheets(path).calamine_reads_alike(100, 100)
    fast = load_sheets(path)
    assert fast == by_openpyxl(path)
    assert fast[0].rows[3][2] == datetime(2022, 11, 5)  # a date is a datetime, as openpyxl has it
    assert fast[0].rows[2][3] == 104 and isinstance(fast[0].rows[2][3], int)


cell_values = st.one_of(
    st.none(),
    st.text(alphabet="กขคงจ ๑๒๓abc-/.0123456789", max_size=12),
    st.integers(min_value=-(10**14), max_value=10**14),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.booleans(),
    st.dates(min_value=date(1901, 1, 1), max_value=date(2600, 12, 31)),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(grid=st.lists(st.lists(cell_values, max_size=8), min_size=1, max_size=8))
def test_any_grid_reads_alike(tmp_path: Path, grid: list[list[object]]) -> None:
    path = tmp_path / "g.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in grid:
        sheet.append(row)
    workbook.save(path)
    if scan_worksheets(path).calamine_reads_alike(100, 100):
        assert load_sheets(path) == by_openpyxl(path)


def rewrite_sheet(path: Path, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = "xl/worksheets/sheet1.xml"
    assert old in parts[name]
    parts[name] = parts[name].replace(old, new)
    with zipfile.ZipFile(path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


def one_cell(path: Path, ref: str, value: object) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "หัว"
    sheet[ref] = value
    workbook.save(path)
    return path


def test_an_error_value_keeps_openpyxl(tmp_path: Path) -> None:
    # calamine reads a cached #DIV/0! as an empty cell; openpyxl keeps the text.
    path = one_cell(tmp_path / "e.xlsx", "B2", 7)
    rewrite_sheet(path, b'<c r="B2" t="n"><v>7</v></c>', b'<c r="B2" t="e"><v>#DIV/0!</v></c>')
    scan = scan_worksheets(path)
    assert scan.errors and not scan.calamine_reads_alike(100, 100)
    assert load_sheets(path)[0].rows[1] == (None, "#DIV/0!")


def test_a_formula_keeps_openpyxl_and_is_listed(tmp_path: Path) -> None:
    path = one_cell(tmp_path / "f.xlsx", "B2", "=1+1")
    assert scan_worksheets(path).formulas
    assert load_sheets(path)[0].formulas == frozenset({(2, 2)})


def test_a_stray_far_cell_is_not_built_as_a_range(tmp_path: Path) -> None:
    # calamine would allocate every cell up to XFD1048576; openpyxl streams to the row limit.
    path = one_cell(tmp_path / "far.xlsx", "XFD1048576", "x")
    scan = scan_worksheets(path)
    assert (scan.max_row, scan.max_column) == (1_048_576, 16_384)
    assert not scan.calamine_reads_alike(DEFAULT_LIMITS.max_rows, DEFAULT_LIMITS.max_columns)
    with pytest.raises(RuleError, match="more than 100 rows"):
        load_sheets(path, ReadLimits(max_rows=100))


def test_an_unaddressed_cell_keeps_openpyxl(tmp_path: Path) -> None:
    path = one_cell(tmp_path / "u.xlsx", "B2", 7)
    rewrite_sheet(path, b'<c r="B2" t="n">', b'<c t="n">')
    assert scan_worksheets(path).unaddressed


def test_a_tag_across_read_chunks_is_seen_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tricky_workbook(tmp_path / "t.xlsx")
    whole = scan_worksheets(path)
    monkeypatch.setattr(xlsx_values, "_CHUNK", 7)  # every tag is cut somewhere
    assert scan_worksheets(path) == whole
    assert (whole.max_row, whole.max_column) == (18, 7)


# --- the scan's regexes against a cell-by-cell reading of the same XML ------------------------

# As first written but for one slip, fixed here: its `[\s>/]` ate the ">" of a bare `<c>`, so
# the tag ran on into the next cell's and borrowed its address.
_REFERENCE_CELL = re.compile(rb"<(?:\w+:)?c(?=[\s>/])[^>]*")
_REFERENCE_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')


def scan_cell_by_cell(text: bytes) -> WorksheetScan:
    """The scan as first written: each cell tag found, then its address and type read."""
    scan = WorksheetScan(formulas=re.search(rb"<(?:\w+:)?f[\s>/]", text) is not None)
    for cell in _REFERENCE_CELL.finditer(text):
        tag = cell.group()
        ref = _REFERENCE_REF.search(tag)
        if ref is None:
            scan.unaddressed = True
            continue
        scan.errors = scan.errors or re.search(rb'\st="e"', tag) is not None
        scan.max_row = max(scan.max_row, int(ref.group(2)))
        scan.max_column = max(scan.max_column, xlsx_values._column_number(ref.group(1)))
    return scan


_PREFIX = st.sampled_from([b"", b"x:", b"main:"])
_SPACE = st.sampled_from([b" ", b"  ", b"\t", b"\n", b"\r\n", b"\x0b", b"\x0c"])
_REF_ATTR = st.builds(
    lambda col, row, quote: b"r=" + quote + col + row + quote,
    st.sampled_from([b"A", b"Z", b"AB", b"BI", b"XFD", b"a", b"AAAA"]),
    st.sampled_from([b"1", b"9", b"1001", b"1048576", b"", b"12345678"]),
    st.sampled_from([b'"', b'"', b"'"]),
)
_OTHER_ATTR = st.sampled_from([b's="1"', b't="s"', b't="e"', b't="n"', b"t='e'", b'cm="1"'])
_CELL_TAG = st.builds(
    lambda prefix, before, ref, after, space, end, body: (
        b"<" + prefix + b"c" + b"".join(space + a for a in [*before, *ref, *after]) + end + body
    ),
    _PREFIX,
    st.lists(_OTHER_ATTR, max_size=2),
    st.lists(_REF_ATTR, max_size=2),
    st.lists(_OTHER_ATTR, max_size=2),
    _SPACE,
    st.sampled_from([b">", b"/>", b" >"]),
    st.sampled_from([b"", b"<v>7</v></c>", b"<f>1+1</f><v>2</v></c>", b"<is><t>c r</t></is></c>"]),
)
_OTHER_TAG = st.sampled_from(
    [b'<row r="3">', b"</row>", b'<col min="1" max="2"/>', b'<cols>', b'<x:f t="shared"/>',
     b'<cfRule type="x"/>', b'<dimension ref="A1:C3"/>', b'<selection sqref="A1"/>']
)  # fmt: skip


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_CELL_TAG, _OTHER_TAG), max_size=12))
@example([b"<c>", b'<c r="A1">'])  # a bare <c> is unaddressed, whatever follows it
@example([b'<c r="B2" t="e">', b"<x:c/>", b"<f>"])
def test_the_scan_reads_a_sheet_as_the_cell_by_cell_reading_does(parts: list[bytes]) -> None:
    text = b"<sheetData>" + b"".join(parts) + b"</sheetData>"
    scan, reference = WorksheetScan(), scan_cell_by_cell(text)
    xlsx_values._scan_text(text, scan)
    if reference.unaddressed:  # openpyxl reads it either way; the first reading stopped looking
        scan.errors = reference.errors  # for errors in cells without an address
    assert scan == reference


def test_the_scan_of_a_written_workbook_matches_the_cell_by_cell_reading(tmp_path: Path) -> None:
    path = tricky_workbook(tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as archive:
        text = archive.read("xl/worksheets/sheet1.xml")
    assert scan_worksheets(path) == scan_cell_by_cell(text)
    assert text.count(b"<c ") > 20  # the counting shortcut was taken
