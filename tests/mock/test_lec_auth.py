"""Login with urlToken, org picker, idle expiry and logout of the mock LEC."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.mock.conftest import FakeClock
from tests.mock.helpers import LGO, OBEC_SCHOOL, login, pick_org, token_of


def test_root_redirects_to_login_page(client: TestClient) -> None:
    page = client.get("/")
    assert page.url.path == "/index.jsp"
    assert 'action="/login.do"' in page.text
    assert 'name="cmd" value="doLogin"' in page.text
    assert '<label for="exampleInputEmail">ชื่อผู้ใช้</label>' in page.text
    assert '<label for="exampleInputPassword">รหัสผ่าน</label>' in page.text


def test_good_login_sets_httponly_session_cookie(client: TestClient) -> None:
    home = login(client, "school")
    assert home.url.path == "/school/home.do"
    assert "โรงเรียนเทศบาลบ้านเป็ด" in home.text
    assert "3040010002" in home.text
    assert "ออกจากระบบ" in home.text
    assert "ปีการศึกษา 2568 ภาคเรียนที่ 2" in home.text
    set_cookie = home.history[0].headers["set-cookie"]
    assert set_cookie.startswith("JSESSIONID=") and "HttpOnly" in set_cookie


def test_home_links_the_three_areas(client: TestClient) -> None:
    home = login(client, "cdc")
    for href, text in [
        ("/school/basic.do", "ข้อมูลพื้นฐานโรงเรียน/ศูนย์เด็กฯ"),
        ("/student/list.do", "ฐานข้อมูลนักเรียน/เด็กเล็ก"),
        ("/building/list.do", "ฐานข้อมูลอาคารสถานที่"),
    ]:
        assert f'<a href="{href}">{text}</a>' in home.text
        assert client.get(href).status_code == 200


def test_bad_password_shows_thai_error(client: TestClient) -> None:
    page = login(client, "school", "wrong")
    assert page.url.path == "/login.do"
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in page.text
    assert "JSESSIONID" not in client.cookies


def test_missing_token_is_refused(client: TestClient) -> None:
    data = {"cmd": "doLogin", "login": "school", "password": "demo"}
    page = client.post("/login.do", data=data)
    assert "urlToken ไม่ถูกต้อง หรือหมดอายุ" in page.text
    assert "JSESSIONID" not in client.cookies


def test_replayed_token_is_refused(client: TestClient) -> None:
    token = token_of(client.get("/index.jsp").text)
    data = {"cmd": "doLogin", "urlToken": token, "login": "school", "password": "demo"}
    assert client.post("/login.do", data=data).url.path == "/school/home.do"
    client.cookies.clear()
    replay = client.post("/login.do", data=data)
    assert "urlToken ไม่ถูกต้อง หรือหมดอายุ" in replay.text
    assert "JSESSIONID" not in client.cookies


def test_stale_token_is_refused(client: TestClient, clock: FakeClock) -> None:
    token = token_of(client.get("/index.jsp").text)
    clock.advance(601)
    data = {"cmd": "doLogin", "urlToken": token, "login": "school", "password": "demo"}
    assert "urlToken ไม่ถูกต้อง หรือหมดอายุ" in client.post("/login.do", data=data).text


def test_multi_org_account_picks_an_organisation(client: TestClient) -> None:
    picker = login(client, "lgo")
    assert "<title>เลือกสังกัดในการใช้ระบบ</title>" in picker.text
    assert '<label for="orgId">สังกัด</label>' in picker.text
    assert 'name="cmd" value="doSetNode"' in picker.text
    assert ">ตกลง</button>" in picker.text
    # Before choosing, protected pages send the user back to the picker.
    assert client.get("/student/list.do").url.query == b"cmd=selectNode"
    home = pick_org(client, LGO)
    assert home.url.path == "/school/home.do"
    for name in ("ศูนย์พัฒนาเด็กเล็กเทศบาลตำบลบ้านเป็ด", "โรงเรียนเทศบาลบ้านเป็ด"):
        assert name in home.text
    assert client.get("/student/list.do").status_code == 403


def test_lgo_account_may_enter_the_obec_school(client: TestClient) -> None:
    login(client, "lgo")
    home = pick_org(client, OBEC_SCHOOL)
    assert "โรงเรียนบ้านหนองไผ่ (สพฐ.)" in home.text
    assert client.get("/student/list.do").status_code == 200


def test_org_picker_refuses_a_foreign_organisation(client: TestClient) -> None:
    login(client, "lgo")
    page = pick_org(client, "3040010002")
    assert "กรุณาเลือกสังกัด" in page.text
    assert client.get("/school/home.do").url.query == b"cmd=selectNode"


def test_protected_page_without_session_redirects_to_expired(client: TestClient) -> None:
    page = client.get("/student/list.do")
    assert page.url.path == "/index.jsp" and page.url.query == b"expired=1"
    assert "หมดเวลาการใช้งาน กรุณาเข้าสู่ระบบใหม่" in page.text


def test_idle_session_expires(client: TestClient, clock: FakeClock) -> None:
    login(client, "school")
    clock.advance(599)
    assert client.get("/student/list.do").url.path == "/student/list.do"
    clock.advance(599)  # activity above reset the idle timer
    assert client.get("/student/list.do").url.path == "/student/list.do"
    clock.advance(601)
    assert "หมดเวลาการใช้งาน" in client.get("/student/list.do").text


def test_session_expire_endpoint_drops_every_session(
    client: TestClient, other_client: TestClient
) -> None:
    login(client, "school")
    login(other_client, "cdc")
    assert client.post("/_mock/session-expire").json() == {"ok": True}
    assert client.get("/school/home.do").url.query == b"expired=1"
    assert other_client.get("/school/home.do").url.query == b"expired=1"


def test_logout_ends_the_session(client: TestClient) -> None:
    login(client, "school")
    cookie = client.cookies["JSESSIONID"]
    assert client.get("/logout.do").url.path == "/index.jsp"
    client.cookies.set("JSESSIONID", cookie)
    assert client.get("/school/home.do").url.query == b"expired=1"


def test_unknown_command_is_refused(client: TestClient) -> None:
    assert client.post("/login.do", data={"cmd": "doNothing"}).status_code == 400
