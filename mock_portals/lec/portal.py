"""What every route needs: the portal's parts, the logged-in context, and page rendering."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from mock_portals.lec.db import Account, Database, Lgo, School
from mock_portals.lec.faults import FaultInjector, Faults, RequestCounter
from mock_portals.lec.seed import load_seed
from mock_portals.lec.sessions import COOKIE, Session, SessionStore

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
EXPIRED_URL = "/index.jsp?expired=1"
SELECT_ORG_URL = "/login.do?cmd=selectNode"
MSG_SCHOOL_ONLY = "เมนูนี้ใช้ได้เฉพาะสังกัดระดับสถานศึกษา กรุณาเลือกสังกัดสถานศึกษา"


@dataclass
class Portal:
    """The mock LEC's state: stored data, sessions, faults and counters."""

    db: Database
    sessions: SessionStore
    faults: FaultInjector
    counter: RequestCounter
    demo_students: bool

    def seed_if_empty(self) -> None:
        if self.db.get_meta("seeded") is None:
            self.db.clear()
            load_seed(self.db, demo_students=self.demo_students)

    def reset(self) -> None:
        """Back to the seed: data, sessions, tokens, faults and counters."""
        self.db.clear()
        load_seed(self.db, demo_students=self.demo_students)
        self.sessions.clear()
        self.faults.set(Faults())
        self.counter.clear()

    def session(self, request: Request) -> Session | None:
        ttl = self.faults.faults.session_ttl_requests
        return self.sessions.lookup(request.cookies.get(COOKIE), ttl)

    def round(self) -> tuple[str, str]:
        return self.db.get_meta("academic_year") or "", self.db.get_meta("term") or ""


def portal_of(request: Request) -> Portal:
    return cast(Portal, request.app.state.portal)


@dataclass(frozen=True)
class Context:
    """Who is logged in and for which organisation (a school, or an LGO)."""

    session: Session
    account: Account
    lgo: Lgo
    school: School | None

    @property
    def org_name(self) -> str:
        return self.school.name if self.school else self.lgo.name


def current(request: Request) -> Context | Response:
    """The logged-in context, or the redirect a browser without one gets."""
    portal = portal_of(request)
    session = portal.session(request)
    account = portal.db.account(session.username) if session else None
    if session is None or account is None:
        return RedirectResponse(EXPIRED_URL, status_code=303)
    if session.org_code is None:
        return RedirectResponse(SELECT_ORG_URL, status_code=303)
    school = portal.db.school(session.org_code)
    lgo = portal.db.lgo(school.lgo_code if school else session.org_code)
    if lgo is None:
        raise LookupError(f"Organisation '{session.org_code}' is not in the seed.")
    return Context(session, account, lgo, school)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    ctx: Context | None = None,
) -> HTMLResponse:
    """A page from templates/, with the header's user, organisation and round."""
    year, term = portal_of(request).round()
    page = {"ctx": ctx, "academic_year": year, "term": term, **(context or {})}
    response = TEMPLATES.TemplateResponse(request, name, page, status_code=status_code)
    return cast(HTMLResponse, response)


def error_page(
    request: Request, message: str, status_code: int, ctx: Context | None = None
) -> HTMLResponse:
    return render(request, "error.html", {"message": message}, status_code, ctx)


def school_context(request: Request) -> tuple[Context, School] | Response:
    """Like `current`, but the pages of one school refuse an LGO-level organisation."""
    ctx = current(request)
    if not isinstance(ctx, Context):
        return ctx
    if ctx.school is None:
        return error_page(request, MSG_SCHOOL_ONLY, 403, ctx)
    return ctx, ctx.school
