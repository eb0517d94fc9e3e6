"""Filling fields found by their labels (bot.engine.locate): one field, a select, a whole form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PwLocator
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bot.data.rules import CLEAR_MARK
from bot.data.thai import mask_name
from bot.engine.locate import DESCRIBE_JS, LABEL_ENGINE_SOURCE, label_selector, not_one
from bot.errors import StepFailed, ValueNotAccepted
from bot.flow.binding import Bindings
from bot.flow.model import FillForm
from bot.i18n import say

_WORDS = re.compile(r"[^\s()\[\]:,]+")


def select(target: PwLocator, option: str, timeout: int) -> None:
    """Choose an option by the text shown or, failing that, by its value (an org code)."""
    options: list[list[str]] = target.evaluate(
        "el => [...el.options].map(o => [o.value, o.textContent.trim()])", timeout=timeout
    )
    # A picker may show the code among other words ("เทศบาลตำบลบ้านเป็ด (6400101)") and use
    # another number as its value (the framework's node ids): one option naming it is enough.
    naming = [value for value, text in options if option in _WORDS.findall(text)]
    if any(text == option for _, text in options):
        target.select_option(label=option, timeout=timeout)
    elif any(value == option for value, _ in options):
        target.select_option(value=option, timeout=timeout)
    elif len(naming) == 1:
        target.select_option(value=naming[0], timeout=timeout)
    else:
        shown = ", ".join(text for value, text in options if value)
        raise ValueNotAccepted(f"no option {option!r} (the choices are: {shown})")


# The whole form in one round trip: each label found by the label engine (the same rules as a
# `label:` locator), its control read, and — when `write` — set where it differs, as a person's
# typing leaves it: the value, then the `input` and `change` events a page listens for. Typing
# 57 fields through Playwright one by one costs ~0.5 s a child; this costs one round trip.
# Nothing is set unless every label names exactly one control.
_FORM_JS = f"""
([wanted, write]) => {{
  const engine = {LABEL_ENGINE_SOURCE.strip()};
  const describe = {DESCRIBE_JS.strip()};
  const current = el => el.tagName === 'SELECT'
    ? (el.selectedOptions[0] && el.selectedOptions[0].value !== ''
       ? el.selectedOptions[0].textContent.trim() : '')
    : el.type === 'checkbox' ? String(el.checked) : el.value;
  const kinds = el => el.tagName === 'SELECT' ? 'select' : el.type === 'checkbox' ? 'checkbox'
    : 'text';
  const set = (el, value) => {{
    if (el.disabled || el.readOnly) return false;
    if (el.tagName === 'SELECT') {{
      const opt = [...el.options].find(
        o => (value === '' ? o.value === '' : o.textContent.trim() === value));
      if (!opt) return false;
      el.value = opt.value;
    }} else if (el.type === 'checkbox') {{
      el.checked = value === 'true';
    }} else {{
      el.value = value;
    }}
    el.dispatchEvent(new Event('input', {{bubbles: true}}));
    el.dispatchEvent(new Event('change', {{bubbles: true}}));
    return true;
  }};
  const found = {{}}, unclear = {{}};
  for (const label of Object.keys(wanted)) {{
    const els = engine.queryAll(document, JSON.stringify({{text: label, exact: true}}));
    if (els.length === 1) found[label] = els[0];
    else unclear[label] = els.map(describe);
  }}
  const fields = {{}}, written = [], refused = [];
  if (Object.keys(unclear).length) return {{unclear, fields, written, refused}};
  for (const [label, el] of Object.entries(found)) {{
    fields[label] = [kinds(el), current(el)];
    if (!write || current(el).trim() === wanted[label]) continue;
    written.push(label);
    if (!set(el, wanted[label])) refused.push(label);
  }}
  return {{unclear, fields, written, refused}};
}}
"""


def fill_form(
    page: Page,
    step: FillForm,
    b: Bindings,
    timeout: int,
    cleared: list[str] | None = None,
) -> bool:
    """Set the labelled fields whose value differs; return whether any did.

    An empty value leaves the portal's field as it is (a blank cell never erases); the clear
    mark empties it, and its label is added to `cleared` when the field held something.
    `typing: true` types field by field through Playwright instead, for pages whose inputs
    react to keystrokes (masks, autocompletes); it costs a round trip or more per field.
    """
    given = {b.text(label): b.text(value).strip() for label, value in step.fields.items()}
    to_clear = {label for label, value in given.items() if value == CLEAR_MARK}
    wanted = {k: "" if k in to_clear else v for k, v in given.items() if v}
    # A busy portal shows the top of a form before its bottom has arrived: wait for all of it.
    try:
        page.wait_for_load_state("domcontentloaded", timeout=timeout)
    except PlaywrightTimeoutError:
        raise StepFailed(f"the page was still loading after {timeout / 1000:g} s") from None
    result = _read_and_write(page, wanted, not step.typing, timeout)
    _refuse_unclear(result["unclear"], step.line)
    if step.typing:
        written = _type_form(page, wanted, result["fields"], timeout)
    else:
        _refuse_unaccepted(result["refused"], given)
        written = result["written"]
    if cleared is not None:
        cleared += [label for label in written if label in to_clear]
    return bool(written)


def _read_and_write(
    page: Page, wanted: dict[str, str], write: bool, timeout: int
) -> dict[str, Any]:
    """`_FORM_JS` on the page; when a field is not there yet, or the page was replaced while it
    was read (a link's script submits its form a moment after the click), wait for the field
    as Playwright waits for any locator, and read the page once more."""
    result: dict[str, Any] | None
    try:
        result = page.evaluate(_FORM_JS, [wanted, write])
    except PlaywrightError:
        result = None  # the document went away under the read; nothing was kept of it
    if not wanted:
        assert result is not None
        return result
    absent = [k for k, found in result["unclear"].items() if not found] if result else [*wanted]
    if result is not None and not absent:
        return result
    try:
        page.locator(label_selector(absent[0])).first.wait_for(state="attached", timeout=timeout)
    except PlaywrightTimeoutError:
        if result is None:
            raise
        return result  # not on this page: the caller names what is missing
    page.wait_for_load_state("domcontentloaded", timeout=timeout)
    answer: dict[str, Any] = page.evaluate(_FORM_JS, [wanted, write])
    return answer


def _refuse_unclear(unclear: dict[str, list[str]], line: int) -> None:
    """Name the labels no field answers to, and those several fields answer to."""
    missing = [label for label, found in unclear.items() if not found]
    reasons = [not_one([], f"a field labelled {', '.join(map(repr, missing))}", line)]
    reasons = reasons if missing else []
    reasons += [
        not_one(found, f"the field labelled {label!r}", line)
        for label, found in unclear.items()
        if found
    ]
    if reasons:
        raise StepFailed("; ".join(reasons))


def _refuse_unaccepted(refused: list[str], given: Mapping[str, str]) -> None:
    """Name the fields the page would not take; their values are masked (they may be a name)."""
    if refused:
        fields = ", ".join(f"{label!r} = {mask_name(given[label])!r}" for label in refused)
        raise ValueNotAccepted(
            say("ระบบไม่รับค่าของช่อง", "could not set")
            + f" {fields}: "
            + say(
                "ไม่มีตัวเลือกนี้ หรือช่องนี้แก้ไขไม่ได้",
                "the value was not accepted: no such option, or the field is read-only",
            )
        )


def _type_form(
    page: Page, wanted: dict[str, str], current: dict[str, list[str]], timeout: int
) -> list[str]:
    """Type each differing field through Playwright (pages that react to keystrokes)."""
    differing = {k: v for k, v in wanted.items() if current[k][1].strip() != v}
    for label, value in differing.items():
        field_ = page.locator(label_selector(label))
        kind = current[label][0]
        if kind == "select":
            if value:
                field_.select_option(label=value, timeout=timeout)
            else:
                field_.select_option(value="", timeout=timeout)
        elif kind == "checkbox":
            field_.set_checked(value == "true", timeout=timeout)
        else:
            field_.fill(value, timeout=timeout)
    return list(differing)
