"""Read a dataset's JSON side; imports nothing of edubot, so a floor script starts light."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_fields(path: Path) -> list[list[dict[str, Any]]]:
    """Per child, its form fields: [{key, label, select, value}]."""
    loaded: list[list[dict[str, Any]]] = json.loads(path.read_text(encoding="utf-8"))
    return loaded
