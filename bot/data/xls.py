"""Cell values of a legacy `.xls` (BIFF) workbook, read by xlrd as openpyxl reads an `.xlsx`.

LEC's exports are `.xls` only: its framework writes them with JExcelAPI, named `<pageCode>.xls`
(RPT318.xls). Officers keep old `.xls` files too. Both go through the same checks as an `.xlsx`,
so the values are mapped to what openpyxl gives for the same cells:

- an empty cell is None, a text cell its string, an error cell its text (``#DIV/0!``);
- BIFF stores every number as a float: a whole number becomes an int, so a 13-digit national ID
  reads ``1103702071005``, never ``1.103702071005e12``. A number cell cannot keep a leading 0;
  the field rules say so where a field needs one (a phone gets its 0 back, as from an `.xlsx`);
- a date cell is a datetime from the workbook's own date system (1900 or 1904); a BE year
  typed into a date cell stays a year like 2562, which the date rules read as BE;
- a formula gives the value Excel last computed; xlrd does not tell it from a typed value,
  so an .xls formula is not flagged as an .xlsx one is.
"""

from __future__ import annotations

import io
from pathlib import Path

import xlrd
from xlrd.xldate import XLDateError, xldate_as_datetime

_EXACT_FLOAT_INT = 2**53  # above this a float no longer holds every whole number


def read_xls_values(path: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every worksheet's rows from A1; ValueError when the file is not a workbook xlrd reads."""
    try:
        # xlrd writes its own notes on odd files to `logfile` (stdout by default): keep them.
        book = xlrd.open_workbook(str(path), logfile=io.StringIO())
    except Exception as error:
        # A damaged file meets xlrd with any of a dozen exception types; all mean "unreadable".
        raise ValueError(str(error) or type(error).__name__) from error
    try:
        return [
            (
                str(sheet.name),
                [
                    tuple(_value(cell, book.datemode) for cell in sheet.row(r))
                    for r in range(sheet.nrows)
                ],
            )
            for sheet in book.sheets()
        ]
    finally:
        book.release_resources()


def _value(cell: xlrd.sheet.Cell, datemode: int) -> object:
    kind, value = cell.ctype, cell.value
    if kind == xlrd.XL_CELL_TEXT:
        return value
    if kind == xlrd.XL_CELL_NUMBER:
        return _number(value)
    if kind == xlrd.XL_CELL_DATE:
        return _date(value, datemode)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR!")
    return None  # XL_CELL_EMPTY, XL_CELL_BLANK (formatted but empty)


def _number(value: float) -> object:
    if value.is_integer() and abs(value) < _EXACT_FLOAT_INT:
        return int(value)
    return value


def _date(value: float, datemode: int) -> object:
    """A datetime as openpyxl gives it; a time of day alone (serial < 1) as a time."""
    try:
        moment = xldate_as_datetime(value, datemode)
    except (XLDateError, OverflowError, ValueError):
        return _number(value)  # no such day: the date rules say why, as for a plain number
    return moment.time() if 0 <= value < 1 else moment
