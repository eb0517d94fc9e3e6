"""Login (`/index.jsp`, `POST /login.do` cmd=doLogin), org picker (cmd=doSetNode), logout."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_portals.lec.portal import EXPIRED_URL, SELECT_ORG_URL, error_page, portal_of, render
from mock_portals.lec.records import Account
from mock_portals.lec.sessions import COOKIE, Session

HOME_URL = "/school/home.do"
MSG_EXPIRED = "หมดเวลาการใช้งาน กรุณาเข้าสู่ระบบใหม่"
MSG_BAD_LOGIN = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
MSG_STALE_TOKEN = "urlToken ไม่ถูกต้อง หรือหมดอายุ"
MSG_LOGIN_STALE_TOKEN = f"{MSG_STALE_TOKEN} กรุณาเข้าสู่ระบบอีกครั้ง"
MSG_PICK_ORG = "กรุณาเลือกสังกัด"
MSG_BAD_COMMAND = "คำสั่งไม่ถูกต้อง"


def _login_page(request: Request, error: str | None = None, login: str = "") -> Response:
    token = portal_of(request).sessions.issue_token("login", None)
    expired = request.query_params.get("expired") == "1" and error is None
    notice = MSG_EXPIRED if expired else None
    return render(
        request, "login.html", {"token": token, "error": error, "notice": notice, "login": login}
    )


async def root(request: Request) -> Response:
    return RedirectResponse("/index.jsp", status_code=303)


async def index(request: Request) -> Response:
    return _login_page(request)


async def login_get(request: Request) -> Response:
    if request.query_params.get("cmd") != "selectNode":
        return RedirectResponse("/index.jsp", status_code=303)
    logged_in = _logged_in(request)
    if logged_in is None:
        return RedirectResponse(EXPIRED_URL, status_code=303)
    return _org_picker(request, *logged_in)


async def login_post(request: Request) -> Response:
    form = await request.form()
    cmd = form.get("cmd")
    token = form.get("urlToken")
    token = token if isinstance(token, str) else None
    if cmd == "doLogin":
        return _do_login(request, token, str(form.get("login", "")), str(form.get("password", "")))
    if cmd == "doSetNode":
        return _do_set_node(request, token, str(form.get("orgId", "")))
    return error_page(request, MSG_BAD_COMMAND, 400)


def _do_login(request: Request, token: str | None, login: str, password: str) -> Response:
    portal = portal_of(request)
    if not portal.sessions.consume_token(token, "login", None):
        return _login_page(request, MSG_LOGIN_STALE_TOKEN, login)
    account = portal.db.account(login)
    if account is None or account.password != password:
        return _login_page(request, MSG_BAD_LOGIN, login)
    portal.sessions.drop(request.cookies.get(COOKIE))
    single = account.organisations[0] if len(account.organisations) == 1 else None
    session = portal.sessions.create(account.username, single)
    response = RedirectResponse(HOME_URL if single else SELECT_ORG_URL, status_code=303)
    response.set_cookie(COOKIE, session.id, httponly=True, samesite="lax", path="/")
    return response


def _logged_in(request: Request) -> tuple[Session, Account] | None:
    portal = portal_of(request)
    session = portal.session(request)
    account = portal.db.account(session.username) if session else None
    return None if session is None or account is None else (session, account)


def _org_picker(
    request: Request, session: Session, account: Account, error: str | None = None
) -> Response:
    options = [(code, _org_name(request, code)) for code in account.organisations]
    token = portal_of(request).sessions.issue_token("setnode", session.id)
    context = {"token": token, "options": options, "error": error, "selected": session.org_code}
    return render(request, "select_org.html", context)


def _org_name(request: Request, code: str) -> str:
    db = portal_of(request).db
    school = db.school(code)
    lgo = None if school else db.lgo(code)
    return school.name if school else (lgo.name if lgo else code)


def _do_set_node(request: Request, token: str | None, org_id: str) -> Response:
    logged_in = _logged_in(request)
    if logged_in is None:
        return RedirectResponse(EXPIRED_URL, status_code=303)
    session, account = logged_in
    if not portal_of(request).sessions.consume_token(token, "setnode", session.id):
        return error_page(request, MSG_STALE_TOKEN, 400)
    if org_id not in account.organisations:
        return _org_picker(request, session, account, MSG_PICK_ORG)
    session.org_code = org_id
    return RedirectResponse(HOME_URL, status_code=303)


async def logout(request: Request) -> Response:
    portal = portal_of(request)
    portal.sessions.drop(request.cookies.get(COOKIE))
    response = RedirectResponse("/index.jsp", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
