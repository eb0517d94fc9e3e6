"""perform(page, step): the one place a flow step turns into Playwright calls.

Only leaf steps arrive here; `when`, `for_each` and `run` are the runner's. Playwright's own
locators, auto-waiting and `expect` do all the waiting: there is no sleep in the engine. The
work is spread over modules that import one way:
state ← locate ← (fill, click, page_state, evidence, snapshot) ← preconditions ← actions.
"""

from __future__ import annotations

from typing import assert_never

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from bot.engine.click import already_pressed, click, outcome_unknown, read_back, where_to_look
from bot.engine.evidence import personal_data_masks, safe_name, take_screenshot
from bot.engine.fill import fill_form, select
from bot.engine.locate import explain_miss, locate
from bot.engine.page_state import condition_holds, document_status, reject_on, wait_for
from bot.engine.popups import answer_popup
from bot.engine.preconditions import require, require_records_equal, verify_record
from bot.engine.snapshot import MAX_DOWNLOAD_REDIRECTS, take_snapshot
from bot.engine.state import UNKNOWN, ActionEnv, PressLog, RunState, StepState, Unknown
from bot.errors import StepFailed
from bot.flow.binding import Bindings
from bot.flow.model import (
    Check,
    Click,
    Expect,
    Extract,
    Fill,
    FillForm,
    Goto,
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
from bot.log import redact
from bot.secrets import Secret

# What callers import from here, wherever it now lives.
__all__ = [
    "MAX_DOWNLOAD_REDIRECTS",
    "UNKNOWN",
    "ActionEnv",
    "LeafStep",
    "PressLog",
    "RunState",
    "StepState",
    "Unknown",
    "already_pressed",
    "condition_holds",
    "document_status",
    "locate",
    "outcome_unknown",
    "perform",
    "personal_data_masks",
    "read_back",
    "require",
    "require_records_equal",
    "take_screenshot",
    "take_snapshot",
    "verify_record",
    "where_to_look",
]

LeafStep = (
    Goto | Fill | FillForm | Select | Check | Click | Expect | RejectOn | Upload | Screenshot
    | Mark | TakeSnapshot | Verify | Require | Extract | Popup
)  # fmt: skip

# Steps that act on the one element their locator names.
_ONE_ELEMENT = (Fill, Select, Check, Click, Upload)


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
        if isinstance(step, _ONE_ELEMENT):
            # Found none, or several: say so in a person's words, naming the candidates.
            what = b.text(step.locator.describe())
            miss = explain_miss(locate(page, step.locator, b), what, step.line)
            reason = f"{step.describe()}: {redact(miss)}" if miss else reason
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
            select(locate(page, step.locator, b), b.text(step.option), timeout)
        case Check():
            locate(page, step.locator, b).set_checked(step.checked, timeout=timeout)
        case Click():
            click(page, step, env, b, timeout, state)
        case Expect():
            wait_for(page, step, b, timeout)
        case RejectOn():
            reject_on(page, step, b)
        case Popup():
            answer_popup(page, step, b, timeout)
        case Upload():
            locate(page, step.locator, b).set_input_files(b.text(step.file), timeout=timeout)
        case Screenshot():
            path = env.artefacts_dir / "screenshots" / f"{safe_name(b.text(step.name))}.png"
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


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
