"""The floor for browser automation: the script a person would write by hand for this form.

`python -m benchmarks.handwritten URL FIELDS.json --fill label|evaluate [--markup M] [--case C]`
logs in, then per child opens the blank form, fills every labelled field, saves and waits for
บันทึกข้อมูลเรียบร้อย. On the accessible rendering the form is `student/form.do` and the verdict a
line on the page. On the vendor framework's (`--markup framework`) the script logs in by the
placeholders, follows the school page's link to the list, presses เพิ่มข้อมูล for each form and
the save popup's ตกลง, as anyone scripting that portal must; `--case changed` instead finds
each child already there by the list's search and opens it with the row's แก้ไข icon.
Same browser and launch options as edubot (`bot.browser.launch.launch_options()`) but its
script-heap cap; no request routing, no journal, no snapshot, one tab throughout. `label` fills
field by field (`get_by_label(...).fill` / `select_option`), `evaluate` sets the whole form in one
`page.evaluate`, as edubot's `fill_form` does.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect, sync_playwright

from benchmarks.fields_file import read_fields
from bot.browser.launch import launch_options

SAVED = "บันทึกข้อมูลเรียบร้อย"

# What a script author would write to set a form at once: controls found by their <label>.
SET_FORM_JS = """
(fields) => {
  const controls = new Map();
  for (const label of document.querySelectorAll('label')) {
    controls.set(label.textContent.trim(), label.control);
  }
  for (const {label, value} of fields) {
    const el = controls.get(label);
    el.value = value;  // an option's value is its text on this portal
    el.dispatchEvent(new Event('input', {bubbles: true}));
    el.dispatchEvent(new Event('change', {bubbles: true}));
  }
}
"""


def script_launch_options() -> dict[str, Any]:
    """edubot's launch options without `--js-flags=--max-old-space-size`.

    A busy tab leaves ~3 MB of every page it showed uncollected; edubot opens a fresh tab every
    6 loads and caps the script heap. A script keeping one tab for 1000
    records outgrew that cap: V8 aborted the renderer ("Target crashed") after 133 to 675
    records. A script author does neither.
    """
    options = launch_options()
    options["args"] = [a for a in options["args"] if not a.startswith("--js-flags=")]
    return options


# The same on the framework's form, where each <label> sits in its own column and the control in
# the next one (no `for=`).
SET_FRAMEWORK_FORM_JS = """
(fields) => {
  const controls = new Map();
  for (const label of document.querySelectorAll('form label')) {
    const column = label.closest('[class*=col-]');
    const control = column && column.nextElementSibling.querySelector('input, select');
    controls.set(label.textContent.trim().replace(/:$/, ''), control);
  }
  for (const {label, value} of fields) {
    const el = controls.get(label);
    el.value = value;
    el.dispatchEvent(new Event('input', {bubbles: true}));
    el.dispatchEvent(new Event('change', {bubbles: true}));
  }
}
"""


def log_in(page: Page) -> None:
    page.goto("index.jsp", wait_until="domcontentloaded")
    page.get_by_label("ชื่อผู้ใช้", exact=True).fill(os.environ.get("EDUBOT_LEC_USERNAME", "school"))
    page.get_by_label("รหัสผ่าน", exact=True).fill(os.environ.get("EDUBOT_LEC_PASSWORD", "demo"))
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("link", name="ออกจากระบบ")).to_be_visible()


def fill_by_label(page: Page, fields: list[dict[str, Any]]) -> None:
    for f in fields:
        control = page.get_by_label(f["label"], exact=True)
        if f["select"]:
            control.select_option(label=f["value"])
        else:
            control.fill(f["value"])


def fill_by_evaluate(page: Page, fields: list[dict[str, Any]]) -> None:
    page.evaluate(SET_FORM_JS, fields)


def enter(page: Page, children: list[list[dict[str, Any]]], fill: str) -> None:
    fill_form = fill_by_label if fill == "label" else fill_by_evaluate
    for fields in children:
        page.goto("student/form.do", wait_until="domcontentloaded")
        fill_form(page, fields)
        page.get_by_role("button", name="บันทึก", exact=True).click()
        expect(page.get_by_text(SAVED).first).to_be_visible()


def enter_framework(page: Page, children: list[list[dict[str, Any]]]) -> None:
    """The vendor framework's pages: log in, reach the list by its link, then per child the add
    button, the form set at once, บันทึก, and the popup's ตกลง."""
    _log_in_framework(page)
    page.get_by_role("link", name="ฐานข้อมูลนักเรียน/เด็กเล็ก").click()
    popup = page.locator(".swal2-popup:visible")
    for fields in children:
        page.get_by_role("button", name="เพิ่มข้อมูล", exact=True).click()
        page.wait_for_load_state()  # the click returns once the form starts to arrive
        page.evaluate(SET_FRAMEWORK_FORM_JS, fields)
        page.get_by_role("button", name="บันทึก", exact=True).click()
        _answer_saved(popup)


def change_framework(page: Page, children: list[list[dict[str, Any]]]) -> None:
    """The same portal, every child already there: per child the search, the row's แก้ไข icon,
    the form set at once, บันทึก and the popup's ตกลง."""
    _log_in_framework(page)
    page.get_by_role("link", name="ฐานข้อมูลนักเรียน/เด็กเล็ก").click()
    popup = page.locator(".swal2-popup:visible")
    for fields in children:
        national_id = next(f["value"] for f in fields if f["key"] == "national_id")
        page.locator("input[name='searchCondition.keyword']").fill(national_id)
        page.get_by_role("button", name="ค้นหา", exact=True).click()
        page.get_by_title("แก้ไข", exact=True).click()
        page.get_by_role("button", name="บันทึก", exact=True).wait_for()
        page.evaluate(SET_FRAMEWORK_FORM_JS, fields)
        page.get_by_role("button", name="บันทึก", exact=True).click()
        _answer_saved(popup)


def _log_in_framework(page: Page) -> None:
    page.goto("index.jsp", wait_until="domcontentloaded")
    page.get_by_placeholder("Username").fill(os.environ.get("EDUBOT_LEC_USERNAME", "school"))
    page.get_by_placeholder("Password").fill(os.environ.get("EDUBOT_LEC_PASSWORD", "demo"))
    page.get_by_role("button", name="Sign in").click()


def _answer_saved(popup: Locator) -> None:
    expect(popup).to_contain_text(SAVED)
    popup.get_by_role("button", name="ตกลง").click()
    expect(popup).to_have_count(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.handwritten")
    parser.add_argument("url")
    parser.add_argument("fields", type=Path)
    parser.add_argument("--fill", choices=("label", "evaluate"), default="label")
    parser.add_argument("--markup", choices=("accessible", "framework"), default="accessible")
    parser.add_argument("--case", choices=("added", "changed"), default="added")
    ns = parser.parse_args(argv)
    children = read_fields(ns.fields)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**script_launch_options())
        context = browser.new_context(base_url=ns.url + "/", locale="th-TH")
        page = context.new_page()
        if ns.markup == "framework":
            if ns.fill != "evaluate":
                parser.error("--markup framework fills by evaluate only")
            (change_framework if ns.case == "changed" else enter_framework)(page, children)
        elif ns.case == "changed":
            parser.error("--case changed is written for --markup framework only")
        else:
            log_in(page)
            enter(page, children, ns.fill)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
