"""`edubot record` through the CLI: the window's work (here Playwright's, headless) becomes
NAME.yaml, written as it goes, checked when the window closes."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from typer.testing import CliRunner

from bot.browser.launch import LaunchedBrowser
from bot.cli import record as record_cmd
from bot.cli.app import app
from bot.record.session import Recorder
from mock_portals.lec.markup import FRAMEWORK, MARKUPS
from mock_portals.serve import ServedApp
from tests.e2e.record_helpers import LecPerson


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
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(record_cmd, "has_display", lambda: True)  # the window is headless here

    def headless(**_options: Any) -> LaunchedBrowser:
        return LaunchedBrowser(headless=True)

    monkeypatch.setattr(record_cmd, "LaunchedBrowser", headless)
    monkeypatch.setattr(record_cmd, "Recorder", PersonAtTheWindow)
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
