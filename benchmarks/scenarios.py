"""The runs of one scenario (N records × latency): edubot three ways, two scripts, plain HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.data import Dataset, students, with_other_room, write_dataset
from benchmarks.measure import Run, run_process
from benchmarks.mock import Mock, fresh_mock
from mock_portals.lec.markup import ACCESSIBLE, DEFAULT_MARKUP

ROOT = Path(__file__).resolve().parent.parent
EDUBOT = ROOT / ".venv" / "bin" / "edubot"
FLOW = ROOT / "flows" / "lec" / "students.yaml"


CONTENDERS = ("edubot", "handwritten-label", "handwritten-evaluate", "http")


@dataclass(frozen=True)
class Scenario:
    records: int
    latency_ms: float
    workers: tuple[int, ...]
    workers_supported: bool
    contenders: frozenset[str] = frozenset(CONTENDERS)
    # Runs of edubot (adding, one worker) and of the hand-written scripts, each pair on fresh
    # mocks. One pair's ratio moved by ±10 % from run to run on this 2-core VM (1.01× to 1.22×
    # for the same commit), so the engine target is judged on the median of several.
    pairs: int = 1
    # The mock's rendering: the framework's (the default) or the accessible one (earlier results).
    markup: str = DEFAULT_MARKUP


def edubot_supports_workers() -> bool:
    """Whether `edubot run` takes --workers yet (another engineer is adding it)."""
    help_text = subprocess.run(
        [str(EDUBOT), "run", "--help"], capture_output=True, text=True, check=False
    ).stdout
    return "--workers" in help_text


def timeout_for(records: int, latency_ms: float) -> float:
    """Generous (a busy 2-core machine): 2 minutes to start, then 6 s + 6 round trips a record."""
    return 120 + records * (6.0 + 6 * latency_ms / 1000)


def run_scenario(scenario: Scenario, work: Path, say: Callable[[str], None]) -> list[Run]:
    """Every contender of one scenario, each against its own fresh mock."""
    n, lat = scenario.records, scenario.latency_ms
    children = students(n)
    data = write_dataset(work / "data", "children", children)
    moved = write_dataset(work / "data", "children-other-room", with_other_room(children))
    runs: list[Run] = []
    wanted = scenario.contenders
    for workers in scenario.workers if "edubot" in wanted else ():
        say(f"  edubot, {workers} worker(s)")
        runs += _edubot_sequence(scenario, workers, data, moved, work)
    if wanted & {"handwritten-label", "handwritten-evaluate"}:
        say("  hand-written script(s)")
        runs += _scripts(scenario, 0, data, work, moved)
    for sample in range(1, scenario.pairs):
        say(f"  engine-ratio pair {sample + 1} of {scenario.pairs}")
        runs += _another_pair(scenario, sample, data, work)
    if "http" in wanted:
        say("  plain HTTP")
        argv = [sys.executable, "-m", "benchmarks.plain_http", "{url}", str(data.fields_json)]
        runs += _floor([(Run("http", "added", n, lat), argv)], work)
    return runs


def _another_pair(scenario: Scenario, sample: int, data: Dataset, work: Path) -> list[Run]:
    """One more edubot-adding run and hand-written run each, on fresh mocks; who goes first
    alternates, so that a machine slowly getting busier does not favour one side."""
    n, lat = scenario.records, scenario.latency_ms

    def edubot() -> list[Run]:
        if "edubot" not in scenario.contenders or 1 not in scenario.workers:
            return []
        run = Run("edubot", "added", n, lat, sample=sample)
        with (
            fresh_mock(lat, scenario.markup) as mock,
            tempfile.TemporaryDirectory(prefix="edubot-bench-") as home,
        ):
            report = Path(home) / "run-added" / "report.json"
            argv = [str(EDUBOT), "run", str(FLOW), "--data", str(data.xlsx)]
            argv += ["--run-dir", str(report.parent)]
            env = _edubot_env(mock.url, Path(home))
            run_process(run, argv, env, mock, work / f"pair{sample}" / "logs", timeout_for(n, lat))
            _read_report(run, report, mock)
        return [run]

    def scripts() -> list[Run]:
        return _scripts(scenario, sample, data, work / f"pair{sample}")

    if sample % 2:
        return [*scripts(), *edubot()]
    return [*edubot(), *scripts()]


def _scripts(
    scenario: Scenario, sample: int, data: Dataset, work: Path, moved: Dataset | None = None
) -> list[Run]:
    """The hand-written script, once per fill style asked for, each on a fresh mock in edubot's
    rendering. On the framework's only the `evaluate` style is written (its labels have no
    `for=`, so `get_by_label` finds nothing there), and, given `moved`, it then changes every
    child on the same mock: the floor of edubot's *changed* case."""
    runs = []
    for fill in ("label", "evaluate"):
        if f"handwritten-{fill}" not in scenario.contenders:
            continue
        if fill == "label" and scenario.markup != ACCESSIBLE:
            continue
        cases = [("added", data)]
        if moved is not None and scenario.markup != ACCESSIBLE:
            cases.append(("changed", moved))
        steps = []
        for case, dataset in cases:
            argv = [sys.executable, "-m", "benchmarks.handwritten", "{url}"]
            argv += [str(dataset.fields_json), "--fill", fill, "--markup", scenario.markup]
            run = Run(f"handwritten-{fill}", case, scenario.records, scenario.latency_ms)
            run.sample = sample
            steps.append((run, [*argv, "--case", case]))
        runs += _floor(steps, work, scenario.markup)
    return runs


def _edubot_sequence(
    scenario: Scenario, workers: int, data: Dataset, moved: Dataset, work: Path
) -> list[Run]:
    """Fresh school (all added), a re-run (unchanged) and a moved-room run (all changed): each
    worker count runs all three, as changing holds the most memory (3 page loads a child)."""
    n, lat = scenario.records, scenario.latency_ms
    runs = []
    with (
        fresh_mock(lat, scenario.markup) as mock,
        tempfile.TemporaryDirectory(prefix="edubot-bench-") as home,
    ):
        env = _edubot_env(mock.url, Path(home))
        for case, dataset in (("added", data), ("unchanged", data), ("changed", moved)):
            run = Run("edubot", case, n, lat, workers)
            argv = [str(EDUBOT), "run", str(FLOW), "--data", str(dataset.xlsx)]
            argv += ["--run-dir", str(Path(home) / f"run-{case}")]
            if scenario.workers_supported:
                argv += ["--workers", str(workers)]
            logs = work / "logs" / f"edubot-w{workers}"
            runs.append(run_process(run, argv, env, mock, logs, timeout_for(n, lat)))
            _read_report(run, Path(home) / f"run-{case}" / "report.json", mock)
            if not run.ok:
                break  # later cases build on this one
    return runs


def _floor(steps: list[tuple[Run, list[str]]], work: Path, markup: str = ACCESSIBLE) -> list[Run]:
    """Runs of a floor contender, one after the other on one fresh mock. Plain HTTP posts to the
    accessible rendering's form.do and save.do, which the framework's entity pages do not
    answer; the hand-written script knows both renderings."""
    with fresh_mock(steps[0][0].latency_ms, markup) as mock:
        env = {**os.environ, "EDUBOT_LEC_USERNAME": "school", "EDUBOT_LEC_PASSWORD": "demo"}
        for run, argv in steps:
            argv = [a.replace("{url}", mock.url) for a in argv]
            timeout = timeout_for(run.records, run.latency_ms)
            run_process(run, argv, env, mock, work / "logs", timeout)
            _check_stored(run, mock)
    return [run for run, _ in steps]


def _edubot_env(url: str, home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "EDUBOT_LEC_URL": url,
        "EDUBOT_LEC_USERNAME": "school",
        "EDUBOT_LEC_PASSWORD": "demo",
        "EDUBOT_DATA_DIR": str(home / "data"),
        # No keyring on a benchmark machine: credentials come from the environment, as README says.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }


def _read_report(run: Run, report: Path, mock: Mock) -> None:
    if report.exists():
        totals = json.loads(report.read_text(encoding="utf-8"))["totals"]
        run.outcomes = {k: v for k, v in totals.items() if v}
    expected = {"added": "added", "unchanged": None, "changed": "updated"}[run.case]
    failed = run.outcomes.get("failed", 0)
    done = run.outcomes.get(expected, 0) if expected else run.records - failed
    if run.ok and done != run.records:
        run.ok, run.error = False, f"expected {run.records} {run.case}, report says {run.outcomes}"
    if run.ok and run.case == "added":
        _check_stored(run, mock)


def _check_stored(run: Run, mock: Mock) -> None:
    stored = mock.student_count()
    if run.ok and stored != run.records:
        run.ok, run.error = False, f"the mock holds {stored} children, expected {run.records}"
