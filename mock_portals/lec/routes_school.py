"""The organisation's home page and the two simple areas: basic data and buildings."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from mock_portals.lec.portal import Context, current, portal_of, render, school_context


async def home(request: Request) -> Response:
    ctx = current(request)
    if not isinstance(ctx, Context):
        return ctx
    schools = [] if ctx.school else portal_of(request).db.schools(ctx.lgo.code)
    return render(request, "home.html", {"schools": schools}, ctx=ctx)


async def basic(request: Request) -> Response:
    found = school_context(request)
    if isinstance(found, Response):
        return found
    ctx, _ = found
    return render(request, "basic.html", ctx=ctx)


async def buildings(request: Request) -> Response:
    found = school_context(request)
    if isinstance(found, Response):
        return found
    ctx, _ = found
    return render(request, "building_list.html", ctx=ctx)
