"""Confirmations and guarded submits stop unless the portal positively shows what they judge.

Each test drives `edubot run ... --dry-run --confirm` against the mock and reads the mock's own
state: the school or LGO must still be unconfirmed, and the irreversible POST never sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from bot.cli.demo import mock_seed_children
from bot.data.records import Student
from bot.log import mask_id
from mock_portals.serve import ServedApp
from tests.conftest import mock_state
from tests.e2e.conftest import FLOWS, MUNICIPAL_SCHOOL, children, write_children

pytestmark = pytest.mark.e2e

CONFIRM_SCHOOL = str(FLOWS / "lec" / "confirm_school.yaml")
LGO_CONFIRM_SCHOOL = str(FLOWS / "lec" / "lgo_confirm_school.yaml")
CONFIRM_LGO = str(FLOWS / "lec" / "confirm_lgo.yaml")
OTHER_SCHOOL = "1040010003"  # โรงเรียนบ้านหนองไผ่, other affiliation, entered by the LGO


@pytest.fixture
def on_mock(lec: ServedApp, monkeypatch: pytest.MonkeyPatch, no_keyring: None) -> ServedApp:
    monkeypatch.setenv("EDUBOT_LEC_URL", lec.url)
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
    return lec


def school_confirmed(state: dict[str, Any], code: str = MUNICIPAL_SCHOOL) -> bool:
    return bool(next(s for s in state["schools"] if s["code"] == code)["confirmed"])


def school_file(path: Path, kids: list[Student]) -> Path:
    """The municipal school's file: the children the mock seeded, then these."""
    return write_children(path, mock_seed_children(MUNICIPAL_SCHOOL) + kids)


def posts(state: dict[str, Any], path: str) -> int:
    return int(state["requests"].get(f"POST {path}", 0))


def enter(cli: CliRunner, data: Path, *extra: str) -> None:
    result = cli.invoke(
        app, ["run", str(FLOWS / "lec" / "students.yaml"), "--data", str(data), *extra]
    )
    assert result.exit_code == 0, result.output


def confirm(cli: CliRunner, flow: str, data: Path | None, tmp_path: Path, *extra: str) -> Any:
    args = ["run", flow, "--dry-run", "--confirm", "--non-interactive"]
    args += ["--data", str(data)] if data else []
    return cli.invoke(app, [*args, "--run-dir", str(tmp_path / "run"), *extra])


def set_faults(served: ServedApp, **faults: Any) -> None:
    httpx.post(f"{served.url}/_mock/faults", json=faults).raise_for_status()


def assert_school_untouched(served: ServedApp, code: str = MUNICIPAL_SCHOOL) -> None:
    state = mock_state(served)
    assert not school_confirmed(state, code)
    assert posts(state, "/school/confirm.do") == 0


def test_a_file_with_headers_and_no_children_confirms_nothing(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path
) -> None:
    enter(cli, write_children(tmp_path / "entered.xlsx", children(2, seed=3)))
    empty = write_children(tmp_path / "empty.xlsx", [])

    result = confirm(cli, CONFIRM_SCHOOL, empty, tmp_path)

    assert result.exit_code == 1, result.output
    assert "ไฟล์ไม่มีข้อมูลเด็กของสถานศึกษานี้" in result.output
    assert "the file holds no child of this school" in result.output
    assert_school_untouched(on_mock)


def test_children_on_the_portal_but_not_in_the_file_are_named_masked_and_stop_it(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path
) -> None:
    kids = children(3, seed=11)
    enter(cli, school_file(tmp_path / "all.xlsx", kids))
    two = school_file(tmp_path / "two.xlsx", kids[:2])

    result = confirm(cli, CONFIRM_SCHOOL, two, tmp_path)

    assert result.exit_code == 1, result.output
    assert "--accept-portal-extras" in result.output
    assert mask_id(kids[2].national_id) in result.output  # named, masked
    assert kids[2].national_id not in result.output
    assert_school_untouched(on_mock)


def test_accept_portal_extras_lets_a_checked_confirmation_go_on(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path
) -> None:
    kids = children(3, seed=12)
    enter(cli, school_file(tmp_path / "all.xlsx", kids))
    two = school_file(tmp_path / "two.xlsx", kids[:2])

    result = confirm(cli, CONFIRM_SCHOOL, two, tmp_path, "--accept-portal-extras")

    assert result.exit_code == 0, result.output
    assert school_confirmed(mock_state(on_mock))


def test_a_column_the_export_does_not_show_stops_the_confirmation(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path
) -> None:
    kids = children(2, seed=13)
    data = school_file(tmp_path / "kids.xlsx", kids)
    enter(cli, data)
    set_faults(on_mock, report_drops=["room"])

    result = confirm(cli, CONFIRM_SCHOOL, data, tmp_path)

    assert result.exit_code == 1, result.output
    assert "cannot be compared" in result.output and "(room)" in result.output
    assert_school_untouched(on_mock)


def test_an_export_header_edubot_does_not_recognise_stops_the_confirmation(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path
) -> None:
    kids = children(2, seed=14)
    data = school_file(tmp_path / "kids.xlsx", kids)
    enter(cli, data)
    set_faults(on_mock, report_drops=["national_id"])

    result = confirm(cli, CONFIRM_SCHOOL, data, tmp_path)

    assert result.exit_code == 1, result.output
    assert "header was not recognised" in result.output
    assert "เลขประจำตัวประชาชน" in result.output  # what was expected
    assert "รายงานรายละเอียดข้อมูลนักเรียน" in result.output  # what was found
    assert_school_untouched(on_mock)


def test_the_same_children_on_both_sides_still_confirm(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path
) -> None:
    data = school_file(tmp_path / "kids.xlsx", children(3, seed=15))
    enter(cli, data)

    result = confirm(cli, CONFIRM_SCHOOL, data, tmp_path)

    assert result.exit_code == 0, result.output
    state = mock_state(on_mock)
    assert school_confirmed(state) and posts(state, "/school/confirm.do") == 1


def other_school_children(count: int, seed: int) -> list[Student]:
    from bot.data.demo import demo_students

    primary = [f"ประถมศึกษาปีที่ {n}" for n in range(1, 7)]
    return demo_students(count, seed=seed, school_grades=primary, school_code=OTHER_SCHOOL)


def test_the_lgo_confirming_a_school_with_an_empty_file_confirms_nothing(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "lgo")
    kids = write_children(tmp_path / "kids.xlsx", other_school_children(2, seed=21))
    lgo = ("--var", "org=6400101")
    result = cli.invoke(
        app, ["run", str(FLOWS / "lec" / "lgo_students.yaml"), "--data", str(kids), *lgo]
    )
    assert result.exit_code == 0, result.output
    empty = write_children(tmp_path / "empty.xlsx", [])

    result = confirm(
        cli, LGO_CONFIRM_SCHOOL, empty, tmp_path, *lgo, "--var", f"school={OTHER_SCHOOL}"
    )

    assert result.exit_code == 1, result.output
    assert f"the file holds no child of school {OTHER_SCHOOL}" in result.output
    state = mock_state(on_mock)
    assert not school_confirmed(state, OTHER_SCHOOL)
    assert posts(state, "/lgo/confirm-school.do") == 0 and posts(state, "/school/confirm.do") == 0


def test_lgo_confirmation_on_a_page_without_the_school_rows_presses_nothing(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The page changed: "no unconfirmed school row" is true only because no row is marked.
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "lgo")
    set_faults(on_mock, school_rows_unmarked=True)

    result = confirm(cli, CONFIRM_LGO, None, tmp_path, "--var", "org=6400101")

    assert result.exit_code == 1, result.output
    assert "the page was not recognised" in result.output and "ไม่รู้จักหน้านี้" in result.output
    state = mock_state(on_mock)
    assert state["lgo"]["confirmed"] is False
    assert posts(state, "/lgo/confirm.do") == 0


def test_a_sar_whose_submitted_marker_changed_is_not_submitted_again(
    cli: CliRunner, esar: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.portals.esar.demo import write_demo_manifest

    monkeypatch.setenv("EDUBOT_ESAR_URL", esar.url)
    monkeypatch.setenv("EDUBOT_ESAR_USERNAME", "qa")
    monkeypatch.setenv("EDUBOT_ESAR_PASSWORD", "demo")
    manifest = write_demo_manifest(tmp_path / "sar")
    upload = str(FLOWS / "esar" / "upload_sar.yaml")
    first = cli.invoke(app, ["run", upload, "--data", str(manifest), "--confirm"])
    assert first.exit_code == 0, first.output
    before = mock_state(esar)
    set_faults(esar, submitted_label="ส่งรายงานแล้ว")  # the portal renamed its status

    result = confirm(cli, upload, manifest, tmp_path)

    assert result.exit_code == 1, result.output
    after = mock_state(esar)
    for route in ("/upload", "/submit", "/replace"):
        assert posts(after, route) == posts(before, route), route
    assert after["submissions"] == before["submissions"]
    report = (tmp_path / "run" / "report.json").read_text(encoding="utf-8")
    assert "the page was not recognised" in report


def test_the_lgo_confirms_one_school_of_a_two_school_workbook_and_refuses_a_school_absent(
    cli: CliRunner, on_mock: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.data.demo import demo_students

    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "lgo")
    lgo = ("--var", "org=6400101")
    nong_phai = other_school_children(2, seed=31)
    non_sawan = demo_students(2, seed=32, school_grades=["มัธยมศึกษาปีที่ 2"], school_code="1040010004")
    both = write_children(tmp_path / "both.xlsx", nong_phai + non_sawan)
    entered = cli.invoke(
        app, ["run", str(FLOWS / "lec" / "lgo_students.yaml"), "--data", str(both), *lgo]
    )
    assert entered.exit_code == 0, entered.output
    only_non_sawan = write_children(tmp_path / "non-sawan.xlsx", non_sawan)

    refused = confirm(
        cli, LGO_CONFIRM_SCHOOL, only_non_sawan, tmp_path, *lgo, "--var", f"school={OTHER_SCHOOL}"
    )
    assert refused.exit_code == 1, refused.output
    assert f"the file holds no child of school {OTHER_SCHOOL}" in refused.output
    assert not school_confirmed(mock_state(on_mock), OTHER_SCHOOL)

    result = confirm(
        cli, LGO_CONFIRM_SCHOOL, both, tmp_path, *lgo, "--var", f"school={OTHER_SCHOOL}"
    )
    assert result.exit_code == 0, result.output
    assert school_confirmed(mock_state(on_mock), OTHER_SCHOOL)
