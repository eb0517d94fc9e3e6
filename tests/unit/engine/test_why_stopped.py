"""What the report and terminal say when a run stops outside any record."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot import i18n
from bot.engine.pipeline import why_stopped
from bot.errors import AccountBlocked, LoginRefused, PortalError


@pytest.fixture
def english() -> Iterator[None]:
    i18n.use("en")
    yield
    i18n.use(None)


@pytest.mark.usefixtures("english")
def test_a_refused_login_says_to_store_the_right_password_for_that_portal() -> None:
    said = why_stopped(LoginRefused("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"), "esar")
    assert said.startswith("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง — ")  # the portal's words first
    assert "`edubot login esar`" in said


@pytest.mark.usefixtures("english")
def test_a_blocked_account_keeps_the_portals_words_alone() -> None:
    said = why_stopped(AccountBlocked("บัญชีถูกระงับ"), "lec")
    assert said == "บัญชีถูกระงับ"  # never "edubot login": a person must act on the portal


@pytest.mark.usefixtures("english")
def test_an_unreachable_portal_says_to_check_the_connection_and_run_again() -> None:
    said = why_stopped(PortalError("page.goto: net::ERR_CONNECTION_REFUSED"), "lec")
    assert "check the connection" in said and "goes on where it stopped" in said


def test_in_thai_the_advice_is_thai() -> None:
    i18n.use("th")
    try:
        said = why_stopped(PortalError("Timeout 30000ms exceeded"), "lec")
    finally:
        i18n.use(None)
    assert "ตรวจการเชื่อมต่อ" in said and "check the connection" not in said
