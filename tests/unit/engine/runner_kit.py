"""Flows, records and a runner on a `FakePortal`, for the runner's unit tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine.actions import PressLog, RunState
from bot.engine.patience import Patience, PatiencePolicy
from bot.engine.records import PlannedRecord, RecordResult
from bot.engine.runner import Runner
from bot.flow.binding import Bindings
from bot.flow.loader import load_flow
from bot.flow.model import Flow, Step
from bot.secrets import Credentials, Secret
from tests.unit.engine.fake_clock import FakeClock
from tests.unit.engine.fake_tab import FakePortal

LOGIN = """\
name: login
portal: lec
steps:
  - goto: index.jsp
  - fill: {label: Username, value: "${secret.lec.username}"}
  - fill: {label: Password, value: "${secret.lec.password}"}
  - click: {role: button, name: Sign in}
  - reject_on: {css: .swal2-popup}
"""

SAVE_EACH = """\
name: save-each
portal: lec
input: {records: student}
relogin:
  when: {url: "*index.jsp*"}
  run: login
steps:
  - run: login
  - for_each: record
    steps:
      - goto: student/form.do
      - fill: {label: เลขประจำตัวประชาชน, value: "${record.national_id}"}
      - click: {role: button, name: Save}
      - reject_on: {css: .swal2-popup}
      - mark: added
      - expect: {text: บันทึกข้อมูลเรียบร้อย}
"""

CONFIRM_EACH = """\
name: confirm-each
portal: lec
input: {records: student}
relogin:
  when: {url: "*index.jsp*"}
  run: login
steps:
  - run: login
  - for_each: record
    steps:
      - goto: school/confirm.do
      - click:
          role: button
          name: ยืนยันการส่ง
          dialog: {accept: ยืนยันการส่ง}
          irreversible: true
          verify: {goto: school/status.do, visible: {text: ส่งแล้ว}}
      - mark: submitted
      - expect: {text: ส่งรายงานเรียบร้อยแล้ว}
"""


def backoffs(pauses: list[float], first_s: float = 1.0) -> int:
    """How many waits, after checking that each fell in its window of exponential backoff with
    full jitter (bot.engine.patience): the n-th between 0 and first_s * 2**(n-1)."""
    for n, wait in enumerate(pauses, start=1):
        assert 0 <= wait <= first_s * 2 ** (n - 1), (n, wait, pauses)
    return len(pauses)


def write_flow(tmp_path: Path, text: str) -> Flow:
    folder = tmp_path / "flows"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "login.yaml").write_text(LOGIN, encoding="utf-8")
    path = folder / "main.yaml"
    path.write_text(text, encoding="utf-8")
    return load_flow(path)


def line_of(flow: Flow, kind: str, words: str = "", *, in_loop: bool = False) -> int:
    """The line of the flow's first `kind` step whose description holds `words` (with
    `in_loop`, the first one inside `for_each`: a login sub-flow has lines of its own)."""
    steps: list[Step] = flow.walk()
    if in_loop:
        steps = steps[next(i for i, s in enumerate(steps) if s.kind == "for_each") :]
    return next(s.line for s in steps if s.kind == kind and words in s.describe() and s.line)


def records(count: int) -> list[PlannedRecord]:
    return [
        PlannedRecord(i, f"110370207100{i}", f"1-1037-xxxxx-0{i}-x", {"national_id": f"k{i}"})
        for i in range(1, count + 1)
    ]


@dataclass
class Heard:
    """A RunListener that keeps what it is told."""

    started: list[str] = field(default_factory=list)
    results: list[RecordResult] = field(default_factory=list)
    # Called after each record, as the run goes on (e.g. the session expires meanwhile).
    between: Callable[[RecordResult], None] = lambda result: None

    def start_run(self, flow: object, total: int) -> None: ...

    def start_record(self, record: PlannedRecord) -> None:
        self.started.append(record.values["national_id"])

    def end_record(self, result: RecordResult) -> None:
        self.results.append(result)
        self.between(result)

    def end_run(self) -> None: ...

    @property
    def statuses(self) -> list[str]:
        return [r.status for r in self.results]


@dataclass
class Kit:
    """A runner on a fake portal, with what it heard and the pauses it made."""

    runner: Runner
    portal: FakePortal
    heard: Heard
    pauses: list[float]


def kit(
    tmp_path: Path,
    flow: Flow,
    portal: FakePortal | None = None,
    presses: PressLog | None = None,
    attempts: int = 3,
    patience: Patience | None = None,
) -> Kit:
    portal = portal or FakePortal()
    heard, pauses, clock = Heard(), list[float](), FakeClock()

    def pause(seconds: float) -> None:
        pauses.append(seconds)
        clock.advance(seconds)

    creds = Credentials("school", Secret(portal.password, "lec.password"), "environment")
    runner = Runner(
        flow=flow,
        tab=portal,
        bindings=Bindings(None, {"lec": creds}, {}),
        artefacts_dir=tmp_path / "run",
        listener=heard,
        allow_irreversible=True,
        patience=patience
        or Patience(PatiencePolicy(unsure_attempts=attempts, backoff_s=1.0), clock=clock),
        pause=pause,
        run_state=RunState(presses=presses or PressLog()),
    )
    return Kit(runner, portal, heard, pauses)
