"""Launch a Chrome for a run, and hand out its browser contexts.

This package and `bot.engine` (actions and the modules beside it) are the only Playwright users.
`LaunchedBrowser` is Playwright's driver and one Chromium; `BrowserSession` is that browser for
the length of a run, handing each worker a context behind the dry-run wall
(`bot.browser.wall`). Which browser: `bot.browser.find`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.browser import together
from bot.browser.find import BrowserChoice, find_browser, is_root
from bot.browser.together import Start
from bot.browser.wall import OriginWall, asset_pattern
from bot.errors import BrowserDidNotStart
from bot.i18n import say
from bot.ops.scratch import (
    close_scratch,
    environment_for_children,
    open_scratch,
    temporary_folder_for_children,
)
from bot.paths import data_dir
from bot.secrets import is_secret_variable

if TYPE_CHECKING:  # Playwright is imported when a browser starts: `edubot` starts faster
    from playwright.sync_api import Browser, BrowserContext, Playwright, Route

# Without these, Chromium on a closed network stalls on background fetches, and as root it
# refuses to start without --no-sandbox.
QUIET_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
)

# A lighter Chrome for a bot that visits two portals: the GPU service inside the browser process
# instead of a process of its own, and a cap on each page's script heap (portal pages need
# little; the cap bounds what a runaway page takes, and the runner's fresh tabs free the rest).
LEAN_FLAGS = (
    "--disable-gpu",
    "--in-process-gpu",
    "--js-flags=--max-old-space-size=128",
)

# Resource types Chromium can be told at launch never to load; the others need a route. (Images
# too: Chromium's switch for them, --blink-settings, would replace the one Playwright passes a
# headless browser, and with it the desktop mouse it gives the pages.)
BLOCKED_AT_LAUNCH = frozenset({"font"})


def launch_options(
    choice: BrowserChoice | None = None,
    *,
    headless: bool = True,
    blocked: Iterable[str] = (),
) -> dict[str, Any]:
    """Keyword arguments for `playwright.chromium.launch(...)`; `blocked`: resource types never
    to load (those in `BLOCKED_AT_LAUNCH` are switched off here, the rest is for a route)."""
    choice = choice or find_browser(headless=headless) or BrowserChoice("playwright")
    args = [*QUIET_FLAGS, *LEAN_FLAGS]
    if "font" in blocked:
        args.append("--disable-remote-fonts")
    if is_root():
        args.append("--no-sandbox")
    options: dict[str, Any] = {"headless": headless, "args": args}
    if choice.channel:
        options["channel"] = choice.channel
    if choice.executable:
        options["executable_path"] = choice.executable
    return options


def secrets_withheld_from_children() -> AbstractContextManager[None]:
    """Processes started inside this block do not inherit edubot's secret variables; this
    process has them back after it (Playwright starts its driver with our environment)."""
    return environment_for_children({n: None for n in os.environ if is_secret_variable(n)})


class LaunchedBrowser:
    """Playwright's driver and one Chromium, bound to the thread that started them (sync API)."""

    def __init__(self, *, headless: bool = True, blocked: Iterable[str] = ()) -> None:
        self.headless = headless
        self.blocked_at_launch = frozenset(blocked) & BLOCKED_AT_LAUNCH
        self._pw: Playwright | None = None
        self.browser: Browser | None = None
        self._scratch: Path | None = None

    def __enter__(self) -> LaunchedBrowser:
        from playwright.sync_api import sync_playwright

        # The driver's traces and the browser's profile go to a folder of this run's own, so a
        # run killed halfway leaves children's data where the next run and `purge` find it.
        # Chromium itself keeps the system's temporary folder: Chrome puts a socket there whose
        # path may not pass 107 bytes, or it aborts.
        # Neither the driver nor Chromium gets edubot's secrets: a password the officer set in
        # the environment is typed by edubot itself, and a child's environment can be read by
        # any process of the same account (/proc/PID/environ) and ends up in crash reports.
        system_environment: dict[str, str | float | bool] = {
            name: value for name, value in os.environ.items() if not is_secret_variable(name)
        }
        self._scratch = open_scratch(data_dir())
        try:
            with temporary_folder_for_children(self._scratch), secrets_withheld_from_children():
                self._pw = sync_playwright().start()
        except BaseException:
            close_scratch(self._scratch)
            raise
        try:
            self.browser = self._launch(system_environment)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _launch(self, environment: dict[str, str | float | bool]) -> Browser:
        """Chromium, tried twice: on a busy machine it now and then closes while starting."""
        from playwright.sync_api import Error as PlaywrightError

        assert self._pw is not None
        options = launch_options(headless=self.headless, blocked=self.blocked_at_launch)
        try:
            return self._pw.chromium.launch(**options, env=environment)
        except PlaywrightError:
            pass
        try:
            return self._pw.chromium.launch(**options, env=environment)
        except PlaywrightError as exc:
            first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise BrowserDidNotStart(
                say(
                    f"เปิด Chrome ไม่ได้ ({first_line}): ปิดโปรแกรมอื่นที่ไม่ใช้แล้วรันอีกครั้ง "
                    "ระบบจะทำต่อจากที่ค้างไว้",
                    f"Chrome did not start ({first_line}): close programs you do not need and run "
                    "again; the run goes on where it stopped",
                )
            ) from exc

    def __exit__(self, *exc: object) -> None:
        if self.browser is not None:
            self.browser.close()
            self.browser = None
        if self._pw is not None:
            self._pw.stop()
            self._pw = None
        if self._scratch is not None:
            close_scratch(self._scratch)
            self._scratch = None

    @property
    def playwright(self) -> Playwright:
        """The running Playwright (for registering selector engines before its contexts)."""
        assert self._pw is not None, "use LaunchedBrowser as a context manager"
        return self._pw

    def run_together(self, first: Callable[[Start], None]) -> list[BaseException]:
        """Run `first` and the tasks it starts side by side (`bot.browser.together`)."""
        assert self._pw is not None, "use LaunchedBrowser as a context manager"
        return together.run_together(self._pw, first)

    def pause(self, seconds: float) -> None:
        """Wait without stopping the other tasks of `run_together` (a retry's backoff)."""
        assert self._pw is not None, "use LaunchedBrowser as a context manager"
        together.pause(self._pw, seconds)


class BrowserSession:
    """A launched browser for the length of a run; hands out configured contexts."""

    def __init__(
        self,
        *,
        headless: bool = True,
        dry_run: bool = True,
        block_resources: tuple[str, ...] = (),
        action_timeout_ms: int = 15_000,
        navigation_timeout_ms: int = 30_000,
        mock_origins: Iterable[str] = (),  # a dry run: the proven mocks, all the wall lets by
    ) -> None:
        self.wall = OriginWall(enforce=dry_run, origins=mock_origins)
        self._block = frozenset(block_resources)
        self._action_ms, self._nav_ms = action_timeout_ms, navigation_timeout_ms
        self._launched = LaunchedBrowser(headless=headless, blocked=self._block)
        self._browser: Browser | None = None

    def __enter__(self) -> BrowserSession:
        self._browser = self._launched.__enter__().browser
        return self

    def __exit__(self, *exc: object) -> None:
        self._launched.__exit__(*exc)

    @property
    def playwright(self) -> Playwright:
        """The running Playwright (see `LaunchedBrowser.playwright`)."""
        return self._launched.playwright

    def run_together(self, first: Callable[[Start], None]) -> list[BaseException]:
        """Run the workers side by side in this browser (`bot.browser.together`)."""
        return self._launched.run_together(first)

    def pause(self, seconds: float) -> None:
        """Wait while the other workers go on."""
        self._launched.pause(seconds)

    def new_context(self, base_url: str) -> BrowserContext:
        """A fresh context (own cookies) whose requests pass the wall and the asset filter."""
        assert self._browser is not None, "use BrowserSession as a context manager"
        context = self._browser.new_context(base_url=base_url + "/", locale="th-TH")
        context.set_default_timeout(self._action_ms)
        context.set_default_navigation_timeout(self._nav_ms)
        routed = self._block - BLOCKED_AT_LAUNCH  # the browser itself never loads the others
        if self.wall.enforce:
            context.route("**/*", self._route)  # a dry run: every request passes the wall
        elif routed:
            # Only URLs that look like a blocked type come back to Python: a catch-all route
            # would hold every page and form post for a round trip through it.
            context.route(asset_pattern(routed), self._route)
        return context

    def _route(self, route: Route) -> None:
        request = route.request
        if not self.wall.allows(request.url):
            self.wall.blocked.append(request.url)
            route.abort("blockedbyclient")
        elif request.resource_type in self._block:
            route.abort("blockedbyclient")
        else:
            route.continue_()
