"""The tab's watch of page loads (bot.engine.health), fed events as Playwright sends them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.engine.health import WireWatch, answered_badly


@dataclass(eq=False)
class Frame:
    parent_frame: Frame | None = None


@dataclass(eq=False)
class Request:
    url: str
    navigation: bool = True
    frame: Frame = field(default_factory=Frame)
    failure: str | None = None

    def is_navigation_request(self) -> bool:
        return self.navigation


@dataclass(eq=False)
class Response:
    request: Request
    status: int


def watch() -> WireWatch:
    return WireWatch()


def load(w: WireWatch, request: Request, status: int | None) -> None:
    w._on_request(request)  # type: ignore[arg-type]
    if status is None:
        w._on_failed(request)  # type: ignore[arg-type]
    else:
        w._on_response(Response(request, status))  # type: ignore[arg-type]


def test_a_page_answered_5xx_or_a_failed_load_is_a_sign_and_clear_forgets_it() -> None:
    w = watch()
    load(w, Request("http://lec/student/form.do"), 200)
    assert w.sign() is None
    load(w, Request("http://lec/student/form.do"), 503)
    assert w.sign() == "HTTP 503 (http://lec/student/form.do)"
    assert answered_badly(w.sign())
    w.clear()
    load(w, Request("http://lec/student/save.do", failure="net::ERR_EMPTY_RESPONSE"), None)
    assert w.sign() == "net::ERR_EMPTY_RESPONSE (http://lec/student/save.do)"


def test_what_is_not_the_portal_failing_is_no_sign() -> None:
    w = watch()
    # An image's 500, a frame's load, a load the browser left for another: none of them.
    load(w, Request("http://lec/logo.png", navigation=False), 500)
    load(w, Request("http://lec/frame.do", frame=Frame(parent_frame=Frame())), 502)
    load(w, Request("http://lec/student/list.do", failure="net::ERR_ABORTED"), None)
    assert w.sign() is None


def test_a_load_still_waiting_is_a_sign_for_a_failed_step_but_not_a_bad_answer() -> None:
    w = watch()
    w._on_request(Request("http://lec/student/list.do?q=1103702071009"))  # type: ignore[arg-type]
    sign: Any = w.sign()
    assert sign.startswith("no answer yet from") and "1103702071009" not in sign
    assert not answered_badly(sign)
