"""Checks a loaded flow must pass before a browser opens: placeholders and secrets.

The loader proves a flow is well-formed; these checks prove it makes sense for the data it will
be given, and that it cannot leak a password (a literal password in a flow, or a secret placed
where it could be shown, is refused).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.errors import FlowError
from bot.flow.binding import PLACEHOLDER, Reference, references
from bot.flow.model import (
    Fill,
    FillForm,
    Flow,
    ForEach,
    Locator,
    Require,
    RunFlow,
    Step,
    When,
    irreversible_steps,
)
from bot.flows_catalogue import flows_root, subflow_candidates
from bot.i18n import say

_PASSWORD_WORDS = ("password", "รหัสผ่าน", "passwd")


def _looks_like_password(loc: Locator) -> bool:
    texts = (loc.label, loc.placeholder, loc.name, loc.css, loc.testid)
    return any(w in (t or "").lower() for t in texts for w in _PASSWORD_WORDS)


def _record_scoped_steps(steps: tuple[Step, ...], inside: bool, out: set[int]) -> None:
    for step in steps:
        if inside:
            out.add(id(step))
        if isinstance(step, ForEach):
            _record_scoped_steps(step.steps, True, out)
        elif isinstance(step, When):
            _record_scoped_steps(step.steps + step.otherwise, inside, out)
        elif hasattr(step, "steps"):
            _record_scoped_steps(step.steps, inside, out)


def _reference_problem(ref: Reference, fields: Collection[str] | None, in_loop: bool) -> str | None:
    if not ref.namespace:
        return (
            f"placeholder ${{{ref.name}}} is not understood; write ${{record.FIELD}}, "
            "${secret.PORTAL.password} or ${config.NAME}"
        )
    if ref.namespace == "secret":
        if not ref.secret_allowed:
            return (
                f"${{secret.{ref.name}}} may only be the value of a `fill` step, "
                "so that it is never shown, logged or put in an address"
            )
        if PLACEHOLDER.fullmatch(ref.text) is None:
            return f"${{secret.{ref.name}}} must be the whole value, not part of {ref.text!r}"
        return None
    if ref.namespace == "record":
        if not in_loop:
            return f"${{record.{ref.name}}} is used outside `for_each: record`"
        if fields is not None and ref.name not in fields:
            guess = difflib.get_close_matches(ref.name, list(fields), n=1)
            hint = f"; did you mean record.{guess[0]}?" if guess else ""
            return f"records have no field {ref.name!r}{hint}"
    return None


def check_flow(flow: Flow, record_fields: Collection[str] | None = None) -> list[FlowError]:
    """Every problem of the flow's placeholders and secrets, each naming file:line."""
    scoped: set[int] = set()
    # A flow that declares input but has no loop is a per-record fragment, run inside one.
    fragment = flow.input is not None and not any(isinstance(s, ForEach) for s in flow.steps)
    _record_scoped_steps(flow.steps, fragment, scoped)
    problems: list[FlowError] = []
    for ref in references(flow):
        message = _reference_problem(ref, record_fields, id(ref.step) in scoped)
        if message:
            problems.append(
                FlowError(
                    flow.path, ref.step.line, message, "see README, section Flows › placeholders"
                )
            )
    for step in flow.walk():
        literal = isinstance(step, Fill) and _looks_like_password(step.locator)
        if literal and isinstance(step, Fill) and not step.value.startswith("${secret."):
            problems.append(
                FlowError(
                    flow.path,
                    step.line,
                    "a password is written into the flow; flows must never hold passwords",
                    'reference it instead: value: "${secret.lec.password}", and store it with '
                    "`edubot login lec`",
                )
            )
        if isinstance(step, FillForm) and any(
            w in label.lower() for label in step.fields for w in _PASSWORD_WORDS
        ):
            problems.append(
                FlowError(
                    flow.path,
                    step.line,
                    "fill_form may not fill a password field",
                    "use a `fill` step with ${secret...}",
                )
            )
    return problems


@dataclass(frozen=True)
class GuardWarning:
    """A guard in front of an irreversible step that judges by absence, with no anchor."""

    path: str
    line: int
    guard: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: " + say(
            'คำเตือน: เงื่อนไขก่อนขั้นตอนที่ย้อนกลับไม่ได้ตัดสินจาก "ไม่พบ" '
            f"({self.guard}) ถ้าหน้าเว็บเปลี่ยนไปเงื่อนไขจะผ่านเอง ให้เพิ่ม anchor: สิ่งที่หน้านั้นต้องแสดง",
            "warning: a guard in front of an irreversible step judges by absence "
            f"({self.guard}); on a changed page it passes by itself. Add `anchor:` — what the "
            "page must positively show before the absence is believed.",
        )


def guard_warnings(flow: Flow) -> list[GuardWarning]:
    """Negative guards (`require: not_visible`, a `when` whose absence branch presses an
    irreversible button) with no `anchor`, each naming its flow file:line."""
    found: list[GuardWarning] = []
    _negative_guards(flow.steps, flow.path, found)
    return found


def _negative_guards(steps: Sequence[Step], path: str, found: list[GuardWarning]) -> None:
    for index, step in enumerate(steps):
        if isinstance(step, Require):
            cond = step.condition
            gates = _presses_irreversible(steps[index + 1 :])
            if cond.not_visible is not None and cond.anchor is None and gates:
                found.append(GuardWarning(path, step.line, step.describe()))
        elif isinstance(step, When):
            cond = step.condition
            on_absence: Sequence[Step] = ()
            if cond.visible is not None:
                on_absence = step.otherwise
            elif cond.not_visible is not None:
                on_absence = step.steps
            if cond.anchor is None and _presses_irreversible(on_absence):
                found.append(GuardWarning(path, step.line, step.describe()))
            _negative_guards(step.steps, path, found)
            _negative_guards(step.otherwise, path, found)
        elif isinstance(step, RunFlow):
            _negative_guards(step.steps, _subflow_path(path, step.flow), found)
        elif isinstance(step, ForEach):
            _negative_guards(step.steps, path, found)


def _presses_irreversible(steps: Sequence[Step]) -> bool:
    return bool(irreversible_steps(steps))


def _subflow_path(path: str, name: str) -> str:
    """Where the loader found sub-flow `name` (beside the flow, else under the flows folder)."""
    candidates = subflow_candidates(Path(path), flows_root(Path(path)), name)
    return str(next((c for c in candidates if c.is_file()), candidates[-1]))
