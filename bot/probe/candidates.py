"""When a locator finds nothing: the closest words the page does show, ranked.

A portal update usually renames a label or a button a little (ชื่อ → ชื่อจริง), so the words a
person sees — labels, the text in the cell beside a field, placeholders, titles, field names,
button and link names, headings and messages — are read from the page in one round trip and
ranked by similarity to the words the flow expected. A table's data cells are never offered:
they hold children's data (a row of one cell is a message, such as ไม่พบข้อมูล, and is kept).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from bot.flow.model import Locator
from bot.log import redact

# Which kinds of words answer which kind of locator.
_KINDS_FOR = {
    "label": ("label", "beside", "placeholder", "title", "name", "aria-label"),
    "placeholder": ("placeholder", "label", "beside", "title", "aria-label"),
    "role": ("button", "link", "title", "aria-label", "heading", "label"),
    "text": ("text", "heading", "button", "link", "label", "beside", "th"),
    "testid": ("testid",),
    "css": ("name", "id", "testid"),
}

# One round trip: [kind, words] of every visible thing a locator could have meant.
_COLLECT_JS = """
() => {
  const out = [];
  const seen = new Set();
  const add = (kind, text) => {
    const t = (text || '').replace(/\\s+/g, ' ').trim();
    if (!t || t.length > 80 || seen.has(kind + '\\u0000' + t)) return;
    seen.add(kind + '\\u0000' + t);
    out.push([kind, t]);
  };
  const shown = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const controls = 'input:not([type=hidden]), select, textarea';
  for (const el of document.querySelectorAll('label')) if (shown(el)) add('label', el.textContent);
  for (const el of document.querySelectorAll(controls)) {
    if (!shown(el)) continue;
    add('placeholder', el.getAttribute('placeholder'));
    add('name', el.getAttribute('name'));
    add('aria-label', el.getAttribute('aria-label'));
    add('title', el.getAttribute('title'));
    const cell = el.closest('td, th');
    const before = cell && cell.previousElementSibling;
    if (before) add('beside', before.textContent);
  }
  for (const el of document.querySelectorAll(
      'button, input[type=submit], input[type=button], input[type=reset], [role=button]')) {
    if (!shown(el)) continue;
    add('button', el.tagName === 'INPUT' ? el.value : el.textContent);
    add('title', el.getAttribute('title'));
    add('aria-label', el.getAttribute('aria-label'));
  }
  for (const el of document.querySelectorAll('a[href], [role=link]')) {
    if (!shown(el)) continue;
    add('link', el.textContent);
    add('title', el.getAttribute('title'));
  }
  for (const el of document.querySelectorAll('h1, h2, h3, h4, h5, h6, legend, caption'))
    if (shown(el)) add('heading', el.textContent);
  for (const el of document.querySelectorAll('th')) if (shown(el)) add('th', el.textContent);
  for (const el of document.querySelectorAll('[data-testid]')) add('testid', el.dataset.testid);
  for (const el of document.querySelectorAll('[id]')) if (shown(el)) add('id', el.id);
  // Short texts of their own (messages, headings without tags), outside data cells and fields.
  const walker = document.createTreeWalker(document.body || document, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !shown(el) || el.closest('script, style, select, textarea, option')) continue;
    const cell = el.closest('td');
    if (cell && cell.parentElement && cell.parentElement.cells.length > 1) continue;
    add('text', el.textContent);
  }
  return out;
}
"""


@dataclass(frozen=True)
class Candidate:
    """Words the page shows that a missing locator may have meant."""

    words: str
    kind: str  # label, beside (the cell beside a field), placeholder, button, link, text, …
    score: float  # 0..1, how alike the words are


def normalise(text: str) -> str:
    """Words as compared: NFC, one space, no trailing colon or star, case folded."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text).strip().rstrip(":*").strip()
    return text.casefold()


def similarity(wanted: str, shown: str) -> float:
    """How alike two labels are; a label that holds the wanted words whole gains a little."""
    a, b = normalise(wanted), normalise(shown)
    if not a or not b:
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    if a in b or b in a:
        ratio = min(1.0, ratio + 0.1)
    return ratio


def page_words(page: Page) -> list[tuple[str, str]]:
    """Every (kind, words) the page shows a locator might have meant ([] if it cannot say)."""
    try:
        found = page.evaluate(_COLLECT_JS)
    except PlaywrightError:
        return []
    return [(str(kind), str(words)) for kind, words in found]


def wanted_words(loc: Locator) -> tuple[str, str]:
    """The strategy of a locator and the words it looks for."""
    if loc.role:
        return "role", loc.name or ""
    for key in ("label", "text", "placeholder", "testid", "css"):
        value = getattr(loc, key)
        if value:
            return key, str(value)
    return "text", ""


def rank(
    wanted: str,
    strategy: str,
    words: Iterable[tuple[str, str]],
    claimed: Iterable[str] = (),
    limit: int = 3,
) -> tuple[Candidate, ...]:
    """The `limit` closest words of the kinds that answer `strategy`, best first.

    `claimed` are words the same step finds elsewhere (the other labels of one form): a label
    another field already answers to is not the one that was renamed.
    """
    kinds = _KINDS_FOR.get(strategy, _KINDS_FOR["text"])
    # The wanted words themselves stay: shown, but not as what the locator needs (words beside
    # a field that is not their <label>), they are the best hint there is.
    taken = {normalise(w) for w in claimed} - {normalise(wanted)}
    best: dict[str, Candidate] = {}
    for kind, shown in words:
        if kind not in kinds or normalise(shown) in taken:
            continue
        score = similarity(wanted, shown)
        # A kind closer to the locator's own strategy wins a tie (a label over a field name).
        score -= kinds.index(kind) * 0.001
        key = normalise(shown)
        if score >= 0.3 and (key not in best or best[key].score < score):
            best[key] = Candidate(redact(shown), kind, round(max(score, 0.0), 3))
    if not best:  # nothing alike (Thai words, an English page): what the page offers instead
        offered = [
            (kinds.index(k), w) for k, w in words if k in kinds and normalise(w) not in taken
        ]
        return tuple(Candidate(redact(w), kinds[i], 0.0) for i, w in sorted(offered)[:limit])
    return tuple(sorted(best.values(), key=lambda c: -c.score)[:limit])


def closest(
    page: Page,
    loc: Locator,
    resolve_text: object = None,
    claimed: Iterable[str] = (),
    words: list[tuple[str, str]] | None = None,
) -> tuple[Candidate, ...]:
    """The closest candidates on `page` for a locator that found nothing."""
    strategy, wanted = wanted_words(loc)
    if callable(resolve_text):
        wanted = str(resolve_text(wanted))
    return rank(wanted, strategy, page_words(page) if words is None else words, claimed)
