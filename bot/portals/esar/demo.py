"""Demo material for rehearsals: small SAR PDFs and a manifest for the seed municipality's schools.

The PDFs are written by hand, byte by byte. The visible text is ASCII (school code, academic year)
in Helvetica, because a Thai glyph font cannot be embedded without shipping one. The school's Thai
name and the year are in an *invisible* text layer (render mode 3, as OCR software writes it): the
bytes are TIS-620 codes shown with Helvetica, and a /ToUnicode CMap maps them to Thai code points.
So a PDF reader's text extraction (pypdf, copy-paste, search) finds the Thai name, and the
"first pages mention the school and the year" check in bot.portals.esar.checks is meaningful
on demo files.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook

from bot.data.thai import BE_OFFSET, format_be_date
from bot.portals.esar.files import open_owner_only
from bot.portals.esar.template import write_sar_template

DEMO_SCHOOLS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("3040010001", "ศูนย์พัฒนาเด็กเล็กเทศบาลตำบลบ้านเป็ด", ("ปฐมวัย",)),
    ("3040010002", "โรงเรียนเทศบาลบ้านเป็ด", ("ปฐมวัย", "ขั้นพื้นฐาน")),
)
DEMO_MANIFEST_NAME = "sar-manifest.xlsx"

# TIS-620 puts Thai at 0xA1–0xFB in Unicode order (U+0E01–U+0E5B); ASCII maps to itself.
_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
2 beginbfrange
<20> <7E> <0020>
<A1> <FB> <0E01>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end"""


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("ascii") + b")"


def _content(school_code: str, school_name: str, academic_year: int, level: str) -> bytes:
    level_en = {"ปฐมวัย": "Early childhood", "ขั้นพื้นฐาน": "Basic education"}.get(level, "")
    visible = [
        (20, "Self-Assessment Report (SAR)"),
        (14, f"Academic year {academic_year}"),
        (14, f"School code {school_code}"),
        (12, f"Level: {level_en}" if level_en else ""),
        (10, "DEMO FILE made by edubot for rehearsals - not a real report"),
    ]
    lines = [b"BT", b"72 760 Td"]
    for size, text in visible:
        lines += [f"/F1 {size} Tf".encode(), _pdf_string(text) + b" Tj", b"0 -26 Td"]
    lines.append(b"ET")
    thai = f"รายงานการประเมินตนเอง {school_name} ปีการศึกษา {academic_year} ระดับ{level}"
    lines += [b"BT 3 Tr /F2 12 Tf 72 600 Td <" + thai.encode("tis_620").hex().encode() + b"> Tj ET"]
    return b"\n".join(lines)


def demo_pdf_bytes(
    school_name: str, academic_year: int, *, school_code: str = "", level: str = ""
) -> bytes:
    """The bytes of a one-page PDF whose text names the school and the academic year."""
    content = _content(school_code, school_name, academic_year, level)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 7 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_TO_UNICODE), _TO_UNICODE),
        b"<< /Title (SAR %d %s) /Producer (edubot demo) >>"
        % (academic_year, school_code.encode("ascii")),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def write_demo_pdf(
    path: Path, school_name: str, academic_year: int, *, school_code: str = "", level: str = ""
) -> Path:
    """Write a small valid demo SAR PDF (owner-only) whose text names school and year."""
    data = demo_pdf_bytes(school_name, academic_year, school_code=school_code, level=level)
    with open_owner_only(path) as stream:
        stream.write(data)
    return path


def demo_academic_year(today: date) -> int:
    """The latest academic year (BE) that has ended by `today` (years end in March)."""
    return today.year + BE_OFFSET - (1 if today.month >= 4 else 2)


def write_demo_manifest(
    folder: Path, *, academic_year: int | None = None, today: date | None = None
) -> Path:
    """Write demo PDFs under folder/pdf/ and folder/sar-manifest.xlsx listing them; return it."""
    today = today or date.today()
    year = academic_year or demo_academic_year(today)
    deadline = date(year + 1 - BE_OFFSET, 4, 25)
    board = min(deadline - timedelta(days=15), today - timedelta(days=2))
    executive = board + timedelta(days=1)
    (folder / "pdf").mkdir(parents=True, exist_ok=True)
    manifest = write_sar_template(folder / DEMO_MANIFEST_NAME)  # the layout; filled in below
    book = load_workbook(manifest)
    sheet = book["SAR"]
    row = 2
    for code, name, levels in DEMO_SCHOOLS:
        for level in levels:
            slug = "early" if level == "ปฐมวัย" else "basic"
            relative = f"pdf/sar-{code}-{year}-{slug}.pdf"
            write_demo_pdf(folder / relative, name, year, school_code=code, level=level)
            values = (code, name, str(year), level, relative)
            dates = (format_be_date(board), format_be_date(executive))
            for column, value in enumerate(values + dates, start=1):
                sheet.cell(row=row, column=column, value=value)
            row += 1
    with open_owner_only(manifest) as stream:
        book.save(stream)
    return manifest
