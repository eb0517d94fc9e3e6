"""The buildings database (ฐานข้อมูลอาคารสถานที่): list, add/edit form, save. Invented."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_portals.lec.portal import Context, error_page, portal_of, render, school_context
from mock_portals.lec.records import DuplicateBuildingError, School
from mock_portals.lec.rules import BE_OFFSET
from mock_portals.lec.school_forms import (
    BUILDING_FIELDS,
    BUILDING_KEYS,
    MSG_DUPLICATE_BUILDING,
    building_to_form,
    building_to_state,
    validate_building,
)
from mock_portals.lec.validation import FieldError

LIST_URL = "/building/list.do"
MSG_SAVED = "บันทึกข้อมูลเรียบร้อย"
MSG_STALE_TOKEN = "urlToken ไม่ถูกต้อง หรือหมดอายุ"
MSG_CHECK_FORM = "กรุณาตรวจสอบข้อมูลต่อไปนี้"
MSG_NO_BUILDING = "ไม่พบข้อมูลอาคารที่ต้องการแก้ไข"


def _id_param(value: object) -> int | None:
    text = value if isinstance(value, str) else ""
    return int(text) if text.isascii() and text.isdigit() else None


async def building_list(request: Request) -> Response:
    found = school_context(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    portal = portal_of(request)
    context = {
        "buildings": portal.db.buildings(school.code),
        "refusal": portal.edit_refusal(school),
        "saved": request.query_params.get("saved") == "1",
        "msg_saved": MSG_SAVED,
    }
    return render(request, "building_list.html", context, ctx=ctx)


def _form_page(
    request: Request,
    ctx: Context,
    school: School,
    values: dict[str, str],
    building_id: int | None,
    errors: list[FieldError] | None = None,
) -> Response:
    portal = portal_of(request)
    refusal = portal.edit_refusal(school)
    errors = errors or []
    context = {
        "fields": BUILDING_FIELDS,
        "values": values,
        "building_id": building_id,
        "errors": errors,
        "field_errors": {e.key: e.message for e in errors},
        "msg_check_form": MSG_CHECK_FORM,
        "refusal": refusal,
        "token": None if refusal else portal.sessions.issue_token("building", ctx.session.id),
    }
    return render(request, "building_form.html", context, ctx=ctx)


async def building_form(request: Request) -> Response:
    found = school_context(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    raw_id = request.query_params.get("id")
    if raw_id is None:
        return _form_page(request, ctx, school, {}, None)
    building_id = _id_param(raw_id)
    building = (
        None if building_id is None else portal_of(request).db.building(school.code, building_id)
    )
    if building is None:
        return error_page(request, MSG_NO_BUILDING, 404, ctx)
    return _form_page(
        request, ctx, school, building_to_form(building.name, building.values), building.id
    )


async def building_save(request: Request) -> Response:
    found = school_context(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    portal = portal_of(request)
    refusal = portal.edit_refusal(school)
    if refusal is not None:
        return error_page(request, refusal, 403, ctx)
    form = await request.form()
    if not portal.sessions.consume_token(
        str(form.get("urlToken") or ""), "building", ctx.session.id
    ):
        return error_page(request, MSG_STALE_TOKEN, 400, ctx)
    values = {key: str(form.get(key, "")).strip() for key in BUILDING_KEYS}
    raw_id = form.get("id")
    building_id = None if raw_id in (None, "") else _id_param(raw_id)
    if raw_id not in (None, "") and (
        building_id is None or portal.db.building(school.code, building_id) is None
    ):
        return error_page(request, MSG_NO_BUILDING, 404, ctx)
    taken = {b.name: b.id for b in portal.db.buildings(school.code)}
    duplicate = taken.get(values["building_name"], building_id) != building_id
    this_year_be = portal.today().year + BE_OFFSET
    errors = validate_building(values, this_year_be, duplicate)
    if not errors:
        try:
            portal.db.save_building(
                school.code, values["building_name"], building_to_state(values), building_id
            )
        except DuplicateBuildingError:  # another browser saved the same name a moment ago
            errors = [FieldError("building_name", MSG_DUPLICATE_BUILDING, MSG_DUPLICATE_BUILDING)]
    if errors:
        return _form_page(request, ctx, school, values, building_id, errors)
    return RedirectResponse(f"{LIST_URL}?saved=1", status_code=303)
