"""The floor for browser automation: the script a person would write by hand for this form.

`python -m benchmarks.handwritten URL FIELDS.json --fill label|evaluate` logs in, then per child
opens `student/form.do`, fills every labelled field, saves and waits for บันทึกข้อมูลเรียบร้อย.
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

from playwright.sync_api import Page, expect, sync_playwright

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.handwritten")
    parser.add_argument("url")
    parser.add_argument("fields", type=Path)
    parser.add_argument("--fill", choices=("label", "evaluate"), default="label")
    ns = parser.parse_args(argv)
    children = read_fields(ns.fields)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**script_launch_options())
        context = browser.new_context(base_url=ns.url + "/", locale="th-TH")
        page = context.new_page()
        log_in(page)
        enter(page, children, ns.fill)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
