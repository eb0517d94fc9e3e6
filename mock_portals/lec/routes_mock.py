"""The test-only surface under `/_mock/`: state, reset, faults, session expiry, the round's
dates and the provincial officer's un-confirm. Invented."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_portals.lec.fault_settings import Faults, FaultSettingError
from mock_portals.lec.markup import MarkupSettingError, checked_markup
from mock_portals.lec.portal import portal_of
from mock_portals.lec.rules import is_expansion
from mock_portals.lec.seed import LGO


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
            "expansion": is_expansion(s),
            "basic": db.basic(s.code),
            "confirmed": db.confirmed_at(s.code) is not None,
            "confirmed_at": db.confirmed_at(s.code),
        }
        for s in db.schools()
    ]
    lgo = db.lgo(LGO.code)
    lgo_state = None
    if lgo is not None:
        lgo_state = {
            "code": lgo.code,
            "name": lgo.name,
            "confirmed": db.confirmed_at(lgo.code) is not None,
            "confirmed_at": db.confirmed_at(lgo.code),
        }
    accounts = [
        {"username": a.username, "role": a.role, "organisations": list(a.organisations)}
        for a in db.accounts()
    ]
    year, term = portal.round()
    return _json(
        {
            "academic_year": year,
            "term": term,
            "round": portal.round_dates().as_state(portal.today()),
            "lgo": lgo_state,
            "schools": schools,
            "accounts": accounts,
            "students": [s.as_state() for s in db.students()],
            "buildings": [b.as_state() for b in db.buildings()],
            "requests": portal.counter.snapshot(),
            "sessions_open": portal.sessions.live(),
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


async def settings_get(request: Request) -> Response:
    return _json({"markup": portal_of(request).markup})


async def settings_post(request: Request) -> Response:
    """`{"markup": "accessible" | "framework"}`: which rendering answers from now on. Not a
    fault: reset keeps it, as it keeps `create_app`'s round."""
    try:
        body = await _json_body(request)
        if not isinstance(body, dict) or set(body) - {"markup"}:
            raise MarkupSettingError("Settings take a JSON object with 'markup' only.")
        markup = checked_markup(body.get("markup"), "/_mock/settings")
    except ValueError as exc:  # MarkupSettingError and JSON errors
        return _json({"error": str(exc)}, 400)
    portal_of(request).markup = markup
    return _json({"markup": markup})


async def session_expire(request: Request) -> Response:
    portal_of(request).sessions.drop_all()
    return _json({"ok": True})


async def _json_body(request: Request) -> Any:
    """The request's JSON body ({} when empty); ValueError when it is not JSON."""
    return json.loads(await request.body() or b"{}")


async def provincial_unconfirm(request: Request) -> Response:
    """Lift an LGO's confirmation, as the provincial officer would: `{"lgo": code}` or `{}`."""
    try:
        body = await _json_body(request)
    except ValueError as exc:
        return _json({"error": f"Bad JSON body: {exc}"}, 400)
    code = body.get("lgo", LGO.code) if isinstance(body, dict) else None
    db = portal_of(request).db
    if not isinstance(code, str) or db.lgo(code) is None:
        return _json({"error": f"LGO {code!r} is not in the seed."}, 404)
    was_confirmed = db.unconfirm(code)
    return _json({"ok": True, "lgo": code, "was_confirmed": was_confirmed, "confirmed": False})


def _round_dates(body: Any) -> tuple[str, str] | None:
    """`(opens, closes)` ISO dates from `{"opens": ..., "closes": ...}`; None for `{}`."""
    if not isinstance(body, dict) or set(body) - {"opens", "closes"}:
        raise ValueError("The round takes a JSON object with 'opens' and 'closes' only.")
    if not body:
        return None
    opens, closes = date.fromisoformat(body["opens"]), date.fromisoformat(body["closes"])
    if closes < opens:
        raise ValueError(f"Round closes {closes} before it opens {opens}.")
    return opens.isoformat(), closes.isoformat()


async def round_post(request: Request) -> Response:
    """Set the round's dates (`YYYY-MM-DD`); `{}` goes back to the configured round."""
    portal = portal_of(request)
    try:
        dates = _round_dates(await _json_body(request))
    except (ValueError, TypeError, KeyError) as exc:
        return _json({"error": str(exc)}, 400)
    opens, closes = dates or ("", "")
    portal.db.set_meta("round_opens", opens)
    portal.db.set_meta("round_closes", closes)
    return _json(portal.round_dates().as_state(portal.today()))
