"""What the framework rendering's pages share: its messages, the popup, the 401 page, context.

Facts and their sources: docs/lec-portal-facts.md. Codes and texts are responseMessage.xml's.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from mock_portals.lec.markup import Handler
from mock_portals.lec.popup import Popup
from mock_portals.lec.portal import (
    EXPIRED_URL,
    SELECT_ORG_URL,
    Context,
    current,
    render,
    school_context,
    student_scope,
)
from mock_portals.lec.records import School

__all__ = ["Popup", "fw_current", "fw_school_context", "fw_student_scope", "message", "page"]

MESSAGES = {
    "00001": "บันทึกข้อมูลเรียบร้อย",
    "00002": "ลบข้อมูลเรียบร้อย",
    "00500": "ระบบผิดพลาดกรุณาติดต่อเจ้าหน้าที่ดูแลระบบ",
    "00501": "ไม่สามารถบันทึกข้อมูลได้เนื่องจากข้อมูลซ้ำซ้อน",
    "00502": "ไม่สามารถบันทึกข้อมูลได้เนื่องจากข้อมูลไม่ครบถ้วน",
    "00505": "ไม่ได้ใช้งานระบบเกินเวลาที่กำหนด กรุณาเข้าสู่ระบบอีกครั้ง",
    "00507": "รหัสผ่านใหม่ซ้ำกับรอบรหัสผ่านเดิม",
    "00508": "ไม่พบข้อมูลที่ใช้ออกรายงาน",
    "00510": "ไม่พบรหัสผู้ใช้ในระบบ",
    "00512": "รหัสผ่านไม่ถูกต้อง",
    "00513": "รหัสผู้ใช้ถูกระงับการใช้งาน",
    "00515": "รหัสผ่านเดิมไม่ถูกต้อง",
    "00520": "รหัสผ่านหมดอายุ",
    "00521": "กรุณาเปลี่ยนรหัสผ่านเพื่อเริ่มต้นการใช้งาน",
}
NODE_URL = "/login.do?cmd=goNode"
HOME_URL = "/school/home.do"
INDEX_URL = "/index.jsp"
# e401.jsp's alert, character for character (the `\n` is JavaScript's, inside the string).
ALERT_401 = "ไม่ได้ใช้งานเกินเวลา!!! \\n กรุณา login ใหม่"


def message(code: str, icon: str = "error", details: tuple[str, ...] = ()) -> Popup:
    return Popup(icon, MESSAGES[code], code, details)


def page(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    ctx: Context | None = None,
    popup: Popup | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(request, name, {**(context or {}), "popup": popup}, status_code, ctx)


def unauthorized(request: Request) -> HTMLResponse:
    """e401.jsp: HTTP 401, an alert, then the login page."""
    return render(request, "fw_e401.html", {"alert_401": ALERT_401}, 401)


def _framework_answer(response: Response, request: Request) -> Response:
    """The accessible markup's redirects for 'logged out' / 'pick an organisation', reframed."""
    location = response.headers.get("location") if isinstance(response, RedirectResponse) else None
    if location == EXPIRED_URL:
        return unauthorized(request)
    if location == SELECT_ORG_URL:
        return RedirectResponse(NODE_URL, status_code=303)
    return response


def fw_current(request: Request) -> Context | Response:
    found = current(request)
    return found if isinstance(found, Context) else _framework_answer(found, request)


async def fw_student_scope(request: Request) -> tuple[Context, School] | Response:
    found = await student_scope(request)
    return _framework_answer(found, request) if isinstance(found, Response) else found


def fw_school_context(request: Request) -> tuple[Context, School] | Response:
    found = school_context(request)
    return _framework_answer(found, request) if isinstance(found, Response) else found


def redirect_keeping_query(target: str) -> Handler:
    """A URL of the accessible markup that the framework's site has under another name
    (`/student/list.do` → `/student/student.do`): 303 there, query string kept."""

    async def handler(request: Request) -> Response:
        query = request.url.query
        return RedirectResponse(f"{target}?{query}" if query else target, status_code=303)

    return handler
