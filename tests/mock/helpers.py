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
_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)


def token_of(html: str) -> str:
    """The urlToken of the (first) form on a page."""
    match = _TOKEN.search(html)
    assert match, "page has no urlToken"
    return match.group(1)


def form_token(html: str, action: str, school: str | None = None) -> str:
    """The urlToken of the form posting to `action` (and, if given, for `school`)."""
    for target, body in _FORM.findall(html):
        if target == action and (school is None or f'name="school" value="{school}"' in body):
            return token_of(body)
    raise AssertionError(f"page has no form for {action} {school or ''}")


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


SAVED_FLASH = '<div role="status" class="alert alert-success">บันทึกข้อมูลเรียบร้อย</div>'


def saved(response: httpx.Response) -> bool:
    """Did a student save go through? The portal forwards to the list with its "saved" flash."""
    return response.status_code == 200 and SAVED_FLASH in response.text


def lgo_login(client: Any) -> httpx.Response:
    """The `lgo` account at LGO level."""
    login(client, "lgo")
    return pick_org(client, LGO)


def confirm_school(client: Any, school: str | None = None) -> httpx.Response:
    """Press ยืนยันข้อมูล on the student list (at LGO level: of `school`)."""
    params = {"school": school} if school else {}
    page = client.get("/student/list.do", params=params)
    data = {"urlToken": form_token(page.text, "/school/confirm.do"), **params}
    response: httpx.Response = client.post("/school/confirm.do", data=data)
    return response


def unconfirm_school(client: Any, school: str) -> httpx.Response:
    """At LGO level, press ยกเลิกการยืนยัน in `school`'s row of the LGO home."""
    home = client.get("/school/home.do")
    data = {"urlToken": form_token(home.text, "/lgo/unconfirm-school.do", school), "school": school}
    response: httpx.Response = client.post("/lgo/unconfirm-school.do", data=data)
    return response


def confirm_lgo(client: Any) -> httpx.Response:
    home = client.get("/school/home.do")
    data = {"urlToken": form_token(home.text, "/lgo/confirm.do")}
    response: httpx.Response = client.post("/lgo/confirm.do", data=data)
    return response


def basic_data(grades: tuple[str, ...] = ("K1", "K2", "K3"), **overrides: str) -> dict[str, str]:
    """Basic school data for the given grade codes, every field valid."""
    values = {
        "address": "99 หมู่ 3 ตำบลบ้านเป็ด อำเภอเมืองขอนแก่น จังหวัดขอนแก่น 40000",
        "phone": "043123456",
        "email": "school@banped.go.th",
        "website": "https://banped.go.th",
        "head_name": "นายสมศักดิ์ ใจดี",
        "teachers": "12",
        "staff": "3",
    }
    for n, code in enumerate(grades):
        values[f"classrooms_{code}"] = "1"
        values[f"students_{code}"] = str(20 + n)
    return {**values, **overrides}


def save_basic(client: Any, values: dict[str, str]) -> httpx.Response:
    page = client.get("/school/basic.do")
    data = {**values, "urlToken": form_token(page.text, "/school/basic.do")}
    response: httpx.Response = client.post("/school/basic.do", data=data)
    return response


def building(**overrides: str) -> dict[str, str]:
    values = {
        "building_name": "อาคารเรียน 1",
        "building_type": "อาคารเรียน",
        "year_built": "2545",
        "rooms": "6",
        "condition": "ดี",
    }
    return {**values, **overrides}


def save_building(
    client: Any, values: dict[str, str], building_id: int | None = None
) -> httpx.Response:
    params = {} if building_id is None else {"id": building_id}
    page = client.get("/building/form.do", params=params)
    data = {**values, "urlToken": token_of(page.text)}
    if building_id is not None:
        data["id"] = str(building_id)
    response: httpx.Response = client.post("/building/save.do", data=data)
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
