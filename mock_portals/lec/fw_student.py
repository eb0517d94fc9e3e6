"""The framework rendering's student entity page `/student/student.do` and RPT318 page.

One URL per entity, a hidden `cmd` (list, listAll, goCreate, goView, goUpdate, doSave,
doDelete, exportExcel) and `data_index` (the row's index in the last list shown); the form bean
(search condition, rows shown, record in hand) lives in the HTTP session, and `doSave` forwards
to the list in the same response with the popup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from mock_portals.lec.fields import FIELDSETS, KEYS
from mock_portals.lec.fw_common import Popup, fw_student_scope, message, page
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
from mock_portals.lec.records import DuplicateStudentError, School
from mock_portals.lec.routes_school import flash_of, status_of
from mock_portals.lec.rules import DIALOG_CONFIRM_SCHOOL, allowed_grades
from mock_portals.lec.validation import MSG_BAD_ID, MSG_DUPLICATE_ID, validate_student
from mock_portals.lec.xls import XLS_TYPE, build_rpt318_xls

STUDENT_URL = "/student/student.do"
REPORT_URL = "/report/rpt318.do"
LIST_CODE, REPORT_CODE = "STD101", "RPT318"
MSG_NO_ROW = "ไม่พบข้อมูล"


def is_refused_psn_id(value: str) -> bool:
    """validatePsnId.js refuses 13-digit IDs starting with 0 or 9; the server does too."""
    return len(value) == 13 and value.isdigit() and value[0] in "09"


# --- the student entity page --------------------------------------------------------------


async def student_page(request: Request) -> Response:
    found = await fw_student_scope(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    form = await form_of(request)
    bean = bean_of(ctx, "student", school.code)
    populate(bean, form)
    return _COMMANDS.get(command_of(request, form), _list)(request, ctx, school, bean, form)


Command = Callable[[Request, Context, School, dict[str, Any], FormData], Response]


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
    total, _ = portal.db.search_students(school.code, keyword, 0, 0)
    position = list_position(bean, total)
    _, students = portal.db.search_students(school.code, keyword, position, size)
    bean["rows"] = [s.id for s in students]
    refusal = portal.edit_refusal(school)
    flash = flash_of(request)  # after a confirmation at LGO level (routes_school)
    if popup is None and flash is not None:
        popup = Popup("success", flash)
    context = {
        **_page_frame(ctx, school, LIST_CODE, "ข้อมูลนักเรียน"),
        "students": students,
        "keyword": keyword,
        "cursor": cursor(position, size, total),
        "refusal": refusal,
        "status": status_of(portal.db, school.code),
        "confirm_token": None
        if refusal
        else portal.sessions.issue_token("confirm", ctx.session.id),
        "dialog_confirm": DIALOG_CONFIRM_SCHOOL,
    }
    return page(request, "fw_student_list.html", context, ctx=ctx, popup=popup)


def _page_frame(ctx: Context, school: School, code: str, name: str) -> dict[str, Any]:
    at_lgo = ctx.school is None
    suffix = f"?school={quote(school.code)}" if at_lgo else ""
    return {
        "page_code": code,
        "page_name": name,
        "school": school,
        "scope_code": school.code if at_lgo else None,
        "student_url": STUDENT_URL + suffix,
        "report_url": REPORT_URL + suffix,
    }


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
    portal = portal_of(request)
    mode = bean.get("mode", "create")
    refusal = portal.edit_refusal(school)
    context = {
        **_page_frame(ctx, school, LIST_CODE, "ข้อมูลนักเรียน"),
        "fieldsets": FIELDSETS,
        "values": values,
        "errors": errors or {},
        "mode": mode,
        "mode_name": {"create": "เพิ่ม", "update": "แก้ไข", "view": "ดู"}[mode],
        "editable": mode != "view" and refusal is None,
        "refusal": refusal,
        "bean_name": bean_name,
        "lang_of": lang_of,
    }
    return page(request, "fw_student_form.html", context, ctx=ctx, popup=popup)


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
        student_id = row_id(bean, form) if form.get("data_index") else bean.get("edit_id")
        student = portal_of(request).db.student(school.code, student_id or -1)
        if student is None:
            return _list(request, ctx, school, bean, form, Popup("error", MSG_NO_ROW))
        bean.update(mode=mode, edit_id=student.id)
        return _form(request, ctx, school, bean, student.values)

    return go


def _posted_values(form: FormData) -> dict[str, str]:
    return {key: str(form.get(bean_name(key), "")).strip() for key in KEYS}


def _do_save(
    request: Request, ctx: Context, school: School, bean: dict[str, Any], form: FormData
) -> Response:
    portal = portal_of(request)
    values = _posted_values(form)
    refusal = portal.edit_refusal(school)
    if refusal is not None or bean.get("mode") not in ("create", "update"):
        popup = Popup("error", refusal or MSG_NO_ROW)
        return _list(request, ctx, school, bean, form, popup)
    student_id = bean.get("edit_id") if bean["mode"] == "update" else None
    duplicate = portal.db.id_taken(school.code, values["national_id"], student_id)
    if duplicate:
        return _form(request, ctx, school, bean, values, popup=message("00501"))
    errors = {e.key: e.message for e in validate_student(values, allowed_grades(school), False)}
    if "national_id" not in errors and is_refused_psn_id(values["national_id"]):
        errors["national_id"] = MSG_BAD_ID
    if errors:
        popup = message("00502", details=tuple(errors.values()))
        return _form(request, ctx, school, bean, values, popup=popup, errors=errors)
    try:
        portal.db.save_student(school.code, values, student_id)
    except DuplicateStudentError:  # another browser saved the same ID a moment ago
        errors = {"national_id": MSG_DUPLICATE_ID}
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
    student_id = row_id(bean, form)
    if student_id is None or not portal.db.delete_student(school.code, student_id):
        return _list(request, ctx, school, bean, form, Popup("error", MSG_NO_ROW))
    return _list(request, ctx, school, bean, form, message("00002", "success"))


def _export(
    request: Request, ctx: Context, school: School, bean: dict[str, Any], form: FormData
) -> Response:
    return xls_response(request, ctx, school, LIST_CODE)


def xls_response(request: Request, ctx: Context, school: School, page_code: str) -> Response:
    """RPT318's rows as legacy .xls, named `<pageCode>.xls` as the framework's exports are."""
    portal = portal_of(request)
    year, term = portal.round()
    students = portal.db.students(school.code)
    drop = portal.faults.faults.report_drops
    body = build_rpt318_xls(school, ctx.lgo, int(year), int(term), students, drop)
    # BaseDomainAction.exportExcel's headers, unquoted file name included.
    disposition = f"attachment; filename={page_code}.xls"
    return Response(body, media_type=XLS_TYPE, headers={"Content-Disposition": disposition})


_COMMANDS: dict[str, Command] = {
    "list": _list,
    "listAll": _list_all,
    "goCreate": _go_create,
    "goView": _go_record("view"),
    "goUpdate": _go_record("update"),
    "doSave": _do_save,
    "doDelete": _do_delete,
    "exportExcel": _export,
}


# --- RPT318 -------------------------------------------------------------------------------


async def report_page(request: Request) -> Response:
    found = await fw_student_scope(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    form = await form_of(request)
    # Struts reads a command from the query as from the form: `?cmd=exportExcel` downloads.
    if command_of(request, form) == "exportExcel":
        return xls_response(request, ctx, school, REPORT_CODE)
    context = _page_frame(ctx, school, REPORT_CODE, "รายงานรายละเอียดข้อมูลนักเรียน")
    return page(request, "fw_rpt318.html", context, ctx=ctx)
