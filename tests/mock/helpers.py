"""Small helpers for driving the mock LEC over HTTP the way a browser would."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import httpx

MUNICIPAL_SCHOOL = "3040010002"
CDC = "3040010001"
OBEC_SCHOOL = "1040010003"
EXPANSION_SCHOOL = "1040010004"
LGO = "6400101"

_TOKEN = re.compile(r'name="urlToken" value="([^"]+)"')


def token_of(html: str) -> str:
    """The urlToken of the (first) form on a page."""
    match = _TOKEN.search(html)
    assert match, "page has no urlToken"
    return match.group(1)


def thai_id(body: str) -> str:
    """A valid 13-digit ID from 12 digits — a third, independent checksum implementation."""
    assert len(body) == 12 and body.isdigit()
    total = sum(int(d) * w for d, w in zip(body, range(13, 1, -1), strict=True))
    return body + str((11 - total % 11) % 10)


def login(client: Any, username: str, password: str = "demo") -> httpx.Response:
    """Log in through /index.jsp; multi-org accounts stop at the org picker."""
    page = client.get("/index.jsp")
    form = {"cmd": "doLogin", "urlToken": token_of(page.text)}
    response: httpx.Response = client.post(
        "/login.do", data={**form, "login": username, "password": password}
    )
    return response


def pick_org(client: Any, org_code: str) -> httpx.Response:
    page = client.get("/login.do", params={"cmd": "selectNode"})
    data = {"cmd": "doSetNode", "urlToken": token_of(page.text), "orgId": org_code}
    response: httpx.Response = client.post("/login.do", data=data)
    return response


def student(**overrides: str) -> dict[str, str]:
    """A student the municipal school accepts, with every required field filled."""
    values = {
        "national_id": thai_id("110370207100"),
        "prefix": "เด็กหญิง",
        "first_name": "ปิยะดา",
        "last_name": "มีสุข",
        "gender": "หญิง",
        "birth_date": "05/03/2562",
        "nationality": "ไทย",
        "religion": "พุทธ",
        "grade": "ประถมศึกษาปีที่ 1",
        "room": "1",
        "admission_date": "16/05/2567",
        "height_cm": "104.5",
        "guardian_first_name": "สมใจ",
        "guardian_last_name": "มีสุข",
        "guardian_phone": "0812345678",
        "reg_house_no": "5",
        "reg_subdistrict": "บ้านเป็ด",
        "reg_district": "เมืองขอนแก่น",
        "reg_province": "ขอนแก่น",
        "reg_postcode": "40000",
    }
    return {**values, **overrides}


def save(client: Any, values: dict[str, str], student_id: int | None = None) -> httpx.Response:
    """Open the add (or edit) form, then post `values` with the form's urlToken."""
    params = {} if student_id is None else {"id": student_id}
    page = client.get("/student/form.do", params=params)
    data = {**values, "urlToken": token_of(page.text)}
    if student_id is not None:
        data["id"] = str(student_id)
    response: httpx.Response = client.post("/student/save.do", data=data)
    return response


def state(client: Any) -> dict[str, Any]:
    body: dict[str, Any] = client.get("/_mock/state").json()
    return body


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.labels: dict[str, str] = {}
        self.controls: dict[str, dict[str, str | None]] = {}
        self.options: dict[str, list[str]] = {}
        self._label_for: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "label":
            self._label_for, self._text = attr.get("for"), []
        elif tag in ("input", "select") and attr.get("id"):
            self.controls[str(attr["id"])] = {"tag": tag, **attr}
            if tag == "select":
                self._select = str(attr["id"])
                self.options[self._select] = []
        elif tag == "option" and self._select:
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label_for:
            self.labels[self._label_for] = "".join(self._text)
            self._label_for = None
        elif tag == "option" and self._select:
            self.options[self._select].append("".join(self._text))
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def parse_form(html: str) -> _FormParser:
    """Labels by `for`, controls by id, select options (text) by id."""
    parser = _FormParser()
    parser.feed(html)
    return parser
