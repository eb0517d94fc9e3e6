"""Everything edubot shows on the terminal; the one module that imports rich."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.i18n import say
from bot.log import redact
from bot.ops.calendar_file import thai_date

if TYPE_CHECKING:  # types only: the console prints, it does not run
    from bot.engine.records import PlannedRecord, RecordResult
    from bot.flow.model import Flow


out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

_STATUS_STYLE = {
    "added": "green", "updated": "cyan", "unchanged": "dim", "verified": "green",
    "submitted": "green", "skipped": "dim", "failed": "bold red", "done": "green",
}  # fmt: skip


_STATUS_TH = {
    "added": "เพิ่ม", "updated": "แก้ไข", "unchanged": "ไม่เปลี่ยน", "verified": "ตรวจแล้ว",
    "submitted": "ส่งแล้ว", "skipped": "ข้าม", "failed": "ไม่สำเร็จ", "done": "เสร็จ",
}  # fmt: skip


def count_label(status: str) -> str:
    """A record status as the officer reads it: `เพิ่ม`, `added`, or `เพิ่ม/added`."""
    thai = _STATUS_TH.get(status, status)
    return say(thai, status, both=f"{thai}/{status}")


class ProgressListener:
    """A live progress bar: one tick per record, failures printed as they happen."""

    def __init__(self, console: Console = out) -> None:
        self.console = console
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[last]}"),
            console=console,
            transient=False,
        )
        self.task: Any = None

    def start_run(self, flow: Flow, total: int) -> None:
        self.progress.start()
        # A flow without `for_each` (a confirmation) reads the records but goes through none
        # of them one by one: a count that stays at 0/N would say it did nothing.
        loops = any(step.kind == "for_each" for step in flow.steps)
        self.task = self.progress.add_task(
            flow.name, total=(total if loops else 0) or None, last=""
        )

    def start_record(self, record: PlannedRecord) -> None:
        self.progress.update(self.task, last=record.masked_key)

    def end_record(self, result: RecordResult) -> None:
        self.progress.advance(self.task)
        if result.status == "failed":
            where = f"row {result.record.row}" if result.record.row else f"#{result.record.index}"
            self.console.print(
                f"[red]✗[/red] {where} {result.record.masked_key}: {escape(result.message)}",
                markup=True,
            )

    def end_run(self) -> None:
        self.progress.stop()


def print_summary(report: dict[str, Any], report_path: Path) -> None:
    totals = report["totals"]
    if report.get("aborted"):
        stopped = say("หยุดทำงาน", "stopped")
        err.print(f"[bold red]{stopped}:[/] {escape(report['aborted'])}", markup=True)
    counts = {k: v for k, v in totals.items() if k != "records"}
    # A flow that marks nothing (one `edubot record` wrote) ends its records `done`, which the
    # report's totals do not count: they were done, not "nothing to do".
    counts["done"] = totals["records"] - sum(counts.values())
    parts = [f"[{_STATUS_STYLE.get(k, '')}]{count_label(k)} {v}[/]" for k, v in counts.items() if v]
    done, planned = totals["records"], report.get("planned") or 0
    if report.get("aborted") and done < planned:
        # Not "nothing to do": the records were there, the run stopped before them.
        records = say(f"ทำแล้ว {done} จาก {planned} รายการ", f"{done} of {planned} record(s) done")
        out.print(f"{records}" + (": " + ", ".join(parts) if parts else ""))
    else:
        records = say(f"{done} รายการ", f"{done} record(s)")
        out.print(f"{records}: " + (", ".join(parts) or say("ไม่มีอะไรต้องทำ", "nothing to do")))
    if totals["records"] and totals["records"] == totals.get("unchanged", 0):
        out.print(
            say(
                "ข้อมูลในระบบตรงกับไฟล์แล้ว ไม่มีการเปลี่ยนแปลง",
                "the portal already matches; nothing changed",
            )
        )
    out.print(f"{say('รายงาน', 'report')}: {report_path}")
    html = report_path.with_name("report.html")
    out.print(f"{say('เปิดดูในเบราว์เซอร์', 'open in a browser')}: {html}")


class QuietListener:
    """A listener that shows nothing (reading a status page is not worth a progress bar)."""

    def start_run(self, flow: Flow, total: int) -> None:
        pass

    def start_record(self, record: PlannedRecord) -> None:
        pass

    def end_record(self, result: RecordResult) -> None:
        pass

    def end_run(self) -> None:
        pass


def print_status(name: str, status: Any) -> None:
    """The round at a glance, in Thai: a row per school, then the LGO and the days left."""

    def number(value: int | None) -> str:
        return "—" if value is None else str(value)

    table = Table(title=name)
    for column in ("รหัส", "สถานศึกษา", "ในไฟล์", "ในระบบ", "ตรวจแล้ว", "ยืนยัน"):
        table.add_column(column)
    for school in status.schools:
        mark = "[green]✓ ยืนยันแล้ว[/]" if school.confirmed else "[yellow]✗ ยังไม่ยืนยัน[/]"
        if school.counts_differ:  # confirmed or not, the file and the portal disagree
            mark += "\n[bold red]⚠ " + say("จำนวนไม่ตรงกับไฟล์", "counts differ") + "[/]"
        table.add_row(
            school.code, escape(school.name), number(school.in_file), number(school.on_portal),
            number(school.verified), mark,
        )  # fmt: skip
    out.print(table)
    lgo = {True: "[green]✓ ยืนยันแล้ว[/]", False: "[yellow]✗ ยังไม่ยืนยัน[/]", None: "—"}
    out.print(f"{say('ระดับ อปท.', 'LGO level')}: {lgo[status.lgo_confirmed]}", markup=True)
    if status.closes is None:
        out.print(
            say("ไม่พบรอบที่ยังเปิดใน config/deadlines.yaml", "no open round in config/deadlines.yaml")
        )
    else:
        closes = thai_date(status.closes)  # พ.ศ., as `edubot deadlines` shows dates
        out.print(
            say(
                f"ระบบปิด {closes} — เหลือ {status.days_left} วัน",
                f"LEC closes {closes} ({status.closes.isoformat()}): "
                f"{status.days_left} day(s) left",
            )
        )


def print_round(name: str, outcomes: Sequence[Any], total: int) -> None:
    """One line per step of a round: done, failed, or not reached."""
    out.print(f"[bold]{name}[/]", markup=True)
    for outcome in outcomes:
        title = f"{outcome.planned.number:2d}. {outcome.planned.title}"
        if outcome.report is None:
            out.print(
                f"[yellow]⏸[/] {title}: "
                + say(
                    "หยุดก่อนขั้นตอนที่ย้อนกลับไม่ได้ — รันอีกครั้งพร้อม --confirm",
                    "stopped before an irreversible step; run again with --confirm",
                ),
                markup=True,
            )
            continue
        data = outcome.report.as_dict()
        mark = "[red]✗[/]" if data["exit_code"] else "[green]✓[/]"
        counts = ", ".join(
            f"{count_label(k)} {v}" for k, v in data["totals"].items() if k != "records" and v
        )
        counts = counts or say("เสร็จ", "done")
        reason = f" — {escape(data['aborted'])}" if data.get("aborted") else ""
        out.print(f"{mark} {title} {counts}{reason}  ({outcome.run_dir})", markup=True)
    if len(outcomes) < total and outcomes and outcomes[-1].report is not None:
        left = total - len(outcomes)
        out.print(say(f"อีก {left} ขั้นตอนยังไม่ได้ทำ", f"{left} step(s) not run"))


def _problem_line(problem: Any) -> str:
    """One problem on one line, in the officer's language (both by default)."""
    return str(problem.one_line())


def print_problems(problems: Sequence[Any], title: str) -> None:
    """The problems an officer fixes in Excel: a table on a terminal, one line each otherwise."""
    if not err.is_terminal:
        for problem in problems:
            err.print(_problem_line(problem), markup=False, soft_wrap=True)
        return
    table = Table(title=title, show_lines=True)
    headers = [("ตำแหน่ง", "cell"), ("ค่า", "value"), ("ปัญหา", "problem"), ("วิธีแก้", "fix")]
    table.add_column("", overflow="fold")
    for th, en in headers:
        table.add_column(say(th, en, both=f"{th} {en}"), overflow="fold")
    for p in problems:
        mark = "[red]error[/]" if p.severity == "error" else "[yellow]warning[/]"
        cell = (
            f"{p.sheet}!{p.column_letter}{p.row or ''}" if p.sheet else f"{p.column_letter}{p.row}"
        )
        table.add_row(
            mark,
            f"{cell}\n{p.column}",
            p.value,
            say(p.message_th, p.message_en, both=f"{p.message_th}\n{p.message_en}"),
            say(p.fix_th, p.fix_en, both=f"{p.fix_th}\n{p.fix_en}"),
        )
    err.print(table)


def print_error(message: str) -> None:
    # The text may come from a portal: escape it, and mask any national ID it carries.
    err.print(f"[bold red]edubot:[/] {escape(redact(message))}", markup=True, highlight=False)


def print_line(message: str) -> None:
    out.print(message, markup=False)
