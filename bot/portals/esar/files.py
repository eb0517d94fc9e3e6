"""Small file helpers for bot.portals.esar: owner-only writes and streaming SHA-256."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import BinaryIO

_CHUNK = 1024 * 1024


def open_owner_only(path: Path) -> BinaryIO:
    """Open `path` for writing, created or truncated, readable by its owner only (0600)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT
    return os.fdopen(descriptor, "wb")


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
