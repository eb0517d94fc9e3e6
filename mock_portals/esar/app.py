"""The mock e-SAR portal: login, upload a SAR PDF as a draft, submit it, status, replace.

INVENTED: nothing of the real e-SAR (thaiqa.net) pages is public. Every URL, label, message and
rule here is a plausible guess, listed in README.md, to be checked against the real portal.
"""

from __future__ import annotations

import hmac
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from mock_portals.esar.faults import FaultMiddleware, Faults, FaultState
from mock_portals.esar.pdf_sniff import looks_like_pdf
from mock_portals.esar.seed import LEVELS, School
from mock_portals.esar.sessions import COOKIE_NAME, Session, SessionStore
from mock_portals.esar.store import DRAFT, SUBMITTED, Account, Slot, SlotKey, Store
from mock_portals.esar.thai_format import (
    BE_OFFSET,
    byte_count,
    megabytes,
    now_bangkok,
    thai_datetime,
)
from mock_portals.hello import hello_route

TEMPLATES = Path(__file__).parent / "templates"
PDF_CONTENT_TYPES = frozenset({"application/pdf", "application/x-pdf"})

MSG_LOGIN_FAILED = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
MSG_CSRF = "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาลองใหม่อีกครั้ง"
MSG_LOGIN_REQUIRED = "กรุณาเข้าสู่ระบบ"
MSG_EXPIRED = "หมดเวลาการใช้งาน กรุณาเข้าสู่ระบบใหม่"
MSG_LOGGED_OUT = "ออกจากระบบเรียบร้อยแล้ว"
MSG_PICK_SCHOOL = "กรุณาเลือกสถานศึกษา"
MSG_PICK_YEAR = "กรุณาเลือกปีการศึกษา"
MSG_PICK_LEVEL = "กรุณาเลือกระดับการศึกษา"
MSG_PICK_FILE = "กรุณาเลือกไฟล์รายงาน SAR (PDF)"
MSG_BAD_YEAR = "ปีการศึกษาไม่ถูกต้อง"
MSG_BAD_LEVEL = "ระดับการศึกษาไม่ถูกต้อง"
MSG_NOT_YOUR_SCHOOL = "คุณไม่มีสิทธิ์ส่งรายงานของสถานศึกษานี้"
MSG_LEVEL_NOT_OFFERED = "{school} ไม่มีการจัดการศึกษาระดับ{level}"
MSG_NOT_PDF_TYPE = "ชนิดไฟล์ไม่ถูกต้อง ต้องเป็นไฟล์ PDF (application/pdf) เท่านั้น"
MSG_NOT_PDF_CONTENT = "ไฟล์นี้ไม่ใช่ไฟล์ PDF ที่ถูกต้อง กรุณาตรวจสอบไฟล์แล้วอัปโหลดใหม่"
MSG_TOO_BIG = "ไฟล์มีขนาดเกิน {limit} MB (ไฟล์นี้ {size} MB) กรุณาลดขนาดไฟล์แล้วอัปโหลดใหม่"
MSG_ALREADY_SUBMITTED = "ส่งรายงานแล้ว หากต้องการแก้ไขให้ใช้เมนูขอแก้ไขไฟล์"
MSG_UPLOADED = "อัปโหลดไฟล์เรียบร้อยแล้ว (ฉบับร่าง) กรุณาตรวจสอบแล้วกดยืนยันการส่ง"
MSG_NO_DRAFT = "ยังไม่มีไฟล์ฉบับร่างสำหรับส่ง กรุณาอัปโหลดไฟล์ก่อน"
MSG_SUBMITTED = "ส่งรายงาน SAR เรียบร้อยแล้ว เมื่อ {when}"
MSG_WAS_SUBMITTED = "รายงานนี้ส่งแล้วเมื่อ {when}"
MSG_REPLACE_OPEN = "เปิดให้แก้ไขไฟล์แล้ว กรุณาอัปโหลดไฟล์ใหม่และกดยืนยันการส่งอีกครั้ง"
MSG_REPLACE_NOT_SUBMITTED = "ขอแก้ไขไฟล์ได้เฉพาะรายงานที่ส่งแล้ว"
CONFIRM_SUBMIT = "ยืนยันการส่งรายงาน SAR ของ {school} ปีการศึกษา {year} ระดับ{level}?"
CONFIRM_REPLACE = (
    "ขอแก้ไขไฟล์รายงาน SAR ที่ส่งแล้วของ {school} ปีการศึกษา {year} ระดับ{level}?"
    " (ต้องอัปโหลดไฟล์ใหม่และยืนยันการส่งอีกครั้ง)"
)
STATUS_LABELS = {None: "ยังไม่ส่ง", DRAFT: "ฉบับร่าง", SUBMITTED: "ส่งแล้ว"}


@dataclass(frozen=True)
class _Problem:
    message: str
    status: int = 400


def default_academic_years(today: datetime) -> tuple[int, ...]:
    """The current BE year and the three before it, newest first."""
    current = today.year + BE_OFFSET
    return tuple(range(current, current - 4, -1))


class EsarPortal:
    """The handlers and the state they share; `create_app` wires them into Starlette."""

    def __init__(
        self,
        store: Store,
        sessions: SessionStore,
        faults: FaultState,
        *,
        max_upload_bytes: int,
        academic_years: tuple[int, ...],
        now: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.sessions = sessions
        self.faults = faults
        self.max_upload_bytes = max_upload_bytes
        self.academic_years = academic_years
        self.now = now
        self.templates = Jinja2Templates(directory=str(TEMPLATES))
        self.templates.env.filters["thai_datetime"] = thai_datetime
        self.templates.env.filters["byte_count"] = byte_count

    # -- plumbing -------------------------------------------------------------------------

    def _render(
        self, request: Request, name: str, session: Session, status: int = 200, **context: Any
    ) -> Response:
        account = self.store.account(session.username) if session.username else None
        context |= {
            "account": account,
            "csrf_token": session.csrf_token,
            "flashes": session.take_flashes(),
        }
        response = self.templates.TemplateResponse(request, name, context, status_code=status)
        _set_cookie(response, session)
        return response

    def _redirect(self, url: str, session: Session) -> Response:
        response = RedirectResponse(url, status_code=303)
        _set_cookie(response, session)
        return response

    def _to_login(self, request: Request) -> Response:
        expired = bool(request.cookies.get(COOKIE_NAME))
        session = self.sessions.create()
        session.flash("error", MSG_EXPIRED if expired else MSG_LOGIN_REQUIRED)
        return self._redirect("/", session)

    def _logged_in(self, request: Request) -> tuple[Session, Account] | None:
        session = self.sessions.find(request.cookies.get(COOKIE_NAME))
        if session is None or session.username is None:
            return None
        account = self.store.account(session.username)
        return None if account is None else (session, account)

    def _now_iso(self) -> str:
        return self.now().isoformat(timespec="seconds")

    # -- login ----------------------------------------------------------------------------

    async def login_page(self, request: Request) -> Response:
        session = self.sessions.find(request.cookies.get(COOKIE_NAME))
        if session is not None and session.username is not None:
            return self._redirect("/upload", session)
        if session is None:
            session = self.sessions.create()
        return self._render(request, "login.html", session, username="")

    async def login(self, request: Request) -> Response:
        form = await request.form()
        username = _text(form, "username")
        session = self.sessions.find(request.cookies.get(COOKIE_NAME))
        if session is None or not _csrf_ok(form, session):
            fresh = self.sessions.create()
            fresh.flash("error", MSG_CSRF)
            return self._render(request, "login.html", fresh, 400, username=username)
        account = self.store.authenticate(username, _text(form, "password"))
        if account is None:
            session.flash("error", MSG_LOGIN_FAILED)
            return self._render(request, "login.html", session, 401, username=username)
        self.sessions.drop(session.sid)  # a new id at login: no session fixation
        return self._redirect("/upload", self.sessions.create(account.username))

    async def logout(self, request: Request) -> Response:
        form = await request.form()
        found = self._logged_in(request)
        if found is None:
            return self._to_login(request)
        session, _ = found
        if not _csrf_ok(form, session):
            session.flash("error", MSG_CSRF)
            return self._redirect("/upload", session)
        self.sessions.drop(session.sid)
        fresh = self.sessions.create()
        fresh.flash("info", MSG_LOGGED_OUT)
        return self._redirect("/", fresh)

    # -- upload ---------------------------------------------------------------------------

    async def upload_page(self, request: Request) -> Response:
        found = self._logged_in(request)
        if found is None:
            return self._to_login(request)
        session, account = found
        chosen = {k: request.query_params.get(k, "") for k in ("school_code", "academic_year")}
        chosen["level"] = request.query_params.get("level", "")
        return self._render_upload(request, session, account, chosen)

    def _render_upload(
        self,
        request: Request,
        session: Session,
        account: Account,
        chosen: dict[str, str],
        status: int = 200,
        problems: list[str] | None = None,
    ) -> Response:
        return self._render(
            request,
            "upload.html",
            session,
            status,
            schools=self.store.schools(account.school_codes),
            years=self.academic_years,
            levels=LEVELS,
            chosen=chosen,
            problems=problems or [],
            limit_mb=megabytes(self.max_upload_bytes),
        )

    async def upload(self, request: Request) -> Response:
        found = self._logged_in(request)
        if found is None:
            return self._to_login(request)
        session, account = found
        declared = int(request.headers.get("content-length") or 0)
        if declared > 10 * self.max_upload_bytes + 1_000_000:
            # Far too big to be worth reading: answer at once, as a front proxy would.
            message = MSG_TOO_BIG.format(
                limit=megabytes(self.max_upload_bytes), size=megabytes(declared)
            )
            return self._render_upload(request, session, account, {}, 413, [message])
        async with request.form(max_files=1, max_fields=10) as form:
            chosen = {k: _text(form, k) for k in ("school_code", "academic_year", "level")}
            if not _csrf_ok(form, session):
                return self._render_upload(request, session, account, chosen, 400, [MSG_CSRF])
            upload = form.get("sar_file")
            file = upload if isinstance(upload, UploadFile) and upload.filename else None
            data = await file.read() if file is not None else b""
        problems = self._upload_problems(account, chosen, file, data)
        if problems:
            messages = [p.message for p in problems]
            status = max(p.status for p in problems)
            return self._render_upload(request, session, account, chosen, status, messages)
        assert file is not None and file.filename is not None
        key = SlotKey(chosen["school_code"], int(chosen["academic_year"]), chosen["level"])
        self.store.save_draft(
            key, _base_name(file.filename), data, by=account.username, now=self._now_iso()
        )
        session.flash("info", MSG_UPLOADED)
        return self._redirect(f"/draft?{_slot_query(key)}", session)

    def _upload_problems(
        self, account: Account, chosen: dict[str, str], file: UploadFile | None, data: bytes
    ) -> list[_Problem]:
        problems = self._selection_problems(account, chosen)
        if file is None or not data:
            problems.append(_Problem(MSG_PICK_FILE))
        else:
            problems += self._file_problems(file, data)
        if not problems:
            key = SlotKey(chosen["school_code"], int(chosen["academic_year"]), chosen["level"])
            slot = self.store.slot(key)
            if slot is not None and slot.status == SUBMITTED and not slot.replace_open:
                problems.append(_Problem(MSG_ALREADY_SUBMITTED, 409))
        return problems

    def _selection_problems(self, account: Account, chosen: dict[str, str]) -> list[_Problem]:
        problems = []
        code, year, level = chosen["school_code"], chosen["academic_year"], chosen["level"]
        school = _school(self.store.schools(account.school_codes), code)
        if not code:
            problems.append(_Problem(MSG_PICK_SCHOOL))
        elif school is None:
            problems.append(_Problem(MSG_NOT_YOUR_SCHOOL, 403))
        if not year:
            problems.append(_Problem(MSG_PICK_YEAR))
        elif not year.isdigit() or int(year) not in self.academic_years:
            problems.append(_Problem(MSG_BAD_YEAR))
        if not level:
            problems.append(_Problem(MSG_PICK_LEVEL))
        elif level not in LEVELS:
            problems.append(_Problem(MSG_BAD_LEVEL))
        elif school is not None and level not in school.levels:
            message = MSG_LEVEL_NOT_OFFERED.format(school=school.name, level=level)
            problems.append(_Problem(message))
        return problems

    def _file_problems(self, file: UploadFile, data: bytes) -> list[_Problem]:
        content_type = (file.content_type or "").split(";")[0].strip().lower()
        if content_type not in PDF_CONTENT_TYPES:
            return [_Problem(MSG_NOT_PDF_TYPE, 415)]
        if len(data) > self.max_upload_bytes:
            limit, size = megabytes(self.max_upload_bytes), megabytes(len(data))
            return [_Problem(MSG_TOO_BIG.format(limit=limit, size=size), 413)]
        if not looks_like_pdf(data):
            return [_Problem(MSG_NOT_PDF_CONTENT, 415)]
        return []

    # -- draft, submit, replace -----------------------------------------------------------

    async def draft_page(self, request: Request) -> Response:
        found = self._logged_in(request)
        if found is None:
            return self._to_login(request)
        session, account = found
        key = _slot_key(dict(request.query_params))
        school = _school(self.store.schools(account.school_codes), key.school_code if key else "")
        slot = self.store.slot(key) if key is not None and school is not None else None
        if slot is None or school is None:
            session.flash("error", MSG_NO_DRAFT)
            return self._redirect("/upload", session)
        if slot.status == SUBMITTED:
            session.flash("info", MSG_WAS_SUBMITTED.format(when=thai_datetime(slot.submitted_at)))
            return self._redirect("/status", session)
        confirm = CONFIRM_SUBMIT.format(
            school=school.name, year=slot.key.academic_year, level=slot.key.level
        )
        return self._render(
            request, "draft.html", session, slot=slot, school=school, confirm=confirm
        )

    async def submit(self, request: Request) -> Response:
        guarded = await self._guarded_slot_post(request)
        if isinstance(guarded, Response):
            return guarded
        session, account, key = guarded
        slot = self.store.slot(key)
        if slot is None:
            session.flash("error", MSG_NO_DRAFT)
            return self._redirect("/upload", session)
        if slot.status == SUBMITTED:  # a retried click: report, don't fail
            session.flash("info", MSG_WAS_SUBMITTED.format(when=thai_datetime(slot.submitted_at)))
            return self._redirect("/status", session)
        done = self.store.submit(key, by=account.username, now=self._now_iso())
        session.flash("info", MSG_SUBMITTED.format(when=thai_datetime(done.submitted_at)))
        return self._redirect("/status", session)

    async def replace(self, request: Request) -> Response:
        guarded = await self._guarded_slot_post(request)
        if isinstance(guarded, Response):
            return guarded
        session, _, key = guarded
        slot = self.store.slot(key)
        if slot is None or slot.status != SUBMITTED:
            session.flash("error", MSG_REPLACE_NOT_SUBMITTED)
            return self._redirect("/status", session)
        self.store.open_replace(key)
        session.flash("info", MSG_REPLACE_OPEN)
        return self._redirect(f"/upload?{_slot_query(key)}", session)

    async def _guarded_slot_post(
        self, request: Request
    ) -> tuple[Session, Account, SlotKey] | Response:
        form = await request.form()
        found = self._logged_in(request)
        if found is None:
            return self._to_login(request)
        session, account = found
        if not _csrf_ok(form, session):
            session.flash("error", MSG_CSRF)
            return self._redirect("/status", session)
        key = _slot_key({k: _text(form, k) for k in ("school_code", "academic_year", "level")})
        if key is None or key.school_code not in account.school_codes:
            session.flash("error", MSG_NOT_YOUR_SCHOOL)
            return self._redirect("/status", session)
        return session, account, key

    # -- status ---------------------------------------------------------------------------

    async def status_page(self, request: Request) -> Response:
        found = self._logged_in(request)
        if found is None:
            return self._to_login(request)
        session, account = found
        rows = self._status_rows(account)
        return self._render(request, "status.html", session, rows=rows)

    def _status_rows(self, account: Account) -> list[dict[str, Any]]:
        slots = {s.key: s for s in self.store.slots()}
        rows = []
        for school in self.store.schools(account.school_codes):
            for year in self.academic_years:
                for level in school.levels:
                    key = SlotKey(school.code, year, level)
                    rows.append(self._status_row(school, key, slots.get(key)))
        return rows

    def _status_label(self, slot: Slot | None) -> str:
        renamed = self.faults.faults.submitted_label
        if renamed and slot is not None and slot.status == SUBMITTED:
            return renamed
        return STATUS_LABELS[slot.status if slot else None]

    def _status_row(self, school: School, key: SlotKey, slot: Slot | None) -> dict[str, Any]:
        note = ""
        if slot is not None and slot.replace_open:
            note = "อยู่ระหว่างขอแก้ไขไฟล์"
        elif slot is not None and slot.replaces_submitted_at:
            note = f"แทนฉบับที่ส่งเมื่อ {thai_datetime(slot.replaces_submitted_at)}"
        names = {"school": school.name, "year": key.academic_year, "level": key.level}
        return {
            "testid": f"status-{key.school_code}-{key.academic_year}-{key.level}",
            "school": school,
            "key": key,
            "slot": slot,
            "status": self._status_label(slot),
            "note": note,
            "query": _slot_query(key),
            "confirm_replace": CONFIRM_REPLACE.format(**names),
        }

    # -- test-only surface ----------------------------------------------------------------

    async def mock_state(self, request: Request) -> Response:
        state = self.store.snapshot()
        state["requests"] = dict(sorted(self.faults.requests.items()))
        return JSONResponse(state)

    async def mock_reset(self, request: Request) -> Response:
        self.store.reset()
        self.sessions.expire_all()
        self.faults.clear()
        self.sessions.ttl_requests = None
        return JSONResponse({"ok": True})

    async def mock_faults(self, request: Request) -> Response:
        if request.method == "POST":
            try:
                changes = await request.json()
                faults = Faults.model_validate(self.faults.faults.model_dump() | dict(changes))
            except (ValueError, TypeError, ValidationError) as error:
                return JSONResponse({"error": str(error)}, status_code=400)
            self.faults.set(faults)
            self.sessions.ttl_requests = faults.session_ttl_requests
        return JSONResponse(self.faults.faults.model_dump())

    async def mock_session_expire(self, request: Request) -> Response:
        self.sessions.expire_all()
        return JSONResponse({"ok": True})


def _set_cookie(response: Response, session: Session) -> None:
    response.set_cookie(COOKIE_NAME, session.sid, httponly=True, samesite="lax", path="/")


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _csrf_ok(form: FormData, session: Session) -> bool:
    return hmac.compare_digest(_text(form, "csrf_token"), session.csrf_token)


def _school(schools: list[School], code: str) -> School | None:
    return next((s for s in schools if s.code == code), None)


def _slot_key(values: dict[str, str]) -> SlotKey | None:
    code, year, level = (values.get(k, "") for k in ("school_code", "academic_year", "level"))
    if not code or not year.isdigit() or level not in LEVELS:
        return None
    return SlotKey(code, int(year), level)


def _slot_query(key: SlotKey) -> str:
    return urlencode(
        {"school_code": key.school_code, "academic_year": key.academic_year, "level": key.level}
    )


def _base_name(file_name: str) -> str:
    # Old browsers sent a full client path; keep the last part whichever separator it used.
    name = PureWindowsPath(PurePosixPath(file_name).name).name
    return name[:200] or "sar.pdf"


def create_app(
    state_dir: Path | None = None,
    *,
    idle_timeout_s: float = 1800,
    max_upload_bytes: int = 20 * 1024 * 1024,
    seed: bool = True,
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], datetime] = now_bangkok,
    academic_years: tuple[int, ...] | None = None,
) -> Starlette:
    """The mock e-SAR as an ASGI app; state in `state_dir` (a temporary folder when None)."""
    temporary = state_dir is None
    folder = Path(tempfile.mkdtemp(prefix="edubot-esar-")) if state_dir is None else state_dir
    portal = EsarPortal(
        Store(folder, seed=seed),
        SessionStore(idle_timeout_s=idle_timeout_s, clock=clock),
        FaultState(),
        max_upload_bytes=max_upload_bytes,
        academic_years=academic_years or default_academic_years(now()),
        now=now,
    )
    routes = [
        Route("/", portal.login_page, methods=["GET"]),
        Route("/login", portal.login, methods=["POST"]),
        Route("/logout", portal.logout, methods=["POST"]),
        Route("/upload", portal.upload_page, methods=["GET"]),
        Route("/upload", portal.upload, methods=["POST"]),
        Route("/draft", portal.draft_page, methods=["GET"]),
        Route("/submit", portal.submit, methods=["POST"]),
        Route("/status", portal.status_page, methods=["GET"]),
        Route("/replace", portal.replace, methods=["POST"]),
        Route("/_mock/state", portal.mock_state, methods=["GET"]),
        Route("/_mock/reset", portal.mock_reset, methods=["POST"]),
        Route("/_mock/faults", portal.mock_faults, methods=["GET", "POST"]),
        Route("/_mock/session-expire", portal.mock_session_expire, methods=["POST"]),
        hello_route("esar"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(FaultMiddleware, state=portal.faults)])
    app.state.portal = portal
    app.state.state_dir = folder
    if temporary:
        weakref.finalize(app, shutil.rmtree, folder, True)
    return app
