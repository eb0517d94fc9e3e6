"""Fixtures for the ops tests: Debian's Chromium for pytest-playwright, a calendar, a report."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from bot.ops.calendar_file import Calendar, load_deadlines

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def calendar() -> Calendar:
    """The shipped config/deadlines.yaml."""
    return load_deadlines(REPO / "config" / "deadlines.yaml")


def tiny_png() -> bytes:
    """A valid 1×1 green PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\xff\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def sample_report() -> dict[str, Any]:
    """The report.json structure of the runner, one record per interesting case."""
    return {
        "edubot_version": "0.1.0",
        "flow": {"name": "lec-students", "path": "flows/lec/students.yaml", "portal": "lec"},
        "portal_url": "http://127.0.0.1:8001",
        "dry_run": True,
        "started_at": "2026-11-29T09:00:00+07:00",
        "finished_at": "2026-11-29T09:00:12.300000+07:00",
        "duration_s": 12.3,
        "totals": {"records": 3, "added": 1, "updated": 1, "unchanged": 0, "failed": 1},
        "records": [
            {
                "index": 1,
                "key": "1-1037-xxxxx-00-5",
                "row": 2,
                "sheet": "Sheet1",
                "status": "added",
                "message": "",
                "duration_s": 1.2,
                "screenshot": None,
                "trace": None,
            },
            {
                "index": 2,
                "key": "1-1037-xxxxx-01-3",
                "row": 3,
                "status": "updated",
                "message": "เด็กหญิง <script>alert(1)</script> สมใจ",
            },
            {
                "index": 3,
                "key": "1-1037-xxxxx-02-1",
                "row": 4,
                "status": "failed",
                "message": "เลขประจำตัวประชาชนไม่ถูกต้อง",
                "screenshot": "failures/0003.png",
                "trace": "failures/0003-trace.zip",
            },
        ],
        "exit_code": 1,
    }


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    """A run directory holding the failure screenshot the sample report names."""
    (tmp_path / "failures").mkdir()
    (tmp_path / "failures" / "0003.png").write_bytes(tiny_png())
    (tmp_path / "failures" / "0003-trace.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    return tmp_path
