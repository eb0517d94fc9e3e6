"""An officer's everyday slips, through the CLI: each ends in exit 2 with a Thai and an English
sentence and the fix, never "internal error" (exit 3) and never a stack trace."""

from __future__ import annotations

import json
import re
import socket
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from bot.cli.demo import write_demo_round
from mock_portals.serve import ServedApp
from tests.e2e.conftest import FLOWS, children, write_children

pytestmark = pytest.mark.e2e
STUDENTS = str(FLOWS / "lec" / "students.yaml")
THAI = re.compile(r"[\u0e00-\u0e7f]")


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def _xls(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an OLE2 header, no book
    return path


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield held.getsockname()[1]


# name → (the command line given the scratch folder, the words the answer must carry)
Case = Callable[[Path, int], list[str]]
CASES: dict[str, tuple[Case, str]] = {
    "check, --data missing": (
        lambda d, _: ["check", STUDENTS, "--data", str(d / "missing.xlsx")],
        "does not exist",
    ),
    "run, --data missing": (
        lambda d, _: ["run", STUDENTS, "--data", str(d / "missing.xlsx"), "--dry-run"],
        "does not exist",
    ),
    "run, --data a folder": (
        lambda d, _: ["run", STUDENTS, "--data", str(d), "--dry-run"],
        "is a folder",
    ),
    "check, a folder of flows": (
        lambda d, _: ["check", str(FLOWS / "lec")],
        "is a folder",
    ),
    "check, a .docx": (
        lambda d, _: ["check", STUDENTS, "--data", str(_docx(d / "children.docx"))],
        "not an Excel file",
    ),
    "check, a .docx renamed .xlsx": (
        lambda d, _: ["check", STUDENTS, "--data", str(_docx(d / "children.xlsx"))],
        "not an Excel file",
    ),
    "check, a damaged .xls": (
        lambda d, _: ["check", STUDENTS, "--data", str(_xls(d / "children.xls"))],
        "Cannot open children.xls",
    ),
    "run, a damaged .xls": (
        lambda d, _: ["run", STUDENTS, "--data", str(_xls(d / "children.xls")), "--dry-run"],
        "Cannot open children.xls",
    ),
    "check, text named .xlsx": (
        lambda d, _: ["check", STUDENTS, "--data", str(_text(d / "children.xlsx"))],
        "not an Excel file",
    ),
    "template into a missing folder": (
        lambda d, _: ["template", "students", str(d / "no-such-folder" / "children.xlsx")],
        "mkdir",
    ),
    "mock serve, port busy": (
        lambda d, port: ["mock", "serve", "--lec-port", str(port), "--state-dir", str(d)],
        "--lec-port",
    ),
    "demo --headed, no display": (
        lambda d, _: ["demo", "--headed", "--run-dir", str(d / "demo-run")],
        "--headed",
    ),
    "run --headed, no display": (
        lambda d, _: ["run", STUDENTS, "--data", str(_kids(d)), "--dry-run", "--headed"],
        "--headed",
    ),
}


def _text(path: Path) -> Path:
    path.write_text("national_id,first_name\n", encoding="utf-8")
    return path


def _kids(folder: Path) -> Path:
    return write_children(folder / "kids.xlsx", children(1))


@pytest.mark.parametrize("name", list(CASES))
def test_an_everyday_mistake_is_exit_2_in_thai_and_english_with_the_fix(
    name: str, tmp_path: Path, busy_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("EDUBOT_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # not Thai: both languages by default
    build, words = CASES[name]
    result = CliRunner().invoke(app, build(tmp_path, busy_port))
    said = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), said
    assert result.exit_code == 2, said
    assert THAI.search(said), said
    assert re.search(r"\bfix\b", said, re.IGNORECASE), said
    assert words in said
    assert "Traceback" not in said and "Errno" not in said


def test_check_and_run_agree_on_a_damaged_xls(tmp_path: Path) -> None:
    """One reader decides what an .xls is: `check` and `run` give the same answer."""
    data = str(_xls(tmp_path / "children.xls"))
    checked = CliRunner().invoke(app, ["check", STUDENTS, "--data", data])
    ran = CliRunner().invoke(app, ["run", STUDENTS, "--data", data, "--dry-run"])
    assert checked.exit_code == ran.exit_code == 2
    first_problem = next(line for line in ran.output.splitlines() if ".xls" in line)
    assert first_problem in checked.output


def test_a_template_never_overwrites_a_filled_workbook_and_check_warns_of_an_empty_one(
    tmp_path: Path,
) -> None:
    filled = _kids(tmp_path)
    before = filled.read_bytes()
    refused = CliRunner().invoke(app, ["template", "students", str(filled)])
    assert refused.exit_code == 2, refused.output
    assert "--overwrite" in refused.output
    assert filled.read_bytes() == before
    replaced = CliRunner().invoke(app, ["template", "students", str(filled), "--overwrite"])
    assert replaced.exit_code == 0, replaced.output
    checked = CliRunner().invoke(app, ["check", STUDENTS, "--data", str(filled)])
    assert checked.exit_code == 0, checked.output
    assert "holds no records" in checked.output


def test_a_wrong_password_says_the_run_stopped_why_and_to_log_in_again(
    lec: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    monkeypatch.setenv("EDUBOT_LEC_URL", lec.url)
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "not-the-password")
    data = write_children(tmp_path / "kids.xlsx", children(3))
    result = CliRunner().invoke(app, ["run", STUDENTS, "--data", str(data)])
    assert result.exit_code == 1, result.output
    assert "edubot login lec" in result.output
    assert "0 of 3 record(s) done" in result.output
    assert "nothing to do" not in result.output
    assert "not-the-password" not in result.output


def test_no_network_says_the_run_stopped_and_to_check_the_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setenv("EDUBOT_LEC_URL", f"http://127.0.0.1:{closed}")
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
    # A portal that is down is waited for (30 minutes by default); the officer's own settings
    # file makes that wait seconds here.
    own = tmp_path / "own-config"
    own.mkdir()
    (own / "settings.yaml").write_text(
        "retries: {give_up_after_min: 0.05, backoff_s: 0.1, backoff_max_s: 0.2}\n"
        "outage: {pause_after_failures: 2, probe_first_s: 0.2, probe_max_s: 0.5,"
        " give_up_after_min: 0.05}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDUBOT_CONFIG_DIR", str(own))
    data = write_children(tmp_path / "kids.xlsx", children(2))
    result = CliRunner().invoke(app, ["run", STUDENTS, "--data", str(data)])
    assert result.exit_code == 1, result.output
    assert "the portal did not answer" in result.output  # waited, then stopped
    assert "รันคำสั่งเดิมอีกครั้ง" in result.output  # and says to run again to finish
    assert "0 of 2 record(s) done" in result.output


def test_status_names_the_lgo_accounts_own_password_variable(
    lec: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    """The school's login is set; status logs in as the LGO and must say which variable."""
    monkeypatch.setenv("EDUBOT_LEC_URL", lec.url)
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
    plan = write_demo_round(tmp_path / "round", children_per_school=1)
    result = CliRunner().invoke(app, ["status", str(plan)])
    assert result.exit_code == 2, result.output
    assert "EDUBOT_LEC_PASSWORD_LGO" in result.output
    assert "edubot login lec --username lgo" in result.output


LGO_FLOW = str(FLOWS / "lec" / "confirm_lgo.yaml")
STATUS_FLOW = str(FLOWS / "lec" / "status.yaml")


def test_an_lgo_flow_asks_for_its_org_before_anything_and_check_takes_var(
    tmp_path: Path,
) -> None:
    for command in (["check", LGO_FLOW], ["run", LGO_FLOW, "--dry-run"]):
        extra = ["--run-dir", str(tmp_path / "r")] if command[0] == "run" else []
        refused = CliRunner().invoke(app, [*command, *extra])
        assert refused.exit_code == 2, refused.output
        assert "--var org=" in refused.output and THAI.search(refused.output)
        assert not (tmp_path / "r" / "report.json").exists()  # refused before any login
    checked = CliRunner().invoke(app, ["check", LGO_FLOW, "--var", "org=6400101"])
    assert checked.exit_code == 0, checked.output


def test_an_lgo_flow_rehearses_as_the_mocks_lgo_account(tmp_path: Path) -> None:
    run_dir = tmp_path / "r"
    result = CliRunner().invoke(
        app, ["run", STATUS_FLOW, "--dry-run", "--var", "org=6400101", "--run-dir", str(run_dir)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    assert "ระดับ อปท." in report["extracted"]["lgo"]


def test_account_logs_in_as_that_user_with_its_own_password(
    lec: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    monkeypatch.setenv("EDUBOT_LEC_URL", lec.url)
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD_LGO", "demo")
    run_dir = tmp_path / "r"
    args = ["run", STATUS_FLOW, "--account", "lgo", "--var", "org=6400101"]
    result = CliRunner().invoke(app, [*args, "--run-dir", str(run_dir)])
    assert result.exit_code == 0, result.output
    report = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    assert "ระดับ อปท." in report["extracted"]["lgo"]


def test_lang_th_counts_in_thai(tmp_path: Path) -> None:
    data = write_children(tmp_path / "kids.xlsx", children(2, seed=5))
    args = ["run", STUDENTS, "--data", str(data), "--dry-run", "--run-dir", str(tmp_path / "r")]
    result = CliRunner().invoke(app, [*args, "--lang", "th"])
    assert result.exit_code == 0, result.output
    assert "เพิ่ม 2" in result.output
    assert "added" not in result.output and "record(s)" not in result.output


def test_run_shows_the_warnings_check_shows(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    data = write_children(tmp_path / "kids.xlsx", children(1, seed=8))
    book = load_workbook(data)
    sheet = book.active
    assert sheet is not None
    header_row = next(r for r in range(1, 6) if sheet.cell(r, 1).value)
    sheet.cell(header_row, sheet.max_column + 1, "หมายเหตุของครู")
    book.save(data)
    args = ["run", STUDENTS, "--data", str(data), "--dry-run", "--run-dir", str(tmp_path / "r")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "หมายเหตุของครู" in result.output


def test_status_flags_a_school_whose_file_and_portal_counts_differ(tmp_path: Path) -> None:
    plan = write_demo_round(tmp_path / "round", children_per_school=2)
    result = CliRunner().invoke(app, ["status", str(plan), "--dry-run", "--today", "2026-12-01"])
    assert result.exit_code == 0, result.output
    flagged = " ".join(result.output.split())
    assert "counts differ" in flagged  # 2 children in the file, none yet on the portal


def test_a_chrome_that_will_not_start_stops_the_run_with_what_to_do(
    lec: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    from playwright.sync_api import BrowserType, Error

    def closes_while_starting(*_args: object, **_kwargs: object) -> None:
        raise Error("BrowserType.launch: Target page, context or browser has been closed")

    monkeypatch.setattr(BrowserType, "launch", closes_while_starting)
    monkeypatch.setenv("EDUBOT_LEC_URL", lec.url)
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
    data = write_children(tmp_path / "kids.xlsx", children(2))
    result = CliRunner().invoke(
        app, ["run", STUDENTS, "--data", str(data), "--run-dir", str(tmp_path / "run")]
    )
    assert result.exit_code == 1, result.output  # stopped like an unreachable portal, not exit 3
    assert "Chrome did not start" in " ".join(result.output.split())
    assert "0 of 2 record(s) done" in result.output
    report = json.loads((tmp_path / "run" / "report.json").read_text(encoding="utf-8"))
    assert "Chrome did not start" in report["aborted"]


def test_a_copied_flow_that_no_longer_fits_the_page_stops_after_three_children(
    lec: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    """The officer's own copy of the student form names a label the page does not show: the
    run stops after the first 3 children, naming the copy and the line, and never tries the
    rest (each would take its tries, ~48 s, with the default settings)."""
    monkeypatch.setenv("EDUBOT_LEC_URL", lec.url)
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
    own = tmp_path / "own-config"
    own.mkdir()
    (own / "settings.yaml").write_text(
        "timeouts: {action_ms: 1500}\nretries: {backoff_s: 0.1, backoff_max_s: 0.2}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDUBOT_CONFIG_DIR", str(own))
    cli = CliRunner()
    assert cli.invoke(app, ["flows", "copy", "lec/student_form"]).exit_code == 0
    copy = own / "flows" / "lec" / "student_form.yaml"
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace('"นามสกุล":', '"นามสกุลจริง":'), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "fill_form" in row)
    before = len(httpx.get(f"{lec.url}/_mock/state").json()["students"])
    data = write_children(tmp_path / "kids.xlsx", children(5, seed=91))

    result = cli.invoke(app, ["run", "lec/students", "--data", str(data)])

    assert result.exit_code == 1, result.output
    assert f"lec/student_form line {line}" in result.output
    assert "edubot probe lec/students" in result.output
    assert "3 of 5 record(s) done" in result.output
    report = json.loads(next((own.parent).rglob("report.json")).read_text(encoding="utf-8"))
    assert [r["status"] for r in report["records"]][:3] == ["failed"] * 3
    assert len(httpx.get(f"{lec.url}/_mock/state").json()["students"]) == before
