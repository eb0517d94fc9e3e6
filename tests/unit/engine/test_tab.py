"""The real tab's own duties, on a fake Playwright page: a fresh tab every N page loads and
after a crash; the session watch's 401 and alert; an idle dialog never left hanging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from playwright.sync_api import Page

from bot.engine.session import SessionWatch, words_of
from bot.engine.tab import RELOAD_AFTER_LOADS, PlaywrightTab
from bot.portals.lec.commands import COMMANDS as LEC_COMMANDS
from bot.portals.lec.session_words import WORDS
from bot.portals.session_words import SessionWords

# e401.jsp's alert as the browser hands it over: the `\n` of the JavaScript string is a newline.
ALERT_401 = "ไม่ได้ใช้งานเกินเวลา!!! \n กรุณา login ใหม่"


class _Context:
    def __init__(self) -> None:
        self.pages: list[_Page] = []

    def new_page(self) -> _Page:
        self.pages.append(_Page(self))
        return self.pages[-1]


class _Page:
    def __init__(self, context: _Context) -> None:
        self.context = context
        self.handlers: dict[str, list[Callable[[Any], None]]] = {}
        self.closed = False
        self.main_frame = _Frame(None)
        self.visited: list[str] = []
        self.settled = False  # its load was waited for (a close mid-navigation can hang)

    def on(self, event: str, handler: Callable[[Any], None]) -> None:
        self.handlers.setdefault(event, []).append(handler)

    def emit(self, event: str, value: Any) -> None:
        for handler in self.handlers.get(event, []):
            handler(value)

    def close(self) -> None:
        assert self.settled, "closed while its navigation may still be committing"
        self.closed = True

    def wait_for_load_state(self, timeout: float) -> None:
        self.settled = True

    def goto(self, url: str) -> None:
        self.visited.append(url)
        self.emit("request", _Request(True, self.main_frame, "GET", url))


class _Frame:
    def __init__(self, parent: _Frame | None) -> None:
        self.parent_frame = parent


class _Request:
    def __init__(self, navigation: bool, frame: _Frame, method: str = "GET", url: str = "") -> None:
        self.navigation, self.frame, self.method, self.url = navigation, frame, method, url

    def is_navigation_request(self) -> bool:
        return self.navigation


class _Response:
    def __init__(self, status: int, navigation: bool = True, frame: _Frame | None = None):
        self.status, self.url = status, "http://127.0.0.1:1/school/home.do"
        self.request = _Request(navigation, frame or _Frame(None))


class _Dialog:
    def __init__(self, message: str, type: str = "alert") -> None:
        self.message, self.type = message, type
        self.answer = ""

    def accept(self) -> None:
        self.answer = "accepted"

    def dismiss(self) -> None:
        self.answer = "dismissed"


def _tab(renew_every: int = 0) -> tuple[PlaywrightTab, _Context]:
    context = _Context()
    return PlaywrightTab(cast(Page, context.new_page()), renew_every, WORDS), context


def _page(tab: PlaywrightTab) -> _Page:
    return cast(_Page, tab.page)


# --- fresh tabs -------------------------------------------------------------------------------


def test_a_tab_serves_its_budget_of_page_loads_then_a_fresh_one_takes_over() -> None:
    tab, context = _tab(renew_every=3)
    for n in range(7):
        tab.before_page_load()
        _page(tab).goto(f"http://127.0.0.1:1/page{n}.do")
    assert len(context.pages) == 3  # loads 1-3, 4-6, 7
    assert [p.closed for p in context.pages] == [True, True, False]
    assert _page(tab) is context.pages[-1]


def test_zero_means_one_tab_for_the_whole_run() -> None:
    tab, context = _tab(renew_every=0)
    for n in range(50):
        tab.before_page_load()
        _page(tab).goto(f"http://127.0.0.1:1/page{n}.do")
    assert len(context.pages) == 1


def _click_through(tab: PlaywrightTab, loads: int) -> None:
    """Form posts answered by pages, as a framework portal's buttons make them."""
    for _ in range(loads):
        _page(tab).emit("request", _Request(True, _page(tab).main_frame, "POST", LIST))


LIST = "http://127.0.0.1:1/student/student.do"


def test_pages_reached_by_clicks_wear_a_tab_out_and_a_record_starts_on_a_fresh_one() -> None:
    """No `goto` renews a tab whose flow follows links and posts forms: a record starts in a
    fresh tab once the old one served RELOAD_AFTER_LOADS loads, reloading the list a GET
    showed (one request), and not before."""
    tab, context = _tab(renew_every=6)
    _page(tab).emit("request", _Request(True, _page(tab).main_frame, "GET", LIST))
    _click_through(tab, RELOAD_AFTER_LOADS - 2)
    tab.before_record()
    assert len(context.pages) == 1  # 99 loads: not yet
    _click_through(tab, 1)
    tab.before_record()
    assert len(context.pages) == 2 and context.pages[0].closed
    assert _page(tab).visited == [LIST]
    tab.before_record()  # the reload was its first load
    assert len(context.pages) == 2


def test_a_worn_tab_no_get_ever_showed_is_kept_rather_than_left_blank() -> None:
    tab, context = _tab()
    _click_through(tab, RELOAD_AFTER_LOADS + 5)
    tab.before_record()
    assert len(context.pages) == 1


def test_a_retry_starts_in_a_fresh_tab_that_is_watched() -> None:
    """Whatever the failed try left on screen (a popup over the list, a crashed renderer)
    is gone: the old tab is closed before the new one opens."""
    tab, context = _tab()
    _page(tab).emit("crash", tab.page)
    tab.before_retry()
    assert len(context.pages) == 2 and context.pages[0].closed and not context.pages[1].closed
    _page(tab).emit("response", _Response(401))  # the fresh tab's session is watched too
    assert tab.logged_out() is not None
    tab.before_retry()  # a live tab too: its page is unknown after a failure
    assert len(context.pages) == 3 and context.pages[1].closed


def test_the_fresh_tab_reopens_the_last_page_a_get_showed_never_a_post_or_a_storing_command() -> (
    None
):
    """As a person reloads: the list reached by its link, not the form a POST answered, and
    not a GET whose `cmd` stores (LEC's framework runs those like a form's)."""
    context = _Context()
    tab = PlaywrightTab(cast(Page, context.new_page()), 0, WORDS, LEC_COMMANDS)
    main = _page(tab).main_frame
    base = "http://127.0.0.1:1/student/student.do"
    for method, url in [
        ("GET", f"{base}?cmd=list"),
        ("POST", base),  # cmd=goCreate in its body: the form, not asked for again
        ("GET", f"{base}?cmd=doDelete&id=3"),  # stores: never asked for again
    ]:
        _page(tab).emit("request", _Request(True, main, method, url))
    _page(tab).emit("request", _Request(True, _Frame(main), "GET", "http://x/frame.html"))
    tab.before_retry()
    assert _page(tab).visited == [f"{base}?cmd=list"]


def test_a_tab_that_was_shown_nothing_by_a_get_stays_blank() -> None:
    tab, _context = _tab()
    _page(tab).emit("request", _Request(True, _page(tab).main_frame, "POST", "http://x/login.do"))
    tab.before_retry()
    assert _page(tab).visited == []


# --- the session watch ------------------------------------------------------------------------


def test_a_401_for_the_page_itself_means_logged_out_until_forgotten() -> None:
    tab, _ = _tab()
    _page(tab).emit("response", _Response(200))
    assert tab.logged_out() is None
    _page(tab).emit("response", _Response(401))
    assert "HTTP 401" in str(tab.logged_out())
    tab.forget_logout()
    assert tab.logged_out() is None


@pytest.mark.parametrize(
    "response",
    [_Response(401, navigation=False), _Response(401, frame=_Frame(_Frame(None)))],
    ids=["an-xhr", "a-frame-inside-the-page"],
)
def test_a_401_for_something_else_than_the_page_is_not_a_logout(response: _Response) -> None:
    tab, _ = _tab()
    _page(tab).emit("response", response)
    assert tab.logged_out() is None


def test_the_portals_expiry_alert_means_logged_out_and_is_dismissed_not_left_hanging() -> None:
    tab, _ = _tab()
    alert = _Dialog(ALERT_401)
    _page(tab).emit("dialog", alert)
    assert alert.answer == "dismissed"
    assert "ไม่ได้ใช้งานเกินเวลา" in str(tab.logged_out())


def test_a_dialog_nobody_waits_for_is_dismissed_and_says_nothing_about_the_session() -> None:
    tab, _ = _tab()
    question, leaving = _Dialog("ยืนยันการลบข้อมูล", "confirm"), _Dialog("", "beforeunload")
    _page(tab).emit("dialog", question)
    _page(tab).emit("dialog", leaving)
    assert question.answer == "dismissed"  # never agreed to blindly
    assert leaving.answer == "accepted"  # leaving a page is allowed, as Playwright does
    assert tab.logged_out() is None


def test_while_a_click_answers_its_own_dialog_the_watch_only_notes() -> None:
    watch = SessionWatch(WORDS)
    watch.answering_elsewhere = True
    alert = _Dialog(ALERT_401)
    watch._on_dialog(cast(Any, alert))
    assert alert.answer == "" and watch.ended is not None  # the click's handler answers it


# --- the portal's words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        ALERT_401,
        "ไม่ได้ใช้งานเกินเวลา!!! \\n กรุณา login ใหม่",  # the JavaScript escape left as typed
        "ไม่ได้ใช้งานระบบเกินเวลาที่กำหนด กรุณาเข้าสู่ระบบอีกครั้ง",  # 00505
    ],
)
def test_lec_words_for_an_ended_session(said: str) -> None:
    assert words_of("lec").session_expired(said)
    assert not words_of("lec").session_expired("บันทึกข้อมูลเรียบร้อย")


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("รหัสผู้ใช้ถูกระงับการใช้งาน", "00513"),
        ("รหัสผ่านหมดอายุ", "00520"),
        ("กรุณาเปลี่ยนรหัสผ่าน เพื่อเริ่มต้นการใช้งาน", "00521"),
        ("รหัสผ่านไม่ถูกต้อง", None),  # 00512: a wrong password, not the account's state
        ("ไม่พบรหัสผู้ใช้ในระบบ", None),  # 00510
    ],
)
def test_lec_words_for_accounts_it_will_not_let_in(said: str, code: str | None) -> None:
    state = words_of("lec").account_state(said)
    assert (state.code if state else None) == code


def test_a_portal_without_a_table_matches_nothing() -> None:
    assert words_of("esar") == SessionWords()
    assert not words_of("esar").session_expired(ALERT_401)
