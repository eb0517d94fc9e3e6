"""Filling fields found by their labels (bot.engine.locate): one field, a select, a whole form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playwright.sync_api import Locator as PwLocator
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bot.data.rules import CLEAR_MARK
from bot.data.thai import mask_name
from bot.engine.locate import DESCRIBE_JS, LABEL_ENGINE_SOURCE, label_selector, not_one
from bot.errors import StepFailed
from bot.flow.binding import Bindings
from bot.flow.model import FillForm


def select(target: PwLocator, option: str, timeout: int) -> None:
    """Choose an option by the text shown or, failing that, by its value (an org code)."""
    options: list[list[str]] = target.evaluate(
        "el => [...el.options].map(o => [o.value, o.textContent.trim()])", timeout=timeout
    )
    if any(text == option for _, text in options):
        target.select_option(label=option, timeout=timeout)
    elif any(value == option for value, _ in options):
        target.select_option(value=option, timeout=timeout)
    else:
        shown = ", ".join(text for value, text in options if value)
        raise StepFailed(f"no option {option!r} (the choices are: {shown})")


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
    result: dict[str, Any] = page.evaluate(_FORM_JS, [wanted, not step.typing])
    unclear: dict[str, list[str]] = result["unclear"]
    if unclear:
        what = "the field labelled {!r}".format
        raise StepFailed(
            "; ".join(not_one(found, what(k), step.line) for k, found in unclear.items())
        )
    if step.typing:
        written = _type_form(page, wanted, result["fields"], timeout)
    else:
        _refuse_unaccepted(result["refused"], given)
        written = result["written"]
    if cleared is not None:
        cleared += [label for label in written if label in to_clear]
    return bool(written)


def _refuse_unaccepted(refused: list[str], given: Mapping[str, str]) -> None:
    """Name the fields the page would not take; their values are masked (they may be a name)."""
    if refused:
        raise StepFailed(
            "ระบบไม่รับค่าของช่อง (could not set) "
            + ", ".join(f"{label!r} = {mask_name(given[label])!r}" for label in refused)
            + ": the value was not accepted (no such option, or the field is read-only)"
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
