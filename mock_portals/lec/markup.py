"""Which of the mock LEC's two renderings answers: `accessible` or `framework` (the default).

`framework` renders the same data and rules the way the vendor's framework builds its pages
(docs/lec-portal-facts.md); `accessible` is the mock's original markup with `<label for>` on
every field. Chosen by `create_app(markup=...)`, else the environment variable
`EDUBOT_LEC_MARKUP`, else `DEFAULT_MARKUP` (`framework`); a running mock switches with
`POST /_mock/settings`.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from mock_portals.lec.portal import portal_of

ACCESSIBLE = "accessible"
FRAMEWORK = "framework"
MARKUPS = (ACCESSIBLE, FRAMEWORK)
# The vendor framework's pages are what LEC most likely shows: the demo and dry runs meet them.
DEFAULT_MARKUP = FRAMEWORK
MARKUP_ENV = "EDUBOT_LEC_MARKUP"

Handler = Callable[[Request], Awaitable[Response]]


class MarkupSettingError(ValueError):
    """A markup name that is neither `accessible` nor `framework`."""


def checked_markup(value: object, source: str) -> str:
    if value not in MARKUPS:
        raise MarkupSettingError(
            f"{source}: ไม่รู้จักรูปแบบหน้า (unknown markup) {value!r}."
            f" ใช้ (use) {' หรือ (or) '.join(MARKUPS)}."
        )
    return str(value)


def configured_markup(markup: str | None) -> str:
    """The markup asked for, else `$EDUBOT_LEC_MARKUP`, else the default (`framework`)."""
    if markup is not None:
        return checked_markup(markup, "create_app")
    from_env = os.environ.get(MARKUP_ENV, "").strip()
    return checked_markup(from_env, MARKUP_ENV) if from_env else DEFAULT_MARKUP


def is_framework(request: Request) -> bool:
    return portal_of(request).markup == FRAMEWORK


def by_markup(accessible: Handler, framework: Handler) -> Handler:
    """One route, two renderings: the handler of the markup in force answers."""

    async def handler(request: Request) -> Response:
        return await (framework if is_framework(request) else accessible)(request)

    handler.__name__ = getattr(accessible, "__name__", "handler")
    return handler


def framework_only(framework: Handler) -> Handler:
    """A route the accessible markup does not have: 404 there, as an unknown URL."""

    async def handler(request: Request) -> Response:
        if not is_framework(request):
            return Response("Not Found", status_code=404, media_type="text/plain")
        return await framework(request)

    handler.__name__ = getattr(framework, "__name__", "handler")
    return handler


def accessible_only(accessible: Handler) -> Handler:
    """A route the framework's site does not have (its entity pages take `cmd` instead): 404
    there, as an unknown URL."""

    async def handler(request: Request) -> Response:
        if is_framework(request):
            return Response("Not Found", status_code=404, media_type="text/plain")
        return await accessible(request)

    handler.__name__ = getattr(accessible, "__name__", "handler")
    return handler
