"""The organisation's home page, basic school data, and the school-level confirmation."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_portals.lec.db import Database
from mock_portals.lec.markup import is_framework
from mock_portals.lec.portal import (
    Context,
    Portal,
    current,
    error_page,
    portal_of,
    render,
    school_context,
    student_scope,
)
from mock_portals.lec.records import School
from mock_portals.lec.rules import (
    DIALOG_CONFIRM_LGO,
    DIALOG_CONFIRM_SCHOOL,
    LGO_STATUS_CONFIRMED,
    LGO_STATUS_NOT_CONFIRMED,
    MSG_LGO_CONFIRMED,
    MSG_SCHOOL_CONFIRMED,
    MSG_SCHOOL_UNCONFIRMED,
    STATUS_CONFIRMED,
    STATUS_NOT_CONFIRMED,
    dialog_unconfirm_school,
    is_other_affiliation,
    thai_time,
)
from mock_portals.lec.school_forms import (
    CONTACT_FIELDS,
    PERSONNEL_FIELDS,
    basic_keys,
    basic_to_form,
    basic_to_state,
    grade_fields,
    validate_basic,
)

HOME_URL = "/school/home.do"
BASIC_URL = "/school/basic.do"
MSG_SAVED = "บันทึกข้อมูลเรียบร้อย"
MSG_STALE_TOKEN = "urlToken ไม่ถูกต้อง หรือหมดอายุ"
MSG_CHECK_FORM = "กรุณาตรวจสอบข้อมูลต่อไปนี้"
_FLASHES = {
    "confirmed": MSG_SCHOOL_CONFIRMED,
    "unconfirmed": MSG_SCHOOL_UNCONFIRMED,
    "lgo_confirmed": MSG_LGO_CONFIRMED,
}


def status_of(db: Database, org_code: str, *, lgo: bool = False) -> dict[str, str]:
    """The confirmation status line of a school (or an LGO): its text and Thai time."""
    confirmed_at = db.confirmed_at(org_code)
    if lgo:
        text = LGO_STATUS_CONFIRMED if confirmed_at else LGO_STATUS_NOT_CONFIRMED
    else:
        text = STATUS_CONFIRMED if confirmed_at else STATUS_NOT_CONFIRMED
    return {"text": text, "time": thai_time(confirmed_at) if confirmed_at else ""}


def flash_of(request: Request) -> str | None:
    return next(
        (msg for key, msg in _FLASHES.items() if request.query_params.get(key) == "1"), None
    )


async def home(request: Request) -> Response:
    ctx = current(request)
    if not isinstance(ctx, Context):
        return ctx
    if ctx.school is None:
        return lgo_home(request, ctx)
    portal = portal_of(request)
    refused = portal.edit_refusal(ctx.school)
    context = {
        "flash": flash_of(request),
        "status": status_of(portal.db, ctx.school.code),
        "confirm_token": None
        if refused
        else portal.sessions.issue_token("confirm", ctx.session.id),
        "dialog_confirm": DIALOG_CONFIRM_SCHOOL,
    }
    return render(request, "home.html", context, ctx=ctx)


def lgo_row(portal: Portal, ctx: Context, school: School, counts: dict[str, int]) -> dict[str, Any]:
    confirmed_at = portal.db.confirmed_at(school.code)
    may_unconfirm = confirmed_at is not None and portal.lgo_refusal(ctx.lgo) is None
    other = is_other_affiliation(school)
    return {
        "school": school,
        "affiliation": f"สังกัดอื่น ({school.affiliation})" if other else "สังกัด อปท. (DLA)",
        "other": other,
        "students": counts.get(school.code, 0),
        "status": "ยืนยันข้อมูลแล้ว" if confirmed_at else "ยังไม่ยืนยันข้อมูล",
        "time": thai_time(confirmed_at) if confirmed_at else "",
        "unconfirm_token": (
            portal.sessions.issue_token("unconfirm", ctx.session.id) if may_unconfirm else None
        ),
        "dialog_unconfirm": dialog_unconfirm_school(school.name),
    }


def lgo_home(
    request: Request, ctx: Context, error: str | None = None, status_code: int = 200
) -> Response:
    """The LGO level: every school of the LGO with its confirmation, and the LGO's own."""
    portal = portal_of(request)
    context = {
        **lgo_home_context(portal, ctx),
        "flash": flash_of(request),
        "error": error,
    }
    return render(request, "home.html", context, status_code, ctx)


def lgo_home_context(portal: Portal, ctx: Context) -> dict[str, Any]:
    """What the LGO home shows in either markup: the schools' rows and the LGO's status."""
    counts = portal.db.student_counts()
    refused = portal.lgo_refusal(ctx.lgo)
    confirmed = portal.db.confirmed_at(ctx.lgo.code) is not None
    return {
        # The page changed (a fault): rows without their marks and the code column renamed.
        "rows_unmarked": portal.faults.faults.school_rows_unmarked,
        "rows": [lgo_row(portal, ctx, s, counts) for s in portal.db.schools(ctx.lgo.code)],
        "lgo_status": status_of(portal.db, ctx.lgo.code, lgo=True),
        "lgo_locked": refused if confirmed else None,
        "lgo_confirm_token": (
            None if refused else portal.sessions.issue_token("lgo-confirm", ctx.session.id)
        ),
        "dialog_confirm_lgo": DIALOG_CONFIRM_LGO,
    }


# --- basic school data ----------------------------------------------------------------------


def _basic_page(
    request: Request,
    ctx: Context,
    school: School,
    values: dict[str, str],
    errors: list[Any] | None = None,
) -> Response:
    portal = portal_of(request)
    refusal = portal.edit_refusal(school)
    errors = errors or []
    context = {
        "sections": (
            ("ข้อมูลติดต่อ", CONTACT_FIELDS),
            ("บุคลากร", PERSONNEL_FIELDS),
            ("ห้องเรียนและนักเรียน", grade_fields(school.grades)),
        ),
        "values": values,
        "errors": errors,
        "field_errors": {e.key: e.message for e in errors},
        "msg_check_form": MSG_CHECK_FORM,
        "refusal": refusal,
        "token": None if refusal else portal.sessions.issue_token("basic", ctx.session.id),
        "saved": request.query_params.get("saved") == "1" and not errors,
        "msg_saved": MSG_SAVED,
        "status": status_of(portal.db, school.code),
    }
    return render(request, "basic.html", context, ctx=ctx)


async def basic(request: Request) -> Response:
    found = school_context(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    return _basic_page(
        request, ctx, school, basic_to_form(portal_of(request).db.basic(school.code))
    )


async def basic_save(request: Request) -> Response:
    found = school_context(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    portal = portal_of(request)
    refusal = portal.edit_refusal(school)
    if refusal is not None:
        return error_page(request, refusal, 403, ctx)
    form = await request.form()
    if not portal.sessions.consume_token(str(form.get("urlToken") or ""), "basic", ctx.session.id):
        return error_page(request, MSG_STALE_TOKEN, 400, ctx)
    values = {key: str(form.get(key, "")).strip() for key in basic_keys(school.grades)}
    errors = validate_basic(values, school.grades)
    if errors:
        return _basic_page(request, ctx, school, values, errors)
    portal.db.save_basic(school.code, basic_to_state(values, school.grades))
    return RedirectResponse(f"{BASIC_URL}?saved=1", status_code=303)


# --- school-level confirmation --------------------------------------------------------------


async def school_confirm(request: Request) -> Response:
    """`POST /school/confirm.do`: a school (or, at LGO level, an other-affiliation one) confirms."""
    found = await student_scope(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    portal = portal_of(request)
    refusal = portal.edit_refusal(school)
    if refusal is not None:
        return error_page(request, refusal, 403, ctx)
    form = await request.form()
    if not portal.sessions.consume_token(
        str(form.get("urlToken") or ""), "confirm", ctx.session.id
    ):
        return error_page(request, MSG_STALE_TOKEN, 400, ctx)
    portal.db.confirm(school.code)
    if ctx.school is not None:
        return RedirectResponse(f"{HOME_URL}?confirmed=1", status_code=303)
    query = urlencode({"school": school.code, "confirmed": "1"})
    students = "/student/student.do" if is_framework(request) else "/student/list.do"
    return RedirectResponse(f"{students}?{query}", status_code=303)
