"""Grades, prefixes, genders, religions, phones and text clean-up."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.data import thai_text
from bot.data.thai import (
    GRADES,
    PREFIXES,
    RuleError,
    academic_year_of,
    age_on,
    clean_text,
    gender_for_prefix,
    grade_entry_age,
    normalise_gender,
    normalise_grade,
    normalise_phone,
    normalise_prefix,
    normalise_religion,
    to_arabic_digits,
)


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("ป.1", "ประถมศึกษาปีที่ 1"),
        ("ป1", "ประถมศึกษาปีที่ 1"),
        ("ป. ๑", "ประถมศึกษาปีที่ 1"),
        ("ประถม 1", "ประถมศึกษาปีที่ 1"),
        ("ชั้นประถมศึกษาปีที่ 6", "ประถมศึกษาปีที่ 6"),
        ("P1", "ประถมศึกษาปีที่ 1"),
        ("p.6", "ประถมศึกษาปีที่ 6"),
        ("อ.2", "อนุบาล 2"),
        ("อนุบาล2", "อนุบาล 2"),
        ("K1", "อนุบาล 1"),
        ("KG3", "อนุบาล 3"),
        ("ม.3", "มัธยมศึกษาปีที่ 3"),
        ("M3", "มัธยมศึกษาปีที่ 3"),
        ("มัธยม 6", "มัธยมศึกษาปีที่ 6"),
    ],
)
def test_normalise_grade(text: str, grade: str) -> None:
    assert normalise_grade(text) == grade


@pytest.mark.parametrize("grade", GRADES)
def test_canonical_grades_are_fixed_points(grade: str) -> None:
    assert normalise_grade(grade) == grade


@pytest.mark.parametrize("text", ["ป.7", "อ.4", "ม.0", "ปวช.1", "", "Grade"])
def test_unknown_grades(text: str) -> None:
    with pytest.raises(RuleError):
        normalise_grade(text)


def test_grade_entry_age() -> None:
    assert GRADES[0] == "อนุบาล 1" and len(GRADES) == 15
    low, high = grade_entry_age("อนุบาล 1")
    assert low <= 3 <= high
    low, high = grade_entry_age("ป.1")
    assert low <= 6 <= high
    low, high = grade_entry_age("ม.6")
    assert low <= 17 <= high
    assert grade_entry_age("ป.1")[0] > grade_entry_age("อ.1")[1] - 4


def test_academic_year_and_age() -> None:
    assert academic_year_of(date(2026, 5, 15)) == 2568
    assert academic_year_of(date(2026, 5, 16)) == 2569
    assert age_on(date(2019, 5, 17), date(2026, 5, 16)) == 6
    assert age_on(date(2019, 5, 16), date(2026, 5, 16)) == 7


@pytest.mark.parametrize(
    ("text", "prefix", "gender"),
    [
        ("ด.ช.", "เด็กชาย", "ชาย"),
        ("ดช", "เด็กชาย", "ชาย"),
        ("ด.ญ.", "เด็กหญิง", "หญิง"),
        ("น.ส.", "นางสาว", "หญิง"),
        ("นาย", "นาย", "ชาย"),
        ("นาง", "นาง", "หญิง"),
        (" เด็กหญิง ", "เด็กหญิง", "หญิง"),
    ],
)
def test_prefixes(text: str, prefix: str, gender: str) -> None:
    assert normalise_prefix(text) == prefix
    assert gender_for_prefix(text) == gender
    assert prefix in PREFIXES


def test_unknown_prefix() -> None:
    with pytest.raises(RuleError, match="Unknown prefix"):
        normalise_prefix("ดร.")


@pytest.mark.parametrize(("text", "gender"), [("ช", "ชาย"), ("Male", "ชาย"), ("F", "หญิง")])
def test_genders(text: str, gender: str) -> None:
    assert normalise_gender(text) == gender


def test_religions() -> None:
    assert normalise_religion("ศาสนาพุทธ") == "พุทธ"
    assert normalise_religion("Islam") == "อิสลาม"
    assert normalise_religion("คริสเตียน") == "คริสต์"
    with pytest.raises(RuleError):
        normalise_religion("jedi")


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("081-234-5678", "0812345678"),
        ("+66 81 234 5678", "0812345678"),
        ("+66812345678", "0812345678"),
        ("66812345678", "0812345678"),
        ("812345678", "0812345678"),  # Excel dropped the leading zero
        ("๐๘๑๒๓๔๕๖๗๘", "0812345678"),
        ("(02) 123-4567", "021234567"),
        ("043 123 456", "043123456"),
        ("812345678.0", "0812345678"),
    ],
)
def test_phones(text: str, digits: str) -> None:
    assert normalise_phone(text) == digits


@pytest.mark.parametrize("text", ["08123", "08123456789", "0112345678", "081-234-5678, 089"])
def test_bad_phones(text: str) -> None:
    with pytest.raises(RuleError) as caught:
        normalise_phone(text)
    assert text not in str(caught.value)  # personal data stays out of messages


def test_clean_text() -> None:
    assert clean_text("  สม\u200bชาย\u00a0 \t ใจ\ufeffดี \n") == "สมชาย ใจดี"
    assert clean_text("\u200c\u200d") == ""
    assert clean_text(None) == ""
    # SARA AM typed as NIKHAHIT + SARA AA (with a tone mark in between) is folded.
    assert clean_text("\u0e19\u0e4d\u0e49\u0e32") == "\u0e19\u0e49\u0e33"
    assert clean_text("\u0e04\u0e4d\u0e32") == "\u0e04\u0e33"


# Pieces the full pass changes (alone or next to each other), and ordinary text around them.
_TRICKY = st.sampled_from(
    [" ", "  ", "\t", "\n", "\u00a0", "\u202f", "\u3000", "\u200b", "\u200d", "\ufeff", "\u2060",
     "\u0e4d\u0e32", "\u0e4d\u0e48\u0e32", "\u0e4d", "\u0e32", "ก", "๑", "a", "1"]
)  # fmt: skip


_ANY_CHAR = st.characters()  # controls, separators, unassigned: the full pass's business
_PRINTABLE = st.characters(categories=("L", "M", "N", "P", "S"))  # the shortcut's


@settings(max_examples=400)
@given(st.lists(st.one_of(_TRICKY, _PRINTABLE, _ANY_CHAR), max_size=8).map("".join))
def test_clean_text_fast_path_agrees_with_the_full_pass(text: str) -> None:
    # The shortcut for already-clean cells must never return what the full pass would change.
    assert clean_text(text) == thai_text._clean_fully(text)


@given(st.text(alphabet="0123456789/ ", max_size=30))
def test_thai_digits_round_trip(text: str) -> None:
    thai = text.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert to_arabic_digits(thai) == text
