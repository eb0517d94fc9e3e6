"""The mock e-SAR's test-only surface under `/_mock/`: state, reset, faults, session expiry."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_portals.esar.faults import Faults

if TYPE_CHECKING:  # app.py wires these handlers in; only the type is needed here
    from mock_portals.esar.app import EsarPortal


def _portal(request: Request) -> EsarPortal:
    return cast("EsarPortal", request.app.state.portal)


async def mock_state(request: Request) -> Response:
    portal = _portal(request)
    state = portal.store.snapshot()
    state["requests"] = dict(sorted(portal.faults.requests.items()))
    return JSONResponse(state)


async def mock_reset(request: Request) -> Response:
    portal = _portal(request)
    portal.store.reset()
    portal.sessions.expire_all()
    portal.faults.clear()
    portal.sessions.ttl_requests = None
    return JSONResponse({"ok": True})


async def mock_faults(request: Request) -> Response:
    portal = _portal(request)
    if request.method == "POST":
        try:
            changes = await request.json()
            faults = Faults.model_validate(portal.faults.faults.model_dump() | dict(changes))
        except (ValueError, TypeError, ValidationError) as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        portal.faults.set(faults)
        portal.sessions.ttl_requests = faults.session_ttl_requests
    return JSONResponse(portal.faults.faults.model_dump())


async def mock_session_expire(request: Request) -> Response:
    _portal(request).sessions.expire_all()
    return JSONResponse({"ok": True})
