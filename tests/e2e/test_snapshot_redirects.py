"""The snapshot download checks every redirect against the wall (issue 23, point 10).

`page.request` does not pass through the browser's routes, and Playwright follows up to 20
redirects by itself: a portal page (or a tunnel) could send the export request — with the
portal's session cookie — anywhere. Each hop is now asked first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.browser.wall import OriginWall
from bot.config import PortalTarget
from bot.data.demo import write_students_xlsx
from bot.engine.actions import MAX_DOWNLOAD_REDIRECTS, ActionEnv, take_snapshot
from bot.engine.pipeline import download_rule
from bot.errors import StepFailed
from bot.flow.binding import Bindings
from bot.flow.model import TakeSnapshot
from mock_portals.serve import ServedApp, serve_in_thread
from tests.e2e.conftest import children

pytestmark = pytest.mark.e2e

STUDENTS = children(2)


@pytest.fixture
def export(tmp_path: Path) -> bytes:
    """An export of the portal's children (the flat layout the reader also takes)."""
    path = tmp_path / "export.xlsx"
    write_students_xlsx(path, STUDENTS)
    return path.read_bytes()


@pytest.fixture
def elsewhere(export: bytes) -> Iterator[tuple[ServedApp, list[str]]]:
    """Another origin on this machine; the paths it was asked for."""
    asked: list[str] = []

    async def anything(request: Request) -> Response:
        asked.append(request.url.path)
        return Response(export, media_type="application/octet-stream")

    with serve_in_thread(Starlette(routes=[Route("/{p:path}", anything)])) as served:
        yield served, asked


@pytest.fixture
def portal(elsewhere: tuple[ServedApp, list[str]], export: bytes) -> Iterator[ServedApp]:
    """A portal whose export moved: one link leaves for `elsewhere`, one stays home."""
    away = elsewhere[0].url

    async def page(request: Request) -> Response:
        return HTMLResponse("<p>portal</p>")

    async def rpt318(request: Request) -> Response:
        return Response(export, media_type="application/octet-stream")

    routes = [
        Route("/list.do", page),
        Route("/report/away.do", lambda r: RedirectResponse(f"{away}/steal.do", 302)),
        Route("/report/home.do", lambda r: RedirectResponse("/report/rpt318.do", 302)),
        Route("/report/loop.do", lambda r: RedirectResponse("/report/loop.do", 302)),
        Route("/report/rpt318.do", rpt318),
    ]
    with serve_in_thread(Starlette(routes=routes)) as served:
        yield served


def _snapshot(page: Page, portal: ServedApp, path: str, tmp: Path, dry_run: bool) -> int:
    target = PortalTarget(name="lec", url=portal.url, is_mock=dry_run)
    wall = OriginWall(enforce=dry_run, origins=[portal.url])
    env = ActionEnv(Bindings(), tmp, False, 5000, may_request=download_rule(dry_run, target, wall))
    page.goto(f"{portal.url}/list.do")
    step = TakeSnapshot.model_validate({"download": path, "line": 1})
    return len(take_snapshot(page, step, env, Bindings()).rows)


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_redirect_to_another_origin_is_refused_and_gets_nothing(
    own_page: Page,
    portal: ServedApp,
    elsewhere: tuple[ServedApp, list[str]],
    tmp_path: Path,
    dry_run: bool,
) -> None:
    away = re.escape(f"redirected the download to {elsewhere[0].url}/steal.do")
    with pytest.raises(StepFailed, match=away):
        _snapshot(own_page, portal, "report/away.do", tmp_path, dry_run)
    assert elsewhere[1] == []


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_redirect_within_the_portal_is_followed(
    own_page: Page, portal: ServedApp, tmp_path: Path, dry_run: bool
) -> None:
    assert _snapshot(own_page, portal, "report/home.do", tmp_path, dry_run) == len(STUDENTS)


def test_a_redirect_loop_stops(own_page: Page, portal: ServedApp, tmp_path: Path) -> None:
    with pytest.raises(StepFailed, match=f"more than {MAX_DOWNLOAD_REDIRECTS} times"):
        _snapshot(own_page, portal, "report/loop.do", tmp_path, True)
