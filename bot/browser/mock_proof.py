"""A dry run's first request: prove the target is one of edubot's mocks, or refuse.

"On this machine" is not enough: an SSH tunnel or a local proxy to the real LEC also listens
on 127.0.0.1. Before any credential is chosen or the browser navigates, edubot sends a fresh
random challenge to `/_mock/hello` and checks the mock's answer (the protocol and why it
suffices: `mock_portals/hello.py`). The request goes straight to the address — no proxy, no
redirect followed — and carries nothing but the challenge.
"""

from __future__ import annotations

import hmac
import http.client
import json
import secrets
from urllib.parse import urlsplit

from bot.config import PortalTarget
from bot.errors import SafetyError
from bot.i18n import say_fix
from bot.net import origin_of
from mock_portals.hello import HELLO_PATH, hello_answer

TIMEOUT_S = 10.0
MAX_BODY = 4096


def prove_mock(target: PortalTarget) -> str:
    """The target's origin once it answered the handshake; SafetyError (exit 2) otherwise."""
    challenge = secrets.token_urlsafe(24)
    try:
        status, body = _ask(target.url, challenge)
    except (OSError, http.client.HTTPException) as exc:
        raise _not_a_mock(target, f"no answer: {exc.__class__.__name__}") from None
    if status != 200:
        raise _not_a_mock(target, f"{HELLO_PATH} answered HTTP {status}")
    problem = _check_answer(body, target.name, challenge)
    if problem:
        raise _not_a_mock(target, problem)
    return origin_of(target.url)


def _ask(url: str, challenge: str) -> tuple[int, bytes]:
    parts = urlsplit(url)
    host, scheme = parts.hostname or "", parts.scheme
    connection_type = (
        http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_type(host, parts.port, timeout=TIMEOUT_S)
    try:
        connection.request("GET", f"{HELLO_PATH}?challenge={challenge}")
        response = connection.getresponse()
        return response.status, response.read(MAX_BODY)
    finally:
        connection.close()


def _check_answer(body: bytes, portal: str, challenge: str) -> str | None:
    """What is wrong with the answer, or None when it proves a mock of `portal`."""
    try:
        answer = json.loads(body)
    except ValueError:
        return "the answer is not a mock's (not JSON)"
    if not isinstance(answer, dict) or not all(
        isinstance(answer.get(k), str) for k in ("edubot_mock", "nonce", "answer")
    ):
        return "the answer is not a mock's"
    if answer["edubot_mock"] != portal:
        return f"it is edubot's mock {answer['edubot_mock'].upper()}, not {portal.upper()}"
    expected = hello_answer(answer["nonce"], challenge)
    if not hmac.compare_digest(expected, answer["answer"]):
        return "the answer does not match the challenge"
    return None


def _not_a_mock(target: PortalTarget, reason: str) -> SafetyError:
    name, url = target.name.upper(), target.url
    return SafetyError(
        say_fix(
            f"การซ้อม (--dry-run) ใช้ได้เฉพาะกับระบบจำลองของ edubot แต่ {url} ไม่ใช่ระบบจำลองของ "
            "edubot (อาจเป็นทางเชื่อมไปยังระบบจริง) ยังไม่ได้ส่งอะไร",
            f"This is a dry run, but {url} is not one of edubot's mock portals ({reason}); it "
            f"may be a tunnel or proxy to the real {name}. A dry run only talks to edubot's own "
            "mocks. Nothing was sent.",
            f"ยกเลิกค่า EDUBOT_{name}_URL ให้ edubot เปิดระบบจำลองเอง หรือชี้ไปที่ `edubot mock serve`",
            f"unset EDUBOT_{name}_URL (edubot then serves its own mock) or point it at "
            "`edubot mock serve`.",
        )
    )
