"""The engine's actions on the mock LEC's framework rendering (issue 25, point 2).

The framework's pages give no `<label for>`: the login page has placeholders only, the node
page a table cell, the student form a label in the column before each input, the list icon
links with titles. The same words the flows use find every field.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from bot.engine.actions import ActionEnv, StepState, perform
from bot.flow.binding import Bindings
from bot.flow.loader import load_flow
from bot.flow.model import Click, Expect, Fill, FillForm, Locator, Select
from mock_portals.lec.app import create_app as create_lec
from mock_portals.serve import ServedApp, serve_in_thread
from tests.e2e.conftest import FLOWS, MUNICIPAL_SCHOOL, children

pytestmark = pytest.mark.e2e


@pytest.fixture
def framework_lec(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    state = tmp_path_factory.mktemp("lec-framework")
    with serve_in_thread(create_lec(state, markup="framework")) as served:
        yield served


STUDENTS_MENU = Locator(role="link", name="ข้อมูลนักเรียน", within=Locator(css="#sidebar"))


def _do(page: Page, step: Any, tmp_path: Path, record: dict[str, str] | None = None) -> StepState:
    env = ActionEnv(Bindings(record), tmp_path, allow_irreversible=False, timeout_ms=10_000)
    state = StepState()
    perform(page, step, env, state)
    return state


def _log_in(page: Page, url: str, tmp_path: Path, user: str) -> None:
    page.goto(f"{url}/index.jsp")
    _do(page, Fill(locator=Locator(label="Username"), value=user), tmp_path)  # placeholders
    _do(page, Fill(locator=Locator(label="Password"), value="demo"), tmp_path)
    _do(page, Click(locator=Locator(role="button", name="Sign in")), tmp_path)


def _student_form() -> FillForm:
    (step,) = [s for s in load_flow(FLOWS / "lec" / "student_form.yaml").steps]
    assert isinstance(step, FillForm)
    return step


def test_log_in_by_placeholders_and_add_a_child_by_the_forms_labels(
    framework_lec: ServedApp, own_page: Page, tmp_path: Path
) -> None:
    page, url = own_page, framework_lec.url
    _log_in(page, url, tmp_path, "school")
    _do(page, Click(locator=STUDENTS_MENU), tmp_path)
    _do(page, Click(locator=Locator(role="button", name="เพิ่มข้อมูล")), tmp_path)
    child = children(1, seed=31)[0].as_portal_values()

    filled = _do(page, _student_form(), tmp_path, child)
    assert filled.changed
    assert page.locator("[name='formData.firstName']").input_value() == child["first_name"]
    assert page.locator("[name='formData.nationalId']").input_value() == child["national_id"]
    assert page.locator("[name='formData.gender']").input_value() == child["gender"]

    _do(page, Click(locator=Locator(role="button", name="บันทึก")), tmp_path)
    _do(page, Expect(visible=Locator(text="บันทึกข้อมูลเรียบร้อย")), tmp_path)
    stored = httpx.get(f"{url}/_mock/state").json()["students"]
    saved = [s for s in stored if s["national_id"] == child["national_id"]]
    assert len(saved) == 1 and saved[0]["school_code"] == MUNICIPAL_SCHOOL
    assert {k: saved[0][k] for k in ("first_name", "last_name", "grade", "reg_province")} == {
        k: child[k] for k in ("first_name", "last_name", "grade", "reg_province")
    }


def test_an_icon_link_by_its_title_opens_a_child_whose_form_reads_back_unchanged(
    framework_lec: ServedApp, own_page: Page, tmp_path: Path
) -> None:
    page, url = own_page, framework_lec.url
    _log_in(page, url, tmp_path, "school")
    _do(page, Click(locator=STUDENTS_MENU), tmp_path)
    seeded = next(
        s for s in httpx.get(f"{url}/_mock/state").json()["students"] if s["first_name"] == "มะลิ"
    )
    row = Locator(css="tbody tr", has_text=seeded["national_id"])
    _do(page, Click(locator=Locator(role="link", name="แก้ไข", within=row)), tmp_path)

    again = _do(page, _student_form(), tmp_path, {k: str(v) for k, v in seeded.items()})
    assert not again.changed  # every labelled field already holds the portal's value


def test_the_node_page_select_is_found_by_the_cell_before_it(
    framework_lec: ServedApp, own_page: Page, tmp_path: Path
) -> None:
    page, url = own_page, framework_lec.url
    _log_in(page, url, tmp_path, "lgo")  # two organisations: the node page in the answer
    choose = Select(locator=Locator(label="สังกัดในการใช้ระบบ"), option="เทศบาลตำบลบ้านเป็ด")
    _do(page, choose, tmp_path)
    _do(page, Click(locator=Locator(role="button", name="ตกลง")), tmp_path)
    _do(page, Expect(visible=Locator(role="link", name="Logout")), tmp_path)
