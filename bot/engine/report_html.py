"""The run report as one self-contained HTML file that opens offline in any browser.

Input is the `report.json` structure the runner writes. Everything the officer needs is inside
the file: inline CSS, failure screenshots as base64 images; traces are linked relatively, so the
run directory can be zipped and sent as is. Every value from the report is escaped by Jinja2's
autoescape, and a Content-Security-Policy forbids scripts as a second wall, because record
fields (a child's name, a portal message) are text typed by people.
"""

from __future__ import annotations

import base64
import os
import tempfile
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.errors import InternalError
from bot.log import redact

__all__ = ["REPORT_NAME", "RunReport", "render_report_html", "write_report_html"]

REPORT_NAME = "report.html"
MAX_INLINE_BYTES = 5 * 1024 * 1024  # a screenshot larger than this is linked, not inlined
_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "added": ("เพิ่มใหม่", "added"),
    "updated": ("แก้ไขแล้ว", "updated"),
    "unchanged": ("ไม่เปลี่ยนแปลง", "unchanged"),
    "verified": ("ตรวจสอบแล้ว", "verified"),
    "submitted": ("ส่งแล้ว", "submitted"),
    "failed": ("ไม่สำเร็จ", "failed"),
    "skipped": ("ข้าม", "skipped"),
}
EXIT_MEANINGS = {
    0: ("สำเร็จ", "done"),
    1: ("บางรายการไม่สำเร็จ", "some records failed"),
    2: ("ข้อมูลหรือ flow ไม่ถูกต้อง ไม่ได้ส่งอะไร", "bad flow, data or arguments; nothing sent"),
    3: ("ข้อผิดพลาดภายใน", "internal error"),
}
PORTAL_NAMES = {"lec": "LEC", "esar": "e-SAR"}


class _Lenient(BaseModel):
    # Newer runners may add fields; an older report should still render.
    model_config = ConfigDict(extra="ignore", frozen=True)


class FlowInfo(_Lenient):
    """Which flow ran."""

    name: str = ""
    path: str = ""
    portal: str = ""


class RecordResult(_Lenient):
    """One record's line in the report."""

    index: int | None = None
    key: str = ""
    row: int | None = None
    sheet: str | None = None
    status: str = ""
    message: str = ""
    duration_s: float | None = None
    screenshot: str | None = None
    trace: str | None = None
    cleared: tuple[str, ...] = ()  # form labels emptied at the officer's dash


class Pause(_Lenient):
    started_at: datetime | None = None
    resumed_at: datetime | None = None
    down_s: float | None = None
    probes: int = 0
    gave_up: bool = False
    reason: str = ""


class PortalTroubles(_Lenient):
    """What the portal did (bot.engine.troubles): retries, pauses, the cap's holds."""

    retries: int = 0
    retry_wait_s: float = 0.0
    retries_by_kind: dict[str, int] = {}
    records_given_up: int = 0
    pauses: tuple[Pause, ...] = ()
    paused_s: float = 0.0
    throttled_s: float = 0.0


class LeftRecord(_Lenient):
    index: int | None = None
    key: str = ""
    row: int | None = None


class RunReport(_Lenient):
    """The `report.json` structure, as far as the HTML report uses it."""

    edubot_version: str = ""
    flow: FlowInfo = FlowInfo()
    portal_url: str | None = None
    dry_run: bool = False
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_s: float | None = None
    totals: dict[str, int] = {}
    records: tuple[RecordResult, ...] = ()
    exit_code: int | None = None
    portal_troubles: PortalTroubles | None = None
    left: tuple[LeftRecord, ...] = ()


def _inside(run_dir: Path, relative: str) -> Path | None:
    """The file a report path names, only if it is a relative path inside the run directory."""
    if not relative or Path(relative).is_absolute():
        return None
    root = run_dir.resolve()
    target = (root / relative).resolve()
    return target if target.is_relative_to(root) else None


def _image(run_dir: Path, relative: str | None) -> dict[str, str | None] | None:
    """A screenshot as a data URI, or a note saying why it is not shown."""
    if not relative:
        return None
    view: dict[str, str | None] = {"src": None, "name": relative, "note": None, "href": None}
    target = _inside(run_dir, relative)
    mime = _IMAGE_TYPES.get(Path(relative).suffix.lower())
    if target is None or mime is None:
        return view | {"note": f"ไม่แสดงไฟล์ / not shown: {relative}"}
    if not target.is_file():
        return view | {"note": f"ไม่พบไฟล์ / file missing: {relative}"}
    if target.stat().st_size > MAX_INLINE_BYTES:
        note = "ไฟล์ใหญ่เกินไป / too large to inline"
        return view | {"note": note, "href": _href(run_dir, relative)}
    data = base64.b64encode(target.read_bytes()).decode("ascii")
    return view | {"src": f"data:{mime};base64,{data}"}


def _href(run_dir: Path, relative: str | None) -> str | None:
    if not relative or _inside(run_dir, relative) is None:
        return None
    # Quoting makes "javascript:…" a harmless relative path and keeps spaces and Thai working.
    return quote(Path(relative).as_posix())


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} min {rest:.1f} s" if minutes else f"{rest:.1f} s"


# Thailand keeps UTC+7 all year (no daylight saving): a fixed offset needs no zone database.
THAI_TIME = timezone(timedelta(hours=7), "ICT")


def _when(value: datetime | None) -> str:
    """Thai time, as the portals and the officer keep it, whatever the machine's zone (a
    server in UTC wrote 00:50 for a run at 07:50)."""
    if value is None:
        return "–"
    if value.tzinfo is None:
        return value.isoformat(sep=" ", timespec="seconds")  # an old report: as written
    thai = value.astimezone(THAI_TIME)
    return f"{thai:%Y-%m-%d %H:%M:%S} น. (UTC+7)"


def _record_view(run_dir: Path, rec: RecordResult) -> dict[str, Any]:
    th, en = STATUS_LABELS.get(rec.status, (rec.status or "?", rec.status or "?"))
    return {
        "anchor": f"rec-{rec.index if rec.index is not None else rec.row}",
        "index": rec.index,
        "key": redact(rec.key),
        "row": rec.row,
        "sheet": rec.sheet,
        "status": rec.status,
        "css": f"st-{rec.status}" if rec.status in STATUS_LABELS else "st-other",
        "label_th": th,
        "label_en": en,
        "message": redact(rec.message),
        "cleared": ", ".join(rec.cleared),
        "duration": _duration(rec.duration_s),
        "image": _image(run_dir, rec.screenshot),
        "trace": rec.trace,
        "trace_href": _href(run_dir, rec.trace),
    }


def render_report_html(report: Mapping[str, Any], run_dir: Path) -> str:
    """The report as a complete HTML page; files named in it are read from `run_dir`."""
    try:
        run = RunReport.model_validate(report)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = f"report.json in {run_dir} is malformed at {where}: {first['msg']}"
        raise InternalError(message) from exc
    records = [_record_view(run_dir, r) for r in run.records]
    exit_th, exit_en = EXIT_MEANINGS.get(run.exit_code or 0, ("", ""))
    return _ENV.get_template("report.html").render(
        run=run,
        portal=PORTAL_NAMES.get(run.flow.portal, run.flow.portal),
        started=_when(run.started_at),
        finished=_when(run.finished_at),
        duration=_duration(run.duration_s),
        totals=run.totals,
        labels=STATUS_LABELS,
        records=records,
        failures=[r for r in records if r["image"] or r["trace_href"]],
        exit_th=exit_th,
        exit_en=exit_en,
        troubles=run.portal_troubles,
    )


def write_report_html(report: Mapping[str, Any], run_dir: Path) -> Path:
    """Write `run_dir/report.html`, readable by the owner only, and return its path."""
    html = render_report_html(report, run_dir)
    target = run_dir / REPORT_NAME
    # A temporary file in the same directory, then a rename: never a half-written report.
    # mkstemp creates it owner-only (0o600), and the rename keeps that mode.
    fd, temp = tempfile.mkstemp(dir=run_dir, prefix=".report-", suffix=".html")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(html)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


# The template is a package file, so the wheel must ship bot/templates/*.html.
_ENV = Environment(
    loader=PackageLoader("bot", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["thai_time"] = _when
