"""Sessions as LEC's vendor framework does them, against the mock's `framework` rendering: an
expired session (HTTP 401 and its alert) is logged into again mid-run with nothing lost or
doubled; an account the portal will not let in stops the run at its first login; and workers
never share a session.

The flows are test flows (tests/fixtures/flows/framework) that find the login fields by CSS:
flows/lec/login.yaml fills by labels, which the framework's login page does not have.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from bot.engine.options import RunOptions
from bot.engine.pipeline import execute, prepare
from bot.engine.records import PlannedRecord, RecordResult
from bot.engine.runner import Runner
from bot.flow.model import Flow
from bot.log import logger
from mock_portals.lec.app import create_app
from mock_portals.serve import ServedApp, serve_in_thread
from tests.conftest import mock_state
from tests.e2e.conftest import FLOWS, children, write_children

pytestmark = pytest.mark.e2e
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "flows" / "framework"
ALERT_WORDS = "ไม่ได้ใช้งานเกินเวลา"  # e401.jsp's alert


@pytest.fixture
def framework(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> Iterator[ServedApp]:
    """The mock LEC in the framework rendering, edubot pointed at it as the school's officer."""
    with serve_in_thread(create_app(tmp_path / "state", markup="framework")) as served:
        monkeypatch.setenv("EDUBOT_LEC_URL", served.url)
        monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
        monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
        yield served


@pytest.fixture
def students_flow(tmp_path: Path) -> Path:
    """The test flow beside a copy of flows/lec, whose form and save sub-flows it runs."""
    flows = tmp_path / "flows"
    shutil.copytree(FLOWS / "lec", flows / "lec")
    shutil.copytree(FIXTURES, flows / "framework")
    return flows / "framework" / "students.yaml"


class _ExpireAfter:
    """A listener that ends every session on the portal once the `after`-th record is done."""

    def __init__(self, portal: ServedApp, after: int) -> None:
        self.portal, self.after = portal, after
        self.results: list[RecordResult] = []

    def start_run(self, flow: Flow, total: int) -> None: ...
    def start_record(self, record: PlannedRecord) -> None: ...
    def end_run(self) -> None: ...

    def end_record(self, result: RecordResult) -> None:
        self.results.append(result)
        if len(self.results) == self.after:
            httpx.post(f"{self.portal.url}/_mock/session-expire").raise_for_status()


def _stored(portal: ServedApp | dict[str, Any]) -> list[str]:
    state = portal if isinstance(portal, dict) else mock_state(portal)
    return [s["national_id"] for s in state["students"]]


def test_a_401_expiry_mid_run_logs_in_again_and_nothing_is_lost_or_doubled(
    framework: ServedApp, students_flow: Path, tmp_path: Path
) -> None:
    kids = children(4, seed=61)
    data = write_children(tmp_path / "children.xlsx", kids)
    before = mock_state(framework)
    said: list[str] = []
    sink = logger.add(lambda message: said.append(str(message)), level="INFO")
    try:
        report = execute(
            prepare(RunOptions(students_flow, data, run_dir=tmp_path / "run")),
            _ExpireAfter(framework, after=2),
            tmp_path / "run",
        ).as_dict()
    finally:
        logger.remove(sink)

    assert [r["status"] for r in report["records"]] == ["added"] * 4
    assert [r["attempts"] for r in report["records"]] == [1, 1, 2, 1]  # the 3rd met the 401
    new = [i for i in _stored(framework) if i not in _stored(before)]
    assert sorted(new) == sorted(k.national_id for k in kids)  # nothing lost, nothing doubled
    logins = mock_state(framework)["requests"]["POST /login.do"]
    assert logins - before["requests"].get("POST /login.do", 0) == 2
    relogin = next(line for line in said if "logging in again" in line)
    assert "HTTP 401" in relogin and ALERT_WORDS in relogin  # both signs seen, the alert answered


@pytest.mark.parametrize(
    ("account", "words"),
    [
        ("locked", "รหัสผู้ใช้ถูกระงับการใช้งาน"),
        ("expired", "รหัสผ่านหมดอายุ"),
        ("newuser", "กรุณาเปลี่ยนรหัสผ่านเพื่อเริ่มต้นการใช้งาน"),
    ],
)
def test_an_account_the_portal_will_not_let_in_stops_the_run_at_its_first_login(
    framework: ServedApp,
    students_flow: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    account: str,
    words: str,
) -> None:
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", account)
    data = write_children(tmp_path / "children.xlsx", children(3, seed=67))
    before = mock_state(framework)

    result = CliRunner().invoke(
        app,
        [
            "run",
            str(students_flow),
            "--data",
            str(data),
            "--workers",
            "2",
            "--run-dir",
            str(tmp_path),
        ],
    )

    assert result.exit_code == 1, result.output  # as for a wrong password: not 2, not 3
    report = _report(tmp_path)
    assert words in report["aborted"] and "never changes a password" in report["aborted"]
    assert "ไม่เปลี่ยนรหัสผ่าน" in report["aborted"]
    after = mock_state(framework)
    assert after["requests"]["POST /login.do"] - before["requests"].get("POST /login.do", 0) == 1
    assert _stored(after) == _stored(before)  # nothing sent, no password changed


def test_a_wrong_password_still_ends_as_a_refused_login_with_exit_1(
    framework: ServedApp, students_flow: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "not-the-password")
    data = write_children(tmp_path / "children.xlsx", children(2, seed=73))

    result = CliRunner().invoke(
        app, ["run", str(students_flow), "--data", str(data), "--run-dir", str(tmp_path)]
    )

    assert result.exit_code == 1, result.output
    aborted = _report(tmp_path)["aborted"]
    assert "รหัสผ่านไม่ถูกต้อง" in aborted and "edubot login lec" in aborted


def _report(run_dir: Path) -> dict[str, Any]:
    [path] = run_dir.rglob("report.json")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_workers_never_share_a_session(
    framework: ServedApp, students_flow: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers: two contexts, each logged in with a session cookie of its own (the
    framework keeps the record in hand in the session)."""
    sessions: list[str] = []
    real_run = Runner.run

    def noting_run(self: Runner, records: Any, ready: Any = lambda: None) -> Any:
        results = real_run(self, records, ready)
        tab: Any = self.tab
        cookies = tab.page.context.cookies()
        sessions.extend(c["value"] for c in cookies if c["name"] == "JSESSIONID")
        return results

    monkeypatch.setattr(Runner, "run", noting_run)
    kids = children(4, seed=71)
    data = write_children(tmp_path / "children.xlsx", kids)
    options = RunOptions(students_flow, data, run_dir=tmp_path / "run", workers=2)

    report = execute(prepare(options), _ExpireAfter(framework, after=99), tmp_path / "run")

    assert [r.status for r in report.results] == ["added"] * 4
    assert len(sessions) == 2 and sessions[0] != sessions[1]
