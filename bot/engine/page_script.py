"""Clicks and waits answered by the page's own script, without Playwright's injected script.

Every Playwright locator call first installs Playwright's injected script (~330 KB of source)
in the new document, and a click then checks the element over two animation frames. Per
child that is two documents: ~45 ms of the renderer's main thread for the source alone, and
frames drawn for the checks. A hand-written script entering 100 children the usual way ran at
4.4–4.9 a second; the same clicks and waits done as below, 7.1–8.6 (benchmarks/README.md).

So for the plain cases — a CSS selector, a text, a button or link by its name, none of
them inside another locator — the engine asks the page itself, in one `evaluate`, with
Playwright's own rules (its text engine, its visibility test, strictness: a click needs
exactly one element).
Whenever the page's answer could differ from Playwright's (several matches, an element not
yet there or not clickable, an ARIA name computed from more than plain text, shadow DOM),
these functions say so ('unsure', or False with nothing pressed) and the caller asks
Playwright, which waits, retries and explains as always. They never decide what Playwright
would decide otherwise.
"""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bot.flow.binding import Bindings
from bot.flow.model import Locator

Spec = dict[str, Any]

# Playwright's rules, in the page's main world (packages/injected: normalizeWhiteSpace,
# elementText, the internal text engine, computeBox, isElementStyleVisibilityVisible).
_RULES_JS = r"""
(() => {
  const norm = s => (s || '').replace(/\u200b/g, '').trim().replace(/\s+/g, ' ');
  const skipped = el => ['SCRIPT', 'NOSCRIPT', 'STYLE'].includes(el.nodeName)
    || (document.head && document.head.contains(el));
  const texts = new Map();
  const textOf = el => {
    if (texts.has(el)) return texts.get(el);
    let full = '';
    if (!skipped(el)) {
      if (el instanceof HTMLInputElement && ['submit', 'button', 'reset'].includes(el.type)) {
        full = el.value;
      } else {
        for (let c = el.firstChild; c; c = c.nextSibling) {
          if (c.nodeType === Node.TEXT_NODE) full += c.nodeValue || '';
          else if (c.nodeType === Node.ELEMENT_NODE) full += textOf(c);
        }
      }
    }
    texts.set(el, full);
    return full;
  };
  const matcher = (wanted, exact) => {
    const w = norm(wanted);
    if (exact) return t => norm(t) === w;
    const lower = w.toLowerCase();
    return t => norm(t).toLowerCase().includes(lower);
  };
  // get_by_text: the innermost elements whose text matches (none of their children does).
  const byText = (wanted, exact) => {
    const matches = matcher(wanted, exact);
    const found = [];
    for (const el of document.querySelectorAll('*')) {
      if (el.shadowRoot) return null;  // Playwright looks inside; this does not
      if (skipped(el) || !matches(textOf(el))) continue;
      let child = el.firstElementChild;
      while (child && !matches(textOf(child))) child = child.nextElementSibling;
      if (!child) found.push(el);
    }
    return found;
  };
  const pseudoContent = (el, which) => {
    const content = getComputedStyle(el, which).content;
    return content !== 'none' && content !== 'normal';
  };
  // get_by_role(button or link, name=…) when every candidate's name is its plain text or
  // value; anything ARIA could name (or role) otherwise is Playwright's to judge.
  const NATIVE = {
    button: 'button, input[type=submit], input[type=button], input[type=reset], input[type=image]',
    link: 'a[href], area[href]',
  };
  const byRoleName = (role, wanted, exact) => {
    for (const el of document.querySelectorAll('[role]')) {
      if (el.getAttribute('role').trim().split(/\s+/)[0] === role) return null;
    }
    const matches = wanted === null ? () => true : matcher(wanted, exact);
    const found = [];
    for (const el of document.querySelectorAll(NATIVE[role])) {
      if (el.hasAttribute('role') || el.nodeName === 'AREA' || el.type === 'image') return null;
      if (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby')
          || el.hasAttribute('title') || (el.labels && el.labels.length)) return null;
      const hidden = !el.checkVisibility({visibilityProperty: true});
      if (hidden || el.closest('[aria-hidden="true"]')) continue;
      let name;
      if (el.nodeName === 'INPUT') {
        if (!el.hasAttribute('value')) return null;  // "Submit", "Reset": the browser's words
        name = el.value;
      } else {
        const decorated = pseudoContent(el, '::before') || pseudoContent(el, '::after');
        if (el.firstElementChild || decorated) return null;
        name = el.textContent;
      }
      if (matches(name)) found.push(el);
    }
    return found;
  };
  const query = spec => {
    if (spec.css !== undefined) return [...document.querySelectorAll(spec.css)];
    if (spec.text !== undefined) return byText(spec.text, spec.exact);
    if (spec.role in NATIVE) return byRoleName(spec.role, spec.name, spec.exact);
    return null;
  };
  // Playwright's isElementVisible; null for display: contents (its children decide).
  const visible = el => {
    const style = getComputedStyle(el);
    if (style.display === 'contents') return null;
    if (!el.checkVisibility() || style.visibility !== 'visible') return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0;
  };
  // The first element any of the specs finds, in document order (Playwright's `.first` of
  // an `or`); undefined when none does, null when Playwright must answer.
  const first = specs => {
    let best;
    for (const spec of specs) {
      const found = query(spec);
      if (found === null) return null;
      const el = found[0];
      const earlier = b => b.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING;
      if (el && (!best || earlier(best))) best = el;
    }
    return best;
  };
  const disabled = el => el.matches(':disabled') || !!el.closest('[aria-disabled="true"]');
  return {query, visible, first, disabled, norm};
})()
"""

# A page a click has just opened is shown while it still arrives: a busy portal flushes the top
# of a form before its bottom, and a script run then sees half the fields. Waits (at most
# `ms`) until the document is parsed; nothing to wait for on a whole page. (Also the start of
# every `fill_form`, bot/engine/actions.py.)
WHOLE_PAGE_JS = """
(ms) => document.readyState !== 'loading' ? null : new Promise((done, fail) => {
  document.addEventListener('DOMContentLoaded', done, {once: true});
  setTimeout(() => fail(new Error(`the page was still loading after ${ms / 1000} s`)), ms);
})
"""

# The HTTP status of the page's current document, from its navigation timing (0: unknown).
DOCUMENT_STATUS_JS = "performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0"

_SHOWN_JS = f"""
(specs) => {{
  const rules = {_RULES_JS.strip()};
  const el = rules.first(specs);
  if (el === null) return {{state: 'unsure'}};
  if (el === undefined) return {{state: 'absent'}};
  const shown = rules.visible(el);
  if (shown === null) return {{state: 'unsure'}};
  if (!shown) return {{state: 'hidden'}};
  const status = {DOCUMENT_STATUS_JS};
  return {{state: 'visible', text: rules.norm(el.innerText), status}};
}}
"""

# Resolves when the first element the specs find is visible, 'unsure' when Playwright must
# judge, 'timeout' after `ms`. Looked at again on every change to the document, and every
# 100 ms for what no mutation announces (a stylesheet arriving, a layout settling).
_WAIT_SHOWN_JS = f"""
([specs, ms]) => new Promise(done => {{
  const rules = {_RULES_JS.strip()};
  let finished = false;
  const look = () => {{
    if (finished) return;
    const el = rules.first(specs);
    const shown = el === null ? null : el === undefined ? false : rules.visible(el);
    if (shown === false) return;
    finished = true;
    observer.disconnect();
    clearInterval(poll);
    clearTimeout(limit);
    done(shown === null ? 'unsure' : 'visible');
  }};
  const observer = new MutationObserver(look);
  const everything = {{childList: true, subtree: true, attributes: true, characterData: true}};
  observer.observe(document, everything);
  const poll = setInterval(look, 100);
  const limit = setTimeout(() => {{
    if (finished) return;
    finished = true;
    observer.disconnect();
    clearInterval(poll);
    done('timeout');
  }}, ms);
  look();
}})
"""

# Finds the one element to click once the page is whole, checks what Playwright checks before
# a click (visible, enabled, in view, not covered), and arms a guard: a press that lands on
# anything else is cancelled and noted, so it cannot act on the page. Also notes whether the
# click sets off a navigation (a form submitted, a link followed, a script's `location`).
_ARM_CLICK_JS = f"""
async ([spec, ms]) => {{
  await ({WHOLE_PAGE_JS.strip()})(ms);
  const rules = {_RULES_JS.strip()};
  const found = rules.query(spec);
  if (!found || found.length !== 1) return null;
  const el = found[0];
  if (rules.visible(el) !== true || rules.disabled(el)) return null;
  if (el.scrollIntoViewIfNeeded) el.scrollIntoViewIfNeeded(true);
  else el.scrollIntoView({{block: 'center', inline: 'center'}});
  const box = el.getClientRects()[0];
  if (!box || box.width <= 0 || box.height <= 0) return null;
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const hit = document.elementFromPoint(x, y);
  if (!hit || !el.contains(hit)) return null;
  const state = {{missed: false, navigating: false, events: []}};
  const guard = e => {{
    if (e.target instanceof Node && el.contains(e.target)) return;
    state.missed = true;
    e.preventDefault();
    e.stopImmediatePropagation();
  }};
  const PRESS = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'];
  const note = e => state.events.push(e);  // judged once every handler has run
  const started = () => {{ state.navigating = true; }};
  for (const type of PRESS) window.addEventListener(type, guard, true);
  window.addEventListener('submit', note);
  window.addEventListener('click', note);
  if (window.navigation) navigation.addEventListener('navigate', started);
  state.dispose = () => {{
    for (const type of PRESS) window.removeEventListener(type, guard, true);
    window.removeEventListener('submit', note);
    window.removeEventListener('click', note);
    if (window.navigation) navigation.removeEventListener('navigate', started);
  }};
  window.__edubotClick = state;
  return [x, y];
}}
"""

# After the press: 'missed' (cancelled, nothing happened), 'navigating', 'stayed', or 'gone'
# (this runs in the next document already). One turn of the event loop first, so that the
# page's handlers have run and a submission planned by the click has begun.
_SETTLE_CLICK_JS = """
async () => {
  const state = window.__edubotClick;
  if (!state) return 'gone';
  await new Promise(resolve => setTimeout(resolve, 0));
  state.dispose();
  delete window.__edubotClick;
  if (state.missed) return 'missed';
  const follows = e => {
    if (e.defaultPrevented) return false;
    if (e.type === 'submit') return true;
    const link = e.target instanceof Element && e.target.closest('a[href]');
    return !!link && !link.hasAttribute('download')
      && (!link.target || link.target === '_self') && !link.href.startsWith('javascript:');
  };
  return state.navigating || state.events.some(follows) ? 'navigating' : 'stayed';
}
"""


def quick_spec(loc: Locator, b: Bindings) -> Spec | None:
    """What the page can look for itself, or None when only Playwright can find it."""
    if loc.within is not None or loc.has_text:
        return None
    if loc.css:
        return {"css": b.text(loc.css)}
    if loc.text:
        return {"text": b.text(loc.text), "exact": loc.exact}
    if loc.role in ("button", "link"):
        return {
            "role": loc.role,
            "name": b.text(loc.name) if loc.name else None,
            "exact": loc.exact,
        }
    return None


def first_shown(page: Page, specs: list[Spec]) -> dict[str, Any]:
    """Whether the first element the specs find is visible now, with its text and the HTTP
    status of the page when it is; `state` is 'unsure' when Playwright must answer."""
    try:
        answer: dict[str, Any] = page.evaluate(_SHOWN_JS, specs)
    except PlaywrightError as exc:
        if not _replaced(exc):
            raise
        return {"state": "unsure"}  # the page changed under the question: ask Playwright
    return answer


def wait_until_shown(page: Page, specs: list[Spec], timeout_ms: int) -> bool:
    """Wait until the first element the specs find is visible; False when Playwright must
    answer. Raises Playwright's TimeoutError after `timeout_ms`, as its own wait would."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        left = int((deadline - time.monotonic()) * 1000)
        if left <= 0:
            break
        try:
            outcome = page.evaluate(_WAIT_SHOWN_JS, [specs, left])
        except PlaywrightError as exc:
            if not _replaced(exc):
                raise
            continue  # the document was replaced while we waited: look at the new one
        if outcome == "visible":
            return True
        if outcome == "unsure":
            return False
        break
    raise PlaywrightTimeoutError(f"Timeout {timeout_ms}ms exceeded.")


def quick_click(page: Page, spec: Spec, timeout_ms: int) -> bool:
    """Click the one element `spec` finds with the mouse, as Playwright would, and wait for a
    navigation it sets off to commit. False, with nothing pressed, when Playwright must click."""
    try:
        point = page.evaluate(_ARM_CLICK_JS, [spec, timeout_ms])
    except PlaywrightError as exc:
        if not _replaced(exc):
            raise
        return False
    if point is None:
        return False
    main = page.main_frame
    committed: list[Frame] = []

    def on_navigated(frame: Frame) -> None:
        if frame == main:
            committed.append(frame)

    page.on("framenavigated", on_navigated)
    try:
        page.mouse.click(point[0], point[1])
        try:
            outcome = page.evaluate(_SETTLE_CLICK_JS)
        except PlaywrightError as exc:
            if not _replaced(exc):
                raise
            outcome = "gone"
        if outcome == "missed":
            return False  # the guard cancelled the press: nothing happened
        if outcome in ("navigating", "gone") and not committed:
            page.wait_for_event("framenavigated", lambda f: f == main, timeout=timeout_ms)
    finally:
        page.remove_listener("framenavigated", on_navigated)
    return True


def _replaced(exc: PlaywrightError) -> bool:
    """Whether a script failed only because its document went away (a navigation)."""
    text = str(exc)
    return "Execution context was destroyed" in text or "navigat" in text.lower()
