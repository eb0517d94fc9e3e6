"""A page with its personal data replaced by placeholders of the same shape, for sharing.

`x` stands for a letter (Thai included, with its vowel and tone marks), `9` for a digit; spaces
and punctuation stay, so `14/02/2560` reads `99/99/9999` and a mock template can be made from
it. Replaced: every field's value (a password's is emptied: its length is a secret too), which
option is selected, the data cells of tables (a label cell, a heading, a link's or a button's
words stay), and anywhere on the page — text, attributes, scripts — national IDs, dates, phone
numbers and the personal values edubot knows (the record's, the portal export's). The same
elements are marked for the screenshot's mask.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from playwright.sync_api import Page

from bot.data.thai_dates import THAI_MONTHS_SHORT

MASK_ATTRIBUTE = "data-edubot-mask"

_ID = re.compile(r"(?<![\dA-Za-z])(?:G\d{12}|\d(?:[ -]?\d){12})(?!\d)")
# A Thai month: its abbreviation (ก.พ.) or its full name, which ends in คม, ยน or พันธ์.
_THAI_MONTH = "|".join(map(re.escape, THAI_MONTHS_SHORT)) + "|[ก-๙]+(?:คม|ยน|พันธ์)"
_DATE = re.compile(
    rf"(?<!\d)\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}(?!\d)|\d{{1,2}} *(?:{_THAI_MONTH}) *\d{{4}}"
)
_PHONE = re.compile(r"(?<![\d])0\d{1,2}[- ]?\d{3}[- ]?\d{3,4}(?!\d)")


def shape(text: str) -> str:
    """`text` as placeholders: letters (and their marks) become x, digits 9, the rest stays."""
    return "".join(
        "9" if unicodedata.category(ch).startswith("N")
        else "x" if unicodedata.category(ch)[0] in "LM"
        else ch
        for ch in text
    )  # fmt: skip


def mask_patterns(text: str) -> str:
    """National IDs, dates and phone numbers anywhere in `text`, shaped."""
    for pattern in (_ID, _DATE, _PHONE):
        text = pattern.sub(lambda m: shape(m.group(0)), text)
    return text


def worth_sweeping(values: Iterable[str]) -> list[str]:
    """Personal values long enough to look for (a one-letter or two-digit value is not)."""
    kept = {
        v.strip()
        for v in values
        if len(v.strip()) >= 3 or (len(v.strip()) == 2 and not v.strip().isdigit())
    }
    return sorted(kept, key=len, reverse=True)


# In the page, in one round trip: mark what the screenshot must hide, and return a copy of the
# document with personal data shaped. `known` are personal values to look for in any text.
_SANITISE_JS = r"""
([known, patterns]) => {
  const MARK = 'data-edubot-mask';
  const shape = s => s.replace(/\p{N}/gu, '9').replace(/[\p{L}\p{M}]/gu, 'x');
  // Known values are not looked for in the words a flow finds things by (a short name may be
  // part of a label's word); headings, titles and options may name a child, and are swept.
  const words = 'label, button, th, legend';
  const sweep = s => { for (const v of known) if (s.includes(v)) s = s.split(v).join(shape(v));
                       return s; };
  const control = 'input, select, textarea';
  const shownControl = 'input:not([type=hidden]):not([type=submit]):not([type=button])' +
    ':not([type=reset]):not([type=image]), select, textarea';
  // A table with a header row lists data; one without is a layout of label | value pairs.
  const headed = cell => [...cell.closest('table').rows].some(
    r => [...r.cells].some(c => c.tagName === 'TH'));
  const isLabelCell = cell => {
    if (cell.tagName === 'TH') return true;
    const next = cell.nextElementSibling;
    if (/:\s*\*?\s*$/.test(cell.textContent) || (next && next.querySelector(control))) return true;
    return !!next && cell.cellIndex % 2 === 0 && !headed(cell);
  };
  const isDataCell = cell => cell.tagName === 'TD' && cell.parentElement &&
    cell.parentElement.cells.length > 1 && !cell.querySelector(control) && !isLabelCell(cell);
  const marked = [];
  const mark = el => {
    if (el && !el.hasAttribute(MARK)) { el.setAttribute(MARK, ''); marked.push(el); }
  };
  // The live page: what the screenshot hides.
  for (const el of document.querySelectorAll(shownControl)) mark(el);
  for (const cell of document.querySelectorAll('td')) if (isDataCell(cell)) mark(cell);
  const personal = new RegExp(patterns);
  const walker = document.createTreeWalker(document.body || document, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.nodeValue;
    if (personal.test(t) || known.some(v => t.includes(v))) mark(n.parentElement);
  }
  // The copy: values shaped, selections dropped, data cells shaped, known values swept.
  const live = [...document.querySelectorAll(control)];
  const copy = document.documentElement.cloneNode(true);
  const copies = [...copy.querySelectorAll(control)];
  live.forEach((el, i) => {
    const c = copies[i];
    if (!c) return;
    if (el.tagName === 'SELECT') {
      for (const o of c.querySelectorAll('option')) o.removeAttribute('selected');
    } else if (el.tagName === 'TEXTAREA') {
      c.textContent = shape(el.value);
    } else if (['submit', 'button', 'reset', 'image'].includes(el.type)) {
      // a button's words stay
    } else if (el.type === 'password') {
      c.setAttribute('value', '');
    } else if (el.type === 'checkbox' || el.type === 'radio') {
      c.removeAttribute('checked');
    } else {
      c.setAttribute('value', shape(el.value));
    }
  });
  // A link's or a button's words in a data cell stay (แก้ไข), unless the column holds names.
  const personalColumn = /ชื่อ|สกุล|เลข|วัน|เกิด|โทร|ที่อยู่|บิดา|มารดา|ผู้ปกครอง|name|id|birth|phone|address/i;
  const headerOf = cell => {
    const table = cell.closest('table');
    const head = table && [...table.rows].find(r => [...r.cells].some(c => c.tagName === 'TH'));
    const th = head && head.cells[cell.cellIndex];
    return th ? th.textContent : '';
  };
  for (const cell of copy.querySelectorAll('td')) {
    if (!isDataCell(cell)) continue;
    const names = personalColumn.test(headerOf(cell));
    const inner = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = inner.nextNode(); n; n = inner.nextNode()) {
      if (names || !n.parentElement.closest('a, button')) n.nodeValue = shape(n.nodeValue);
    }
  }
  const texts = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_COMMENT);
  const comments = [];
  for (let n = texts.nextNode(); n; n = texts.nextNode()) {
    if (n.nodeType === Node.COMMENT_NODE) { comments.push(n); continue; }
    const el = n.parentElement;
    if (el && !el.closest(words)) n.nodeValue = sweep(n.nodeValue);
  }
  comments.forEach(c => c.remove());
  const keep = new Set(['name', 'id', 'class', 'type', 'for', 'role', 'data-testid', 'method',
                        'action', 'style', 'lang', 'rel', 'src', 'colspan', 'rowspan']);
  for (const el of copy.querySelectorAll('*')) {
    el.removeAttribute(MARK);
    for (const a of [...el.attributes]) {
      if (!keep.has(a.name)) el.setAttribute(a.name, sweep(a.value));
    }
  }
  // The page's structure, without data: what changes when the portal's pages change.
  const structure = new Set();
  const say = (kind, t) => { t = (t || '').replace(/\s+/g, ' ').trim();
                             if (t && !/^\d+$/.test(t)) structure.add(kind + ':' + t); };
  // Links and buttons in data cells follow the data (one per child): left out.
  const named = 'label, th, legend, h1, h2, h3, h4, h5, h6, button, a[href]';
  for (const el of document.querySelectorAll(named)) {
    const cell = el.closest('td');
    if (!(cell && isDataCell(cell))) say(el.tagName.toLowerCase(), el.textContent);
  }
  for (const el of document.querySelectorAll(control)) {
    const id = (el.id || '').replace(/\d+/g, '9');  // a record's number in an id is data
    say('field', [el.tagName, el.type || '', el.name || '', id].join('/'));
  }
  const doctype = document.doctype ? '<!DOCTYPE ' + document.doctype.name + '>\n' : '';
  return {html: doctype + copy.outerHTML, structure: [...structure].sort(), marked: marked.length};
}
"""

UNMARK_JS = (
    f"() => document.querySelectorAll('[{MASK_ATTRIBUTE}]')"
    f".forEach(el => el.removeAttribute('{MASK_ATTRIBUTE}'))"
)


def sanitised(page: Page, known: Iterable[str] = ()) -> dict[str, Any]:
    """The page's HTML with personal data shaped, its structure, and (in the live page) the
    elements a screenshot must mask marked with `MASK_ATTRIBUTE` (undo with `UNMARK_JS`)."""
    patterns = "|".join(p.pattern for p in (_ID, _DATE, _PHONE))  # the same in the page
    result: dict[str, Any] = page.evaluate(_SANITISE_JS, [worth_sweeping(known), patterns])
    result["html"] = mask_patterns(str(result["html"]))
    return result
