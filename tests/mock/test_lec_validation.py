"""The mock's own ID and date checks (independent of the bot's)."""

from __future__ import annotations

import pytest

from mock_portals.lec.seed import DEMO_STUDENTS
from mock_portals.lec.validation import is_valid_be_date, is_valid_student_id, is_valid_thai_id
from tests.mock.helpers import thai_id


@pytest.mark.parametrize("value", ["1103702071005", "3309900123451", "1234567890121"])
def test_known_valid_ids(value: str) -> None:  # docs/lec-portal-facts.md: the checksum's examples
    assert is_valid_thai_id(value)


@pytest.mark.parametrize(
    "value", ["1103702071006", "110370207100", "11037020710055", "1103-70207-100-5", ""]
)
def test_invalid_ids(value: str) -> None:
    assert not is_valid_thai_id(value)


def test_every_check_digit_but_the_right_one_is_refused() -> None:
    good = thai_id("310010012345")
    assert is_valid_thai_id(good)
    for digit in "0123456789":
        if digit != good[-1]:
            assert not is_valid_thai_id(good[:-1] + digit)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("G644200000001", True),
        ("G64420000001", False),
        ("G6442000000010", False),
        ("X644200000001", False),
    ],
)
def test_g_code(value: str, valid: bool) -> None:
    assert is_valid_student_id(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("05/03/2562", True),
        ("29/02/2567", True),  # 2024 is a leap year
        ("29/02/2566", False),
        ("5/3/2562", False),
        ("05/03/2019", False),  # a Gregorian year
        ("05-03-2562", False),
        ("๐๕/๐๓/๒๕๖๒", False),  # Thai digits are not what the portal takes
    ],
)
def test_be_dates(value: str, valid: bool) -> None:
    assert is_valid_be_date(value) is valid


def test_demo_seed_ids_are_valid() -> None:
    for values in DEMO_STUDENTS:
        assert is_valid_student_id(values["national_id"])
