"""A recording: the page script in every document of a browser context, and what it reports.

`Recorder(context, ...)` opens the page the person works in (`recorder.page`); its `steps` grow
as they work: `Goto`, `FieldChanged`, `Clicked`, `ExpectMarked` (bot.record.events). The caller
drives nothing: the person does (or, in tests, Playwright does as a person would).

On a real portal (`hold=True`) a click whose button says confirm, submit, send or delete is
held in the page (its default prevented) until `ask` answers; a yes presses it again, a no
leaves it unpressed and unrecorded. A native dialog (`confirm()`) is asked about the same way,
since Playwright answers dialogs itself once it listens for them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Dialog

from bot.engine.locate import LABEL_ENGINE_SOURCE
from bot.i18n import say
from bot.record.catalogue import (
    IRREVERSIBLE_WORDS,
    catalogue_labels,
    dialog_words,
    looks_personal,
)
from bot.record.events import (
    Clicked,
    ExpectMarked,
    FieldChanged,
    Goto,
    PageArrived,
    Recorded,
    parse,
    relative,
)

Ask = Callable[[str], bool]  # a yes/no question to the person (a terminal prompt; tests fake it)
BINDING = "__edubotRecord"
_SCRIPT = (Path(__file__).parent / "page_recorder.js").read_text(encoding="utf-8")


def page_script(portal: str, hold: bool) -> str:
    """The page script with the catalogue's labels and the hold setting filled in."""
    del portal  # both catalogues' labels are withheld alike: a select's choice is the child's
    return (
        _SCRIPT.replace("__EDUBOT_CATALOGUE__", json.dumps(catalogue_labels(), ensure_ascii=False))
        .replace("__EDUBOT_IRREVERSIBLE__", json.dumps(IRREVERSIBLE_WORDS))
        .replace("__EDUBOT_HOLD__", "true" if hold else "false")
        .replace("__EDUBOT_LABEL_ENGINE__", LABEL_ENGINE_SOURCE)
    )


class Recorder:
    """The person's actions on one page of `context`, as the steps of a flow to be."""

    def __init__(
        self,
        context: BrowserContext,
        *,
        portal: str,
        base_url: str,
        hold: bool,
        ask: Ask,
        on_change: Callable[[], None] | None = None,
        tell: Callable[[str], None] | None = None,
    ) -> None:
        self.portal, self.base_url, self.hold = portal, base_url.rstrip("/"), hold
        self._ask, self._on_change = ask, on_change
        self._tell = tell or (lambda _text: None)
        self.steps: list[Recorded] = []
        self._clicked_since_page = False
        context.add_init_script(page_script(portal, hold))
        context.expose_binding(BINDING, self._on_report)
        self.page = context.new_page()
        self.page.on("dialog", self._on_dialog)

    def start(self, url: str) -> None:
        self.page.goto(url, wait_until="domcontentloaded")

    # ---- reports from the page ----------------------------------------------------------
    def _on_report(self, _source: Any, payload: object) -> bool:
        event = parse(payload, self.base_url)
        if isinstance(event, PageArrived):
            self._arrived(event)
        elif isinstance(event, Clicked):
            return self._clicked(
                event, held=isinstance(payload, dict) and bool(payload.get("held"))
            )
        elif isinstance(event, ExpectMarked) and looks_personal(event.text):
            self._tell(
                say(
                    "ข้อความที่เลือกมีตัวเลขยาว (เลขประจำตัว/โทรศัพท์?) จึงไม่บันทึก เลือกข้อความของระบบแทน",
                    "The selected text holds a long number (an ID, a phone?): not recorded; "
                    "mark the portal's own words instead",
                )
            )
        elif isinstance(event, FieldChanged | ExpectMarked):
            self._add(event)
        return True

    def _arrived(self, event: PageArrived) -> None:
        # An address the person typed: nothing they pressed led here. A page a click led to
        # has that page as its referrer; a typed one has none.
        caused = self._clicked_since_page and bool(event.referrer)
        self._clicked_since_page = False
        typed = event.url.startswith(("http://", "https://"))  # not the blank first tab
        if typed and event.how != "reload" and not caused:
            self._add(Goto(relative(event.url, self.base_url)))

    def _clicked(self, event: Clicked, *, held: bool) -> bool:
        if held and not self._ask(
            say(
                f"ปุ่ม “{event.name}” ดูเหมือนย้อนกลับไม่ได้ (ยืนยัน/ส่ง/ลบ) กดในระบบจริงเลยหรือไม่?",
                f"“{event.name}” looks irreversible (confirm/send/delete). Press it on the real "
                "portal now?",
            )
        ):
            self._tell(say("ไม่ได้กด และไม่ได้บันทึกขั้นตอนนี้", "Not pressed, and not recorded."))
            return False
        self._clicked_since_page = True
        self._add(event)
        return True

    def _on_dialog(self, dialog: Dialog) -> None:
        if dialog.type == "beforeunload":
            dialog.accept()
            return
        if dialog.type == "prompt":  # it would take typed words: not something a flow answers
            self._tell(say("กล่องให้พิมพ์ข้อความ: ตอบยกเลิก", "A prompt() dialog: dismissed."))
            dialog.dismiss()
            return
        words = dialog_words(dialog.message)
        accepted = dialog.type == "alert" or self._ask(
            say(f"ระบบถามว่า “{words}” ตอบตกลงหรือไม่?", f"The portal asks “{words}”. Answer OK?")
        )
        self._answered(words, accepted)
        if accepted:
            dialog.accept()
        else:
            dialog.dismiss()

    def _answered(self, words: str, accepted: bool) -> None:
        """The dialog belongs to the click just before it."""
        for index in range(len(self.steps) - 1, -1, -1):
            step = self.steps[index]
            if isinstance(step, Clicked):
                if accepted:
                    self.steps[index] = dataclasses.replace(step, dialog=words or None)
                else:
                    self.steps[index] = dataclasses.replace(step, dismissed=True)
                self._changed()
                return

    def _add(self, event: Recorded) -> None:
        last = self.steps[-1] if self.steps else None
        if _same_field(event, last):
            self.steps[-1] = event  # the same field again: the last choice counts
            self._changed()
            return
        if isinstance(event, Goto) and isinstance(last, Goto) and last.path == event.path:
            return
        self.steps.append(event)
        self._changed()

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()


def _same_field(one: object, other: object) -> bool:
    return (
        isinstance(one, FieldChanged) and isinstance(other, FieldChanged) and one.same_field(other)
    )
