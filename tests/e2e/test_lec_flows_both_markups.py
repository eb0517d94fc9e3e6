"""The shipped LEC flows (flows/lec) against both renderings of the mock LEC, unchanged: a
session that ends mid-run (HTTP 401 and its alert on the framework), an account whose password
expired, and a child the portal already holds (00501) — each handled with nothing lost and
nothing doubled, judged from `/_mock/state`. (A save the portal refuses in its popup:
tests/e2e/test_cli_students.py, which runs every test against both renderings.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from typer.testing import CliRunner

from bot.cli.app import app
from bot.data.records import Student
from bot.engine.options import RunOptions
from bot.engine.pipeline import execute, prepare
from bot.engine.records import PlannedRecord, RecordResult
from bot.flow.model import Flow
from mock_portals.lec import routes_school
from mock_portals.lec.fw_entity import bean_name
from mock_portals.lec.markup import MARKUPS
from mock_portals.serve import ServedApp
from tests.conftest import mock_state
from tests.e2e.conftest import FLOWS, MUNICIPAL_SCHOOL, children, write_children

pytestmark = pytest.mark.e2e
STUDENTS_FLOW = FLOWS / "lec" / "students.yaml"
DUPLICATE_WORDS = {
    "framework": "ไม่สามารถบันทึกข้อมูลได้เนื่องจากข้อมูลซ้ำซ้อน",  # 00501
    "accessible": "เลขประจำตัวประชาชนนี้มีอยู่แล้วในสถานศึกษา",
}


@pytest.fixture(params=MARKUPS)
def markup(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def _ids(portal: ServedApp) -> list[str]:
    """Every stored child's ID of the municipal school, duplicates kept."""
    state = mock_state(portal)
    return [s["national_id"] for s in state["students"] if s["school_code"] == MUNICIPAL_SCHOOL]


class _OnRecord:
    """A listener that does `act` when the `at`-th record starts (1-based)."""

    def __init__(self, at: int, act: Any) -> None:
        self.at, self.act, self.started = at, act, 0
        self.results: list[RecordResult] = []

    def start_run(self, flow: Flow, total: int) -> None: ...
    def end_run(self) -> None: ...

    def start_record(self, record: PlannedRecord) -> None:
        self.started += 1
        if self.started == self.at:
            self.act()

    def end_record(self, result: RecordResult) -> None:
        self.results.append(result)


def test_a_session_ended_mid_run_is_logged_into_again_and_nothing_is_lost_or_doubled(
    school_login: ServedApp, tmp_path: Path, markup: str
) -> None:
    kids = children(4, seed=81)
    data = write_children(tmp_path / "children.xlsx", kids)
    before = _ids(school_login)
    logins = mock_state(school_login)["requests"].get("POST /login.do", 0)

    def expire() -> None:
        httpx.post(f"{school_login.url}/_mock/session-expire").raise_for_status()

    report = execute(
        prepare(RunOptions(STUDENTS_FLOW, data, run_dir=tmp_path / "run")),
        _OnRecord(3, expire),
        tmp_path / "run",
    )

    assert [r.status for r in report.results] == ["added"] * 4
    assert [r.attempts for r in report.results] == [1, 1, 2, 1]  # the 3rd met the ended session
    after = _ids(school_login)
    assert sorted(after) == sorted(before + [k.national_id for k in kids])  # once each
    assert mock_state(school_login)["requests"]["POST /login.do"] - logins == 2


def test_a_password_that_expired_stops_the_run_at_once_in_the_portals_words(
    school_login: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The framework's passwordExpired.jsp (00520): edubot never changes a password."""
    httpx.post(f"{school_login.url}/_mock/settings", json={"markup": "framework"})
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "expired")
    data = write_children(tmp_path / "children.xlsx", children(2, seed=83))
    before = mock_state(school_login)

    result = CliRunner().invoke(
        app, ["run", str(STUDENTS_FLOW), "--data", str(data), "--run-dir", str(tmp_path)]
    )

    assert result.exit_code == 1, result.output
    [path] = tmp_path.rglob("report.json")
    aborted = json.loads(path.read_text(encoding="utf-8"))["aborted"]
    assert "รหัสผ่านหมดอายุ" in aborted and "the password has expired" in aborted
    assert "ไม่เปลี่ยนรหัสผ่าน" in aborted and "never changes a password" in aborted
    after = mock_state(school_login)
    assert after["requests"]["POST /login.do"] - before["requests"].get("POST /login.do", 0) == 1
    assert after["students"] == before["students"]


def test_a_child_added_meanwhile_fails_as_a_duplicate_and_is_stored_once(
    school_login: ServedApp, tmp_path: Path, markup: str
) -> None:
    """The export said the 2nd child was absent; someone entered it before edubot got there.
    The portal refuses the second copy (00501 in the framework's popup): that child fails in
    the portal's words, the others go in, and nothing is stored twice."""
    kids = children(3, seed=85)
    data = write_children(tmp_path / "children.xlsx", kids)
    before = _ids(school_login)
    listener = _OnRecord(2, lambda: _enter_by_hand(school_login, kids[1], markup))

    execute(
        prepare(RunOptions(STUDENTS_FLOW, data, run_dir=tmp_path / "run")),
        listener,
        tmp_path / "run",
    )

    assert [r.status for r in listener.results] == ["added", "failed", "added"]
    assert DUPLICATE_WORDS[markup] in (listener.results[1].message or "")
    assert listener.results[1].attempts == 1  # a refusal is not retried
    after = _ids(school_login)
    assert sorted(after) == sorted(before + [k.national_id for k in kids])  # once each


def _enter_by_hand(portal: ServedApp, kid: Student, markup: str) -> None:
    """Another officer enters `kid` in their own browser session."""
    values = kid.as_portal_values()
    with httpx.Client(base_url=portal.url, follow_redirects=True) as client:
        client.post(
            "/login.do",
            data={
                "cmd": "doLogin",
                "login": "school",
                "password": "demo",
                "urlToken": _token(client.get("/index.jsp").text),
            },
        ).raise_for_status()
        if markup == "framework":
            client.post("/student/student.do", data={"cmd": "goCreate"}).raise_for_status()
            fields = {bean_name(key): value for key, value in values.items()}
            saved = client.post("/student/student.do", data={"cmd": "doSave", **fields})
        else:
            token = _token(client.get("/student/form.do").text)
            saved = client.post("/student/save.do", data={"urlToken": token, **values})
        assert "บันทึกข้อมูลเรียบร้อย" in saved.text


def _token(page: str) -> str:
    return page.split('name="urlToken" value="', 1)[1].split('"', 1)[0]


def test_a_run_logs_out_at_its_end_leaving_no_session_open(
    school_login: ServedApp, tmp_path: Path, markup: str
) -> None:
    """The portal limits sessions: the run ends its own (the framework through its Logout
    popup, ยืนยัน), so the mock holds none and the next page asks for a login again."""
    data = write_children(tmp_path / "children.xlsx", children(2, seed=87))
    result = CliRunner().invoke(
        app, ["run", str(STUDENTS_FLOW), "--data", str(data), "--run-dir", str(tmp_path)]
    )

    assert result.exit_code == 0, result.output
    state = mock_state(school_login)
    assert state["sessions_open"] == 0
    logout = "GET /login.do" if markup == "framework" else "GET /logout.do"  # ?cmd=doLogout
    assert state["requests"].get(logout) == 1
    log = (tmp_path / "edubot.log").read_text(encoding="utf-8")
    assert "lec/logout" in log and "optional step" not in log  # out cleanly, not by luck


def test_confirm_reads_the_status_by_its_words_and_a_locked_school_stops_in_words(
    school_login: ServedApp, tmp_path: Path, markup: str
) -> None:
    """No test id: the confirmation reads สถานะ: … on the page before and after the press, and
    once the school is locked, basic data stops in the portal's words without a save."""
    kids = children(2, seed=89)
    data = write_children(tmp_path / "children.xlsx", kids)
    cli = CliRunner()
    assert cli.invoke(app, ["run", str(STUDENTS_FLOW), "--data", str(data)]).exit_code == 0
    confirm = [
        "run", str(FLOWS / "lec" / "confirm_school.yaml"), "--data", str(data), "--confirm",
        "--non-interactive", "--accept-portal-extras", "--run-dir", str(tmp_path / "confirm"),
    ]  # fmt: skip
    result = cli.invoke(app, confirm)
    assert result.exit_code == 0, result.output
    state = mock_state(school_login)
    school = next(s for s in state["schools"] if s["code"] == MUNICIPAL_SCHOOL)
    assert school["confirmed"] is True
    assert state["requests"]["POST /school/confirm.do"] == 1

    again = cli.invoke(app, confirm)  # already done: read, not pressed again
    assert again.exit_code == 0, again.output
    assert mock_state(school_login)["requests"]["POST /school/confirm.do"] == 1

    basic_flow = FLOWS / "lec" / "basic_data.yaml"
    headers = list(
        yaml.safe_load(basic_flow.read_text(encoding="utf-8"))["input"]["columns"].values()
    )
    row = {"รหัสสถานศึกษา": MUNICIPAL_SCHOOL, "โทรศัพท์": "0812345678"}
    basic = tmp_path / "basic.csv"
    basic.write_text(
        ",".join(headers) + "\n" + ",".join(row.get(h, "") for h in headers) + "\n",
        encoding="utf-8",
    )
    locked = cli.invoke(app, ["run", str(basic_flow), "--data", str(basic)])
    assert locked.exit_code == 1, locked.output
    assert "สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้" in locked.output
    after = mock_state(school_login)
    assert next(s for s in after["schools"] if s["code"] == MUNICIPAL_SCHOOL)["basic"] is None


def test_a_status_in_words_the_flow_does_not_know_presses_nothing(
    school_login: ServedApp, tmp_path: Path, markup: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fail closed: the confirmation presses only where the page says ยังไม่ยืนยันข้อมูล. A
    portal that words its status otherwise (here: รอตรวจสอบ) is not recognised, and the school
    stays unconfirmed with no confirm request sent."""
    kids = children(2, seed=91)
    data = write_children(tmp_path / "children.xlsx", kids)
    cli = CliRunner()
    assert cli.invoke(app, ["run", str(STUDENTS_FLOW), "--data", str(data)]).exit_code == 0
    monkeypatch.setattr(routes_school, "STATUS_NOT_CONFIRMED", "สถานะ: รอตรวจสอบ")

    result = cli.invoke(
        app,
        ["run", str(FLOWS / "lec" / "confirm_school.yaml"), "--data", str(data), "--confirm",
         "--non-interactive", "--accept-portal-extras", "--run-dir", str(tmp_path / "confirm")],
    )  # fmt: skip

    assert result.exit_code == 1, result.output
    assert "the page was not recognised" in result.output and "nothing was pressed" in result.output
    state = mock_state(school_login)
    assert state["requests"].get("POST /school/confirm.do", 0) == 0
    assert next(s for s in state["schools"] if s["code"] == MUNICIPAL_SCHOOL)["confirmed"] is False
