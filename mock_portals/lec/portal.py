"""What every route needs: the portal's parts, the logged-in context, and page rendering."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from mock_portals.lec.db import Database
from mock_portals.lec.fault_settings import Faults
from mock_portals.lec.faults import FaultInjector, RequestCounter
from mock_portals.lec.label_renames import rename_labels
from mock_portals.lec.popup import Popup
from mock_portals.lec.records import Account, Lgo, School
from mock_portals.lec.rules import (
    MSG_LGO_LOCKED,
    MSG_SCHOOL_LOCKED,
    Round,
    be_date,
    default_round,
    is_other_affiliation,
)
from mock_portals.lec.seed import SEED_VERSION, load_seed
from mock_portals.lec.sessions import COOKIE, Session, SessionStore

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
EXPIRED_URL = "/index.jsp?expired=1"
SELECT_ORG_URL = "/login.do?cmd=selectNode"
MSG_SCHOOL_ONLY = "เมนูนี้ใช้ได้เฉพาะสังกัดระดับสถานศึกษา กรุณาเลือกสังกัดสถานศึกษา"
MSG_LGO_ONLY = "เมนูนี้ใช้ได้เฉพาะสังกัดระดับ อปท."
MSG_NO_SCHOOL = "ไม่พบสถานศึกษา"
MSG_NOT_YOUR_SCHOOL = "ไม่มีสิทธิ์เข้าถึงข้อมูลของสถานศึกษานี้"
MSG_OWN_SCHOOL_AT_LGO = "สถานศึกษาในสังกัด อปท. บันทึกข้อมูลนักเรียนที่ระดับสถานศึกษา"


@dataclass
class Portal:
    """The mock LEC's state: stored data, sessions, faults and counters."""

    db: Database
    sessions: SessionStore
    faults: FaultInjector
    counter: RequestCounter
    demo_students: bool
    today: Callable[[], date]
    configured_round: Round | None = None
    markup: str = "accessible"  # or "framework"; see markup.py

    def seed_if_empty(self) -> None:
        if self.db.get_meta("seeded") != SEED_VERSION:
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

    def round_dates(self) -> Round:
        """`POST /_mock/round`'s dates, else `create_app`'s, else the seed's default round."""
        opens, closes = self.db.get_meta("round_opens"), self.db.get_meta("round_closes")
        if opens and closes:
            return Round(date.fromisoformat(opens), date.fromisoformat(closes))
        return self.configured_round or default_round(self.today())

    def round_refusal(self) -> str | None:
        return self.round_dates().refusal(self.today())

    def edit_refusal(self, school: School) -> str | None:
        """Why a school's data may not be changed now (round over, school confirmed), or None."""
        refusal = self.round_refusal()
        if refusal is None and self.db.confirmed_at(school.code):
            refusal = MSG_SCHOOL_LOCKED
        return refusal

    def lgo_refusal(self, lgo: Lgo) -> str | None:
        """Why the LGO level may not act now (round over, LGO confirmed), or None."""
        refusal = self.round_refusal()
        if refusal is None and self.db.confirmed_at(lgo.code):
            refusal = MSG_LGO_LOCKED
        return refusal


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
    portal = portal_of(request)
    year, term = portal.round()
    dates = portal.round_dates()
    page = {
        "ctx": ctx,
        "academic_year": year,
        "term": term,
        "round_opens": be_date(dates.opens),
        "round_closes": be_date(dates.closes),
        **(context or {}),
    }
    response = TEMPLATES.TemplateResponse(request, name, page, status_code=status_code)
    renames = portal.faults.faults.rename_labels
    if renames:
        body = bytes(response.body).decode("utf-8")
        return HTMLResponse(rename_labels(body, renames), status_code=status_code)
    return cast(HTMLResponse, response)


def error_page(
    request: Request, message: str, status_code: int, ctx: Context | None = None
) -> HTMLResponse:
    """The refusal page; in the framework markup a page of the menu with the message popped."""
    if portal_of(request).markup == "framework":  # markup.FRAMEWORK (markup.py imports this)
        context = {"message": message, "popup": Popup("error", message), "page_code": "ERR"}
        return render(request, "fw_error.html", context, status_code, ctx)
    return render(request, "error.html", {"message": message}, status_code, ctx)


def school_context(request: Request) -> tuple[Context, School] | Response:
    """Like `current`, but the pages of one school refuse an LGO-level organisation."""
    ctx = current(request)
    if not isinstance(ctx, Context):
        return ctx
    if ctx.school is None:
        return error_page(request, MSG_SCHOOL_ONLY, 403, ctx)
    return ctx, ctx.school


async def student_scope(request: Request) -> tuple[Context, School] | Response:
    """The school whose students a page shows: the chosen school, or at LGO level `school=`.

    At LGO level the officer enters the children of other-affiliation schools; the code comes
    from the query string or, on a POST, from the form.
    """
    ctx = current(request)
    if not isinstance(ctx, Context):
        return ctx
    code = request.query_params.get("school")
    if code is None and request.method == "POST":
        posted = (await request.form()).get("school")
        code = posted if isinstance(posted, str) and posted else None
    if ctx.school is not None:
        if code is not None and code != ctx.school.code:
            return error_page(request, MSG_NOT_YOUR_SCHOOL, 403, ctx)
        return ctx, ctx.school
    if code is None:
        return error_page(request, MSG_SCHOOL_ONLY, 403, ctx)
    school = portal_of(request).db.school(code)
    if school is None or school.lgo_code != ctx.lgo.code:
        return error_page(request, MSG_NO_SCHOOL, 404, ctx)
    if not is_other_affiliation(school):
        return error_page(request, MSG_OWN_SCHOOL_AT_LGO, 403, ctx)
    return ctx, school


def lgo_context(request: Request) -> Context | Response:
    """Like `current`, but only for an LGO-level organisation."""
    ctx = current(request)
    if isinstance(ctx, Context) and ctx.school is not None:
        return error_page(request, MSG_LGO_ONLY, 403, ctx)
    return ctx
