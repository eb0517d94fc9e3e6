"""Thai display formats used by the mock's pages: Buddhist-era date-times and sizes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")
BE_OFFSET = 543

_MONTHS = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


def now_bangkok() -> datetime:
    """The current wall-clock time in Thailand."""
    return datetime.now(BANGKOK)


def thai_datetime(iso: str | None) -> str:
    """`2025-04-24T14:30:05+07:00` → `24 เม.ย. 2568 14:30:05 น.`; empty for None."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso).astimezone(BANGKOK)
    month = _MONTHS[moment.month - 1]
    return f"{moment.day} {month} {moment.year + BE_OFFSET} {moment:%H:%M:%S} น."


def megabytes(size: int) -> str:
    """A byte count in MB for messages, at most two decimals: `20`, `25.3`, `0.06`."""
    return f"{size / (1024 * 1024):.2f}".rstrip("0").rstrip(".")


def byte_count(size: int) -> str:
    """`12345` → `12,345 ไบต์`."""
    return f"{size:,} ไบต์"
