"""Sessions, driven through a fake tab (no browser): a session the portal ended is logged into
again and nothing is lost or doubled; an account the portal will not let in stops the run at
once, with the portal's words, and its password is never typed again."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.engine.actions import ActionEnv, LeafStep, StepState
from bot.engine.pipeline import why_stopped
from bot.engine.records import PlannedRecord, RecordResult
from bot.engine.workers import run_in_workers
from bot.errors import AccountBlocked, LoginRefused, PortalRejected
from bot.portals.lec.session_words import WORDS
from tests.unit.engine.fake_tab import FakePortal
from tests.unit.engine.runner_kit import SAVE_EACH, Kit, kit, line_of, records, write_flow

LOCKED = "รหัสผู้ใช้ถูกระงับการใช้งาน"  # 00513, as the framework's popup says it


def _expire_after_first_record(k: Kit) -> None:
    """The session ends (idle too long) between the first record and the second."""
    k.heard.between = lambda result: k.portal.end_session() if result.record.index == 1 else None


def test_a_401_at_a_page_load_logs_in_again_at_once_and_the_record_is_entered_once(
    tmp_path: Path,
) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    portal = FakePortal()
    k = kit(tmp_path, flow, portal)
    heard_401: list[str | None] = []
    real_forget = portal.forget_logout

    def noting_forget() -> None:
        heard_401.append(portal.logged_out())
        real_forget()

    portal.forget_logout = noting_forget  # type: ignore[method-assign]
    _expire_after_first_record(k)

    k.runner.run(records(3))

    assert dict(portal.saved) == {"k1": 1, "k2": 1, "k3": 1}  # nothing lost, nothing doubled
    assert [(r.status, r.attempts) for r in k.heard.results] == [
        ("added", 1), ("added", 2), ("added", 1),
    ]  # fmt: skip
    assert portal.logins == 2  # once at the start, once after the 401
    [sign] = [s for s in heard_401 if s]  # forgotten after each login; one 401 seen
    assert "HTTP 401" in sign
    assert portal.logged_out() is None  # forgotten once logged in again
    assert k.pauses == []  # logging in again replaces the backoff


def test_the_login_page_alone_also_means_logged_out(tmp_path: Path) -> None:
    """A portal that redirects to its login page without a 401 (the accessible mock)."""
    flow = write_flow(tmp_path, SAVE_EACH)
    portal = FakePortal(answers_401=False)
    k = kit(tmp_path, flow, portal)
    _expire_after_first_record(k)

    k.runner.run(records(2))

    assert dict(portal.saved) == {"k1": 1, "k2": 1}
    assert [r.attempts for r in k.heard.results] == [1, 2]


def test_a_click_that_lands_on_the_login_page_logs_in_again_at_once(tmp_path: Path) -> None:
    """The framework posts its forms: the session ends and the Save's post is answered with
    the login page. The try stops at the click; no step waits on the login page."""
    flow = write_flow(tmp_path, SAVE_EACH)
    portal = FakePortal()
    k = kit(tmp_path, flow, portal)
    save = line_of(flow, "click", "Save")
    perform, dropped = portal.perform, [1]

    def save_lands_on_the_login_page(step: LeafStep, env: ActionEnv, state: StepState) -> None:
        if step.line == save and dropped[0]:
            dropped[0] -= 1
            portal.steps.append(f"{step.line} {step.kind}")
            portal.end_session()
            portal._goto("save.do")  # 401 and its alert, then the login page; nothing saved
            return
        perform(step, env, state)

    portal.perform = save_lands_on_the_login_page  # type: ignore[method-assign]

    [result] = k.runner.run(records(1))

    assert (result.status, result.attempts) == ("added", 2)
    assert dict(portal.saved) == {"k1": 1} and portal.logins == 2
    first_click = portal.steps.index(f"{save} click")
    # Logging in again came next (its page load), not the Save's reject_on and expect.
    assert portal.steps[first_click + 1].endswith(" goto"), portal.steps


def test_a_refusal_that_came_with_the_end_of_the_session_is_retried_not_failed(
    tmp_path: Path,
) -> None:
    """The portal's "log in again" words (00505) read by `reject_on` are not about the data."""
    flow = write_flow(tmp_path, SAVE_EACH)
    portal = FakePortal()
    k = kit(tmp_path, flow, portal)

    def session_ends_at_save() -> PortalRejected:
        portal.end_session()
        portal.ended = "the portal's popup"
        portal.url = "index.jsp"
        return PortalRejected("ไม่ได้ใช้งานระบบเกินเวลาที่กำหนด กรุณาเข้าสู่ระบบอีกครั้ง")

    portal.fail(line_of(flow, "click", "Save"), session_ends_at_save)

    [result] = k.runner.run(records(1))

    assert (result.status, result.attempts) == ("added", 2)
    assert dict(portal.saved) == {"k1": 1} and portal.logins == 2


def test_the_portals_words_for_an_ended_session_are_enough_to_log_in_again(
    tmp_path: Path,
) -> None:
    """LEC's `login.do` commands answer an ended session with its login page and 00505 in a
    popup, at their own address: no 401, no alert, no `index.jsp`."""
    flow = write_flow(tmp_path, SAVE_EACH)
    portal = FakePortal()
    k = kit(tmp_path, flow, portal)

    def popup_00505() -> PortalRejected:
        portal.end_session()
        portal.url = "login.do"
        return PortalRejected("ไม่ได้ใช้งานระบบเกินเวลาที่กำหนด กรุณาเข้าสู่ระบบอีกครั้ง")

    portal.fail(line_of(flow, "click", "Save"), popup_00505)  # answered before it saved

    [result] = k.runner.run(records(1))

    assert (result.status, result.attempts) == ("added", 2)
    assert dict(portal.saved) == {"k1": 1} and portal.logins == 2 and k.pauses == []


def test_without_a_relogin_rule_an_ended_session_fails_the_record_and_nobody_logs_in(
    tmp_path: Path,
) -> None:
    text = SAVE_EACH.replace('relogin:\n  when: {url: "*index.jsp*"}\n  run: login\n', "")
    flow = write_flow(tmp_path, text)
    portal = FakePortal()
    k = kit(tmp_path, flow, portal)
    _expire_after_first_record(k)

    results = k.runner.run(records(2))

    assert [r.status for r in results] == ["added", "failed"] and portal.logins == 1


# --- accounts the portal will not let in --------------------------------------------------------


@pytest.mark.parametrize("state", WORDS.account_states, ids=lambda s: s.code)
def test_a_locked_or_expired_account_stops_the_run_at_its_first_login(
    tmp_path: Path, state: object
) -> None:
    from bot.portals.session_words import AccountState

    assert isinstance(state, AccountState)
    flow = write_flow(tmp_path, SAVE_EACH)
    portal = FakePortal(refusal=state.thai)
    k = kit(tmp_path, flow, portal)

    with pytest.raises(AccountBlocked) as stopped:
        k.runner.run(records(2))

    said = str(stopped.value)
    assert portal.logins == 1 and k.pauses == []  # no retry, no second login
    assert k.heard.started == [] and portal.saved == {}
    assert state.thai in said and state.english in said  # the portal's words, and in English
    assert "never changes a password" in said and "ไม่เปลี่ยนรหัสผ่าน" in said
    assert why_stopped(stopped.value, "lec") == said  # not "store the right password"
    assert stopped.value.exit_code == 1  # as for any refused login


def test_a_wrong_password_is_a_refused_login_not_a_blocked_account(tmp_path: Path) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    portal = FakePortal(password="demo")
    k = kit(tmp_path, flow, portal)
    portal.password = "changed-on-the-portal"

    with pytest.raises(LoginRefused) as refused:
        k.runner.run(records(1))

    assert not isinstance(refused.value, AccountBlocked)
    assert portal.logins == 1
    assert "edubot login lec" in why_stopped(refused.value, "lec")


@pytest.mark.parametrize(
    ("refusal", "error"), [(LOCKED, AccountBlocked), ("รหัสผ่านไม่ถูกต้อง", LoginRefused)]
)
def test_a_login_refused_when_logging_in_again_stops_the_run_and_is_not_typed_again(
    tmp_path: Path, refusal: str, error: type[LoginRefused]
) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    portal = FakePortal()
    k = kit(tmp_path, flow, portal)

    def locked_meanwhile(result: RecordResult) -> None:
        portal.end_session()
        portal.refusal = refusal  # locked (or its password changed) while the run went on

    k.heard.between = locked_meanwhile

    with pytest.raises(error):
        k.runner.run(records(3))

    assert portal.logins == 2  # the first login and the refused one, not typed again
    assert [(r.record.values["national_id"], r.status) for r in k.heard.results] == [
        ("k1", "added"), ("k2", "failed"),
    ]  # fmt: skip
    assert dict(portal.saved) == {"k1": 1}  # k3 never started
    assert k.pauses == []


def test_a_refused_login_empties_the_queue_so_no_other_worker_logs_in(tmp_path: Path) -> None:
    """One worker's refused login stops the others before their next record."""
    taken: list[list[str]] = []

    class _Refused:
        def run(
            self, queue: Sequence[PlannedRecord], ready: Callable[[], None] = lambda: None
        ) -> None:
            ready()
            taken.append([r.values["national_id"] for r in queue][:1])
            raise AccountBlocked(LOCKED)

    class _Works:
        def run(
            self, queue: Sequence[PlannedRecord], ready: Callable[[], None] = lambda: None
        ) -> None:
            taken.append([r.values["national_id"] for r in queue])

    made = iter([_Refused(), _Works()])

    @contextmanager
    def make_runner() -> Iterator[object]:
        yield next(made)

    Start = Callable[[Callable[[], None]], None]

    def one_after_another(lead: Callable[[Start], None]) -> list[BaseException]:
        """The first task, then each task it started, in turn (no greenlets needed here)."""
        started: list[Callable[[], None]] = []
        tasks: list[Callable[[], None]] = [lambda: lead(started.append)]
        errors: list[BaseException] = []
        while tasks:
            try:
                tasks.pop(0)()
            except Exception as exc:
                errors.append(exc)
            tasks.extend(started)
            started.clear()
        return errors

    with pytest.raises(AccountBlocked):
        run_in_workers(2, make_runner, records(4), one_after_another)  # type: ignore[arg-type]

    assert taken == [["k1"], []]  # the second worker found nothing left to take


def test_a_session_seen_lost_at_a_click_is_logged_into_even_when_its_sign_is_gone(
    tmp_path: Path,
) -> None:
    """The portal's expiry alert is answered and its page moves on (another URL) before the
    retry: the runner already judged the session lost at the click, so it logs in again
    instead of retrying on a dead session."""
    flow = write_flow(tmp_path, SAVE_EACH)
    portal = FakePortal()
    k = kit(tmp_path, flow, portal)
    save = line_of(flow, "click", "Save")
    perform, logged_out, dropped = portal.perform, portal.logged_out, [1]
    seen = [0]

    def save_lands_on_the_login_page(step: LeafStep, env: ActionEnv, state: StepState) -> None:
        if step.line == save and dropped[0]:
            dropped[0] -= 1
            portal.end_session()
            portal.ended = "HTTP 401 (save.do)"  # no login page: the alert's page moved on
            seen[0] = 1  # the sign shows once, to the check right after the click
            return
        perform(step, env, state)

    def sign_shown_once() -> str | None:
        if seen[0]:
            seen[0] = 0
            return logged_out()
        return None

    portal.perform = save_lands_on_the_login_page  # type: ignore[method-assign]
    portal.logged_out = sign_shown_once  # type: ignore[method-assign]

    [result] = k.runner.run(records(1))

    assert (result.status, result.attempts) == ("added", 2)
    assert portal.logins == 2  # logged in again before the second try, not after it failed
