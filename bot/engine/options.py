"""What the officer asked `edubot run` for (a light module: the CLI builds it before the run
machinery is imported)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import DEFAULT_CONFIG_DIR


@dataclass(frozen=True)
class RunOptions:
    """What the officer asked for on the command line."""

    flow_path: Path
    data_path: Path | None
    dry_run: bool = False
    confirm: bool = False
    run_dir: Path | None = None
    config_dir: Path = DEFAULT_CONFIG_DIR
    variables: Mapping[str, str] = field(default_factory=dict)
    headless: bool = True
    fresh: bool = False  # ignore what the journal remembers of earlier runs
    workers: int | None = None  # None: the portal's default (config/portals.yaml)
    account: str | None = None  # log in as this user (a round uses several); None: the stored one
    mock_url: str | None = None  # a mock this process already serves (a round's dry run)
    show_personal: bool = False  # problems show IDs and names in full (on the officer's screen)
    mock_state: str | None = None  # the in-process mock's own state folder (default: the portal)
    # A confirmation goes on although the portal holds children the file lacks (checked by hand).
    accept_portal_extras: bool = False
    # Also keep each screenshot unmasked (children's data in full), owner-only, never in a report.
    full_screenshots: bool = False
