"""The handshake by which a dry run proves it talks to one of edubot's mocks (invented).

Each mock app draws a random nonce when it is created and answers
`GET /_mock/hello?challenge=C` with `{"edubot_mock": portal, "nonce": N, "answer": A}`, where A
is HMAC-SHA256 of C keyed by N. edubot sends a fresh random C before every dry run and
checks A (`bot.browser.mock_proof`).

Why this suffices: the danger is an accident — `EDUBOT_LEC_URL` at an SSH tunnel or a local
proxy to the real portal — not a program of the officer's own account pretending to be a
mock (such a program could read the keyring anyway). A real portal has no `/_mock/hello`, and
nothing on the way to it computes an HMAC of a challenge it has never seen: a cached page, a
static file, an error page that echoes the query string or a replayed earlier answer all fail,
because the answer depends on a challenge drawn for this run and is never the challenge itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

HELLO_PATH = "/_mock/hello"
MAX_CHALLENGE = 200  # edubot sends 32 characters; anything much longer is not edubot


def hello_answer(nonce: str, challenge: str) -> str:
    """What a mock answers to `challenge` (the same computation on both sides)."""
    return hmac.new(nonce.encode(), challenge.encode(), hashlib.sha256).hexdigest()


def hello_route(portal: str) -> Route:
    """`GET /_mock/hello` for one mock app, with a nonce of its own drawn now."""
    nonce = secrets.token_hex(16)

    async def hello(request: Request) -> Response:
        challenge = request.query_params.get("challenge", "")
        if not challenge or len(challenge) > MAX_CHALLENGE:
            return JSONResponse({"error": "challenge missing or too long"}, status_code=400)
        answer = hello_answer(nonce, challenge)
        return JSONResponse({"edubot_mock": portal, "nonce": nonce, "answer": answer})

    return Route(HELLO_PATH, hello, methods=["GET"])
