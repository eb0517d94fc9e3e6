from __future__ import annotations

import hashlib

from starlette.testclient import TestClient

from tests.mock_esar.conftest import CENTRE, EARLY, login, pdf_bytes, slot_form, upload


def test_good_pdf_becomes_a_draft_with_name_size_and_a_guarded_submit(client: TestClient) -> None:
    data = pdf_bytes()
    page = upload(client, login(client), data, name="SAR-2567.pdf")
    assert page.status_code == 200
    assert page.url.path == "/draft"
    assert "อัปโหลดไฟล์เรียบร้อยแล้ว (ฉบับร่าง)" in page.text
    assert "SAR-2567.pdf" in page.text
    assert f"{len(data):,} ไบต์" in page.text
    assert ">ยืนยันการส่ง</button>" in page.text
    confirm = 'data-confirm="ยืนยันการส่งรายงาน SAR ของ โรงเรียนเทศบาลบ้านเป็ด ปีการศึกษา 2567'
    assert confirm in page.text


def test_stored_file_and_sha256_equal_the_uploaded_bytes(client: TestClient, app: object) -> None:
    data = pdf_bytes(3)
    upload(client, login(client), data)
    [stored] = client.get("/_mock/state").json()["submissions"]
    assert stored["status"] == "draft"
    assert stored["size"] == len(data)
    assert stored["sha256"] == hashlib.sha256(data).hexdigest()
    portal = client.app.state.portal  # type: ignore[attr-defined]
    assert portal.store.file_path(stored["sha256"]).read_bytes() == data


def test_text_file_named_pdf_is_refused_by_its_content(client: TestClient) -> None:
    page = upload(client, login(client), b"just some notes\n" * 10, name="sar.pdf")
    assert page.status_code == 415
    assert "ไฟล์นี้ไม่ใช่ไฟล์ PDF ที่ถูกต้อง" in page.text
    assert client.get("/_mock/state").json()["submissions"] == []


def test_pdf_header_without_a_pdf_structure_is_refused(client: TestClient) -> None:
    page = upload(client, login(client), b"%PDF-1.7\nnothing else")
    assert page.status_code == 415


def test_wrong_content_type_is_refused(client: TestClient) -> None:
    page = upload(client, login(client), pdf_bytes(), name="sar.docx", content_type="text/plain")
    assert page.status_code == 415
    assert "ชนิดไฟล์ไม่ถูกต้อง ต้องเป็นไฟล์ PDF (application/pdf) เท่านั้น" in page.text


def test_oversize_file_is_refused_with_the_limit_in_mb(client: TestClient) -> None:
    too_big = pdf_bytes() + b"%" + b"x" * (70 * 1024)  # fixture limit: 64 KiB
    page = upload(client, login(client), too_big)
    assert page.status_code == 413
    assert "ไฟล์มีขนาดเกิน 0.06 MB" in page.text
    assert client.get("/_mock/state").json()["submissions"] == []


def test_level_the_school_does_not_offer_is_refused(client: TestClient) -> None:
    page = upload(client, login(client), pdf_bytes(), code=CENTRE)  # the centre: ปฐมวัย only
    assert page.status_code == 400
    assert "ศูนย์พัฒนาเด็กเล็กเทศบาลตำบลบ้านเป็ด ไม่มีการจัดการศึกษาระดับขั้นพื้นฐาน" in page.text
    assert upload(client, login(client), pdf_bytes(), code=CENTRE, level=EARLY).status_code == 200


def test_missing_fields_are_all_reported_in_one_alert(client: TestClient) -> None:
    token = login(client)
    page = client.post("/upload", data={"csrf_token": token}, files={"x": ("", b"", "text/plain")})
    assert page.status_code == 400
    alert = page.text.split('role="alert"')[1].split("</div>")[0]
    for message in (
        "กรุณาเลือกสถานศึกษา",
        "กรุณาเลือกปีการศึกษา",
        "กรุณาเลือกระดับการศึกษา",
        "กรุณาเลือกไฟล์รายงาน SAR (PDF)",
    ):
        assert message in alert


def test_a_school_account_cannot_upload_for_another_school(client: TestClient) -> None:
    page = upload(client, login(client, CENTRE), pdf_bytes(), level=EARLY)
    assert page.status_code == 403
    assert "คุณไม่มีสิทธิ์ส่งรายงานของสถานศึกษานี้" in page.text


def test_upload_without_the_csrf_token_is_refused(client: TestClient) -> None:
    login(client)
    files = {"sar_file": ("sar.pdf", pdf_bytes(), "application/pdf")}
    page = client.post("/upload", data=slot_form("forged"), files=files)
    assert page.status_code == 400
    assert client.get("/_mock/state").json()["submissions"] == []
