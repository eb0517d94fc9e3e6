from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from bot.data.problems import Problem
from bot.portals.esar.checks import (
    check_entries,
    check_manifest,
    resolve_pdf,
    sar_deadline,
    sha256_of,
)
from bot.portals.esar.manifest import read_manifest
from tests.unit.sar.conftest import GOOD_ROW, TODAY, blank_pdf, entry, sar_pdf, write_xlsx

LIMIT = 1024 * 1024


def _check(folder: Path, **changes: object) -> list[Problem]:
    return check_entries([entry(**changes)], manifest_dir=folder, max_bytes=LIMIT, today=TODAY)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "sar.pdf").write_bytes(sar_pdf())
    return tmp_path


def test_a_good_entry_has_no_problems(folder: Path) -> None:
    assert _check(folder) == []


def test_missing_file_is_named_with_its_cell(folder: Path) -> None:
    [problem] = _check(folder, pdf="nope.pdf")
    assert problem.severity == "error"
    assert problem.location == "manifest.xlsx › SAR › E2 (ไฟล์ PDF (pdf))"
    assert "ไม่พบไฟล์ 'nope.pdf'" in problem.message_th
    assert "was not found" in problem.message_en
    assert problem.fix_th and problem.fix_en


@pytest.mark.parametrize("written", ["../outside.pdf", "sub/../../outside.pdf", "/etc/passwd"])
def test_paths_leaving_the_folder_are_refused(folder: Path, written: str) -> None:
    (folder.parent / "outside.pdf").write_bytes(sar_pdf())
    [problem] = _check(folder, pdf=written)
    assert "ออกนอกโฟลเดอร์" in problem.message_th
    assert resolve_pdf(entry(pdf=written), folder) is None


def test_an_absolute_path_inside_the_folder_is_fine(folder: Path) -> None:
    assert _check(folder, pdf=str(folder / "sar.pdf")) == []


def test_a_symlink_out_of_the_folder_is_refused(folder: Path) -> None:
    (folder.parent / "elsewhere.pdf").write_bytes(sar_pdf())
    (folder / "link.pdf").symlink_to(folder.parent / "elsewhere.pdf")
    [problem] = _check(folder, pdf="link.pdf")
    assert "ออกนอกโฟลเดอร์" in problem.message_th


def test_a_text_file_named_pdf_is_not_a_pdf(folder: Path) -> None:
    (folder / "notes.pdf").write_text("minutes of the board meeting")
    [problem] = _check(folder, pdf="notes.pdf")
    assert "ไม่ใช่ PDF" in problem.message_th


def test_a_damaged_pdf_is_refused(folder: Path) -> None:
    (folder / "cut.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    [problem] = _check(folder, pdf="cut.pdf")
    assert "อ่านไฟล์ PDF ไม่ได้" in problem.message_th


def test_an_encrypted_pdf_is_refused(folder: Path) -> None:
    (folder / "locked.pdf").write_bytes(blank_pdf(password="secret"))
    [problem] = _check(folder, pdf="locked.pdf")
    assert "ตั้งรหัสผ่าน" in problem.message_th
    assert "secret" not in problem.one_line()


def test_a_pdf_without_pages_is_refused(folder: Path) -> None:
    (folder / "empty.pdf").write_bytes(blank_pdf(0))
    [problem] = _check(folder, pdf="empty.pdf")
    assert "ไม่มีหน้าใดเลย" in problem.message_th


def test_an_oversize_file_is_refused_with_both_sizes(folder: Path) -> None:
    problems = check_entries([entry()], manifest_dir=folder, max_bytes=100, today=TODAY)
    [problem] = problems
    assert "เกินกำหนด 100 ไบต์" in problem.message_th


def test_a_pdf_without_text_gets_a_warning(folder: Path) -> None:
    (folder / "scan.pdf").write_bytes(blank_pdf())
    [problem] = _check(folder, pdf="scan.pdf")
    assert problem.severity == "warning"
    assert "อาจเป็นภาพสแกน" in problem.message_th


def test_a_report_of_another_school_or_year_gets_a_warning(folder: Path) -> None:
    (folder / "other.pdf").write_bytes(demo_other := sar_pdf("โรงเรียนอื่น", 2566))
    assert demo_other
    [problem] = _check(folder, pdf="other.pdf", school_code="3040019999")
    assert problem.severity == "warning"
    assert "ชื่อสถานศึกษา 'โรงเรียนเทศบาลบ้านเป็ด'" in problem.message_th
    assert "ปีการศึกษา 2567" in problem.message_th


def test_the_school_code_alone_is_enough_to_name_the_school(folder: Path) -> None:
    (folder / "code.pdf").write_bytes(sar_pdf("ชื่ออื่น", 2567))  # text has the code
    assert _check(folder, pdf="code.pdf") == []


def test_missing_dates_are_errors(folder: Path) -> None:
    problems = _check(folder, board_approved=None, executive_received=None)
    assert [p.field for p in problems] == ["board_approved", "executive_received"]
    assert all(p.severity == "error" for p in problems)


def test_dates_out_of_order_are_an_error(folder: Path) -> None:
    [problem] = _check(folder, board_approved=date(2025, 4, 12))
    assert problem.field == "executive_received"
    assert "ก่อนคณะกรรมการสถานศึกษาเห็นชอบ" in problem.message_th


def test_dates_in_the_future_are_errors(folder: Path) -> None:
    [problem] = _check(folder, executive_received=date(2025, 7, 1))
    assert "ยังมาไม่ถึง" in problem.message_th


def test_dates_after_the_25_april_deadline_are_warnings(folder: Path) -> None:
    assert sar_deadline(2567) == date(2025, 4, 25)
    problems = _check(folder, board_approved=date(2025, 4, 26), executive_received=date(2025, 5, 2))
    assert [p.severity for p in problems] == ["warning", "warning"]
    assert "เลยกำหนดส่ง SAR (25/04/2568)" in problems[0].message_th


def test_everything_wrong_is_reported_in_one_pass(tmp_path: Path) -> None:
    bad = ("3040010001", "ศูนย์", "2567", "ปฐมวัย", "../x.pdf", "", "12/04/2568")
    path = write_xlsx(tmp_path / "m.xlsx", [GOOD_ROW, bad, (*GOOD_ROW[:4], "gone.pdf", "x", "")])
    (tmp_path / "sar.pdf").write_bytes(sar_pdf())
    problems = check_manifest(read_manifest(path, today=TODAY), max_bytes=LIMIT, today=TODAY)
    assert {(p.row, p.column_letter) for p in problems} == {
        (3, "E"),  # escapes the folder
        (3, "F"),  # board approval missing
        (4, "E"),  # file not found, although the row also has a bad date
        (4, "F"),  # unreadable date (from reading), not reported again as missing
        (4, "G"),  # executive date missing
    }
    assert len(problems) == 5


def test_sha256_of_streams_the_file(tmp_path: Path) -> None:
    data = b"x" * (3 * 1024 * 1024 + 7)
    (tmp_path / "f").write_bytes(data)
    assert sha256_of(tmp_path / "f") == hashlib.sha256(data).hexdigest()
