"""Checks before an upload: every SAR entry's PDF and dates, all reported in one pass.

Errors stop the upload of that entry; warnings are shown and the upload may go ahead. Each
problem names the manifest row and column (or YAML line and key), in Thai and English.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from bot.data.problems import Problem, Severity
from bot.data.thai import BE_OFFSET, format_be_date
from bot.data.thai_text import compact
from bot.portals.esar.files import sha256_of
from bot.portals.esar.manifest import SarEntry, SarManifest

__all__ = ["check_entries", "check_manifest", "resolve_pdf", "sar_deadline", "sha256_of"]

TEXT_PAGES = 3
_MAGIC = b"%PDF-"


def sar_deadline(academic_year: int) -> date:
    """25 April of the year after the academic year (BE): the SAR's due date."""
    return date(academic_year + 1 - BE_OFFSET, 4, 25)


def resolve_pdf(entry: SarEntry, manifest_dir: Path) -> Path | None:
    """The entry's PDF as an absolute path, or None when it points outside `manifest_dir`."""
    written = Path(entry.pdf)
    candidate = written if written.is_absolute() else manifest_dir / written
    resolved = candidate.resolve()
    return resolved if resolved.is_relative_to(manifest_dir.resolve()) else None


def check_manifest(
    manifest: SarManifest, *, max_bytes: int, today: date | None = None
) -> list[Problem]:
    """The manifest's reading problems followed by the checks of its good entries."""
    checked = check_entries(
        manifest.checkable, manifest_dir=manifest.folder, max_bytes=max_bytes, today=today
    )
    return [*manifest.problems, *checked]


def check_entries(
    entries: Iterable[SarEntry],
    *,
    manifest_dir: Path,
    max_bytes: int,
    today: date | None = None,
) -> list[Problem]:
    """Every problem of every entry: file, PDF, size, dates and the report's own text."""
    today = today or date.today()
    problems: list[Problem] = []
    for entry in entries:
        problems += _pdf_problems(entry, manifest_dir, max_bytes)
        problems += _date_problems(entry, today)
    return problems


class _Report:
    """Builds the problems of one entry with its location filled in."""

    def __init__(self, entry: SarEntry) -> None:
        self.entry = entry
        self.problems: list[Problem] = []

    def add(
        self,
        field: str,
        message: tuple[str, str],
        fix: tuple[str, str],
        *,
        severity: Severity = "error",
        value: str = "",
    ) -> None:
        where: dict[str, Any] = self.entry.origin.where(field)
        self.problems.append(
            Problem(
                **where,
                value=value,
                message_th=message[0],
                message_en=message[1],
                fix_th=fix[0],
                fix_en=fix[1],
                severity=severity,
            )
        )


# -- the PDF ------------------------------------------------------------------------------


def _pdf_problems(entry: SarEntry, manifest_dir: Path, max_bytes: int) -> list[Problem]:
    report = _Report(entry)
    path = resolve_pdf(entry, manifest_dir)
    if path is None:
        report.add(
            "pdf",
            ("ที่อยู่ไฟล์ชี้ออกนอกโฟลเดอร์ของไฟล์รายการ", "The path leads outside the list's folder."),
            (
                "ย้ายไฟล์ PDF มาไว้ในโฟลเดอร์เดียวกับไฟล์รายการ แล้วพิมพ์เฉพาะชื่อไฟล์",
                "Move the PDF into the list's folder and type just its name.",
            ),
            value=entry.pdf,
        )
        return report.problems
    if not path.is_file():
        report.add(
            "pdf",
            (f"ไม่พบไฟล์ '{entry.pdf}'", f"File '{entry.pdf}' was not found."),
            (
                "ตรวจชื่อไฟล์ (รวม .pdf และตัวพิมพ์เล็ก-ใหญ่) และวางไฟล์ในโฟลเดอร์ของไฟล์รายการ",
                "Check the name (with .pdf, same letter case) and that it is in the list's folder.",
            ),
            value=entry.pdf,
        )
        return report.problems
    _check_size(report, path, max_bytes)
    _check_pdf(report, path)
    return report.problems


def _size(size: int, unit: str) -> str:
    if size < 10 * 1024:
        return f"{size:,} {unit}"
    return f"{size / (1024 * 1024):.2f}".rstrip("0").rstrip(".") + " MB"


def _check_size(report: _Report, path: Path, max_bytes: int) -> None:
    size = path.stat().st_size
    if size > max_bytes:
        report.add(
            "pdf",
            (
                f"ไฟล์มีขนาด {_size(size, 'ไบต์')} เกินกำหนด {_size(max_bytes, 'ไบต์')}",
                f"The file is {_size(size, 'bytes')}, over the {_size(max_bytes, 'bytes')} limit.",
            ),
            (
                "ลดขนาดไฟล์ PDF (บีบอัดรูปภาพ หรือบันทึกแบบลดขนาด) แล้วลองอีกครั้ง",
                "Make the PDF smaller (compress images, 'reduce file size') and retry.",
            ),
            value=report.entry.pdf,
        )


def _check_pdf(report: _Report, path: Path) -> None:
    with path.open("rb") as stream:
        head = stream.read(len(_MAGIC))
    if head != _MAGIC:
        report.add(
            "pdf",
            (
                "ไฟล์นี้ไม่ใช่ PDF (เนื้อไฟล์ไม่ได้ขึ้นต้นด้วย %PDF-) แม้ชื่อจะลงท้ายด้วย .pdf",
                "This file is not a PDF (it does not start with %PDF-), whatever its name says.",
            ),
            (
                "เปิดรายงานในโปรแกรมต้นฉบับแล้วสั่ง บันทึกเป็น PDF (Save as PDF)",
                "Open the report in its program and use Save as PDF.",
            ),
            value=report.entry.pdf,
        )
        return
    reader = _open_pdf(report, path)
    if reader is None:
        return
    _check_text(report, reader)


def _open_pdf(report: _Report, path: Path) -> PdfReader | None:
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            report.add(
                "pdf",
                ("ไฟล์ PDF ถูกตั้งรหัสผ่านไว้", "The PDF is password-protected."),
                (
                    "บันทึกสำเนาที่ไม่ตั้งรหัสผ่าน แล้วใช้ไฟล์นั้นแทน",
                    "Save a copy without a password and list that file instead.",
                ),
                value=report.entry.pdf,
            )
            return None
        pages = len(reader.pages)
    except Exception as error:  # pypdf signals a damaged file through many exception types
        report.add(
            "pdf",
            (
                "อ่านไฟล์ PDF ไม่ได้ ไฟล์อาจเสียหาย",
                f"The PDF cannot be read; it may be damaged ({type(error).__name__}).",
            ),
            (
                "สร้างไฟล์ PDF ใหม่จากต้นฉบับ แล้วเปิดดูให้แน่ใจก่อนส่ง",
                "Make the PDF again from the original and open it once to be sure.",
            ),
            value=report.entry.pdf,
        )
        return None
    if pages == 0:
        report.add(
            "pdf",
            ("ไฟล์ PDF ไม่มีหน้าใดเลย", "The PDF has no pages."),
            ("สร้างไฟล์ PDF ใหม่จากต้นฉบับ", "Make the PDF again from the original."),
            value=report.entry.pdf,
        )
        return None
    return reader


def _check_text(report: _Report, reader: PdfReader) -> None:
    entry = report.entry
    try:
        pages = reader.pages[:TEXT_PAGES]
        text = compact(" ".join(page.extract_text() or "" for page in pages))
    except Exception:  # a text layer pypdf cannot decode is only a reason to warn
        text = ""
    if not text:
        report.add(
            "pdf",
            (
                "อ่านข้อความในหน้าแรกของ PDF ไม่ได้ (อาจเป็นภาพสแกน) จึงตรวจชื่อสถานศึกษาและปีไม่ได้",
                "The first pages have no readable text (a scan?); school and year not verified.",
            ),
            (
                "เปิดไฟล์ดูด้วยตนเองว่าเป็นรายงานของสถานศึกษาและปีการศึกษานี้",
                "Open the file and check by eye that it is this school's report for this year.",
            ),
            severity="warning",
            value=entry.pdf,
        )
        return
    missing_th, missing_en = [], []
    if compact(entry.school_name) not in text and entry.school_code not in text:
        missing_th.append(f"ชื่อสถานศึกษา '{entry.school_name}'")
        missing_en.append(f"the school name '{entry.school_name}'")
    if str(entry.academic_year) not in text:
        missing_th.append(f"ปีการศึกษา {entry.academic_year}")
        missing_en.append(f"the academic year {entry.academic_year}")
    if missing_th:
        report.add(
            "pdf",
            (
                f"{TEXT_PAGES} หน้าแรกของ PDF ไม่มี{' และ'.join(missing_th)}",
                f"The first {TEXT_PAGES} pages do not mention {' or '.join(missing_en)}.",
            ),
            (
                "ตรวจว่าเลือกไฟล์ถูกต้องสำหรับสถานศึกษา ปีการศึกษา และระดับนี้",
                "Check that the right file is listed for this school, year and level.",
            ),
            severity="warning",
            value=entry.pdf,
        )


# -- the approval dates -------------------------------------------------------------------


def _date_problems(entry: SarEntry, today: date) -> list[Problem]:
    report = _Report(entry)
    board, executive = entry.board_approved, entry.executive_received
    for field, value, th, en in (
        ("board_approved", board, "วันที่คณะกรรมการสถานศึกษาเห็นชอบ", "board approval date"),
        ("executive_received", executive, "วันที่เสนอผู้บริหารท้องถิ่น", "date presented to the executive"),
    ):
        if value is None and field in entry.origin.unreadable:
            continue  # reported when the manifest was read
        if value is None:
            report.add(
                field,
                (f"ไม่ได้กรอก{th}", f"The {en} is missing."),
                (
                    "กรอกวันที่ตามหนังสือ เป็น วว/ดด/ปปปป พ.ศ.",
                    "Type the date from the approval letter as dd/mm/yyyy (BE).",
                ),
            )
        elif value > today:
            report.add(
                field,
                (
                    f"{th} {format_be_date(value)} ยังมาไม่ถึง",
                    f"The {en} {format_be_date(value)} is in the future.",
                ),
                ("ตรวจวันที่และปี พ.ศ.", "Check the day and the BE year."),
                value=format_be_date(value),
            )
    if board is not None and executive is not None and board > executive:
        report.add(
            "executive_received",
            (
                f"เสนอผู้บริหารท้องถิ่น ({format_be_date(executive)}) ก่อนคณะกรรมการสถานศึกษาเห็นชอบ"
                f" ({format_be_date(board)})",
                f"Presented to the executive ({format_be_date(executive)}) before the board"
                f" approved it ({format_be_date(board)}).",
            ),
            (
                "คณะกรรมการสถานศึกษาต้องเห็นชอบก่อน แล้วจึงเสนอผู้บริหารท้องถิ่น ตรวจทั้งสองวันที่",
                "The board approves first, then the executive receives it; check both dates.",
            ),
            value=format_be_date(executive),
        )
    _check_deadline(report, today)
    return report.problems


def _check_deadline(report: _Report, today: date) -> None:
    entry = report.entry
    deadline = sar_deadline(entry.academic_year)
    for field, value in (
        ("board_approved", entry.board_approved),
        ("executive_received", entry.executive_received),
    ):
        if value is None or value <= deadline or value > today:
            continue
        report.add(
            field,
            (
                f"วันที่ {format_be_date(value)} เลยกำหนดส่ง SAR ({format_be_date(deadline)})"
                f" ของปีการศึกษา {entry.academic_year}",
                f"{format_be_date(value)} is after the SAR due date ({format_be_date(deadline)})"
                f" for academic year {entry.academic_year}.",
            ),
            (
                "ตรวจปี พ.ศ. ของวันที่และปีการศึกษา ถ้าถูกต้องแล้วให้ส่งโดยเร็วและบันทึกเหตุผลที่ล่าช้า",
                "Check the BE years; if they are right, upload soon and note why it is late.",
            ),
            severity="warning",
            value=format_be_date(value),
        )
