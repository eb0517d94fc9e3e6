"""Exactly once, whatever happens: faults, dropped sessions, rejections and SIGKILL (issue 4).
(Many records through a busy hour, in one run: test_struggling_portal.py.)

Every test serves its own mock LEC wrapped in `SaveLog`, which logs each save post on the wire,
so "entered exactly once" is counted where it matters (one accepted add per national ID), not
only inferred from the mock's unique index, which would turn a second add into a rejection.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from typer.testing import CliRunner, Result

from bot.cli.app import app
from bot.data.records import Student
from bot.engine.options import RunOptions
from bot.engine.pipeline import execute, prepare
from bot.engine.records import PlannedRecord, RecordResult
from bot.flow.model import Flow
from bot.log import configure
from bot.ops.scratch import scratch_root
from mock_portals.lec.app import create_app as create_lec
from mock_portals.serve import ServedApp, serve_in_thread
from tests.e2e.conftest import FLOWS, children, write_children
from tests.e2e.resilience_helpers import (
    LOGIN_PATH,
    SAVE_PATH,
    SERVER_ERROR,
    SaveLog,
    assert_report_accounts_for,
    field_mismatches,
    mock_state,
    read_report,
    school_students,
    set_faults,
    stored_ids,
    wait_until,
)

pytestmark = pytest.mark.e2e
STUDENTS_FLOW = FLOWS / "lec" / "students.yaml"
BUSY_HOUR = {
    "latency_ms": 20,
    "jitter_ms": 10,
    "error_rate": 0.1,
    "session_ttl_requests": 40,
    "seed": 4,
}
REJECTED_GRADE = "มัธยมศึกษาปีที่ 1"  # valid for edubot, not taught at the municipal school
GRADE_NOT_TAUGHT = "ระดับชั้นนี้ไม่เปิดสอนในสถานศึกษา"


@dataclass(frozen=True)
class Portal:
    served: ServedApp
    log: SaveLog

    @property
    def url(self) -> str:
        return self.served.url

    def requests(self) -> dict[str, int]:
        counts: dict[str, int] = mock_state(self.served)["requests"]
        return counts


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None) -> Iterator[Portal]:
    """A fresh mock LEC behind a wire log; edubot pointed at it as the municipal school."""
    # SaveLog counts the accessible markup's save URL: this portal renders that markup.
    log = SaveLog(create_lec(tmp_path / "lec-state", markup="accessible"))
    with serve_in_thread(log) as served:
        monkeypatch.setenv("EDUBOT_LEC_URL", served.url)
        monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
        monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
        yield Portal(served, log)


def run_cli(cli: CliRunner, data: Path, run_dir: Path) -> Result:
    args = ["run", str(STUDENTS_FLOW), "--data", str(data), "--run-dir", str(run_dir)]
    return cli.invoke(app, args)


@dataclass(frozen=True)
class Run:
    result: Result
    report: dict[str, Any]
    seconds: float
    aborted: int  # starts that died at the first login: none since the login is retried


def run_to_report(cli: CliRunner, data: Path, run_dir: Path) -> Run:
    """Run the flow once, to its report on every record. The first login is tried again like
    any step when the portal struggles (issue 27), so no run stops there any more."""
    started = time.monotonic()
    result = run_cli(cli, data, run_dir)
    report = read_report(run_dir)
    assert result.exit_code == report["exit_code"], result.output
    assert not report["aborted"], report["aborted"]
    return Run(result, report, time.monotonic() - started, 0)


def statuses(report: dict[str, Any]) -> dict[int, str]:
    return {r["index"]: r["status"] for r in report["records"]}


def assert_exactly_the_input(portal: Portal, kids: list[Student]) -> None:
    """The mock holds each child once, as in the file; each was added once on the wire."""
    wanted = {k.national_id for k in kids}
    everywhere = stored_ids(portal.served)
    assert {i: n for i, n in everywhere.items() if n > 1} == {}, "a national ID stored twice"
    assert wanted <= set(school_students(portal.served)), "children missing from the portal"
    assert field_mismatches(portal.served, kids) == []
    inserts = portal.log.inserts_stored()
    assert {i: inserts[i] for i in wanted if inserts[i] != 1} == {}, "not added exactly once"
    assert not set(portal.log.updates_stored()) & wanted, "a record was saved over needlessly"


# --- 2. SIGKILL at random moments -------------------------------------------------------------

KILLED_RECORDS = 18
KILLS = 3
EDUBOT = Path(sys.executable).with_name("edubot")  # the console script an officer runs


@dataclass
class Subprocess:
    """`edubot run` in its own process group, so a kill takes its Chromium down with it."""

    proc: subprocess.Popen[bytes]
    run_dir: Path

    @classmethod
    def start(cls, portal: Portal, data: Path, run_dir: Path, data_dir: Path) -> Subprocess:
        run_dir.mkdir(parents=True)
        system_tmp = data_dir.parent / "system-tmp"  # stands in for /tmp: nothing may stay there
        system_tmp.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "TMPDIR": str(system_tmp),
            "EDUBOT_LEC_URL": portal.url,
            "EDUBOT_LEC_USERNAME": "school",
            "EDUBOT_LEC_PASSWORD": "demo",
            "EDUBOT_DATA_DIR": str(data_dir),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
        args = [str(EDUBOT), "run", str(STUDENTS_FLOW), "--data", str(data)]
        with (run_dir / "output.txt").open("wb") as output:
            proc = subprocess.Popen(
                [*args, "--run-dir", str(run_dir)],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return cls(proc, run_dir)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole group (edubot, the Playwright driver, Chromium) and reap edubot."""
        with contextlib.suppress(ProcessLookupError):  # the group may be gone already
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        wait_until(
            lambda: not _group_alive(self.proc.pid), 30, "the killed group to die", lambda: True
        )

    def output(self) -> str:
        return (self.run_dir / "output.txt").read_text(encoding="utf-8", errors="replace")


def _group_alive(pgid: int) -> bool:
    """Whether any process of the group still runs (zombies waiting for init do not count)."""
    import psutil

    for proc in psutil.process_iter(["status"]):
        try:
            if os.getpgid(proc.pid) == pgid and proc.info["status"] != psutil.STATUS_ZOMBIE:
                return True
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
    return False


def _reached(count: Callable[[], int], more: int) -> Callable[[], bool]:
    """A condition: `count()` grew by `more` from now."""
    target = count() + more
    return lambda: count() >= target


@pytest.mark.timeout(600)
def test_sigkill_at_random_moments_then_a_rerun_leaves_exactly_the_input(
    portal: Portal, tmp_path: Path, private_data_dir: Path
) -> None:
    seed = int(os.environ.get("EDUBOT_RESILIENCE_SEED", random.randrange(10_000)))
    rng = random.Random(seed)
    kids = children(KILLED_RECORDS, seed=31)
    ids = {k.national_id for k in kids}
    data = write_children(tmp_path / "children.xlsx", kids)
    print(f"seed {seed} (EDUBOT_RESILIENCE_SEED={seed} repeats this test's kills)")
    # Deadline day's faults (issue 27) under the kills: errors, dropped sessions, jitter, and
    # the portal down (503) for a few seconds once, somewhere in the first runs.
    outage = {"down_for_s": 3, "down_from_request": rng.randint(10, 60)}
    set_faults(portal.served, **{**BUSY_HOUR, "seed": seed, **outage})

    def ours() -> int:
        return len(ids & set(school_students(portal.served)))

    def saves() -> int:
        return len(portal.log.snapshot())

    def forms() -> int:
        return portal.requests().get("GET /student/form.do", 0)

    # Kill when the k-th child of this run is stored, right after the k-th save post was
    # answered (stored, the browser not yet told), or while the k-th form is being filled.
    # The last kill waits for a stored child: that run re-read every earlier one first.
    moments = {"stored": ours, "saved": saves, "form": forms}
    kills = [rng.choice(list(moments)) for _ in range(KILLS - 1)] + ["stored"]
    stored_before_last_kill: set[str] = set()
    for n, moment in enumerate(kills, 1):
        if n == KILLS:
            stored_before_last_kill = ids & set(school_students(portal.served))
        # A first kill at the first form would store nothing; with a second such kill the
        # last run would find nothing verified before it (seed 9644 did): the first waits for
        # a second form, so at least one child is stored by then.
        fewest = 2 if n == 1 and moment == "form" else 1
        reached = _reached(moments[moment], rng.randint(fewest, 3))
        run = Subprocess.start(portal, data, tmp_path / f"run-{n}", private_data_dir)
        try:
            wait_until(
                reached,
                240,
                f"run {n}: the moment {moment!r} (seed {seed})",
                run.alive,
            )
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{run.output()}") from None
        finally:
            run.kill()
        assert run.proc.returncode == -signal.SIGKILL, run.output()
        assert not (run.run_dir / "report.json").exists()
    # What Playwright and Chromium keep while a browser runs (trace chunks with the values
    # typed, the profile) stayed in the killed run's scratch folder, not in the system's
    # temporary folder; each new run swept its dead predecessors' folders.
    system_tmp = private_data_dir.parent / "system-tmp"
    assert sorted(p.name for p in system_tmp.iterdir() if "playwright" in p.name) == []
    (left,) = scratch_root(private_data_dir).iterdir()
    assert list(left.glob("playwright-artifacts-*")), sorted(p.name for p in left.iterdir())

    before_final = ids & set(school_students(portal.served))
    assert 0 < len(before_final) < len(ids), f"the kills should leave work (seed {seed})"
    final = Subprocess.start(portal, data, tmp_path / "final", private_data_dir)
    try:
        final.proc.wait(timeout=300)
    finally:
        final.kill()
    assert final.proc.returncode == 0, final.output()
    assert list(scratch_root(private_data_dir).iterdir()) == []

    assert_exactly_the_input(portal, kids)
    report = read_report(final.run_dir)
    assert_report_accounts_for(report, KILLED_RECORDS)
    by_id = {k.national_id: s for k, s in zip(kids, statuses(report).values(), strict=True)}
    for national_id, status in by_id.items():
        if national_id in stored_before_last_kill:
            assert status == "skipped", f"verified before, yet {status} (seed {seed})"
        elif national_id in before_final:
            assert status in ("skipped", "unchanged"), f"stored before, yet {status}"
        else:
            assert status == "added", f"absent before, yet {status} (seed {seed})"
    assert stored_before_last_kill, f"the last kill came before anything was stored ({seed})"
    print(f"\nseed {seed}: killed at {kills}; final run {dict(Counter(by_id.values()))}")


# --- 3. a record the portal rejects, under faults ---------------------------------------------


def test_a_rejected_record_is_posted_once_per_run_under_errors_and_session_expiry(
    cli: CliRunner, portal: Portal, tmp_path: Path
) -> None:
    kids = children(6, seed=5)
    kids[3] = kids[3].model_copy(update={"grade": REJECTED_GRADE})
    refused = kids[3].national_id
    others = kids[:3] + kids[4:]
    data = write_children(tmp_path / "children.xlsx", kids)
    set_faults(portal.served, error_rate=0.15, session_ttl_requests=12, seed=11)

    shown_rejection = 0
    for run in range(1, 5):
        posted_before = len(portal.log.snapshot())
        report = run_to_report(cli, data, tmp_path / f"run-{run}").report
        assert report["exit_code"] == 1
        assert_report_accounts_for(report, len(kids))
        record = report["records"][3]
        assert record["status"] == "failed"
        posts = [p for p in portal.log.snapshot()[posted_before:] if p.national_id == refused]
        refusals = [p for p in posts if p.status == 200]  # the form again, with its errors
        assert len(refusals) <= 1, f"run {run}: the refused record was posted again: {posts}"
        if GRADE_NOT_TAUGHT in record["message"]:
            # Attempts before the refusal may have met a dropped session or a 500; after the
            # refusal nothing is tried again.
            shown_rejection += 1
            assert posts[-1] == refusals[0], f"run {run}: posted after the refusal: {posts}"
        failed = [r["index"] for r in report["records"] if r["status"] == "failed"]
        if failed == [4] and shown_rejection:
            break
    assert failed == [4], f"others still failing after {run} runs: {report['records']}"
    assert shown_rejection >= 1
    assert refused not in stored_ids(portal.served)
    assert_exactly_the_input(portal, others)
    requests = portal.requests()
    assert requests[f"POST {LOGIN_PATH}"] > run, "the session never expired"


# --- 4. the session dropped between records -----------------------------------------------


@dataclass
class ExpireSessions:
    """A RunListener that ends every portal session just before the chosen records start."""

    url: str
    before: frozenset[int]

    def start_run(self, flow: Flow, total: int) -> None:
        pass

    def start_record(self, record: PlannedRecord) -> None:
        if record.index in self.before:
            httpx.post(f"{self.url}/_mock/session-expire", timeout=30).raise_for_status()

    def end_record(self, result: RecordResult) -> None:
        pass

    def end_run(self) -> None:
        pass


def test_a_session_dropped_between_records_is_logged_in_again_and_nothing_fails(
    portal: Portal, tmp_path: Path
) -> None:
    kids = children(5, seed=23)
    data = write_children(tmp_path / "children.xlsx", kids)
    expire = ExpireSessions(portal.url, frozenset({2, 4}))
    run_dir = tmp_path / "run"
    prepared = prepare(RunOptions(flow_path=STUDENTS_FLOW, data_path=data, run_dir=run_dir))
    configure(log_file=run_dir / "edubot.log")  # as `edubot run` does, before it executes

    report = execute(prepared, expire, run_dir).as_dict()

    assert [r["status"] for r in report["records"]] == ["added"] * len(kids)
    assert [r["attempts"] for r in report["records"]] == [1, 2, 1, 2, 1]
    requests = portal.requests()
    assert requests["POST /_mock/session-expire"] == 2
    assert requests[f"POST {LOGIN_PATH}"] == 1 + 2  # the first login and one per drop
    assert requests["GET /index.jsp"] >= 1 + 2
    assert_exactly_the_input(portal, kids)
    slow = {r["index"]: r["duration_s"] for r in report["records"] if r["attempts"] > 1}
    print(f"\nrecords redone after a dropped session took {slow} s")


@dataclass
class KillRenderers:
    """A RunListener that kills the browser's renderer processes before the chosen records,
    as an out-of-memory kill or a Chromium CHECK failure would."""

    before: frozenset[int]
    started: float = 0.0
    killed: int = 0

    def start_run(self, flow: Flow, total: int) -> None:
        self.started = time.time() - 1  # renderers of this run only, not of other tests' browsers

    def start_record(self, record: PlannedRecord) -> None:
        if record.index not in self.before:
            return
        for process in psutil.Process().children(recursive=True):
            with contextlib.suppress(psutil.Error):
                if process.create_time() >= self.started and "--type=renderer" in process.cmdline():
                    process.kill()
                    self.killed += 1

    def end_record(self, result: RecordResult) -> None:
        pass

    def end_run(self) -> None:
        pass


def test_a_crashed_tab_is_replaced_and_the_record_retried(portal: Portal, tmp_path: Path) -> None:
    kids = children(5, seed=29)
    data = write_children(tmp_path / "children.xlsx", kids)
    crash = KillRenderers(frozenset({3}))
    run_dir = tmp_path / "run"
    prepared = prepare(RunOptions(flow_path=STUDENTS_FLOW, data_path=data, run_dir=run_dir))
    configure(log_file=run_dir / "edubot.log")  # as `edubot run` does, before it executes

    report = execute(prepared, crash, run_dir).as_dict()

    assert crash.killed >= 1
    assert [r["status"] for r in report["records"]] == ["added"] * len(kids)
    assert [r["attempts"] for r in report["records"]] == [1, 1, 2, 1, 1]
    assert_exactly_the_input(portal, kids)
    assert "tab crashed" in (run_dir / "edubot.log").read_text(encoding="utf-8")


# --- a 500 on a save or on the first login: tried again, never reported as the portal's no ------


def test_a_500_on_save_is_retried_not_reported_as_a_refusal(
    cli: CliRunner, portal: Portal, tmp_path: Path
) -> None:
    kids = children(2, seed=41)
    data = write_children(tmp_path / "children.xlsx", kids)
    portal.log.fail_next[SAVE_PATH] = 1  # the first save is answered with the portal's 500

    result = run_cli(cli, data, tmp_path / "run")

    records = read_report(tmp_path / "run")["records"]
    assert records[0]["message"] != SERVER_ERROR or records[0]["status"] != "failed"
    assert result.exit_code == 0, result.output
    assert [r["status"] for r in records] == ["added", "added"]
    assert records[0]["attempts"] == 2
    assert_exactly_the_input(portal, kids)


def test_a_500_on_the_first_login_is_retried(
    cli: CliRunner, portal: Portal, tmp_path: Path
) -> None:
    kids = children(2, seed=43)
    data = write_children(tmp_path / "children.xlsx", kids)
    portal.log.fail_next[LOGIN_PATH] = 1

    result = run_cli(cli, data, tmp_path / "run")

    report = read_report(tmp_path / "run")
    assert report["aborted"] is None, report["aborted"]
    assert result.exit_code == 0, result.output
    assert_report_accounts_for(report, len(kids))
    assert_exactly_the_input(portal, kids)
