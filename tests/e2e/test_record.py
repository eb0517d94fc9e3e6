"""`edubot record`: a person's clicks through the mock LEC become a flow that adds every child.

The recorder's page is driven by Playwright as a person would click and type (headless: the
recorder takes any browser context); the flow it writes is then run by `edubot run` on a fresh
mock over a two-child workbook.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import yaml
from playwright.sync_api import BrowserContext, Page
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from typer.testing import CliRunner

from bot.cli.app import app
from bot.data.fields import STUDENT_FIELDS
from bot.record.events import Clicked, ExpectMarked
from bot.record.session import Recorder
from bot.record.writer import write_flow
from mock_portals.serve import ServedApp, serve_in_thread
from tests.conftest import browser_page, mock_state
from tests.e2e.conftest import MUNICIPAL_SCHOOL, children, write_children


@pytest.fixture
def markup() -> str:
    """These tests click and type on the accessible rendering's pages as a person would; the
    framework rendering has its own test (test_record_framework.py)."""
    return "accessible"


pytestmark = pytest.mark.e2e
SAVED = "บันทึกข้อมูลเรียบร้อย"


class FakePrompt:
    """The person at the terminal: answers every question with `answer`, noting each."""

    def __init__(self, answer: bool, before: object = None) -> None:
        self.answer, self.questions, self.before = answer, list[str](), before
        self.seen: list[object] = []

    def __call__(self, question: str) -> bool:
        self.questions.append(question)
        if callable(self.before):
            self.seen.append(self.before())
        return self.answer


@contextmanager
def recording_context() -> Iterator[BrowserContext]:
    """A fresh context of the browser edubot launches, as `edubot record` opens one."""
    with browser_page() as spare:
        browser = spare.context.browser
        assert browser is not None
        context = browser.new_context(locale="th-TH")
        context.set_default_timeout(10_000)
        yield context
        context.close()


def mark_expected(page: Page, text: str) -> None:
    """Select the words on the page and press the recorder's key, as the person would."""
    words = page.get_by_text(text, exact=True)
    words.evaluate("el => getSelection().selectAllChildren(el)")
    page.keyboard.press("Control+Shift+E")


def record_adding_one_child(lec: ServedApp, values: dict[str, str]) -> Recorder:
    with recording_context() as context:
        recorder = Recorder(
            context, portal="lec", base_url=lec.url, hold=False, ask=FakePrompt(True)
        )
        page = recorder.page
        recorder.start(f"{lec.url}/index.jsp")
        page.get_by_label("ชื่อผู้ใช้").fill("school")
        page.get_by_label("รหัสผ่าน").fill("demo")
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.get_by_role("link", name="ฐานข้อมูลนักเรียน/เด็กเล็ก").click()
        page.get_by_role("link", name="เพิ่มข้อมูลนักเรียน/เด็กเล็ก").click()
        for spec in STUDENT_FIELDS:
            value = values[spec.key]
            field = page.get_by_label(spec.form_label, exact=True)
            if not value:
                continue
            if field.evaluate("el => el.tagName") == "SELECT":
                field.select_option(label=value)
            else:
                field.press_sequentially(value) if spec.key == "first_name" else field.fill(value)
        page.get_by_role("button", name="บันทึก").click()
        mark_expected(page, SAVED)
        page.evaluate("() => 0")  # one more round trip: every report before it has arrived
        return recorder


def test_a_recorded_child_becomes_a_flow_that_adds_every_child(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path
) -> None:
    kid = children(1, seed=41)[0]
    typed = kid.as_portal_values()
    recorder = record_adding_one_child(school_login, typed)
    assert any(isinstance(s, ExpectMarked) and s.text == SAVED for s in recorder.steps)
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
    loop = next(step for step in flow["steps"] if "for_each" in step)["steps"]
    assert flow["steps"][0] == {"goto": "index.jsp"}
    assert loop[0] == {"goto": "student/list.do"}
    assert loop[1] == {"click": {"role": "link", "name": "เพิ่มข้อมูลนักเรียน/เด็กเล็ก"}}
    form = loop[2]["fill_form"]
    assert form["ชื่อ"] == "${record.first_name}"
    assert form["ระดับชั้น"] == "${record.grade}"
    assert loop[3:] == [{"click": {"role": "button", "name": "บันทึก"}}, {"expect": SAVED}]
    assert {"fill": {"label": "รหัสผ่าน", "value": "${secret.lec.password}"}} in flow["steps"]

    httpx.post(f"{school_login.url}/_mock/reset").raise_for_status()
    two = children(2, seed=5)
    data = write_children(tmp_path / "two.xlsx", two)
    checked = cli.invoke(app, ["check", str(flow_file), "--data", str(data)])
    assert checked.exit_code == 0, checked.output
    ran = cli.invoke(
        app, ["run", str(flow_file), "--data", str(data), "--run-dir", str(tmp_path / "run")]
    )
    assert ran.exit_code == 0, ran.output
    stored = {
        s["national_id"]: s
        for s in mock_state(school_login)["students"]
        if s["school_code"] == MUNICIPAL_SCHOOL
    }
    for child in two:
        values = child.as_portal_values()
        assert stored[child.national_id]["first_name"] == values["first_name"]
        assert stored[child.national_id]["grade"] == values["grade"]


def test_a_confirm_press_is_written_irreversible_and_passes_check(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path
) -> None:
    prompt = FakePrompt(True)
    with recording_context() as context:
        recorder = Recorder(
            context, portal="lec", base_url=school_login.url, hold=False, ask=prompt
        )
        page = recorder.page
        recorder.start(f"{school_login.url}/index.jsp")
        page.get_by_label("ชื่อผู้ใช้").fill("school")
        page.get_by_label("รหัสผ่าน").fill("demo")
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.get_by_role("button", name="ยืนยันข้อมูล").click()
        mark_expected(page, "ยืนยันข้อมูลเรียบร้อย")
        page.evaluate("() => 0")
    assert len(prompt.questions) == 1  # the portal's confirm(), asked at the terminal
    pressed = [s for s in recorder.steps if isinstance(s, Clicked) and s.name == "ยืนยันข้อมูล"]
    assert pressed and pressed[0].dialog

    written = write_flow("confirm", "lec", recorder.steps)
    flow_file = tmp_path / "confirm.yaml"
    flow_file.write_text(written.text, encoding="utf-8")
    click = next(
        s["click"]
        for s in yaml.safe_load(written.text)["steps"]
        if "click" in s and s["click"].get("name") == "ยืนยันข้อมูล"
    )
    assert click["irreversible"] is True
    assert click["dialog"] == {"accept": pressed[0].dialog}
    assert click["verify"] == {
        "goto": "school/home.do",
        "visible": {"text": "ยืนยันข้อมูลเรียบร้อย", "exact": False},
    }
    checked = cli.invoke(app, ["check", str(flow_file)])
    assert checked.exit_code == 0, checked.output
    assert "irreversible steps (lines" in checked.output  # check names the guarded step


@pytest.fixture
def real_portal() -> Iterator[tuple[ServedApp, list[str]]]:
    """A stand-in for a portal that is not edubot's mock (no /_mock/hello): one send button."""
    posts: list[str] = []

    async def home(_request: Request) -> HTMLResponse:
        return HTMLResponse(
            '<html><body><form method="post" action="/send">'
            '<button type="submit">ยืนยันข้อมูล</button></form></body></html>'
        )

    async def send(_request: Request) -> HTMLResponse:
        posts.append("sent")
        return HTMLResponse("<html><body><p>ส่งข้อมูลแล้ว</p></body></html>")

    routes = [Route("/", home), Route("/send", send, methods=["POST"])]
    with serve_in_thread(Starlette(routes=routes)) as served:
        yield served, posts


@pytest.mark.parametrize("answer", [True, False])
def test_on_a_real_portal_a_confirm_press_is_held_until_answered(
    real_portal: tuple[ServedApp, list[str]], answer: bool
) -> None:
    served, posts = real_portal
    prompt = FakePrompt(answer, before=lambda: len(posts))
    with recording_context() as context:
        recorder = Recorder(context, portal="lec", base_url=served.url, hold=True, ask=prompt)
        recorder.start(served.url + "/")
        recorder.page.get_by_role("button", name="ยืนยันข้อมูล").click()
        if answer:
            recorder.page.get_by_text("ส่งข้อมูลแล้ว").wait_for()
        else:
            recorder.page.evaluate("() => 0")  # the held click's report has been answered
    assert prompt.seen == [0]  # asked once, and nothing had been sent when asked
    assert posts == (["sent"] if answer else [])
    clicks = [s for s in recorder.steps if isinstance(s, Clicked)]
    assert [c.name for c in clicks] == (["ยืนยันข้อมูล"] if answer else [])
