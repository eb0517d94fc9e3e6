"""perform(page, step): the one place a flow step turns into Playwright calls.

Only leaf steps arrive here; `when`, `for_each` and `run` are the runner's. Playwright's own
auto-waiting and `expect` do all the waiting: there is no sleep in this module.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, assert_never
from urllib.parse import urljoin

from playwright.sync_api import APIResponse, Page, expect
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PwLocator

from bot.data.errors import RuleError
from bot.data.fields import FIELDS_BY_KEY, ROUTING_FIELDS
from bot.data.rules import CLEAR_MARK
from bot.data.thai import mask_name
from bot.engine.page_script import (
    DOCUMENT_STATUS_JS,
    WHOLE_PAGE_JS,
    first_shown,
    quick_click,
    quick_spec,
    wait_until_shown,
)
from bot.engine.popups import answer_popup
from bot.errors import (
    OutcomeUnknown,
    PortalRejected,
    PreconditionFailed,
    RunStopped,
    SafetyError,
    StepFailed,
)  # fmt: skip
from bot.flow.binding import Bindings
from bot.flow.model import (
    Check,
    Click,
    Condition,
    Expect,
    Extract,
    Fill,
    FillForm,
    Goto,
    Locator,
    Mark,
    Popup,
    RejectOn,
    Require,
    Screenshot,
    Select,
    TakeSnapshot,
    Upload,
    Verify,
)
from bot.log import mask_id, redact
from bot.portals.lec.rpt318 import PortalExport, PortalRows, differing_fields, read_portal_export
from bot.secrets import Secret

LeafStep = (
    Goto | Fill | FillForm | Select | Check | Click | Expect | RejectOn | Upload | Screenshot
    | Mark | TakeSnapshot | Verify | Require | Extract
    | Popup
)  # fmt: skip


@dataclass
class StepState:
    """What steps of one record leave for later steps and for the report."""

    changed: bool = False  # did the last fill_form change a field?
    cleared: list[str] = field(default_factory=list)  # labels emptied on the officer's dash
    outcome: str | None = None  # set by `mark`
    # The irreversible click this attempt pressed (with its bindings): from the moment it is
    # pressed, a failure means its outcome is unknown and the portal must be read back.
    pressed: tuple[Click, Bindings] | None = None
    screenshots: list[Path] = field(default_factory=list)


class PressLog:
    """Every irreversible click pressed in a run, shared by all its workers: none twice.

    Workers share one thread (bot.engine.workers), so claiming needs no lock.
    """

    def __init__(self) -> None:
        self._pressed: dict[str, bool] = {}  # press -> the portal showed it took effect

    def claim(self, step: Click, b: Bindings) -> bool:
        """Note the press about to happen; False when this very press was made already."""
        key = _press_key(step, b)
        if key in self._pressed:
            return False
        self._pressed[key] = False
        return True

    def settle(self, step: Click, b: Bindings) -> None:
        """The portal showed the press took effect (read back after its answer was lost)."""
        self._pressed[_press_key(step, b)] = True

    def done(self, step: Click, b: Bindings) -> bool:
        return self._pressed.get(_press_key(step, b), False)


def _press_key(step: Click, b: Bindings) -> str:
    """This click on this record: the step, its resolved locator, and the record's values."""
    locator = b.text(step.locator.model_dump_json())
    record = sorted((b.record or {}).items())
    return hashlib.sha256(repr((step.line, locator, record)).encode()).hexdigest()


@dataclass
class RunState:
    """What a run learns once and every record uses: the portal's snapshot."""

    snapshot: PortalRows | None = None
    snapshot_key: str = "national_id"
    snapshot_columns: frozenset[str] = frozenset()  # the fields the portal's export shows
    trust_snapshot: bool = True  # False on a retry: the record may have changed since
    # Every input record (masked key, values), for preconditions about all of them.
    records: tuple[tuple[str, Mapping[str, str]], ...] = ()
    # What `extract` steps read: a table's rows as cell texts, or one text.
    extracted: dict[str, list[list[str]] | str] = field(default_factory=dict)
    # The officer checked the portal's children the file lacks (--accept-portal-extras).
    accept_portal_extras: bool = False
    # Irreversible clicks pressed so far; one log for all the run's workers.
    presses: PressLog = field(default_factory=PressLog)

    def portal_copy(self, record: Mapping[str, str] | None) -> dict[str, str] | Unknown | None:
        """The portal's row for this record, None when absent, UNKNOWN when we cannot tell."""
        if self.snapshot is None or not self.trust_snapshot or record is None:
            return UNKNOWN
        return self.snapshot.get(record.get(self.snapshot_key, ""))


def document_status(page: Page) -> int:
    """The HTTP status of the page's current document (0 when the browser cannot tell).

    Read from the page's own navigation timing, and only when a step needs it (an error box
    is showing), rather than by a `response` listener that Python would run on every page.
    """
    status = page.evaluate(f"() => {DOCUMENT_STATUS_JS}")
    return status if isinstance(status, int) else 0


class Unknown:
    """The snapshot cannot answer (none taken, or a retry)."""


UNKNOWN = Unknown()


@dataclass(frozen=True)
class ActionEnv:
    """What an action needs besides the page and the step."""

    bindings: Bindings
    artefacts_dir: Path
    allow_irreversible: bool
    timeout_ms: int
    run: RunState = field(default_factory=RunState)
    # Only requests this returns True for may be made outside the browser (the dry-run wall).
    may_request: Callable[[str], bool] = lambda url: True
    # Also keep each screenshot unmasked beside the masked one (--full-screenshots).
    full_screenshots: bool = False


def locate(page: Page, loc: Locator, b: Bindings) -> PwLocator:
    """The Playwright locator for a flow locator, placeholders resolved."""
    scope: Page | PwLocator = locate(page, loc.within, b) if loc.within else page
    found = _by_strategy(scope, loc, b)
    return found.filter(has_text=b.text(loc.has_text)) if loc.has_text else found


def _by_strategy(scope: Page | PwLocator, loc: Locator, b: Bindings) -> PwLocator:
    if loc.role:
        name = b.text(loc.name) if loc.name else None
        return scope.get_by_role(loc.role, name=name, exact=loc.exact)
    if loc.label:
        return scope.get_by_label(b.text(loc.label), exact=loc.exact)
    if loc.text:
        return scope.get_by_text(b.text(loc.text), exact=loc.exact)
    if loc.placeholder:
        return scope.get_by_placeholder(b.text(loc.placeholder), exact=loc.exact)
    if loc.testid:
        return scope.get_by_test_id(b.text(loc.testid))
    assert loc.css is not None
    return scope.locator(b.text(loc.css))


def condition_holds(
    page: Page, cond: Condition, b: Bindings, state: StepState, run: RunState | None = None
) -> bool:
    """Test a `when:` condition on the page as it is now (no waiting)."""
    if cond.changed is not None:
        return state.changed == cond.changed
    if cond.record is not None:
        copy = (run or RunState()).portal_copy(b.record)
        if isinstance(copy, Unknown):
            return False
        if copy is None:
            return cond.record == "absent"
        differs = bool(differing_fields(b.record or {}, copy))
        return cond.record == ("different" if differs else "equal")
    if cond.url is not None:
        return fnmatch.fnmatch(page.url, b.text(cond.url))
    # "Not on the page" means nothing until the page is all there (see page_script.WHOLE_PAGE_JS).
    page.wait_for_load_state("domcontentloaded")
    wanted = cond.visible if cond.visible is not None else cond.not_visible
    assert wanted is not None
    shown = _first_visible(page, wanted, b)
    if not shown and cond.anchor is not None:
        _require_anchor(page, cond.anchor, wanted, b)
    return shown == (cond.visible is not None)


def _require_anchor(page: Page, anchors: tuple[Locator, ...], absent: Locator, b: Bindings) -> None:
    """Believe an absence only on a page that positively shows one of its anchors."""
    try:
        if any(_first_visible(page, anchor, b) for anchor in anchors):
            return
    except PlaywrightError:
        pass  # a page that cannot even be asked is not recognised either
    named = " / ".join(anchor.describe() for anchor in anchors)
    raise StepFailed(
        f"ไม่รู้จักหน้านี้: ไม่พบ {named} จึงตัดสินจากการไม่พบ {absent.describe()} ไม่ได้ ยังไม่ได้กดอะไร — "
        f"the page was not recognised: none of {named} is visible, so the absence of "
        f"{absent.describe()} proves nothing; nothing was pressed here"
    )


def _first_visible(page: Page, loc: Locator, b: Bindings) -> bool:
    """Playwright's `locator.first.is_visible()`, asked of the page itself when it can tell."""
    spec = quick_spec(loc, b)
    if spec is not None:
        state = first_shown(page, [spec])["state"]
        if state != "unsure":
            return bool(state == "visible")
    return locate(page, loc, b).first.is_visible()


def perform(page: Page, step: LeafStep, env: ActionEnv, state: StepState) -> None:
    """Carry out one leaf step; raise StepFailed / PortalRejected with a reason a person reads."""
    timeout = step.timeout_ms or env.timeout_ms
    b = env.bindings
    # The reason is built inside `except` and raised outside it: Playwright's own error (which
    # may quote a typed value, a password) must not ride along as the new error's __context__.
    reason = ""
    try:
        _dispatch(page, step, env, state, b, timeout)
    except (PlaywrightError, AssertionError) as exc:  # AssertionError: a failed `expect`
        reason = f"{step.describe()}: {redact(_first_line(exc))}"
    if reason:
        raise StepFailed(reason)


def _dispatch(
    page: Page, step: LeafStep, env: ActionEnv, state: StepState, b: Bindings, timeout: int
) -> None:
    match step:
        case Goto():
            page.goto(b.text(step.path).lstrip("/"), wait_until="domcontentloaded")
        case Fill():
            value = b.fill_value(step.value)
            target = locate(page, step.locator, b)
            # The secret is revealed here and nowhere else; Playwright never logs fill values.
            target.fill(value.reveal() if isinstance(value, Secret) else value, timeout=timeout)
        case FillForm():
            state.changed = fill_form(page, step, b, timeout, state.cleared)
        case Select():
            _select(locate(page, step.locator, b), b.text(step.option), timeout)
        case Check():
            locate(page, step.locator, b).set_checked(step.checked, timeout=timeout)
        case Click():
            _click(page, step, env, b, timeout, state)
        case Expect():
            _expect(page, step, b, timeout)
        case RejectOn():
            _reject_on(page, step, b)
        case Popup():
            answer_popup(page, step, b, timeout)  # bot.engine.popups
        case Upload():
            locate(page, step.locator, b).set_input_files(b.text(step.file), timeout=timeout)
        case Screenshot():
            path = env.artefacts_dir / "screenshots" / f"{_safe_name(b.text(step.name))}.png"
            element = locate(page, step.locator, b).first if step.locator is not None else None
            take_screenshot(page, path, element, full=env.full_screenshots, timeout=timeout)
            state.screenshots.append(path)
        case Mark():
            state.outcome = step.outcome
        case TakeSnapshot():
            export = take_snapshot(page, step, env, b)
            env.run.snapshot, env.run.snapshot_columns = export.rows, export.columns
            env.run.snapshot_key = step.key
        case Verify():
            verify_record(env.run, b, state)
        case Require():
            require(page, step, env, b, state)
        case Extract():
            page.wait_for_load_state("domcontentloaded", timeout=timeout)  # every row, not some
            if step.rows is not None:
                env.run.extracted[step.name] = locate(page, step.rows, b).evaluate_all(
                    "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
                )
            else:
                assert step.text is not None
                read = locate(page, step.text, b).first.inner_text(timeout=timeout)
                env.run.extracted[step.name] = " ".join(read.split())
        case _:
            assert_never(step)


def _reject_on(page: Page, step: RejectOn, b: Bindings) -> None:
    """Fail the record with the portal's own words when its error box shows."""
    spec = quick_spec(step.locator, b)
    seen = first_shown(page, [spec]) if spec is not None else {"state": "unsure"}
    if seen["state"] == "unsure":
        shown = locate(page, step.locator, b).first
        if not shown.is_visible():
            return
        text, status = " ".join(shown.inner_text().split()), document_status(page)
    elif seen["state"] != "visible":
        return
    else:
        text, status = str(seen["text"]), int(seen["status"])
    if status >= 500:  # the server failed, it did not refuse: worth another try
        raise StepFailed(f"the portal answered {status}: {text}")
    if step.stop == "run":
        raise RunStopped(text)
    raise PortalRejected(text)


def _select(target: PwLocator, option: str, timeout: int) -> None:
    """Choose an option by the text shown or, failing that, by its value (an org code)."""
    options: list[list[str]] = target.evaluate(
        "el => [...el.options].map(o => [o.value, o.textContent.trim()])", timeout=timeout
    )
    if any(text == option for _, text in options):
        target.select_option(label=option, timeout=timeout)
    elif any(value == option for value, _ in options):
        target.select_option(value=option, timeout=timeout)
    else:
        shown = ", ".join(text for value, text in options if value)
        raise StepFailed(f"no option {option!r} (the choices are: {shown})")


def _click(
    page: Page, step: Click, env: ActionEnv, b: Bindings, timeout: int, state: StepState
) -> None:
    if step.irreversible and not env.allow_irreversible:
        raise SafetyError(
            f"{step.describe()} is irreversible and this run was not started with --confirm; "
            "nothing was pressed."
        )
    if step.irreversible:
        if env.run.presses.done(step, b):
            return  # the portal showed this very press took effect: it is done, not redone
        if not env.run.presses.claim(step, b):
            raise OutcomeUnknown(already_pressed(step, b))
        # From here on the request may leave at any moment: a failure is an unknown outcome.
        state.pressed = (step, b)
    refused: list[str] = []  # the words of a dialog that was not the one expected
    on_dialog = _dialog_answer(step, b, refused)
    if on_dialog is not None:
        page.once("dialog", on_dialog)
    try:
        spec = quick_spec(step.locator, b)
        if spec is None or not quick_click(page, spec, timeout):
            locate(page, step.locator, b).click(timeout=timeout)
    finally:
        if on_dialog is not None:
            page.remove_listener("dialog", on_dialog)  # a later dialog is not this click's
    if refused:
        raise PortalRejected(
            f"{step.describe()}: กล่องยืนยันถามว่า “{redact(refused[0])}” "
            f"ไม่ใช่ “{step.expected_dialog}” จึงตอบยกเลิก ไม่มีการกด (the portal's dialog asked "
            "something else, so it was dismissed and nothing was pressed)"
        )


def _dialog_answer(step: Click, b: Bindings, refused: list[str]) -> Callable[[Any], None] | None:
    """The handler that answers the dialog a click opens; a dialog not expected is dismissed."""
    if step.dialog is None:
        return None
    expected = b.text(step.expected_dialog) if step.expected_dialog is not None else None

    def on_dialog(dialog: Any) -> None:
        said = " ".join(str(dialog.message).split())
        if expected is not None and " ".join(expected.split()) not in said:
            refused.append(said)
            dialog.dismiss()
        elif step.dialog == "dismiss":
            dialog.dismiss()
        else:
            dialog.accept()

    return on_dialog


def already_pressed(step: Click, b: Bindings) -> str:
    """Why a second press is refused, and where the officer looks instead."""
    return (
        f"“{step.describe()}” (บรรทัด/line {step.line}) ถูกกดไปแล้วหนึ่งครั้งในการรันนี้ จะไม่กดซ้ำ "
        f"(was pressed once in this run already; edubot never presses it twice). "
        f"{where_to_look(step, b)}"
    )


def where_to_look(step: Click, b: Bindings) -> str:
    """Where the officer reads on the portal whether an irreversible click took effect."""
    verify = step.verify
    if verify is None:  # the loader demands one; said anyway rather than assumed
        return "ตรวจดูในระบบก่อนรันอีกครั้ง (check on the portal before running again)."
    page = f" {b.text(verify.goto)}" if verify.goto else ""
    seen = redact(b.text(verify.visible.describe()))
    return (
        f"เปิดหน้า{page or 'เดิม'} ในระบบแล้วดูว่ามี {seen} หรือไม่ ก่อนรันอีกครั้ง "
        f"(open{page or ' the page'} on the portal and look for {seen} before running again)."
    )


def read_back(page: Page, step: Click, b: Bindings, timeout: int) -> bool:
    """After an irreversible click's answer was lost: does the portal show it took effect?"""
    verify = step.verify
    if verify is None:
        return False
    try:
        if verify.goto is not None:
            page.goto(b.text(verify.goto).lstrip("/"), wait_until="domcontentloaded")
        locate(page, verify.visible, b).first.wait_for(state="visible", timeout=timeout)
    except PlaywrightError:
        return False
    return True


def _expect(page: Page, step: Expect, b: Bindings, timeout: int) -> None:
    # `wait_for` is told by the page the moment the element shows; `expect` would re-check on
    # a 100/250/500 ms back-off, which costs a few hundred ms on every page that is still
    # loading when the step starts.
    shown = step.any if step.any is not None else [step.visible] if step.visible else None
    if shown is not None:
        specs = [quick_spec(loc, b) for loc in shown]
        quick = [spec for spec in specs if spec is not None]
        if len(quick) == len(specs) and wait_until_shown(page, quick, timeout):
            return
    if step.any is not None:
        first, *rest = (locate(page, loc, b) for loc in step.any)
        for other in rest:
            first = first.or_(other)
        first.first.wait_for(state="visible", timeout=timeout)
    elif step.visible is not None:
        locate(page, step.visible, b).first.wait_for(state="visible", timeout=timeout)
    elif step.not_visible is not None:
        expect(locate(page, step.not_visible, b)).to_have_count(0, timeout=timeout)
    else:
        assert step.url is not None
        pattern = re.compile(fnmatch.translate(b.text(step.url)))
        expect(page).to_have_url(pattern, timeout=timeout)


def take_snapshot(page: Page, step: TakeSnapshot, env: ActionEnv, b: Bindings) -> PortalExport:
    """Download the portal's export with the page's session and read it by record key."""
    url = urljoin(page.url, "/" + b.text(step.download).lstrip("/"))
    response = _download(page, url, step, env)
    if not response.ok:
        raise StepFailed(f"{step.describe()}: the portal answered {response.status}")
    env.artefacts_dir.mkdir(parents=True, exist_ok=True)
    # The export holds every child of the school: owner-only, and gone as soon as it is read.
    fd, name = tempfile.mkstemp(suffix=".xlsx", dir=env.artefacts_dir)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(response.body())
        return read_portal_export(path, step.key)
    except RuleError as exc:
        # Asking again brings the same file: stop the run, and say what was expected.
        reason = f"{exc.th} — {step.describe()}: {exc.en}. {exc.fix_th} — {exc.fix_en}"
    finally:
        path.unlink(missing_ok=True)
    raise PreconditionFailed(reason)


_REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_DOWNLOAD_REDIRECTS = 5


def _download(page: Page, url: str, step: TakeSnapshot, env: ActionEnv) -> APIResponse:
    """GET `url` with the page's session, following redirects one hop at a time, each checked
    by `env.may_request` first: Playwright would otherwise follow them wherever they lead,
    past the dry-run wall (which sees only the browser's own requests) and off the portal."""
    for hop in range(MAX_DOWNLOAD_REDIRECTS + 1):
        if not url.startswith("http") or not env.may_request(url):
            said = "the portal redirected the download to " if hop else ""
            raise StepFailed(
                f"{step.describe()}: {said}{url} may not be requested (ขอไฟล์จากที่อยู่นี้ไม่ได้: "
                "อยู่นอกระบบที่กำลังใช้งาน); nothing was sent there."
            )
        response = page.request.get(url, timeout=env.timeout_ms * 4, max_redirects=0)
        location = response.headers.get("location")
        if response.status not in _REDIRECTS or not location:
            return response
        url = urljoin(url, location)
    raise StepFailed(
        f"{step.describe()}: the download was redirected more than {MAX_DOWNLOAD_REDIRECTS} times"
    )


def require(page: Page, step: Require, env: ActionEnv, b: Bindings, state: StepState) -> None:
    """Stop the run with the step's message unless its condition holds; nothing is changed."""
    cond = step.condition
    if cond.records is not None:
        school = b.text(step.school) if step.school else None
        require_records_equal(env.run, b.text(step.message), school)
        return
    try:
        holds = condition_holds(page, cond, b, state, env.run)
    except StepFailed as exc:  # the page was not recognised: stop, as for a failed guard
        raise PreconditionFailed(str(exc)) from None
    if holds:
        return
    named = ""
    if step.list and (cond.visible or cond.not_visible):
        target = cond.visible or cond.not_visible
        assert target is not None
        texts = [" ".join(t.split()) for t in locate(page, target, b).all_inner_texts()]
        named = f": {'; '.join(texts)}" if texts else ""
    raise PreconditionFailed(f"{b.text(step.message)}{named}")


def require_records_equal(run: RunState, message: str, school: str | None = None) -> None:
    """Hold only on evidence: the file has children (of `school`), every column of it can be
    compared, each child is on the portal as in the file, and the portal has none the file lacks.

    Each refusal raises PreconditionFailed, naming its reason, before anything is pressed.
    """
    if run.snapshot is None:
        raise StepFailed("`require: {records: equal}` needs a `snapshot` step before it")
    mine = replace(run, records=_records_of_school(run, school))
    reason = (
        _no_children(mine, school)
        or _unseen_columns(mine)
        or _missing_or_different(mine, message)
        or _unchecked_extras(mine)
    )
    if reason:
        raise PreconditionFailed(reason)


def _no_children(run: RunState, school: str | None) -> str:
    if run.records:
        return ""
    named_th, named_en = (f" {school}", f"school {school}") if school else ("นี้", "this school")
    return (
        f"ไฟล์ไม่มีข้อมูลเด็กของสถานศึกษา{named_th}เลย จึงไม่มีหลักฐานให้ยืนยัน ยังไม่ได้กดอะไร — the file holds "
        f"no child of {named_en}, so there is nothing to confirm against; nothing was pressed. "
        "ใส่ข้อมูลเด็กของสถานศึกษานั้นลงในไฟล์ (give the file with that school's children)"
    )


def _unseen_columns(run: RunState) -> str:
    unseen = _columns_not_shown(run)
    if not unseen:
        return ""
    return (
        f"ระบบไม่แสดงคอลัมน์เหล่านี้ในรายงานจึงเทียบกับไฟล์ไม่ได้ ยังไม่ได้กดอะไร: {unseen} — the portal's "
        f"export does not show these columns of the file, so they cannot be compared; nothing "
        f"was pressed: {unseen}"
    )


def _missing_or_different(run: RunState, message: str) -> str:
    assert run.snapshot is not None
    portal = run.snapshot
    missing = [
        masked
        for masked, values in run.records
        if (copy := portal.get(values.get(run.snapshot_key, ""))) is None
        or differing_fields(values, copy)
    ]
    return f"{message} ({len(missing)}: {_listed(missing)})" if missing else ""


def _unchecked_extras(run: RunState) -> str:
    extras = _portal_extras(run)
    if not extras or run.accept_portal_extras:
        return ""
    return (
        f"ในระบบมีเด็กของสถานศึกษานี้ {len(extras)} คนที่ไม่อยู่ในไฟล์ ยังไม่ได้กดอะไร: {_listed(extras)} "
        f"ตรวจสอบแล้วถ้าถูกต้องให้รันใหม่พร้อม --accept-portal-extras — the portal holds {len(extras)} "
        "child(ren) of this school that the file does not; nothing was pressed. Check them, and "
        "if they belong there run again with --accept-portal-extras"
    )


def _records_of_school(
    run: RunState, school: str | None
) -> tuple[tuple[str, Mapping[str, str]], ...]:
    """The file's records of `school`: all of them unless a record names another school."""
    if school is None:
        return run.records
    return tuple(r for r in run.records if r[1].get("school_code", "").strip() in ("", school))


def _listed(keys: list[str], shown: int = 5) -> str:
    more = f" … (+{len(keys) - shown})" if len(keys) > shown else ""
    return ", ".join(keys[:shown]) + more


_ROUTING_KEYS = frozenset(spec.key for spec in ROUTING_FIELDS)


def _columns_not_shown(run: RunState) -> str:
    """The file's filled columns (routing aside) the export has no column for, by header."""
    filled = {key for _, values in run.records for key, value in values.items() if value.strip()}
    unseen = sorted(filled - _ROUTING_KEYS - run.snapshot_columns)
    return ", ".join(
        f"{FIELDS_BY_KEY[key].header_th} ({key})" if key in FIELDS_BY_KEY else key for key in unseen
    )


def _portal_extras(run: RunState) -> list[str]:
    """The portal's keys of this school that no record of the file has, masked when IDs."""
    assert run.snapshot is not None
    in_file = {values.get(run.snapshot_key, "") for _, values in run.records}
    extras = sorted(key for key in run.snapshot if key not in in_file)
    return [mask_id(key) if run.snapshot_key == "national_id" else key for key in extras]


def verify_record(run: RunState, b: Bindings, state: StepState) -> None:
    """Mark the record verified when the portal's copy equals it; else fail naming the fields."""
    copy = run.portal_copy(b.record)
    if isinstance(copy, Unknown):
        raise StepFailed("verify needs a `snapshot` step before the records loop")
    if copy is None:
        raise PortalRejected("ไม่พบในระบบ (not found in the portal)")
    differing = differing_fields(b.record or {}, copy)
    if differing:
        labels = ", ".join(
            FIELDS_BY_KEY[k].form_label if k in FIELDS_BY_KEY else k for k in differing
        )
        raise PortalRejected(f"ข้อมูลในระบบไม่ตรงกับไฟล์ (differs from the file): {labels}")
    state.outcome = "verified"


def _safe_name(name: str) -> str:
    """A file name from a flow's screenshot name: no folders, nothing the file system dislikes."""
    # Thai vowel and tone marks are not `\w` (category Mn): kept, or ขั้นพื้นฐาน reads ข_นพ_นฐาน.
    return re.sub(r"[^\w\u0e00-\u0e7f.-]+", "_", name).strip("._") or "screenshot"


# What a shared screenshot hides (issue: evidence that can be shared). Form fields hold a
# child's data on every form; table cells hold it on every list; a national ID may show in any
# text (a portal's message). Buttons keep their words: they say where the page was.
_FORM_FIELDS = (
    "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset])"
    ":not([type=image]), select, textarea, [contenteditable=''], [contenteditable=true]"
)
_NATIONAL_ID_TEXT = re.compile(r"\d(?:[ -]?\d){12}")
MASK_COLOUR = "#FF00FF"


def personal_data_masks(page: Page, element: PwLocator | None = None) -> list[PwLocator]:
    """Locators of what a screenshot must hide: form fields, national IDs, and on a whole page
    every table cell. A receipt of one element (a status row the flow chose) keeps its cells."""
    scope: Page | PwLocator = element if element is not None else page
    masks = [scope.locator(_FORM_FIELDS), scope.get_by_text(_NATIONAL_ID_TEXT)]
    if element is None:
        masks.append(page.locator("td"))
    return masks


def take_screenshot(
    page: Page, path: Path, element: PwLocator | None = None, *, full: bool, timeout: int = 0
) -> Path | None:
    """A screenshot with personal data masked, owner-only; with `full`, also an unmasked copy
    (passwords still masked) beside it as NAME-full.png, which no report embeds.

    Returns the full copy's path, if one was taken.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    passwords = page.locator("input[type=password]")
    shots = [(path, [passwords, *personal_data_masks(page, element)])]
    full_path = path.with_name(f"{path.stem}-full{path.suffix}") if full else None
    if full_path is not None:
        shots.append((full_path, [passwords]))
    for target, masks in shots:
        target.touch(mode=0o600, exist_ok=True)  # owner-only before a byte is written
        target.chmod(0o600)
        if element is not None:
            element.screenshot(
                path=str(target), mask=masks, mask_color=MASK_COLOUR, timeout=timeout or None
            )
        else:
            page.screenshot(path=str(target), full_page=True, mask=masks, mask_color=MASK_COLOUR)
    return full_path


# Finds each labelled control the way get_by_label(exact=True) does (the <label> text, trimmed),
# and reads its value. One round trip for the whole form.
_READ_FORM_JS = """
(labels) => {
  const wanted = new Set(labels);
  const out = {};
  for (const label of document.querySelectorAll('label')) {
    const text = label.textContent.trim();
    if (!wanted.has(text) || out[text]) continue;
    const el = label.control;
    if (!el) continue;
    if (el.tagName === 'SELECT') {
      const opt = el.selectedOptions[0];
      out[text] = ['select', opt && opt.value !== '' ? opt.textContent.trim() : ''];
    } else if (el.type === 'checkbox') {
      out[text] = ['checkbox', el.checked ? 'true' : 'false'];
    } else {
      out[text] = ['text', el.value];
    }
  }
  return out;
}
"""

# Sets the given controls as a person's typing would leave them: the value, then the `input`
# and `change` events a page listens for. One round trip; returns the labels it could not set
# (a select lacking the option, a disabled or read-only field) so the caller can say which.
_WRITE_FORM_JS = """
(values) => {
  const refused = [];
  const byLabel = new Map();
  for (const label of document.querySelectorAll('label')) {
    const text = label.textContent.trim();
    if (text in values && !byLabel.has(text) && label.control) byLabel.set(text, label.control);
  }
  for (const [text, value] of Object.entries(values)) {
    const el = byLabel.get(text);
    if (!el || el.disabled || el.readOnly) { refused.push(text); continue; }
    if (el.tagName === 'SELECT') {
      const opt = [...el.options].find(
        o => (value === '' ? o.value === '' : o.textContent.trim() === value));
      if (!opt) { refused.push(text); continue; }
      el.value = opt.value;
    } else if (el.type === 'checkbox') {
      el.checked = value === 'true';
    } else {
      el.value = value;
    }
    // The events a page listens for, without moving focus: focusing each field would scroll
    // it into view and lay the page out again, 57 times per child.
    el.dispatchEvent(new Event('input', {bubbles: true}));
    el.dispatchEvent(new Event('change', {bubbles: true}));
    el.dispatchEvent(new FocusEvent('blur'));
  }
  return refused;
}
"""


# Both at once, for the usual (non-typing) fill: read, compare, and set what differs in a single
# round trip, once the page is whole. Nothing is set when a label is missing. Values compare
# trimmed, as `wanted` is.
_FILL_FORM_JS = f"""
async ([wanted, ms]) => {{
  await ({WHOLE_PAGE_JS.strip()})(ms);
  const read = {_READ_FORM_JS.strip()};
  const write = {_WRITE_FORM_JS.strip()};
  const current = read(Object.keys(wanted));
  const missing = Object.keys(wanted).filter(label => !(label in current));
  if (missing.length) return {{missing, changed: false, refused: []}};
  const differing = {{}};
  for (const [label, value] of Object.entries(wanted)) {{
    if (current[label][1].trim() !== value) differing[label] = value;
  }}
  const changed = Object.keys(differing).length > 0;
  return {{missing, changed, written: Object.keys(differing),
           refused: changed ? write(differing) : []}};
}}
"""

# The read alone, for typing field by field (same wait first).
_READ_WHOLE_FORM_JS = f"""
async ([labels, ms]) => {{
  await ({WHOLE_PAGE_JS.strip()})(ms);
  return ({_READ_FORM_JS.strip()})(labels);
}}
"""


def fill_form(
    page: Page, step: FillForm, b: Bindings, timeout: int, cleared: list[str] | None = None
) -> bool:
    """Set the labelled fields whose value differs; return whether any did.

    An empty value leaves the portal's field as it is (a blank cell never erases); the clear
    mark empties it, and its label is added to `cleared` when the field held something.
    `typing: true` types field by field through Playwright instead, for pages whose inputs
    react to keystrokes (masks, autocompletes); it costs a round trip or more per field.
    """
    given = {b.text(label): b.text(value).strip() for label, value in step.fields.items()}
    to_clear = {label for label, value in given.items() if value == CLEAR_MARK}
    wanted = {k: "" if k in to_clear else v for k, v in given.items() if v}
    if step.typing:
        written = _type_form(page, wanted, timeout)
    else:
        result: dict[str, Any] = page.evaluate(_FILL_FORM_JS, [wanted, timeout])
        _refuse_missing(result["missing"])
        _refuse_unaccepted(result["refused"], given)
        written = result["written"]
    if cleared is not None:
        cleared += [label for label in written if label in to_clear]
    return bool(written)


def _refuse_unaccepted(refused: list[str], given: Mapping[str, str]) -> None:
    """Name the fields the page would not take; their values are masked (they may be a name)."""
    if refused:
        raise StepFailed(
            "ระบบไม่รับค่าของช่อง (could not set) "
            + ", ".join(f"{label!r} = {mask_name(given[label])!r}" for label in refused)
            + ": the value was not accepted (no such option, or the field is read-only)"
        )


def _refuse_missing(missing: list[str]) -> None:
    if missing:
        raise StepFailed(f"the form has no field labelled {', '.join(map(repr, missing))}")


def _type_form(page: Page, wanted: dict[str, str], timeout: int) -> list[str]:
    """Type each differing field through Playwright (pages that react to keystrokes)."""
    current: dict[str, list[str]] = page.evaluate(_READ_WHOLE_FORM_JS, [list(wanted), timeout])
    _refuse_missing([label for label in wanted if label not in current])
    differing = {k: v for k, v in wanted.items() if current[k][1].strip() != v}
    for label, value in differing.items():
        _type_field(page, label, current[label][0], value, timeout)
    return list(differing)


def _type_field(page: Page, label: str, kind: str, value: str, timeout: int) -> None:
    field_ = page.get_by_label(label, exact=True)
    if kind == "select":
        if value:
            field_.select_option(label=value, timeout=timeout)
        else:
            field_.select_option(value="", timeout=timeout)
    elif kind == "checkbox":
        field_.set_checked(value == "true", timeout=timeout)
    else:
        field_.fill(value, timeout=timeout)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
