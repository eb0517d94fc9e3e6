"""The officer's day-to-day commands: deadlines, schedule, report, login, doctor.

They are registered on the `app` of `bot.cli.app` (which imports this module on its last line), stay
thin, and print through `bot.console` in the language `bot.i18n` picks. The parts that reach
outside the process are module attributes that tests replace: `scheduler_factory` (the crontab
or Task Scheduler), `clock`, `find_edubot`, `check_scheduled_run`, `open_in_browser` and
`doctor_probes`.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
import unicodedata
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path, PurePath, PureWindowsPath
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from pydantic import ValidationError

from bot import console, i18n
from bot.cli.app import app
from bot.config import DEFAULT_CONFIG_DIR, PROJECT_ROOT, PortalTarget, check_target, url_override
from bot.errors import ConfigError, CredentialsError, DataError, EdubotError, ExitCode
from bot.i18n import Lang, say
from bot.ops.deadlines import (
    BE_OFFSET,
    Calendar,
    DueItem,
    due_items,
    find_item,
    load_deadlines,
    resolve_schedule_time,
    thai_date,
)
from bot.paths import default_runs_dir

if TYPE_CHECKING:  # doctor and schedule load with their commands: `edubot run` starts sooner
    from bot.ops.doctor import CheckResult, Probes
    from bot.ops.schedule import CrontabStore, ScheduleEntry, SchtasksStore

BAD_INPUT = int(ExitCode.BAD_INPUT)
RUN_LOOKBACK_DAYS = 60  # a run this long before a step's due date still counts for it

# --- seams the tests replace ----------------------------------------------------------------


def _system_scheduler() -> CrontabStore | SchtasksStore:
    from bot.ops.schedule import scheduler_for

    return scheduler_for()


def _machine_probes() -> Probes:
    from bot.ops.doctor import Probes

    return Probes()


scheduler_factory: Callable[[], CrontabStore | SchtasksStore] = _system_scheduler
clock: Callable[[], datetime] = datetime.now
open_in_browser: Callable[[str], bool] = webbrowser.open
doctor_probes: Callable[[], Probes] = _machine_probes


def find_edubot() -> Path:
    """The `edubot` program of this installation, for the scheduler to start."""
    scripts = Path(sys.executable).parent  # the venv's bin/ or Scripts/; not resolved on purpose
    for name in ("edubot", "edubot.exe"):
        if (scripts / name).is_file():
            return scripts / name
    found = shutil.which("edubot")
    if found:
        return Path(found).absolute()
    raise ConfigError(
        "Cannot find the edubot program to schedule; install edubot (make demo) and retry."
    )


# --- shared options and helpers -------------------------------------------------------------

ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="Config directory (default: config/)")
]


def _stop(exc: EdubotError) -> typer.Exit:
    if isinstance(exc, DataError) and exc.problems:
        console.print_problems(exc.problems, say("ข้อมูลที่ต้องแก้ไข", "Problems to fix"))
    console.print_error(str(exc))
    return typer.Exit(int(exc.exit_code))


def _refuse(th: str, en: str) -> typer.Exit:
    console.print_error(say(th, en))
    return typer.Exit(BAD_INPUT)


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


def _load_calendar(config: Path | None) -> Calendar:
    try:
        return load_deadlines((config or DEFAULT_CONFIG_DIR) / "deadlines.yaml")
    except EdubotError as exc:
        raise _stop(exc) from None


def when_th(moment: datetime) -> str:
    """`6 ธ.ค. 2569 08:30 น.`"""
    return f"{thai_date(moment.date())} {moment:%H:%M} น."


# --- deadlines ------------------------------------------------------------------------------


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


@app.command()
def deadlines(
    today: Annotated[
        str | None, typer.Option("--today", help="YYYY-MM-DD, Gregorian (default: today)")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Show what is due, by whom and in how many days; overdue steps are marked.

    Example: edubot deadlines --today 2026-12-01
    """
    day = parse_day(today) if today else clock().date()
    calendar = _load_calendar(config)
    items = due_items(calendar, day, done=done_from_runs(past_runs(default_runs_dir())))
    for line in deadline_lines(items, day):
        console.print_line(line)


# --- schedule -------------------------------------------------------------------------------

schedule_app = typer.Typer(
    no_args_is_help=True,
    help="ตั้งเวลาให้ edubot ทำงานเอง (cron / Task Scheduler) · Scheduled, unattended runs.",
)
app.add_typer(schedule_app, name="schedule")


def default_entry_id(flow: Path, deadline: str | None, moment: datetime, dry_run: bool) -> str:
    """`lec-2569-2-school_confirm`, or `students-20261206-0830`; `-dry-run` for a rehearsal."""
    base = deadline.replace(":", "-") if deadline else f"{flow.stem}-{moment:%Y%m%d-%H%M}"
    return base + ("-dry-run" if dry_run else "")


def _absolute(path: Path) -> Path:
    # The scheduler starts elsewhere; a path already absolute (in either OS's way) stays as is.
    return path if PureWindowsPath(path).is_absolute() else path.absolute()


def _has_guarded_steps(flow_path: Path) -> bool:
    from bot.flow.loader import load_flow

    return bool(load_flow(flow_path).irreversible_steps())


def check_scheduled_run(
    flow: Path, data: Path, dry_run: bool, allow_guarded: bool, config: Path
) -> Literal["lec", "esar"]:
    """Everything `edubot run` would refuse, refused now; returns the flow's portal."""
    from bot.engine.options import RunOptions
    from bot.engine.pipeline import prepare

    if _has_guarded_steps(flow) and not (allow_guarded or dry_run):
        raise _refuse(
            f"{flow} มีขั้นตอนยืนยัน/ส่งที่แก้คืนไม่ได้ การตั้งเวลาให้ทำขั้นตอนนี้เองต้องระบุ "
            "--allow-guarded อย่างชัดเจน (ลองซ้อมด้วย --dry-run ก่อน) ยังไม่ได้ตั้งเวลา",
            f"{flow} has irreversible steps (confirm, submit); scheduling them needs an explicit "
            "--allow-guarded (rehearse with --dry-run first). Nothing was scheduled.",
        )
    options = RunOptions(flow, data, dry_run=dry_run, confirm=allow_guarded, config_dir=config)
    prepared = prepare(options)
    if prepared.warnings:
        console.print_problems(prepared.warnings, say("คำเตือน", "Warnings"))
    return prepared.flow.portal


@schedule_app.command("add")
def schedule_add(
    flow: Annotated[Path, typer.Argument(help="Flow file, e.g. flows/lec/students.yaml")],
    data: Annotated[Path, typer.Option("--data", help="Data file (xlsx or csv)")],
    deadline: Annotated[
        str | None,
        typer.Option("--deadline", help="A step id from `edubot deadlines` (lec:2569-2:…)"),
    ] = None,
    days_before: Annotated[
        int, typer.Option("--days-before", min=0, help="Run this many days before the deadline")
    ] = 1,
    at: Annotated[str, typer.Option("--at", help="Time of day, HH:MM")] = "08:00",
    when: Annotated[
        str | None,
        typer.Option("--when", help="'YYYY-MM-DD HH:MM' instead of --deadline"),
    ] = None,
    allow_guarded: Annotated[
        bool,
        typer.Option("--allow-guarded", help="Let the run do irreversible steps (confirm, submit)"),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="The scheduled run is a rehearsal on the mock portals")
    ] = False,
    entry_id: Annotated[
        str | None, typer.Option("--id", help="Name of the entry (default: from the deadline)")
    ] = None,
    run_dir: Annotated[
        Path | None, typer.Option("--run-dir", help="Where the run writes its report and log")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Schedule a flow to run by itself before a deadline (cron, or the Windows Task Scheduler).

    Example: edubot schedule add flows/lec/students.yaml --data children.xlsx
    --deadline lec:2569-2:school_entry --days-before 2 --at 08:30
    """
    config_dir = config or DEFAULT_CONFIG_DIR
    if (deadline is None) == (when is None):
        raise _refuse(
            "ระบุ --deadline ID (ดู ID ได้จาก edubot deadlines) หรือ --when 'YYYY-MM-DD HH:MM' "
            "อย่างใดอย่างหนึ่ง",
            "Give either --deadline ID (see `edubot deadlines`) or --when 'YYYY-MM-DD HH:MM'.",
        )
    now = clock()
    flow_path, data_path = _absolute(flow), _absolute(data)
    try:
        item = find_item(_load_calendar(config), deadline, now.date()) if deadline else None
    except EdubotError as exc:
        raise _stop(exc) from None
    moment = (
        resolve_schedule_time(item, days_before, parse_clock(at))
        if item is not None
        else parse_moment(when or "")
    )
    if moment <= now:
        raise _refuse(
            f"เวลา {when_th(moment)} ผ่านไปแล้ว เลือกเวลาที่ยังมาไม่ถึง ยังไม่ได้ตั้งเวลา",
            f"{moment:%Y-%m-%d %H:%M} has already passed; choose a time still to come. "
            "Nothing was scheduled.",
        )
    if item is not None and item.flow and not flow_path.as_posix().endswith(item.flow):
        console.print_line(
            say(
                f"หมายเหตุ: ขั้นตอน {item.id} ใช้โฟลว์ {item.flow} แต่ท่านตั้งเวลา {flow}",
                f"Note: step {item.id} is done by {item.flow}, but you scheduled {flow}.",
            )
        )
    try:
        portal = check_scheduled_run(flow_path, data_path, dry_run, allow_guarded, config_dir)
        portal_url = url_override(portal)
        if portal_url is not None:
            target = PortalTarget(name=portal, url=portal_url, is_mock=dry_run)
            check_target(target, dry_run=dry_run)
        name = entry_id or default_entry_id(flow_path, deadline, moment, dry_run)
        from bot.ops.schedule import ScheduleEntry

        entry = ScheduleEntry(
            id=name,
            flow=flow_path,
            data=data_path,
            run_dir=_absolute(run_dir or default_runs_dir() / f"scheduled-{name}"),
            portal=portal,
            portal_url=portal_url,
            dry_run=dry_run,
            deadline=deadline,
            days_before=days_before,
            at_time=moment.time(),
            at=None if deadline else moment,
            allow_guarded=allow_guarded,
        )
        installed = scheduler_factory().add(entry, find_edubot(), moment)
    except ValidationError as exc:
        raise _refuse(
            f"ค่าที่ให้มาใช้ไม่ได้: {exc.errors()[0]['msg']}",
            f"Cannot schedule this: {exc.errors()[0]['msg']}",
        ) from None
    except EdubotError as exc:
        stop = _stop(exc)
        console.print_line(say("ยังไม่ได้ตั้งเวลา", "Nothing was scheduled."))
        raise stop from None
    for line in _scheduled_lines(entry, moment, installed):
        console.print_line(line)


def _scheduled_lines(entry: ScheduleEntry, moment: datetime, installed: str) -> list[str]:
    yes, no = say("ใช่", "yes"), say("ไม่", "no")
    lines = [
        say(f"ตั้งเวลาแล้ว: {entry.id}", f"Scheduled: {entry.id}"),
        say(
            f"  เวลา       {when_th(moment)}",
            f"  when       {moment:%Y-%m-%d %H:%M} ({when_th(moment)})",
        ),
        say(f"  โฟลว์      {entry.flow}", f"  flow       {entry.flow}"),
        say(f"  ข้อมูล     {entry.data}", f"  data       {entry.data}"),
        say(f"  รายงาน     {entry.run_dir}", f"  report     {entry.run_dir}"),
        say(
            f"  ซ้อม (dry run)            {yes if entry.dry_run else no}",
            f"  dry run    {yes if entry.dry_run else no}",
        ),
        say(
            f"  ทำขั้นตอนยืนยัน/ส่งได้   {yes if entry.allow_guarded else no}",
            f"  guarded    {yes if entry.allow_guarded else no}",
        ),
    ]
    if entry.portal_url:
        lines.append(say(f"  ระบบ       {entry.portal_url}", f"  portal     {entry.portal_url}"))
    lines += [
        say("  รายการในตัวตั้งเวลาของระบบ:", "  scheduler entry:"),
        *(f"    {ln}" for ln in installed.strip().splitlines()),
        say(
            f"ยกเลิกด้วย: edubot schedule remove {entry.id}",
            f"Cancel with: edubot schedule remove {entry.id}",
        ),
    ]
    return lines


def describe_cron_line(line: str) -> str:
    """`6 ธ.ค. 2569 08:30 น. · flows/… · --data … · dry run` from one of edubot's cron lines."""
    try:
        words = shlex.split(line, comments=True)
        minute, hour, day, month = (int(w) for w in words[:4])
        year = int(words[words.index("=") + 1])
        moment = datetime(year, month, day, hour, minute)
        run = words.index("run")
    except (ValueError, IndexError):
        return line
    parts = [when_th(moment), words[run + 1]]
    if "--data" in words:
        parts.append(f"--data {words[words.index('--data') + 1]}")
    if "--dry-run" in words:
        parts.append(say("ซ้อม (dry run)", "dry run"))
    if "--confirm" in words:
        parts.append(say("ทำขั้นตอนยืนยัน/ส่งได้", "guarded steps allowed"))
    return " · ".join(parts)


@schedule_app.command("list")
def schedule_list() -> None:
    """List edubot's scheduled runs on this machine.

    Example: edubot schedule list
    """
    try:
        store = scheduler_factory()
        jobs = store.list()
    except EdubotError as exc:
        raise _stop(exc) from None
    if not jobs:
        console.print_line(say("ยังไม่มีการตั้งเวลา", "Nothing is scheduled."))
        return
    from bot.ops.schedule import CrontabStore

    cron = isinstance(store, CrontabStore)
    for job in jobs:
        console.print_line(f"{job.id}  {describe_cron_line(job.line) if cron else job.line}")


@schedule_app.command("remove")
def schedule_remove(
    entry_id: Annotated[str, typer.Argument(help="The entry's id, as `schedule list` shows it")],
) -> None:
    """Cancel a scheduled run.

    Example: edubot schedule remove lec-2569-2-school_entry
    """
    try:
        removed = scheduler_factory().remove(entry_id)
    except EdubotError as exc:
        raise _stop(exc) from None
    if not removed:
        raise _refuse(
            f"ไม่พบการตั้งเวลา {entry_id!r} ดูรายการด้วย edubot schedule list",
            f"No scheduled run {entry_id!r}; see `edubot schedule list`.",
        )
    console.print_line(say(f"ยกเลิกแล้ว: {entry_id}", f"Removed: {entry_id}"))


# --- report ---------------------------------------------------------------------------------


def latest_run(runs_dir: Path) -> Path | None:
    """The run directory whose report.json was written last."""
    reports = list(runs_dir.glob("*/report.json"))
    return max(reports, key=lambda p: p.stat().st_mtime).parent if reports else None


@app.command()
def report(
    run_dir: Annotated[
        Path | None, typer.Argument(help="A run directory (default: the latest run)")
    ] = None,
    no_open: Annotated[
        bool, typer.Option("--no-open", help="Only write report.html and print its path")
    ] = False,
) -> None:
    """Write a run's report.html from its report.json and open it in the browser.

    Example: edubot report demo-run
    """
    from bot.engine.report_html import write_report_html

    if run_dir is not None and run_dir.is_file():
        run_dir = run_dir.parent  # the officer pointed at report.json itself
    directory = run_dir or latest_run(default_runs_dir())
    if directory is None:
        raise _refuse(
            f"ยังไม่มีการรันใน {default_runs_dir()} ระบุโฟลเดอร์ของการรัน เช่น edubot report demo-run",
            f"No runs under {default_runs_dir()}; name a run directory: edubot report demo-run",
        )
    source = directory / "report.json"
    try:
        data: Any = json.loads(source.read_text(encoding="utf-8"))
    except OSError:
        raise _refuse(f"ไม่พบ {source}", f"{source} does not exist.") from None
    except ValueError as exc:
        raise _refuse(f"อ่าน {source} ไม่ได้: {exc}", f"{source} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise _refuse(f"{source} ไม่ใช่รายงานของ edubot", f"{source} is not an edubot report.")
    try:
        html = write_report_html(data, directory)
    except EdubotError as exc:
        raise _stop(exc) from None
    console.print_line(say(f"รายงาน: {html}", f"Report: {html}"))
    if not no_open and not open_in_browser(html.absolute().as_uri()):
        console.print_line(say("เปิดไฟล์นี้ในเบราว์เซอร์ได้เลย", "Open that file in a browser."))


# --- login ----------------------------------------------------------------------------------


class Portal(StrEnum):
    """The portals edubot logs in to."""

    LEC = "lec"
    ESAR = "esar"


def _no_keyring(portal: Portal) -> typer.Exit:
    prefix = f"EDUBOT_{portal.value.upper()}"
    return _refuse(
        f"เครื่องนี้ไม่มี keyring จึงเก็บรหัสผ่านไม่ได้ ให้ตั้งค่า {prefix}_USERNAME และ {prefix}_PASSWORD แทน",
        f"This machine has no keyring backend, so edubot cannot store the password. Set "
        f"{prefix}_USERNAME and {prefix}_PASSWORD instead.",
    )


@app.command()
def login(
    portal: Annotated[Portal, typer.Argument(help="lec or esar")],
    username: Annotated[
        str | None, typer.Option("--username", help="Asked for when not given")
    ] = None,
) -> None:
    """Store a portal's username and password in the system keyring (the password is hidden).

    Example: edubot login lec
    """
    from bot.ops.doctor import keyring_backend
    from bot.secrets import store_credentials

    if keyring_backend() is None:
        raise _no_keyring(portal)
    name = i18n.portal_title(portal.value)
    user = username or str(typer.prompt(say(f"ชื่อผู้ใช้ {name}", f"{name} username")))
    password = str(
        typer.prompt(
            say(f"รหัสผ่าน {name} (ไม่แสดงขณะพิมพ์)", f"{name} password (not shown)"),
            hide_input=True,
            confirmation_prompt=say("พิมพ์รหัสผ่านอีกครั้ง", "Repeat the password"),
        )
    )
    try:
        store_credentials(portal.value, user.strip(), password)
    except CredentialsError:
        raise _no_keyring(portal) from None
    console.print_line(
        say(
            f"เก็บชื่อผู้ใช้และรหัสผ่าน {name} ของ {user.strip()} ใน keyring แล้ว",
            f"Stored the {name} login of {user.strip()} in the keyring.",
        )
    )


# --- doctor ---------------------------------------------------------------------------------

_MARKS = {"ok": "✓", "fail": "✗", "warn": "!", "skip": "–"}


def doctor_lines(results: list[CheckResult]) -> list[str]:
    """One line per check, its fix under each failure or warning, a summary last."""
    lines = []
    for r in results:
        first, *rest = (r.detail or "").splitlines() or [""]
        lines.append(f"{_MARKS[r.status]} {say(r.name_th, r.name_en)}: {first}".rstrip(": "))
        lines += [f"    {ln}" for ln in rest]
        if r.status in ("fail", "warn") and (r.fix_th or r.fix_en):
            lines.append("    " + say(f"วิธีแก้: {r.fix_th}", f"fix: {r.fix_en}"))
    failed = sum(1 for r in results if not r.passed)
    lines.append(
        say(f"ไม่ผ่าน {failed} รายการ", f"{failed} check(s) failed")
        if failed
        else say("พร้อมใช้งาน", "All checks passed.")
    )
    return lines


@app.command("doctor")
def doctor_command(config: ConfigOpt = None) -> None:
    """Check that this machine is ready: browser, keyring, config, flows, Thai font, portals.

    Example: edubot doctor
    """
    probes = doctor_probes()
    if config is not None:
        probes = replace(probes, config_dir=config)
    from bot.ops.doctor import run_checks

    results = run_checks(probes)
    for line in doctor_lines(results):
        console.print_line(line)
    raise typer.Exit(0 if all(r.passed for r in results) else 1)
