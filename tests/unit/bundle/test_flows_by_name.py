"""Flows by name: the officer's copy first, then edubot's own; sub-flows the same way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import bundle, flows_catalogue
from bot.errors import FlowError
from bot.flow.loader import load_flow
from bot.flows_catalogue import (
    AlreadyCopied,
    UnknownFlow,
    copy_flow,
    entries,
    flow_name,
    resolve_flow,
)

SHIPPED = bundle.bundled_flows_dir()


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("lec/students", "lec/students"),
        ("lec/students.yaml", "lec/students"),
        ("flows/lec/students.yaml", "lec/students"),
        ("flows\\lec\\students.yaml", "lec/students"),  # typed on Windows
        ("/abs/lec/students.yaml", None),
        ("C:\\Users\\somchai\\students.yaml", None),  # a Windows path, not a name
        ("D:lec/students.yaml", None),
        ("../lec/students", None),
        ("", None),
    ],
)
def test_flow_name_from_what_was_typed(typed: str, name: str | None) -> None:
    assert flow_name(typed) == name


def test_a_name_and_a_path_give_the_same_shipped_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a folder without flows/, as an installed edubot's officer has
    by_name = resolve_flow("lec/students")
    by_path = resolve_flow("flows/lec/students.yaml")
    assert by_name == by_path == SHIPPED / "lec" / "students.yaml"
    assert load_flow("lec/students").name == load_flow(SHIPPED / "lec/students.yaml").name


def test_an_existing_path_is_taken_as_it_is(tmp_path: Path) -> None:
    own = tmp_path / "lec" / "students.yaml"
    own.parent.mkdir()
    shutil.copy(SHIPPED / "lec" / "login.yaml", own)
    assert resolve_flow(own) == own


def test_an_unknown_name_says_what_comes_closest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FlowError) as caught:
        load_flow("lec/studnts")
    message = str(caught.value)
    assert "lec/students" in message
    assert "edubot flows list" in message


def test_a_copied_and_edited_sub_flow_is_the_one_the_shipped_flow_runs() -> None:
    copy = copy_flow("lec/student_form")
    assert copy == bundle.user_flows_dir() / "lec" / "student_form.yaml"
    text = copy.read_text(encoding="utf-8")
    edited = text.replace("steps:\n", "steps:\n  - goto: edited-by-the-officer.do\n", 1)
    copy.write_text(edited, encoding="utf-8")
    flow = load_flow("lec/students")
    assert "edited-by-the-officer.do" in flow.model_dump_json()
    assert "edited-by-the-officer.do" not in load_flow(SHIPPED / "lec/login.yaml").model_dump_json()


def test_a_copied_flow_still_finds_the_shipped_sub_flows() -> None:
    copy = copy_flow("lec/students")
    assert resolve_flow("lec/students") == copy
    flow = load_flow("lec/students")
    assert flow.path == str(copy)
    assert "index.jsp" in flow.model_dump_json()  # lec/login, shipped, not copied


def test_an_officers_own_flow_elsewhere_may_run_the_shipped_login(tmp_path: Path) -> None:
    own = tmp_path / "mine" / "check_login.yaml"
    own.parent.mkdir()
    own.write_text(
        "name: my-login-check\nportal: lec\nsteps:\n  - run: lec/login\n", encoding="utf-8"
    )
    assert "index.jsp" in load_flow(own).model_dump_json()


def test_copy_refuses_an_unknown_name_and_an_existing_copy() -> None:
    with pytest.raises(UnknownFlow):
        copy_flow("lec/nope")
    copy_flow("lec/save")
    with pytest.raises(AlreadyCopied):
        copy_flow("lec/save")
    copy_flow("lec/save", overwrite=True)  # back to edubot's own, on request


def test_entries_mark_copies_and_a_changed_shipped_flow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = tmp_path / "shipped" / "flows"
    shutil.copytree(SHIPPED, shipped)
    monkeypatch.setattr(flows_catalogue, "bundled_flows_dir", lambda: shipped)
    copy_flow("lec/save")
    listed = {e.name: e for e in entries()}
    assert listed["lec/save"].overridden
    assert not listed["lec/save"].shipped_changed
    assert listed["lec/save"].copied_from_version is not None
    assert not listed["lec/students"].overridden
    assert listed["lec/students"].description.startswith("เพิ่มหรือปรับปรุงข้อมูลนักเรียน")
    # A newer edubot ships a changed lec/save: the copy may miss a fix.
    newer = shipped / "lec" / "save.yaml"
    newer.write_text(newer.read_text(encoding="utf-8") + "# fixed\n", encoding="utf-8")
    assert {e.name: e for e in entries()}["lec/save"].shipped_changed


def test_a_copy_is_byte_for_byte_the_shipped_file_after_its_first_line() -> None:
    copy = copy_flow("lec/login")
    first, rest = copy.read_bytes().split(b"\n", 1)
    assert first.startswith(b"# edubot flows copy: lec/login from edubot ")
    assert rest == (SHIPPED / "lec" / "login.yaml").read_bytes()
