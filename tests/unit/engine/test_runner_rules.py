"""The runner's rules, driven through a fake tab (no browser): retries of a record, steps
that are never retried, irreversible clicks, logging in again, the journal's skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.actions import PressLog
from bot.engine.journal import Journal, digest_values
from bot.engine.report import ReportBuilder
from bot.engine.run_listeners import JournalListener, journal_skip
from bot.errors import (
    OutcomeUnknown,
    PortalRejected,
    RunStopped,
    SafetyError,
    StepFailed,
)  # fmt: skip
from tests.unit.engine.runner_kit import (
    CONFIRM_EACH,
    SAVE_EACH,
    Heard,
    backoffs,
    kit,
    line_of,
    records,
    write_flow,
)  # fmt: skip

TIMEOUT = "Timeout 15000ms exceeded while waiting for event 'framenavigated'"


# --- retries of a record ----------------------------------------------------------------------


def test_a_step_that_fails_twice_passes_on_the_third_attempt_after_two_backoffs(
    tmp_path: Path,
) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    k = kit(tmp_path, flow)
    k.portal.fail(
        line_of(flow, "goto", "student/form.do"), StepFailed(TIMEOUT), StepFailed(TIMEOUT)
    )

    [result] = k.runner.run(records(1))

    assert (result.status, result.attempts) == ("added", 3)
    assert backoffs(k.pauses) == 2  # windows of 1 s then 2 s: the backoff doubles
    assert k.portal.retries == 2  # the tab is asked to recover before each retry
    assert k.portal.saved == {"k1": 1}


def test_a_record_that_keeps_failing_fails_after_its_attempts_with_evidence_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    k = kit(tmp_path, flow)
    k.portal.fail(line_of(flow, "goto", "student/form.do"), *[StepFailed(TIMEOUT)] * 3)

    results = k.runner.run(records(2))

    assert [(r.status, r.attempts) for r in results] == [("failed", 3), ("added", 1)]
    assert TIMEOUT in results[0].message
    assert results[0].screenshot == tmp_path / "run" / "failures" / "0001.png"
    assert results[0].screenshot.is_file()
    assert backoffs(k.pauses) == 2  # no pause after the last attempt
    assert k.portal.saved == {"k2": 1}


def test_a_retry_starts_in_a_fresh_tab_before_its_backoff_and_login(tmp_path: Path) -> None:
    """The failed try's page may still be moving (an expiry alert and its redirect, a crash
    the browser reports late): the retry, and a re-login, never start on it."""
    flow = write_flow(tmp_path, SAVE_EACH)
    k = kit(tmp_path, flow)
    order: list[str] = []
    recover = k.portal.before_retry
    k.runner.pause = lambda seconds: order.append("pause")

    def noting_recover() -> None:
        order.append("fresh tab")
        recover()

    k.portal.before_retry = noting_recover  # type: ignore[method-assign]
    k.portal.fail(line_of(flow, "goto", "student/form.do"), StepFailed("Target crashed"))

    k.runner.run(records(1))

    assert order == ["fresh tab", "pause"]


def test_the_portals_refusal_fails_the_record_at_once_and_is_never_retried(
    tmp_path: Path,
) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    k = kit(tmp_path, flow)
    k.portal.fail(line_of(flow, "reject_on", in_loop=True), PortalRejected("ข้อมูลซ้ำซ้อน"))

    results = k.runner.run(records(2))

    assert [(r.status, r.attempts) for r in results] == [("failed", 1), ("added", 1)]
    assert results[0].message == "ข้อมูลซ้ำซ้อน"
    assert k.pauses == []
    # The refused record's page (its popup may still be open) is left behind: the next record
    # starts in a fresh tab, and a record that passed leaves its page to the next one.
    assert k.portal.retries == 1


def test_a_portal_that_takes_no_record_stops_the_run_at_the_record_it_met(
    tmp_path: Path,
) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    k = kit(tmp_path, flow)
    k.portal.fail(line_of(flow, "goto", "student/form.do"), RunStopped("ยืนยันข้อมูลแล้ว แก้ไขไม่ได้"))

    with pytest.raises(RunStopped):
        k.runner.run(records(3))

    assert k.heard.started == ["k1"]  # the second record never started
    assert [(r.status, r.message) for r in k.heard.results] == [("failed", "ยืนยันข้อมูลแล้ว แก้ไขไม่ได้")]


def test_a_safety_error_is_raised_at_once_without_a_retry(tmp_path: Path) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    k = kit(tmp_path, flow)
    k.portal.fail(line_of(flow, "click", "Save"), SafetyError("not with --confirm"))

    with pytest.raises(SafetyError):
        k.runner.run(records(2))

    assert k.pauses == [] and k.portal.saved == {}


def test_once_the_dry_run_wall_blocked_a_request_no_retry_is_made(tmp_path: Path) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    k = kit(tmp_path, flow)
    k.runner.wall_tripped = lambda: True
    k.portal.fail(line_of(flow, "goto", "student/form.do"), StepFailed("net::ERR_BLOCKED"))

    with pytest.raises(StepFailed, match="ERR_BLOCKED"):
        k.runner.run(records(1))

    assert k.pauses == []


def test_the_steps_before_the_loop_are_retried_like_a_record(tmp_path: Path) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    k = kit(tmp_path, flow)
    k.portal.fail(line_of(flow, "goto", "index.jsp"), StepFailed(TIMEOUT))
    told: list[str] = []

    k.runner.run(records(1), ready=lambda: told.append("ready"))

    assert backoffs(k.pauses) == 1 and k.portal.logins == 1 and told == ["ready"]


# --- irreversible clicks ----------------------------------------------------------------------


def _confirm_kit(tmp_path: Path, presses: PressLog | None = None):  # type: ignore[no-untyped-def]
    flow = write_flow(tmp_path, CONFIRM_EACH)
    k = kit(tmp_path, flow, presses=presses)
    press_line = line_of(flow, "click", "ยืนยันการส่ง")
    return flow, k, press_line


def test_a_press_whose_outcome_cannot_be_read_stops_the_run_and_is_never_pressed_again(
    tmp_path: Path,
) -> None:
    _, k, press = _confirm_kit(tmp_path)
    k.portal.fail(press, StepFailed(TIMEOUT))  # pressed, then the answer is lost

    with pytest.raises(OutcomeUnknown) as stopped:
        k.runner.run(records(2))

    assert k.portal.presses == ["k1"]  # not retried, and the next record never started
    assert k.heard.started == ["k1"] and k.pauses == []
    assert "will not press again" in str(stopped.value)
    assert "school/status.do" in str(stopped.value)  # where the officer looks
    # The exit-1 path: the pipeline stops the report with this reason (bot.engine.pipeline).
    report = ReportBuilder(tmp_path, "http://127.0.0.1:1", True)
    report.abort(str(stopped.value))
    assert report.exit_code() == 1 and stopped.value.exit_code == 1


def test_a_press_read_back_as_done_goes_on_without_pressing_again(tmp_path: Path) -> None:
    _, k, press = _confirm_kit(tmp_path)
    k.portal.fail(press, StepFailed(TIMEOUT))
    k.portal.shows_done = lambda click, b: True

    results = k.runner.run(records(2))

    assert k.portal.presses == ["k1", "k2"]  # each record's button once, whatever the retries
    assert [(r.status, r.attempts) for r in results] == [("submitted", 2), ("submitted", 1)]
    assert k.pauses == []  # the portal was read, not waited for


def test_a_read_back_that_meets_the_login_page_logs_in_and_reads_again(tmp_path: Path) -> None:
    _, k, press = _confirm_kit(tmp_path)
    k.portal.shows_done = lambda click, b: True

    def lose_answer_and_session() -> StepFailed:
        k.portal.end_session()
        k.portal.url = "index.jsp"
        return StepFailed(TIMEOUT)

    k.portal.fail(press, lose_answer_and_session)
    results = k.runner.run(records(1))

    assert k.portal.presses == ["k1"] and k.portal.logins == 2
    assert k.portal.read_backs == 2  # on the login page, then after logging in again
    assert [r.status for r in results] == ["submitted"]


def test_another_worker_never_presses_what_one_pressed(tmp_path: Path) -> None:
    """The press log is the run's, shared by its workers: a press one worker made and lost
    is refused to the other one, which reads nothing and presses nothing."""
    presses = PressLog()
    _, first, press = _confirm_kit(tmp_path, presses)
    first.portal.fail(press, StepFailed(TIMEOUT))
    with pytest.raises(OutcomeUnknown):
        first.runner.run(records(1))
    _, second, _ = _confirm_kit(tmp_path / "w2", presses)

    with pytest.raises(OutcomeUnknown, match="pressed twice"):
        second.runner.run(records(1))

    assert first.portal.presses == ["k1"] and second.portal.presses == []


# --- the journal ------------------------------------------------------------------------------


def test_records_the_journal_holds_as_verified_are_skipped_without_a_step(
    tmp_path: Path,
) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    journal = Journal(tmp_path / "journal.sqlite3", b"k" * 32, "identity")
    done, changed, fresh = records(3)
    journal.mark(done.key, digest_values(done.values), "verified", "added")
    journal.mark(changed.key, digest_values({"national_id": "old"}), "verified", "added")
    k = kit(tmp_path, flow)
    k.runner.skip = journal_skip(flow, journal)
    k.runner.listener = JournalListener(journal)
    heard = Heard()
    k.runner.listener = _Both(JournalListener(journal), heard)

    results = k.runner.run([done, changed, fresh])

    assert [(r.status, r.attempts) for r in results] == [
        ("skipped", 0), ("added", 1), ("added", 1),
    ]  # fmt: skip
    assert "verified in an earlier run" in results[0].message
    assert heard.started == ["k2", "k3"]  # the skipped one never started
    assert dict(k.portal.saved) == {"k2": 1, "k3": 1}
    assert k.portal.records_begun == 2  # the tab may renew itself before each record it runs


def test_a_flow_that_exists_to_read_the_portal_never_skips(tmp_path: Path) -> None:
    flow = write_flow(
        tmp_path, SAVE_EACH.replace("portal: lec\n", "portal: lec\npurpose: verify\n")
    )
    journal = Journal(tmp_path / "journal.sqlite3", b"k" * 32, "identity")
    [done] = records(1)
    journal.mark(done.key, digest_values(done.values), "verified", "verified")

    assert journal_skip(flow, journal)(done) is None


class _Both:
    def __init__(self, *listeners: object) -> None:
        self.listeners = listeners

    def start_run(self, flow: object, total: int) -> None: ...
    def end_run(self) -> None: ...

    def start_record(self, record: object) -> None:
        for listener in self.listeners:
            listener.start_record(record)  # type: ignore[attr-defined]

    def end_record(self, result: object) -> None:
        for listener in self.listeners:
            listener.end_record(result)  # type: ignore[attr-defined]
