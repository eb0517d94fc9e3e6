"""`edubot probe` against the mock LEC on loopback: it walks a flow, changes nothing, and names
what it cannot find with the closest words the page shows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from bot.data.demo import demo_students
from bot.probe.memory import recall
from mock_portals.lec.fw_entity import bean_name
from mock_portals.lec.markup import MARKUPS
from mock_portals.serve import ServedApp
from tests.conftest import mock_state
from tests.e2e.conftest import FLOWS, write_children


@pytest.fixture(params=MARKUPS)
def markup(request: pytest.FixtureRequest) -> str:
    """Both renderings of the mock LEC: the framework's (how LEC is built: a form opens through
    a POST of a read command, `cmd=goCreate`) and the accessible one."""
    name: str = request.param
    return name


OBEC_SCHOOL = "1040010003"  # mock seed: a school of another affiliation under the LGO

pytestmark = pytest.mark.e2e
STUDENTS_FLOW = str(FLOWS / "lec" / "students.yaml")
FORM_FLOW = FLOWS / "lec" / "student_form.yaml"


def _changing_requests(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Requests other than GET made between two counts, by `METHOD path`."""
    grown = {route: n - before.get(route, 0) for route, n in after.items()}
    return {route: n for route, n in grown.items() if n and not route.startswith("GET ")}


# What each rendering posts besides the login when a probe opens the student form: nothing on
# the accessible pages (a link opens it); on the framework's, the add button's read command.
READS = {"accessible": {}, "framework": {"POST /student/student.do": 1}}
# The page of the student form, as the probe remembers it for `edubot doctor`.
FORM_PAGE = {"accessible": "/student/form.do", "framework": "/student/student.do cmd=goCreate"}


def _stored(state: dict[str, Any]) -> dict[str, Any]:
    """The mock's data (children, buildings, schools, confirmations) without its request counts
    and open sessions (a probe ends at a "would press", before the flows' logout: its session
    is left to expire, as a person's closed browser leaves one)."""
    return {key: value for key, value in state.items() if key not in ("requests", "sessions_open")}


def _probe(cli: CliRunner, tmp_path: Path, *extra: str) -> Any:
    return cli.invoke(app, ["probe", STUDENTS_FLOW, "--run-dir", str(tmp_path / "run"), *extra])


def test_probe_walks_the_students_flow_and_sends_nothing_but_the_login(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path, markup: str
) -> None:
    before = mock_state(school_login)
    result = _probe(cli, tmp_path)
    assert result.exit_code == 0, result.output
    after = mock_state(school_login)
    posts = _changing_requests(before["requests"], after["requests"])
    assert posts == {"POST /login.do": 1, **READS[markup]}
    assert _stored(after) == _stored(before)  # no child, building or confirmation stored
    # The save button was found and not pressed; the form's fields were found, not typed.
    assert "would press" in result.output and "บันทึก" in result.output
    assert "57/57 fields found" in result.output
    if markup == "framework":  # the only post besides the login, named with its command
        assert "pressed (it only reads)" in result.output
        assert "it sends cmd=goCreate, which only reads" in result.output
        assert "commands that only read went out: cmd=goCreate)" in result.output
    page = (tmp_path / "run" / "probe.html").read_text(encoding="utf-8")
    assert "ผ่าน" in page and "passed" in page
    # `edubot doctor` learns that a probe passed, and the pages it saw then.
    remembered = recall()["lec"]["lec-students"]
    assert remembered["last_passed"] is True
    assert {"/index.jsp", FORM_PAGE[markup]} <= set(remembered["passed_pages"])


def test_probe_with_the_organisation_choice_sends_the_login_and_the_choice_only(
    cli: CliRunner,
    lec: ServedApp,
    monkeypatch: pytest.MonkeyPatch,
    no_keyring: None,
    tmp_path: Path,
    markup: str,
) -> None:
    monkeypatch.setenv("EDUBOT_LEC_URL", lec.url)
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "lgo")
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
    kids = demo_students(1, seed=5, school_grades=["ประถมศึกษาปีที่ 1"], school_code=OBEC_SCHOOL)
    data = write_children(tmp_path / "kids.xlsx", kids)
    before = mock_state(lec)["requests"]
    result = cli.invoke(
        app,
        ["probe", str(FLOWS / "lec" / "lgo_students.yaml"), "--org", "6400101",
         "--data", str(data), "--run-dir", str(tmp_path / "run")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # The login and the organisation choice (both `POST /login.do` on the mock), and on the
    # framework's pages the read commands the report names (the search, the blank form).
    posts = _changing_requests(before, mock_state(lec)["requests"])
    assert posts.pop("POST /login.do") == 2
    reads = sum(posts.values())
    assert set(posts) <= {"POST /student/student.do"} and bool(reads) == (markup == "framework")
    if reads:
        said = f"{reads} post(s) of commands that only read went out: cmd=list, cmd=goCreate)"
        assert said in result.output, result.output
    assert "would press" in result.output


def test_a_renamed_label_fails_the_probe_naming_the_line_and_the_new_words(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path
) -> None:
    httpx.post(
        f"{school_login.url}/_mock/faults", json={"rename_labels": {"ชื่อ": "ชื่อจริง"}}
    ).raise_for_status()
    result = _probe(cli, tmp_path)
    assert result.exit_code == 1, result.output
    line = next(
        n
        for n, text in enumerate(FORM_FLOW.read_text(encoding="utf-8").splitlines(), start=1)
        if text.strip().startswith('"ชื่อ":')
    )
    missing = [text for text in result.output.splitlines() if f"student_form.yaml:{line}" in text]
    assert missing, result.output
    closest = next(text for text in result.output.splitlines() if "closest on the page" in text)
    # The framework's labels end with a colon (`<label> ชื่อ: </label>`), the other's do not.
    top = closest.split(":", 1)[1].strip()
    assert top.startswith(("“ชื่อจริง”", "“ชื่อจริง:”")), closest
    assert "“ชื่อ”" in result.output


# The seeded children of the mock's municipal school (mock_portals/lec/seed.py), as they show.
SEEDED = ("1409900123454", "G674000000001", "ก้องภพ", "ศรีสุข", "มะลิ", "ใจดี", "สมพร",
          "14/02/2560", "03/09/2561", "0812345678", "0898765432")  # fmt: skip


def test_a_capture_of_the_list_and_the_form_keeps_every_label_and_no_child(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path, markup: str
) -> None:
    from bot.data.records import Student
    from mock_portals.lec.seed import DEMO_STUDENTS

    # The first seeded child with one change: the probe searches the list, opens its form.
    changed = {**DEMO_STUDENTS[0], "room": "2", "school_code": "3040010002"}
    data = write_children(tmp_path / "kids.xlsx", [Student.model_validate(changed)])
    capture = tmp_path / "capture"
    result = _probe(cli, tmp_path, "--data", str(data), "--capture", str(capture))
    assert result.exit_code == 0, result.output
    files = sorted(capture.iterdir())
    # The report and the log of the run are searched too: all of it may be sent.
    for f in files + sorted(p for p in (tmp_path / "run").rglob("*") if p.is_file()):
        raw = f.read_bytes()
        for value in SEEDED:
            assert value.encode("utf-8") not in raw, (f.name, value)
    for png in (f for f in files if f.suffix == ".png"):
        assert _chunks(png.read_bytes()) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND"}
    listing, form = (_captured(capture, markup, page) for page in ("list", "form"))
    labels = [
        line.split('"')[1]
        for line in FORM_FLOW.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith('"')
    ]
    assert len(labels) == 57
    for label in labels:
        assert LABEL[markup].format(label) in form, label
    for key in ("national_id", "first_name", "last_name", "birth_date", "guardian_phone"):
        name = bean_name(key) if markup == "framework" else key
        assert f'name="{name}"' in form, name
    assert SAVE_BUTTON[markup] in form
    for words in ("ค้นหา", EDIT_LINK[markup], "เลขประจำตัวประชาชน", NAME_COLUMN[markup]):
        assert words in listing, words
    # Shapes stay: an ID of 13 digits reads as 13 nines, a birth date as 99/99/9999.
    assert "9999999999999" in listing and 'value="99/99/9999"' in form


# How each rendering writes a form's label, its save button and a row's edit link.
LABEL = {"accessible": ">{}</label>", "framework": "<label> {}: </label>"}
SAVE_BUTTON = {"accessible": ">บันทึก</button>", "framework": "doCmd('doSave')"}
EDIT_LINK = {"accessible": ">แก้ไข</a>", "framework": 'title="แก้ไข"'}
NAME_COLUMN = {"accessible": "ชื่อ-นามสกุล", "framework": "ชื่อ - นามสกุล"}


def _captured(capture: Path, markup: str, page: str) -> str:
    """The HTML of the student list as the flow opened it, or of the child's form.

    The accessible pages have a URL each; the framework serves both at /student/student.do,
    and pages.json says which read command opened the form (the row's แก้ไข: cmd=goUpdate)."""
    pages: list[dict[str, str]] = json.loads((capture / "pages.json").read_text("utf-8"))["pages"]
    if markup == "accessible":
        address = {"list": "/student/list.do", "form": "/student/form.do"}[page]
        chosen = [p for p in pages if p["address"].startswith(address)]
    else:
        opened_by = {"list": "", "form": "cmd=goUpdate"}[page]
        chosen = [
            p
            for p in pages
            if p["address"].startswith("/student/student.do") and p["opened_by"] == opened_by
        ]
    assert chosen, (page, pages)
    return (capture / chosen[0]["html"]).read_text(encoding="utf-8")


def _chunks(png: bytes) -> set[bytes]:
    found, at = set(), 8
    while at + 8 <= len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        found.add(png[at + 4 : at + 8])
        at += 12 + length
    return found


def test_a_refused_login_stops_the_probe_and_says_to_store_the_login_again(
    cli: CliRunner, school_login: ServedApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "not-the-password")
    result = _probe(cli, tmp_path)
    assert result.exit_code == 1, result.output
    assert "edubot login" in result.output
    assert "not-the-password" not in result.output
    assert recall()["lec"]["lec-students"]["last_passed"] is False


def test_an_irreversible_confirmation_is_found_and_never_pressed(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path
) -> None:
    before = mock_state(school_login)
    flow = str(FLOWS / "lec" / "confirm_school.yaml")
    result = cli.invoke(app, ["probe", flow, "--run-dir", str(tmp_path / "run"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    pressed = next(line for line in result.output.splitlines() if "would press" in line)
    assert "ยืนยันข้อมูล" in pressed and "irreversible" in pressed
    after = mock_state(school_login)
    assert _changing_requests(before["requests"], after["requests"]) == {"POST /login.do": 1}
    assert [s["confirmed"] for s in after["schools"]] == [s["confirmed"] for s in before["schools"]]


def test_an_esar_probe_finds_the_file_field_and_uploads_nothing(
    cli: CliRunner,
    esar: ServedApp,
    monkeypatch: pytest.MonkeyPatch,
    no_keyring: None,
    tmp_path: Path,
) -> None:
    from bot.portals.esar.demo import write_demo_manifest

    monkeypatch.setenv("EDUBOT_ESAR_URL", esar.url)
    monkeypatch.setenv("EDUBOT_ESAR_USERNAME", "qa")
    monkeypatch.setenv("EDUBOT_ESAR_PASSWORD", "demo")
    manifest = write_demo_manifest(tmp_path / "sar")
    before = mock_state(esar)
    result = cli.invoke(
        app,
        ["probe", str(FLOWS / "esar" / "upload_sar.yaml"), "--data", str(manifest),
         "--run-dir", str(tmp_path / "run"), "--lang", "en"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "would press" in result.output and 'type="file"' in result.output
    after = mock_state(esar)
    assert after["submissions"] == before["submissions"]
    assert _changing_requests(before["requests"], after["requests"]) == {"POST /login": 1}


def test_doctor_learns_which_page_changed_since_the_last_passing_probe(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path, markup: str
) -> None:
    from bot.ops.doctor_probe import check_probes
    from bot.probe.memory import changed_pages

    assert _probe(cli, tmp_path / "first").exit_code == 0
    assert _probe(cli, tmp_path / "again").exit_code == 0
    assert changed_pages(recall()["lec"]["lec-students"]) == []  # the same pages, the same hashes
    httpx.post(
        f"{school_login.url}/_mock/faults", json={"rename_labels": {"ชื่อ": "ชื่อจริง"}}
    ).raise_for_status()
    assert _probe(cli, tmp_path / "renamed").exit_code == 1
    entry = recall()["lec"]["lec-students"]
    assert changed_pages(entry) == [FORM_PAGE[markup]]
    line = check_probes("lec", recall()["lec"])
    assert line.status == "warn" and FORM_PAGE[markup] in line.detail
