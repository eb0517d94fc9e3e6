"""The test-only surface under `/_mock/`: state, reset, faults, session expiry. Invented."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_portals.lec.faults import Faults, FaultSettingError
from mock_portals.lec.portal import portal_of


def _json(body: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status_code)


async def state(request: Request) -> Response:
    portal = portal_of(request)
    db = portal.db
    schools = [
        {
            "code": s.code,
            "name": s.name,
            "type": s.type,
            "affiliation": s.affiliation,
            "allowed_grades": list(s.grades),
            "lgo": s.lgo_code,
        }
        for s in db.schools()
    ]
    accounts = [
        {"username": a.username, "role": a.role, "organisations": list(a.organisations)}
        for a in db.accounts()
    ]
    year, term = portal.round()
    return _json(
        {
            "academic_year": year,
            "term": term,
            "schools": schools,
            "accounts": accounts,
            "students": [s.as_state() for s in db.students()],
            "requests": portal.counter.snapshot(),
        }
    )


async def reset(request: Request) -> Response:
    portal_of(request).reset()
    return _json({"ok": True})


async def faults_get(request: Request) -> Response:
    return _json(portal_of(request).faults.faults.as_json())


async def faults_post(request: Request) -> Response:
    try:
        faults = Faults.from_json(json.loads(await request.body() or b"{}"))
    except (ValueError, TypeError) as exc:  # FaultSettingError and JSON errors are ValueErrors
        message = str(exc) if isinstance(exc, FaultSettingError) else f"Bad JSON body: {exc}"
        return _json({"error": message}, 400)
    portal_of(request).faults.set(faults)
    return _json(faults.as_json())


async def session_expire(request: Request) -> Response:
    portal_of(request).sessions.drop_all()
    return _json({"ok": True})
