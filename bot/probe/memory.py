"""What this machine remembers of its probes, for `edubot doctor`: per portal and flow, when
one last passed and the structure of each page it saw then (a hash per path: labels, buttons,
fields; no data), and what the latest probe saw. A page both saw whose structure differs means
the portal changed since the last pass: the flows should be probed again before a real run."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.paths import data_dir

MEMORY_NAME = "probes.json"


def memory_path() -> Path:
    return data_dir() / "probe" / MEMORY_NAME


def remember(portal: str, flow: str, passed: bool, pages: dict[str, str], when: datetime) -> None:
    """Note a probe's outcome and its pages' hashes (owner-only file in edubot's folder)."""
    path = memory_path()
    data = recall()
    entry: dict[str, Any] = data.setdefault(portal, {}).setdefault(flow, {})
    entry["last_at"] = when.isoformat(timespec="seconds")
    entry["last_pages"] = pages
    entry["last_passed"] = passed
    if passed:
        entry["passed_at"] = entry["last_at"]
        entry["passed_pages"] = pages
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def recall() -> dict[str, dict[str, dict[str, Any]]]:
    """Every remembered probe by portal and flow ({} when none, or the file is unreadable)."""
    try:
        data = json.loads(memory_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def changed_pages(entry: Mapping[str, Any]) -> list[str]:
    """The paths the last pass and the latest probe both saw, with another structure now."""
    passed: dict[str, str] = entry.get("passed_pages") or {}
    latest: dict[str, str] = entry.get("last_pages") or {}
    return sorted(path for path in passed.keys() & latest.keys() if passed[path] != latest[path])
