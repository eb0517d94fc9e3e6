"""What this machine remembers of its probes, for `edubot doctor`: per portal and flow, when
one last passed and the structure of the pages it saw then (a hash: labels, buttons, fields;
no data), and the structure the latest probe saw. Pages that changed since the last pass mean
the flows should be probed again before a real run."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.paths import data_dir

MEMORY_NAME = "probes.json"


def memory_path() -> Path:
    return data_dir() / "probe" / MEMORY_NAME


def remember(portal: str, flow: str, passed: bool, structure_hash: str, when: datetime) -> None:
    """Note a probe's outcome (owner-only file in edubot's folder)."""
    path = memory_path()
    data = recall()
    entry: dict[str, Any] = data.setdefault(portal, {}).setdefault(flow, {})
    entry["last_at"] = when.isoformat(timespec="seconds")
    entry["last_hash"] = structure_hash
    entry["last_passed"] = passed
    if passed:
        entry["passed_at"] = entry["last_at"]
        entry["passed_hash"] = structure_hash
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def recall() -> dict[str, dict[str, dict[str, Any]]]:
    """Every remembered probe by portal and flow ({} when none, or the file is unreadable)."""
    try:
        data = json.loads(memory_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
