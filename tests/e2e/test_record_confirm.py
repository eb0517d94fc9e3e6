"""Recording an irreversible press: written `irreversible: true` with its dialog and `verify:`,
and on a portal that is not edubot's mock held in the page until the person answers.

Both of the mock's renderings: the vendor framework's (its default: a cmd button asking with
confirm(), then a SweetAlert box) and the accessible one; and a stand-in for a real portal
reached through `edubot record` itself, answered at its terminal.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import httpx
import pytest
import yaml
from typer.testing import CliRunner

from bot.cli.app import app
from bot.record.events import Clicked
from bot.record.session import Recorder
from bot.record.writer import write_flow
from mock_portals.lec.markup import FRAMEWORK, MARKUPS
from mock_portals.serve import ServedApp
from tests.conftest import mock_state
from tests.e2e.conftest import MUNICIPAL_SCHOOL
from tests.e2e.record_helpers import (
    FakePrompt,
    LecPerson,
    mark_expected,
    not_the_mock,
    record_headless_in,
    recording_context,
    settled,
)

pytestmark = pytest.mark.e2e
STATUS = "สถานะ: ยืนยันข้อมูลแล้ว"  # the home page's status line once the school is confirmed


@pytest.fixture(params=MARKUPS)
def markup(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _confirmed(lec: ServedApp) -> bool:
    school = next(s for s in mock_state(lec)["schools"] if s["code"] == MUNICIPAL_SCHOOL)
    return bool(school["confirmed"])


def test_a_confirm_press_is_written_irreversible_and_the_flow_confirms_on_a_fresh_mock(
    cli: CliRunner, school_login: ServedApp, markup: str, tmp_path: Path
) -> None:
    prompt = FakePrompt(True)
    with recording_context() as context:
        recorder = Recorder(
            context, portal="lec", base_url=school_login.url, hold=False, ask=prompt
        )
        person = LecPerson(recorder.page, markup)
        recorder.start(f"{school_login.url}/index.jsp")
        person.log_in()
        recorder.page.get_by_role("button", name="ยืนยันข้อมูล").click()
        if person.framework:  # its answer: a message box saying ยืนยันข้อมูลเรียบร้อย
            person.press_ok_in_the_message_box()
        mark_expected(recorder.page, STATUS)  # what the page shows once it took effect
        settled(recorder.page)
    assert len(prompt.questions) == 1  # the portal's confirm(), asked at the terminal
    assert _confirmed(school_login)
    pressed = [s for s in recorder.steps if isinstance(s, Clicked) and s.name == "ยืนยันข้อมูล"]
    assert pressed and pressed[0].dialog

    written = write_flow("confirm", "lec", recorder.steps)
    assert written.todo == ()
    steps = yaml.safe_load(written.text)["steps"]
    at = next(n for n, s in enumerate(steps) if s.get("click", {}).get("name") == "ยืนยันข้อมูล")
    assert steps[at]["click"] == {
        "role": "button",
        "name": "ยืนยันข้อมูล",
        "dialog": {"accept": pressed[0].dialog},
        "irreversible": True,
        "verify": {"goto": "school/home.do", "visible": {"text": STATUS, "exact": False}},
    }
    after = steps[at + 1 :]
    marked = {"expect": {"text": STATUS, "exact": False}}  # part of the framework's line
    if markup == FRAMEWORK:  # the box's ตกลง closes a message: the popup step, not a press
        assert after == [{"popup": {"expect": "ยืนยันข้อมูลเรียบร้อย", "press": "ตกลง"}}, marked]
    else:
        assert after == [{"expect": STATUS}]  # the accessible page's whole <strong>
    flow_file = tmp_path / "confirm.yaml"
    flow_file.write_text(written.text, encoding="utf-8")
    checked = cli.invoke(app, ["check", str(flow_file)])
    assert checked.exit_code == 0, checked.output
    assert "irreversible steps (lines" in checked.output  # check names the guarded step

    httpx.post(f"{school_login.url}/_mock/reset").raise_for_status()
    assert not _confirmed(school_login)
    ran = cli.invoke(app, ["run", str(flow_file), "--confirm", "--run-dir", str(tmp_path / "run")])
    assert ran.exit_code == 0, ran.output
    assert _confirmed(school_login)


@pytest.mark.parametrize("answer", [True, False])
def test_held_the_confirm_button_sends_nothing_before_the_answer(
    school_login: ServedApp, markup: str, answer: bool
) -> None:
    """`hold=True` (what `edubot record` sets off the mock) on the mock's own button: the
    framework's cmd button (`if(confirm(…)) this.form.submit()`) or the accessible form's."""
    prompt = FakePrompt(answer, before=lambda: _confirmed(school_login))
    with recording_context() as context:
        recorder = Recorder(context, portal="lec", base_url=school_login.url, hold=True, ask=prompt)
        person = LecPerson(recorder.page, markup)
        recorder.start(f"{school_login.url}/index.jsp")
        person.log_in()
        recorder.page.get_by_role("button", name="ยืนยันข้อมูล").click()
        if answer:  # then the portal's own confirm(), asked too, and its answer
            recorder.page.get_by_text("ยืนยันข้อมูลเรียบร้อย", exact=True).wait_for()
        settled(recorder.page)
    assert prompt.seen[0] is False  # asked before anything was sent
    assert len(prompt.questions) == (2 if answer else 1)
    assert _confirmed(school_login) is answer
    clicks = [s for s in recorder.steps if isinstance(s, Clicked)]
    assert [c.name for c in clicks if c.irreversible] == (["ยืนยันข้อมูล"] if answer else [])


class PressingConfirm(Recorder):
    """The window `edubot record` opens, where the person presses ยืนยันข้อมูล and closes it."""

    let_through: ClassVar[bool] = False  # what the test answers at the terminal

    def start(self, url: str) -> None:
        super().start(url)
        self.page.get_by_role("button", name="ยืนยันข้อมูล").click()
        if self.let_through:
            self.page.get_by_text("ส่งข้อมูลแล้ว").wait_for()
        settled(self.page)  # the held press has been asked about and answered
        self.page.close()


@pytest.mark.parametrize("answer", ["y", "n"])
def test_edubot_record_off_the_mock_holds_a_confirm_press_until_answered_at_the_terminal(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    record_headless_in(tmp_path, PressingConfirm, monkeypatch)
    monkeypatch.setattr(PressingConfirm, "let_through", answer == "y")
    with not_the_mock() as (portal, posts):
        result = cli.invoke(
            app,
            ["record", "confirm", "--start", f"{portal.url}/", "--no-probe"],
            input=f"{answer}\n",
        )
    assert "ระบบจริง" in result.output  # no mock handshake: presses are asked about
    assert "ยืนยันข้อมูล" in result.output  # the question named the button
    assert posts == (["sent"] if answer == "y" else [])
    text = (tmp_path / "confirm.yaml").read_text(encoding="utf-8")
    if answer == "y":
        assert "irreversible: true" in text
    else:
        assert "ยืนยันข้อมูล" not in text  # not pressed, not recorded
