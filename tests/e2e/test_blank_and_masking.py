"""Blank never erases, a dash clears, and refusals never quote a child's data (through the CLI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from bot.cli.app import app
from bot.data.fields import ALL_FIELDS, FieldSpec
from bot.data.records import Student
from mock_portals.serve import ServedApp
from tests.conftest import mock_state
from tests.e2e.conftest import FLOWS, MUNICIPAL_SCHOOL, children, write_children

pytestmark = pytest.mark.e2e


@pytest.fixture
def markup() -> str:
    """These tests drive the accessible markup's pages and URLs directly (the shipped flows'
    run on both renderings: tests/e2e/test_cli_students.py)."""
    return "accessible"


STUDENTS_FLOW = str(FLOWS / "lec" / "students.yaml")
PARENTS = ("father_", "mother_")


def on_portal(lec: ServedApp) -> dict[str, dict[str, Any]]:
    students = mock_state(lec)["students"]
    return {s["national_id"]: s for s in students if s["school_code"] == MUNICIPAL_SCHOOL}


def report(run_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    return data


def write_columns(path: Path, specs: list[FieldSpec], rows: list[dict[str, str | None]]) -> Path:
    """A flat workbook with only the given columns (an officer's own sheet)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([spec.header_th for spec in specs])
    for row in rows:
        sheet.append([row.get(spec.key) or None for spec in specs])
    workbook.save(path)
    return path


def values(kid: Student, **changes: str | None) -> dict[str, str | None]:
    return {**kid.as_portal_values(), **changes}


def test_editing_with_no_parent_columns_and_blank_cells_leaves_the_portal_values(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path
) -> None:
    kids = children(2, seed=83)
    full = write_children(tmp_path / "full.xlsx", kids)
    assert cli.invoke(app, ["run", STUDENTS_FLOW, "--data", str(full)]).exit_code == 0
    before = on_portal(school_login)
    parent_keys = [s.key for s in ALL_FIELDS if s.key.startswith(PARENTS)]
    kept = ["father_first_name", "mother_phone"]
    assert all(before[k.national_id][key] for k in kids for key in kept)  # something to lose
    assert before[kids[1].national_id]["height_cm"] and before[kids[1].national_id]["weight_kg"]

    # The officer's own sheet: no parents' columns; child 2 has blank height and weight.
    specs = [s for s in ALL_FIELDS if not s.key.startswith(PARENTS)]
    rows = [
        values(kids[0], room="8"),
        values(kids[1], room="9", height_cm=None, weight_kg=None, guardian_occupation=None),
    ]
    data = write_columns(tmp_path / "no-parents.xlsx", specs, rows)

    checked = cli.invoke(app, ["check", STUDENTS_FLOW, "--data", str(data)])
    assert checked.exit_code == 0, checked.output
    assert "no-parents.xlsx" in checked.output and "ชื่อบิดา" in checked.output
    assert "has no column for" in checked.output

    run_dir = tmp_path / "r"
    result = cli.invoke(app, ["run", STUDENTS_FLOW, "--data", str(data), "--run-dir", str(run_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.count("has no column for") == 1
    assert [r["status"] for r in report(run_dir)["records"]] == ["updated", "updated"]

    after = on_portal(school_login)
    for kid, room in zip(kids, ("8", "9"), strict=True):
        stored, was = after[kid.national_id], before[kid.national_id]
        assert stored["room"] == room
        assert {k: stored[k] for k in parent_keys} == {k: was[k] for k in parent_keys}
    second = after[kids[1].national_id]
    for key in ("height_cm", "weight_kg", "guardian_occupation"):
        assert second[key] == before[kids[1].national_id][key], key

    # Run again: blank cells and absent columns are no difference from the portal.
    again = cli.invoke(
        app, ["run", STUDENTS_FLOW, "--data", str(data), "--run-dir", str(tmp_path / "r2")]
    )
    assert again.exit_code == 0, again.output
    assert [r["status"] for r in report(tmp_path / "r2")["records"]] == ["unchanged", "unchanged"]


def test_a_dash_clears_the_field_on_the_portal_and_the_report_lists_it(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path
) -> None:
    kids = children(2, seed=89)
    full = write_children(tmp_path / "full.xlsx", kids)
    assert cli.invoke(app, ["run", STUDENTS_FLOW, "--data", str(full)]).exit_code == 0
    target = kids[0].national_id
    assert on_portal(school_login)[target]["father_phone"]

    rows = [values(kids[0], father_phone="-", weight_kg="-"), values(kids[1])]
    data = write_columns(tmp_path / "dash.xlsx", list(ALL_FIELDS), rows)
    run_dir = tmp_path / "r"
    result = cli.invoke(app, ["run", STUDENTS_FLOW, "--data", str(data), "--run-dir", str(run_dir)])
    assert result.exit_code == 0, result.output

    stored = on_portal(school_login)[target]
    assert stored["father_phone"] == "" and stored["weight_kg"] == ""
    assert stored["mother_phone"] == kids[0].mother_phone  # only what was dashed
    records = report(run_dir)["records"]
    assert records[0]["status"] == "updated"
    assert records[0]["cleared"] == ["น้ำหนัก (กก.)", "เบอร์โทรบิดา"]
    assert records[0]["key"] != target and records[1]["cleared"] == []
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "cleared on the portal" in html and "เบอร์โทรบิดา" in html

    # The portal now holds the empty fields the dashes asked for: nothing left to do.
    again = cli.invoke(
        app, ["run", STUDENTS_FLOW, "--data", str(data), "--run-dir", str(tmp_path / "r2")]
    )
    assert again.exit_code == 0, again.output
    assert {r["status"] for r in report(tmp_path / "r2")["records"]} <= {"unchanged", "skipped"}
    assert on_portal(school_login)[target] == stored


def test_a_refused_fill_names_the_fields_but_never_the_childs_data(
    cli: CliRunner,
    school_login: ServedApp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import bot.ops.notify

    notices: list[Any] = []
    monkeypatch.setattr(
        bot.ops.notify, "notify_failure", lambda summary, settings: notices.append(summary)
    )
    [entered] = children(1, seed=97)
    data = write_children(tmp_path / "kid.xlsx", [entered])
    assert cli.invoke(app, ["run", STUDENTS_FLOW, "--data", str(data)]).exit_code == 0
    # The file now says other names, phone and road; the portal will not take them.
    kid = entered.model_copy(
        update={
            "first_name": "ปิยะพงษ์",
            "father_first_name": "ประเสริฐ",
            "mother_first_name": "วันเพ็ญ",
            "mother_phone": "0867771234",
            "reg_road": "ศรีจันทร์",
        }
    )
    write_children(data, [kid])
    # The round is over: the portal's form shows every field disabled and takes no value.
    httpx.post(
        f"{school_login.url}/_mock/round", json={"opens": "2000-05-01", "closes": "2000-06-01"}
    ).raise_for_status()

    run_dir = tmp_path / "r"
    args = ["run", STUDENTS_FLOW, "--data", str(data), "--run-dir", str(run_dir)]
    result = cli.invoke(app, [*args, "--non-interactive"])
    assert result.exit_code == 1, result.output
    [record] = report(run_dir)["records"]
    assert record["status"] == "failed"
    # A closed round stops the run at once, in the portal's words (flows/lec/stop_if_locked).
    assert "ระบบปิดการบันทึกข้อมูลแล้ว" in record["message"]

    personal = ["ปิยะพงษ์", "ประเสริฐ", "วันเพ็ญ", "0867771234", "ศรีจันทร์"]
    where = {
        "terminal": result.output,
        "edubot.log": (run_dir / "edubot.log").read_text(encoding="utf-8"),
        "report.json": (run_dir / "report.json").read_text(encoding="utf-8"),
        "report.html": (run_dir / "report.html").read_text(encoding="utf-8"),
        "e-mail": notices[0].body(),
    }
    for name, text in where.items():
        for value in personal:
            assert value not in text, (name, value)


PORTAL_WORDS_FLOW = """\
name: portal-words-probe
portal: lec
input: {records: student, key: national_id}
steps:
  - run: lec/login
  - for_each: record
    steps:
      - goto: "student/list.do?q=${record.national_id}"
      - expect: {css: "tbody tr"}
      # The portal's own words about the child: here its list row, with prefix and full name.
      - reject_on: {css: "tbody tr"}
"""


def test_a_portal_message_quoting_the_child_is_masked_in_the_report_and_log(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path
) -> None:
    [kid] = children(1, seed=101)
    data = write_children(tmp_path / "kid.xlsx", [kid])
    assert cli.invoke(app, ["run", STUDENTS_FLOW, "--data", str(data)]).exit_code == 0
    flows = tmp_path / "flows"
    (flows / "lec").mkdir(parents=True)
    (flows / "lec" / "login.yaml").write_text(
        (FLOWS / "lec" / "login.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    probe = flows / "probe.yaml"
    probe.write_text(PORTAL_WORDS_FLOW, encoding="utf-8")

    run_dir = tmp_path / "r"
    result = cli.invoke(app, ["run", str(probe), "--data", str(data), "--run-dir", str(run_dir)])
    assert result.exit_code == 1, result.output
    [record] = report(run_dir)["records"]
    assert record["status"] == "failed"
    assert kid.grade in record["message"]  # the portal's words are there ...
    for name, text in {
        "terminal": result.output,
        "report.json": (run_dir / "report.json").read_text(encoding="utf-8"),
        "report.html": (run_dir / "report.html").read_text(encoding="utf-8"),
        "edubot.log": (run_dir / "edubot.log").read_text(encoding="utf-8"),
    }.items():
        for value in (kid.first_name, kid.last_name, kid.national_id):  # ... the child is not
            assert value not in text, (name, value)
