"""National ID check digit, G-Code and masking."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.data.thai import (
    PROVINCES,
    GCode,
    RuleError,
    check_student_id,
    is_valid_national_id,
    mask_name,
    mask_national_id,
    national_id_check_digit,
    normalise_id,
    parse_gcode,
)

from .builders import TODAY, VALID_IDS

twelve_digits = st.text(alphabet="0123456789", min_size=12, max_size=12)


@pytest.mark.parametrize("value", VALID_IDS)
def test_known_valid_ids(value: str) -> None:
    assert is_valid_national_id(value)


@given(twelve_digits)
def test_every_prefix_has_exactly_one_valid_check_digit(first12: str) -> None:
    valid = [d for d in range(10) if is_valid_national_id(first12 + str(d))]
    assert valid == [national_id_check_digit(first12)]


def _residue(digits: str) -> int:
    return sum(int(d) * (13 - i) for i, d in enumerate(digits[:12])) % 11


@given(twelve_digits, st.integers(0, 12), st.integers(1, 9))
def test_a_single_digit_change_is_detected_where_the_checksum_can(
    first12: str, where: int, delta: int
) -> None:
    value = first12 + str(national_id_check_digit(first12))
    changed = value[:where] + str((int(value[where]) + delta) % 10) + value[where + 1 :]
    # The checksum has two documented blind spots: the 3rd digit weighs 11 (≡ 0 mod 11), and
    # residues 0 and 10 both give check digit 1. Every other single change is caught.
    blind = where == 2 or {_residue(value), _residue(changed)} == {0, 10}
    assert is_valid_national_id(changed) == blind


@given(twelve_digits, st.integers(1, 9))
def test_a_change_of_the_check_digit_itself_is_always_detected(first12: str, delta: int) -> None:
    check = national_id_check_digit(first12)
    assert not is_valid_national_id(first12 + str((check + delta) % 10))


def test_third_digit_is_invisible_to_the_checksum() -> None:
    # 1103702071005 → 1113702071005: same check digit. Worth knowing when reading a report.
    assert is_valid_national_id("1113702071005")


def test_formatting_and_thai_digits_are_normalised() -> None:
    assert normalise_id(" 1-1037-02071-00-5 ") == "1103702071005"
    assert is_valid_national_id("๑๑๐๓๗๐๒๐๗๑๐๐๕")
    assert is_valid_national_id("1 1037 02071 00 5")
    assert normalise_id(1103702071005.0) == "1103702071005"


@pytest.mark.parametrize("value", ["110370207100", "11037020710055", "1103702071004", "abc"])
def test_invalid_ids(value: str) -> None:
    assert not is_valid_national_id(value)
    with pytest.raises(RuleError):
        check_student_id(value, today=TODAY)


def test_bad_checksum_message_is_bilingual_thai_first() -> None:
    with pytest.raises(RuleError) as caught:
        check_student_id("1103702071004", today=TODAY)
    assert str(caught.value).startswith("เลขประจำตัวประชาชน")
    assert "check digit" in str(caught.value)
    assert "1103702071004" not in str(caught.value)


def test_check_digit_needs_twelve_digits() -> None:
    with pytest.raises(ValueError):
        national_id_check_digit("123")


def test_parse_gcode() -> None:
    code = parse_gcode("G644200000001", today=TODAY)
    assert code == GCode(be_year=2564, province_code=42, running=1)
    assert str(code) == "G644200000001"
    assert code.province == "เลย"
    assert check_student_id("g-6442-0000-0001", today=TODAY) == "G644200000001"


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("G64420000001", "12 digits"),
        ("G474200000001", "2547"),  # before the G-Code system
        ("G754200000001", "2575"),  # in the future
        ("G642900000001", "province code 29"),
        ("G649900000001", "province code 99"),
    ],
)
def test_implausible_gcodes(value: str, needle: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_gcode(value, today=TODAY)
    assert needle in caught.value.en


def test_gcode_this_year_is_fine() -> None:
    assert parse_gcode("G691000000001", today=date(2026, 1, 1)).be_year == 2569


def test_province_table() -> None:
    assert len(PROVINCES) == 77
    assert min(PROVINCES) == 10 and max(PROVINCES) == 96
    assert PROVINCES[40] == "ขอนแก่น"


def test_masks() -> None:
    assert mask_national_id("1103702071005") == "1-xxxx-xxxxx-xx-5"
    assert mask_national_id("1-1037-02071-00-5") == "1-xxxx-xxxxx-xx-5"
    assert mask_national_id("G644200000001") == "G64xxxxxxxxxx"
    assert mask_national_id("110370207") == "1xxxxxxx7"
    assert mask_national_id("123") == "xxx"
    assert mask_name("สมชาย") == "ส****"
    assert mask_name(" สมชาย  ใจดี ") == "ส**** ใ***"
    assert mask_name("") == ""


@given(twelve_digits)
def test_mask_never_shows_the_middle_digits(first12: str) -> None:
    value = first12 + str(national_id_check_digit(first12))
    masked = mask_national_id(value)
    assert masked == f"{value[0]}-xxxx-xxxxx-xx-{value[12]}"
