"""The walk: a flow's steps in order, each resolved on the page as it is, nothing changed.

The login sub-flow runs as in a run (it types the officer's login and picks the organisation;
the guard lets its posts through). Every other step is resolved (`resolve`): fields found, not
filled; links followed, since a link only reads; buttons that would save or confirm reported
as "would press", after which the pages they lead to never come, so the steps after them are
listed as not checked. A `when` follows the branch the page and the record take, except
`record: equal`, which a probe never takes: an unchanged record would show no page at all.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from bot.data.fields import personal_values
from bot.engine.actions import StepState, condition_holds, perform
from bot.errors import PortalError, PortalRejected
from bot.flow.binding import Bindings
from bot.flow.model import (
    Click,
    Flow,
    ForEach,
    Goto,
    RunFlow,
    Step,
    When,
)
from bot.log import redact
from bot.probe.findings import Finding, Said, masked_finding, same
from bot.probe.guard import RequestGuard
from bot.probe.leaves import AFTER_PRESS, LeafChecks, Stop
from bot.probe.resolve import resolve


@dataclass(kw_only=True)
class Walk(LeafChecks):
    """One probe of one flow on one page, with one record."""

    flow: Flow
    bindings: Bindings
    record: Mapping[str, str] | None
    guard: RequestGuard

    def run(self) -> list[Finding]:
        """Walk the whole flow; the findings, in the order of the steps."""
        with contextlib.suppress(Stop):
            self._steps(self.flow.steps, Path(self.flow.path), self.bindings, StepState())
        self._leave_page(Path(self.flow.path), 0)
        personal = personal_values(self.record or {})
        return [masked_finding(f, personal) for f in self.findings]

    # -- structure ---------------------------------------------------------------------------

    def _steps(self, steps: Sequence[Step], file: Path, b: Bindings, state: StepState) -> None:
        for step in steps:
            self._step(step, file, b, state)

    def _step(self, step: Step, file: Path, b: Bindings, state: StepState) -> None:
        if isinstance(step, RunFlow):
            sub = _subflow_file(file, step.flow, Path(self.flow.path))
            if self._is_login(step) and not self.after_press:
                self._login(step, sub, b)
            else:
                self._steps(step.steps, sub, b, state)
        elif isinstance(step, ForEach):
            if self.record is None:
                self._note(file, step, "not_taken", ("ไม่มีรายการ", "no record to walk with"))
                return
            self._steps(step.steps, file, b.with_record(self.record), StepState())
        elif self.after_press:
            self._note(file, step, "after_press", AFTER_PRESS)
        else:
            try:
                if isinstance(step, When):
                    self._when(step, file, b, state)
                else:
                    self._leaf(step, file, b, state)
            except PlaywrightError as exc:  # the page went away under the step (a navigation)
                reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                self._note(file, step, "failed", same(self._masked(reason, b)))

    def _is_login(self, step: RunFlow) -> bool:
        relogin = self.flow.relogin
        return step.flow == relogin.run if relogin else step.flow.rsplit("/", 1)[-1] == "login"

    def _login(self, step: RunFlow, file: Path, b: Bindings) -> None:
        """The login runs for real: its fields are typed, its button pressed."""
        state = StepState()
        with self.guard.logging_in():
            self._live(step.steps, file, b, state)

    def _live(self, steps: Sequence[Step], file: Path, b: Bindings, state: StepState) -> None:
        env = self._env(b)
        for step in steps:
            if isinstance(step, When):
                holds = self._holds(step, file, b, state)
                self._live(step.steps if holds else step.otherwise, file, b, state)
                continue
            if isinstance(step, RunFlow):
                self._live(
                    step.steps, _subflow_file(file, step.flow, Path(self.flow.path)), b, state
                )
                continue
            if isinstance(step, ForEach):
                self._stop(file, step, "failed", same("for_each in a login flow"))
            if isinstance(step, Goto | Click):
                self._leave_page(file, step.line)
            try:
                perform(self.page, step, env, state)
            except PortalRejected as exc:
                self._stop(file, step, "refused", _login_refused(str(exc)))
            except PortalError as exc:
                if step.optional:
                    self._note(file, step, "logged_in", same(redact(str(exc))))
                    continue
                locator = getattr(step, "locator", None)
                found = resolve(self.page, locator, b, 0) if locator is not None else None
                if found is not None and not found.elements:
                    self._missing(step, file, found)
                    raise Stop from None
                self._stop(file, step, "failed", same(redact(str(exc))))
            if isinstance(step, Goto | Click):
                self.page_kept = False
            self._note(file, step, "logged_in")

    def _when(self, step: When, file: Path, b: Bindings, state: StepState) -> None:
        holds = self._holds(step, file, b, state)
        taken, other = (step.steps, step.otherwise) if holds else (step.otherwise, step.steps)
        self._note(
            file, step, "found",
            ("เป็นจริง", "holds") if holds else ("ไม่เป็นจริง", "does not hold"),
        )  # fmt: skip
        skipped = _leaves(other)
        if skipped:
            self.findings.append(
                Finding(
                    str(file),
                    skipped[0].line,
                    f"{step.describe()}: {len(skipped)} step(s)",
                    "not_taken",
                    (
                        f"อีกทางหนึ่งไม่ได้ตรวจ {len(skipped)} ขั้นตอน",
                        f"the other branch, {len(skipped)} step(s), was not walked",
                    ),
                )
            )
        self._steps(taken, file, b, state)

    def _holds(self, step: When, file: Path, b: Bindings, state: StepState) -> bool:
        cond = step.condition
        if cond.record == "equal":
            return False  # walk the pages a changed record takes
        try:
            return condition_holds(self.page, cond, b, state, self.run_state)
        except PortalError as exc:
            self._stop(file, step, "failed", same(self._masked(str(exc), b)))


def _login_refused(reason: str) -> Said:
    reason = redact(reason)
    return (
        f"{reason} — เข้าสู่ระบบไม่ได้: ตรวจชื่อผู้ใช้และรหัสผ่านที่บันทึกไว้ (edubot login)",
        f"{reason} — the login failed: check the stored login with `edubot login`",
    )


def _leaves(steps: Sequence[Step]) -> list[Step]:
    out: list[Step] = []
    for step in steps:
        if isinstance(step, When):
            out += _leaves(step.steps) + _leaves(step.otherwise)
        elif isinstance(step, RunFlow | ForEach):
            out += _leaves(step.steps)
        else:
            out.append(step)
    return out


def _subflow_file(current: Path, name: str, top: Path) -> Path:
    """The file of sub-flow `name`, as the loader finds it: beside the flow, else under flows/."""
    beside = current.parent / f"{name}.yaml"
    if beside.is_file():
        return beside
    for parent in top.resolve().parents:
        if parent.name == "flows":
            return parent / f"{name}.yaml"
    return beside
