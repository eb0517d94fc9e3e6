"""`edubot status` joins the portal's LGO page, the files and the journal, school by school."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.ops.calendar_file import load_deadlines
from bot.portals.lec.status import build_status, days_to_close, school_columns
from tests.e2e.conftest import children, write_children

REPO = Path(__file__).resolve().parents[3]
CONFIG = REPO / "config" / "deadlines.yaml"


HEADER = ["รหัสสถานศึกษา", "ชื่อสถานศึกษา", "ประเภท", "สังกัด", "จำนวนนักเรียน", "สถานะการยืนยัน", "จัดการ"]


def test_rows_of_the_lgo_page_become_school_statuses() -> None:
    extracted = {
        "lgo": "สถานะระดับ อปท.: ยังไม่ยืนยันข้อมูล",
        "schools": [
            HEADER,
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


def test_a_reordered_lgo_table_still_reads_by_its_headers() -> None:
    order = [5, 0, 4, 6, 1, 2, 3]  # the portal moved its columns about
    row = ["3040010002", "โรงเรียนเทศบาลบ้านเป็ด", "โรงเรียน", "สังกัด อปท.", "7", "ยืนยันข้อมูลแล้ว", ""]
    extracted = {"schools": [[HEADER[i] for i in order], [row[i] for i in order]]}
    [school] = build_status(extracted, Counter(), Counter(), None, None).schools
    assert (school.code, school.name, school.on_portal, school.confirmed) == (
        "3040010002",
        "โรงเรียนเทศบาลบ้านเป็ด",
        7,
        True,
    )


def test_a_header_the_flow_names_but_the_page_lacks_is_told() -> None:
    extracted = {"schools": [["รหัส", "ชื่อ"], ["3040010002", "x"]]}
    with pytest.raises(ConfigError, match=r"no column “รหัสสถานศึกษา”.*รหัส, ชื่อ"):
        build_status(extracted, Counter(), Counter(), None, None)


def test_the_status_flow_and_the_rosters_are_found_by_what_the_flows_declare(
    tmp_path: Path,
) -> None:
    from bot.engine.round import RoundPlan, RoundStep
    from bot.portals.lec.status import file_counts, status_flow

    assert status_flow().purpose == "status"
    assert school_columns()["students"] == "จำนวนนักเรียน"
    # A renamed entry flow (file and name) is still a roster: it says so itself.
    flows = tmp_path / "flows" / "lec"
    flows.mkdir(parents=True)
    text = (REPO / "flows" / "lec" / "students.yaml").read_text(encoding="utf-8")
    (flows / "children.yaml").write_text(
        text.replace("name: lec-students", "name: lec-children"), encoding="utf-8"
    )
    for part in ("login", "student_form", "save", "stop_if_locked", "upsert_by_search"):
        shutil.copy(REPO / "flows" / "lec" / f"{part}.yaml", flows)
    data = write_children(tmp_path / "kids.xlsx", children(3))
    plan = RoundPlan(name="r", steps=(RoundStep(flow="flows/lec/children.yaml", data=data.name),))
    counts = file_counts(plan, tmp_path)
    assert sum(counts.values()) == 3


def test_a_renamed_verify_flow_still_counts_what_its_runs_verified(tmp_path: Path) -> None:
    """Status opens the journal as the run did, from the flow it runs: no name rebuilt here."""
    from bot.data.readers import read_students
    from bot.engine.journal import digest_values, open_run_journal
    from bot.engine.round import RoundPlan, RoundStep
    from bot.portals.lec.status import verified_counts

    flows = tmp_path / "flows" / "lec"
    flows.mkdir(parents=True)
    text = (REPO / "flows" / "lec" / "verify_students.yaml").read_text(encoding="utf-8")
    renamed = flows / "read_back.yaml"
    renamed.write_text(text.replace("lec-verify-students", "lec-read-back"), encoding="utf-8")
    shutil.copy(REPO / "flows" / "lec" / "login.yaml", flows)
    data = write_children(tmp_path / "kids.xlsx", children(4))
    # What a run of the renamed flow leaves: every child verified.
    journal = open_run_journal("lec-read-back", "https://lec.example", "2569-2", data)
    for row in read_students(data).rows:
        journal.mark(row.student.national_id, digest_values({}), "verified", "verified")
    journal.close()
    plan = RoundPlan(name="r", steps=(RoundStep(flow="flows/lec/read_back.yaml", data=data.name),))
    verified = verified_counts(plan, tmp_path, "https://lec.example", "2569-2")
    assert sum(verified.values()) == 4


def test_days_left_count_to_the_next_round_that_closes() -> None:
    calendar = load_deadlines(CONFIG)
    closes, days = days_to_close(calendar, date(2026, 12, 1))
    assert closes == date(2026, 12, 10) and days == 9
    assert days_to_close(calendar, date(2030, 1, 1)) == (None, None)
