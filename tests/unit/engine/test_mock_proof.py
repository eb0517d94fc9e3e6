"""The handshake a dry run makes first: only edubot's mocks answer it.

(bot/browser/mock_proof.py)
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.browser.mock_proof import prove_mock
from bot.config import PortalTarget
from bot.errors import ExitCode, SafetyError
from mock_portals.esar.app import create_app as create_esar
from mock_portals.hello import hello_answer
from mock_portals.lec.app import create_app as create_lec
from mock_portals.serve import ServedApp, serve_in_thread


def _target(portal: str, url: str) -> PortalTarget:
    return PortalTarget(name=portal, url=url, is_mock=True)


def test_both_mocks_answer_the_handshake(lec: ServedApp, esar: ServedApp) -> None:
    port = lec.url.rsplit(":", 1)[1]
    assert prove_mock(_target("lec", lec.url)) == f"http://127.0.0.1:{port}"
    assert prove_mock(_target("esar", esar.url)).startswith("http://127.0.0.1:")


def test_each_start_of_a_mock_draws_its_own_nonce() -> None:
    nonces = set()
    for _ in range(2):
        with serve_in_thread(create_lec()) as served:
            nonces.add(httpx.get(f"{served.url}/_mock/hello?challenge=x").json()["nonce"])
    assert len(nonces) == 2


def test_the_other_portals_mock_is_refused(esar: ServedApp) -> None:
    with pytest.raises(SafetyError, match="edubot's mock ESAR, not LEC") as caught:
        prove_mock(_target("lec", esar.url))
    assert caught.value.exit_code == ExitCode.BAD_INPUT


def _serve(handler: object) -> Iterator[ServedApp]:
    app = Starlette(routes=[Route("/{path:path}", handler)])  # type: ignore[arg-type]
    with serve_in_thread(app) as served:
        yield served


async def _echo(request: Request) -> Response:
    """A server that reflects what it is asked, as some error pages do."""
    challenge = request.query_params.get("challenge", "")
    return JSONResponse({"edubot_mock": "lec", "nonce": challenge, "answer": challenge})


async def _stale(request: Request) -> Response:
    """A recorded answer to another challenge (a cache, a replay)."""
    return JSONResponse({"edubot_mock": "lec", "nonce": "n", "answer": hello_answer("n", "old")})


async def _login_page(request: Request) -> Response:
    return Response("<form action=/login.do method=post></form>", media_type="text/html")


async def _redirect(request: Request) -> Response:
    return RedirectResponse("https://lec.dla.go.th/_mock/hello")


@pytest.mark.parametrize(
    ("handler", "reason"),
    [
        (_echo, "does not match the challenge"),
        (_stale, "does not match the challenge"),
        (_login_page, "not JSON"),
        (_redirect, "answered HTTP 307"),
    ],
)
def test_a_server_that_is_no_mock_is_refused_naming_it_and_the_fix(
    handler: object, reason: str
) -> None:
    for served in _serve(handler):
        with pytest.raises(SafetyError) as caught:
            prove_mock(_target("lec", served.url))
        message = str(caught.value)
        assert reason in message and served.url in message
        assert "EDUBOT_LEC_URL" in message and "ไม่ใช่ระบบจำลองของ edubot" in message


def test_nothing_listening_is_refused() -> None:
    with serve_in_thread(create_esar()) as served:
        url = served.url
    with pytest.raises(SafetyError, match="no answer"):
        prove_mock(_target("esar", url))
