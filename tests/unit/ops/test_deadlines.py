"""The manual's calendar: offsets, windows, the done hook, and errors that name file and key."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import ConfigError
from bot.ops.calendar_file import Calendar, DueItem, Responsible, load_deadlines, thai_date
from bot.ops.deadlines import current_lec_round, due_items, find_item, resolve_schedule_time

from .conftest import REPO

TODAY = date(2026, 11, 29)


def raw_config() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "config/deadlines.yaml").read_text("utf-8"))
    return data


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "deadlines.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def by_id(items: list[DueItem]) -> dict[str, DueItem]:
    return {i.id: i for i in items}


def test_lec_round_offsets_follow_the_manual(calendar: Calendar) -> None:
    items = by_id(due_items(calendar, TODAY))
    # 2569-2: order received 2 Nov, opens 10 Nov, closes 10 Dec 2026.
    expected = {
        "appoint_officers": date(2026, 11, 4),  # 2 days after the order
        "notify_officers": date(2026, 11, 5),  # then 1 day
        "ask_other_affiliations": date(2026, 11, 8),  # then 3 days
        "school_entry": date(2026, 11, 24),  # 2 weeks from opening
        "school_confirm": date(2026, 12, 8),  # 2 days before closing
        "lgo_confirm": date(2026, 12, 8),
    }
    assert {k: items[f"lec:2569-2:{k}"].due for k in expected} == expected


def test_sar_chain_is_derived_backwards_from_25_april(calendar: Calendar) -> None:
    items = by_id(due_items(calendar, date(2027, 4, 1)))
    dues = {i.step_id: i.due for i in items.values() if i.cycle == "2569"}
    assert dues == {
        "sar_upload": date(2027, 4, 25),
        "sar_send_to_qa": date(2027, 4, 24),  # the upload takes 1 day
        "sar_executive": date(2027, 4, 23),  # sending takes 1 day
        "sar_board_approval": date(2027, 4, 21),  # the executive takes 2 days
        "sar_prepare": date(2027, 4, 20),  # the board takes 1 day
    }
    upload = items["sar:2569:sar_upload"]
    assert upload.responsible is Responsible.QA_OFFICER
    assert upload.responsible_th == "เจ้าหน้าที่ประกันคุณภาพ"
    assert (upload.portal, upload.flow, upload.guarded) == (
        "esar",
        "flows/esar/upload_sar.yaml",
        True,
    )


def test_item_carries_who_what_and_flow(calendar: Calendar) -> None:
    item = by_id(due_items(calendar, TODAY))["lec:2569-2:school_entry"]
    assert item.responsible_th == "ผู้รับผิดชอบระดับสถานศึกษา"
    assert item.flow == "flows/lec/students.yaml"
    assert item.title_th.startswith("บันทึกและปรับปรุงข้อมูลเด็ก")
    assert item.title_en.startswith("Enter and update child records")
    assert (item.days_left, item.overdue, item.done) == (-5, True, None)
    assert item.basis == "opens + 14 days (opens 2026-11-10)"
    assert item.due_th == "24 พ.ย. 2569"


def test_lgo_confirm_waits_for_the_schools(calendar: Calendar) -> None:
    item = by_id(due_items(calendar, TODAY))["lec:2569-2:lgo_confirm"]
    assert item.after == ("lec:2569-2:school_confirm",)
    assert item.responsible is Responsible.LGO


def test_items_are_sorted_and_windowed(calendar: Calendar) -> None:
    items = due_items(calendar, TODAY)
    assert [i.due for i in items] == sorted(i.due for i in items)
    # 2569-1 closed in June: past the 30-day overdue window, so not shown.
    assert not any(i.cycle == "2569-1" for i in items)
    assert all(TODAY - timedelta(days=30) <= i.due <= TODAY + timedelta(days=180) for i in items)


def test_due_today_is_not_overdue(calendar: Calendar) -> None:
    item = by_id(due_items(calendar, date(2026, 12, 8)))["lec:2569-2:school_confirm"]
    assert (item.days_left, item.overdue) == (0, False)
    late = by_id(due_items(calendar, date(2026, 12, 9)))["lec:2569-2:school_confirm"]
    assert (late.days_left, late.overdue) == (-1, True)


def test_done_hook_annotates_items(calendar: Calendar) -> None:
    asked: list[str] = []

    def done(item: DueItem) -> bool | None:
        asked.append(item.id)
        return {"lec:2569-2:school_entry": True, "lec:2569-2:school_confirm": False}.get(item.id)

    items = by_id(due_items(calendar, TODAY, done=done))
    assert (items["lec:2569-2:school_entry"].done, items["lec:2569-2:school_entry"].overdue) == (
        True,
        False,
    )
    assert items["lec:2569-2:school_confirm"].done is False
    assert items["lec:2569-2:notify_officers"].done is None
    assert items["lec:2569-2:notify_officers"].overdue is True
    assert sorted(asked) == sorted(items)  # asked once per shown item, no more


def test_round_without_order_date_skips_the_steps_counted_from_it(tmp_path: Path) -> None:
    data = raw_config()
    del data["lec"]["rounds"][1]["order_received"]
    items = by_id(due_items(load_deadlines(write(tmp_path, data)), TODAY))
    assert "lec:2569-2:appoint_officers" not in items
    assert "lec:2569-2:ask_other_affiliations" not in items
    assert "lec:2569-2:school_entry" in items


def test_find_item_reaches_outside_the_window(calendar: Calendar) -> None:
    item = find_item(calendar, "lec:2569-1:school_confirm", TODAY)
    assert item.due == date(2026, 6, 28)
    assert find_item(calendar, "sar:2568:sar_upload", TODAY).due == date(2026, 4, 25)
    with pytest.raises(ConfigError, match="'lec:2570-1:school_confirm' is not in the calendar"):
        find_item(calendar, "lec:2570-1:school_confirm", TODAY)


def test_resolve_schedule_time(calendar: Calendar) -> None:
    item = find_item(calendar, "lec:2569-2:school_confirm", TODAY)
    assert resolve_schedule_time(item, 2, time(8, 30)) == datetime(2026, 12, 6, 8, 30)
    bangkok = timezone(timedelta(hours=7))
    aware = resolve_schedule_time(item, 0, time(9), tz=bangkok)
    assert aware == datetime(2026, 12, 8, 9, 0, tzinfo=bangkok)
    with pytest.raises(ValueError, match="days_before must be 0 or more"):
        resolve_schedule_time(item, -1, time(9))


def test_thai_date() -> None:
    assert thai_date(date(2027, 4, 25)) == "25 เม.ย. 2570"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["lec"]["rounds"][1].update(opens=date(2569, 11, 10)),
            r"lec\.rounds\[1\]\.opens: 2569-11-10 looks like a Buddhist Era year.*ค\.ศ\. 2026",
        ),
        (
            lambda d: d["lec"]["steps"][0].update(due="dla_order + 2 days"),
            r"lec: step 'appoint_officers'.*unknown anchor 'dla_order'; use one of: order_received",
        ),
        (
            lambda d: d["lec"]["steps"][0].update(due="two days after the order"),
            r"lec\.steps\[0\]\.due: due 'two days after the order' is not understood",
        ),
        (
            lambda d: d["sar"]["steps"][4].update(due="sar_prepare + 1 day"),
            r"sar: steps' due dates go round in a circle",
        ),
        (
            lambda d: d["lec"]["rounds"][0].update(closes=date(2026, 5, 1)),
            r"lec\.rounds\[0\]: .*round 2569-1 closes \(2026-05-01\) on or before it opens",
        ),
        (
            lambda d: d["lec"]["rounds"][0].update(id="2569-2"),
            r"round id '2569-2' should be '2569-1'",
        ),
        (
            lambda d: d["lec"]["steps"][1].update(responsible="mayor"),
            r"lec\.steps\[1\]\.responsible: Input should be 'lgo', 'school' or 'qa_officer'",
        ),
        (lambda d: d["sar"].update(deadline={"month": 4, "day": 31}), r"sar\.deadline"),
        (lambda d: d.update(colour="blue"), r"colour: Extra inputs are not permitted"),
    ],
)
def test_errors_name_file_and_key(tmp_path: Path, change: Any, expected: str) -> None:
    data = raw_config()
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(ConfigError, match=expected) as caught:
        load_deadlines(path)
    assert str(path) in str(caught.value)


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"Cannot read deadlines file .*missing\.yaml"):
        load_deadlines(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("lec:\n  rounds: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml:\d+ is not valid YAML"):
        load_deadlines(bad)
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_deadlines(bad)


@given(
    opens=st.dates(date(2020, 1, 1), date(2040, 1, 1)),
    length=st.integers(1, 90),
    today_offset=st.integers(-200, 200),
)
def test_confirm_is_always_two_days_before_close(
    calendar: Calendar, opens: date, length: int, today_offset: int
) -> None:
    closes = opens + timedelta(days=length)
    year = opens.year + 543
    lec_round = {"id": f"{year}-1", "academic_year": year, "term": 1, "opens": opens}
    data = calendar.model_dump()
    data["lec"]["rounds"] = [{**lec_round, "closes": closes}]
    changed = Calendar.model_validate(data)
    today = opens + timedelta(days=today_offset)
    confirm = find_item(changed, f"lec:{year}-1:school_confirm", today)
    assert confirm.due == closes - timedelta(days=2)
    assert confirm.days_left == (confirm.due - today).days
    assert confirm.overdue == (today > confirm.due)


def test_long_window_shows_every_sar_year(calendar: Calendar) -> None:
    wide = calendar.model_copy(
        update={"display": calendar.display.model_copy(update={"ahead_days": 800})}
    )
    uploads = [i.cycle for i in due_items(wide, TODAY) if i.step_id == "sar_upload"]
    assert uploads == ["2569", "2570"]  # due 25 April 2027 and 2028


def test_the_round_in_effect_runs_from_its_order_until_the_next_one(calendar: Calendar) -> None:
    """The journal's term (config/deadlines.yaml: 2569-1 ordered 25 May, 2569-2 on 2 Nov)."""

    def current(day: date) -> str | None:
        found = current_lec_round(calendar, day)
        return found.id if found else None

    assert current(date(2026, 5, 24)) is None  # before the first order arrived
    assert current(date(2026, 5, 25)) == "2569-1"
    assert current(date(2026, 8, 1)) == "2569-1"  # closed, still the current term
    assert current(date(2026, 11, 2)) == "2569-2"
