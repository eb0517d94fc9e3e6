"""The mock LEC misbehaving as a busy portal: an outage window (503 or connections closed
unanswered), slow pages, and saves that are stored but whose answer is lost."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from mock_portals.lec.app import create_app
from mock_portals.lec.faults import ConnectionDroppedError
from mock_portals.lec.seed import ROUND_OPENS
from mock_portals.serve import ServedApp, serve_in_thread
from tests.mock.conftest import FakeCalendar, FakeClock
from tests.mock.fw_helpers import form_data, fw_login
from tests.mock.helpers import login, save, saved, state, student, token_of


@pytest.fixture
def served(app: Starlette) -> Iterator[ServedApp]:
    """The conftest's app (fake clock, seed's round) behind a real uvicorn on loopback."""
    with serve_in_thread(app) as running:
        yield running


def _faults(client: httpx.Client | TestClient, **setting: object) -> None:
    response = client.post("/_mock/faults", json=setting)
    assert response.status_code == 200, response.text


def test_an_outage_answers_503_from_its_request_until_the_window_ends(
    client: TestClient, clock: FakeClock
) -> None:
    _faults(client, down_for_s=30, down_from_request=2)
    assert client.get("/index.jsp").status_code == 200  # request 1: still up
    down = client.get("/index.jsp")
    assert down.status_code == 503 and "Service Unavailable" in down.text
    clock.advance(29)
    assert client.post("/login.do", data={"cmd": "doLogin"}).status_code == 503
    assert client.get("/_mock/state").status_code == 200  # the test surface stays up
    clock.advance(1)
    assert client.get("/index.jsp").status_code == 200  # the window is over
    counts = state(client)["requests"]
    assert counts["GET /index.jsp"] == 3 and counts["POST /login.do"] == 1


def test_an_outage_without_a_start_begins_at_once_and_stores_nothing(
    client: TestClient, clock: FakeClock
) -> None:
    login(client, "school")
    form = client.get("/student/form.do")
    _faults(client, down_for_s=5)
    data = {**student(), "urlToken": token_of(form.text)}
    assert client.post("/student/save.do", data=data).status_code == 503
    assert state(client)["students"] == []
    clock.advance(5)
    assert saved(client.post("/student/save.do", data=data))  # the form's token is unspent


def test_a_refusing_outage_closes_connections_unanswered_then_recovers(
    served: ServedApp, clock: FakeClock
) -> None:
    with httpx.Client(base_url=served.url) as client:
        _faults(client, down_for_s=10, down_mode="refuse")
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            client.get("/index.jsp")
        with pytest.raises(httpx.RemoteProtocolError):
            client.get("/index.jsp")
        clock.advance(10)
        assert client.get("/index.jsp").status_code == 200
        assert state(client)["requests"]["GET /index.jsp"] == 3


def test_a_refusing_outage_raises_into_an_in_process_client(client: TestClient) -> None:
    _faults(client, down_for_s=10, down_mode="refuse")
    with pytest.raises(ConnectionDroppedError):
        client.get("/index.jsp")


def test_a_lost_answer_is_stored_but_the_client_sees_the_connection_close(
    served: ServedApp,
) -> None:
    with httpx.Client(base_url=served.url, follow_redirects=True) as client:
        login(client, "school")
        _faults(client, lost_answer_rate={"POST /student/save.do": 1.0})
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            save(client, student())
        [row] = state(client)["students"]
        assert row["first_name"] == "ปิยะดา"  # handled and committed before the drop
        assert client.get("/student/list.do").status_code == 200  # GETs are answered
        _faults(client)
        again = save(client, student())
        assert again.status_code == 200 and "เลขประจำตัวประชาชนนี้มีอยู่แล้ว" in again.text


def test_a_fault_may_name_a_framework_command_and_spares_the_others(fw: TestClient) -> None:
    """On the framework rendering the form, the list and the save share one URL; a fault
    named with `?cmd=doSave` loses the saves' answers only."""
    fw_login(fw, "school")
    _faults(fw, lost_answer_rate={"POST /student/student.do?cmd=doSave": 1.0})
    opened = fw.post("/student/student.do", data={"cmd": "goCreate"})
    assert opened.status_code == 200 and "formData.nationalId" in opened.text
    with pytest.raises(ConnectionDroppedError):
        fw.post("/student/student.do", data={"cmd": "doSave", **form_data(student())})
    [row] = state(fw)["students"]
    assert row["first_name"] == "ปิยะดา"  # the body read for its command reached the app whole
    _faults(fw, slow_ms={"POST /student/student.do?cmd=goUpdate": 10}, lost_answer_rate=0.0)
    assert fw.post("/student/student.do", data={"cmd": "list"}).status_code == 200


def test_lost_answer_rate_as_a_share_of_posts_with_a_seed(client: TestClient) -> None:
    login(client, "school")
    _faults(client, lost_answer_rate=1.0)
    assert client.get("/student/form.do").status_code == 200  # a number applies to POSTs only
    with pytest.raises(ConnectionDroppedError):
        save(client, student())
    assert len(state(client)["students"]) == 1
    _faults(client, lost_answer_rate=0.5, seed=7)
    outcomes = []
    for n in range(12):
        try:
            save(client, student(national_id=f"G{n:012d}"))
            outcomes.append("answered")
        except ConnectionDroppedError:
            outcomes.append("lost")
    assert {"answered", "lost"} == set(outcomes)
    assert len(state(client)["students"]) == 13  # every save stored, answered or not


def test_a_slow_page_arrives_late_and_other_pages_do_not(
    tmp_path: Path, clock: FakeClock, calendar: FakeCalendar
) -> None:
    app = create_app(tmp_path, seed=False, clock=clock, today=calendar, round_opens=ROUND_OPENS)
    with serve_in_thread(app) as running, httpx.Client(base_url=running.url) as client:
        _faults(client, slow_ms={"/index.jsp": 400, "POST /login.do": 300})
        started = time.monotonic()
        assert client.get("/index.jsp").status_code == 200
        slow = time.monotonic() - started
        started = time.monotonic()
        assert client.get("/login.do").status_code == 303  # GET, not the slowed POST
        fast = time.monotonic() - started
        started = time.monotonic()
        client.post("/login.do", data={"cmd": "doLogin", "login": "x", "password": "y"})
        posted = time.monotonic() - started
    assert slow >= 0.4 and fast < 0.3 and posted >= 0.3
