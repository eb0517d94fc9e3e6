"""Find a Chrome on this machine, or install one (`python -m bot.browser --ensure`).

Discovery order: installed Google Chrome → a system Chromium → Debian's `chromium` package
(installed by `--ensure` when root with apt) → Playwright's own download. A headless run first
looks for a Chromium *headless shell* (Debian's `chromium-headless-shell`, Chrome for Testing's
`chrome-headless-shell`, Playwright's own): the same engine without the desktop browser around
it — no autofill parsing every form, no omnibox — and what Playwright itself runs headless.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.browser.platform_paths import find_windows_browser, playwright_cache

_CHROME_PATHS = (
    "/opt/google/chrome/chrome",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
)
_CHROMIUM_NAMES = ("chromium", "chromium-browser")
_HEADLESS_SHELL_NAMES = ("chromium-headless-shell", "chrome-headless-shell")
_DEBIAN_SHELL = "chromium-headless-shell"
_CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium")


@dataclass(frozen=True)
class BrowserChoice:
    """Which browser to launch: a Playwright channel, or an executable path, or Playwright's own."""

    kind: str  # "chrome", "chromium", "shell" (a headless shell) or "playwright"
    executable: str | None = None
    channel: str | None = None

    def describe(self) -> str:
        return {
            "chrome": "Google Chrome",
            "chromium": f"Chromium ({self.executable})",
            "shell": f"Chromium headless shell ({self.executable})",
            "playwright": "Playwright's Chromium",
        }[self.kind]


def is_root() -> bool:
    # Windows has no os.geteuid: there edubot never installs a browser itself.
    return hasattr(os, "geteuid") and os.geteuid() == 0


def find_browser(*, headless: bool = True) -> BrowserChoice | None:
    """The best browser on this machine, or None when Playwright must download its own.

    Headless, a headless shell wins when there is one: on a 57-field form it takes about half
    the CPU of a full Chrome per page (benchmarks/README.md), and no window is lost.
    """
    override = os.environ.get("EDUBOT_BROWSER")
    if override:
        return BrowserChoice("chromium", executable=override)
    shell = find_headless_shell() if headless else None
    if shell:
        return shell
    if any(Path(p).exists() for p in _CHROME_PATHS) or shutil.which("google-chrome"):
        return BrowserChoice("chrome", channel="chrome")
    windows = find_windows_browser()  # Chrome, else Edge, in Windows' own folders
    if windows and windows[0] == "chrome":
        return BrowserChoice("chrome", channel="chrome")
    if windows:  # Microsoft Edge: a Chromium that Playwright drives like any other
        return BrowserChoice("chromium", executable=windows[1])
    for name in _CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return BrowserChoice("chromium", executable=found)
    for path in _CHROMIUM_PATHS:
        if Path(path).exists():
            return BrowserChoice("chromium", executable=path)
    if _playwright_chromium_installed():
        return BrowserChoice("playwright")
    return None


def find_headless_shell() -> BrowserChoice | None:
    """A Chromium headless shell: the system's, else the one Playwright downloaded."""
    for name in _HEADLESS_SHELL_NAMES:
        found = shutil.which(name)
        if found:
            return BrowserChoice("shell", executable=found)
    cache = _playwright_cache()
    if cache.exists():
        for binary in sorted(cache.glob("chromium_headless_shell-*/chrome-*/*headless*shell*")):
            if binary.is_file() and os.access(binary, os.X_OK):
                return BrowserChoice("shell", executable=str(binary))
    return None


def _playwright_cache() -> Path:
    return playwright_cache()  # per system: Windows and macOS keep it elsewhere


def _playwright_chromium_installed() -> bool:
    cache = _playwright_cache()
    return any(cache.glob("chromium-*/chrome-*/chrome*")) if cache.exists() else False


def _can_apt() -> bool:
    return sys.platform.startswith("linux") and is_root() and bool(shutil.which("apt-get"))


def ensure_browser() -> BrowserChoice:
    """Make sure a browser exists, installing one if needed; return the choice.

    As root with apt, Debian's headless shell comes too (headless runs and the tests use it);
    elsewhere a full browser is enough: it runs headless as well, only heavier.
    """
    found = find_browser(headless=False)
    _ensure_thai_font()
    can_apt = _can_apt()
    wanted = ([] if found else ["chromium"]) + ([] if find_headless_shell() else [_DEBIAN_SHELL])
    if found and (not wanted or not can_apt):
        return find_browser() or found
    if can_apt:
        print(f"edubot: installing {' and '.join(wanted)} (apt-get)…", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        # The shell is a bonus: an older Debian without the package still gets its chromium.
        shell = subprocess.run(["apt-get", "install", "-y", "-qq", *wanted], check=False, env=env)
        if shell.returncode != 0 and not found:
            subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    else:
        print("edubot: downloading Playwright's Chromium…", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=True)
    found = find_browser()
    if found is None:
        raise SystemExit("edubot: no browser could be installed; install Google Chrome and retry.")
    return found


def _ensure_thai_font() -> None:
    """Without a Thai font, failure screenshots show boxes; install one where we may."""
    if not _can_apt() or not shutil.which("fc-list"):
        return
    listing = subprocess.run(["fc-list", ":lang=th"], capture_output=True, text=True, check=False)
    if listing.stdout.strip():
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(
        "edubot: installing a Thai font for readable screenshots (fonts-thai-tlwg)…",
        file=sys.stderr,
    )
    subprocess.run(["apt-get", "install", "-y", "-qq", "fonts-thai-tlwg"], check=False, env=env)
