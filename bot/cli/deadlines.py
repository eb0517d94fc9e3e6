"""`edubot deadlines`: what is due, by whom, in how many days, and whether edubot did it; and
the dates and times the officer types, read the same way here and by `edubot schedule`.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePath
from typing import Annotated

import typer

from bot import console, i18n
from bot.cli import system
from bot.cli.shared import ConfigOpt, fail
from bot.config import DEFAULT_CONFIG_DIR, PROJECT_ROOT
from bot.data.thai_dates import BE_OFFSET
from bot.errors import EdubotError
from bot.i18n import Lang, say
from bot.ops.calendar_file import Calendar, DueItem, load_deadlines, thai_date
from bot.ops.deadlines import due_items
from bot.paths import default_runs_dir

RUN_LOOKBACK_DAYS = 60  # a run this long before a step's due date still counts for it


def _gregorian(value: date | datetime, text: str) -> None:
    if value.year >= 2400:
        raise typer.BadParameter(
            say(
                f"{text} ดูเหมือนเป็นปี พ.ศ. ให้ใช้ปี ค.ศ. (พ.ศ. {value.year} = ค.ศ. "
                f"{value.year - BE_OFFSET})",
                f"{text} looks like a Buddhist Era year; write the Gregorian year "
                f"(BE {value.year} = {value.year - BE_OFFSET})",
            )
        )


def parse_day(text: str) -> date:
    """`YYYY-MM-DD`, Gregorian."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        message = say(f"ใช้รูปแบบ YYYY-MM-DD ไม่ใช่ {text!r}", f"use YYYY-MM-DD, not {text!r}")
        raise typer.BadParameter(message) from None
    _gregorian(day, text)
    return day


def parse_clock(text: str) -> time:
    """`HH:MM`, 24-hour."""
    try:
        return time.fromisoformat(text).replace(second=0, microsecond=0)
    except ValueError:
        message = say(
            f"ใช้รูปแบบ HH:MM เช่น 08:30 ไม่ใช่ {text!r}", f"use HH:MM, e.g. 08:30, not {text!r}"
        )
        raise typer.BadParameter(message) from None


def parse_moment(text: str) -> datetime:
    """`YYYY-MM-DD HH:MM` (or with a `T`), local time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        message = say(
            f"ใช้รูปแบบ 'YYYY-MM-DD HH:MM' ไม่ใช่ {text!r}", f"use 'YYYY-MM-DD HH:MM', not {text!r}"
        )
        raise typer.BadParameter(message) from None
    _gregorian(moment, text)
    return moment


def load_calendar(config: Path | None) -> Calendar:
    try:
        return load_deadlines((config or DEFAULT_CONFIG_DIR) / "deadlines.yaml")
    except EdubotError as exc:
        raise fail(exc) from None


def when_th(moment: datetime) -> str:
    """`6 ธ.ค. 2569 08:30 น.`"""
    return f"{thai_date(moment.date())} {moment:%H:%M} น."


@dataclass(frozen=True)
class PastRun:
    """A real (not dry) run, as its report.json tells it."""

    flow_path: str
    finished: datetime
    exit_code: int


def past_runs(runs_dir: Path) -> list[PastRun]:
    """Every real run under `runs_dir` whose report.json is readable; dry runs are left out."""
    runs = []
    for path in runs_dir.glob("*/report.json"):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
            if report.get("dry_run", True):
                continue
            runs.append(
                PastRun(
                    flow_path=PurePath(str(report["flow"]["path"])).as_posix(),
                    finished=datetime.fromisoformat(str(report["finished_at"])),
                    exit_code=int(report["exit_code"]),
                )
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # a half-written or foreign file says nothing about what is done
    return runs


def done_from_runs(runs: Iterable[PastRun]) -> Callable[[DueItem], bool | None]:
    """A `done` hook for `due_items`: the last real run of the step's flow near its due date.

    True when that run ended with every record through, False when it did not, None (unknown)
    when the step has no flow or edubot has not run it: it may have been done by hand.
    """
    runs = list(runs)

    def done(item: DueItem) -> bool | None:
        if item.flow is None:
            return None
        # A run counts for the occurrence it is near: not for a round long over as well.
        since = item.due - timedelta(days=RUN_LOOKBACK_DAYS)
        until = item.due + timedelta(days=RUN_LOOKBACK_DAYS)
        wanted = PurePath(item.flow).as_posix()
        mine = [
            r
            for r in runs
            if (r.flow_path == wanted or r.flow_path.endswith(f"/{wanted}"))
            and since <= r.finished.date() <= until
        ]
        if not mine:
            return None
        return max(mine, key=lambda r: r.finished).exit_code == 0

    return done


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: Thai vowel and tone marks take none."""
    width = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def days_text(item: DueItem) -> str:
    """`อีก 3 วัน`, `วันนี้`, `เลยกำหนด 2 วัน` (or in English)."""
    n = item.days_left
    if n > 0:
        return say(f"อีก {n} วัน", f"in {n} day{'s' if n != 1 else ''}")
    if n == 0:
        return say("วันนี้", "today")
    if item.overdue:
        return say(f"เลยกำหนด {-n} วัน", f"{-n} day{'s' if n != -1 else ''} overdue")
    return say(f"ผ่านมา {-n} วัน", f"{-n} day{'s' if n != -1 else ''} ago")


_DONE_MARK = {True: "✓", False: "✗", None: "—"}


def deadline_lines(items: list[DueItem], today: date) -> list[str]:
    """The deadlines table: one line per step, and under it the id to schedule it with."""
    english = i18n.lang() is Lang.EN
    stamp = thai_date(today) + (f" ({today.isoformat()})" if english else "")
    lines = [say(f"งานตามกำหนด ณ วันที่ {stamp}", f"What is due, as of {stamp}"), ""]
    if not items:
        lines.append(say("ไม่มีงานที่ครบกำหนดในช่วงนี้", "Nothing is due in this period."))
        return lines
    heads = [
        "",
        say("กำหนดส่ง", "due"),
        say("เหลือ", "when"),
        say("เสร็จ", "done"),
        say("ผู้รับผิดชอบ", "who"),
        say("งาน", "step"),
    ]
    rows = [
        [
            "!" if item.overdue else "",
            thai_date(item.due) + (f" ({item.due.isoformat()})" if english else ""),
            days_text(item),
            _DONE_MARK[item.done],
            say(item.responsible.label_th, item.responsible.label_en),
            say(item.title_th, item.title_en),
        ]
        for item in items
    ]
    widths = [max(display_width(r[i]) for r in [heads, *rows]) for i in range(len(heads) - 1)]
    indent = widths[0] + 2
    for row, item in zip([heads, *rows], [None, *items], strict=True):
        cells = [_pad(cell, w) for cell, w in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
        if item is not None:
            lines.append(" " * indent + _how_line(item))
    lines += ["", _legend(items)]
    return lines


def _how_line(item: DueItem) -> str:
    parts = [item.id]
    if item.flow:
        parts.append(say(f"โฟลว์ {item.flow}", f"flow {item.flow}"))
    if item.guarded:
        parts.append(say("ยืนยันแล้วแก้ไม่ได้", "irreversible"))
    return " · ".join(parts)


def _legend(items: list[DueItem]) -> str:
    text = say(
        "! เลยกำหนด · ✓ เสร็จแล้ว · ✗ รันครั้งล่าสุดไม่สำเร็จ · — ไม่ทราบ (edubot ไม่ได้ทำขั้นนี้)",
        "! overdue · ✓ done · ✗ the last run failed · — unknown (edubot did not run this step)",
    )
    # An irreversible step (a confirmation) is not suggested for running unattended.
    upcoming = [
        i
        for i in items
        if i.flow
        and not i.guarded
        and i.days_left > 0
        and i.done is not True
        and (PROJECT_ROOT / i.flow).is_file()
    ]
    if not upcoming:
        return text
    example = upcoming[0]
    hint = (
        f"edubot schedule add {example.flow} --data FILE --deadline {example.id} "
        "--days-before 1 --at 08:00"
    )
    return text + "\n" + say(f"ตั้งเวลาให้ทำเอง: {hint}", f"Run it by itself: {hint}")


def deadlines(
    today: Annotated[
        str | None, typer.Option("--today", help="YYYY-MM-DD, Gregorian (default: today)")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Show what is due, by whom and in how many days; overdue steps are marked.

    Example: edubot deadlines --today 2026-12-01
    """
    day = parse_day(today) if today else system.clock().date()
    calendar = load_calendar(config)
    items = due_items(calendar, day, done=done_from_runs(past_runs(default_runs_dir())))
    for line in deadline_lines(items, day):
        console.print_line(line)
