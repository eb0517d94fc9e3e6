"""Owner-only file writing: children's data never lands in a world-readable file."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

PRIVATE_MODE = 0o600


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0o600, also when the file already existed."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), PRIVATE_MODE)  # an existing file keeps its old mode
        handle.write(data)


def save_workbook_private(workbook: Any, path: Path) -> None:
    """Save an openpyxl workbook owner-only (never briefly readable by others)."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_private(path, buffer.getvalue())
