"""The runner's rule for irreversible clicks, without a browser: pressed at most once.

`perform` and `read_back` are the runner's seams to the page; here the click "presses" by
claiming the run's press log exactly as `bot.engine.actions` does, and then loses its answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import bot.engine.runner
from bot.engine.actions import ActionEnv, PressLog, RunState, StepState, perform
from bot.engine.runner import PlannedRecord, RetryPolicy, Runner
from bot.errors import OutcomeUnknown, StepFailed
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

    def on(self, event: str, handler: Any) -> None:
        pass  # the runner watches for crashes

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the page was used ({name}) where nothing may be pressed")


class _Listener:
    def __init__(self) -> None:
        self.results: list[bot.engine.runner.RecordResult] = []

    def start_run(self, flow: object, total: int) -> None: ...
    def start_record(self, record: object) -> None: ...
    def end_record(self, result: bot.engine.runner.RecordResult) -> None:
        self.results.append(result)

    def end_run(self) -> None: ...


def _flow(tmp_path: Path) -> Flow:
    path = tmp_path / "confirm.yaml"
    path.write_text(FLOW, encoding="utf-8")
    return load_flow(path)


def _click(flow: Flow) -> Click:
    return next(s for s in flow.walk() if isinstance(s, Click))


def _record(index: int) -> PlannedRecord:
    return PlannedRecord(index, f"k{index}", f"k{index}", {"national_id": f"k{index}"})


class _LostAnswers:
    """`perform` whose irreversible click claims the press log, then times out; other steps
    pass. Counts the presses that reached the portal."""

    def __init__(self) -> None:
        self.presses: list[str] = []

    def __call__(self, page: Any, step: Any, env: ActionEnv, state: StepState) -> None:
        if isinstance(step, Click):
            b = env.bindings
            if env.run.presses.done(step, b):
                return
            if not env.run.presses.claim(step, b):
                raise OutcomeUnknown("pressed twice")
            state.pressed = (step, b)
            self.presses.append(str((b.record or {}).get("national_id")))
            raise StepFailed("Timeout 1500ms exceeded while waiting for event 'framenavigated'")


def _runner(tmp_path: Path, flow: Flow, listener: _Listener, presses: PressLog) -> Runner:
    return Runner(
        flow=flow,
        page=_NoPage(),  # type: ignore[arg-type]
        bindings=Bindings(None, {}, {}),
        artefacts_dir=tmp_path,
        listener=listener,
        allow_irreversible=True,
        retry=RetryPolicy(attempts=3, backoff_s=0),
        pause=lambda seconds: None,
        run_state=RunState(presses=presses),
    )


def test_an_unreadable_outcome_stops_the_run_after_one_press(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lost = _LostAnswers()
    monkeypatch.setattr(bot.engine.runner, "perform", lost)
    monkeypatch.setattr(bot.engine.runner, "read_back", lambda page, click, b, timeout: False)
    monkeypatch.setattr(Runner, "_evidence", lambda self, record: None)
    runner = _runner(tmp_path, _flow(tmp_path), _Listener(), PressLog())

    with pytest.raises(OutcomeUnknown) as stopped:
        runner.run([_record(1), _record(2)])

    assert lost.presses == ["k1"]  # not retried, and the next record never started
    assert "will not press again" in str(stopped.value) and "status" in str(stopped.value)


def test_an_outcome_read_back_as_done_is_never_pressed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lost = _LostAnswers()
    monkeypatch.setattr(bot.engine.runner, "perform", lost)
    monkeypatch.setattr(bot.engine.runner, "read_back", lambda page, click, b, timeout: True)
    listener = _Listener()
    runner = _runner(tmp_path, _flow(tmp_path), listener, PressLog())

    runner.run([_record(1), _record(2)])

    assert lost.presses == ["k1", "k2"]  # each record's button once, whatever the retries
    assert [r.status for r in listener.results] == ["done", "done"]


def test_a_read_back_that_meets_the_login_page_logs_in_and_reads_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lost = _LostAnswers()
    reads = iter([False, True])  # the login page first, then the status after logging in
    logins: list[str] = []
    monkeypatch.setattr(bot.engine.runner, "perform", lost)
    monkeypatch.setattr(bot.engine.runner, "read_back", lambda page, click, b, timeout: next(reads))

    def log_in_again(self: Runner) -> bool:
        logins.append("in")
        return True

    monkeypatch.setattr(Runner, "_relogin_if_needed", log_in_again)
    listener = _Listener()
    runner = _runner(tmp_path, _flow(tmp_path), listener, PressLog())

    runner.run([_record(1)])

    assert lost.presses == ["k1"] and logins == ["in"]
    assert [r.status for r in listener.results] == ["done"]


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
