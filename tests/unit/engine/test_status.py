"""`edubot status` joins the portal's LGO page, the files and the journal, school by school."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from bot.ops.calendar_file import load_deadlines
from bot.portals.lec.status import build_status, days_to_close

CONFIG = Path(__file__).resolve().parents[3] / "config" / "deadlines.yaml"


def test_rows_of_the_lgo_page_become_school_statuses() -> None:
    extracted = {
        "lgo": "สถานะระดับ อปท.: ยังไม่ยืนยันข้อมูล",
        "schools": [
            [
                "3040010002",
                "โรงเรียนเทศบาลบ้านเป็ด",
                "โรงเรียน",
                "สังกัด อปท. (DLA)",
                "7",
                "ยืนยันข้อมูลแล้ว เมื่อ 1/12/2569",
                "",
            ],
            [
                "1040010003",
                "โรงเรียนบ้านหนองไผ่ (สพฐ.)",
                "โรงเรียน",
                "สังกัดอื่น (OBEC)",
                "0",
                "ยังไม่ยืนยันข้อมูล",
                "ข้อมูลนักเรียน",
            ],
        ],
    }
    status = build_status(
        extracted, Counter({"3040010002": 5}), Counter({"3040010002": 5}), None, None
    )
    first, second = status.schools
    assert (first.code, first.in_file, first.on_portal, first.verified, first.confirmed) == (
        "3040010002",
        5,
        7,
        5,
        True,
    )
    assert (second.in_file, second.on_portal, second.verified, second.confirmed) == (
        None,
        0,
        None,
        False,
    )
    assert status.lgo_confirmed is False


def test_days_left_count_to_the_next_round_that_closes() -> None:
    calendar = load_deadlines(CONFIG)
    closes, days = days_to_close(calendar, date(2026, 12, 1))
    assert closes == date(2026, 12, 10) and days == 9
    assert days_to_close(calendar, date(2030, 1, 1)) == (None, None)
