"""The framework rendering's home (a school's, or the LGO level's schools and confirmations)
and basic school data `/school/basic.do` (hidden `cmd`: goUpdate, the default, or doSave).

Pages invented for LEC, laid out in the framework's conventions (docs/lec-portal-facts.md);
the same data and rules as the accessible pages (routes_school.py). The confirmations post to
the same URLs in both markups and answer with a redirect to a page that pops the message.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from mock_portals.lec.fw_common import (
    Popup,
    fw_current,
    fw_school_context,
    message,
    page,
)
from mock_portals.lec.fw_entity import bean_name, command_of, form_of, lang_of
from mock_portals.lec.portal import Context, portal_of
from mock_portals.lec.records import School
from mock_portals.lec.routes_school import flash_of, lgo_home_context, status_of
from mock_portals.lec.rules import DIALOG_CONFIRM_SCHOOL
from mock_portals.lec.school_forms import (
    CONTACT_FIELDS,
    PERSONNEL_FIELDS,
    basic_keys,
    basic_to_form,
    basic_to_state,
    grade_fields,
    validate_basic,
)

HOME_CODE, BASIC_CODE = "HOME", "SCH101"


async def home(request: Request) -> Response:
    ctx = fw_current(request)
    if not isinstance(ctx, Context):
        return ctx
    flash = flash_of(request)
    popup = Popup("success", flash) if flash else None
    if ctx.school is None:
        return lgo_home(request, ctx, popup)
    portal = portal_of(request)
    refusal = portal.edit_refusal(ctx.school)
    context = {
        "page_code": HOME_CODE,
        "page_name": "หน้าหลัก",
        "status": status_of(portal.db, ctx.school.code),
        "refusal": refusal,
        "confirm_token": None
        if refusal
        else portal.sessions.issue_token("confirm", ctx.session.id),
        "dialog_confirm": DIALOG_CONFIRM_SCHOOL,
    }
    return page(request, "fw_home.html", context, ctx=ctx, popup=popup)


def lgo_home(
    request: Request, ctx: Context, popup: Popup | None = None, status_code: int = 200
) -> Response:
    """The LGO level's home: the accessible page's rows and buttons, the framework's look."""
    context = {
        **lgo_home_context(portal_of(request), ctx),
        "page_code": HOME_CODE,
        "page_name": "หน้าหลัก",
    }
    return page(request, "fw_home.html", context, ctx=ctx, popup=popup, status_code=status_code)


# --- basic school data ----------------------------------------------------------------------


async def basic_page(request: Request) -> Response:
    found = fw_school_context(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    form = await form_of(request)
    if command_of(request, form) == "doSave":
        return _do_save(request, ctx, school, form)
    stored = basic_to_form(portal_of(request).db.basic(school.code))
    return _basic_form(request, ctx, school, stored)


def _basic_form(
    request: Request,
    ctx: Context,
    school: School,
    values: dict[str, str],
    *,
    popup: Popup | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    portal = portal_of(request)
    refusal = portal.edit_refusal(school)
    context: dict[str, Any] = {
        "page_code": BASIC_CODE,
        "page_name": "ข้อมูลพื้นฐานโรงเรียน/ศูนย์เด็กฯ",
        "school": school,
        "sections": (
            ("ข้อมูลติดต่อ", CONTACT_FIELDS),
            ("บุคลากร", PERSONNEL_FIELDS),
            ("ห้องเรียนและนักเรียน", grade_fields(school.grades)),
        ),
        "values": values,
        "errors": errors or {},
        "editable": refusal is None,
        "refusal": refusal,
        "status": status_of(portal.db, school.code),
        "bean_name": bean_name,
        "lang_of": lang_of,
    }
    return page(request, "fw_basic.html", context, ctx=ctx, popup=popup)


def _do_save(request: Request, ctx: Context, school: School, form: FormData) -> Response:
    portal = portal_of(request)
    values = {key: str(form.get(bean_name(key), "")).strip() for key in basic_keys(school.grades)}
    refusal = portal.edit_refusal(school)
    if refusal is not None:
        return _basic_form(request, ctx, school, values, popup=Popup("error", refusal))
    problems = validate_basic(values, school.grades)
    if problems:
        errors = {e.key: e.message for e in problems}
        popup = message("00502", details=tuple(errors.values()))
        return _basic_form(request, ctx, school, values, popup=popup, errors=errors)
    portal.db.save_basic(school.code, basic_to_state(values, school.grades))
    # A forward, as BaseDomainAction.doSave's: the form again, in the save's own response.
    return _basic_form(request, ctx, school, values, popup=message("00001", "success"))
