"""The guard's rule on LEC, whose framework names what a request does in its `cmd`: only the
commands that read pass outside the login, and the walk presses only a button whose whole
script sends one of them."""

from __future__ import annotations

import pytest

from bot.portals.lec.commands import COMMANDS
from bot.probe.guard import RequestGuard

FORM = "application/x-www-form-urlencoded"
PAGE = "https://lec.dla.go.th/student/student.do"


@pytest.mark.parametrize(
    "body",
    [
        "cmd=goCreate&data_index=",
        "cmd=goUpdate&data_index=0",
        "cmd=list&searchCondition.keyword=1409900123454&searchCondition.position=0",
        "cmd=listAll",
    ],
)
def test_a_post_of_a_read_command_passes(body: str) -> None:
    assert RequestGuard(COMMANDS).admits("POST", PAGE, body, FORM)


@pytest.mark.parametrize(
    "body",
    [
        "cmd=doSave&formData.nationalId=1409900123454",
        "cmd=doUpdate",
        "cmd=doDelete&data_index=0",
        "cmd=doConfirm",
        "cmd=goCreate&cmd=doSave",  # one read and one not: Struts may take either
        "cmd=",
        "formData.firstName=x",  # no command at all: what it does is not known
        "",
    ],
)
def test_a_post_of_any_other_command_is_stopped(body: str) -> None:
    assert not RequestGuard(COMMANDS).admits("POST", PAGE, body, FORM)


def test_a_body_the_guard_cannot_read_is_stopped_whatever_it_says() -> None:
    multipart = "multipart/form-data; boundary=x"
    body = '--x\r\nContent-Disposition: form-data; name="cmd"\r\n\r\ngoCreate\r\n--x--'
    assert not RequestGuard(COMMANDS).admits("POST", PAGE, body, multipart)


def test_a_command_in_the_query_counts_as_one_in_the_form() -> None:
    guard = RequestGuard(COMMANDS)
    assert guard.admits("GET", f"{PAGE}?cmd=exportExcel")
    assert guard.admits("GET", PAGE)  # a GET naming no command only reads
    assert not guard.admits("GET", f"{PAGE}?cmd=doDelete&data_index=0")
    assert not guard.admits("POST", f"{PAGE}?cmd=doSave", "cmd=goCreate", FORM)


def test_a_download_beside_the_browser_meets_the_guard_and_is_named() -> None:
    guard = RequestGuard(COMMANDS)
    assert guard.admits_beside(f"{PAGE}?cmd=exportExcel")
    assert not guard.admits_beside(f"{PAGE}?cmd=doDelete&data_index=1409900123454")
    # Named by its path and command only: the query's values never reach the report.
    assert guard.stopped == ["GET /student/student.do cmd=doDelete"]


def test_the_login_may_post_its_own_commands() -> None:
    guard = RequestGuard(COMMANDS)
    login = "https://lec.dla.go.th/login.do"
    assert not guard.admits("POST", login, "cmd=doSetNode&orgId=6400101", FORM)
    with guard.logging_in():
        assert guard.admits("POST", login, "cmd=doSetNode&orgId=6400101", FORM)


@pytest.mark.parametrize(
    ("script", "command"),
    [
        ("doCmd('goCreate')", "goCreate"),
        ("javascript:doCmd('goUpdate', 3)", "goUpdate"),
        ('doCmd("goView", 0);', "goView"),
        ("doGoto(0)", "list"),
        ("javascript:doGoto(20)", "list"),
        ("doCmd('doSave')", "doSave"),
    ],
)
def test_a_buttons_one_call_names_its_command(script: str, command: str) -> None:
    assert COMMANDS.command_of_script(script) == command


@pytest.mark.parametrize(
    "script",
    [
        "if(validateForm(this.form)) doCmd('doSavePassword')",
        "if(confirm('ยืนยันการเปิดการใช้งาน')) doCmd('goUpdate')",
        "doCmd('goCreate'); doCmd('doSave')",
        "doGoto(this.value)",
        "javascript:doLogout();",
        "submitForm()",
    ],
)
def test_a_script_that_does_more_than_one_known_call_is_not_understood(script: str) -> None:
    assert COMMANDS.command_of_script(script) is None


def test_search_fields_are_the_lists_search_condition() -> None:
    assert COMMANDS.is_search_field("searchCondition.keyword")
    assert not COMMANDS.is_search_field("formData.nationalId")
