"""Reading the mock e-SAR's posted forms and query strings: text fields, the CSRF token, the
report slot (school × year × level) a request names, and an uploaded file's base name."""

from __future__ import annotations

import hmac
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import urlencode

from starlette.datastructures import FormData

from mock_portals.esar.seed import LEVELS, School
from mock_portals.esar.sessions import Session
from mock_portals.esar.store import SlotKey


def form_text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def csrf_ok(form: FormData, session: Session) -> bool:
    return hmac.compare_digest(form_text(form, "csrf_token"), session.csrf_token)


def school_in(schools: list[School], code: str) -> School | None:
    return next((s for s in schools if s.code == code), None)


def slot_key(values: dict[str, str]) -> SlotKey | None:
    code, year, level = (values.get(k, "") for k in ("school_code", "academic_year", "level"))
    if not code or not year.isdigit() or level not in LEVELS:
        return None
    return SlotKey(code, int(year), level)


def slot_query(key: SlotKey) -> str:
    return urlencode(
        {"school_code": key.school_code, "academic_year": key.academic_year, "level": key.level}
    )


def base_name(file_name: str) -> str:
    # Old browsers sent a full client path; keep the last part whichever separator it used.
    name = PureWindowsPath(PurePosixPath(file_name).name).name
    return name[:200] or "sar.pdf"
