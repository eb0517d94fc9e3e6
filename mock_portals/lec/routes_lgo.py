"""The LGO level: confirm the LGO's data, cancel a school's confirmation. Invented."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_portals.lec import fw_school
from mock_portals.lec.markup import is_framework
from mock_portals.lec.popup import Popup
from mock_portals.lec.portal import MSG_NO_SCHOOL, error_page, lgo_context, portal_of
from mock_portals.lec.routes_school import HOME_URL, MSG_STALE_TOKEN, lgo_home
from mock_portals.lec.rules import MSG_SCHOOL_NOT_CONFIRMED, msg_schools_not_confirmed


async def lgo_confirm(request: Request) -> Response:
    """`POST /lgo/confirm.do`: refused until every school of the LGO, own and other, confirmed."""
    ctx = lgo_context(request)
    if isinstance(ctx, Response):
        return ctx
    portal = portal_of(request)
    refusal = portal.lgo_refusal(ctx.lgo)
    if refusal is not None:
        return error_page(request, refusal, 403, ctx)
    form = await request.form()
    token = str(form.get("urlToken") or "")
    if not portal.sessions.consume_token(token, "lgo-confirm", ctx.session.id):
        return error_page(request, MSG_STALE_TOKEN, 400, ctx)
    waiting = [
        s.name for s in portal.db.schools(ctx.lgo.code) if not portal.db.confirmed_at(s.code)
    ]
    if waiting:
        refusal = msg_schools_not_confirmed(waiting)
        if is_framework(request):
            return fw_school.lgo_home(request, ctx, Popup("error", refusal), 409)
        return lgo_home(request, ctx, refusal, 409)
    portal.db.confirm(ctx.lgo.code)
    return RedirectResponse(f"{HOME_URL}?lgo_confirmed=1", status_code=303)


async def unconfirm_school(request: Request) -> Response:
    """`POST /lgo/unconfirm-school.do`: lift a school's confirmation while the LGO's is not set."""
    ctx = lgo_context(request)
    if isinstance(ctx, Response):
        return ctx
    portal = portal_of(request)
    refusal = portal.lgo_refusal(ctx.lgo)
    if refusal is not None:
        return error_page(request, refusal, 403, ctx)
    form = await request.form()
    token = str(form.get("urlToken") or "")
    if not portal.sessions.consume_token(token, "unconfirm", ctx.session.id):
        return error_page(request, MSG_STALE_TOKEN, 400, ctx)
    school = portal.db.school(str(form.get("school") or ""))
    if school is None or school.lgo_code != ctx.lgo.code:
        return error_page(request, MSG_NO_SCHOOL, 404, ctx)
    if not portal.db.unconfirm(school.code):
        return error_page(request, MSG_SCHOOL_NOT_CONFIRMED, 409, ctx)
    return RedirectResponse(f"{HOME_URL}?unconfirmed=1", status_code=303)
