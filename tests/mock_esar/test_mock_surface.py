from __future__ import annotations

import re
from pathlib import Path

import httpx
from starlette.testclient import TestClient

from mock_portals.esar import create_app
from mock_portals.serve import serve_in_thread
from tests.mock_esar.conftest import YEARS, csrf_of, login, pdf_bytes, slot_form, upload


def test_state_lists_accounts_schools_and_counts_requests(client: TestClient) -> None:
    login(client)
    state = client.get("/_mock/state").json()
    assert {a["username"] for a in state["accounts"]} == {"qa", "3040010001", "3040010002"}
    assert all("password" not in str(a) for a in state["accounts"])
    levels = {s["code"]: s["levels"] for s in state["schools"]}
    assert levels == {"3040010001": ["ปฐมวัย"], "3040010002": ["ปฐมวัย", "ขั้นพื้นฐาน"]}
    assert state["requests"] == {"GET /": 1, "POST /login": 1, "GET /upload": 1}


def test_faults_round_trip_and_reject_unknown_keys(client: TestClient) -> None:
    sent = {
        "latency_ms": 5,
        "jitter_ms": 2,
        "error_rate": 0.25,
        "session_ttl_requests": 9,
        "seed": 7,
        "submitted_label": "ส่งรายงานแล้ว",
    }
    assert client.post("/_mock/faults", json=sent).json() == sent
    assert client.get("/_mock/faults").json() == sent
    assert client.post("/_mock/faults", json={"latency_ms": 0}).json()["error_rate"] == 0.25
    assert client.post("/_mock/faults", json={"eror_rate": 1}).status_code == 400
    assert client.post("/_mock/faults", json={"error_rate": 2}).status_code == 400


def test_error_rate_one_fails_form_posts_before_anything_is_stored(client: TestClient) -> None:
    token = login(client)
    client.post("/_mock/faults", json={"error_rate": 1})
    page = upload(client, token, pdf_bytes())
    assert page.status_code == 500
    assert "role='alert'>เกิดข้อผิดพลาดภายในระบบ (500)" in page.text
    assert client.get("/status").status_code == 200  # reads still work
    assert client.get("/_mock/state").json()["submissions"] == []


def test_reset_forgets_uploads_sessions_and_faults(client: TestClient) -> None:
    token = login(client)
    upload(client, token, pdf_bytes())
    client.post("/_mock/faults", json={"latency_ms": 1})
    assert client.post("/_mock/reset").json() == {"ok": True}
    state = client.get("/_mock/state").json()
    assert state["submissions"] == [] and state["requests"] == {}
    assert len(state["accounts"]) == 3
    assert client.get("/_mock/faults").json()["latency_ms"] == 0
    assert client.get("/upload").url.path == "/"


def test_state_survives_recreating_the_app_on_the_same_folder(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path, academic_years=YEARS)) as client:
        token = login(client)
        upload(client, token, pdf_bytes())
        client.post("/submit", data=slot_form(token))
    with TestClient(create_app(tmp_path, academic_years=YEARS)) as client:
        [stored] = client.get("/_mock/state").json()["submissions"]
        assert stored["status"] == "submitted"
        login(client)
        assert "ส่งแล้ว" in client.get("/status").text


def test_unseeded_app_has_no_accounts(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path, seed=False)) as client:
        assert client.get("/_mock/state").json()["accounts"] == []


def test_served_over_http_on_loopback(tmp_path: Path) -> None:
    with (
        serve_in_thread(create_app(tmp_path, academic_years=YEARS)) as served,
        httpx.Client(base_url=served.url, follow_redirects=True) as http,
    ):
        token = csrf_of(http.get("/").text)
        page = http.post("/login", data={"username": "qa", "password": "demo", "csrf_token": token})
        token = csrf_of(page.text)
        files = {"sar_file": ("sar.pdf", pdf_bytes(), "application/pdf")}
        assert http.post("/upload", data=slot_form(token), files=files).url.path == "/draft"
        page = http.post("/submit", data=slot_form(token))
        assert re.search(r"ส่งรายงาน SAR เรียบร้อยแล้ว", page.text)
        assert http.get("/_mock/state").json()["submissions"][0]["status"] == "submitted"
