"""`edubot record --login`, then the probe: the person starts logged in, the flow begins with
`run: lec/login` and no login value, and once written it is probed on the same mock at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
import yaml
from typer.testing import CliRunner

from bot.cli.app import app
from bot.record.session import Recorder
from mock_portals.lec.markup import FRAMEWORK, MARKUPS
from mock_portals.serve import ServedApp
from tests.conftest import mock_state
from tests.e2e.record_helpers import LecPerson, record_headless_in, settled


@pytest.fixture(params=MARKUPS)
def markup(request: pytest.FixtureRequest) -> str:
    """The mock's renderings: the vendor framework's (its default) and the accessible one."""
    return str(request.param)


pytestmark = pytest.mark.e2e


class LoggedInPerson(Recorder):
    """A person who finds the window logged in, opens the add-a-child form and fills a name."""

    seen_at_start: ClassVar[list[bool]] = []
    fault: ClassVar[dict[str, Any] | None] = None  # a portal update after the recording
    portal_url: ClassVar[str] = ""
    markup: ClassVar[str] = FRAMEWORK

    def start(self, url: str) -> None:
        super().start(url)
        person = LecPerson(self.page, self.markup)
        LoggedInPerson.seen_at_start.append(person.is_logged_in())
        person.open_the_add_form()
        person.field("ชื่อ").fill("มะลิ")
        settled(self.page)
        self.page.close()
        if LoggedInPerson.fault is not None:
            httpx.post(f"{self.portal_url}/_mock/faults", json=self.fault).raise_for_status()


@pytest.fixture
def at_the_window(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, markup: str
) -> type[LoggedInPerson]:
    record_headless_in(tmp_path, LoggedInPerson, monkeypatch)
    LoggedInPerson.seen_at_start.clear()
    LoggedInPerson.fault = None
    monkeypatch.setattr(LoggedInPerson, "markup", markup)
    return LoggedInPerson


def _record(cli: CliRunner, lec: ServedApp, *extra: str) -> Any:
    LoggedInPerson.portal_url = lec.url
    return cli.invoke(app, ["record", "add", "--login", *extra])


def test_login_starts_the_recording_logged_in_and_the_probe_resolves_the_flow(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path, at_the_window: type[LoggedInPerson]
) -> None:
    before = len(mock_state(school_login)["students"])
    result = _record(cli, school_login)
    assert result.exit_code == 0, result.output
    assert at_the_window.seen_at_start == [True]
    text = (tmp_path / "add.yaml").read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    assert flow["steps"][0] == {"run": "lec/login"}
    # The login's own steps were not recorded, nor any value of it.
    assert "secret" not in text and "ชื่อผู้ใช้" not in text and "index.jsp" not in text
    assert "demo" not in text  # the password; the user name shows only as a path's folder
    assert re.findall(r"school\S?", text) == ["school/"], text
    assert "demo" not in result.output
    # The probe ran on the same mock: every step resolved, and nothing was saved.
    assert "edubot probe: add.yaml" in result.output, result.output[-2500:]
    assert "passed: every" in result.output and "probe.html" in result.output, result.output[-1500:]
    assert len(mock_state(school_login)["students"]) == before
    logs = list((tmp_path / "edubot-data" / "runs").glob("probe-*/edubot.log"))
    assert logs and all("demo" not in log.read_text(encoding="utf-8") for log in logs)


def test_a_step_the_probe_cannot_resolve_names_the_line_to_edit_and_exits_1(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path, at_the_window: type[LoggedInPerson]
) -> None:
    at_the_window.fault = {"rename_labels": {"ชื่อ": "ชื่อจริง"}}  # the portal changed meanwhile
    result = _record(cli, school_login)
    assert result.exit_code == 1, result.output
    lines = (tmp_path / "add.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(lines, start=1) if t.strip().startswith("ชื่อ:"))
    edit = next(t for t in result.output.splitlines() if "edit these lines" in t)
    assert f"add.yaml:{line}" in edit, result.output


def test_no_probe_leaves_the_probe_out(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path, at_the_window: type[LoggedInPerson]
) -> None:
    result = _record(cli, school_login, "--no-probe")
    assert result.exit_code == 0, result.output
    assert "edubot probe:" not in result.output
    assert (tmp_path / "add.yaml").is_file()


def test_a_refused_login_stops_before_the_recording_saying_what_to_do(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path, at_the_window: type[LoggedInPerson]
) -> None:
    result = _record(cli, school_login, "--account", "nobody")
    assert result.exit_code == 1, result.output
    assert "edubot login lec" in result.output
    assert at_the_window.seen_at_start == []  # no recording began
    assert not list(tmp_path.glob("*.yaml")) and not list(tmp_path.glob(".*.yaml"))
