"""Basic school data (ข้อมูลพื้นฐานโรงเรียน/ศูนย์เด็กฯ) and buildings (ฐานข้อมูลอาคารสถานที่)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.mock.helpers import (
    CDC,
    MUNICIPAL_SCHOOL,
    basic_data,
    building,
    lgo_login,
    login,
    parse_form,
    save_basic,
    save_building,
    state,
    token_of,
)

PRIMARY = ("K1", "K2", "K3", "P1", "P2", "P3", "P4", "P5", "P6")


def _school_state(client: TestClient, code: str) -> dict[str, object]:
    return next(s for s in state(client)["schools"] if s["code"] == code)


def _alert(html: str) -> str:
    return html.split('role="alert" class="alert alert-danger"', 1)[1].split("</div>", 1)[0]


@pytest.fixture
def school(client: TestClient) -> TestClient:
    login(client, "school")
    return client


def test_basic_form_has_labels_for_every_field_and_grade(school: TestClient) -> None:
    page = school.get("/school/basic.do").text
    form = parse_form(page)
    for key, label in [
        ("address", "ที่อยู่สถานศึกษา"),
        ("phone", "โทรศัพท์"),
        ("email", "อีเมล"),
        ("website", "เว็บไซต์"),
        ("head_name", "ชื่อผู้บริหารสถานศึกษา"),
        ("teachers", "จำนวนครู"),
        ("staff", "จำนวนบุคลากรทางการศึกษา"),
        ("classrooms_K1", "จำนวนห้องเรียน อนุบาล 1"),
        ("students_K1", "จำนวนนักเรียน อนุบาล 1"),
        ("classrooms_P6", "จำนวนห้องเรียน ประถมศึกษาปีที่ 6"),
        ("students_P6", "จำนวนนักเรียน ประถมศึกษาปีที่ 6"),
    ]:
        assert form.labels[key] == label and key in form.controls
    assert "classrooms_M1" not in form.controls  # the school teaches up to Prathom 6
    assert 'action="/school/basic.do"' in page and 'name="urlToken"' in page
    assert '<button type="submit" class="btn btn-primary">บันทึก</button>' in page


def test_centre_form_lists_only_kindergarten(client: TestClient) -> None:
    login(client, "cdc")
    controls = parse_form(client.get("/school/basic.do").text).controls
    assert {k for k in controls if k.startswith("students_")} == {
        "students_K1",
        "students_K2",
        "students_K3",
    }


def test_basic_save_stores_and_prefills(school: TestClient) -> None:
    page = save_basic(school, basic_data(PRIMARY))
    assert page.url.path == "/school/basic.do" and page.url.query == b"saved=1"
    assert '<div role="status" class="alert alert-success">บันทึกข้อมูลเรียบร้อย</div>' in page.text
    assert (
        'value="นายสมศักดิ์ ใจดี"' in page.text
        and 'id="students_P6" name="students_P6" value="28"' in page.text
    )
    basic = _school_state(school, MUNICIPAL_SCHOOL)["basic"]
    assert isinstance(basic, dict)
    assert basic["head_name"] == "นายสมศักดิ์ ใจดี" and basic["teachers"] == 12
    assert basic["staff"] == 3 and basic["email"] == "school@banped.go.th"
    assert basic["students"]["อนุบาล 1"] == 20 and basic["classrooms"]["ประถมศึกษาปีที่ 6"] == 1
    assert basic["updated_at"]
    assert _school_state(school, CDC)["basic"] is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"teachers": "-1"}, "จำนวนครู ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป"),
        ({"staff": "2.5"}, "จำนวนบุคลากรทางการศึกษา ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป"),
        ({"students_K1": "สิบ"}, "จำนวนนักเรียน อนุบาล 1 ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป"),
        ({"classrooms_P1": ""}, "กรุณากรอก จำนวนห้องเรียน ประถมศึกษาปีที่ 1"),
        ({"address": " "}, "กรุณากรอก ที่อยู่สถานศึกษา"),
        ({"head_name": ""}, "กรุณากรอก ชื่อผู้บริหารสถานศึกษา"),
        ({"email": "school@banped"}, "รูปแบบอีเมลไม่ถูกต้อง"),
        ({"email": "school banped.go.th"}, "รูปแบบอีเมลไม่ถูกต้อง"),
        ({"phone": "043-123456"}, "โทรศัพท์ ต้องเป็นตัวเลข 9 หรือ 10 หลัก"),
        ({"phone": "04312345"}, "โทรศัพท์ ต้องเป็นตัวเลข 9 หรือ 10 หลัก"),
        ({"phone": ""}, "กรุณากรอก โทรศัพท์"),
    ],
)
def test_basic_validation(school: TestClient, overrides: dict[str, str], message: str) -> None:
    page = save_basic(school, basic_data(PRIMARY, **overrides))
    assert page.status_code == 200 and page.url.path == "/school/basic.do" and not page.url.query
    assert message in _alert(page.text)
    key = next(iter(overrides))
    assert f'<div class="invalid-feedback" id="{key}-error">{message}</div>' in page.text
    assert 'value="นายสมศักดิ์ ใจดี"' in page.text or key == "head_name"  # values kept
    assert _school_state(school, MUNICIPAL_SCHOOL)["basic"] is None


def test_basic_zero_counts_and_empty_optional_fields_are_fine(school: TestClient) -> None:
    values = basic_data(PRIMARY, email="", website="", staff="0", phone="0812345678")
    assert save_basic(school, values).url.query == b"saved=1"


def test_basic_save_needs_a_fresh_token(school: TestClient) -> None:
    page = school.post("/school/basic.do", data={**basic_data(PRIMARY), "urlToken": "nope"})
    assert page.status_code == 400


def test_basic_data_is_a_school_page(client: TestClient) -> None:
    lgo_login(client)
    assert client.get("/school/basic.do").status_code == 403


# --- buildings ------------------------------------------------------------------------------


def test_building_list_and_form(school: TestClient) -> None:
    listing = school.get("/building/list.do").text
    assert '<a class="btn btn-success" href="/building/form.do">เพิ่มข้อมูลอาคาร</a>' in listing
    assert "ไม่พบข้อมูล" in listing
    page = school.get("/building/form.do").text
    form = parse_form(page)
    assert form.labels == {
        "building_name": "ชื่ออาคาร",
        "building_type": "ประเภทอาคาร",
        "year_built": "ปีที่สร้าง (พ.ศ.)",
        "rooms": "จำนวนห้อง",
        "condition": "สภาพอาคาร",
    }
    assert form.options["building_type"][1:] == [
        "อาคารเรียน",
        "อาคารอเนกประสงค์",
        "โรงอาหาร",
        "ห้องน้ำ",
        "อื่นๆ",
    ]
    assert form.options["condition"][1:] == ["ดี", "พอใช้", "ต้องซ่อมแซม"]
    assert 'action="/building/save.do"' in page and ">บันทึก</button>" in page


def test_building_add_lists_and_stores(school: TestClient) -> None:
    page = save_building(school, building())
    assert page.url.path == "/building/list.do" and page.url.query == b"saved=1"
    assert "บันทึกข้อมูลเรียบร้อย" in page.text and "<td>อาคารเรียน 1</td>" in page.text
    [row] = state(school)["buildings"]
    assert row["school_code"] == MUNICIPAL_SCHOOL and row["name"] == "อาคารเรียน 1"
    assert (row["type"], row["year_built"], row["rooms"], row["condition"]) == (
        "อาคารเรียน",
        2545,
        6,
        "ดี",
    )


def test_building_duplicate_name_is_refused(school: TestClient) -> None:
    save_building(school, building())
    page = save_building(school, building(building_type="โรงอาหาร"))
    assert "ชื่ออาคารนี้มีอยู่แล้ว" in _alert(page.text)
    assert (
        '<div class="invalid-feedback" id="building_name-error">ชื่ออาคารนี้มีอยู่แล้ว</div>' in page.text
    )
    assert len(state(school)["buildings"]) == 1


def test_building_same_name_in_another_school_is_fine(
    school: TestClient, other_client: TestClient
) -> None:
    save_building(school, building())
    login(other_client, "cdc")
    assert save_building(other_client, building()).url.query == b"saved=1"


def test_building_edit_prefills_updates_and_may_not_take_another_name(school: TestClient) -> None:
    save_building(school, building())
    save_building(school, building(building_name="โรงอาหาร", building_type="โรงอาหาร"))
    first, second = state(school)["buildings"]
    listing = school.get("/building/list.do").text
    assert (
        f'<a href="/building/form.do?id={first["id"]}" aria-label="แก้ไข อาคารเรียน 1">แก้ไข</a>'
        in listing
    )
    form = school.get("/building/form.do", params={"id": first["id"]}).text
    assert 'value="อาคารเรียน 1"' in form and '<option value="ดี" selected>' in form
    assert f'name="id" value="{first["id"]}"' in form
    kept = save_building(school, building(condition="ต้องซ่อมแซม"), first["id"])
    assert kept.url.query == b"saved=1"  # its own name is not a duplicate
    taken = save_building(school, building(building_name="โรงอาหาร"), first["id"])
    assert "ชื่ออาคารนี้มีอยู่แล้ว" in taken.text
    renamed = save_building(school, building(building_name="อาคาร 1 (ใหม่)"), first["id"])
    assert renamed.url.query == b"saved=1"
    rows = {b["id"]: b for b in state(school)["buildings"]}
    assert rows[first["id"]]["name"] == "อาคาร 1 (ใหม่)"
    assert rows[first["id"]]["condition"] == "ดี" and rows[second["id"]]["name"] == "โรงอาหาร"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"building_name": ""}, "กรุณากรอก ชื่ออาคาร"),
        ({"building_type": "ห้องสมุด"}, "ประเภทอาคารไม่ถูกต้อง"),
        ({"condition": ""}, "กรุณากรอก สภาพอาคาร"),
        ({"year_built": "2002"}, "ปีที่สร้าง (พ.ศ.) ต้องเป็นปี พ.ศ. 4 หลัก ไม่เกินปีปัจจุบัน"),
        ({"year_built": "2570"}, "ปีที่สร้าง (พ.ศ.) ต้องเป็นปี พ.ศ. 4 หลัก ไม่เกินปีปัจจุบัน"),
        ({"rooms": "-2"}, "จำนวนห้อง ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป"),
    ],
)
def test_building_validation(school: TestClient, overrides: dict[str, str], message: str) -> None:
    page = save_building(school, building(**overrides))
    assert page.status_code == 200 and message in _alert(page.text)
    assert state(school)["buildings"] == []


def test_building_of_another_school_is_not_found(
    school: TestClient, other_client: TestClient
) -> None:
    save_building(school, building())
    [row] = state(school)["buildings"]
    login(other_client, "cdc")
    assert other_client.get("/building/form.do", params={"id": row["id"]}).status_code == 404
    token = token_of(other_client.get("/building/form.do").text)
    data = {**building(), "id": str(row["id"]), "urlToken": token}
    assert other_client.post("/building/save.do", data=data).status_code == 404
