"""The LGO level: the schools table, entry for other-affiliation schools, LGO confirmation."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.testclient import TestClient

from tests.mock.helpers import (
    CDC,
    EXPANSION_SCHOOL,
    LGO,
    MUNICIPAL_SCHOOL,
    OBEC_SCHOOL,
    confirm_lgo,
    confirm_school,
    lgo_login,
    login,
    save,
    saved,
    state,
    student,
    token_of,
    unconfirm_school,
)

LGO_LOCKED = "ยืนยันระดับ อปท. แล้ว การยกเลิกต้องติดต่อเจ้าหน้าที่ระดับจังหวัด"
ALL = (CDC, MUNICIPAL_SCHOOL, OBEC_SCHOOL, EXPANSION_SCHOOL)


@pytest.fixture
def lgo(client: TestClient) -> TestClient:
    lgo_login(client)
    return client


def _row(html: str, code: str) -> str:
    match = re.search(rf'<tr data-testid="school-{code}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {code}"
    return match.group(1)


def _save_at(client: TestClient, school: str, values: dict[str, str]) -> httpx.Response:
    page = client.get("/student/form.do", params={"school": school})
    data = {**values, "school": school, "urlToken": token_of(page.text)}
    response: httpx.Response = client.post("/student/save.do", data=data)
    return response


def _confirm_everything(lgo: TestClient, other_client: TestClient) -> None:
    done = {s["code"] for s in state(lgo)["schools"] if s["confirmed"]}
    for username, code in (("school", MUNICIPAL_SCHOOL), ("cdc", CDC)):
        if code not in done:
            login(other_client, username)
            confirm_school(other_client)
    for code in (OBEC_SCHOOL, EXPANSION_SCHOOL):
        if code not in done:
            confirm_school(lgo, code)


def test_lgo_home_lists_every_school_with_its_state(
    lgo: TestClient, other_client: TestClient
) -> None:
    login(other_client, "school")
    save(other_client, student())
    confirm_school(other_client)
    home = lgo.get("/school/home.do").text
    assert "<strong>สถานะระดับ อปท.: ยังไม่ยืนยันข้อมูล</strong>" in home
    for code in ALL:
        assert f'data-testid="school-{code}"' in home
    municipal = _row(home, MUNICIPAL_SCHOOL)
    assert "<td>โรงเรียนเทศบาลบ้านเป็ด</td>" in municipal and "<td>1</td>" in municipal
    assert "สังกัด อปท. (DLA)" in municipal and "ยืนยันข้อมูลแล้ว" in municipal
    assert "ข้อมูลนักเรียน</a>" not in municipal  # own schools enter their own children
    obec = _row(home, OBEC_SCHOOL)
    assert "<td>1040010003</td>" in obec and "สังกัดอื่น (OBEC)" in obec and "<td>0</td>" in obec
    assert "ยังไม่ยืนยันข้อมูล" in obec
    assert f'<a href="/student/list.do?school={OBEC_SCHOOL}">ข้อมูลนักเรียน</a>' in obec
    expansion = _row(home, EXPANSION_SCHOOL)
    assert "โรงเรียนบ้านโนนสวรรค์ (สพฐ.)" in expansion and "โรงเรียนขยายโอกาส" in expansion
    assert ">ยืนยันข้อมูลระดับ อปท.</button>" in home
    assert 'data-confirm="ยืนยันข้อมูลระดับ อปท.? การยกเลิกต้องดำเนินการโดยเจ้าหน้าที่ระดับจังหวัด"' in home


def test_lgo_enters_an_other_affiliation_school(lgo: TestClient) -> None:
    listing = lgo.get("/student/list.do", params={"school": OBEC_SCHOOL})
    assert listing.status_code == 200 and "โรงเรียนบ้านหนองไผ่ (สพฐ.)" in listing.text
    assert f'href="/student/form.do?school={OBEC_SCHOOL}">เพิ่มข้อมูลนักเรียน/เด็กเล็ก</a>' in listing.text
    assert f'<input type="hidden" name="school" value="{OBEC_SCHOOL}">' in listing.text
    page = _save_at(lgo, OBEC_SCHOOL, student())
    # The save answers with that school's list (its name, its add link), flash on top.
    assert saved(page) and "โรงเรียนบ้านหนองไผ่ (สพฐ.)" in page.text
    assert f'href="/student/form.do?school={OBEC_SCHOOL}">' in page.text
    [row] = state(lgo)["students"]
    assert row["school_code"] == OBEC_SCHOOL
    again = lgo.get("/student/list.do", params={"school": OBEC_SCHOOL}).text
    assert f'<a href="/student/form.do?school={OBEC_SCHOOL}&amp;id={row["id"]}">แก้ไข</a>' in again
    form = lgo.get("/student/form.do", params={"school": OBEC_SCHOOL, "id": row["id"]}).text
    assert (
        'value="ปิยะดา"' in form
        and f'href="/student/list.do?school={OBEC_SCHOOL}">ยกเลิก</a>' in form
    )


@pytest.mark.parametrize(
    ("school", "grade", "accepted"),
    [
        (OBEC_SCHOOL, "อนุบาล 1", True),
        (OBEC_SCHOOL, "ประถมศึกษาปีที่ 6", True),
        (OBEC_SCHOOL, "มัธยมศึกษาปีที่ 1", False),
        (EXPANSION_SCHOOL, "มัธยมศึกษาปีที่ 3", True),
        (EXPANSION_SCHOOL, "มัธยมศึกษาปีที่ 4", False),
    ],
)
def test_grade_range_at_lgo_level(lgo: TestClient, school: str, grade: str, accepted: bool) -> None:
    page = _save_at(lgo, school, student(grade=grade))
    assert saved(page) is accepted
    if not accepted:
        assert "ระดับชั้นนี้ไม่เปิดสอนในสถานศึกษา" in page.text


def test_lgo_scope_is_checked(lgo: TestClient, other_client: TestClient) -> None:
    own = lgo.get("/student/list.do", params={"school": MUNICIPAL_SCHOOL})
    assert own.status_code == 403 and "บันทึกข้อมูลนักเรียนที่ระดับสถานศึกษา" in own.text
    assert lgo.get("/student/list.do", params={"school": "1099999999"}).status_code == 404
    assert lgo.get("/student/list.do").status_code == 403
    login(other_client, "school")
    assert other_client.get("/student/list.do", params={"school": OBEC_SCHOOL}).status_code == 403
    assert (
        other_client.get("/student/list.do", params={"school": MUNICIPAL_SCHOOL}).status_code == 200
    )


def test_lgo_confirms_an_other_affiliation_school(lgo: TestClient) -> None:
    page = confirm_school(lgo, OBEC_SCHOOL)
    assert page.url.path == "/student/list.do" and page.url.params["confirmed"] == "1"
    assert "สถานะ: ยืนยันข้อมูลแล้ว" in page.text
    form = lgo.get("/student/form.do", params={"school": OBEC_SCHOOL}).text
    assert "สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้" in form and ">บันทึก</button>" not in form
    refused = lgo.post("/student/save.do", data={**student(), "school": OBEC_SCHOOL})
    assert refused.status_code == 403
    assert "ยืนยันข้อมูลแล้ว" in _row(lgo.get("/school/home.do").text, OBEC_SCHOOL)


def test_lgo_confirm_is_refused_until_every_school_is_confirmed(
    lgo: TestClient, other_client: TestClient
) -> None:
    login(other_client, "school")
    confirm_school(other_client)
    refused = confirm_lgo(lgo)
    assert refused.status_code == 409
    assert (
        "ยังมีสถานศึกษาที่ยังไม่ยืนยันข้อมูล: โรงเรียนบ้านหนองไผ่ (สพฐ.),"
        " โรงเรียนบ้านโนนสวรรค์ (สพฐ.), ศูนย์พัฒนาเด็กเล็กเทศบาลตำบลบ้านเป็ด"
    ) in refused.text
    assert state(lgo)["lgo"]["confirmed"] is False
    _confirm_everything(lgo, other_client)
    done = confirm_lgo(lgo)
    assert done.url.query == b"lgo_confirmed=1" and "ยืนยันข้อมูลระดับ อปท. เรียบร้อย" in done.text
    assert "<strong>สถานะระดับ อปท.: ยืนยันข้อมูลแล้ว</strong> <span>เมื่อ " in done.text
    assert LGO_LOCKED in done.text and ">ยืนยันข้อมูลระดับ อปท.</button>" not in done.text
    block = state(lgo)["lgo"]
    assert block["code"] == LGO and block["confirmed"] is True and block["confirmed_at"]


def test_unconfirm_a_school_before_but_not_after_lgo_confirmation(
    lgo: TestClient, other_client: TestClient
) -> None:
    login(other_client, "school")
    confirm_school(other_client)
    row = _row(lgo.get("/school/home.do").text, MUNICIPAL_SCHOOL)
    assert 'data-confirm="ยกเลิกการยืนยันข้อมูลของ โรงเรียนเทศบาลบ้านเป็ด?"' in row
    assert 'action="/lgo/unconfirm-school.do"' in row and ">ยกเลิกการยืนยัน</button>" in row
    assert "ยกเลิกการยืนยัน" not in _row(lgo.get("/school/home.do").text, CDC)  # not confirmed
    page = unconfirm_school(lgo, MUNICIPAL_SCHOOL)
    assert page.url.query == b"unconfirmed=1" and "ยกเลิกการยืนยันข้อมูลเรียบร้อย" in page.text
    school = next(s for s in state(lgo)["schools"] if s["code"] == MUNICIPAL_SCHOOL)
    assert school["confirmed"] is False and school["confirmed_at"] is None
    assert saved(save(other_client, student()))  # the school may edit again
    _confirm_everything(lgo, other_client)
    token = token_of(lgo.get("/school/home.do").text)  # before the LGO confirms
    confirm_lgo(lgo)
    home = lgo.get("/school/home.do").text
    assert ">ยกเลิกการยืนยัน</button>" not in home
    data = {"urlToken": token, "school": MUNICIPAL_SCHOOL}
    refused = lgo.post("/lgo/unconfirm-school.do", data=data)
    assert refused.status_code == 403 and LGO_LOCKED in refused.text
    assert all(s["confirmed"] for s in state(lgo)["schools"])


def test_provincial_unconfirm_lifts_the_lgo_lock(lgo: TestClient, other_client: TestClient) -> None:
    _confirm_everything(lgo, other_client)
    confirm_lgo(lgo)
    body = lgo.post("/_mock/provincial-unconfirm").json()
    assert body == {"ok": True, "lgo": LGO, "was_confirmed": True, "confirmed": False}
    assert state(lgo)["lgo"]["confirmed"] is False
    assert unconfirm_school(lgo, OBEC_SCHOOL).url.query == b"unconfirmed=1"
    assert (
        lgo.post("/_mock/provincial-unconfirm", json={"lgo": LGO}).json()["was_confirmed"] is False
    )
    assert lgo.post("/_mock/provincial-unconfirm", json={"lgo": "9999999"}).status_code == 404


def test_lgo_actions_need_the_lgo_level(client: TestClient) -> None:
    login(client, "school")
    for url in ("/lgo/confirm.do", "/lgo/unconfirm-school.do"):
        page = client.post(url, data={"urlToken": "x", "school": MUNICIPAL_SCHOOL})
        assert page.status_code == 403 and "เมนูนี้ใช้ได้เฉพาะสังกัดระดับ อปท." in page.text


def test_picking_the_obec_school_as_an_organisation_still_works(client: TestClient) -> None:
    from tests.mock.helpers import pick_org

    login(client, "lgo")
    home = pick_org(client, OBEC_SCHOOL)
    assert "สถานะ: ยังไม่ยืนยันข้อมูล" in home.text
    assert saved(save(client, student()))
