"""`require:` and `verify:` steps: the evidence an irreversible step stands on, read from the
portal and compared with the officer's file; each refusal names its reason before anything
is pressed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from playwright.sync_api import Page

from bot.data.fields import FIELDS_BY_KEY, ROUTING_FIELDS
from bot.engine.locate import locate
from bot.engine.page_state import condition_holds
from bot.engine.state import ActionEnv, RunState, StepState, Unknown
from bot.errors import PortalRejected, PreconditionFailed, StepFailed
from bot.flow.binding import Bindings
from bot.flow.model import Require
from bot.i18n import say, say_fix
from bot.log import mask_id
from bot.portals.lec.rpt318 import differing_fields


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
    return say_fix(
        f"ไฟล์ไม่มีข้อมูลเด็กของสถานศึกษา{named_th}เลย จึงไม่มีหลักฐานให้ยืนยัน ยังไม่ได้กดอะไร",
        f"the file holds no child of {named_en}, so there is nothing to confirm against; "
        "nothing was pressed.",
        "ใส่ข้อมูลเด็กของสถานศึกษานั้นลงในไฟล์",
        "give the file with that school's children",
    )


def _unseen_columns(run: RunState) -> str:
    unseen = _columns_not_shown(run)
    if not unseen:
        return ""
    return say(
        f"ระบบไม่แสดงคอลัมน์เหล่านี้ในรายงานจึงเทียบกับไฟล์ไม่ได้ ยังไม่ได้กดอะไร: {unseen}",
        f"the portal's export does not show these columns of the file, so they cannot be "
        f"compared; nothing was pressed: {unseen}",
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
    return say_fix(
        f"ในระบบมีเด็กของสถานศึกษานี้ {len(extras)} คนที่ไม่อยู่ในไฟล์ ยังไม่ได้กดอะไร: {_listed(extras)}",
        f"the portal holds {len(extras)} child(ren) of this school that the file does not; "
        f"nothing was pressed: {_listed(extras)}.",
        "ตรวจสอบแล้วถ้าถูกต้องให้รันใหม่พร้อม --accept-portal-extras",
        "check them, and if they belong there run again with --accept-portal-extras",
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
        raise PortalRejected(say("ไม่พบในระบบ", "not found in the portal"))
    differing = differing_fields(b.record or {}, copy)
    if differing:
        labels = ", ".join(
            FIELDS_BY_KEY[k].form_label if k in FIELDS_BY_KEY else k for k in differing
        )
        raise PortalRejected(say("ข้อมูลในระบบไม่ตรงกับไฟล์", "differs from the file") + f": {labels}")
    state.outcome = "verified"
