"""Clicks: one press through Playwright's own click, a native dialog answered only when it says
what the flow expects, and, for irreversible clicks, where to read whether one took effect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page
from playwright.sync_api import Locator as PwLocator

from bot.engine.locate import locate
from bot.engine.state import ActionEnv, StepState
from bot.errors import OutcomeUnknown, PortalRejected, SafetyError
from bot.flow.binding import Bindings
from bot.flow.model import Click
from bot.i18n import say
from bot.log import redact


def click(
    page: Page, step: Click, env: ActionEnv, b: Bindings, timeout: int, state: StepState
) -> None:
    """Press the element once. Playwright waits until it is visible, enabled, still and not
    covered, and cancels a press that would land on anything else; the press itself is made
    once and never repeated here (the runner never repeats an irreversible one either)."""
    if step.irreversible and not env.allow_irreversible:
        raise SafetyError(
            f"{step.describe()} is irreversible and this run was not started with --confirm; "
            "nothing was pressed."
        )
    if step.irreversible:
        if env.run.presses.done(step, b):
            return  # the portal showed this very press took effect: it is done, not redone
        if not env.run.presses.claim(step, b):
            raise OutcomeUnknown(already_pressed(step, b))
        # From here on the request may leave at any moment: a failure is an unknown outcome.
        state.pressed = (step, b)
    refused: list[str] = []  # the words of a dialog that was not the one expected
    on_dialog = _dialog_answer(step, b, refused)
    if on_dialog is not None:
        page.once("dialog", on_dialog)
    try:
        press_once(page, locate(page, step.locator, b), timeout)
    finally:
        if on_dialog is not None:
            page.remove_listener("dialog", on_dialog)  # a later dialog is not this click's
    if refused:
        raise PortalRejected(
            f"{step.describe()}: "
            + say(
                f"กล่องยืนยันถามว่า “{redact(refused[0])}” "
                f"ไม่ใช่ “{step.expected_dialog}” จึงตอบยกเลิก ไม่มีการกด",
                "the portal's dialog asked something else, so it was dismissed and nothing "
                "was pressed",
            )
        )


# Chromium runs a form submission that a click handler asked for (`onclick="form.submit()"`, as
# the vendor framework's `doCmd` buttons do) in a task of its own, a moment after the click, and
# Playwright's click may return before that navigation is requested; the next step would then
# read, or fill, the page that is leaving. So a `navigate` listener is armed before the press,
# and asked a few tasks after it whether the page is leaving (a `javascript:` link runs its
# script in one task, and the form that script submits navigates in the next).
_ARM_JS = """() => {
  window.__edubotLeaving = false;
  if (window.navigation) {
    navigation.addEventListener('navigate', () => { window.__edubotLeaving = true; }, {once: true});
  }
}"""
_LEAVING_JS = """() => new Promise(done => {
  const later = (turns, then) => setTimeout(() => (turns ? later(turns - 1, then) : then()), 0);
  later(2, () => done(window.__edubotLeaving));
})"""


def press_once(page: Page, target: PwLocator, timeout: int) -> None:
    """Playwright's click, made once; returns when a navigation it set off has committed."""
    main = page.main_frame
    committed: list[Frame] = []

    def on_navigated(frame: Frame) -> None:
        if frame == main:
            committed.append(frame)

    page.on("framenavigated", on_navigated)
    try:
        page.evaluate(_ARM_JS)
        target.click(timeout=timeout)
        if committed:
            return  # Playwright saw the navigation start and waited for the new page
        try:
            leaving = page.evaluate(_LEAVING_JS) is True
        except PlaywrightError:
            leaving = True  # the document went away while asked: it left, or is leaving
        if leaving and not committed:
            page.wait_for_event("framenavigated", lambda frame: frame == main, timeout=timeout)
    finally:
        page.remove_listener("framenavigated", on_navigated)


def _dialog_answer(step: Click, b: Bindings, refused: list[str]) -> Callable[[Any], None] | None:
    """The handler that answers the dialog a click opens; a dialog not expected is dismissed."""
    if step.dialog is None:
        return None
    expected = b.text(step.expected_dialog) if step.expected_dialog is not None else None

    def on_dialog(dialog: Any) -> None:
        said = " ".join(str(dialog.message).split())
        if expected is not None and " ".join(expected.split()) not in said:
            refused.append(said)
            dialog.dismiss()
        elif step.dialog == "dismiss":
            dialog.dismiss()
        else:
            dialog.accept()

    return on_dialog


def already_pressed(step: Click, b: Bindings) -> str:
    """Why a second press is refused, and where the officer looks instead."""
    return (
        f"“{step.describe()}” "
        + say(
            f"(บรรทัด {step.line}) ถูกกดไปแล้วหนึ่งครั้งในการรันนี้ จะไม่กดซ้ำ",
            f"on line {step.line} was pressed once in this run already; "
            "edubot never presses it twice",
        )
        + f". {where_to_look(step, b)}"
    )


def outcome_unknown(step: Click, b: Bindings, failure: str) -> str:
    """Why the run stops after an irreversible press whose outcome it could not read back."""
    return (
        say(
            f"ไม่ทราบผลของ “{step.describe()}” (บรรทัด {step.line})",
            f"“{step.describe()}” on line {step.line}",
        )
        + f": {failure}. "
        + say(
            "อ่านสถานะจากระบบไม่ได้ edubot จะไม่กดซ้ำ",
            "the outcome is unknown and the portal's state could not be read; edubot stops "
            "and will not press again",
        )
        + f". {where_to_look(step, b)}"
    )


def where_to_look(step: Click, b: Bindings) -> str:
    """Where the officer reads on the portal whether an irreversible click took effect."""
    verify = step.verify
    if verify is None:  # the loader demands one; said anyway rather than assumed
        return say("ตรวจดูในระบบก่อนรันอีกครั้ง", "check on the portal before running again") + "."
    page = f" {b.text(verify.goto)}" if verify.goto else ""
    seen = redact(b.text(verify.visible.describe()))
    return (
        say(
            f"เปิดหน้า{page or 'เดิม'} ในระบบแล้วดูว่ามี {seen} หรือไม่ ก่อนรันอีกครั้ง",
            f"open{page or ' the page'} on the portal and look for {seen} before running again",
        )
        + "."
    )


def read_back(page: Page, step: Click, b: Bindings, timeout: int) -> bool:
    """After an irreversible click's answer was lost: does the portal show it took effect?"""
    verify = step.verify
    if verify is None:
        return False
    try:
        if verify.goto is not None:
            _open(page, b.text(verify.goto).lstrip("/"))
        locate(page, verify.visible, b).first.wait_for(state="visible", timeout=timeout)
    except PlaywrightError:
        return False
    return True


def _open(page: Page, path: str) -> None:
    """Open the page that shows the outcome. The late answer to the press may still arrive and
    replace this navigation (the portal's own page after the press shows the outcome as well):
    then let that page load and open ours again; whatever is shown last is what `verify` reads."""
    for _ in range(3):
        try:
            page.goto(path, wait_until="domcontentloaded")
            return
        except PlaywrightError:
            page.wait_for_load_state("domcontentloaded")
