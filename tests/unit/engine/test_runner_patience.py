"""The runner under a struggling portal (fake tab, fake clock): transient failures are tried
until the record's time is spent, a refusal never again, the pause is shared, the cap holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.actions import ActionEnv, LeafStep, StepState
from bot.engine.outage import Outage, OutagePolicy, PortalDown
from bot.engine.patience import Patience, PatiencePolicy
from bot.engine.politeness import TokenBucket
from bot.engine.report import ReportBuilder
from bot.engine.troubles import PortalTroubles
from bot.errors import PortalRejected, StepFailed
from tests.unit.engine.fake_clock import FakeClock
from tests.unit.engine.fake_tab import LOGIN_PAGE
from tests.unit.engine.runner_kit import SAVE_EACH, kit, line_of, records, write_flow

SERVER_ERROR = "the portal answered 500: ระบบขัดข้อง กรุณาลองใหม่อีกครั้ง"


def patient(
    clock: FakeClock, give_up_s: float = 600, probe: bool = True, after: int = 100
) -> Patience:
    troubles = PortalTroubles()
    outage = Outage(
        OutagePolicy(pause_after_failures=after, probe_first_s=5, give_up_after_s=60),
        lambda: probe,
        troubles,
        sleep=clock.sleep,
        clock=clock,
        announce=lambda text: None,
    )
    return Patience(
        PatiencePolicy(give_up_after_s=give_up_s, backoff_s=1, backoff_max_s=60),
        outage,
        TokenBucket(0),
        troubles,
        clock=clock,
    )


def test_a_portal_failing_many_times_over_costs_time_not_the_record(tmp_path: Path) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    clock = FakeClock()
    k = kit(tmp_path, flow, patience=patient(clock))
    k.runner.pause = clock.sleep
    k.portal.fail(line_of(flow, "goto", "student/form.do"), *[StepFailed(SERVER_ERROR)] * 8)

    [result] = k.runner.run(records(1))

    assert (result.status, result.attempts) == ("added", 9), "three attempts would have failed"
    assert k.portal.saved == {"k1": 1}
    troubles = k.runner.patience.troubles.as_dict()
    assert troubles["retries"] == 8 and troubles["retries_by_kind"] == {"transient": 8}
    assert len(troubles["retry_log"]) == 8
    assert {e["where"] for e in troubles["retry_log"]} == {"record 1"}


def test_a_record_is_given_up_once_its_time_of_trying_is_spent(tmp_path: Path) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    clock = FakeClock()
    k = kit(tmp_path, flow, patience=patient(clock, give_up_s=120))
    k.runner.pause = clock.sleep
    k.portal.fail(line_of(flow, "goto", "student/form.do"), *[StepFailed(SERVER_ERROR)] * 500)

    result, second = k.runner.run(records(2))

    assert result.status == "failed" and result.attempts > 3
    assert "tried" in result.message and SERVER_ERROR in result.message
    assert second.status == "failed"  # the scripted failures go on for the next record too
    assert 2 * 120 <= clock.now - 1000 <= 2 * 120 + 2  # each record: its two minutes
    assert k.runner.patience.troubles.given_up == 2


def test_a_503_page_seen_on_the_wire_fails_the_try_at_once_and_is_retried(
    tmp_path: Path,
) -> None:
    """The tab saw the portal answer the page with 503: no waiting for a field the error page
    does not have; the try fails as transient and the next one goes through."""
    flow = write_flow(tmp_path, SAVE_EACH)
    clock = FakeClock()
    k = kit(tmp_path, flow, patience=patient(clock))
    k.runner.pause = clock.sleep
    goto = line_of(flow, "goto", "student/form.do")
    perform, answered_503 = k.portal.perform, [2]

    def perform_503_twice(step: LeafStep, env: ActionEnv, state: StepState) -> None:
        perform(step, env, state)
        if step.line == goto and answered_503[0]:
            answered_503[0] -= 1
            k.portal.wire = "HTTP 503 (http://lec/student/form.do)"  # the page loaded: a 503

    k.portal.perform = perform_503_twice  # type: ignore[method-assign]

    [result] = k.runner.run(records(1))

    assert (result.status, result.attempts) == ("added", 3)
    log = k.runner.patience.troubles.retry_log
    assert [e["kind"] for e in log] == ["transient", "transient"]
    assert all(e["reason"].endswith("HTTP 503 (http://lec/student/form.do)") for e in log), log
    # The failed tries stopped at the goto: the form was never filled on the error page.
    fills = [s for s in k.portal.steps if s.endswith(" fill")]
    assert len(fills) == 2 + 1  # the login's two, and the one try that got the form


def test_a_click_answered_503_fails_the_try_at_once_not_after_the_next_steps_wait(
    tmp_path: Path,
) -> None:
    """A form's button posts and the portal answers 503 (the framework opens its form and
    saves by posts, no `goto`): the try fails right after the click, as transient, and counts
    toward the pause; no later step waits out its timeout on the error page."""
    flow = write_flow(tmp_path, SAVE_EACH)
    clock = FakeClock()
    k = kit(tmp_path, flow, patience=patient(clock, after=2))
    k.runner.pause = clock.sleep
    save = line_of(flow, "click", "Save")
    perform, answered_503 = k.portal.perform, [2]

    def save_answered_503_twice(step: LeafStep, env: ActionEnv, state: StepState) -> None:
        if step.line == save and answered_503[0]:
            answered_503[0] -= 1
            k.portal.steps.append(f"{step.line} {step.kind}")
            k.portal.wire = "HTTP 503 (http://lec/student/save.do)"  # nothing was stored
            return
        perform(step, env, state)

    k.portal.perform = save_answered_503_twice  # type: ignore[method-assign]

    [result] = k.runner.run(records(1))

    assert (result.status, result.attempts) == ("added", 3)
    assert k.portal.saved == {"k1": 1}
    troubles = k.runner.patience.troubles
    assert [e["kind"] for e in troubles.retry_log] == ["transient", "transient"]
    assert all(e["reason"].startswith("click button “Save”: HTTP 503") for e in troubles.retry_log)
    assert len(troubles.pauses) == 1, "two 503s in a row: the run paused"
    # Each failed try ended at the click: the steps after it never ran on the error page.
    after_click = [
        k.portal.steps[i + 1] for i, s in enumerate(k.portal.steps) if s == f"{save} click"
    ]
    assert after_click[:2] == [f"{line_of(flow, 'goto', 'student/form.do')} goto"] * 2


def test_a_refusal_under_a_struggling_portal_is_still_not_retried(tmp_path: Path) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    clock = FakeClock()
    k = kit(tmp_path, flow, patience=patient(clock))
    k.runner.pause = clock.sleep
    k.portal.fail(line_of(flow, "goto", "student/form.do"), StepFailed(SERVER_ERROR))
    k.portal.fail(line_of(flow, "reject_on", in_loop=True), PortalRejected("ข้อมูลซ้ำซ้อน"))

    [result] = k.runner.run(records(1))

    assert (result.status, result.attempts, result.message) == ("failed", 2, "ข้อมูลซ้ำซ้อน")
    assert k.runner.patience.troubles.retries == 1


def test_the_login_is_retried_the_same_way(tmp_path: Path) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    clock = FakeClock()
    k = kit(tmp_path, flow, patience=patient(clock))
    k.runner.pause = clock.sleep
    k.portal.fail(line_of(flow, "goto", "index.jsp"), *[StepFailed(SERVER_ERROR)] * 6)

    [result] = k.runner.run(records(1))

    assert result.status == "added" and k.portal.logins == 1
    assert [e["where"] for e in k.runner.patience.troubles.retry_log] == [
        f"line {line_of(flow, 'run', 'login')}"
    ] * 6


def test_a_portal_down_past_the_ceiling_stops_the_run_and_lists_the_records_left(
    tmp_path: Path,
) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    clock = FakeClock()
    patience = patient(clock, probe=False, after=3)
    k = kit(tmp_path, flow, patience=patience)
    k.runner.pause = clock.sleep
    report = ReportBuilder(tmp_path / "run", "http://lec", True)
    report.planned_records, report.troubles = tuple(records(3)), patience.troubles
    k.heard.between = report.end_record
    k.portal.fail(line_of(flow, "goto", "student/form.do"), *[StepFailed(SERVER_ERROR)] * 50)

    with pytest.raises(PortalDown):
        k.runner.run(records(3))

    data = report.as_dict()
    assert [r["index"] for r in data["left"]] == [1, 2, 3]
    (pause,) = data["portal_troubles"]["pauses"]
    assert pause["gave_up"] and pause["probes"] >= 3
    assert data["records"][0]["status"] == "failed"
    assert "records left" in data["records"][0]["message"]


def test_a_form_the_portal_calls_stale_is_loaded_again_not_reported_as_refused(
    tmp_path: Path,
) -> None:
    """A lost answer made the browser post twice; the second copy met the portal's refusal of
    a spent token while the first was stored. The record is tried again, not failed."""
    flow = write_flow(tmp_path, SAVE_EACH)
    clock = FakeClock()
    k = kit(tmp_path, flow, patience=patient(clock))
    k.runner.pause = clock.sleep
    stale = PortalRejected("urlToken ไม่ถูกต้อง หรือหมดอายุ")
    k.portal.fail(line_of(flow, "reject_on", in_loop=True), stale)

    [result] = k.runner.run(records(1))

    assert (result.status, result.attempts) == ("added", 2)
    assert [e["kind"] for e in k.runner.patience.troubles.retry_log] == ["transient"]


def test_a_field_missing_because_the_session_dropped_is_a_dropped_session(tmp_path: Path) -> None:
    """The portal ended the session between two pages of a record: the next page is its login
    page, so a field is "not found". That is no changed form: log in again and go on."""
    flow = write_flow(tmp_path, SAVE_EACH)
    clock = FakeClock()
    patience = patient(clock)
    patience.policy = PatiencePolicy(unsure_attempts=1)  # an unsure failure: given up at once
    k = kit(tmp_path, flow, patience=patience)
    k.runner.pause = clock.sleep

    def dropped() -> StepFailed:
        k.portal.end_session()
        k.portal.url = LOGIN_PAGE  # the form's link led to the login page
        return StepFailed("ไม่พบ a field labelled 'เลขประจำตัวประชาชน'")

    k.portal.fail(line_of(flow, "fill", "เลขประจำตัวประชาชน", in_loop=True), dropped)

    [result] = k.runner.run(records(1))

    assert (result.status, result.attempts) == ("added", 2)
    assert k.portal.logins == 2 and k.portal.saved == {"k1": 1}
    assert [e["kind"] for e in k.runner.patience.troubles.retry_log] == ["transient"]
