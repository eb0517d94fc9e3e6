"""The mock e-SAR portal: login, upload a SAR PDF as a draft, submit it, status, replace.

INVENTED: nothing of the real e-SAR (thaiqa.net) pages is public. Every URL, label, message and
rule here is a plausible guess, listed in README.md, to be checked against the real portal.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import weakref
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from mock_portals.esar import mock_routes
from mock_portals.esar.faults import FaultMiddleware, FaultState
from mock_portals.esar.form_values import (
    base_name,
    csrf_ok,
    form_text,
    school_in,
    slot_key,
    slot_query,
)
from mock_portals.esar.messages import (
    CONFIRM_SUBMIT,
    MSG_ALREADY_SUBMITTED,
    MSG_CSRF,
    MSG_EXPIRED,
    MSG_LOGGED_OUT,
    MSG_LOGIN_FAILED,
    MSG_LOGIN_REQUIRED,
    MSG_NO_DRAFT,
    MSG_NOT_YOUR_SCHOOL,
    MSG_PICK_FILE,
    MSG_REPLACE_NOT_SUBMITTED,
    MSG_REPLACE_OPEN,
    MSG_SUBMITTED,
    MSG_TOO_BIG,
    MSG_UPLOADED,
    MSG_WAS_SUBMITTED,
)
from mock_portals.esar.seed import LEVELS
from mock_portals.esar.sessions import COOKIE_NAME, Session, SessionStore
from mock_portals.esar.status_rows import status_rows
from mock_portals.esar.store import SUBMITTED, Account, SlotKey, Store
from mock_portals.esar.thai_format import (
    BE_OFFSET,
    byte_count,
    megabytes,
    now_bangkok,
    thai_datetime,
)
from mock_portals.esar.upload_checks import Problem, file_problems, selection_problems
from mock_portals.hello import hello_route

TEMPLATES = Path(__file__).parent / "templates"


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
        username = form_text(form, "username")
        session = self.sessions.find(request.cookies.get(COOKIE_NAME))
        if session is None or not csrf_ok(form, session):
            fresh = self.sessions.create()
            fresh.flash("error", MSG_CSRF)
            return self._render(request, "login.html", fresh, 400, username=username)
        account = self.store.authenticate(username, form_text(form, "password"))
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
        if not csrf_ok(form, session):
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
            chosen = {k: form_text(form, k) for k in ("school_code", "academic_year", "level")}
            if not csrf_ok(form, session):
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
            key, base_name(file.filename), data, by=account.username, now=self._now_iso()
        )
        session.flash("info", MSG_UPLOADED)
        return self._redirect(f"/draft?{slot_query(key)}", session)

    def _upload_problems(
        self, account: Account, chosen: dict[str, str], file: UploadFile | None, data: bytes
    ) -> list[Problem]:
        problems = selection_problems(
            self.store.schools(account.school_codes), self.academic_years, chosen
        )
        if file is None or not data:
            problems.append(Problem(MSG_PICK_FILE))
        else:
            problems += file_problems(file, data, self.max_upload_bytes)
        if not problems:
            key = SlotKey(chosen["school_code"], int(chosen["academic_year"]), chosen["level"])
            slot = self.store.slot(key)
            if slot is not None and slot.status == SUBMITTED and not slot.replace_open:
                problems.append(Problem(MSG_ALREADY_SUBMITTED, 409))
        return problems

    # -- draft, submit, replace -----------------------------------------------------------

    async def draft_page(self, request: Request) -> Response:
        found = self._logged_in(request)
        if found is None:
            return self._to_login(request)
        session, account = found
        key = slot_key(dict(request.query_params))
        school = school_in(self.store.schools(account.school_codes), key.school_code if key else "")
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
        return self._redirect(f"/upload?{slot_query(key)}", session)

    async def _guarded_slot_post(
        self, request: Request
    ) -> tuple[Session, Account, SlotKey] | Response:
        form = await request.form()
        found = self._logged_in(request)
        if found is None:
            return self._to_login(request)
        session, account = found
        if not csrf_ok(form, session):
            session.flash("error", MSG_CSRF)
            return self._redirect("/status", session)
        key = slot_key({k: form_text(form, k) for k in ("school_code", "academic_year", "level")})
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
        schools = self.store.schools(account.school_codes)
        label = self.faults.faults.submitted_label
        rows = status_rows(schools, self.store.slots(), self.academic_years, label)
        return self._render(request, "status.html", session, rows=rows)


def _set_cookie(response: Response, session: Session) -> None:
    response.set_cookie(COOKIE_NAME, session.sid, httponly=True, samesite="lax", path="/")


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
        Route("/_mock/state", mock_routes.mock_state, methods=["GET"]),
        Route("/_mock/reset", mock_routes.mock_reset, methods=["POST"]),
        Route("/_mock/faults", mock_routes.mock_faults, methods=["GET", "POST"]),
        Route("/_mock/session-expire", mock_routes.mock_session_expire, methods=["POST"]),
        hello_route("esar"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(FaultMiddleware, state=portal.faults)])
    app.state.portal = portal
    app.state.state_dir = folder
    if temporary:
        weakref.finalize(app, shutil.rmtree, folder, True)
    return app
