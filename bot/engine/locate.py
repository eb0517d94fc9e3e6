"""Finding what a flow step names, the way a person does, with Playwright's own locators.

A field is found by the words beside it (`label:`), even where the page has no `<label for>`:
the rules live in one small selector engine, `label_engine.js`, registered with Playwright
under the name `edubot_label`, so Playwright's own waiting, strictness and actionability
checks apply to what it finds. Buttons and links are found by their accessible name (text,
value) or by their title, which is all an icon link has to say.

`install(playwright)` must run once per Playwright instance before its first browser context
(bot.engine.pipeline does it for runs; tests do it for their own pages).
"""

from __future__ import annotations

import json
import weakref
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PwLocator
from playwright.sync_api import Page, Playwright, Selectors

from bot.flow.binding import Bindings
from bot.flow.model import Locator
from bot.i18n import say

LABEL_ENGINE = "edubot_label"
LABEL_ENGINE_SOURCE = (Path(__file__).parent / "label_engine.js").read_text(encoding="utf-8")

# The elements that may carry a button's or a link's title, when its own name is an icon.
_TITLED = {
    "button": "button, input[type=button], input[type=submit], input[type=reset], [role=button]",
    "link": "a, [role=link]",
}

_installed: weakref.WeakSet[Selectors] = weakref.WeakSet()


def install(playwright: Playwright) -> None:
    """Register the label engine with this Playwright (once; later calls do nothing)."""
    selectors = playwright.selectors
    if selectors not in _installed:
        selectors.register(LABEL_ENGINE, LABEL_ENGINE_SOURCE)
        _installed.add(selectors)


def label_selector(text: str, exact: bool = True) -> str:
    """The selector of the controls the words `text` name (see label_engine.js)."""
    body = json.dumps({"text": text, "exact": exact}, ensure_ascii=False)
    return f"{LABEL_ENGINE}={body}"


def locate(page: Page, loc: Locator, b: Bindings) -> PwLocator:
    """The Playwright locator for a flow locator, placeholders resolved."""
    scope: Page | PwLocator = locate(page, loc.within, b) if loc.within else page
    found = _by_strategy(scope, loc, b)
    return found.filter(has_text=b.text(loc.has_text)) if loc.has_text else found


def _by_strategy(scope: Page | PwLocator, loc: Locator, b: Bindings) -> PwLocator:
    if loc.role:
        name = b.text(loc.name) if loc.name else None
        found = scope.get_by_role(loc.role, name=name, exact=loc.exact)
        if name and loc.role in _TITLED:  # an icon link says what it does in its title only
            titled = scope.locator(_TITLED[loc.role]).and_(
                scope.get_by_title(name, exact=loc.exact)
            )
            found = found.or_(titled)
        return found
    if loc.label:
        return scope.locator(label_selector(b.text(loc.label), loc.exact))
    if loc.text:
        return scope.get_by_text(b.text(loc.text), exact=loc.exact)
    if loc.placeholder:
        return scope.get_by_placeholder(b.text(loc.placeholder), exact=loc.exact)
    if loc.testid:
        return scope.get_by_test_id(b.text(loc.testid))
    assert loc.css is not None
    return scope.locator(b.text(loc.css))


# How a candidate is named in an error: its tag and the attributes that tell it apart (never a
# typed value: a field may hold a password or a child's data).
DESCRIBE_JS = """
el => {
  const keep = ['name', 'id', 'type', 'href', 'title', 'placeholder', 'aria-label', 'value'];
  const attrs = keep.filter(a => el.hasAttribute(a) && !(a === 'value' && el.tagName === 'INPUT'
      && !['button', 'submit', 'reset'].includes(el.type)))
    .map(a => `${a}="${el.getAttribute(a).trim().slice(0, 40)}"`);
  // The words of buttons, links and labels only: other elements may hold a child's data.
  const text = !['A', 'BUTTON', 'LABEL'].includes(el.tagName) ? ''
    : (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  const tag = el.tagName.toLowerCase();
  return `<${[tag, ...attrs].join(' ')}>${text ? text + `</${tag}>` : ''}`;
}
"""


def not_one(found: list[str], what: str, line: int) -> str:
    """Why a step cannot act when its locator finds no element or several; '' for one.

    Values typed into fields are never named: only tags and attributes that identify them.
    """
    where = f" (บรรทัด/line {line})" if line else ""
    if not found:
        return say(
            f"ไม่พบ {what} ในหน้านี้{where}",
            f"nothing on this page is {what}{where}: no label, text beside it, placeholder or "
            "title says so. Check the words in the flow against the page",
        )
    if len(found) > 1:
        named = " และ/and ".join(found[:2]) + (f" (+{len(found) - 2})" if len(found) > 2 else "")
        return say(
            f"{what} ตรงกับ {len(found)} ช่องในหน้านี้{where}: {named}",
            f"{what} matches {len(found)} elements on this page{where}: {named}; edubot does "
            "not guess. Make the flow's locator narrower (exact words, `within`, `has_text`)",
        )
    return ""


def explain_miss(target: PwLocator, what: str, line: int) -> str:
    """After Playwright failed on `target`: the reason a person reads when it found no element
    or several ('' when it found one, or the page cannot be asked: Playwright's reason stands)."""
    try:
        found: list[str] = target.evaluate_all(f"els => els.map({DESCRIBE_JS.strip()})")
    except PlaywrightError:
        return ""
    return not_one(found, what, line)
