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
from mock_portals.serve import ServedApp


@pytest.fixture
def markup() -> str:
    """These tests click and type on the accessible rendering's pages as a person would; the
    framework rendering has its own test (test_record_framework.py)."""
    return "accessible"


pytestmark = pytest.mark.e2e


class PersonAtTheWindow(Recorder):
    """The recorder the command opens, with a person logging in and closing the window."""

    saved_while_working: ClassVar[list[str]] = []

    def start(self, url: str) -> None:
        super().start(url)
        page = self.page
        page.get_by_label("ชื่อผู้ใช้").fill("school")
        page.get_by_label("รหัสผ่าน").fill("demo")
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.get_by_role("link", name="ออกจากระบบ").wait_for()
        written = Path.cwd() / "login.yaml"
        self.saved_while_working.append(written.read_text(encoding="utf-8"))
        page.close()


def test_the_command_writes_the_flow_as_the_person_works(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(record_cmd, "has_display", lambda: True)  # the window is headless here

    def headless(**_options: Any) -> LaunchedBrowser:
        return LaunchedBrowser(headless=True)

    monkeypatch.setattr(record_cmd, "LaunchedBrowser", headless)
    monkeypatch.setattr(record_cmd, "Recorder", PersonAtTheWindow)
    result = cli.invoke(app, ["record", "login", "--start", f"{school_login.url}/index.jsp"])
    assert result.exit_code == 0, result.output
    assert "ระบบจริง" not in result.output  # the mock answered its handshake: nothing held
    flow = yaml.safe_load((tmp_path / "login.yaml").read_text(encoding="utf-8"))
    assert flow["steps"] == [
        {"goto": "index.jsp"},
        {"fill": {"label": "ชื่อผู้ใช้", "value": "${secret.lec.username}"}},
        {"fill": {"label": "รหัสผ่าน", "value": "${secret.lec.password}"}},
        {"click": {"role": "button", "name": "เข้าสู่ระบบ"}},
    ]
    assert "เข้าสู่ระบบ" in PersonAtTheWindow.saved_while_working[0]
    assert "demo" not in result.output
    checked = cli.invoke(app, ["check", str(tmp_path / "login.yaml")])
    assert checked.exit_code == 0, checked.output
