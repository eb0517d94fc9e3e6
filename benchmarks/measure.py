"""Run one contender as its own process against a mock and measure it.

Each contender (edubot, the hand-written scripts, plain HTTP) is a separate process so that
its memory, its start-up and its requests are its own. The mock stays in this process.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import subprocess
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.memory import Peaks, TreeSampler
from benchmarks.mock import MOCK_PREFIX, Hit, Mock

STUDENT_PREFIX = "/student/"
# bot/engine/runner.py logs "line N attempt K failed: …" and "record K attempt N failed: …"
RETRY_MARK = re.compile(r"\battempt \d+ failed: ")


@dataclass
class Run:
    """What one contender did in one scenario, as the mock and the OS saw it."""

    contender: str  # edubot, handwritten-label, handwritten-evaluate, http
    case: str  # added, unchanged, changed
    records: int
    latency_ms: float
    workers: int = 1
    sample: int = 0  # which pair of an engine-ratio scenario (see Scenario.pairs)
    ok: bool = False
    error: str = ""
    wall_s: float = 0.0  # process spawn → exit
    first_request_s: float | None = None  # process spawn → first request at the mock
    work_s: float = 0.0  # first request arrived → last response ended (login included)
    records_s: float = 0.0  # first /student/ request arrived → last response ended
    requests: dict[str, int] = field(default_factory=dict)  # "METHOD /path" (no /_mock/)
    outcomes: dict[str, int] = field(default_factory=dict)  # from edubot's report.json
    memory: Peaks = field(default_factory=Peaks)
    cpu_s: float = 0.0  # CPU time of the contender's whole tree (Python, driver, browser)
    mock_cpu_s: float = 0.0  # CPU time of this process meanwhile: the mock, mostly
    load_avg: tuple[float, float] = (0.0, 0.0)  # 1-minute load average at spawn and at exit
    # edubot's "attempt N failed" warnings: a retry re-sends requests, so it explains a
    # requests-per-record figure above the floor (at most RETRIES_KEPT kept, all counted)
    retries: list[str] = field(default_factory=list)
    retry_count: int = 0

    @property
    def rate(self) -> float:
        """Records per second over the portal session (login to last response)."""
        return self.records / self.work_s if self.work_s > 0 else 0.0

    @property
    def student_requests(self) -> int:
        return sum(
            n for k, n in self.requests.items() if k.split(" ", 1)[1].startswith(STUDENT_PREFIX)
        )

    @property
    def session_requests(self) -> int:
        """Requests not about one child: login, home, the RPT318 snapshot."""
        return sum(self.requests.values()) - self.student_requests

    @property
    def per_record(self) -> float:
        return self.student_requests / self.records if self.records else 0.0

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        del out["memory"]["cpu_seen"]
        out["memory"]["cpu_by_role_s"] = self.memory.cpu_by_role()
        out.update(
            records_per_s=round(self.rate, 3),
            requests_per_record=round(self.per_record, 3),
            session_requests=self.session_requests,
        )
        return out


def run_process(
    run: Run, argv: list[str], env: dict[str, str], mock: Mock, logs: Path, timeout_s: float
) -> Run:
    """Spawn `argv`, sample its memory until it exits, then read the mock's side of it."""
    mock.log.take()
    before = mock.request_counts()
    logs.mkdir(parents=True, exist_ok=True)
    name = f"{run.contender}-{run.case}-w{run.workers}"
    load_before = os.getloadavg()[0]
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    with (logs / f"{name}.out").open("wb") as out, (logs / f"{name}.err").open("wb") as err:
        spawned = time.monotonic()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        with TreeSampler(proc.pid) as sampler:
            try:
                code = proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                _kill_tree(proc)
                code = -1
                run.error = f"timed out after {timeout_s:.0f} s"
            except BaseException:  # interrupted: leave no browser behind
                _kill_tree(proc)
                raise
        ended = time.monotonic()
    run.cpu_s = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - _cpu(children_before)
    run.mock_cpu_s = _cpu(resource.getrusage(resource.RUSAGE_SELF)) - _cpu(self_before)
    run.load_avg = (load_before, os.getloadavg()[0])
    run.memory = sampler.peaks
    run.wall_s = ended - spawned
    if code != 0 and not run.error:
        tail = (logs / f"{name}.err").read_text(errors="replace").strip().splitlines()[-3:]
        run.error = f"exit {code}: " + " | ".join(tail)
    run.ok = code == 0
    run.retry_count, run.retries = failed_attempts(logs / f"{name}.err")
    _read_mock_side(run, mock.log.take(), mock.request_counts() - before, spawned)
    return run


RETRIES_KEPT = 5


def failed_attempts(stderr: Path) -> tuple[int, list[str]]:
    """How many attempts the contender's log says failed, and the first `RETRIES_KEPT` lines."""
    lines = stderr.read_text(encoding="utf-8", errors="replace").splitlines()
    failed = [line.strip() for line in lines if RETRY_MARK.search(line)]
    return len(failed), failed[:RETRIES_KEPT]


def _cpu(usage: resource.struct_rusage) -> float:
    # Children's times include every descendant they reaped: node reaps Chromium, Python node.
    return usage.ru_utime + usage.ru_stime


def _read_mock_side(run: Run, hits: list[Hit], counts: Counter[str], spawned: float) -> None:
    run.requests = {k: n for k, n in sorted(counts.items()) if MOCK_PREFIX not in k}
    if not hits:
        return
    run.first_request_s = hits[0].arrived - spawned
    run.work_s = max(h.finished for h in hits) - hits[0].arrived
    students = [h for h in hits if h.path.startswith(STUDENT_PREFIX)]
    if students:
        run.records_s = max(h.finished for h in students) - students[0].arrived


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """End a contender that overran, and the browser it started (only this process's tree)."""
    import psutil

    try:
        tree = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        tree = []
    proc.kill()
    for child in tree:
        with contextlib.suppress(psutil.Error):
            child.kill()
    proc.wait()
