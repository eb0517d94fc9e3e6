"""The framework rendering's login (index.jsp), organisation picker (node.jsp), password-expired
page (passwordExpired.jsp) and logout: `POST /login.do` with `cmd` = doLogin, goNode, doSetNode,
doSavePassword, doLogout."""

from __future__ import annotations

import secrets
import time

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_portals.lec.db import Database
from mock_portals.lec.fw_common import HOME_URL, INDEX_URL, Popup, message, page
from mock_portals.lec.portal import portal_of
from mock_portals.lec.records import Account
from mock_portals.lec.seed import DEMO_PASSWORD, LGO
from mock_portals.lec.sessions import COOKIE, Session

REMEMBER_COOKIE = "df.login.token"
REMEMBER_MAX_AGE = 365 * 24 * 3600
_FORTY_YEARS_MS = 1261440000000  # TokenUtil subtracts it from the time
# Accounts the framework rendering knows beside the seed's (not stored, not in /_mock/state):
# the login page answers them with the message of their state and lets none of them in.
EXPIRED_ACCOUNTS = {"expired": "00520", "newuser": "00521"}
LOCKED_ACCOUNTS = frozenset({"locked"})
PASSWORD_MIN, PASSWORD_MAX = 6, 15
MSG_PICK_NODE = "กรุณาเลือก สังกัดในการใช้ระบบ"
MSG_PASSWORDS_DIFFER = "ยืนยันรหัสผ่านไม่ตรงกัน"  # validateForm.js isConfirmPassword
MSG_PASSWORD_LENGTH = f"รหัสผ่านใหม่ต้องมี {PASSWORD_MIN}-{PASSWORD_MAX} ตัวอักษร"


def to_token(value: str) -> str:
    """TokenUtil.toToken: "<random>\n<millis>\n<value>" as one base-36 number. Not secret and
    not one-time: anyone can read the value back."""
    text = f"{secrets.randbelow(2**31)}\n{int(time.time() * 1000) - _FORTY_YEARS_MS}\n{value}"
    number = int.from_bytes(text.encode(), "big")
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[rest] + digits
    return digits


def from_token(token: str) -> str | None:
    """TokenUtil.toValue: the value in a token; None when it is not one."""
    try:
        number = int(token, 36)
        parts = number.to_bytes((number.bit_length() + 7) // 8, "big").decode().split("\n")
    except (ValueError, UnicodeDecodeError):
        return None
    return parts[2] if len(parts) == 3 else None


def node_ids(db: Database) -> dict[str, str]:
    """Organisation code → numeric node id, stable for one seed (the framework posts ids)."""
    codes = sorted({LGO.code, *(s.code for s in db.schools())})
    return {code: str(101 + i) for i, code in enumerate(codes)}


def login_page(request: Request, popup: Popup | None = None, login: str = "") -> Response:
    back = request.query_params.get("url", "")
    token = to_token(back) if back.startswith("/") else ""
    return page(request, "fw_login.html", {"url_token": token, "login": login}, popup=popup)


async def index(request: Request) -> Response:
    return login_page(request)


async def login_get(request: Request) -> Response:
    cmd = request.query_params.get("cmd")
    if cmd == "doLogout":
        return _logout(request)
    if cmd == "goNode":
        return _node_or_login(request)
    return RedirectResponse(INDEX_URL, status_code=303)


async def login_post(request: Request) -> Response:
    form = await request.form()
    cmd = str(form.get("cmd", ""))
    if cmd == "doLogin":
        return _do_login(request, form)
    if cmd == "doSetNode":
        return _do_set_node(request, str(form.get("orgId", "")))
    if cmd == "doSavePassword":
        return _do_save_password(request, form)
    if cmd == "doLogout":
        return _logout(request)
    return _node_or_login(request) if cmd == "goNode" else login_page(request)


def _do_login(request: Request, form: FormData) -> Response:
    login, password = str(form.get("login", "")).strip(), str(form.get("password", ""))
    if login in LOCKED_ACCOUNTS:
        return login_page(request, message("00513"), login)
    if login in EXPIRED_ACCOUNTS:
        if password != DEMO_PASSWORD:
            return login_page(request, message("00512"), login)
        popup = message(EXPIRED_ACCOUNTS[login], "warning")
        return page(request, "fw_password_expired.html", {"login": login}, popup=popup)
    portal = portal_of(request)
    account = portal.db.account(login)
    if account is None:
        return login_page(request, message("00510"), login)
    if account.password != password:
        return login_page(request, message("00512"), login)
    portal.sessions.drop(request.cookies.get(COOKIE))
    single = account.organisations[0] if len(account.organisations) == 1 else None
    session = portal.sessions.create(account.username, single)
    response = _after_login(request, session, account, str(form.get("urlToken", "")))
    response.set_cookie(COOKIE, session.id, httponly=True, samesite="lax", path="/")
    if form.get("rememberLogin") == "Y":
        response.set_cookie(REMEMBER_COOKIE, to_token(login), max_age=REMEMBER_MAX_AGE, path="/")
    return response


def _after_login(request: Request, session: Session, account: Account, token: str) -> Response:
    if session.org_code is None:  # LoginAction forwards to node.jsp: the same response
        return _node_page(request, account, session)
    back = from_token(token) if token else None
    target = back if back and back.startswith("/") and not back.startswith("//") else HOME_URL
    return RedirectResponse(target, status_code=303)


def _logged_in(request: Request) -> tuple[Session, Account] | None:
    portal = portal_of(request)
    session = portal.session(request)
    account = portal.db.account(session.username) if session else None
    return None if session is None or account is None else (session, account)


def _node_or_login(request: Request) -> Response:
    logged_in = _logged_in(request)
    if logged_in is None:
        return login_page(request, message("00505"))
    session, account = logged_in
    return _node_page(request, account, session)


def _node_page(
    request: Request, account: Account, session: Session, popup: Popup | None = None
) -> Response:
    db = portal_of(request).db
    ids = node_ids(db)
    options = [(ids[code], _org_name(db, code)) for code in account.organisations]
    selected = ids.get(session.org_code or "")
    context = {"options": options, "selected": selected}
    return page(request, "fw_node.html", context, popup=popup)


def _org_name(db: Database, code: str) -> str:
    school = db.school(code)
    lgo = None if school else db.lgo(code)
    # The node label with its code in brackets: invented (how LEC labels its nodes is unknown).
    name = school.name if school else (lgo.name if lgo else code)
    return f"{name} ({code})" if name != code else code


def _do_set_node(request: Request, org_id: str) -> Response:
    logged_in = _logged_in(request)
    if logged_in is None:  # login.do is outside the 401 filter (web.xml): LoginAction's 00505
        return login_page(request, message("00505"))
    session, account = logged_in
    by_id = {node: code for code, node in node_ids(portal_of(request).db).items()}
    code = by_id.get(org_id)
    if code is None or code not in account.organisations:
        return _node_page(request, account, session, Popup("warning", MSG_PICK_NODE))
    session.org_code = code
    session.beans.clear()  # another organisation: the form beans of the last one go
    return RedirectResponse(HOME_URL, status_code=303)


def _do_save_password(request: Request, form: FormData) -> Response:
    """Checks the change and answers as the framework would, but stores nothing: the mock's
    expired accounts stay expired (edubot never changes a password)."""
    login = str(form.get("login", ""))
    old, new, again = (str(form.get(f"password{n}", "")) for n in range(3))
    context = {"login": login}
    if login not in EXPIRED_ACCOUNTS:
        return login_page(request, message("00510"))
    problem = _password_problem(old, new, again)
    if problem is not None:
        return page(request, "fw_password_expired.html", context, popup=problem)
    return login_page(request, message("00001", "success"), login)


def _password_problem(old: str, new: str, again: str) -> Popup | None:
    if old != DEMO_PASSWORD:
        return message("00515")
    if not PASSWORD_MIN <= len(new) <= PASSWORD_MAX:
        return Popup("error", MSG_PASSWORD_LENGTH)
    if new != again:
        return Popup("error", MSG_PASSWORDS_DIFFER)
    return message("00507") if new == old else None


def _logout(request: Request) -> Response:
    portal_of(request).sessions.drop(request.cookies.get(COOKIE))
    response = RedirectResponse(INDEX_URL, status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
