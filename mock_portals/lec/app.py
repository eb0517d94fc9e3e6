"""The mock LEC portal as a Starlette app: `create_app(state_dir)`.

What is sourced from the real portal and what is invented is listed in README.md next to this
file; in short, the Struts `.do` URLs, the login form fields, the org picker, the three areas of a
school, RPT318's layout and the Bootstrap-4 look are sourced, everything else is invented.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Route
from starlette.types import ASGIApp

from mock_portals.hello import hello_route
from mock_portals.lec import (
    fw_auth,
    fw_building,
    fw_school,
    fw_student,
    report,
    routes_auth,
    routes_building,
    routes_lgo,
    routes_mock,
    routes_school,
    routes_student,
)
from mock_portals.lec.db import Database
from mock_portals.lec.faults import FaultInjector, FaultMiddleware, RequestCounter
from mock_portals.lec.fw_common import redirect_keeping_query
from mock_portals.lec.markup import accessible_only, by_markup, configured_markup, framework_only
from mock_portals.lec.portal import Portal
from mock_portals.lec.rules import Round
from mock_portals.lec.seed import ROUND_DAYS
from mock_portals.lec.sessions import SessionStore

STUDENT_URL, BUILDING_URL = fw_student.STUDENT_URL, "/building/building.do"
# In the framework markup the entity pages replace the accessible list/form/save URLs: the
# lists redirect there (a bookmark, the LGO's `?school=` entry), forms and saves are unknown.
ROUTES = [
    Route("/", routes_auth.root),
    Route("/index.jsp", by_markup(routes_auth.index, fw_auth.index)),
    Route("/login.do", by_markup(routes_auth.login_get, fw_auth.login_get), methods=["GET"]),
    Route("/login.do", by_markup(routes_auth.login_post, fw_auth.login_post), methods=["POST"]),
    Route("/logout.do", routes_auth.logout),
    Route("/school/home.do", by_markup(routes_school.home, fw_school.home)),
    Route(
        "/school/basic.do", by_markup(routes_school.basic, fw_school.basic_page), methods=["GET"]
    ),
    Route(
        "/school/basic.do",
        by_markup(routes_school.basic_save, fw_school.basic_page),
        methods=["POST"],
    ),
    Route("/school/confirm.do", routes_school.school_confirm, methods=["POST"]),
    Route(
        "/building/list.do",
        by_markup(routes_building.building_list, redirect_keeping_query(BUILDING_URL)),
    ),
    Route("/building/form.do", accessible_only(routes_building.building_form)),
    Route("/building/save.do", accessible_only(routes_building.building_save), methods=["POST"]),
    Route(BUILDING_URL, framework_only(fw_building.building_page), methods=["GET", "POST"]),
    Route("/lgo/confirm.do", routes_lgo.lgo_confirm, methods=["POST"]),
    Route("/lgo/unconfirm-school.do", routes_lgo.unconfirm_school, methods=["POST"]),
    Route(
        "/student/list.do",
        by_markup(routes_student.student_list, redirect_keeping_query(STUDENT_URL)),
    ),
    Route("/student/form.do", accessible_only(routes_student.student_form)),
    Route("/student/save.do", accessible_only(routes_student.student_save), methods=["POST"]),
    Route(STUDENT_URL, framework_only(fw_student.student_page), methods=["GET", "POST"]),
    Route("/report/rpt318.do", by_markup(report.rpt318, fw_student.report_page), methods=["GET"]),
    Route("/report/rpt318.do", framework_only(fw_student.report_page), methods=["POST"]),
    Route("/_mock/state", routes_mock.state),
    Route("/_mock/reset", routes_mock.reset, methods=["POST"]),
    Route("/_mock/faults", routes_mock.faults_get, methods=["GET"]),
    Route("/_mock/faults", routes_mock.faults_post, methods=["POST"]),
    Route("/_mock/settings", routes_mock.settings_get, methods=["GET"]),
    Route("/_mock/settings", routes_mock.settings_post, methods=["POST"]),
    Route("/_mock/session-expire", routes_mock.session_expire, methods=["POST"]),
    Route("/_mock/provincial-unconfirm", routes_mock.provincial_unconfirm, methods=["POST"]),
    Route("/_mock/round", routes_mock.round_post, methods=["POST"]),
]


def create_app(
    state_dir: Path | None = None,
    *,
    idle_timeout_s: float = 1800,
    seed: bool = True,
    clock: Callable[[], float] = time.monotonic,
    today: Callable[[], date] = date.today,
    round_opens: date | None = None,
    round_closes: date | None = None,
    markup: str | None = None,
) -> Starlette:
    """The mock LEC, its data in `state_dir/lec.sqlite3` (a fresh temp dir when None).

    An empty database is filled with the demo seed (organisations and accounts; with `seed`
    also the demo students). Sessions expire after `idle_timeout_s` of inactivity by `clock`.
    Saves and confirmations are taken from `round_opens` to `round_closes` (default: 30 days
    after opening) by `today`; without `round_opens`, the seed's round (see `default_round`).
    `markup` is `accessible` or `framework` (default: `$EDUBOT_LEC_MARKUP`, else accessible).
    """
    if state_dir is None:
        state_dir = Path(tempfile.mkdtemp(prefix="edubot-lec-"))
    injector, counter = FaultInjector(clock), RequestCounter()
    portal = Portal(
        db=Database(state_dir),
        sessions=SessionStore(clock, idle_timeout_s),
        faults=injector,
        counter=counter,
        demo_students=seed,
        today=today,
        configured_round=_configured_round(round_opens, round_closes),
        markup=configured_markup(markup),
    )
    portal.seed_if_empty()
    app = _LecApp(routes=[*ROUTES, hello_route("lec")])
    app.state.portal = portal
    return app


class _LecApp(Starlette):
    """Starlette with the fault middleware outside its error middleware, where it can close a
    connection without an answer (`faults.drop_connection`)."""

    def build_middleware_stack(self) -> ASGIApp:
        portal: Portal = self.state.portal
        return FaultMiddleware(super().build_middleware_stack(), portal.faults, portal.counter)


def _configured_round(opens: date | None, closes: date | None) -> Round | None:
    if opens is None:
        if closes is not None:
            raise ValueError("round_closes needs round_opens.")
        return None
    return Round(opens, closes or opens + timedelta(days=ROUND_DAYS))
