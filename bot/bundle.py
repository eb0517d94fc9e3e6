"""Where edubot's own flows and default configuration are, and the officer's folder beside them.

Two places hold what edubot ships:
- installed (a wheel, pipx): `bot/_bundled/{flows,config}` inside the package, copied there by
  the build (setup.py) from the repository's top-level `flows/` and `config/`;
- a checkout (`pip install -e .`, `make`): the checkout's own `flows/` and `config/`, so that an
  edited flow is the one that runs without a rebuild.

The officer's own folder (`user_dir()`, the platform's user config folder) holds copied flows
(`flows/…`, see bot/flows_catalogue.py) and YAML files that override the shipped defaults key
by key (`settings.yaml`, `portals.yaml`, `deadlines.yaml`). EDUBOT_CONFIG_DIR moves it (tests,
a second profile). This module imports nothing of edubot's: config and the flow loader use it.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs

BUNDLED_PACKAGE_DIR = "_bundled"  # bot/_bundled/ in a wheel; setup.py fills it
OVERRIDABLE_CONFIG = ("settings.yaml", "portals.yaml", "deadlines.yaml")


class BundleMissing(RuntimeError):
    """Neither an installed bundle nor a checkout: a broken install, said as such."""


def bundle_root() -> Path:
    """The folder that holds the shipped `flows/` and `config/`."""
    # importlib.resources finds the installed package wherever it is; a wheel installs as plain
    # files (pip and pipx never run edubot from a zip), so the folder is a real path.
    installed = Path(str(resources.files("bot"))) / BUNDLED_PACKAGE_DIR
    if (installed / "flows").is_dir():
        return installed
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "flows").is_dir() and (checkout / "config").is_dir():
        return checkout
    raise BundleMissing(
        f"edubot's own flows are missing (looked in {installed} and {checkout}); "
        "reinstall edubot (pipx reinstall edubot) or use a complete checkout"
    )


def bundled_flows_dir() -> Path:
    return bundle_root() / "flows"


def bundled_config_dir() -> Path:
    return bundle_root() / "config"


def user_dir() -> Path:
    """The officer's own edubot folder: copied flows and configuration overrides.

    Linux ~/.config/edubot, macOS ~/Library/Application Support/edubot, Windows
    %APPDATA%\\edubot (the roaming profile, where Windows keeps a user's settings).
    """
    override = os.environ.get("EDUBOT_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("edubot", appauthor=False, roaming=True))


def user_flows_dir() -> Path:
    return user_dir() / "flows"


def user_config_file(name: str) -> Path:
    """The officer's override of one shipped config file (it may not exist)."""
    return user_dir() / name


def merge_over(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` laid on `base` key by key: mappings merge, anything else (lists too) replaces.

    A list replaces rather than extends: an officer who writes this term's `rounds:` means those
    rounds, not the shipped examples plus those.
    """
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_over(merged[key], value)
        else:
            merged[key] = value
    return merged


def layers_for(path: Path) -> list[Path]:
    """The files a config file's values come from, lowest first: the file itself, then the
    officer's file of that name when `path` is one of the shipped defaults (an explicit
    `--config` folder is taken as it is)."""
    layers = [path]
    try:
        shipped = path.parent.resolve() == bundled_config_dir().resolve()
    except BundleMissing:
        shipped = False
    if shipped and path.name in OVERRIDABLE_CONFIG:
        own = user_config_file(path.name)
        if own.is_file():
            layers.append(own)
    return layers
