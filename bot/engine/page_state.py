"""What the page shows now, or soon: `when:` conditions, `expect:` waits, `reject_on:` error
boxes. Playwright's own visibility test and waits decide; nothing here sleeps."""

from __future__ import annotations

import fnmatch
import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from bot.engine.locate import locate
from bot.engine.state import RunState, StepState, Unknown
from bot.errors import PortalRejected, RunStopped, StepFailed
from bot.flow.binding import Bindings
from bot.flow.model import Condition, Expect, Locator, RejectOn
from bot.i18n import say
from bot.portals.lec.rpt318 import differing_fields

# The HTTP status of the page's current document, from its navigation timing (0: unknown).
_DOCUMENT_STATUS_JS = "() => performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0"


def document_status(page: Page) -> int:
    """The HTTP status of the page's current document (0 when the browser cannot tell).

    Read from the page's own navigation timing, and only when a step needs it (an error box
    is showing), rather than by a `response` listener that Python would run on every page.
    """
    status = page.evaluate(_DOCUMENT_STATUS_JS)
    return status if isinstance(status, int) else 0


def condition_holds(
    page: Page, cond: Condition, b: Bindings, state: StepState, run: RunState | None = None
) -> bool:
    """Test a `when:` condition on the page as it is now (no waiting)."""
    if cond.changed is not None:
        return state.changed == cond.changed
    if cond.record is not None:
        copy = (run or RunState()).portal_copy(b.record)
        if isinstance(copy, Unknown):
            return False
        if copy is None:
            return cond.record == "absent"
        differs = bool(differing_fields(b.record or {}, copy))
        return cond.record == ("different" if differs else "equal")
    if cond.url is not None:
        return fnmatch.fnmatch(page.url, b.text(cond.url))
    # "Not on the page" means nothing until the page is all there: a busy portal shows the
    # top of a page before its bottom arrives.
    page.wait_for_load_state("domcontentloaded")
    wanted = cond.visible if cond.visible is not None else cond.not_visible
    assert wanted is not None
    shown = first_visible(page, wanted, b)
    if not shown and cond.anchor is not None:
        _require_anchor(page, cond.anchor, wanted, b)
    return shown == (cond.visible is not None)


def _require_anchor(page: Page, anchors: tuple[Locator, ...], absent: Locator, b: Bindings) -> None:
    """Believe an absence only on a page that positively shows one of its anchors."""
    try:
        if any(first_visible(page, anchor, b) for anchor in anchors):
            return
    except PlaywrightError:
        pass  # a page that cannot even be asked is not recognised either
    named = " / ".join(anchor.describe() for anchor in anchors)
    raise StepFailed(
        say(
            f"ไม่รู้จักหน้านี้: ไม่พบ {named} จึงตัดสินจากการไม่พบ {absent.describe()} ไม่ได้ ยังไม่ได้กดอะไร",
            f"the page was not recognised: none of {named} is visible, so the absence of "
            f"{absent.describe()} proves nothing; nothing was pressed here",
        )
    )


def first_visible(page: Page, loc: Locator, b: Bindings) -> bool:
    """Whether any element the locator finds is visible now (a hidden template of an error box
    before the shown one does not hide it)."""
    return locate(page, loc, b).filter(visible=True).first.is_visible()


def reject_on(page: Page, step: RejectOn, b: Bindings) -> None:
    """Fail the record with the portal's own words when its error box shows."""
    shown = locate(page, step.locator, b).filter(visible=True).first
    if not shown.is_visible():
        return
    text, status = " ".join(shown.inner_text().split()), document_status(page)
    if status >= 500:  # the server failed, it did not refuse: worth another try
        raise StepFailed(f"the portal answered {status}: {text}")
    if step.stop == "run":
        raise RunStopped(text)
    raise PortalRejected(text)


def wait_for(page: Page, step: Expect, b: Bindings, timeout: int) -> None:
    """Wait until the page shows what the step expects (the first of `any`), or time out."""
    # `wait_for` is told by the page the moment the element shows; `expect` would re-check on
    # a 100/250/500 ms back-off, which costs a few hundred ms on every page that is still
    # loading when the step starts.
    if step.any is not None:
        first, *rest = (locate(page, loc, b) for loc in step.any)
        for other in rest:
            first = first.or_(other)
        first.filter(visible=True).first.wait_for(state="visible", timeout=timeout)
    elif step.visible is not None:
        shown = locate(page, step.visible, b).filter(visible=True)
        shown.first.wait_for(state="visible", timeout=timeout)
    elif step.not_visible is not None:
        expect(locate(page, step.not_visible, b)).to_have_count(0, timeout=timeout)
    else:
        assert step.url is not None
        pattern = re.compile(fnmatch.translate(b.text(step.url)))
        expect(page).to_have_url(pattern, timeout=timeout)
