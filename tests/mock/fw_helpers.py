"""Helpers for driving the mock LEC's framework rendering over HTTP: its popup, its login and
node picker, and `formData.<camelCase>` names."""

from __future__ import annotations

import re
from typing import Any

import httpx

POPUP = re.compile(
    r'<div class="swal2-popup"[^>]*data-code="(\d*)">.*?<h2 class="swal2-title"[^>]*>([^<]*)</h2>'
    r'\s*<div class="swal2-html-container"[^>]*>([^<]*)</div>',
    re.S,
)
_OPTION = re.compile(r'<option value="([^"]*)"[^>]*>([^<]+)</option>')


def popup_of(html: str) -> tuple[str, str]:
    """(code, visible text) of the page's SweetAlert-style popup; ('', '') when none."""
    match = POPUP.search(html)
    assert match, "page has no popup markup"
    if "swal2-container swal2-shown" not in html:
        return "", ""
    code, title, body = match.groups()
    return code, (title + body).strip()


def fw_login(client: Any, username: str, password: str = "demo") -> httpx.Response:
    data = {"cmd": "doLogin", "urlToken": "", "login": username, "password": password}
    response: httpx.Response = client.post("/login.do", data=data)
    return response


def fw_lgo_login(client: Any) -> httpx.Response:
    """The `lgo` account at LGO level, picked by name on node.jsp (the name may carry its code)."""
    options = dict(_OPTION.findall(fw_login(client, "lgo").text))
    node = next(n for n, name in options.items() if name.startswith("เทศบาลตำบลบ้านเป็ด"))
    response: httpx.Response = client.post("/login.do", data={"cmd": "doSetNode", "orgId": node})
    return response


def form_data(values: dict[str, str]) -> dict[str, str]:
    """`formData.firstName` names: the test's own camelCase, not the mock's."""

    def camel(key: str) -> str:
        first, *rest = key.split("_")
        return first + "".join(p[:1].upper() + p[1:] for p in rest)

    return {f"formData.{camel(k)}": v for k, v in values.items()}
