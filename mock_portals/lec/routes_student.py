"""The student database: list and search, the add/edit form, and save with validation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_portals.lec.fields import FIELDSETS, KEYS
from mock_portals.lec.portal import Context, error_page, portal_of, render, student_scope
from mock_portals.lec.records import DuplicateStudentError, School
from mock_portals.lec.routes_school import flash_of, status_of
from mock_portals.lec.rules import DIALOG_CONFIRM_SCHOOL, allowed_grades
from mock_portals.lec.validation import MSG_DUPLICATE_ID, FieldError, validate_student

PAGE_SIZE = 20
MSG_SAVED = "บันทึกข้อมูลเรียบร้อย"
MSG_NOT_FOUND = "ไม่พบข้อมูล"
MSG_STALE_TOKEN = "urlToken ไม่ถูกต้อง หรือหมดอายุ"
MSG_NO_STUDENT = "ไม่พบข้อมูลนักเรียนที่ต้องการแก้ไข"
MSG_CHECK_FORM = "กรุณาตรวจสอบข้อมูลต่อไปนี้"
LIST_URL = "/student/list.do"


def _int_param(value: str | None, default: int) -> int:
    return int(value) if value is not None and value.isascii() and value.isdigit() else default


def _scope(ctx: Context, school: School) -> dict[str, Any]:
    """URLs of one school's student pages; at LGO level they carry `school=<code>`."""
    at_lgo = ctx.school is None
    prefix = f"school={school.code}&" if at_lgo else ""
    return {
        "school": school,
        "scope_code": school.code if at_lgo else None,
        "list_url": f"{LIST_URL}?school={school.code}" if at_lgo else LIST_URL,
        "form_url": f"/student/form.do?school={school.code}" if at_lgo else "/student/form.do",
        "edit_prefix": f"/student/form.do?{prefix}id=",
        "page_prefix": f"{LIST_URL}?{prefix}",
    }


async def student_list(request: Request) -> Response:
    found = await student_scope(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    params = request.query_params
    return _list_page(
        request,
        ctx,
        school,
        query=params.get("q", "").strip(),
        page=max(1, _int_param(params.get("page"), 1)),
        saved=params.get("saved") == "1",
    )


def _list_page(
    request: Request,
    ctx: Context,
    school: School,
    *,
    query: str = "",
    page: int = 1,
    saved: bool = False,
) -> Response:
    portal = portal_of(request)
    refusal = portal.edit_refusal(school)
    db = portal.db
    total, _ = db.search_students(school.code, query, 0, 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    _, students = db.search_students(school.code, query, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    context = {
        "students": students,
        "query": query,
        "page": page,
        "pages": pages,
        "total": total,
        "first_number": (page - 1) * PAGE_SIZE + 1,
        "saved": saved,
        "msg_saved": MSG_SAVED,
        "msg_not_found": MSG_NOT_FOUND,
        "flash": flash_of(request),
        "refusal": refusal,
        "status": status_of(db, school.code),
        "confirm_token": None
        if refusal
        else portal.sessions.issue_token("confirm", ctx.session.id),
        "dialog_confirm": DIALOG_CONFIRM_SCHOOL,
        **_scope(ctx, school),
    }
    return render(request, "student_list.html", context, ctx=ctx)


def _form_page(
    request: Request,
    ctx: Context,
    school: School,
    values: Mapping[str, str],
    student_id: int | None,
    errors: list[FieldError] | None = None,
) -> Response:
    portal = portal_of(request)
    refusal = portal.edit_refusal(school)
    token = None if refusal else portal.sessions.issue_token("student", ctx.session.id)
    errors = errors or []
    context = {
        "fieldsets": FIELDSETS,
        "values": values,
        "student_id": student_id,
        "token": token,
        "errors": errors,
        "field_errors": {e.key: e.message for e in errors},
        "msg_check_form": MSG_CHECK_FORM,
        "refusal": refusal,
        **_scope(ctx, school),
    }
    return render(request, "student_form.html", context, ctx=ctx)


async def student_form(request: Request) -> Response:
    found = await student_scope(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    raw_id = request.query_params.get("id")
    if raw_id is None:
        return _form_page(request, ctx, school, {}, None)
    student = portal_of(request).db.student(school.code, _int_param(raw_id, -1))
    if student is None:
        return error_page(request, MSG_NO_STUDENT, 404, ctx)
    return _form_page(request, ctx, school, student.values, student.id)


async def student_save(request: Request) -> Response:
    found = await student_scope(request)
    if isinstance(found, Response):
        return found
    ctx, school = found
    portal = portal_of(request)
    refusal = portal.edit_refusal(school)
    if refusal is not None:
        return error_page(request, refusal, 403, ctx)
    form = await request.form()
    token = form.get("urlToken")
    if not portal.sessions.consume_token(str(token or ""), "student", ctx.session.id):
        return error_page(request, MSG_STALE_TOKEN, 400, ctx)
    values = {key: str(form.get(key, "")) for key in KEYS}
    raw_id = form.get("id")
    student_id = None if raw_id in (None, "") else _int_param(str(raw_id), -1)
    if student_id is not None and portal.db.student(school.code, student_id) is None:
        return error_page(request, MSG_NO_STUDENT, 404, ctx)
    return _store(request, ctx, school, values, student_id)


def _store(
    request: Request, ctx: Context, school: School, values: dict[str, str], student_id: int | None
) -> Response:
    db = portal_of(request).db
    duplicate = db.id_taken(school.code, values["national_id"], student_id)
    errors = validate_student(values, allowed_grades(school), duplicate)
    if errors:
        return _form_page(request, ctx, school, values, student_id, errors)
    try:
        db.save_student(school.code, values, student_id)
    except DuplicateStudentError:  # another browser saved the same ID a moment ago
        errors = [FieldError("national_id", MSG_DUPLICATE_ID, MSG_DUPLICATE_ID)]
        return _form_page(request, ctx, school, values, student_id, errors)
    if portal_of(request).faults.faults.save_redirects:
        if ctx.school is not None:
            return RedirectResponse(f"{LIST_URL}?saved=1", status_code=303)
        query = urlencode({"school": school.code, "saved": "1"})
        return RedirectResponse(f"{LIST_URL}?{query}", status_code=303)
    # A Struts action forwards to the list on the server: one request for the browser, not a
    # redirect and a second one. (`save_redirects` switches to Post/Redirect/Get, since which
    # of the two the real portal does is not known; the flows work with either.)
    return _list_page(request, ctx, school, saved=True)
