"""Which browser edubot launches: a headless shell for headless runs, a full Chrome for a window."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

import bot.browser.find
from bot.browser.find import BrowserChoice, find_browser
from bot.browser.launch import LaunchedBrowser, launch_options
from bot.errors import BrowserDidNotStart, ExitCode


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """A machine whose PATH holds exactly the programs the test puts in the returned dict."""
    on_path: dict[str, str] = {}
    monkeypatch.delenv("EDUBOT_BROWSER", raising=False)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "ms-playwright"))
    monkeypatch.setattr(shutil, "which", on_path.get)
    monkeypatch.setattr(bot.browser.find, "_CHROME_PATHS", ())
    monkeypatch.setattr(bot.browser.find, "_CHROMIUM_PATHS", ())
    return on_path


def test_a_headless_run_takes_debians_headless_shell_over_chromium(
    machine: dict[str, str],
) -> None:
    machine["chromium"] = "/usr/bin/chromium"
    machine["chromium-headless-shell"] = "/usr/bin/chromium-headless-shell"

    assert find_browser() == BrowserChoice("shell", executable="/usr/bin/chromium-headless-shell")
    assert find_browser(headless=False) == BrowserChoice("chromium", executable="/usr/bin/chromium")
    assert launch_options(headless=True)["executable_path"] == "/usr/bin/chromium-headless-shell"
    assert launch_options(headless=False)["executable_path"] == "/usr/bin/chromium"


def test_a_headless_run_takes_playwrights_downloaded_shell(
    machine: dict[str, str], tmp_path: Path
) -> None:
    machine["google-chrome"] = "/usr/bin/google-chrome"
    folder = tmp_path / "ms-playwright" / "chromium_headless_shell-1200" / "chrome-linux"
    folder.mkdir(parents=True)
    shell = folder / "headless_shell"
    shell.write_text("#!/bin/sh\n")
    shell.chmod(shell.stat().st_mode | stat.S_IXUSR)

    assert find_browser() == BrowserChoice("shell", executable=str(shell))
    assert find_browser(headless=False) == BrowserChoice("chrome", channel="chrome")


def test_without_a_shell_headless_runs_use_the_installed_chrome(machine: dict[str, str]) -> None:
    machine["google-chrome"] = "/usr/bin/google-chrome"

    assert find_browser() == BrowserChoice("chrome", channel="chrome")
    assert launch_options()["channel"] == "chrome"


def test_edubot_browser_wins_headless_or_not(
    machine: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    machine["chromium-headless-shell"] = "/usr/bin/chromium-headless-shell"
    monkeypatch.setenv("EDUBOT_BROWSER", "/opt/my/chrome")

    assert find_browser() == BrowserChoice("chromium", executable="/opt/my/chrome")
    assert find_browser(headless=False) == BrowserChoice("chromium", executable="/opt/my/chrome")


def test_launch_flags_leave_playwrights_own_switches_alone(machine: dict[str, str]) -> None:
    """Chromium keeps only the last of each of these switches: one of ours would drop the
    features and the headless mouse Playwright sets (so images are blocked by a route)."""
    machine["chromium-headless-shell"] = "/usr/bin/chromium-headless-shell"
    for blocked in ((), ("image", "font"), ("image", "font", "media", "stylesheet", "script")):
        args = launch_options(blocked=blocked)["args"]
        owned = ("--disable-features", "--enable-features", "--blink-settings")
        assert not [a for a in args if a.startswith(owned)], args
    assert "--disable-remote-fonts" in launch_options(blocked=("font",))["args"]
    assert "--disable-remote-fonts" not in launch_options(blocked=("image",))["args"]


def test_the_shell_says_what_it_is() -> None:
    choice = BrowserChoice("shell", executable="/usr/bin/chromium-headless-shell")
    assert choice.describe() == "Chromium headless shell (/usr/bin/chromium-headless-shell)"


class _Chromium:
    """Playwright's `chromium` whose launches fail `failures` times, then start."""

    def __init__(self, failures: int) -> None:
        self.failures, self.launches = failures, 0

    def launch(self, **_options: object) -> str:
        from playwright.sync_api import Error

        self.launches += 1
        if self.launches <= self.failures:
            raise Error("BrowserType.launch: Target page, context or browser has been closed")
        return "a browser"


def _launcher(failures: int) -> tuple[LaunchedBrowser, _Chromium]:
    launched, chromium = LaunchedBrowser(), _Chromium(failures)
    launched._pw = SimpleNamespace(chromium=chromium)  # type: ignore[assignment]
    return launched, chromium


def test_a_chrome_that_closes_while_starting_is_started_once_more() -> None:
    launched, chromium = _launcher(failures=1)
    assert launched._launch({}) == "a browser"  # type: ignore[comparison-overlap]
    assert chromium.launches == 2


def test_a_chrome_that_closes_twice_stops_the_run_saying_what_to_do() -> None:
    launched, chromium = _launcher(failures=2)
    with pytest.raises(BrowserDidNotStart) as stopped:
        launched._launch({})
    assert chromium.launches == 2
    assert stopped.value.exit_code == ExitCode.SOME_RECORDS_FAILED  # not "internal error"
    message = str(stopped.value)
    assert "Chrome did not start" in message and "run again" in message
    assert "\n" not in message  # the first line of Playwright's text, not its browser log
