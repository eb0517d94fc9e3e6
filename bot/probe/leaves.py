"""The checks of single steps: each resolved on the page as it is, nothing typed or pressed.

`LeafChecks` holds what a walk shares (the page, the findings, the capture) and checks one
leaf step at a time; `bot.probe.walk` adds the flow's structure (sub-flows, branches, the
login, the records loop) on top.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from bot.data.fields import personal_values
from bot.engine.actions import ActionEnv, RunState, StepState, condition_holds, perform
from bot.engine.locate import locate
from bot.errors import PortalError, PortalRejected, StepFailed
from bot.flow.binding import Bindings
from bot.flow.model import (
    Check,
    Click,
    Expect,
    Extract,
    Fill,
    FillForm,
    Goto,
    Locator,
    Mark,
    RejectOn,
    Require,
    Screenshot,
    Select,
    Step,
    TakeSnapshot,
    Upload,
    Verify,
)
from bot.log import redact
from bot.portals.commands import NO_COMMANDS, PortalCommands
from bot.probe.candidates import Candidate, page_words, rank, wanted_words
from bot.probe.capture import Capture, personal_values_of
from bot.probe.findings import Finding, Said, Status, same
from bot.probe.resolve import (
    Resolved,
    field_line,
    option_missing,
    press_is_safe,
    resolve,
    resolve_form,
)


class Stop(Exception):
    """The walk cannot go on (the login failed, the portal refused): the findings say why."""


AFTER_PRESS: Said = (
    "หน้านี้มาหลังการกดที่ probe ไม่กด",
    "its page comes after a press the probe does not make",
)
_NEVER_SET: Said = ("พบแล้ว ไม่ได้กรอกหรือเลือก", "found; nothing typed or chosen")
_SEARCH_TYPED: Said = ("พบแล้ว พิมพ์คำค้น (ค้นหาแบบ GET)", "found; the search words typed (a GET form)")
_SEARCH_FIELD_TYPED: Said = (
    "พบแล้ว พิมพ์คำค้น (ช่องค้นหาของรายการ)",
    "found; the search words typed (a list's search field)",
)
_LINK_FOLLOWED: Said = ("ตามลิงก์แล้ว (ลิงก์อ่านอย่างเดียว)", "followed: a link only reads")
_NOT_FOUND: Said = ("ไม่พบในหน้านี้", "nothing on this page matches")


@dataclass(kw_only=True)
class LeafChecks:
    """The page being walked, what was found so far, and the check of each leaf step."""

    page: Page
    capture: Capture
    artefacts_dir: Path
    timeout_ms: int = 15_000
    may_request: Callable[[str], bool] = lambda url: True
    commands: PortalCommands = NO_COMMANDS  # the portal's commands that only read
    findings: list[Finding] = field(default_factory=list)
    run_state: RunState = field(default_factory=RunState)
    after_press: bool = False  # a button the probe does not press was met: no page after it
    page_kept: bool = True  # the current page was kept (nothing to keep before the first)
    # The read command whose press opened the current page ("cmd=goCreate"), if one did: on a
    # portal where one URL serves a list and its form, it tells the two pages apart.
    opened_by: str = ""

    def _leaf(self, step: Step, file: Path, b: Bindings, state: StepState) -> None:
        timeout = step.timeout_ms or self.timeout_ms
        match step:
            case Goto():
                self._leave_page(file, step.line)
                self._perform(step, file, b, state)
                self.page_kept = False
                self.opened_by = ""
                self._note(file, step, "opened")
            case Fill():
                found = resolve(self.page, step.locator, b, timeout)
                searching = self._search_box(step.locator, b) if found.one else None
                if searching is not None:
                    # A search box: what is typed there goes out with a search (a GET form,
                    # or the portal's list command, which the guard checks), changing nothing.
                    self._note(file, step, "found", searching, found.elements[0])
                    self._perform(step, file, b, state)
                else:
                    self._one(step, step.locator, file, b, timeout, _NEVER_SET)
            case Check() | Upload():
                self._one(step, step.locator, file, b, timeout, _NEVER_SET)
            case Select():
                if self._one(step, step.locator, file, b, timeout, _NEVER_SET):
                    missing = option_missing(self.page, step.locator, b.text(step.option), b)
                    if missing:
                        self._fail_last(
                            "failed",
                            (
                                f"ไม่มีตัวเลือกนี้ ตัวเลือกที่มี: {missing}",
                                f"no such option; the choices: {missing}",
                            ),
                            b,
                        )
            case FillForm():
                self._form(step, file, b, timeout, state)
            case Click():
                self._click(step, file, b, timeout)
            case Expect() | RejectOn():
                self._wait(step, file, b, state)
            case Screenshot() | Extract():
                loc = step.locator if isinstance(step, Screenshot) else (step.rows or step.text)
                if loc is None:
                    self._note(file, step, "no_page")
                else:
                    self._one(step, loc, file, b, timeout, ("", ""))
            case TakeSnapshot():
                self._perform(step, file, b, state)
                rows = list((self.run_state.snapshot or {}).values())
                self.capture.known += personal_values_of(rows)
                self._note(
                    file,
                    step,
                    "opened",
                    (f"อ่านแล้ว {len(rows)} แถว", f"{len(rows)} rows read (GET)"),
                )
            case Require():
                self._require(step, file, b, state)
            case Mark() | Verify():
                self._note(file, step, "no_page")
            case _:
                self._note(
                    file, step, "failed",
                    ("probe ยังตรวจขั้นตอนชนิดนี้ไม่ได้", "the probe cannot check this kind of step yet"),
                )  # fmt: skip

    def _one(
        self, step: Step, loc: Locator, file: Path, b: Bindings, timeout: int, detail: Said
    ) -> bool:
        """Resolve one locator; a finding for it; True when it found exactly one element."""
        found = resolve(self.page, loc, b, timeout)
        if found.one:
            self._note(file, step, "found", detail, found.elements[0])
            return True
        if found.elements:
            self._note(file, step, "ambiguous", _several(found.elements), found.elements[0])
            return False
        self._missing(step, file, found)
        return False

    def _missing(self, step: Step, file: Path, found: Resolved) -> None:
        self.findings.append(
            Finding(
                str(file),
                step.line,
                step.describe(),
                "missing",
                _NOT_FOUND,
                wanted=found.wanted,
                candidates=found.candidates,
            )
        )

    def _form(
        self, step: FillForm, file: Path, b: Bindings, timeout: int, state: StepState
    ) -> None:
        fields = resolve_form(self.page, step, b, timeout)
        state.changed = any(f.differs for f in fields)
        missing = [f for f in fields if len(f.elements) != 1]
        self._note(
            file, step, "found" if not missing else "failed",
            (f"พบ {len(fields) - len(missing)}/{len(fields)} ช่อง ไม่ได้กรอก",
             f"{len(fields) - len(missing)}/{len(fields)} fields found; nothing typed"),
        )  # fmt: skip
        for f in missing:
            line = field_line(file, step.line, f.label)
            if f.elements:
                self.findings.append(
                    Finding(
                        str(file),
                        line,
                        f"field “{f.label}”",
                        "ambiguous",
                        _several(f.elements),
                        f.elements[0],
                        f.label,
                    )
                )
            else:
                self.findings.append(
                    Finding(
                        str(file),
                        line,
                        f"field “{f.label}”",
                        "missing",
                        _NOT_FOUND,
                        wanted=f.label,
                        candidates=f.candidates,
                    )
                )

    def _click(self, step: Click, file: Path, b: Bindings, timeout: int) -> None:
        if not self._one(step, step.locator, file, b, timeout, ("", "")):
            return
        press = press_is_safe(self.page, step, b, self.commands)
        found = self.findings.pop()
        if not press.safe:
            self.after_press = True
            self.findings.append(
                Finding(
                    found.flow_file, found.line, found.step, "would_press", press.why, found.element
                )
            )
            return
        self._leave_page(file, step.line)
        try:
            perform(self.page, step, self._env(b), StepState())
            self.page.wait_for_load_state("domcontentloaded", timeout=timeout)
        except PortalError as exc:
            self._note(file, step, "failed", same(self._masked(str(exc), b)), found.element)
            return
        self.page_kept = False
        self.opened_by = press.sends
        status: Status = "pressed" if press.sends else "followed"
        detail = press.why if press.sends else _LINK_FOLLOWED
        self.findings.append(
            Finding(found.flow_file, found.line, found.step, status, detail, found.element)
        )

    def _wait(self, step: Expect | RejectOn, file: Path, b: Bindings, state: StepState) -> None:
        try:
            perform(self.page, step, self._env(b), state)
        except PortalRejected as exc:
            self._stop(file, step, "refused", same(self._masked(str(exc), b)))
        except StepFailed as exc:
            self._missing_any(step, file, b, self._masked(str(exc), b))
            return
        detail = ("ไม่ปรากฏ", "not shown") if isinstance(step, RejectOn) else ("ปรากฏ", "shown")
        self._note(file, step, "found", detail)

    def _missing_any(self, step: Expect | RejectOn, file: Path, b: Bindings, why: str) -> None:
        locs = [step.locator] if isinstance(step, RejectOn) else list(step.any or (step.visible,))
        words = page_words(self.page)
        best: list[Candidate] = []
        wanted: list[str] = []
        for loc in locs:
            if loc is None:
                continue
            strategy, text = wanted_words(loc)
            wanted.append(b.text(text))
            best += rank(b.text(text), strategy, words)
        best.sort(key=lambda c: -c.score)
        self.findings.append(
            Finding(
                str(file),
                step.line,
                step.describe(),
                "missing",
                same(why),
                wanted=" / ".join(wanted),
                candidates=tuple(best[:3]),
            )
        )

    def _require(self, step: Require, file: Path, b: Bindings, state: StepState) -> None:
        cond = step.condition
        if cond.records is not None:
            self._note(
                file,
                step,
                "no_page",
                ("ต้องใช้ทุกรายการ: edubot run ตรวจข้อนี้", "needs every record: `edubot run` checks it"),
            )
            return
        try:
            holds = condition_holds(self.page, cond, b, state, self.run_state)
        except PortalError as exc:
            self._note(file, step, "failed", same(self._masked(str(exc), b)))
            return
        if holds:
            self._note(file, step, "found", ("เป็นจริง", "holds"))
            return
        said = b.text(step.message)
        message = (f"การรันจะหยุดตรงนี้: {said}", f"a run would stop here: {said}")
        target = cond.visible
        if target is None:
            self._note(file, step, "failed", message)
            return
        strategy, text = wanted_words(target)
        self.findings.append(
            Finding(
                str(file),
                step.line,
                step.describe(),
                "missing",
                message,
                wanted=b.text(text),
                candidates=rank(b.text(text), strategy, page_words(self.page)),
            )
        )

    # -- helpers -----------------------------------------------------------------------------

    def _env(self, b: Bindings) -> ActionEnv:
        # Never allowed to press an irreversible button: the engine refuses it too.
        return ActionEnv(
            bindings=b,
            artefacts_dir=self.artefacts_dir,
            allow_irreversible=False,
            timeout_ms=self.timeout_ms,
            run=self.run_state,
            may_request=self.may_request,
        )

    def _perform(self, step: Step, file: Path, b: Bindings, state: StepState) -> None:
        try:
            perform(self.page, step, self._env(b), state)  # type: ignore[arg-type]
        except PortalRejected as exc:
            self._stop(file, step, "refused", same(self._masked(str(exc), b)))
        except PortalError as exc:
            self._stop(file, step, "failed", same(self._masked(str(exc), b)))

    def _leave_page(self, file: Path, line: int) -> None:
        """Keep the page being left (capture, structure hash), once per page."""
        if self.page_kept:
            return
        self.page_kept = True
        self.capture.keep(self.page, line, str(file), self.opened_by)

    def _note(
        self, file: Path, step: Step, status: Status, detail: Said = ("", ""), element: str = ""
    ) -> None:
        self.findings.append(
            Finding(str(file), step.line, step.describe(), status, detail, element)
        )

    def _fail_last(self, status: Status, detail: Said, b: Bindings) -> None:
        last = self.findings.pop()
        masked = (self._masked(detail[0], b), self._masked(detail[1], b))
        self.findings.append(
            Finding(last.flow_file, last.line, last.step, status, masked, last.element)
        )

    def _stop(self, file: Path, step: Step, status: Status, detail: Said) -> NoReturn:
        self._note(file, step, status, detail)
        raise Stop

    def _search_box(self, loc: Locator, b: Bindings) -> Said | None:
        """Why the field is a search box (typed into by a probe), or None when it is not:
        a field of a form sent by GET, or one the portal names as a list's search field."""
        try:
            box = locate(self.page, loc, b).first.evaluate(_SEARCH_BOX_JS)
        except PlaywrightError:
            return None
        if box["get"]:
            return _SEARCH_TYPED
        if self.commands.is_search_field(str(box["name"])):
            return _SEARCH_FIELD_TYPED
        return None

    def _masked(self, text: str, b: Bindings) -> str:
        return redact(text, personal_values(b.record or {}))


def _several(elements: tuple[str, ...]) -> Said:
    named = " / ".join(elements[:2])
    return (f"พบ {len(elements)} รายการ: {named}", f"matches {len(elements)} elements: {named}")


_SEARCH_BOX_JS = """
e => ({
  get: !!e.form && (e.form.getAttribute('method') || 'get').toLowerCase() === 'get',
  name: e.getAttribute('name') || '',
})
"""
