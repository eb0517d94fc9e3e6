"""What the framework rendering's entity pages share (`/student/student.do`,
`/building/building.do`, `/school/basic.do`): form-bean names, browser checks, the session's form
bean, the search condition and the list cursor.

One URL per entity, a hidden `cmd` and `data_index` (the row's index in the last list shown);
the form bean (search condition, rows shown, record in hand) lives in the HTTP session.
Facts and their sources: docs/lec-portal-facts.md.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request

from mock_portals.lec.fields import DATE_KEYS, Field
from mock_portals.lec.portal import Context

PAGE_SIZES = (10, 25, 50, 100)


def bean_name(key: str) -> str:
    """`formData.<camelCase>` as the framework's JSPs name a form bean's properties."""
    head, *rest = key.split("_")
    return "formData." + head + "".join(part[:1].upper() + part[1:] for part in rest)


def lang_of(field: Field) -> str:
    """validateForm.js's `lang="property['label',required,min,max,check]"`."""
    check = (
        "isPsnId" if field.key == "national_id" else ("isDate" if field.key in DATE_KEYS else "")
    )
    required = "required" if field.required else ""
    return f"property['{field.label}',{required},,,{check}]"


def int_of(value: object, default: int) -> int:
    text = str(value) if value is not None else ""
    return int(text) if text.isascii() and text.isdigit() else default


async def form_of(request: Request) -> FormData:
    return await request.form() if request.method == "POST" else FormData()


def command_of(request: Request, form: FormData) -> str:
    return str(form.get("cmd") or request.query_params.get("cmd") or "list")


def bean_of(ctx: Context, entity: str, school_code: str) -> dict[str, Any]:
    """The session's form bean of `entity` for one school; a fresh one for another school."""
    bean: dict[str, Any] = ctx.session.beans.get(entity, {})
    if bean.get("school") != school_code:
        bean = {"school": school_code, "keyword": "", "position": 0, "page_size": 10, "rows": []}
        ctx.session.beans[entity] = bean
    return bean


def populate(bean: dict[str, Any], form: FormData) -> None:
    """Struts fills the session's form bean from every request's parameters: the search
    condition changes with whatever the page posted (doGoto posts cmd=list and a position)."""
    if "searchCondition.keyword" in form:
        bean["keyword"] = str(form["searchCondition.keyword"]).strip()
    if "searchCondition.pageSize" in form:
        size = int_of(form["searchCondition.pageSize"], bean["page_size"])
        bean["page_size"] = size if size in PAGE_SIZES else bean["page_size"]
    if "searchCondition.position" in form:
        bean["position"] = max(0, int_of(form["searchCondition.position"], 0))


def row_id(bean: dict[str, Any], form: FormData) -> int | None:
    """The id of the row `data_index` points at in the last list shown."""
    rows: list[int] = bean.get("rows", [])
    index = int_of(form.get("data_index"), -1)
    return rows[index] if 0 <= index < len(rows) else None


def list_position(bean: dict[str, Any], total: int) -> int:
    """The bean's position, back to the first page when the list got shorter than it."""
    position: int = bean["position"] if bean["position"] < total else 0
    bean["position"] = position
    return position


def cursor(position: int, size: int, total: int) -> dict[str, Any]:
    """_cursor.jsp's figures: page sizes, page starts, 'x ถึง y จากทั้งหมด N', prev/next."""
    pages = max(1, -(-total // size))
    return {
        "size": size,
        "sizes": PAGE_SIZES,
        "total": total,
        "first": position + 1 if total else 0,
        "last": min(position + size, total),
        "starts": [p * size for p in range(pages)],
        "position": position,
        "prev": position - size if position - size >= 0 else None,
        "next": position + size if position + size < total else None,
        "last_start": (pages - 1) * size,
    }
