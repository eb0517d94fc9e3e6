from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from bot.portals.esar.checks import check_manifest
from bot.portals.esar.demo import demo_academic_year, write_demo_manifest, write_demo_pdf
from bot.portals.esar.manifest import read_manifest
from mock_portals.esar.pdf_sniff import looks_like_pdf


def test_demo_pdf_text_holds_the_thai_name_and_year(tmp_path: Path) -> None:
    path = write_demo_pdf(tmp_path / "d.pdf", "โรงเรียนเทศบาลบ้านเป็ด", 2567, school_code="3040010002")
    text = PdfReader(path).pages[0].extract_text()
    assert "โรงเรียนเทศบาลบ้านเป็ด" in text
    assert "ปีการศึกษา 2567" in text
    assert "School code 3040010002" in text
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_demo_pdf_passes_the_mock_portals_sniff(tmp_path: Path) -> None:
    path = write_demo_pdf(tmp_path / "d.pdf", "ศูนย์พัฒนาเด็กเล็ก (ทดสอบ)", 2567)
    assert looks_like_pdf(path.read_bytes())


def test_demo_academic_year_is_the_last_one_ended() -> None:
    assert demo_academic_year(date(2026, 11, 29)) == 2568
    assert demo_academic_year(date(2026, 3, 1)) == 2567


def test_demo_manifest_lists_three_reports_that_pass_every_check(tmp_path: Path) -> None:
    today = date(2025, 4, 20)
    path = write_demo_manifest(tmp_path, today=today)
    manifest = read_manifest(path, today=today)
    slots = [(e.school_code, e.academic_year, e.level) for e in manifest.entries]
    assert slots == [
        ("3040010001", 2567, "ปฐมวัย"),
        ("3040010002", 2567, "ปฐมวัย"),
        ("3040010002", 2567, "ขั้นพื้นฐาน"),
    ]
    assert check_manifest(manifest, max_bytes=20 * 1024 * 1024, today=today) == []
