"""Load a spreadsheet's cells from xlsx, legacy xls or CSV, guarding against hostile files.

Limits: file size, uncompressed zip size (zip bombs), rows and columns. Formulas are never
evaluated: openpyxl gives the value Excel last computed, and the formula cells are listed so
that the reader can flag them. An `.xls` (LEC's own exports are) is read by xlrd into the
values openpyxl would give (`bot.data.xls`); which reader a file takes is decided by its
first bytes, never by its name.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from bot.data.errors import RuleError
from bot.data.xls import read_xls_values

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
_CSV_DELIMITERS = (",", "\t", ";")


@dataclass(frozen=True)
class ReadLimits:
    """Upper bounds for an input file; the defaults fit any school's real data many times."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_zip_members: int = 1000
    max_rows: int = 50_000
    max_columns: int = 300


DEFAULT_LIMITS = ReadLimits()


@dataclass(frozen=True)
class RawSheet:
    """One sheet's cell values (row 1 first) and the 1-based (row, column) of formula cells."""

    name: str
    rows: tuple[tuple[object, ...], ...]
    formulas: frozenset[tuple[int, int]] = frozenset()


def load_sheets(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> list[RawSheet]:
    """Every sheet of an xlsx or xls file, or the one table of a CSV file (sheet name ``""``)."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise RuleError(
            f"ไฟล์ใหญ่เกินไป ({size // 1024 // 1024} MB; รับได้ไม่เกิน "
            f"{limits.max_file_bytes // 1024 // 1024} MB)",
            f"The file is too large ({size} bytes; the limit is {limits.max_file_bytes}).",
            fix_th="แยกไฟล์ตามโรงเรียน หรือลบชีตที่ไม่เกี่ยวข้อง",
            fix_en="Split the file per school or remove unrelated sheets.",
        )
    kind = spreadsheet_kind(path)
    if kind == "xlsx":
        return _load_xlsx(path, limits)
    if kind == "xls":
        return _load_xls(path, limits)
    return [_load_csv(path, limits)]


def spreadsheet_kind(path: Path) -> Literal["xlsx", "xls", "csv"]:
    """Which reader a file takes, judged by its first bytes (a name can lie): every command
    that reads or copies a data file asks here, so `check` and `run` never disagree.

    A file named like a workbook that is not one (text saved as .xlsx, a Word document) is
    refused here as "not an Excel file" rather than read as CSV and found without headers.
    """
    with path.open("rb") as handle:
        head = handle.read(4)
    if head == _OLE_MAGIC:
        return "xls"
    if head == _XLSX_MAGIC:
        if _zip_member(path, "word/document.xml"):
            raise _not_a_workbook("เอกสาร Word", "a Word document")
        return "xlsx"
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise _not_a_workbook("ไฟล์ข้อความหรือไฟล์ชนิดอื่น", "text or another kind of file")
    return "csv"


def _zip_member(path: Path, name: str) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return name in archive.namelist()
    except zipfile.BadZipFile:
        return False  # said by the workbook reader, with its own fix


def check_zip(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Refuse an xlsx whose zip would expand beyond the limits (a zip bomb) or is broken."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise _not_a_workbook() from None
    total = sum(member.file_size for member in members)
    if len(members) > limits.max_zip_members or total > limits.max_uncompressed_bytes:
        raise RuleError(
            "ไฟล์ xlsx นี้ขยายตัวใหญ่ผิดปกติ (อาจเป็นไฟล์อันตราย) จึงไม่เปิดอ่าน",
            f"This xlsx would expand to {total} bytes in {len(members)} parts; refused as unsafe.",
            fix_th="บันทึกข้อมูลใหม่ในไฟล์ Excel ใหม่ หรือใช้แม่แบบของ edubot",
            fix_en="Copy the data into a new workbook, or use the edubot template.",
        )


def _not_a_workbook(seems_th: str = "", seems_en: str = "") -> RuleError:
    if seems_th:
        return RuleError(
            f"ไฟล์นี้ไม่ใช่ไฟล์ Excel (ดูเหมือนเป็น{seems_th})",
            f"This is not an Excel file (it looks like {seems_en}).",
            fix_th="เปิดข้อมูลใน Excel แล้วบันทึกเป็น .xlsx (Excel Workbook) หรือ CSV UTF-8",
            fix_en="Open the data in Excel and save it as .xlsx (Excel Workbook) or CSV UTF-8.",
        )
    return RuleError(
        "เปิดไฟล์ xlsx ไม่ได้ (ไฟล์เสียหรือไม่ใช่ไฟล์ Excel)",
        "Cannot open the xlsx file (damaged or not an Excel workbook).",
        fix_th="เปิดใน Excel แล้วบันทึกใหม่เป็น .xlsx",
        fix_en="Open it in Excel and save it again as .xlsx.",
    )


def open_workbook(path: Path, *, read_only: bool, data_only: bool) -> Any:
    """Open a workbook with openpyxl, its style warnings silenced (they are not the user's).

    Its bytes are handed over rather than its name: openpyxl judges a file by its extension,
    and an .xlsx renamed .xls (as a download is named by the site) is still an .xlsx.
    """
    import openpyxl  # ~0.1 s to import: only once a workbook is read
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        content = io.BytesIO(path.read_bytes())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(content, read_only=read_only, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, InvalidFileException) as error:
        raise _not_a_workbook() from error


def _load_xlsx(path: Path, limits: ReadLimits) -> list[RawSheet]:
    check_zip(path, limits)
    sheets = _read_cells(path, limits, data_only=False)
    if not any(sheet.formulas for sheet in sheets):
        return sheets  # no formula: every value above is the cell's own
    # A formula reads as its text when formulas are kept; the value Excel last computed for it
    # takes a second parse (openpyxl gives one or the other, never both).
    computed = _read_cells(path, limits, data_only=True)
    return [
        RawSheet(name=values.name, rows=values.rows, formulas=found.formulas)
        for values, found in zip(computed, sheets, strict=True)
    ]


def _read_cells(path: Path, limits: ReadLimits, *, data_only: bool) -> list[RawSheet]:
    workbook = open_workbook(path, read_only=True, data_only=data_only)
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            rows: list[tuple[object, ...]] = []
            formulas: set[tuple[int, int]] = set()
            for number, cells in enumerate(worksheet.iter_rows(), start=1):
                if number > limits.max_rows:
                    raise _too_many_rows(worksheet.title, limits)
                cells = cells[: limits.max_columns]
                formulas.update(
                    (number, column)
                    for column, cell in enumerate(cells, start=1)
                    if cell.data_type == "f"
                )
                rows.append(_trim(tuple(cell.value for cell in cells), limits))
            sheets.append(
                RawSheet(str(worksheet.title), _drop_blank_tail(rows), frozenset(formulas))
            )
        return sheets
    finally:
        workbook.close()


def _load_xls(path: Path, limits: ReadLimits) -> list[RawSheet]:
    try:
        values = read_xls_values(path)
    except ValueError:
        raise RuleError(
            f"เปิดไฟล์ {path.name} ไม่ได้ (ไฟล์ .xls เสีย เข้ารหัสผ่านไว้ หรือไม่ใช่ไฟล์ Excel)",
            f"Cannot open {path.name} (a damaged or password-protected .xls, or not Excel).",
            fix_th="เปิดใน Excel แล้วบันทึกใหม่เป็น .xlsx (Excel Workbook)",
            fix_en="Open it in Excel and save it again as .xlsx (Excel Workbook).",
        ) from None
    sheets = []
    for name, rows in values:
        if len(rows) > limits.max_rows:
            raise _too_many_rows(name, limits)
        sheets.append(RawSheet(name, _drop_blank_tail([_trim(row, limits) for row in rows])))
    return sheets


def _trim(row: tuple[object, ...], limits: ReadLimits) -> tuple[object, ...]:
    # A blank string is an empty cell to every reader.
    row = tuple(
        None if isinstance(v, str) and not v.strip() else v for v in row[: limits.max_columns]
    )
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return tuple(row[:end])


def _drop_blank_tail(rows: list[tuple[object, ...]]) -> tuple[tuple[object, ...], ...]:
    # openpyxl goes on to the last formatted row; the data ends at the last value.
    end = len(rows)
    while end and not rows[end - 1]:
        end -= 1
    return tuple(rows[:end])


def _too_many_rows(sheet: str, limits: ReadLimits) -> RuleError:
    return RuleError(
        f"ชีต '{sheet}' มีมากกว่า {limits.max_rows} แถว",
        f"Sheet '{sheet}' has more than {limits.max_rows} rows.",
        fix_th="แยกไฟล์ตามโรงเรียน",
        fix_en="Split the file per school.",
    )


def decode_csv(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 with or without BOM, UTF-16 with BOM, else TIS-620/cp874."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")  # Excel's "Unicode Text"
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # cp874 is TIS-620 plus a few Windows punctuation marks: a superset worth using.
        return data.decode("cp874")
    except UnicodeDecodeError:
        raise RuleError(
            "อ่านตัวอักษรในไฟล์ CSV ไม่ได้ (ไม่ใช่ UTF-8 หรือ TIS-620)",
            "Cannot decode the CSV file (neither UTF-8 nor TIS-620).",
            fix_th="ใน Excel เลือก บันทึกเป็น > CSV UTF-8",
            fix_en="In Excel choose Save As > CSV UTF-8.",
        ) from None


def _load_csv(path: Path, limits: ReadLimits) -> RawSheet:
    text = decode_csv(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = max(_CSV_DELIMITERS, key=first_line.count)
    rows: list[tuple[object, ...]] = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if len(rows) >= limits.max_rows:
            raise _too_many_rows("CSV", limits)
        rows.append(_trim(tuple(cell if cell != "" else None for cell in row), limits))
    formulas = frozenset(
        (r, c)
        for r, row in enumerate(rows, start=1)
        for c, value in enumerate(row, start=1)
        if isinstance(value, str) and value.startswith("=")
    )
    return RawSheet(name="", rows=tuple(rows), formulas=formulas)
