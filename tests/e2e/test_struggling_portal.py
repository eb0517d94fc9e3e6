"""Deadline day (issue 27): a struggling portal costs time, never records.

Each test serves its own mock LEC and sets its faults: an outage in the middle of a run (503 or
connections closed unanswered), an outage past the ceiling (the run stops, the report lists the
records left, a re-run finishes them), saves whose answers are lost after the commit, and the
busy hour (errors, dropped sessions, jitter). The pause thresholds are set small through the
run's own config/settings.yaml, so an outage of seconds stands in for minutes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from bot.config import DEFAULT_CONFIG_DIR
from bot.data.records import Student
from bot.engine.options import RunOptions
from bot.engine.pipeline import execute, prepare
from bot.engine.records import PlannedRecord, RecordResult
from bot.flow.model import Flow
from bot.log import configure
from mock_portals.lec.app import create_app as create_lec
from mock_portals.serve import ServedApp, serve_in_thread
from tests.e2e.conftest import FLOWS, children, write_children
from tests.e2e.resilience_helpers import (
    SaveLog,
    assert_report_accounts_for,
    field_mismatches,
    mock_state,
    read_report,
    set_faults,
    stored_ids,
)  # fmt: skip

pytestmark = pytest.mark.e2e
STUDENTS_FLOW = FLOWS / "lec" / "students.yaml"
SAVE = "POST /student/save.do"  # the accessible rendering's student save
# Seconds stand in for minutes: pause after 3 failures in a row, probe every 0.5–1 s.
QUICK_PAUSE = {"pause_after_failures": 3, "probe_first_s": 0.5, "probe_max_s": 1.0}


@pytest.fixture
def lec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None) -> Iterator[ServedApp]:
    """A fresh mock LEC served by uvicorn (its lost answers and refusals close a real
    connection); edubot pointed at it as the municipal school."""
    with serve_in_thread(create_lec(tmp_path / "lec-state")) as served:
        monkeypatch.setenv("EDUBOT_LEC_URL", served.url)
        monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
        monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
        yield served


def set_markup(lec: ServedApp, markup: str) -> None:
    httpx.post(f"{lec.url}/_mock/settings", json={"markup": markup}, timeout=30).raise_for_status()


def config_with(tmp_path: Path, **sections: dict[str, Any]) -> Path:
    """A copy of config/ whose settings.yaml has these sections changed."""
    folder = tmp_path / "config"
    if not folder.exists():
        shutil.copytree(DEFAULT_CONFIG_DIR, folder)
    path = folder / "settings.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    for name, values in sections.items():
        settings[name] = {**settings.get(name, {}), **values}
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return folder


class Quiet:
    """A RunListener that listens to nothing (the report and the journal are the run's own)."""

    def start_run(self, flow: Flow, total: int) -> None: ...
    def start_record(self, record: PlannedRecord) -> None: ...
    def end_record(self, result: RecordResult) -> None: ...
    def end_run(self) -> None: ...


def run(data: Path, run_dir: Path, config: Path, workers: int | None = None) -> dict[str, Any]:
    """One run as `edubot run` makes it (log file, report files); its report.json."""
    options = RunOptions(STUDENTS_FLOW, data, run_dir=run_dir, config_dir=config, workers=workers)
    prepared = prepare(options)
    configure(log_file=run_dir / "edubot.log")
    execute(prepared, Quiet(), run_dir).write()
    return read_report(run_dir)


def assert_holds_exactly(lec: ServedApp, kids: list[Student]) -> None:
    """The portal holds each child once (over every school), as the data file has it."""
    ids = stored_ids(lec)
    assert {k.national_id: ids[k.national_id] for k in kids if ids[k.national_id] != 1} == {}
    assert field_mismatches(lec, kids) == []


def statuses(report: dict[str, Any]) -> list[str]:
    return [r["status"] for r in report["records"]]


# The outage begins at the portal's 21st request. The framework rendering's run asks 6 before
# the first child (login page, login, home, the RPT318 export, list.do and the page it sends
# to) and 2 a child (the add button's goCreate, the save): 38 for 16 children. The 21st is the
# 8th child's goCreate, mid-run, with children entered before and after it (checked below).
# Two workers: a longer outage, so that both meet it and share the one pause.
OUTAGE_FROM_REQUEST = 21


@pytest.mark.parametrize(
    ("mode", "workers", "down_s"), [("503", 1, 8), ("refuse", 1, 8), ("503", 2, 25)]
)
def test_an_outage_in_the_middle_pauses_the_run_which_resumes_and_loses_nothing(
    lec: ServedApp, tmp_path: Path, mode: str, workers: int, down_s: int
) -> None:
    kids = children(16, seed=71)
    data = write_children(tmp_path / "children.xlsx", kids)
    config = config_with(tmp_path, outage=QUICK_PAUSE)
    set_faults(
        lec, latency_ms=5, down_for_s=down_s, down_from_request=OUTAGE_FROM_REQUEST, down_mode=mode
    )

    report = run(data, tmp_path / "run", config, workers)

    assert report["exit_code"] == 0 and report["aborted"] is None, report["aborted"]
    assert_report_accounts_for(report, len(kids))
    assert statuses(report) == ["added"] * len(kids)
    assert_holds_exactly(lec, kids)
    troubles = report["portal_troubles"]
    # One pause for the whole run, whatever the workers: they share it.
    assert len(troubles["pauses"]) == 1, troubles
    for pause in troubles["pauses"]:
        assert pause["resumed_at"] and not pause["gave_up"] and pause["probes"] >= 1
    assert troubles["paused_s"] >= 2.0
    first_met = int(troubles["retry_log"][0]["where"].removeprefix("record "))
    assert 1 < first_met < len(kids), f"the outage began at record {first_met}, not mid-run"
    assert report["left"] == []
    html = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    assert 'id="portal-troubles"' in html and 'id="pauses"' in html
    log = (tmp_path / "run" / "edubot.log").read_text(encoding="utf-8")
    assert "the run pauses" in log and "the run resumes" in log
    print(f"\n{mode}, {workers} worker(s): {troubles['paused_s']} s paused, "
          f"{troubles['retries']} retries")  # fmt: skip


def test_down_past_the_ceiling_stops_the_run_then_a_rerun_finishes_the_records_left(
    lec: ServedApp, tmp_path: Path
) -> None:
    kids = children(12, seed=73)
    data = write_children(tmp_path / "children.xlsx", kids)
    config = config_with(tmp_path, outage={**QUICK_PAUSE, "give_up_after_min": 0.05})
    set_faults(lec, latency_ms=5, down_for_s=3600, down_from_request=16)

    stopped = run(data, tmp_path / "run-1", config)

    assert stopped["exit_code"] == 1
    assert "did not answer" in stopped["aborted"] and "ไม่ตอบสนอง" in stopped["aborted"]
    left = [r["index"] for r in stopped["left"]]
    done = [r["index"] for r in stopped["records"] if r["status"] == "added"]
    assert left and done, stopped
    assert sorted(left + done) == list(range(1, len(kids) + 1))
    (pause,) = stopped["portal_troubles"]["pauses"]
    assert pause["gave_up"] and pause["probes"] >= 2
    html = (tmp_path / "run-1" / "report.html").read_text(encoding="utf-8")
    assert 'id="left"' in html

    set_faults(lec)  # the portal is back
    again = run(data, tmp_path / "run-2", config)

    assert again["exit_code"] == 0 and again["left"] == []
    by_index = {r["index"]: r["status"] for r in again["records"]}
    # What was entered is read back from the portal (the journal's rule), never entered again.
    assert {by_index[i] for i in done} == {"unchanged"}
    assert {by_index[i] for i in left} <= {"added", "unchanged"}
    assert_holds_exactly(lec, kids)


def test_saves_whose_answers_are_lost_after_the_commit_double_no_child(
    lec: ServedApp, tmp_path: Path
) -> None:
    kids = children(12, seed=79)
    data = write_children(tmp_path / "children.xlsx", kids)
    # The accessible rendering, for now. Chromium resends a post whose answer was lost on a
    # kept-alive connection (mock_portals/lec/README.md). On the framework rendering the mock
    # answers that second doSave — the record in hand already saved — with the list and an
    # error popup “ไม่พบข้อมูล” that lec/save does not know: the record fails (stored once,
    # reported failed) and the popup, left open, covers the list's buttons for every record
    # after it. What the real portal answers a resent doSave (its forms carry a hidden
    # formData.id, docs/lec-portal-facts.md) is not known yet; the accessible rendering's
    # answer is its spent urlToken, which edubot reads as a stale form and retries.
    set_markup(lec, "accessible")
    set_faults(lec, latency_ms=5, lost_answer_rate={SAVE: 0.3}, seed=5)

    report = run(data, tmp_path / "run", config_with(tmp_path))

    assert report["exit_code"] == 0, report["records"]
    # A save stored and its answer lost reads as saved on the retry: still "added".
    assert statuses(report) == ["added"] * len(kids)
    assert_holds_exactly(lec, kids)
    saves = mock_state(lec)["requests"][SAVE]
    redone = [r["index"] for r in report["records"] if r["attempts"] > 1]
    assert redone and saves > len(kids), "answers were lost, and the records went on"
    print(f"\nlost answers: {saves} save posts for {len(kids)} children; redone {redone}")


# --- the busy hour, scaled down: 60 children (benchmarks/busy_portal.py runs 1000) ------------

BUSY_HOUR = {
    "latency_ms": 50,
    "jitter_ms": 50,
    "error_rate": 0.1,
    "session_ttl_requests": 40,
    "seed": 27,
}
MANY = 60


@pytest.fixture
def logged_lec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> Iterator[tuple[ServedApp, SaveLog]]:
    """The mock LEC behind a wire log of its save posts (no lost answers here: the log needs
    every answer to pass through it)."""
    log = SaveLog(create_lec(tmp_path / "lec-state"))
    with serve_in_thread(log) as served:
        monkeypatch.setenv("EDUBOT_LEC_URL", served.url)
        monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
        monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
        yield served, log


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("outage_s", [0, 6])
def test_the_busy_hour_ends_in_one_run_with_every_child_added_exactly_once(
    logged_lec: tuple[ServedApp, SaveLog], tmp_path: Path, outage_s: int
) -> None:
    lec, log = logged_lec
    kids = children(MANY, seed=2569)
    data = write_children(tmp_path / "children.xlsx", kids)
    config = config_with(tmp_path, outage=QUICK_PAUSE)
    outage = {"down_for_s": outage_s, "down_from_request": MANY} if outage_s else {}
    set_faults(lec, **BUSY_HOUR, **outage)

    report = run(data, tmp_path / "run", config)

    assert report["exit_code"] == 0 and report["aborted"] is None, report["aborted"]
    assert_report_accounts_for(report, MANY)
    assert statuses(report) == ["added"] * MANY, "0 failed, in one run"
    assert_holds_exactly(lec, kids)
    inserts = log.inserts_stored()
    assert {k.national_id: inserts[k.national_id] for k in kids} == {
        k.national_id: 1 for k in kids
    }, "each child added once on the wire"
    assert log.updates_stored() == {}
    troubles = report["portal_troubles"]
    assert troubles["retries"] > 0 and troubles["records_given_up"] == 0
    # A 5xx is met at the click or goto that asked for the page; no later step waits out its
    # 15 s on the error page first (a save's 500 once cost that before its retry).
    met_at_once = [e["reason"] for e in troubles["retry_log"] if "HTTP 5" in e["reason"]]
    assert met_at_once and not [r for r in met_at_once if "Timeout" in r], met_at_once
    requests = mock_state(lec)["requests"]
    assert requests["POST /login.do"] > 1, "sessions were dropped and logged in again"
    if outage_s:
        assert troubles["pauses"] and all(p["resumed_at"] for p in troubles["pauses"])
    print(
        f"\n{MANY} children, busy hour{f' + {outage_s} s down' if outage_s else ''}: "
        f"{report['duration_s']} s, {troubles['retries']} retries {troubles['retries_by_kind']}, "
        f"{len(troubles['pauses'])} pause(s) {troubles['paused_s']} s"
    )
