"""The mock LEC portal as a Starlette app: `create_app(state_dir)`.

What is sourced from the real portal and what is invented is listed in README.md next to this
file; in short, the Struts `.do` URLs, the login form fields, the org picker, the three areas of a
school, RPT318's layout and the Bootstrap-4 look are sourced, everything else is invented.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from mock_portals.lec import report, routes_auth, routes_mock, routes_school, routes_student
from mock_portals.lec.db import Database
from mock_portals.lec.faults import FaultInjector, FaultMiddleware, RequestCounter
from mock_portals.lec.portal import Portal
from mock_portals.lec.sessions import SessionStore

ROUTES = [
    Route("/", routes_auth.root),
    Route("/index.jsp", routes_auth.index),
    Route("/login.do", routes_auth.login_get, methods=["GET"]),
    Route("/login.do", routes_auth.login_post, methods=["POST"]),
    Route("/logout.do", routes_auth.logout),
    Route("/school/home.do", routes_school.home),
    Route("/school/basic.do", routes_school.basic),
    Route("/building/list.do", routes_school.buildings),
    Route("/student/list.do", routes_student.student_list),
    Route("/student/form.do", routes_student.student_form),
    Route("/student/save.do", routes_student.student_save, methods=["POST"]),
    Route("/report/rpt318.do", report.rpt318),
    Route("/_mock/state", routes_mock.state),
    Route("/_mock/reset", routes_mock.reset, methods=["POST"]),
    Route("/_mock/faults", routes_mock.faults_get, methods=["GET"]),
    Route("/_mock/faults", routes_mock.faults_post, methods=["POST"]),
    Route("/_mock/session-expire", routes_mock.session_expire, methods=["POST"]),
]


def create_app(
    state_dir: Path | None = None,
    *,
    idle_timeout_s: float = 1800,
    seed: bool = True,
    clock: Callable[[], float] = time.monotonic,
) -> Starlette:
    """The mock LEC, its data in `state_dir/lec.sqlite3` (a fresh temp dir when None).

    An empty database is filled with the demo seed (organisations and accounts; with `seed`
    also the demo students). Sessions expire after `idle_timeout_s` of inactivity by `clock`.
    """
    if state_dir is None:
        state_dir = Path(tempfile.mkdtemp(prefix="edubot-lec-"))
    injector, counter = FaultInjector(), RequestCounter()
    portal = Portal(
        db=Database(state_dir),
        sessions=SessionStore(clock, idle_timeout_s),
        faults=injector,
        counter=counter,
        demo_students=seed,
    )
    portal.seed_if_empty()
    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(FaultMiddleware, injector=injector, counter=counter)],
    )
    app.state.portal = portal
    return app
