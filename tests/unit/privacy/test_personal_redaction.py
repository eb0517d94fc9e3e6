"""`redact` with a child's personal values: what a portal message quotes is masked."""

from __future__ import annotations

from bot.data.fields import personal_values
from bot.log import redact


def test_a_childs_names_phone_and_address_are_masked_in_free_text() -> None:
    record = {
        "national_id": "1103702071005",
        "first_name": "สมชาย",
        "last_name": "ใจดี",
        "father_first_name": "มานะ",
        "mother_phone": "0891234567",
        "reg_road": "มิตรภาพ",
        "reg_village_no": "3",
        "room": "1",
    }
    text = "ระบบไม่รับค่า เด็กชายสมชาย ใจดี (1103702071005) บิดา มานะ โทร 0891234567 ถนนมิตรภาพ หมู่ 3 ห้อง 1"
    masked = redact(text, personal_values(record))
    for value in ("สมชาย", "ใจดี", "มานะ", "0891234567", "มิตรภาพ", "1103702071005"):
        assert value not in masked
    assert "ส****" in masked and "0*********" in masked
    assert "หมู่ 3 ห้อง 1" in masked  # short numbers are not a child's identity
    assert redact(text) == redact(text, ())  # without a record, only IDs and secrets


def test_an_id_after_a_row_number_is_still_masked() -> None:
    # A portal's list row: number, ID, name. The number must not hide the ID.
    masked = redact("1 1103702071005 เด็กชายสมชาย ใจดี")
    assert "1103702071005" not in masked and "1-xxxx-xxxxx-xx-5" in masked
    assert redact("เลข 1-1037-02071-00-5 และ 1 1037 02071 00 5").count("1-xxxx-xxxxx-xx-5") == 2
