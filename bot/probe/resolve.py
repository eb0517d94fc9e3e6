"""Resolving one step's elements on the page as it is, without typing, choosing or pressing.

Locators go through the engine's own `locate` (bot.engine.actions), so what the probe finds is
what a run would act on. A field is found, never filled; a select's option is looked for,
never chosen; a click is made only when it cannot change anything: a plain link, or a button
of a form sent by GET (a search), neither irreversible nor named like a save. Everything else
is reported as "would press" with the element found.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PwLocator
from playwright.sync_api import Page

from bot.engine.actions import locate
from bot.flow.binding import Bindings
from bot.flow.model import Click, FillForm, Locator
from bot.log import redact
from bot.portals.commands import NO_COMMANDS, PortalCommands
from bot.probe.candidates import Candidate, page_words, rank, wanted_words
from bot.probe.findings import Said

# How an element is named in the report: its tag and the attributes that tell it apart, and
# the words of a button, link or label; never a field's value (a password, a child's name).
DESCRIBE_JS = """
el => {
  const keep = ['name', 'id', 'type', 'title', 'placeholder', 'aria-label'];
  const attrs = keep.filter(a => el.hasAttribute(a))
    .map(a => `${a}="${el.getAttribute(a).trim().slice(0, 40)}"`);
  if (el.tagName === 'A' && el.hasAttribute('href'))
    attrs.push(`href="${el.getAttribute('href').split('?')[0].slice(0, 60)}"`);
  if (el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type))
    attrs.push(`value="${el.value.slice(0, 40)}"`);
  const text = ['A', 'BUTTON', 'LABEL'].includes(el.tagName)
    ? (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40) : '';
  const tag = el.tagName.toLowerCase();
  return `<${[tag, ...attrs].join(' ')}>${text ? text + `</${tag}>` : ''}`;
}
"""

# Whether pressing the element can only read: a link, or a button of a form sent by GET; for a
# scripted link or button, its one script (onclick, or a `javascript:` href), for the portal's
# table of commands to judge (two scripts on one element are not understood: '').
_PRESS_KIND_JS = """
el => {
  const link = el.closest('a[href]');
  if (link) {
    const href = link.getAttribute('href').trim();
    const lower = href.toLowerCase();
    const onclick = (link.getAttribute('onclick') || '').trim();
    const scriptHref = lower.startsWith('javascript:') ? href : '';
    const scripted = scriptHref !== '' || lower === '#' || onclick !== '';
    const script = onclick && scriptHref ? '' : (onclick || scriptHref);
    return {kind: scripted ? 'script' : 'link', words: link.textContent.trim(), script};
  }
  const button = el.closest(
    'button, input[type=submit], input[type=image], input[type=button]');
  const words = button ? (button.value || button.textContent || '').trim() : '';
  const script = button ? (button.getAttribute('onclick') || '').trim() : '';
  const form = button && button.form;
  if (form && !script && !form.hasAttribute('onsubmit') && button.type !== 'button') {
    const method = button.getAttribute('formmethod') || form.getAttribute('method') || 'get';
    if (method.toLowerCase() === 'get') return {kind: 'get-form', words, script};
  }
  return {kind: script ? 'script' : 'other', words, script};
}
"""

# Words of a button that saves, sends or confirms: never pressed by a probe, whatever it is.
_CHANGING_WORDS = re.compile(
    r"บันทึก|ยืนยัน|ส่ง|ลบ|อนุมัติ|อัปโหลด|อัพโหลด|นำเข้า|save|submit|confirm|delete|upload|send",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Resolved:
    """What a locator found: the elements' descriptions, and candidates when none."""

    elements: tuple[str, ...]
    candidates: tuple[Candidate, ...] = ()
    wanted: str = ""

    @property
    def one(self) -> bool:
        return len(self.elements) == 1


def describe_all(target: PwLocator) -> tuple[str, ...]:
    try:
        found = target.evaluate_all(f"els => els.map({DESCRIBE_JS.strip()})")
    except PlaywrightError:
        return ()
    return tuple(redact(str(d)) for d in found)


def resolve(page: Page, loc: Locator, b: Bindings, timeout: int) -> Resolved:
    """Wait (up to `timeout`) for the locator to find something; what it found, or candidates."""
    target = locate(page, loc, b)
    if timeout > 0:  # 0: the page as it is (Playwright's own 0 would wait for ever)
        with contextlib.suppress(PlaywrightError):  # nothing came: the candidates say what did
            target.first.wait_for(state="attached", timeout=timeout)
    found = describe_all(target)
    if found:
        return Resolved(found)
    strategy, words = wanted_words(loc)
    wanted = b.text(words)
    return Resolved((), rank(wanted, strategy, page_words(page)), wanted)


@dataclass(frozen=True)
class Press:
    """Whether the probe may press a click; why not, or what it sends when it does."""

    safe: bool
    why: Said = ("", "")
    sends: str = ""  # the read command a scripted press sends ("cmd=goCreate"), if any


def press_is_safe(
    page: Page, step: Click, b: Bindings, commands: PortalCommands = NO_COMMANDS
) -> Press:
    """Whether the probe may press this click (it can only read); why not, or what it sends.

    A scripted button is pressed only when its whole script sends one command the portal's
    table knows to only read (LEC's `doCmd('goCreate')`); the guard checks the request it
    sends all the same."""
    if step.irreversible:
        return Press(False, ("ขั้นตอนที่ย้อนกลับไม่ได้", "irreversible"))
    if step.dialog is not None:
        return Press(False, ("เปิดกล่องยืนยัน", "opens a confirmation dialog"))
    target = locate(page, step.locator, b).first
    try:
        kind = target.evaluate(_PRESS_KIND_JS)
    except PlaywrightError:
        return Press(False, ("บอกไม่ได้ว่ากดแล้วเกิดอะไร", "cannot tell what it does"))
    if _CHANGING_WORDS.search(str(kind["words"])):
        return Press(
            False, ("ชื่อปุ่มบอกว่าบันทึก ส่ง หรือยืนยัน", "its words say it saves, sends or confirms")
        )
    if kind["kind"] in ("link", "get-form"):
        return Press(True)
    command = commands.command_of_script(str(kind["script"])) if kind["script"] else None
    if command is not None and commands.only_reads([command]):
        sent = f"{commands.field}={command}"
        return Press(
            True,
            (f"ส่ง {sent} ซึ่งอ่านอย่างเดียว", f"it sends {sent}, which only reads"),
            sent,
        )
    if kind["kind"] == "script":
        return Press(False, ("สคริปต์ของปุ่มอาจส่งข้อมูล", "its script may send data"))
    return Press(False, ("ปุ่มที่อาจส่งแบบฟอร์ม", "a button that may send the form"))


@dataclass(frozen=True)
class FieldFound:
    """One field of a `fill_form`: found (with whether its value would change), or not."""

    label: str
    elements: tuple[str, ...]
    differs: bool = False
    candidates: tuple[Candidate, ...] = ()


_READ_JS = """
els => els.map(el => el.tagName === 'SELECT'
  ? (el.selectedOptions[0] && el.selectedOptions[0].value !== ''
     ? el.selectedOptions[0].textContent.trim() : '')
  : el.type === 'checkbox' ? String(el.checked) : (el.value || ''))
"""


def resolve_form(page: Page, step: FillForm, b: Bindings, timeout: int) -> list[FieldFound]:
    """Each label of a `fill_form` looked for as a `label:` locator, nothing set.

    A field counts as differing when its value is not the record's (empty values are left
    alone by a run, so they never differ): that is the `changed` a run would see.
    """
    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state("domcontentloaded", timeout=timeout)
    given = {b.text(label): b.text(value).strip() for label, value in step.fields.items()}
    words: list[tuple[str, str]] | None = None
    out: list[FieldFound] = []
    for label, value in given.items():
        target = locate(page, Locator(label=label), b)
        found = describe_all(target)
        if not found:
            words = page_words(page) if words is None else words
            out.append(FieldFound(label, (), candidates=rank(label, "label", words, given)))
            continue
        differs = False
        if len(found) == 1 and value:
            try:
                current = target.evaluate_all(_READ_JS)
                differs = str(current[0]).strip() != value
            except PlaywrightError:
                differs = True
        out.append(FieldFound(label, found, differs))
    return out


def option_missing(page: Page, loc: Locator, option: str, b: Bindings) -> str:
    """'' when the select offers `option` (by its text or value), else the choices it offers."""
    try:
        options = locate(page, loc, b).first.evaluate(
            "el => [...(el.options || [])].map(o => [o.value, o.textContent.trim()])"
        )
    except PlaywrightError:
        return "?"
    if any(option in (value, text) for value, text in options):
        return ""
    return ", ".join(text for value, text in options if value) or "-"


def field_line(flow_file: Path, start: int, label: str) -> int:
    """The line of `label:` in a `fill_form` that starts at line `start` (else `start`)."""
    try:
        lines = flow_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return start
    key = re.compile(r"^\s*[\"']?" + re.escape(label) + r"[\"']?\s*:")
    for number in range(max(start, 1), len(lines) + 1):
        if key.match(lines[number - 1]):
            return number
    return start
