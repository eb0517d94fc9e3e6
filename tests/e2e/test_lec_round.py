"""The whole LEC round against the mock: entry, verification, guarded confirmations, refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from bot.cli.demo import write_demo_round
from bot.engine.round import ROUND_MOCK_STATE
from mock_portals.serve import ServedApp
from tests.conftest import mock_state
from tests.e2e.conftest import FLOWS, children, write_children

pytestmark = pytest.mark.e2e


@pytest.fixture
def on_mock(lec: ServedApp, monkeypatch: pytest.MonkeyPatch, no_keyring: None) -> ServedApp:
    """Every account of the demo municipality, on the mock served for the tests."""
    monkeypatch.setenv("EDUBOT_LEC_URL", lec.url)
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
    for account in ("CDC", "LGO"):
        monkeypatch.setenv(f"EDUBOT_LEC_PASSWORD_{account}", "demo")
    return lec


def confirmed(state: dict[str, Any]) -> dict[str, bool]:
    return {s["code"]: s["confirmed"] for s in state["schools"] if s.get("code") != "6400101"}


def test_a_whole_round_dry_run_confirms_every_school_and_the_lgo(
    cli: CliRunner, tmp_path: Path
) -> None:
    plan = write_demo_round(tmp_path / "round", children_per_school=3)
    result = cli.invoke(
        app, ["round", str(plan), "--dry-run", "--confirm", "--run-dir", str(tmp_path / "runs")]
    )
    assert result.exit_code == 0, result.output
    assert "✗" not in result.output and "⏸" not in result.output

    # The dry run's mock kept its state in the data dir: serve it again and look.
    from bot.paths import mock_state_dir
    from mock_portals.lec.app import create_app
    from mock_portals.serve import serve_in_thread

    with serve_in_thread(create_app(mock_state_dir() / ROUND_MOCK_STATE)) as served:
        state = mock_state(served)
    assert all(confirmed(state).values()) and len(confirmed(state)) == 4
    assert state["lgo"]["confirmed"] is True
    schools = {s["code"]: s for s in state["schools"]}
    assert schools["3040010002"]["basic"]["head_name"] == "นางสาวมาลี ใจดี"
    assert {b["name"] for b in state["buildings"]} == {"อาคารเรียน 1", "โรงอาหาร"}
    by_school = [s["school_code"] for s in state["students"]]
    assert by_school.count("1040010004") == 3 and by_school.count("3040010001") == 3

    status = cli.invoke(app, ["status", str(plan), "--dry-run", "--today", "2026-12-01"])
    assert status.exit_code == 0, status.output
    lines = status.output.splitlines()
    for code in ("3040010001", "3040010002", "1040010003", "1040010004"):
        row = next(line for line in lines if code in line)
        assert "ยืนยันแล้ว" in row and "3" in row
    cdc = next(line for line in lines if "3040010001" in line)
    assert [cell.strip() for cell in cdc.split("│")[3:6]] == [
        "3",
        "3",
        "3",
    ]  # file, portal, verified
    assert "ระดับ อปท. (LGO level): ✓ ยืนยันแล้ว" in status.output
    assert "เหลือ 9 วัน" in status.output
    assert "ระบบปิด 10 ธ.ค. 2569" in status.output  # พ.ศ., as `edubot deadlines` shows it

    # The rehearsed round confirmed (locked) every school; a flow rehearsed next still finds
    # its school open: the round kept a mock of its own.
    data = write_children(tmp_path / "more.xlsx", children(2, seed=99))
    rehearsal = cli.invoke(
        app,
        ["run", str(FLOWS / "lec" / "students.yaml"), "--data", str(data), "--dry-run",
         "--run-dir", str(tmp_path / "after")],
    )  # fmt: skip
    assert rehearsal.exit_code == 0, rehearsal.output
    assert "added 2" in rehearsal.output


def test_without_confirm_the_round_stops_before_the_first_irreversible_step(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path
) -> None:
    plan = write_demo_round(tmp_path / "round", children_per_school=2)
    result = cli.invoke(app, ["round", str(plan), "--run-dir", str(tmp_path / "runs")])
    assert result.exit_code == 0, result.output
    assert "⏸" in result.output and "--confirm" in result.output
    state = mock_state(on_mock)
    assert not any(confirmed(state).values())
    assert [s["school_code"] for s in state["students"]].count("3040010001") == 2


def test_lgo_confirm_is_refused_while_a_school_is_unconfirmed(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path
) -> None:
    before = mock_state(on_mock)
    result = cli.invoke(
        app,
        ["run", str(FLOWS / "lec" / "confirm_lgo.yaml"), "--var", "org=6400101", "--confirm",
         "--non-interactive", "--run-dir", str(tmp_path / "r")],
        env={"EDUBOT_LEC_USERNAME": "lgo"},
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "ยังมีสถานศึกษาที่ยังไม่ยืนยันข้อมูล" in result.output
    assert "โรงเรียนบ้านหนองไผ่" in result.output  # the reason names the schools
    after = mock_state(on_mock)
    assert after["lgo"] == before["lgo"] and confirmed(after) == confirmed(before)
    assert after["requests"].get("POST /lgo/confirm.do", 0) == 0


def test_school_confirm_is_refused_while_a_record_differs(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path
) -> None:
    kids = children(3, seed=71)
    data = write_children(tmp_path / "children.xlsx", kids)
    students = str(FLOWS / "lec" / "students.yaml")
    assert cli.invoke(app, ["run", students, "--data", str(data)]).exit_code == 0
    write_children(data, [kids[0], kids[1].model_copy(update={"room": "8"}), kids[2]])

    result = cli.invoke(
        app,
        ["run", str(FLOWS / "lec" / "confirm_school.yaml"), "--data", str(data), "--confirm",
         "--non-interactive", "--run-dir", str(tmp_path / "r")],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "flows/lec/students.yaml" in result.output  # says what to do
    assert kids[1].national_id not in result.output  # and names the child masked
    state = mock_state(on_mock)
    assert confirmed(state)["3040010002"] is False
    assert state["requests"].get("POST /school/confirm.do", 0) == 0


def test_unconfirm_is_refused_once_the_lgo_level_is_confirmed(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path
) -> None:
    plan = write_demo_round(tmp_path / "round", children_per_school=1)
    assert cli.invoke(app, ["round", str(plan), "--confirm", "--non-interactive"]).exit_code == 0
    assert mock_state(on_mock)["lgo"]["confirmed"] is True

    unconfirm = ["run", str(FLOWS / "lec" / "unconfirm_school.yaml"), "--var", "org=6400101",
                 "--var", "school=3040010002", "--confirm", "--non-interactive"]  # fmt: skip
    refused = cli.invoke(app, unconfirm, env={"EDUBOT_LEC_USERNAME": "lgo"})
    assert refused.exit_code == 1 and "เจ้าหน้าที่ระดับจังหวัด" in refused.output
    assert confirmed(mock_state(on_mock))["3040010002"] is True

    httpx.post(f"{on_mock.url}/_mock/provincial-unconfirm").raise_for_status()
    allowed = cli.invoke(app, unconfirm, env={"EDUBOT_LEC_USERNAME": "lgo"})
    assert allowed.exit_code == 0, allowed.output
    assert confirmed(mock_state(on_mock))["3040010002"] is False


def test_one_workbook_of_two_other_affiliation_schools_is_routed_school_by_school(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path
) -> None:
    from bot.data.demo import demo_students, write_students_xlsx

    primary = [f"ประถมศึกษาปีที่ {n}" for n in range(1, 7)]
    nong_phai = demo_students(2, seed=81, school_grades=primary, school_code="1040010003")
    non_sawan = demo_students(2, seed=82, school_grades=["มัธยมศึกษาปีที่ 2"], school_code="1040010004")
    data = tmp_path / "other-affiliation.xlsx"
    write_students_xlsx(data, nong_phai + non_sawan)

    result = cli.invoke(
        app,
        [
            "run",
            str(FLOWS / "lec" / "lgo_students.yaml"),
            "--data",
            str(data),
            "--var",
            "org=6400101",
        ],
        env={"EDUBOT_LEC_USERNAME": "lgo"},
    )
    assert result.exit_code == 0, result.output
    stored = {s["national_id"]: s["school_code"] for s in mock_state(on_mock)["students"]}
    for kid in nong_phai + non_sawan:
        assert stored[kid.national_id] == kid.school_code
