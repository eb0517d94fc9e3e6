"""The test-only `/_mock/` surface: state, reset, faults, request counts; persistence; serving."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from mock_portals.lec.app import create_app
from mock_portals.lec.db import Database
from mock_portals.serve import serve_in_thread
from tests.mock.helpers import (
    CDC,
    EXPANSION_SCHOOL,
    LGO,
    MUNICIPAL_SCHOOL,
    OBEC_SCHOOL,
    login,
    save,
    saved,
    state,
    student,
    token_of,
)
from tests.mock.test_lec_fields import contract_keys


def test_state_lists_schools_and_accounts(client: TestClient) -> None:
    body = state(client)
    schools = {s["code"]: s for s in body["schools"]}
    assert set(schools) == {CDC, MUNICIPAL_SCHOOL, OBEC_SCHOOL, EXPANSION_SCHOOL}
    assert schools[CDC]["type"] == "ศพด."
    assert schools[CDC]["allowed_grades"] == ["อนุบาล 1", "อนุบาล 2", "อนุบาล 3"]
    assert schools[MUNICIPAL_SCHOOL]["allowed_grades"][-1] == "ประถมศึกษาปีที่ 6"
    assert schools[OBEC_SCHOOL]["affiliation"] == "OBEC" and schools[OBEC_SCHOOL]["lgo"] == LGO
    assert schools[EXPANSION_SCHOOL]["name"] == "โรงเรียนบ้านโนนสวรรค์ (สพฐ.)"
    assert schools[EXPANSION_SCHOOL]["expansion"] and not schools[OBEC_SCHOOL]["expansion"]
    assert schools[EXPANSION_SCHOOL]["allowed_grades"][-1] == "มัธยมศึกษาปีที่ 3"
    accounts = {a["username"]: a for a in body["accounts"]}
    assert accounts["lgo"] == {
        "username": "lgo",
        "role": "lgo",
        "organisations": [LGO, OBEC_SCHOOL],
    }
    assert accounts["cdc"]["organisations"] == [CDC]
    assert body["academic_year"] == "2568" and body["term"] == "2"


def test_demo_seed_has_valid_students(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path)) as seeded:
        rows = state(seeded)["students"]
        assert len(rows) == 2
        assert set(rows[0]) == {"id", "school_code", "created_at", "updated_at", *contract_keys()}
        login(seeded, "school")
        for row in rows:  # the seed passes the mock's own validation
            form = seeded.get("/student/form.do", params={"id": row["id"]})
            assert form.status_code == 200
            values = {k: row[k] for k in contract_keys()}
            assert saved(save(seeded, values, student_id=row["id"]))


def test_request_counts_by_route(client: TestClient) -> None:
    login(client, "school")
    client.get("/student/list.do")
    client.get("/student/list.do", params={"page": 2})
    counts = state(client)["requests"]
    assert counts["GET /index.jsp"] == 1
    assert counts["POST /login.do"] == 1
    assert counts["GET /school/home.do"] == 1
    assert counts["GET /student/list.do"] == 2


def test_reset_restores_the_seed_and_clears_faults_and_counts(client: TestClient) -> None:
    login(client, "school")
    save(client, student())
    client.post("/_mock/faults", json={"latency_ms": 5})
    assert client.post("/_mock/reset").json() == {"ok": True}
    body = state(client)
    assert body["students"] == []
    assert body["requests"] == {"GET /_mock/state": 1}  # counting starts again at the reset
    assert client.get("/_mock/faults").json()["latency_ms"] == 0
    assert client.get("/school/home.do").url.query == b"expired=1"


def test_fault_settings_round_trip(client: TestClient) -> None:
    setting = {
        "latency_ms": 120,
        "jitter_ms": 30,
        "error_rate": 0.25,
        "session_ttl_requests": 7,
        "seed": 42,
        "save_redirects": True,
        "trickle_ms": 50,
        "report_drops": ["room"],
        "school_rows_unmarked": True,
        "answer_delay_ms": {"POST /school/confirm.do": 2000},
        "request_delay_ms": {"POST /lgo/confirm.do": 1500},
        "gateway_timeout": {"POST /school/confirm.do": "handled"},
        "down_for_s": 0.5,
        "down_from_request": 3,
        "down_mode": "refuse",
        "slow_ms": {"/student/list.do": 2500},
        "lost_answer_rate": {"POST /student/save.do": 0.5},
        "rename_labels": {"ชื่อ": "ชื่อจริง"},
    }
    assert client.post("/_mock/faults", json=setting).json() == setting
    assert client.get("/_mock/faults").json() == setting
    assert client.post("/_mock/faults", json={}).json()["error_rate"] == 0


@pytest.mark.parametrize(
    "body",
    [
        {"error_rate": 2},
        {"latency_ms": -1},
        {"trickle_ms": -5},
        {"bogus": 1},
        {"session_ttl_requests": "x"},
        {"save_redirects": "yes"},
        {"answer_delay_ms": {"POST /school/confirm.do": -1}},
        {"request_delay_ms": ["POST /school/confirm.do"]},
        {"gateway_timeout": {"POST /school/confirm.do": "maybe"}},
        {"down_for_s": -1},
        {"down_from_request": 0},
        {"down_from_request": True},
        {"down_mode": "slow"},
        {"slow_ms": {"GET /student/list.do": "3s"}},
        {"lost_answer_rate": 1.5},
        {"lost_answer_rate": {"POST /student/save.do": -0.1}},
        {"lost_answer_rate": "all"},
        {"rename_labels": ["ชื่อ", "ชื่อจริง"]},
        {"rename_labels": {"ชื่อ": ""}},
        {"rename_labels": {" ": "ชื่อจริง"}},
        {"rename_labels": {"ชื่อ": 5}},
        {"rename_labels": {"ชื่อ": " ชื่อ "}},
        [1],
    ],
)
def test_bad_fault_settings_are_refused(client: TestClient, body: object) -> None:
    response = client.post("/_mock/faults", json=body)
    assert response.status_code == 400 and response.json()["error"]


def test_a_gateway_timeout_answers_504_after_the_portal_handled_the_request_or_not(
    client: TestClient,
) -> None:
    login(client, "school")
    home = client.get("/school/home.do")
    token = token_of(home.text)
    client.post("/_mock/faults", json={"gateway_timeout": {"POST /school/confirm.do": "lost"}})
    lost = client.post("/school/confirm.do", data={"urlToken": token})
    assert lost.status_code == 504
    assert not any(s["confirmed"] for s in state(client)["schools"])
    client.post("/_mock/faults", json={"gateway_timeout": {"POST /school/confirm.do": "handled"}})
    handled = client.post("/school/confirm.do", data={"urlToken": token})
    assert handled.status_code == 504
    assert [s["confirmed"] for s in state(client)["schools"] if s["code"] == "3040010002"] == [True]
    assert state(client)["requests"]["POST /school/confirm.do"] == 2


def test_error_rate_one_fails_every_form_post_and_stores_nothing(client: TestClient) -> None:
    login(client, "school")
    form = client.get("/student/form.do")
    client.post("/_mock/faults", json={"error_rate": 1.0})
    data = {**student(), "urlToken": token_of(form.text)}
    failed = client.post("/student/save.do", data=data)
    assert failed.status_code == 500 and "ระบบขัดข้อง" in failed.text
    assert state(client)["students"] == []
    assert client.get("/student/list.do").status_code == 200  # GETs are not failed
    client.post("/_mock/faults", json={})
    assert saved(client.post("/student/save.do", data=data))  # token unspent


def test_session_ttl_drops_the_session_after_n_requests(client: TestClient) -> None:
    client.post("/_mock/faults", json={"session_ttl_requests": 3})
    login(client, "school")  # the redirect to home.do is request 1
    assert client.get("/student/list.do").url.path == "/student/list.do"
    assert client.get("/student/form.do").url.path == "/student/form.do"
    assert client.get("/student/list.do").url.query == b"expired=1"


def test_trickle_sends_a_page_in_two_halves_the_second_later(tmp_path: Path) -> None:
    with (
        serve_in_thread(create_app(tmp_path, seed=False)) as served,
        httpx.Client(base_url=served.url) as client,
    ):
        client.post("/_mock/faults", json={"trickle_ms": 300})
        with client.stream("GET", "/index.jsp") as response:
            chunks = [(time.monotonic(), chunk) for chunk in response.iter_raw()]
            length = int(response.headers["content-length"])
        state_type = client.get("/_mock/state").headers["content-type"]
    page = b"".join(chunk for _, chunk in chunks)
    assert len(page) == length and page.rstrip().endswith(b"</html>")
    first_at, first = chunks[0]
    assert len(first) == length // 2
    # The second half waited for the server; the first half may itself reach us a little late.
    assert chunks[-1][0] - first_at >= 0.2
    assert state_type.startswith("application/json")  # the test surface is never split


def test_state_survives_recreating_the_app(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path, seed=False)) as first:
        login(first, "school")
        save(first, student())
    with TestClient(create_app(tmp_path, seed=False)) as second:
        [row] = state(second)["students"]
        assert row["first_name"] == "ปิยะดา"
        assert second.get("/school/home.do").url.query == b"expired=1"  # sessions do not


def test_a_thread_keeps_its_connection_and_sees_the_others_writes(tmp_path: Path) -> None:
    db = Database(tmp_path)
    with db.connect() as first, db.connect() as again:
        assert first is again  # opening one per call was most of a page's CPU
    seen: list[object] = []

    def in_another_thread() -> None:
        with db.connect() as conn:
            seen.append(conn)
        db.set_meta("term", "2")  # committed when the call returns

    worker = threading.Thread(target=in_another_thread)
    worker.start()
    worker.join()
    assert seen and seen[0] is not first  # sqlite3 connections stay in their thread
    assert db.get_meta("term") == "2"


def test_a_failed_call_rolls_back_and_leaves_the_connection_usable(tmp_path: Path) -> None:
    db = Database(tmp_path)
    with pytest.raises(RuntimeError), db.connect() as conn:
        conn.execute("INSERT INTO meta VALUES ('term', '1')")
        raise RuntimeError("a handler broke mid-call")
    assert db.get_meta("term") is None
    db.set_meta("term", "1")
    assert db.get_meta("term") == "1"


def test_real_server_in_a_thread(tmp_path: Path) -> None:
    with (
        serve_in_thread(create_app(tmp_path, seed=False)) as served,
        httpx.Client(base_url=served.url, follow_redirects=True) as browser,
    ):
        home = login(browser, "cdc")
        assert home.url.path == "/school/home.do"
        assert saved(save(browser, student(grade="อนุบาล 1")))
        assert len(state(browser)["students"]) == 1
