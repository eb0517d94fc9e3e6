"""`edubot schedule add|list|remove`: unattended runs started by cron or the Windows Task
Scheduler, each one refused now for anything `edubot run` would refuse then.
"""

from __future__ import annotations

import shlex
from datetime import datetime
from pathlib import Path, PureWindowsPath
from typing import Annotated, Literal

import typer
from pydantic import ValidationError

from bot import console
from bot.cli import schedule_checks, system
from bot.cli.deadlines import load_calendar, parse_clock, parse_moment, when_th
from bot.cli.shared import ConfigOpt, FlowArg, fail, refuse
from bot.config import DEFAULT_CONFIG_DIR, PortalTarget, check_target, url_override
from bot.engine.options import RunOptions
from bot.engine.pipeline import guarded_steps, prepare
from bot.errors import EdubotError
from bot.flow.loader import load_flow
from bot.flows_catalogue import catalogue_name, resolve_flow
from bot.i18n import say
from bot.ops.deadlines import find_item, resolve_schedule_time
from bot.ops.schedule import CrontabStore, ScheduleEntry
from bot.paths import default_runs_dir


def default_entry_id(flow: Path, deadline: str | None, moment: datetime, dry_run: bool) -> str:
    """`lec-2569-2-school_confirm`, or `students-20261206-0830`; `-dry-run` for a rehearsal."""
    base = deadline.replace(":", "-") if deadline else f"{flow.stem}-{moment:%Y%m%d-%H%M}"
    return base + ("-dry-run" if dry_run else "")


def _absolute(path: Path) -> Path:
    # The scheduler starts elsewhere; a path already absolute (in either OS's way) stays as is.
    return path if PureWindowsPath(path).is_absolute() else path.absolute()


def check_scheduled_run(
    flow: Path, data: Path, dry_run: bool, allow_guarded: bool, config: Path
) -> Literal["lec", "esar"]:
    """Everything `edubot run` would refuse, refused now; returns the flow's portal."""
    if guarded_steps(load_flow(flow)) and not (allow_guarded or dry_run):
        raise refuse(
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


def schedule_add(
    flow: FlowArg,
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
    keyring: Annotated[
        str | None,
        typer.Option(
            "--keyring",
            help="file: read the password from a file keyring (keyrings.alt), which a scheduled"
            " run reaches without a desktop session; readable by you only, not encrypted",
        ),
    ] = None,
) -> None:
    """Schedule a flow to run by itself before a deadline (cron, or the Windows Task Scheduler).

    Example: edubot schedule add flows/lec/students.yaml --data children.xlsx
    --deadline lec:2569-2:school_entry --days-before 2 --at 08:30
    """
    config_dir = config or DEFAULT_CONFIG_DIR
    if (deadline is None) == (when is None):
        raise refuse(
            "ระบุ --deadline ID (ดู ID ได้จาก edubot deadlines) หรือ --when 'YYYY-MM-DD HH:MM' "
            "อย่างใดอย่างหนึ่ง",
            "Give either --deadline ID (see `edubot deadlines`) or --when 'YYYY-MM-DD HH:MM'.",
        )
    now = system.clock()
    flow_path, data_path = _absolute(resolve_flow(flow)), _absolute(data)  # a name: its file
    try:
        item = find_item(load_calendar(config), deadline, now.date()) if deadline else None
    except EdubotError as exc:
        raise fail(exc) from None
    moment = (
        resolve_schedule_time(item, days_before, parse_clock(at))
        if item is not None
        else parse_moment(when or "")
    )
    if moment <= now:
        raise refuse(
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
        url = {f"EDUBOT_{portal.upper()}_URL": portal_url} if portal_url else {}
        own = schedule_checks.keyring_variables(keyring)
        own = schedule_checks.proven_environment(system.find_edubot(), portal, dry_run, own, url)
        entry = ScheduleEntry(
            id=name,
            # A flow of the catalogue by its name, found when the run starts: an upgrade of
            # edubot moves the folder its own flows are in.
            flow=Path(catalogue_name(flow_path) or flow_path),
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
            environment=own,
        )
        installed = system.scheduler_factory().add(entry, system.find_edubot(), moment)
    except ValidationError as exc:
        raise refuse(
            f"ค่าที่ให้มาใช้ไม่ได้: {exc.errors()[0]['msg']}",
            f"Cannot schedule this: {exc.errors()[0]['msg']}",
        ) from None
    except EdubotError as exc:
        stop = fail(exc)
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


def schedule_list() -> None:
    """List edubot's scheduled runs on this machine.

    Example: edubot schedule list
    """
    try:
        store = system.scheduler_factory()
        jobs = store.list()
    except EdubotError as exc:
        raise fail(exc) from None
    if not jobs:
        console.print_line(say("ยังไม่มีการตั้งเวลา", "Nothing is scheduled."))
        return
    cron = isinstance(store, CrontabStore)
    for job in jobs:
        console.print_line(f"{job.id}  {describe_cron_line(job.line) if cron else job.line}")


def schedule_remove(
    entry_id: Annotated[str, typer.Argument(help="The entry's id, as `schedule list` shows it")],
) -> None:
    """Cancel a scheduled run.

    Example: edubot schedule remove lec-2569-2-school_entry
    """
    try:
        removed = system.scheduler_factory().remove(entry_id)
    except EdubotError as exc:
        raise fail(exc) from None
    if not removed:
        raise refuse(
            f"ไม่พบการตั้งเวลา {entry_id!r} ดูรายการด้วย edubot schedule list",
            f"No scheduled run {entry_id!r}; see `edubot schedule list`.",
        )
    console.print_line(say(f"ยกเลิกแล้ว: {entry_id}", f"Removed: {entry_id}"))
