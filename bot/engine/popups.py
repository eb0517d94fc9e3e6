"""The `popup` step: read the portal's message box, judge it, press its button.

Portals built on a vendor framework answer a save in a message box, not in the page: a
SweetAlert-style popup (an element with role=dialog, `.swal2-popup`, `.sweet-alert`, a Bootstrap
modal) with a title, a text and a ตกลง button, or a native `alert`/`confirm`. The step waits for
one, reads its words and decides, in this order:

- words of `errors:` → the record fails with the portal's own words; nothing is pressed;
- words of `expect:` → it went well; `press:` is pressed and the popup has to close;
- anything else → not accepted blindly: nothing is pressed (a native dialog is dismissed) and
  the record fails, naming the text and the flow line, so the flow can be taught the message.

A native dialog is answered here only when it opens while the step waits; one that a click opens
is answered by that click's `dialog:` (see `bot.engine.actions`).
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import Any, Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from bot.errors import PortalRejected, StepFailed
from bot.flow.binding import Bindings
from bot.flow.model import Popup
from bot.i18n import say
from bot.log import redact

# What a person recognises as a message box. `:visible`: the framework keeps its (hidden) popup
# and logout question in every page.
POPUP_CSS = (
    ":is([role=dialog], [role=alertdialog], .swal2-popup, .sweet-alert, .modal.show):visible"
)
# The box's title and text, where the usual libraries put them; else its whole text, buttons
# left out.
_WORDS_JS = """box => {
  const pick = sel => [...box.querySelectorAll(sel)].map(e => e.innerText).join(' ');
  const title = pick('.swal2-title, .sweet-alert h2, .modal-title, [role=heading], h1, h2, h3');
  const text = pick('.swal2-html-container, .swal2-content, .sweet-alert p, .modal-body');
  if ((title + text).trim()) return title + ' ' + text;
  const copy = box.cloneNode(true);
  copy.querySelectorAll('button, [role=button], input').forEach(e => e.remove());
  return copy.innerText;
}"""
# How long one look for a message box lasts before the step checks for a native dialog again:
# a native dialog stops the page's scripts, so a look at the page cannot see it.
_LOOK_MS = 200

Verdict = Literal["ok", "error", "unexpected"]


@dataclass(frozen=True)
class Judged:
    words: str  # the popup's title and text, spacing tidied
    verdict: Verdict


def judge(words: str, expect: list[str], errors: list[str]) -> Judged:
    """Errors first: an error text may hold a success word (ไม่สามารถบันทึกข้อมูลได้)."""
    said = " ".join(words.split())
    if any(" ".join(e.split()) in said for e in errors):
        return Judged(said, "error")
    if any(" ".join(e.split()) in said for e in expect):
        return Judged(said, "ok")
    return Judged(said, "unexpected")


def answer_popup(page: Page, step: Popup, b: Bindings, timeout_ms: int) -> None:
    """Wait for the popup, judge it, and press its button only when it says what was expected."""
    expect = [b.text(text) for text in step.expect]
    errors = [b.text(text) for text in step.errors]
    press = b.text(step.press)
    natives: list[Any] = []

    def hold(dialog: Any) -> None:
        natives.append(dialog)  # answered below, once judged; the page waits until then

    page.on("dialog", hold)
    box = None
    try:
        box = _wait_for_box(page, natives, timeout_ms, expect)
        if box is None:
            _answer_native(natives[0], step, expect, errors)
            return
        words = str(box.evaluate(_WORDS_JS))
        judged = judge(words, expect, errors)
        _refuse_unless_ok(step, judged)
        button = box.get_by_role("button", name=press, exact=True)
        if button.count() == 0:
            shown = ", ".join(
                " ".join(t.split()) for t in box.get_by_role("button").all_inner_texts()
            )
            raise StepFailed(
                f"{step.describe()} "
                + say(
                    f"(บรรทัด {step.line}): กล่องข้อความไม่มีปุ่ม “{press}” ปุ่มที่มี: {shown or 'ไม่มี'}",
                    f"on line {step.line}: the popup has no button “{press}”; "
                    f"its buttons: {shown or 'none'}",
                )
            )
        handle = box.element_handle()
        button.first.click(timeout=timeout_ms)
        try:
            handle.wait_for_element_state("hidden", timeout=timeout_ms)
        except PlaywrightError:
            if not _left_with_its_page(handle):
                raise  # still shown: the press did not close it
    finally:
        page.remove_listener("dialog", hold)
        for late in natives[1:] if box is None else natives:
            _dismiss(late)  # opened while a box was being answered: never left holding the page


def _wait_for_box(page: Page, natives: list[Any], timeout_ms: int, expect: list[str]) -> Any:
    """The first message box shown (a Playwright locator), or None when a native dialog came."""
    boxes = page.locator(POPUP_CSS)
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        if natives:
            return None
        left_ms = int((deadline - time.monotonic()) * 1000)
        if left_ms <= 0:
            raise StepFailed(
                say(
                    f"ไม่มีกล่องข้อความขึ้นภายใน {timeout_ms} ms โฟลว์คาดว่าจะเห็น “{' / '.join(expect)}”",
                    f"no popup appeared within {timeout_ms} ms; the flow expected one saying "
                    f"“{' / '.join(expect)}”",
                )
            )
        try:
            boxes.first.wait_for(state="visible", timeout=min(_LOOK_MS, left_ms))
            return boxes.first
        except PlaywrightError:
            continue  # not yet, or the page is held by a native dialog: look again


def _left_with_its_page(handle: Any) -> bool:
    """Whether a box is gone because its page is: a press that leaves the page (the logout
    question's ยืนยัน) takes the box along, and its handle can no longer be asked."""
    try:
        return not handle.is_visible()
    except PlaywrightError:
        return True


def _dismiss(dialog: Any) -> None:
    with contextlib.suppress(PlaywrightError):  # the page went away with it
        dialog.dismiss()


def _answer_native(dialog: Any, step: Popup, expect: list[str], errors: list[str]) -> None:
    judged = judge(str(dialog.message), expect, errors)
    if judged.verdict == "ok":
        dialog.accept()
        return
    dialog.dismiss()  # a question not expected is never answered yes
    _refuse_unless_ok(step, judged)


def _refuse_unless_ok(step: Popup, judged: Judged) -> None:
    words = redact(judged.words)
    expected = " / ".join(step.expect)
    if judged.verdict == "error":
        raise PortalRejected(words)
    if judged.verdict == "unexpected":
        raise PortalRejected(
            say(
                f"ระบบแสดงข้อความที่โฟลว์ไม่ได้คาดไว้ จึงไม่กดอะไร (บรรทัด {step.line})",
                f"line {step.line}: the portal showed a message the flow does not expect, so "
                "nothing was pressed",
            )
            + f": “{words}”. "
            + say(
                f"โฟลว์คาดว่า “{expected}” ถ้าข้อความนี้ปกติหรือเป็นข้อผิดพลาด ให้เพิ่มใน "
                "`expect:` หรือ `errors:` ของขั้นตอน popup",
                f"It expected “{expected}”. If this message is fine or an error, add it to the "
                "popup step's `expect:` or `errors:`",
            )
        )
