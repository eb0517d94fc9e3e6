"""An irreversible click is pressed at most once in a run: `perform` itself refuses a press
the run's press log holds, before the page is touched. (The runner's side of the rule is in
test_runner_rules.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.engine.actions import ActionEnv, PressLog, RunState, StepState, perform
from bot.errors import OutcomeUnknown
from bot.flow.binding import Bindings
from bot.flow.loader import load_flow
from bot.flow.model import Click, Flow

FLOW = """\
name: confirm
portal: lec
input: {records: student}
steps:
  - for_each: record
    steps:
      - click:
          role: button
          name: ยืนยันการส่ง
          dialog: {accept: ยืนยันการส่ง}
          irreversible: true
          verify: {goto: status, visible: {text: ส่งแล้ว}}
      - expect: {text: ส่งรายงานเรียบร้อยแล้ว}
"""


class _NoPage:
    """A page no step may touch: any use fails the test."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the page was used ({name}) where nothing may be pressed")


def _flow(tmp_path: Path) -> Flow:
    path = tmp_path / "confirm.yaml"
    path.write_text(FLOW, encoding="utf-8")
    return load_flow(path)


def _click(flow: Flow) -> Click:
    return next(s for s in flow.walk() if isinstance(s, Click))


def test_another_worker_never_presses_what_one_pressed(tmp_path: Path) -> None:
    """The press log is the run's, shared by its workers: a claimed press is refused before
    the page is touched."""
    flow = _flow(tmp_path)
    click = _click(flow)
    presses = PressLog()
    bindings = Bindings(None, {}, {}).with_record({"national_id": "k1"})
    assert presses.claim(click, bindings)
    env = ActionEnv(bindings, tmp_path, True, 1000, RunState(presses=presses))

    with pytest.raises(OutcomeUnknown, match="never presses it twice"):
        perform(_NoPage(), click, env, StepState())  # type: ignore[arg-type]

    presses.settle(click, bindings)
    perform(_NoPage(), click, env, StepState())  # type: ignore[arg-type]  # done: not pressed
    other = Bindings(None, {}, {}).with_record({"national_id": "k2"})
    assert presses.claim(click, other)  # another child's button is its own
