"""The page's own answers (bot/engine/page_script.py) agree with Playwright's, or defer to it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.browser.launch import launch_options
from bot.engine.actions import locate
from bot.engine.page_script import _RULES_JS as RULES_JS
from bot.engine.page_script import first_shown, quick_click, quick_spec, wait_until_shown
from bot.flow.binding import Bindings
from bot.flow.model import Locator
from mock_portals.serve import serve_in_thread

pytestmark = pytest.mark.e2e
NO_BINDINGS = Bindings()


@pytest.fixture(scope="module")
def own_browser() -> Iterator[Browser]:
    """This module's own Playwright and browser, stopped after it: pytest-playwright's would
    keep running in the test thread, and later tests that start edubot in-process could not."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        yield browser
        browser.close()


@pytest.fixture
def tab(own_browser: Browser) -> Iterator[Page]:
    """A fresh page of this module's browser (not pytest-playwright's `page`: see above)."""
    context = own_browser.new_context()
    yield context.new_page()
    context.close()


# Each case: a page, and locators Playwright and the page must agree on.
AGREEMENT: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "<p>บันทึกข้อมูลเรียบร้อย</p><div><span>บันทึก</span>ข้อมูล</div>",
        [{"text": "บันทึกข้อมูลเรียบร้อย"}, {"text": "บันทึก"}, {"text": "ข้อมูล", "exact": False}],
    ),
    (  # hidden ways: display, visibility, no size, a hidden ancestor
        "<p style='display:none'>a</p><p style='visibility:hidden'>b</p>"
        "<p style='width:0;height:0;overflow:hidden'>c</p><div hidden><p>d</p></div><p>e</p>",
        [{"text": t} for t in "abcde"] + [{"css": "p"}, {"css": "div p"}],
    ),
    (  # the innermost element holds the text; script, style and the head's text do not count
        "<div><section><b>สวัสดี</b></section></div><script>'สวัสดี'</script><style>/* สวัสดี */</style>",
        [{"text": "สวัสดี"}, {"text": "สวัส", "exact": False}, {"text": "ไม่มี"}],
    ),
    (  # case and spaces: exact compares spaces normalised, the loose form ignores case too
        "<p>  Save   the\nrecord </p><p>SAVE</p>",
        [{"text": "Save the record"}, {"text": "save", "exact": False}, {"text": "save"}],
    ),
    (  # buttons by name: text, input values, several, hidden ones left out
        "<button>บันทึก</button><input type=submit value='บันทึกและส่ง'>"
        "<button style='display:none'>บันทึก</button><button aria-hidden=true>บันทึก</button>"
        "<input type=button value=ยกเลิก>",
        [
            {"role": "button", "name": "บันทึก"},
            {"role": "button", "name": "บันทึก", "exact": False},
            {"role": "button", "name": "ยกเลิก"},
            {"role": "button", "name": "ลบ"},
            {"role": "button"},
        ],
    ),
    (  # links by name: only with an href; the search page's one row
        "<a href='/student/form.do?id=7'>แก้ไข</a><a>แก้ไข</a><a href=/x hidden>แก้ไข</a>"
        "<a href='/student/form.do'>เพิ่มข้อมูลนักเรียน/เด็กเล็ก</a><p>ไม่พบข้อมูล</p>",
        [
            {"role": "link", "name": "แก้ไข"},
            {"role": "link", "name": "เพิ่มข้อมูล", "exact": False},
            {"role": "link"},
            {"text": "ไม่พบข้อมูล"},
        ],
    ),
    (  # an error box as the portals show one
        "<div class='alert alert-danger'>เลขประจำตัวประชาชนไม่ถูกต้อง</div>",
        [{"css": ".alert-danger"}, {"css": ".alert-success"}],
    ),
]


@pytest.mark.parametrize(("html", "locators"), AGREEMENT)
def test_the_page_finds_what_playwright_finds(
    tab: Page, html: str, locators: list[dict[str, Any]]
) -> None:
    tab.set_content(html)
    for fields in locators:
        loc = Locator(**fields)
        spec = quick_spec(loc, NO_BINDINGS)
        assert spec is not None, fields
        ours = tab.evaluate(_COUNT_JS, spec)
        theirs = locate(tab, loc, NO_BINDINGS)
        assert ours == theirs.count(), fields
        state = first_shown(tab, [spec])["state"]
        expected = "absent" if ours == 0 else ("visible" if theirs.first.is_visible() else "hidden")
        assert state == expected, fields


_COUNT_JS = f"(spec) => {RULES_JS.strip()}.query(spec).length"

UNSURE = [
    ("<button aria-label='บันทึก'>💾</button>", {"role": "button", "name": "บันทึก"}),
    ("<div role=button>บันทึก</div>", {"role": "button", "name": "บันทึก"}),
    ("<button><b>บันทึก</b></button>", {"role": "button", "name": "บันทึก"}),
    ("<label for=s>บันทึก</label><button id=s>ส่ง</button>", {"role": "button", "name": "ส่ง"}),
    ("<input type=submit>", {"role": "button", "name": "Submit"}),
    ("<a href=/x role=button>แก้ไข</a>", {"role": "link", "name": "แก้ไข"}),
    ("<a href=/x><img alt=แก้ไข></a>", {"role": "link", "name": "แก้ไข"}),
    ("<span role=link>แก้ไข</span>", {"role": "link", "name": "แก้ไข"}),
    ("<div style='display:contents'>บันทึก</div>", {"text": "บันทึก"}),
]


@pytest.mark.parametrize(("html", "fields"), UNSURE)
def test_what_aria_or_layout_could_decide_otherwise_is_left_to_playwright(
    tab: Page, html: str, fields: dict[str, Any]
) -> None:
    tab.set_content(html)
    spec = quick_spec(Locator(**fields), NO_BINDINGS)
    assert spec is not None
    assert first_shown(tab, [spec])["state"] == "unsure"
    assert quick_click(tab, spec, 2_000) is False


def test_locators_the_page_cannot_answer_have_no_spec() -> None:
    for fields in (
        {"label": "ชื่อ"},
        {"role": "textbox", "name": "ชื่อ"},
        {"css": "tr", "has_text": "1103702071005"},
        {"role": "button", "name": "แก้ไข", "within": {"css": "tr"}},
        {"placeholder": "ค้นหา"},
        {"testid": "round"},
    ):
        assert quick_spec(Locator(**fields), NO_BINDINGS) is None, fields


def test_reject_on_reads_the_box_text_and_the_page_status(tab: Page, site: str) -> None:
    tab.goto(f"{site}/form")
    tab.evaluate(
        "() => document.body.insertAdjacentHTML('afterbegin',"
        " `<div class='alert-danger'>  ข้อมูล\\n ซ้ำ </div>`)"
    )
    seen = first_shown(tab, [{"css": ".alert-danger"}])
    assert seen == {"state": "visible", "text": "ข้อมูล ซ้ำ", "status": 200}


def test_waiting_sees_an_element_shown_later_and_times_out_like_playwright(tab: Page) -> None:
    tab.set_content(
        "<p id=late hidden>บันทึกข้อมูลเรียบร้อย</p>"
        "<script>setTimeout(() => { late.hidden = false }, 50)</script>"
    )
    assert wait_until_shown(tab, [{"text": "บันทึกข้อมูลเรียบร้อย", "exact": True}], 5_000)
    with pytest.raises(PlaywrightTimeoutError, match="Timeout 300ms exceeded"):
        wait_until_shown(tab, [{"css": ".never"}], 300)
    tab.set_content("<button aria-label=x>บันทึก</button>")
    assert not wait_until_shown(tab, [{"role": "button", "name": "บันทึก"}], 5_000)


def test_the_first_of_several_in_page_order_decides(tab: Page) -> None:
    """`expect: any` is Playwright's `a.or_(b).first`: the earlier element, visible or not."""
    tab.set_content("<p class=err hidden>ผิด</p><p>บันทึกข้อมูลเรียบร้อย</p>")
    either = [{"text": "บันทึกข้อมูลเรียบร้อย"}, {"css": ".err"}]
    assert first_shown(tab, either)["state"] == "hidden"
    theirs = locate(tab, Locator(text="บันทึกข้อมูลเรียบร้อย"), NO_BINDINGS)
    assert not theirs.or_(tab.locator(".err")).first.is_visible()


# --- clicks ---------------------------------------------------------------------------------

FORM = """<!doctype html><meta charset=utf-8>
<form method=post action=/save><input name=n value=1><button>บันทึก</button></form>
<button type=button id=stay onclick="this.textContent = this.textContent + '!'">นับ</button>
<button type=button onclick="location.href = '/done?by=script'">ไปต่อ</button>
<button type=button id=twice>ซ้ำ</button><button type=button>ซ้ำ</button>
<button disabled>ปิด</button>
<a href="/done?by=link">ลิงก์</a>
<form method=post action=/save onsubmit="return confirm('แน่ใจ?')"><button>ยืนยัน</button></form>
<div id=cover style="position:fixed;inset:0;display:none"></div>
<p id=log></p>
<script>
for (const t of ['mousedown', 'click']) addEventListener(t, e => {
  log.textContent += `${t}:${e.target.textContent}:${e.isTrusted};`;
}, true);
</script>
"""


@pytest.fixture
def site() -> Iterator[str]:
    """A form whose save answers after 300 ms, as a busy portal does."""

    async def form(request: Request) -> Response:
        return HTMLResponse(FORM)

    async def save(request: Request) -> Response:
        await asyncio.sleep(0.3)  # the server's latency, not the test's
        return RedirectResponse("/done?by=form", status_code=303)

    async def done(request: Request) -> Response:
        await asyncio.sleep(0.3)
        return HTMLResponse("<meta charset=utf-8><p>บันทึกข้อมูลเรียบร้อย</p>")

    app = Starlette(
        routes=[
            Route("/form", form),
            Route("/save", save, methods=["POST"]),
            Route("/done", done),
        ]
    )
    with serve_in_thread(app) as served:
        yield served.url


def button(name: str) -> dict[str, Any]:
    return {"role": "button", "name": name, "exact": True}


@pytest.mark.parametrize(
    ("spec", "by"),
    [(button("บันทึก"), "form"), (button("ไปต่อ"), "script"), ({"text": "ลิงก์"}, "link")],
)
def test_a_click_that_navigates_returns_once_the_next_page_is_committed(
    tab: Page, site: str, spec: dict[str, Any], by: str
) -> None:
    tab.goto(f"{site}/form")
    assert quick_click(tab, spec, 10_000)
    assert tab.url == f"{site}/done?by={by}"  # the server took 300 ms; the click waited


def test_a_click_that_stays_returns_at_once_with_a_real_mouse_click(tab: Page, site: str) -> None:
    tab.goto(f"{site}/form")
    assert quick_click(tab, button("นับ"), 60_000)  # waiting for a navigation would time out
    assert quick_click(tab, button("นับ!"), 60_000)
    assert tab.url == f"{site}/form"
    assert tab.locator("#stay").inner_text() == "นับ!!"
    assert tab.locator("#log").inner_text() == (
        "mousedown:นับ:true;click:นับ:true;mousedown:นับ!:true;click:นับ!:true;"
    )


def test_a_confirm_dialog_is_answered_by_the_step_s_handler(tab: Page, site: str) -> None:
    tab.goto(f"{site}/form")
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    tab.once("dialog", answer)
    assert quick_click(tab, button("ยืนยัน"), 10_000)
    assert asked == ["แน่ใจ?"] and tab.url == f"{site}/done?by=form"


@pytest.mark.parametrize("name", ["ซ้ำ", "ปิด", "ไม่มี"])
def test_several_disabled_or_missing_are_left_to_playwright_untouched(
    tab: Page, site: str, name: str
) -> None:
    tab.goto(f"{site}/form")
    assert quick_click(tab, button(name), 2_000) is False
    assert tab.locator("#log").inner_text() == ""


def test_a_covered_button_is_not_pressed(tab: Page, site: str) -> None:
    """Covered when looked at: left to Playwright, which waits for the cover to go."""
    tab.goto(f"{site}/form")
    tab.evaluate("() => { cover.style.display = 'block' }")
    assert quick_click(tab, button("นับ"), 2_000) is False
    assert tab.locator("#log").inner_text() == ""


def test_a_press_that_lands_elsewhere_is_cancelled_and_reported(tab: Page, site: str) -> None:
    """Covered between the look and the press (a layout shift): the guard cancels the press
    before the page acts on it, and Playwright is asked instead."""
    tab.goto(f"{site}/form")
    tab.evaluate(
        "() => { cover.onclick = () => { log.textContent += 'cover acted;' };"
        " addEventListener('pointermove', () => { cover.style.display = 'block' },"
        " {once: true, capture: true}) }"
    )
    assert quick_click(tab, button("นับ"), 2_000) is False
    assert tab.locator("#stay").inner_text() == "นับ"
    assert "cover acted" not in tab.locator("#log").inner_text()
    assert "click::true" in tab.locator("#log").inner_text()  # the press did land on the cover
