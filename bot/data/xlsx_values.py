"""Cell values of a plain xlsx, read by calamine (Rust) in a tenth of openpyxl's time.

openpyxl builds every cell through its descriptors, ~1.3 ms per row of a 60-column student
sheet: for 1000 children most of the wait before edubot's first page. calamine reads the same
cached values in ~0.1 s. It is used only where it reads what openpyxl reads (`WorksheetScan`):

- no formula and no error cell: calamine reads an error value as an empty cell, and the
  formula cells are listed by the openpyxl pass anyway;
- every cell addressed, within the row and column limits: calamine builds the whole used
  range in memory, so one stray value in cell XFD1048576 would ask for billions of cells,
  where openpyxl streams rows and stops at the limit.

Its values are then mapped to openpyxl's: an empty cell is None, a date a midnight datetime,
an integral float an int (openpyxl reads ``104`` as an int; tests/unit/data pin the parity).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

_CHUNK = 1 << 20
# Each asks the whole chunk at once, in the regex engine's C loop: a Python loop over the cells
# of 1000 children (40 000 cell tags) took ~0.2 s, longer than calamine's read. A cell tag is
# `<c …>` (any namespace prefix), its attributes up to the first ">"; its address is the first
# ` r="A1"`-shaped attribute in it, as openpyxl reads it.
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF = re.compile(rb'<(?:\w+:)?c(?=[\s>/])[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_UNADDRESSED = re.compile(rb'<(?:\w+:)?c(?=[\s>/])(?![^>]*\sr="[A-Z]{1,3}[0-9]{1,7}")')
_CELL_ERROR = re.compile(rb'<(?:\w+:)?c(?=[\s>/])[^>]*\st="e"')
# Every other way a cell tag can open, as `\s` in the patterns above reads whitespace.
_OTHER_CELL_OPENINGS = (b"<c>", b"<c/", b"<c\t", b"<c\n", b"<c\r", b"<c\x0b", b"<c\x0c")
_EXACT_FLOAT_INT = 2**53


@dataclass
class WorksheetScan:
    """What the worksheet XML holds, found without parsing a cell."""

    formulas: bool = False
    errors: bool = False
    unaddressed: bool = False  # a cell without r="A1": positions would be guessed
    max_row: int = 0
    max_column: int = 0

    def calamine_reads_alike(self, max_rows: int, max_columns: int) -> bool:
        return not (self.formulas or self.errors or self.unaddressed) and (
            self.max_row <= max_rows and self.max_column <= max_columns
        )


def scan_worksheets(path: Path) -> WorksheetScan:
    """Stream every worksheet part once; tags are cut only after a '>' so none is split."""
    scan = WorksheetScan()
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as part:
                rest = b""
                while chunk := part.read(_CHUNK):
                    text = rest + chunk
                    cut = text.rfind(b">") + 1
                    _scan_text(text[:cut], scan)
                    rest = text[cut:]
                _scan_text(rest, scan)
    return scan


def _scan_text(text: bytes, scan: WorksheetScan) -> None:
    # A substring test (C's memmem, ~1 ms a megabyte) first: most sheets have no formula and
    # no error, and a regex search through them costs 10-25 ms each.
    if b"<f" in text or b":f" in text:
        scan.formulas = scan.formulas or _FORMULA.search(text) is not None
    if b't="e"' in text:
        scan.errors = scan.errors or _CELL_ERROR.search(text) is not None
    refs = _CELL_REF.findall(text)
    if not _all_addressed(text, len(refs)):
        scan.unaddressed = scan.unaddressed or _CELL_UNADDRESSED.search(text) is not None
    if refs:
        # A few dozen distinct columns and a row number per row: max over those, not every cell.
        scan.max_row = max(scan.max_row, *map(int, {digits for _, digits in refs}))
        letters = {letters for letters, _ in refs}
        scan.max_column = max(scan.max_column, *map(_column_number, letters))


def _all_addressed(text: bytes, addressed: int) -> bool:
    """Every cell tag is one of the `addressed` ones: when all are written `<c …` (as Excel
    and openpyxl write them), counting them tells; any other spelling asks the regex."""
    if b":c" in text or any(form in text for form in _OTHER_CELL_OPENINGS):
        return False
    return text.count(b"<c ") == addressed


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64  # b"A" is 65
    return number


def read_values(path: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every worksheet's rows from A1, values as openpyxl's read-only, values-only mode gives."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except CalamineError as error:
        raise ValueError(str(error)) from error
    try:
        return [
            (
                sheet.name,
                [tuple(_openpyxl_value(v) for v in row) for row in _rows(workbook, sheet.name)],
            )
            for sheet in workbook.sheets_metadata
            if sheet.typ == SheetTypeEnum.WorkSheet
        ]
    finally:
        workbook.close()


def _rows(workbook: CalamineWorkbook, name: str) -> Iterator[Sequence[object]]:
    yield from workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _openpyxl_value(value: object) -> object:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_FLOAT_INT:
        return int(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time())
    return value
