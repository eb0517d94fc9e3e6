"""The round's dates: shown in the header, in `/_mock/state`, and closing the portal after."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from mock_portals.lec.app import create_app
from tests.mock.conftest import FakeCalendar
from tests.mock.helpers import (
    basic_data,
    building,
    confirm_school,
    form_token,
    lgo_login,
    login,
    save,
    saved,
    state,
    student,
    token_of,
)

CLOSED = "ระบบปิดการบันทึกข้อมูลแล้ว"
PRIMARY = ("K1", "K2", "K3", "P1", "P2", "P3", "P4", "P5", "P6")


def test_header_and_state_show_the_seed_round(client: TestClient) -> None:
    page = login(client, "school")
    assert '<span data-testid="round">เปิดระบบ 10/11/2568 ปิดระบบ 10/12/2568</span>' in page.text
    assert "เปิดระบบ 10/11/2568" in client.get("/index.jsp").text
    assert state(client)["round"] == {
        "opens": "2025-11-10",
        "closes": "2025-12-10",
        "opens_be": "10/11/2568",
        "closes_be": "10/12/2568",
        "today": "2025-11-20",
        "open": True,
    }


def test_the_close_date_itself_is_still_open(client: TestClient, calendar: FakeCalendar) -> None:
    calendar.today = date(2025, 12, 10)
    login(client, "school")
    assert saved(save(client, student()))


def test_after_the_close_date_every_save_and_confirm_is_refused(
    client: TestClient, other_client: TestClient, calendar: FakeCalendar
) -> None:
    login(client, "school")
    lgo_login(other_client)
    tokens = {
        "student": token_of(client.get("/student/form.do").text),
        "basic": form_token(client.get("/school/basic.do").text, "/school/basic.do"),
        "building": token_of(client.get("/building/form.do").text),
        "confirm": form_token(client.get("/school/home.do").text, "/school/confirm.do"),
        "lgo": form_token(other_client.get("/school/home.do").text, "/lgo/confirm.do"),
    }
    calendar.today = date(2025, 12, 11)
    posts = [
        (client, "/student/save.do", {**student(), "urlToken": tokens["student"]}),
        (client, "/school/basic.do", {**basic_data(PRIMARY), "urlToken": tokens["basic"]}),
        (client, "/building/save.do", {**building(), "urlToken": tokens["building"]}),
        (client, "/school/confirm.do", {"urlToken": tokens["confirm"]}),
        (other_client, "/lgo/confirm.do", {"urlToken": tokens["lgo"]}),
        (other_client, "/lgo/unconfirm-school.do", {"urlToken": "x", "school": "3040010002"}),
    ]
    for who, url, data in posts:
        page = who.post(url, data=data)
        assert page.status_code == 403 and CLOSED in page.text, url
    body = state(client)
    assert body["round"]["open"] is False
    assert body["students"] == [] and body["buildings"] == []
    assert not any(s["confirmed"] for s in body["schools"])
    for url in ("/student/form.do", "/school/basic.do", "/building/form.do"):
        form = client.get(url).text
        assert CLOSED in form and ">บันทึก</button>" not in form, url
    assert ">ยืนยันข้อมูล</button>" not in client.get("/school/home.do").text
    assert "ยืนยันข้อมูลระดับ อปท.</button>" not in other_client.get("/school/home.do").text


def test_before_the_round_opens_nothing_is_taken(
    client: TestClient, calendar: FakeCalendar
) -> None:
    calendar.today = date(2025, 11, 9)
    login(client, "school")
    form = client.get("/student/form.do").text
    assert "ระบบยังไม่เปิดการบันทึกข้อมูล" in form and ">บันทึก</button>" not in form


def test_configured_round(tmp_path: Path) -> None:
    app = create_app(
        tmp_path,
        seed=False,
        today=lambda: date(2026, 6, 20),
        round_opens=date(2026, 6, 10),
    )
    with TestClient(app) as client:
        round_ = state(client)["round"]
        assert (round_["opens"], round_["closes"], round_["open"]) == (
            "2026-06-10",
            "2026-07-10",
            True,
        )
    with pytest.raises(ValueError, match="round_opens"):
        create_app(tmp_path, round_closes=date(2026, 1, 1))


def test_default_round_stays_open_on_the_real_calendar(tmp_path: Path) -> None:
    """Once the seed's round is over, the demo round is one in progress around today."""
    with TestClient(create_app(tmp_path, seed=False, today=lambda: date(2026, 11, 29))) as client:
        round_ = state(client)["round"]
        assert (round_["opens"], round_["closes"], round_["open"]) == (
            "2026-11-22",
            "2026-12-22",
            True,
        )
        login(client, "school")
        assert saved(save(client, student()))


def test_mock_round_endpoint_sets_and_clears_the_dates(client: TestClient) -> None:
    closed = client.post("/_mock/round", json={"opens": "2025-10-01", "closes": "2025-10-31"})
    assert closed.json()["open"] is False and closed.json()["closes_be"] == "31/10/2568"
    login(client, "school")
    assert CLOSED in client.get("/student/form.do").text
    assert client.post("/_mock/round", json={}).json()["closes"] == "2025-12-10"
    assert ">บันทึก</button>" in client.get("/student/form.do").text
    for bad in ({"opens": "2025-10-31", "closes": "2025-10-01"}, {"opens": "x", "closes": "y"}):
        assert client.post("/_mock/round", json=bad).status_code == 400
    assert client.post("/_mock/round", json={"when": "now"}).status_code == 400
    client.post("/_mock/round", json={"opens": "2025-10-01", "closes": "2025-10-31"})
    client.post("/_mock/reset")
    assert state(client)["round"]["open"] is True


def test_confirm_dates_are_thai_local_time(client: TestClient) -> None:
    login(client, "school")
    page = confirm_school(client)
    [school] = [s for s in state(client)["schools"] if s["confirmed"]]
    stamp = str(school["confirmed_at"])
    assert stamp.endswith("+00:00")
    assert "<span>เมื่อ " in page.text and "/25" in page.text.split("<span>เมื่อ ", 1)[1][:12]
