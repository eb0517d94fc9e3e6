from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from mock_portals.esar import create_app
from tests.mock_esar.conftest import YEARS, csrf_of, login


def test_login_page_has_labelled_fields_and_a_csrf_token(client: TestClient) -> None:
    page = client.get("/")
    assert '<label for="username">ชื่อผู้ใช้ (รหัสสถานศึกษา)</label>' in page.text
    assert '<label for="password">รหัสผ่าน</label>' in page.text
    assert ">เข้าสู่ระบบ</button>" in page.text
    assert csrf_of(page.text)


def test_login_without_the_page_token_is_refused(client: TestClient) -> None:
    client.get("/")
    page = client.post("/login", data={"username": "qa", "password": "demo", "csrf_token": "x"})
    assert page.status_code == 400
    assert 'role="alert">แบบฟอร์มหมดอายุหรือไม่ถูกต้อง' in page.text


def test_wrong_password_is_refused_and_the_username_kept(client: TestClient) -> None:
    token = csrf_of(client.get("/").text)
    form = {"username": "qa", "password": "nope", "csrf_token": token}
    page = client.post("/login", data=form)
    assert page.status_code == 401
    assert 'role="alert">ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง' in page.text
    assert 'value="qa"' in page.text


def test_qa_officer_lands_on_the_upload_page_with_both_schools(client: TestClient) -> None:
    login(client)
    page = client.get("/upload")
    assert '<label for="school_code">สถานศึกษา</label>' in page.text
    assert "3040010001 ศูนย์พัฒนาเด็กเล็กเทศบาลตำบลบ้านเป็ด" in page.text
    assert "3040010002 โรงเรียนเทศบาลบ้านเป็ด" in page.text
    assert '<label for="sar_file">ไฟล์รายงาน SAR (PDF)</label>' in page.text


def test_school_account_sees_only_its_own_school(client: TestClient) -> None:
    login(client, "3040010001")
    page = client.get("/upload")
    assert "สถานศึกษา: ศูนย์พัฒนาเด็กเล็กเทศบาลตำบลบ้านเป็ด (3040010001)" in page.text
    assert "โรงเรียนเทศบาลบ้านเป็ด (3040010002)" not in page.text


def test_pages_behind_login_send_a_stranger_to_the_login_page(client: TestClient) -> None:
    page = client.get("/status")
    assert page.url.path == "/"
    assert 'role="alert">กรุณาเข้าสู่ระบบ' in page.text


def test_idle_session_expires(tmp_path: Path) -> None:
    now = [0.0]
    app = create_app(tmp_path, idle_timeout_s=60, clock=lambda: now[0], academic_years=YEARS)
    with TestClient(app) as client:
        login(client)
        now[0] = 59
        assert client.get("/status").url.path == "/status"
        now[0] = 120
        page = client.get("/status")
        assert page.url.path == "/"
        assert "หมดเวลาการใช้งาน กรุณาเข้าสู่ระบบใหม่" in page.text


def test_logout_ends_the_session(client: TestClient) -> None:
    token = login(client)
    page = client.post("/logout", data={"csrf_token": token})
    assert 'role="status">ออกจากระบบเรียบร้อยแล้ว' in page.text
    assert client.get("/upload").url.path == "/"


def test_session_expire_endpoint_logs_everyone_out(client: TestClient) -> None:
    login(client)
    assert client.post("/_mock/session-expire").json() == {"ok": True}
    assert "หมดเวลาการใช้งาน" in client.get("/upload").text


def test_session_ttl_fault_ends_a_session_after_n_requests(client: TestClient) -> None:
    client.post("/_mock/faults", json={"session_ttl_requests": 3})
    login(client)  # the new session's first request: the redirect to /upload
    assert client.get("/status").url.path == "/status"
    assert client.get("/status").url.path == "/status"
    assert "หมดเวลาการใช้งาน" in client.get("/status").text
