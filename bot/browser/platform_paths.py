"""Where each system keeps browsers, for the browser search (bot/browser/launch.py).

Windows keeps Chrome and Edge in folders of its own.

Windows has no PATH entry for either browser, and its folders move with the machine: 64-bit
Program Files, the 32-bit one, and (for Chrome installed without administrator rights, common
on an office PC) the user's own %LOCALAPPDATA%. Microsoft Edge is on every Windows 10 and 11,
so a machine without Chrome still has a Chromium edubot can drive. The folders come from the
environment, never from a fixed `C:\\`: Windows may live on another drive.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path, PureWindowsPath

# Where each browser's program sits under one of the folders below.
CHROME = PureWindowsPath("Google", "Chrome", "Application", "chrome.exe")
EDGE = PureWindowsPath("Microsoft", "Edge", "Application", "msedge.exe")
_FOLDERS = ("PROGRAMFILES", "PROGRAMW6432", "PROGRAMFILES(X86)", "LOCALAPPDATA")


def windows_browser_paths(env: Mapping[str, str]) -> list[tuple[str, PureWindowsPath]]:
    """("chrome" | "msedge", program) for every place Windows may have put one, Chrome first."""
    # Windows environment names are case-insensitive; a Mapping given by a test may not be.
    upper = {name.upper(): value for name, value in env.items()}
    folders = [PureWindowsPath(upper[name]) for name in _FOLDERS if upper.get(name)]
    seen: list[tuple[str, PureWindowsPath]] = []
    for kind, program in (("chrome", CHROME), ("msedge", EDGE)):
        for folder in folders:
            candidate = (kind, folder / program)
            if candidate not in seen:
                seen.append(candidate)
    return seen


def find_windows_browser(
    env: Mapping[str, str] | None = None,
    exists: Callable[[str], bool] = os.path.isfile,
    platform: str | None = None,
) -> tuple[str, str] | None:
    """The first installed Chrome or Edge on Windows as (kind, program); None elsewhere."""
    import sys

    if (platform or sys.platform) != "win32":
        return None
    for kind, program in windows_browser_paths(os.environ if env is None else env):
        if exists(str(program)):
            return kind, str(program)
    return None


def playwright_cache(
    env: Mapping[str, str] | None = None, platform: str | None = None, home: Path | None = None
) -> Path:
    """Where Playwright keeps the browsers it downloads (PLAYWRIGHT_BROWSERS_PATH moves it):
    %LOCALAPPDATA%\\ms-playwright on Windows, ~/Library/Caches/ms-playwright on macOS,
    ~/.cache/ms-playwright elsewhere (as Playwright's own registry says)."""
    import sys

    env = os.environ if env is None else env
    platform = platform or sys.platform
    home = Path.home() if home is None else home
    if env.get("PLAYWRIGHT_BROWSERS_PATH"):
        return Path(env["PLAYWRIGHT_BROWSERS_PATH"])
    if platform == "win32":
        local = env.get("LOCALAPPDATA")
        return Path(local) / "ms-playwright" if local else home / "AppData/Local/ms-playwright"
    if platform == "darwin":
        return home / "Library" / "Caches" / "ms-playwright"
    return home / ".cache" / "ms-playwright"
