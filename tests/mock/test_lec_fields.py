"""The student form against the binding contract docs/student-fields.md, read independently."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from tests.mock.helpers import login, parse_form

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "student-fields.md"
PERSONS = {"father": "บิดา", "mother": "มารดา", "guardian": "ผู้ปกครอง"}
ADDRESSES = {"reg": "ตามทะเบียนบ้าน", "cur": "ที่อยู่ปัจจุบัน"}


def contract_rows() -> list[tuple[str, str, str, bool]]:
    """(key, form label, form control, required) for every field, placeholders expanded."""
    rows: list[tuple[str, str, str, bool]] = []
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 7 or cells[0] in ("key", "---") or set(cells[0]) <= {"-"}:
            continue
        key, label, control, required = cells[0], cells[4], cells[5], cells[6]
        rows.extend(_expand(key, label, control, required))
    return rows


def _expand(key: str, label: str, control: str, required: str) -> list[tuple[str, str, str, bool]]:
    # The required column reads "yes…", "no", or "<which>: yes" for one person or address.
    def needed(which: str) -> bool:
        return required.startswith("yes") or required == f"{which}: yes"

    if "{p}" in key:
        return [
            (key.replace("{p}", p), label.replace("{P}", thai), control, needed(p))
            for p, thai in PERSONS.items()
        ]
    if "{a}" in key:
        return [
            (key.replace("{a}", a), label.replace("{A}", thai), control, needed(a))
            for a, thai in ADDRESSES.items()
        ]
    return [(key, label, control, needed(key))]


def contract_keys() -> list[str]:
    return [row[0] for row in contract_rows()]


def test_contract_is_read_completely() -> None:
    keys = contract_keys()
    assert len(keys) == 19 + 3 * 8 + 2 * 7
    assert "guardian_phone" in keys and "cur_postcode" in keys


def test_every_contract_field_has_its_exact_label_and_control(client: TestClient) -> None:
    login(client, "school")
    form = parse_form(client.get("/student/form.do").text)
    for key, label, control, _ in contract_rows():
        assert form.labels.get(key) == label, key
        tag = form.controls[key]
        assert tag["name"] == key
        if control.startswith("select:"):
            assert tag["tag"] == "select", key
            listed = [o.strip() for o in control.removeprefix("select:").split(",")]
            options = form.options[key]
            assert options[0] == "-- เลือก --"
            if key == "grade":  # "อนุบาล 1–3, ประถมศึกษาปีที่ 1–6, ..." are ranges
                assert len(options) == 1 + 3 + 6 + 6
                assert options[1] == "อนุบาล 1" and options[-1] == "มัธยมศึกษาปีที่ 6"
            else:
                assert options[1:] == listed, key
        else:
            assert tag["tag"] == "input" and tag["type"] == "text", key


def test_labels_are_unique_so_exact_label_lookup_finds_one_field(client: TestClient) -> None:
    login(client, "school")
    labels = list(parse_form(client.get("/student/form.do").text).labels.values())
    assert len(labels) == len(set(labels))


def test_required_marks_follow_the_contract(client: TestClient) -> None:
    login(client, "school")
    form = parse_form(client.get("/student/form.do").text)
    for key, _, _, required in contract_rows():
        assert (form.controls[key].get("aria-required") == "true") == required, key


def test_no_label_text_contains_the_required_star(client: TestClient) -> None:
    login(client, "school")
    html = client.get("/student/form.do").text
    assert not re.search(r"<label[^>]*>[^<]*\*", html)
