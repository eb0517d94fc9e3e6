"""The framework rendering's buildings entity page `/building/building.do` (ฐานข้อมูลอาคาร
สถานที่): hidden `cmd` (list, listAll, goCreate, goView, goUpdate, doSave, doDelete) and
`data_index`, the form bean in the session, `doSave` forwarding to the list with its popup.

The page is invented for LEC (the manual names the area and its button เพิ่มข้อมูลอาคาร); the
conventions are the framework's (docs/lec-portal-facts.md); the fields, checks and data are the
accessible page's (routes_building.py, school_forms.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from mock_portals.lec.fw_common import Popup, fw_school_context, message, page
from mock_portals.lec.fw_entity import (
    bean_name,
    bean_of,
    command_of,
    cursor,
    form_of,
    lang_of,
    list_position,
    populate,
    row_id,
)
from mock_portals.lec.portal import Context, portal_of
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

BUILDING_CODE = "BLD101"
PAGE_NAME = "ฐานข้อมูลอาคารสถานที่"
MSG_NO_ROW = "ไม่พบข้อมูล"

Command = Callable[[Request, Context, School, dict[str, Any], FormData], Response]


async def building_page(request: Request) -> Response:
    found = fw_school_context(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    form = await form_of(request)
    bean = bean_of(ctx, "building", school.code)
    populate(bean, form)
    return _COMMANDS.get(command_of(request, form), _list)(request, ctx, school, bean, form)


def _list(
    request: Request,
    ctx: Context,
    school: School,
    bean: dict[str, Any],
    form: FormData,
    popup: Popup | None = None,
) -> Response:
    portal = portal_of(request)
    size, keyword = bean["page_size"], bean["keyword"]
    found = [b for b in portal.db.buildings(school.code) if keyword in b.name]
    position = list_position(bean, len(found))
    shown = found[position : position + size]
    bean["rows"] = [b.id for b in shown]
    context = {
        "page_code": BUILDING_CODE,
        "page_name": PAGE_NAME,
        "school": school,
        "buildings": shown,
        "keyword": keyword,
        "cursor": cursor(position, size, len(found)),
        "refusal": portal.edit_refusal(school),
    }
    return page(request, "fw_building_list.html", context, ctx=ctx, popup=popup)


def _list_all(
    request: Request, ctx: Context, school: School, bean: dict[str, Any], form: FormData
) -> Response:
    bean.update(keyword="", position=0)
    return _list(request, ctx, school, bean, form)


def _form(
    request: Request,
    ctx: Context,
    school: School,
    bean: dict[str, Any],
    values: Mapping[str, str],
    *,
    popup: Popup | None = None,
    errors: Mapping[str, str] | None = None,
) -> Response:
    refusal = portal_of(request).edit_refusal(school)
    mode = bean.get("mode", "create")
    context = {
        "page_code": BUILDING_CODE,
        "page_name": PAGE_NAME,
        "school": school,
        "fields": BUILDING_FIELDS,
        "values": values,
        "errors": errors or {},
        "mode": mode,
        "mode_name": {"create": "เพิ่ม", "update": "แก้ไข", "view": "ดู"}[mode],
        "editable": mode != "view" and refusal is None,
        "refusal": refusal,
        "bean_name": bean_name,
        "lang_of": lang_of,
    }
    return page(request, "fw_building_form.html", context, ctx=ctx, popup=popup)


def _go_create(
    request: Request, ctx: Context, school: School, bean: dict[str, Any], form: FormData
) -> Response:
    bean.update(mode="create", edit_id=None)
    return _form(request, ctx, school, bean, {})


def _go_record(mode: str) -> Command:
    def go(
        request: Request, ctx: Context, school: School, bean: dict[str, Any], form: FormData
    ) -> Response:
        # From a list row: data_index; from the view page's แก้ไข button: the record in hand.
        building_id = row_id(bean, form) if form.get("data_index") else bean.get("edit_id")
        building = portal_of(request).db.building(school.code, building_id or -1)
        if building is None:
            return _list(request, ctx, school, bean, form, Popup("error", MSG_NO_ROW))
        bean.update(mode=mode, edit_id=building.id)
        return _form(request, ctx, school, bean, building_to_form(building.name, building.values))

    return go


def _do_save(
    request: Request, ctx: Context, school: School, bean: dict[str, Any], form: FormData
) -> Response:
    portal = portal_of(request)
    values = {key: str(form.get(bean_name(key), "")).strip() for key in BUILDING_KEYS}
    refusal = portal.edit_refusal(school)
    if refusal is not None or bean.get("mode") not in ("create", "update"):
        return _list(request, ctx, school, bean, form, Popup("error", refusal or MSG_NO_ROW))
    building_id = bean.get("edit_id") if bean["mode"] == "update" else None
    taken = {b.name: b.id for b in portal.db.buildings(school.code)}
    duplicate = taken.get(values["building_name"], building_id) != building_id
    problems = validate_building(values, portal.today().year + BE_OFFSET, duplicate)
    errors = {e.key: e.message for e in problems}
    if errors:
        code = "00501" if errors.get("building_name") == MSG_DUPLICATE_BUILDING else "00502"
        popup = message(code, details=tuple(errors.values()))
        return _form(request, ctx, school, bean, values, popup=popup, errors=errors)
    try:
        state = building_to_state(values)
        portal.db.save_building(school.code, values["building_name"], state, building_id)
    except DuplicateBuildingError:  # another browser saved the same name a moment ago
        errors = {"building_name": MSG_DUPLICATE_BUILDING}
        return _form(request, ctx, school, bean, values, popup=message("00501"), errors=errors)
    bean.update(mode="list", edit_id=None)
    return _list(request, ctx, school, bean, form, message("00001", "success"))


def _do_delete(
    request: Request, ctx: Context, school: School, bean: dict[str, Any], form: FormData
) -> Response:
    portal = portal_of(request)
    refusal = portal.edit_refusal(school)
    if refusal is not None:
        return _list(request, ctx, school, bean, form, Popup("error", refusal))
    building_id = row_id(bean, form)
    if building_id is None or not portal.db.delete_building(school.code, building_id):
        return _list(request, ctx, school, bean, form, Popup("error", MSG_NO_ROW))
    return _list(request, ctx, school, bean, form, message("00002", "success"))


_COMMANDS: dict[str, Command] = {
    "list": _list,
    "listAll": _list_all,
    "goCreate": _go_create,
    "goView": _go_record("view"),
    "goUpdate": _go_record("update"),
    "doSave": _do_save,
    "doDelete": _do_delete,
}
