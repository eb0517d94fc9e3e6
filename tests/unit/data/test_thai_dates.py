"""Buddhist-Era dates typed by officers or stored by Excel."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.data.thai import (
    THAI_MONTHS_SHORT,
    RuleError,
    format_be_date,
    format_thai_date,
    parse_thai_date,
    to_arabic_digits,
)

from .builders import TODAY

MARCH_15_2019 = date(2019, 3, 15)


@pytest.mark.parametrize(
    "text",
    [
        "15/3/2562",
        "15/03/2562",
        "15/03/62",
        "15-03-2562",
        "15.03.2562",
        "15 มี.ค. 2562",
        "15 มี.ค.62",
        "15 มีนาคม 2562",
        "15 มีนาคม พ.ศ. 2562",
        "๑๕/๐๓/๒๕๖๒",
        "๑๕ มีนาคม ๒๕๖๒",
        "15/03/2562 00:00:00",
        "2019-03-15",
        "2019-03-15 00:00:00",
        "2562-03-15",
        "15032562",
        "15 Mar 2019",
        "15/03/2019",  # clearly Gregorian: BE 2019 would be 1476
        " 15/03/2562\u200b ",
    ],
)
def test_formats(text: str) -> None:
    assert parse_thai_date(text, today=TODAY) == MARCH_15_2019


def test_seven_digits_lost_a_leading_zero() -> None:
    assert parse_thai_date("5032562", today=TODAY) == date(2019, 3, 5)


def test_two_digit_years_never_point_past_next_year() -> None:
    assert parse_thai_date("01/01/70", today=TODAY) == date(2027, 1, 1)
    assert parse_thai_date("01/01/98", today=TODAY) == date(1955, 1, 1)


def test_excel_date_cells() -> None:
    assert parse_thai_date(datetime(2019, 3, 15, 0, 0), today=TODAY) == MARCH_15_2019
    assert parse_thai_date(date(2019, 3, 15), today=TODAY) == MARCH_15_2019
    # The trap: 15/03/2562 typed into a date cell is stored as the year 2562.
    assert parse_thai_date(datetime(2562, 3, 15), today=TODAY) == MARCH_15_2019


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("31/02/2562", "does not exist"),
        ("29/02/2563", None),  # 2020 is a leap year: fine
        ("29/02/2562", "does not exist"),
        ("15/03/2652", "implausible"),
        ("15/03/2462", None),  # 1919: a plausible year for a date in general
        ("15/03/1800", "implausible"),
        ("15/03/2300", "implausible"),
        ("15/13/2562", "does not exist"),
        ("hello", "Cannot read"),
        ("", "empty"),
        ("15 foo 2562", "Cannot read"),
    ],
)
def test_refusals(value: str, needle: str | None) -> None:
    if needle is None:
        parse_thai_date(value, today=TODAY)
        return
    with pytest.raises(RuleError) as caught:
        parse_thai_date(value, today=TODAY)
    assert needle in caught.value.en
    message = str(caught.value)
    assert message.index(caught.value.th) < message.index(caught.value.en)


def test_be_year_in_a_date_cell_that_does_not_exist() -> None:
    # 29/02/2564 typed into Excel: 2564 is a leap year for Excel, 2021 is not.
    with pytest.raises(RuleError, match="does not exist"):
        parse_thai_date(datetime(2564, 2, 29), today=TODAY)


def test_date_cell_with_implausible_year() -> None:
    with pytest.raises(RuleError, match="implausible"):
        parse_thai_date(datetime(2200, 1, 1), today=TODAY)


def test_format_be_date() -> None:
    assert format_be_date(date(2019, 3, 5)) == "05/03/2562"


@given(st.dates(min_value=date(1927, 1, 1), max_value=TODAY))
def test_be_round_trip(day: date) -> None:
    assert parse_thai_date(format_be_date(day), today=TODAY) == day


@given(st.dates(min_value=date(1927, 1, 1), max_value=TODAY))
def test_thai_digit_round_trip(day: date) -> None:
    thai = format_be_date(day).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert to_arabic_digits(thai) == format_be_date(day)
    assert parse_thai_date(thai, today=TODAY) == day


@given(st.dates(min_value=date(1927, 1, 1), max_value=TODAY))
def test_excel_be_trap_round_trip(day: date) -> None:
    try:
        typed = datetime(day.year + 543, day.month, day.day)
    except ValueError:
        return  # 29 Feb of a year that is not leap once shifted: Excel would keep it as text
    assert parse_thai_date(typed, today=TODAY) == day


def test_dates_written_for_officers_use_the_one_month_list() -> None:
    assert format_thai_date(date(2026, 12, 10)) == "10 ธ.ค. 2569"
    assert format_thai_date(date(2027, 1, 1)) == "1 ม.ค. 2570"
    assert len(THAI_MONTHS_SHORT) == 12
    # what is written reads back as the same day
    assert parse_thai_date("10 ธ.ค. 2569", today=date(2026, 12, 1)) == date(2026, 12, 10)
