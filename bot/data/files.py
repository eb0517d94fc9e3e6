"""Owner-only file writing: children's data never lands in a world-readable file."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

PRIVATE_MODE = 0o600


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0o600, also when the file already existed.

    The mode is set by path, not with os.fchmod, which Windows' Python lacks before 3.13; there
    the bits set only the read-only flag and the file is private through the access list of
    the officer's own profile folder (see bot/engine/report.py's write_private).
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
    with os.fdopen(fd, "wb") as handle:
        os.chmod(path, PRIVATE_MODE)  # before a byte is written: an existing file keeps its mode
        handle.write(data)


def save_workbook_private(workbook: Any, path: Path) -> None:
    """Save an openpyxl workbook owner-only (never briefly readable by others)."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_private(path, buffer.getvalue())
