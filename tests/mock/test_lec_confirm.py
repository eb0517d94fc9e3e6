"""School-level confirmation (ยืนยันข้อมูล) and the lock that follows it."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.mock.helpers import (
    MUNICIPAL_SCHOOL,
    basic_data,
    building,
    confirm_school,
    form_token,
    login,
    save,
    save_basic,
    save_building,
    saved,
    state,
    student,
    token_of,
)

LOCKED = "สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้"
DIALOG = "ยืนยันข้อมูลของสถานศึกษา? เมื่อยืนยันแล้วจะแก้ไขข้อมูลไม่ได้"
PRIMARY = ("K1", "K2", "K3", "P1", "P2", "P3", "P4", "P5", "P6")


def _school(client: TestClient, code: str = MUNICIPAL_SCHOOL) -> dict[str, object]:
    return next(s for s in state(client)["schools"] if s["code"] == code)


@pytest.fixture
def school(client: TestClient) -> TestClient:
    login(client, "school")
    return client


def test_home_shows_status_and_confirm_button_with_dialog(school: TestClient) -> None:
    home = school.get("/school/home.do").text
    assert "<strong>สถานะ: ยังไม่ยืนยันข้อมูล</strong>" in home
    assert 'data-testid="confirm-status"' in home
    assert f'data-confirm="{DIALOG}" onsubmit="return confirm(this.dataset.confirm)"' in home
    assert 'action="/school/confirm.do"' in home
    assert '<button type="submit" class="btn btn-primary">ยืนยันข้อมูล</button>' in home
    listing = school.get("/student/list.do").text
    assert ">ยืนยันข้อมูล</button>" in listing and "สถานะ: ยังไม่ยืนยันข้อมูล" in listing


def test_confirm_sets_status_time_and_state(school: TestClient) -> None:
    page = confirm_school(school)
    assert page.url.path == "/school/home.do" and page.url.query == b"confirmed=1"
    assert '<div role="status" class="alert alert-success">ยืนยันข้อมูลเรียบร้อย</div>' in page.text
    assert "<strong>สถานะ: ยืนยันข้อมูลแล้ว</strong> <span>เมื่อ " in page.text
    assert " น.</span>" in page.text
    assert ">ยืนยันข้อมูล</button>" not in page.text
    row = _school(school)
    assert row["confirmed"] is True and isinstance(row["confirmed_at"], str)
    assert _school(school, "3040010001")["confirmed"] is False


def test_confirm_needs_a_token(school: TestClient) -> None:
    assert school.post("/school/confirm.do").status_code == 400
    assert _school(school)["confirmed"] is False


def test_every_post_is_refused_after_confirmation(school: TestClient) -> None:
    save(school, student())
    save_building(school, building())
    [kid] = state(school)["students"]
    [hall] = state(school)["buildings"]
    tokens = {
        "student": token_of(school.get("/student/form.do").text),
        "edit": token_of(school.get("/student/form.do", params={"id": kid["id"]}).text),
        "basic": form_token(school.get("/school/basic.do").text, "/school/basic.do"),
        "building": token_of(school.get("/building/form.do").text),
        "confirm": form_token(school.get("/school/home.do").text, "/school/confirm.do"),
    }
    confirm_school(school)
    posts = [
        ("/student/save.do", {**student(first_name="ใหม่"), "urlToken": tokens["student"]}),
        ("/student/save.do", {**student(), "id": str(kid["id"]), "urlToken": tokens["edit"]}),
        ("/school/basic.do", {**basic_data(PRIMARY), "urlToken": tokens["basic"]}),
        (
            "/building/save.do",
            {**building(), "id": str(hall["id"]), "urlToken": tokens["building"]},
        ),
        ("/school/confirm.do", {"urlToken": tokens["confirm"]}),
    ]
    for url, data in posts:
        page = school.post(url, data=data)
        assert page.status_code == 403, url
        assert LOCKED in page.text
    after = state(school)
    assert [s["first_name"] for s in after["students"]] == ["ปิยะดา"]
    assert _school(school)["basic"] is None and len(after["buildings"]) == 1


@pytest.mark.parametrize("url", ["/student/form.do", "/school/basic.do", "/building/form.do"])
def test_forms_show_the_lock_and_no_save_button(school: TestClient, url: str) -> None:
    confirm_school(school)
    page = school.get(url)
    assert page.status_code == 200
    assert (
        f'<div role="alert" class="alert alert-danger" data-testid="locked">{LOCKED}</div>'
        in page.text
    )
    assert ">บันทึก</button>" not in page.text and 'name="urlToken"' not in page.text


def test_lists_hide_the_add_buttons_once_locked(school: TestClient) -> None:
    confirm_school(school)
    students = school.get("/student/list.do").text
    assert LOCKED in students and "เพิ่มข้อมูลนักเรียน/เด็กเล็ก</a>" not in students
    buildings = school.get("/building/list.do").text
    assert LOCKED in buildings and "เพิ่มข้อมูลอาคาร</a>" not in buildings


def test_the_lock_is_per_school(school: TestClient, other_client: TestClient) -> None:
    confirm_school(school)
    login(other_client, "cdc")
    assert saved(save(other_client, student(grade="อนุบาล 1")))
    assert save_basic(other_client, basic_data()).url.query == b"saved=1"
