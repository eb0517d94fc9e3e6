"""Recording on the vendor framework's markup (the mock's `framework` rendering): fields named
by the label in the column before them, the login by its placeholders, the menu's links by
their words, the save's message box as the flow language's popup (or an expect and a click)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from bot.data.fields import STUDENT_FIELDS
from bot.engine.pipeline import record_fields
from bot.flow.checks import check_flow
from bot.flow.loader import load_flow
from bot.flow.model import STEP_KINDS
from bot.record.session import Recorder
from bot.record.writer import write_flow
from mock_portals.serve import ServedApp
from tests.e2e.conftest import children
from tests.e2e.test_record import FakePrompt, recording_context

pytestmark = pytest.mark.e2e
SAVED = "บันทึกข้อมูลเรียบร้อย"


@pytest.fixture
def framework_lec(lec: ServedApp) -> Iterator[ServedApp]:
    httpx.post(f"{lec.url}/_mock/settings", json={"markup": "framework"}).raise_for_status()
    yield lec
    httpx.post(f"{lec.url}/_mock/settings", json={"markup": "accessible"}).raise_for_status()


def test_a_framework_form_is_recorded_by_the_words_beside_its_fields(
    framework_lec: ServedApp, tmp_path: Path
) -> None:
    values = children(1, seed=23)[0].as_portal_values()
    with recording_context() as context:
        recorder = Recorder(
            context, portal="lec", base_url=framework_lec.url, hold=False, ask=FakePrompt(True)
        )
        page = recorder.page
        recorder.start(f"{framework_lec.url}/index.jsp")
        page.get_by_placeholder("Username").fill("school")
        page.get_by_placeholder("Password").fill("demo")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="ฐานข้อมูลนักเรียน/เด็กเล็ก").click()
        page.get_by_role("button", name="เพิ่มข้อมูล").click()
        for spec in STUDENT_FIELDS:
            if not values[spec.key]:
                continue
            row = page.locator(".row.form-group").filter(
                has=page.locator("label", has_text=f"{spec.form_label}:")
            )
            control = row.locator("input, select").first
            if control.evaluate("el => el.tagName") == "SELECT":
                control.select_option(label=values[spec.key])
            else:
                control.fill(values[spec.key])
        page.get_by_role("button", name="บันทึก").click()
        page.get_by_role("dialog").get_by_role("button", name="ตกลง").click()
        page.evaluate("() => 0")

    written = write_flow("fw-add", "lec", recorder.steps)
    text = written.text
    assert "css" not in text and "demo" not in text
    assert values["first_name"] not in text and values["national_id"] not in text
    flow = yaml.safe_load(text)
    assert {"fill": {"placeholder": "Username", "value": "${secret.lec.username}"}} in flow["steps"]
    assert {"click": {"role": "link", "name": "ฐานข้อมูลนักเรียน/เด็กเล็ก"}} in flow["steps"]
    loop = next(step for step in flow["steps"] if "for_each" in step)["steps"]
    assert loop[1] == {"click": {"role": "button", "name": "เพิ่มข้อมูล"}}
    assert loop[2]["fill_form"]["ชื่อ"] == "${record.first_name}"
    assert loop[2]["fill_form"]["ระดับชั้น"] == "${record.grade}"
    assert loop[3] == {"click": {"role": "button", "name": "บันทึก"}}
    if "popup" in STEP_KINDS:  # the flow language's popup step, once it has one
        assert loop[4:] == [{"popup": {"expect": SAVED, "press": "ตกลง"}}]
    else:
        assert loop[4:] == [
            {"expect": {"text": SAVED, "exact": False}},
            {"click": {"role": "button", "name": "ตกลง"}},
        ]
    path = tmp_path / "fw-add.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_flow(path)
    assert check_flow(loaded, record_fields(loaded)) == []
