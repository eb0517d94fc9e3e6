"""The probe's pieces that need no browser: ranking candidates, shaping personal data, PNG
metadata, the guard's rule, the flow line of a form field, and what doctor remembers."""

from __future__ import annotations

import struct
import zlib
from datetime import datetime
from pathlib import Path

import pytest

from bot.probe.candidates import rank, similarity
from bot.probe.capture import shaped_address, strip_png_metadata
from bot.probe.guard import RequestGuard
from bot.probe.memory import changed_pages, recall, remember
from bot.probe.resolve import field_line
from bot.probe.sanitise import mask_patterns, shape

FORM = "application/x-www-form-urlencoded"


def test_a_renamed_label_ranks_first_and_labels_the_form_uses_elsewhere_do_not() -> None:
    words = [
        ("label", "ชื่อจริง"),
        ("label", "ชื่อบิดา"),
        ("label", "นามสกุล"),
        ("name", "first_name"),
        ("button", "บันทึก"),
    ]
    found = rank("ชื่อ", "label", words, claimed=["ชื่อบิดา", "นามสกุล"])
    assert [c.words for c in found][:1] == ["ชื่อจริง"]
    assert all(c.words != "ชื่อบิดา" for c in found)
    assert all(c.kind != "button" for c in found)  # a label is not looked for among buttons


def test_similarity_ignores_spaces_colons_and_case() -> None:
    assert similarity("ชื่อ", " ชื่อ : ") == 1.0
    assert similarity("Save", "save") == 1.0
    assert similarity("บันทึก", "ยกเลิก") < 0.5


def test_candidates_never_carry_a_national_id() -> None:
    found = rank("เลขประจำตัว 1", "text", [("text", "เลขประจำตัว 1409900123454")])
    assert found and "1409900123454" not in found[0].words


def test_shape_keeps_the_form_of_personal_data_and_nothing_else() -> None:
    assert shape("ก้องภพ ศรีสุข") == "xxxxxx xxxxxx"  # a mark counts as a letter
    assert shape("14/02/2560") == "99/99/9999"
    assert shape("G674000000001") == "x999999999999"
    assert mask_patterns("เกิด 14/02/2560 โทร 081-234-5678 เลข 1409900123454 ห้อง 2") == (
        "เกิด 99/99/9999 โทร 999-999-9999 เลข 9999999999999 ห้อง 2"
    )
    assert mask_patterns("เกิด 14 ก.พ. 2560, 3 กันยายน 2561") == "เกิด 99 x.x. 9999, 9 xxxxxxx 9999"


def test_a_page_address_keeps_its_keys_and_shapes_its_values() -> None:
    assert shaped_address("https://x/student/list.do?q=1409900123454&page=2") == (
        "/student/list.do?q=9999999999999&page=9"
    )


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_png_metadata_is_dropped_and_the_picture_kept() -> None:
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    picture = _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    text = _chunk(b"tEXt", "Comment\x00ก้องภพ".encode())
    png = b"\x89PNG\r\n\x1a\n" + header + text + picture + _chunk(b"IEND", b"")
    stripped = strip_png_metadata(png)
    assert "ก้องภพ".encode() not in stripped
    assert stripped == b"\x89PNG\r\n\x1a\n" + header + picture + _chunk(b"IEND", b"")
    with pytest.raises(ValueError, match="not a PNG"):
        strip_png_metadata(b"GIF89a")


def test_the_guard_allows_gets_and_only_the_logins_posts() -> None:
    guard = RequestGuard()  # a portal without commands (e-SAR)
    url = "https://thaiqa.net/sar/upload"
    assert guard.admits("GET", url) and not guard.admits("HEAD", url)
    assert not guard.admits("POST", url, "cmd=list", FORM)
    with guard.logging_in():
        assert guard.admits("POST", url) and not guard.admits("PUT", url)
    assert not guard.admits("POST", url)


def test_a_missing_form_field_is_named_at_its_own_line(tmp_path: Path) -> None:
    flow = tmp_path / "form.yaml"
    flow.write_text(
        'steps:\n  - fill_form:\n      "ชื่อบิดา": x\n      ชื่อ: y\n      "นามสกุล": z\n',
        encoding="utf-8",
    )
    assert field_line(flow, 2, "ชื่อ") == 4
    assert field_line(flow, 2, "ไม่มี") == 2


def test_doctor_remembers_the_last_pass_and_which_pages_changed_since() -> None:
    remember("lec", "lec-students", True, {"/a": "1", "/b": "2"}, datetime(2026, 12, 1, 9, 0))
    remember("lec", "lec-students", False, {"/a": "1", "/b": "3", "/c": "4"},
             datetime(2026, 12, 2, 9, 0))  # fmt: skip
    entry = recall()["lec"]["lec-students"]
    assert entry["passed_at"].startswith("2026-12-01") and entry["last_passed"] is False
    # /c was not seen by the pass: a page walked for another record is not a change.
    assert changed_pages(entry) == ["/b"]


def test_with_nothing_alike_the_page_offers_its_fields_of_the_nearest_kinds() -> None:
    words = [("button", "Sign in"), ("name", "login"), ("placeholder", "Username")]
    found = rank("ชื่อผู้ใช้", "label", words)
    assert [(c.words, c.kind) for c in found] == [("Username", "placeholder"), ("login", "name")]
