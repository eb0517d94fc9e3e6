from __future__ import annotations

import hashlib
import re

from starlette.testclient import TestClient

from tests.mock_esar.conftest import login, pdf_bytes, slot_form, upload

ROW = "status-3040010002-2567-ขั้นพื้นฐาน"


def _row(html: str, testid: str = ROW) -> str:
    return html.split(f'data-testid="{testid}"')[1].split("</tr>")[0]


def _cells(row_html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row_html, re.S)
    ]


def test_status_lists_every_school_year_and_offered_level(client: TestClient) -> None:
    login(client)
    page = client.get("/status")
    assert "<h1>สถานะการส่งรายงาน</h1>" in page.text
    rows = re.findall(r'data-testid="(status-[^"]+)"', page.text)
    assert len(rows) == 4 * 1 + 4 * 2  # the centre: 1 level; the school: 2; four years
    assert "status-3040010001-2567-ขั้นพื้นฐาน" not in rows
    assert _cells(_row(page.text))[3] == "ยังไม่ส่ง"


def test_submit_marks_the_slot_sent_with_time_name_and_size(client: TestClient) -> None:
    token = login(client)
    data = pdf_bytes()
    upload(client, token, data, name="sar-2567.pdf")
    assert _cells(_row(client.get("/status").text))[3] == "ฉบับร่าง"
    page = client.post("/submit", data=slot_form(token))
    assert page.url.path == "/status"
    assert 'role="status">ส่งรายงาน SAR เรียบร้อยแล้ว เมื่อ' in page.text
    _school, year, level, status, sent, name, size = _cells(_row(page.text))[:7]
    assert (year, level, status, name, size) == (
        "2567",
        "ขั้นพื้นฐาน",
        "ส่งแล้ว",
        "sar-2567.pdf",
        str(len(data)),
    )
    assert re.fullmatch(r"\d{1,2} \S+ 25\d\d \d\d:\d\d:\d\d น\.", sent)
    [stored] = client.get("/_mock/state").json()["submissions"]
    assert stored["status"] == "submitted" and stored["submitted_at"]


def test_submitting_twice_reports_the_first_submission(client: TestClient) -> None:
    token = login(client)
    upload(client, token, pdf_bytes())
    client.post("/submit", data=slot_form(token))
    page = client.post("/submit", data=slot_form(token))
    assert "รายงานนี้ส่งแล้วเมื่อ" in page.text


def test_submit_without_a_draft_is_refused(client: TestClient) -> None:
    page = client.post("/submit", data=slot_form(login(client)))
    assert "ยังไม่มีไฟล์ฉบับร่างสำหรับส่ง" in page.text


def test_upload_over_a_submitted_report_needs_the_replace_action(client: TestClient) -> None:
    token = login(client)
    upload(client, token, pdf_bytes())
    client.post("/submit", data=slot_form(token))
    page = upload(client, token, pdf_bytes(2))
    assert page.status_code == 409
    assert "ส่งรายงานแล้ว หากต้องการแก้ไขให้ใช้เมนูขอแก้ไขไฟล์" in page.text


def test_replace_flow_guards_uploads_and_keeps_the_old_file_in_history(client: TestClient) -> None:
    token = login(client)
    first, second = pdf_bytes(1), pdf_bytes(2)
    upload(client, token, first)
    client.post("/submit", data=slot_form(token))
    status = client.get("/status").text
    assert ">ขอแก้ไขไฟล์</button>" in _row(status)
    assert 'data-confirm="ขอแก้ไขไฟล์รายงาน SAR ที่ส่งแล้วของ โรงเรียนเทศบาลบ้านเป็ด' in _row(status)

    page = client.post("/replace", data=slot_form(token))
    assert page.url.path == "/upload"
    assert "เปิดให้แก้ไขไฟล์แล้ว" in page.text
    assert "อยู่ระหว่างขอแก้ไขไฟล์" in _row(client.get("/status").text)

    assert upload(client, token, second).url.path == "/draft"
    client.post("/submit", data=slot_form(token))
    state = client.get("/_mock/state").json()
    [stored] = state["submissions"]
    assert stored["status"] == "submitted"
    assert stored["sha256"] == hashlib.sha256(second).hexdigest()
    assert [h["sha256"] for h in state["history"]] == [hashlib.sha256(first).hexdigest()]
    assert upload(client, token, first).status_code == 409  # the replace right was used up


def test_replace_of_an_unsent_slot_is_refused(client: TestClient) -> None:
    page = client.post("/replace", data=slot_form(login(client)))
    assert 'role="alert">ขอแก้ไขไฟล์ได้เฉพาะรายงานที่ส่งแล้ว' in page.text
