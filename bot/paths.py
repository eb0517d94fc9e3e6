"""Where edubot keeps its own files on this machine (a light module: the CLI imports it early)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def data_dir() -> Path:
    """edubot's own files on this machine (journal, runs, mock state); EDUBOT_DATA_DIR moves it."""
    override = os.environ.get("EDUBOT_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("edubot"))


def default_runs_dir() -> Path:
    return data_dir() / "runs"


def mock_state_dir() -> Path:
    return data_dir() / "mock-state"
