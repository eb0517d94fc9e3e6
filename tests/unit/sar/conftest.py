"""Helpers for bot.portals.esar tests: manifests and PDFs made on the fly in a temporary folder."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from pypdf import PdfWriter

from bot.portals.esar.demo import demo_pdf_bytes
from bot.portals.esar.manifest import Origin, SarEntry

TODAY = date(2025, 6, 1)
SCHOOL_CODE = "3040010002"
SCHOOL_NAME = "โรงเรียนเทศบาลบ้านเป็ด"
HEADERS = (
    "รหัสสถานศึกษา",
    "ชื่อสถานศึกษา",
    "ปีการศึกษา",
    "ระดับการศึกษา",
    "ไฟล์ PDF",
    "วันที่คณะกรรมการสถานศึกษาเห็นชอบ",
    "วันที่เสนอผู้บริหารท้องถิ่น",
)
GOOD_ROW = (SCHOOL_CODE, SCHOOL_NAME, "2567", "ขั้นพื้นฐาน", "sar.pdf", "10/04/2568", "11/04/2568")


def write_xlsx(
    path: Path, rows: list[tuple[object, ...]], headers: tuple[str, ...] = HEADERS
) -> Path:
    """An xlsx with a header row and the given data rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def blank_pdf(pages: int = 1, *, password: str | None = None) -> bytes:
    """A PDF of blank pages (no text), optionally encrypted."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if password is not None:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def sar_pdf(name: str = SCHOOL_NAME, year: int = 2567) -> bytes:
    """A one-page PDF whose text names the school and the year."""
    return demo_pdf_bytes(name, year, school_code=SCHOOL_CODE)


def entry(**changes: object) -> SarEntry:
    """A good entry for row 2 of manifest.xlsx; keyword arguments replace fields."""
    values: dict[str, object] = {
        "origin": Origin(file="manifest.xlsx", sheet="SAR", row=2, letters=(("pdf", "E"),)),
        "school_code": SCHOOL_CODE,
        "school_name": SCHOOL_NAME,
        "academic_year": 2567,
        "level": "ขั้นพื้นฐาน",
        "pdf": "sar.pdf",
        "board_approved": date(2025, 4, 10),
        "executive_received": date(2025, 4, 11),
    }
    return SarEntry.model_validate(values | changes)
