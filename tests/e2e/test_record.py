"""`edubot record`: a person's clicks through the mock LEC become a flow that adds every child.

The recorder's page is driven by Playwright as a person would click and type (headless: the
recorder takes any browser context), on both of the mock's renderings: the vendor framework's
(its default: labels in the column before each field, a SweetAlert box after the save, cmd
buttons) and the accessible one. The flow it writes is then run by `edubot run` on a fresh mock
over a two-child workbook.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml
from typer.testing import CliRunner

from bot.cli.app import app
from bot.data.fields import STUDENT_FIELDS
from bot.record.events import ExpectMarked
from bot.record.session import Recorder
from bot.record.writer import write_flow
from mock_portals.lec.markup import FRAMEWORK, MARKUPS
from mock_portals.serve import ServedApp
from tests.conftest import mock_state
from tests.e2e.conftest import MUNICIPAL_SCHOOL, children, write_children
from tests.e2e.record_helpers import (
    FakePrompt,
    LecPerson,
    mark_expected,
    recording_context,
    settled,
)

pytestmark = pytest.mark.e2e
SAVED = "บันทึกข้อมูลเรียบร้อย"


@pytest.fixture(params=MARKUPS)
def markup(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def record_adding_one_child(lec: ServedApp, markup: str, values: dict[str, str]) -> Recorder:
    with recording_context() as context:
        recorder = Recorder(
            context, portal="lec", base_url=lec.url, hold=False, ask=FakePrompt(True)
        )
        person = LecPerson(recorder.page, markup)
        recorder.start(f"{lec.url}/index.jsp")
        person.log_in()
        person.open_the_add_form()
        for spec in STUDENT_FIELDS:
            value = values[spec.key]
            if not value:
                continue
            field = person.field(spec.form_label)
            if field.evaluate("el => el.tagName") == "SELECT":
                field.select_option(label=value)
            elif spec.key == "first_name":
                field.press_sequentially(value)  # key by key, as a person types
            else:
                field.fill(value)
        recorder.page.get_by_role("button", name="บันทึก").click()
        if person.framework:  # the framework answers in a message box
            person.press_ok_in_the_message_box()
        else:
            mark_expected(recorder.page, SAVED)
        settled(recorder.page)
        return recorder


def test_a_recorded_child_becomes_a_flow_that_adds_every_child(
    cli: CliRunner, school_login: ServedApp, markup: str, tmp_path: Path
) -> None:
    kid = children(1, seed=41)[0]
    typed = kid.as_portal_values()
    recorder = record_adding_one_child(school_login, markup, typed)
    assert any(kid.national_id == s["national_id"] for s in mock_state(school_login)["students"])

    written = write_flow("add-child", "lec", recorder.steps)
    flow_file = tmp_path / "add-child.yaml"
    flow_file.write_text(written.text, encoding="utf-8")
    text = written.text
    assert written.unbound == () and written.todo == ()
    # No value that was typed or chosen reaches the file: not the password, not the child's.
    assert "demo" not in text
    labels = " ".join(spec.form_label for spec in STUDENT_FIELDS)
    for key, value in typed.items():
        if len(value) >= 2 and value not in labels:
            assert value not in text, key
    # Locators are the words the page shows; nothing is CSS.
    flow = yaml.safe_load(text)
    assert "css" not in text
    assert flow["input"] == {"records": "student", "key": "national_id"}
    assert flow["steps"][0] == {"goto": "index.jsp"}
    login, secret = ("placeholder", "Password") if markup == FRAMEWORK else ("label", "รหัสผ่าน")
    assert {"fill": {login: secret, "value": "${secret.lec.password}"}} in flow["steps"]
    loop = next(step for step in flow["steps"] if "for_each" in step)["steps"]
    form = loop[2]["fill_form"]
    assert form["ชื่อ"] == "${record.first_name}"
    assert form["ระดับชั้น"] == "${record.grade}"
    assert loop[3] == {"click": {"role": "button", "name": "บันทึก"}}
    if markup == FRAMEWORK:
        assert loop[:2] == [
            {"goto": "student/student.do"},
            {"click": {"role": "button", "name": "เพิ่มข้อมูล"}},
        ]
        assert loop[4:] == [{"popup": {"expect": SAVED, "press": "ตกลง"}}]
    else:
        assert any(isinstance(s, ExpectMarked) and s.text == SAVED for s in recorder.steps)
        assert loop[:2] == [
            {"goto": "student/list.do"},
            {"click": {"role": "link", "name": "เพิ่มข้อมูลนักเรียน/เด็กเล็ก"}},
        ]
        assert loop[4:] == [{"expect": SAVED}]

    httpx.post(f"{school_login.url}/_mock/reset").raise_for_status()
    two = children(2, seed=5)
    data = write_children(tmp_path / "two.xlsx", two)
    checked = cli.invoke(app, ["check", str(flow_file), "--data", str(data)])
    assert checked.exit_code == 0, checked.output
    ran = cli.invoke(
        app, ["run", str(flow_file), "--data", str(data), "--run-dir", str(tmp_path / "run")]
    )
    assert ran.exit_code == 0, ran.output
    # The flow marks nothing: its records are done, not "nothing to do".
    assert "done 2" in ran.output and "nothing to do" not in ran.output, ran.output
    stored = {
        s["national_id"]: s
        for s in mock_state(school_login)["students"]
        if s["school_code"] == MUNICIPAL_SCHOOL
    }
    for child in two:
        values = child.as_portal_values()
        assert stored[child.national_id]["first_name"] == values["first_name"]
        assert stored[child.national_id]["grade"] == values["grade"]
