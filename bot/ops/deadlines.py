"""What is due when: the calendar and a day turned into the steps an officer must take.

`due_items` lists the steps that are due, each with who does it and which flow automates it.
Nothing here touches the clock, the journal or the screen: the caller passes `today` and a `done`
hook, and prints the result itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Literal

from bot.data.thai import BE_OFFSET
from bot.errors import ConfigError
from bot.ops.calendar_file import Calendar, DueItem, LecRound, Step


def _resolve(steps: Iterable[Step], anchors: Mapping[str, date | None]) -> dict[str, date]:
    """Due date of every step whose anchors are known; steps on an unknown date are left out."""
    by_id = {s.id: s for s in steps}
    dates: dict[str, date | None] = dict(anchors)

    def due_of(step_id: str) -> date | None:
        if step_id not in dates:
            step = by_id[step_id]
            base = due_of(step.due.anchor)
            dates[step_id] = None if base is None else base + timedelta(days=step.due.days)
        return dates[step_id]

    return {i: d for i in by_id if (d := due_of(i)) is not None}


def _items_for_cycle(
    steps: tuple[Step, ...],
    anchors: Mapping[str, date | None],
    *,
    portal: Literal["lec", "esar"],
    cycle: str,
    prefix: str,
    today: date,
) -> list[DueItem]:
    dates = _resolve(steps, anchors)
    items = []
    for step in steps:
        if step.id not in dates:
            continue
        due = dates[step.id]
        base = step.due.anchor
        base_date = dates.get(base) or anchors.get(base)
        items.append(
            DueItem(
                id=f"{prefix}:{cycle}:{step.id}",
                step_id=step.id,
                portal=portal,
                cycle=cycle,
                title_th=step.title_th,
                title_en=step.title_en,
                responsible=step.responsible,
                due=due,
                days_left=(due - today).days,
                overdue=due < today,
                flow=step.flow,
                guarded=step.guarded,
                after=tuple(f"{prefix}:{cycle}:{s}" for s in step.after_steps),
                basis=f"{step.due.describe()} ({base} {base_date})",
            )
        )
    return items


def current_lec_round(calendar: Calendar, today: date) -> LecRound | None:
    """The LEC round in effect on `today`: the last one whose order arrived (or that opened) by
    then; it stays current after it closes, until the next one begins. None before the first."""
    begun = [r for r in calendar.lec.rounds if (r.order_received or r.opens) <= today]
    return max(begun, key=lambda r: r.order_received or r.opens, default=None)


def _lec_items(calendar: Calendar, lec_round: LecRound, today: date) -> list[DueItem]:
    return _items_for_cycle(
        calendar.lec.steps,
        lec_round.anchors(),
        portal="lec",
        cycle=lec_round.id,
        prefix="lec",
        today=today,
    )


def _sar_items(calendar: Calendar, deadline_year: int, today: date) -> list[DueItem]:
    # The SAR due in April of year Y reports on the academic year that began in May of Y-1.
    return _items_for_cycle(
        calendar.sar.steps,
        {"sar_deadline": calendar.sar.deadline.in_year(deadline_year)},
        portal="esar",
        cycle=str(deadline_year - 1 + BE_OFFSET),
        prefix="sar",
        today=today,
    )


def due_items(
    calendar: Calendar,
    today: date,
    *,
    done: Callable[[DueItem], bool | None] | None = None,
) -> list[DueItem]:
    """Steps due from `display.overdue_days` ago to `display.ahead_days` ahead, soonest first.

    `done(item)` tells whether the step is finished (True), not finished (False) or unknown
    (None); an item that is done is never overdue.
    """
    earliest = today - timedelta(days=calendar.display.overdue_days)
    latest = today + timedelta(days=calendar.display.ahead_days)
    found = [i for r in calendar.lec.rounds for i in _lec_items(calendar, r, today)]
    # A SAR chain starts days before its deadline, so one more year covers the window's end.
    for year in range(earliest.year, latest.year + 2):
        found += _sar_items(calendar, year, today)
    shown = [i for i in found if earliest <= i.due <= latest]
    if done is not None:
        shown = [_mark_done(i, done(i)) for i in shown]
    return sorted(shown, key=lambda i: (i.due, i.portal, i.cycle))


def find_item(calendar: Calendar, item_id: str, today: date) -> DueItem:
    """The item with this id (`lec:2569-2:school_confirm`, `sar:2568:sar_upload`), any date."""
    prefix, _, rest = item_id.partition(":")
    cycle, _, step_id = rest.partition(":")
    candidates: list[DueItem] = []
    if prefix == "lec":
        for lec_round in calendar.lec.rounds:
            if lec_round.id == cycle:
                candidates = _lec_items(calendar, lec_round, today)
    elif prefix == "sar" and cycle.isdigit():
        candidates = _sar_items(calendar, int(cycle) - BE_OFFSET + 1, today)
    for item in candidates:
        if item.step_id == step_id:
            return item
    raise ConfigError(
        f"Deadline '{item_id}' is not in the calendar; write it as 'lec:<round>:<step>' "
        "(e.g. 'lec:2569-2:school_confirm') or 'sar:<academic year BE>:<step>', "
        "and check that the round has the dates this step needs."
    )


def _mark_done(item: DueItem, state: bool | None) -> DueItem:
    return item.model_copy(update={"done": state, "overdue": item.overdue and state is not True})


def resolve_schedule_time(
    item: DueItem, days_before: int, at: time, *, tz: tzinfo | None = None
) -> datetime:
    """When to run a step: `days_before` days before it is due, at `at`.

    Without `tz` the result is naive, meaning the machine's local time, which is what cron and
    the Windows Task Scheduler use.
    """
    if days_before < 0:
        raise ValueError(f"days_before must be 0 or more, not {days_before}.")
    run_day = item.due - timedelta(days=days_before)
    return datetime.combine(run_day, at.replace(tzinfo=None), tzinfo=tz)
