"""`edubot record` through the CLI: the window's work (here Playwright's, headless) becomes
NAME.yaml, written as it goes, checked when the window closes."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import record as record_cmd
from bot.cli.app import app
from bot.record.session import Recorder
from mock_portals.lec.markup import FRAMEWORK, MARKUPS
from mock_portals.serve import ServedApp
from tests.e2e.record_helpers import LecPerson, record_headless_in, settled


@pytest.fixture(params=MARKUPS)
def markup(request: pytest.FixtureRequest) -> str:
    return str(request.param)


pytestmark = pytest.mark.e2e


class PersonAtTheWindow(Recorder):
    """The recorder the command opens, with a person logging in and closing the window."""

    saved_while_working: ClassVar[list[str]] = []
    markup: ClassVar[str] = FRAMEWORK

    def start(self, url: str) -> None:
        super().start(url)
        page = self.page
        person = LecPerson(page, self.markup)
        person.log_in()
        page.get_by_role("link", name="Logout" if person.framework else "ออกจากระบบ").wait_for()
        written = Path.cwd() / "login.yaml"
        self.saved_while_working.append(written.read_text(encoding="utf-8"))
        page.close()


def test_the_command_writes_the_flow_as_the_person_works(
    cli: CliRunner,
    school_login: ServedApp,
    markup: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record_headless_in(tmp_path, PersonAtTheWindow, monkeypatch)
    monkeypatch.setattr(PersonAtTheWindow, "markup", markup)
    result = cli.invoke(app, ["record", "login", "--start", f"{school_login.url}/index.jsp"])
    assert result.exit_code == 0, result.output
    assert "ระบบจริง" not in result.output  # the mock answered its handshake: nothing held
    flow = yaml.safe_load((tmp_path / "login.yaml").read_text(encoding="utf-8"))
    by, user, password, sign_in = (
        ("placeholder", "Username", "Password", "Sign in")
        if markup == FRAMEWORK
        else ("label", "ชื่อผู้ใช้", "รหัสผ่าน", "เข้าสู่ระบบ")
    )
    assert flow["steps"] == [
        {"goto": "index.jsp"},
        {"fill": {by: user, "value": "${secret.lec.username}"}},
        {"fill": {by: password, "value": "${secret.lec.password}"}},
        {"click": {"role": "button", "name": sign_in}},
    ]
    assert sign_in in PersonAtTheWindow.saved_while_working[-1]
    assert "demo" not in result.output
    checked = cli.invoke(app, ["check", str(tmp_path / "login.yaml")])
    assert checked.exit_code == 0, checked.output


class SearchingPerson(Recorder):
    """A person who logs in and searches the student list for a child's ID."""

    markup: ClassVar[str] = FRAMEWORK

    def start(self, url: str) -> None:
        super().start(url)
        person = LecPerson(self.page, self.markup)
        person.log_in()
        self.page.get_by_role("link", name="ฐานข้อมูลนักเรียน/เด็กเล็ก").click()
        label = "เลขประจำตัวประชาชน" if person.framework else "ค้นหาเลขประจำตัวประชาชน"
        person.field(label).fill(TYPED_ID)
        self.page.get_by_role("button", name="ค้นหา", exact=True).click()
        settled(self.page)
        self.page.close()


TYPED_ID = "1103700012345"


def test_a_field_outside_the_catalogue_is_asked_about_and_bound(
    cli: CliRunner,
    school_login: ServedApp,
    markup: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record_headless_in(tmp_path, SearchingPerson, monkeypatch)
    monkeypatch.setattr(record_cmd, "at_a_terminal", lambda: True)
    monkeypatch.setattr(SearchingPerson, "markup", markup)
    result = cli.invoke(
        app,
        ["record", "search", "--start", f"{school_login.url}/index.jsp", "--no-probe"],
        input="record.national_id\n",
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "search.yaml").read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    loop = next(step for step in flow["steps"] if "for_each" in step)["steps"]
    if markup == FRAMEWORK:  # the words beside it are the catalogue's: bound without asking
        assert "not in the data catalogue" not in result.output
        searched = {"fill_form": {"เลขประจำตัวประชาชน": "${record.national_id}"}}
    else:  # ค้นหาเลขประจำตัวประชาชน is not a field of a child: the person said what it is
        assert "“ค้นหาเลขประจำตัวประชาชน” is not in the data catalogue" in result.output
        searched = {"fill": {"label": "ค้นหาเลขประจำตัวประชาชน", "value": "${record.national_id}"}}
    assert searched in loop
    assert TYPED_ID not in text and TYPED_ID not in result.output
