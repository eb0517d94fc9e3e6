"""The `rename_labels` fault: a label's visible text changed in both markups, nothing else."""

from __future__ import annotations

import warnings

from mock_portals.lec.label_renames import rename_labels
from tests.mock.fw_helpers import fw_login
from tests.mock.helpers import login

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

RENAME = {"rename_labels": {"ชื่อ": "ชื่อจริง"}}


def test_accessible_markup_shows_the_new_label_text_on_the_same_field(client: TestClient) -> None:
    assert client.post("/_mock/faults", json=RENAME).status_code == 200
    login(client, "school")
    html = client.get("/student/form.do").text
    assert '<label for="first_name">ชื่อจริง</label>' in html
    assert '<label for="first_name">ชื่อ</label>' not in html
    assert 'id="first_name" name="first_name"' in html  # the field itself is unchanged
    assert '<label for="last_name">นามสกุล</label>' in html  # other labels untouched
    assert '<label for="father_first_name">ชื่อบิดา</label>' in html  # only the whole text


def test_framework_markup_shows_the_new_label_text_beside_the_same_field(fw: TestClient) -> None:
    assert fw.post("/_mock/faults", json=RENAME).status_code == 200
    fw_login(fw, "school")
    html = fw.post("/student/student.do", data={"cmd": "goCreate"}).text
    assert "<label> ชื่อจริง: </label>" in html
    assert "<label> ชื่อ: </label>" not in html
    assert 'name="formData.firstName"' in html
    assert "<label> ชื่อบิดา: </label>" in html


def test_a_label_on_the_login_page_is_renamed_too(client: TestClient) -> None:
    client.post("/_mock/faults", json={"rename_labels": {"ชื่อผู้ใช้": "User ID"}})
    html = client.get("/index.jsp").text
    assert '<label for="exampleInputEmail">User ID</label>' in html
    assert ">ชื่อผู้ใช้</label>" not in html


def test_clearing_the_faults_or_a_reset_brings_the_old_text_back(client: TestClient) -> None:
    login(client, "school")
    client.post("/_mock/faults", json=RENAME)
    assert ">ชื่อจริง</label>" in client.get("/student/form.do").text
    client.post("/_mock/faults", json={})
    assert '<label for="first_name">ชื่อ</label>' in client.get("/student/form.do").text
    client.post("/_mock/faults", json=RENAME)
    client.post("/_mock/reset")
    assert client.get("/_mock/faults").json()["rename_labels"] == {}


def test_the_new_text_is_escaped_and_labels_wrapping_elements_are_left_alone() -> None:
    page = '<label for="a">ชื่อ</label><label> ชื่อ: </label><label><input type="checkbox"> ชื่อ</label>'
    renamed = rename_labels(page, {"ชื่อ": "ชื่อ <และ> สกุล"})
    assert renamed == (
        '<label for="a">ชื่อ &lt;และ&gt; สกุล</label><label> ชื่อ &lt;และ&gt; สกุล: </label>'
        '<label><input type="checkbox"> ชื่อ</label>'
    )
