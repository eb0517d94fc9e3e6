"""Find a Chrome, launch it, and wall a dry run off from everything but this machine.

This module and `bot.engine` (actions and the modules beside it) are the only Playwright users.
Discovery order: installed Google Chrome → a system Chromium → Debian's `chromium` package
(installed by `--ensure` when root with apt) → Playwright's own download. A headless run first
looks for a Chromium *headless shell* (Debian's `chromium-headless-shell`, Chrome for Testing's
`chrome-headless-shell`, Playwright's own): the same engine without the desktop browser around
it — no autofill parsing every form, no omnibox — and what Playwright itself runs headless.

`python -m bot.browser.launch --ensure` is what `make` calls to make sure a browser exists.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.net import origin_of
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

# A lighter Chrome for a bot that visits two portals (measured in benchmarks/README.md): the GPU
# and network services inside the browser process instead of two more processes, no spare
# renderer, and no omnibox popup page, which headless Chrome otherwise loads in a renderer of its
# own for every tab (~80 MB each).
LEAN_FLAGS = (
    "--disable-gpu",
    "--in-process-gpu",
    # Portal pages need little script memory. The cap alone does not stop a busy tab's garbage
    # piling up (~3 MB a page: it crashed a tab within 300 children); the runner's fresh tabs
    # (or forced collections) every few pages do, and the cap bounds what a runaway page takes.
    "--js-flags=--max-old-space-size=128",
)
EXTRA_DISABLED_FEATURES = (
    "WebUIOmniboxPopup",
    "WebUIOmniboxAimPopup",
    "SpareRendererForSitePerProcess",
    # A navigation within the portal keeps its frame and compositor instead of building new
    # ones (Chrome's behaviour before RenderDocument): every record is two such navigations.
    # ~15 % less CPU a record and ~35 MB less memory (benchmarks/README.md, 2026-12-02f).
    "RenderDocument",
)
EXTRA_ENABLED_FEATURES = ("NetworkServiceInProcess2",)
# Chromium keeps only the last --disable-features / --enable-features switch, so ours must repeat
# the lists Playwright passes (its chromiumSwitches.ts). tests/e2e/test_browser.py launches both
# ways and fails when a Playwright upgrade adds a feature these lists lack.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
PLAYWRIGHT_ENABLED_FEATURES = ("CDPScreenshotNewSurface", "SkipListAccountsWithoutGaiaCookies")
# Likewise the --blink-settings Playwright passes to a headless browser (a desktop's mouse).
PLAYWRIGHT_HEADLESS_BLINK_SETTINGS = (
    "primaryHoverType=2",
    "availableHoverTypes=2",
    "primaryPointerType=4",
    "availablePointerTypes=4",
)

# Resource types Chromium can be told at launch never to load. Any route, however narrow, makes
# Playwright pause *every* request of the context until the driver lets it go (CDP Fetch): ~7 %
# of a record at zero latency (benchmarks/README.md). Other blocked types still need a route.
BLOCKED_AT_LAUNCH = frozenset({"image", "font"})
# `browser.block_resources` by default (bot/config.py): what a browser started before the
# settings are read (`bot.cli.entry`) blocks; `BrowserSession` relaunches it if the settings differ.
DEFAULT_BLOCKED = ("image", "font")

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


def _is_root() -> bool:
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
    return Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache/ms-playwright"))


def _playwright_chromium_installed() -> bool:
    cache = _playwright_cache()
    return any(cache.glob("chromium-*/chrome-*/chrome*")) if cache.exists() else False


def launch_options(
    choice: BrowserChoice | None = None,
    *,
    headless: bool = True,
    blocked: Iterable[str] = (),
) -> dict[str, Any]:
    """Keyword arguments for `playwright.chromium.launch(...)`; `blocked`: resource types never
    to load (those in `BLOCKED_AT_LAUNCH` are switched off here, the rest is for a route)."""
    choice = choice or find_browser(headless=headless) or BrowserChoice("playwright")
    args = [*QUIET_FLAGS, *LEAN_FLAGS, *_blocking_switches(frozenset(blocked), headless)]
    args.append(
        "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + EXTRA_DISABLED_FEATURES)
    )
    args.append(
        "--enable-features=" + ",".join(PLAYWRIGHT_ENABLED_FEATURES + EXTRA_ENABLED_FEATURES)
    )
    if _is_root():
        args.append("--no-sandbox")
    options: dict[str, Any] = {"headless": headless, "args": args}
    if choice.channel:
        options["channel"] = choice.channel
    if choice.executable:
        options["executable_path"] = choice.executable
    return options


def _blocking_switches(blocked: frozenset[str], headless: bool) -> list[str]:
    switches = []
    if "image" in blocked:
        kept = PLAYWRIGHT_HEADLESS_BLINK_SETTINGS if headless else ()
        switches.append("--blink-settings=" + ",".join([*kept, "imagesEnabled=false"]))
    if "font" in blocked:
        switches.append("--disable-remote-fonts")
    return switches


def ensure_browser() -> BrowserChoice:
    """Make sure a browser exists, installing one if needed; return the choice.

    As root with apt, Debian's headless shell comes too (headless runs and the tests use it);
    elsewhere a full browser is enough: it runs headless as well, only heavier.
    """
    found = find_browser(headless=False)
    _ensure_thai_font()
    can_apt = sys.platform.startswith("linux") and _is_root() and bool(shutil.which("apt-get"))
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
    if not (sys.platform.startswith("linux") and _is_root() and shutil.which("apt-get")):
        return
    if not shutil.which("fc-list"):
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


class ContextTracer:
    """A Playwright trace per record attempt; only a failed record's is kept.

    A kept trace holds that attempt alone: a trace's network log runs from its start, so one
    trace over the run would carry the login POST — the password — into every kept file. The
    runner also discards the attempt's trace before logging in again.

    First attempts (no DOM snapshots) share one trace session cut into chunks, one per attempt:
    starting and stopping a session for each record cost ~10 % of a record's time
    (benchmarks/README.md). A chunk holds only the calls made while it was open, and a session
    without snapshots records no network log (Playwright's recorder runs only for snapshots), so
    nothing from before the chunk — another child, a login — reaches a kept chunk. An attempt
    with snapshots gets a session of its own, started and stopped around it, as before.
    """

    def __init__(self, context: BrowserContext, *, snapshots_from_attempt: int = 2) -> None:
        self._tracing = context.tracing
        self._snapshots_from = snapshots_from_attempt
        self._open = False
        self._chunking = False  # the session of first attempts is started, cut into chunks

    def begin(self, attempt: int) -> None:
        self.discard()
        # No screencast: it costs Chromium CPU on every record, and the failure screenshot is
        # taken apart. DOM snapshots only from `snapshots_from_attempt` on: Playwright copies the
        # whole page before and after every action, ~30% of a record's time on a 57-field form.
        if attempt >= self._snapshots_from:
            if self._chunking:
                self._tracing.stop()
                self._chunking = False
            self._tracing.start(snapshots=True, screenshots=False, sources=False)
        elif self._chunking:
            self._tracing.start_chunk()
        else:
            self._tracing.start(snapshots=False, screenshots=False, sources=False)
            self._chunking = True
        self._open = True

    def discard(self) -> None:
        if self._open:
            self._stop(path=None)

    def keep(self, path: Path) -> Path | None:
        if not self._open:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        self._stop(path=str(path))
        path.chmod(0o600)
        return path

    def _stop(self, path: str | None) -> None:
        self._open = False
        if self._chunking:
            self._tracing.stop_chunk(path=path)
        else:  # a snapshot session's network log spans its chunks: it ends with its attempt
            self._tracing.stop(path=path)


# --- one browser per run, one context per worker ----------------------------------------------


class OriginWall:
    """Decides which browser requests may leave: in a dry run, only those to the mock origins
    the handshake proved (`bot.browser.mock_proof`) — not merely any address on this machine,
    where a tunnel to the real portal may listen too."""

    def __init__(self, enforce: bool, origins: Iterable[str] = ()) -> None:
        self.enforce = enforce
        self.origins = frozenset(origin_of(o) for o in origins)
        self.blocked: list[str] = []

    def allows(self, url: str) -> bool:
        if not self.enforce or url.startswith(("data:", "blob:", "about:")):
            return True
        return url.startswith(("http:", "https:")) and origin_of(url) in self.origins


# What each blockable resource type looks like in a URL, for a route that sees only those.
_EXTENSIONS = {
    "image": ("png", "jpe?g", "gif", "webp", "svg", "ico", "bmp", "avif"),
    "font": ("woff2?", "ttf", "otf", "eot"),
    "media": ("mp3", "mp4", "m4a", "webm", "ogg", "wav", "avi", "mov"),
    "stylesheet": ("css",),
    "script": ("js", "mjs"),
}


def asset_pattern(resource_types: frozenset[str]) -> re.Pattern[str]:
    """A URL pattern for the files of these resource types (by extension, before any query)."""
    known = sorted(t for t in resource_types if t in _EXTENSIONS)  # config checked the names
    extensions = "|".join(e for t in known for e in _EXTENSIONS[t])
    return re.compile(rf"\.(?:{extensions})(?:[?#]|$)", re.IGNORECASE)


DRIVER_GC_SCRIPT = Path(__file__).with_name("driver_gc.js")


def driver_node_options() -> str:
    """NODE_OPTIONS for Playwright's driver: a small young generation, and `driver_gc.js`
    (V8 flags Node does not take in NODE_OPTIONS). The path is quoted: it may hold spaces."""
    script = str(DRIVER_GC_SCRIPT).replace("\\", "\\\\").replace('"', '\\"')
    return f'--max-semi-space-size=1 --require "{script}"'


# Node compiles Playwright's ~12 MB of JavaScript at every start of the driver unless it may keep
# what it compiled (Node 22.1+, which Playwright ships; older ones ignore the variable): ~0.15 s
# of every launch after the first (benchmarks/README.md, 2026-12-03g). Compiled code of a public
# library, no one's data; owner-only all the same, as everything in edubot's folder.
COMPILE_CACHE_FOLDER = "node-compile-cache"


@contextmanager
def driver_compile_cache() -> Iterator[None]:
    """A driver started inside this block keeps Node's compile cache in edubot's data folder.

    Only the environment the driver inherits changes, and only for the block; an officer's own
    NODE_COMPILE_CACHE wins, and a folder that cannot be made leaves Node compiling as before.
    """
    folder = data_dir() / COMPILE_CACHE_FOLDER
    values: dict[str, str] = {}
    if "NODE_COMPILE_CACHE" not in os.environ:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            values["NODE_COMPILE_CACHE"] = str(folder)
        except OSError:
            pass
    with environment_for_children(values):
        yield


def secrets_withheld_from_children() -> AbstractContextManager[None]:
    """Processes started inside this block do not inherit edubot's secret variables; this
    process has them back after it (Playwright starts its driver with our environment)."""
    return environment_for_children({n: None for n in os.environ if is_secret_variable(n)})


class LaunchedBrowser:
    """Playwright's driver and one Chromium, bound to the thread that started them (sync API).

    `edubot run` starts one while it reads and checks the data on another thread, so the
    browser's launch (about a second) overlaps that work instead of following it.
    """

    def __init__(self, *, headless: bool = True, blocked: Iterable[str] = DEFAULT_BLOCKED) -> None:
        self.headless = headless
        self.blocked_at_launch = frozenset(blocked) & BLOCKED_AT_LAUNCH
        self._pw: Playwright | None = None
        self.browser: Browser | None = None
        self._scratch: Path | None = None

    def __enter__(self) -> LaunchedBrowser:
        from playwright.sync_api import sync_playwright

        # Playwright's driver is a Node.js process started with our environment; V8's defaults
        # are sized for servers. Small semi-spaces take ~40 MB off the driver, early old-space
        # collection ~50 MB more with two workers, for a few ms of CPU a record
        # (benchmarks/README.md). An officer's own NODE_OPTIONS wins.
        os.environ.setdefault("NODE_OPTIONS", driver_node_options())
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
            with (
                temporary_folder_for_children(self._scratch),
                driver_compile_cache(),
                secrets_withheld_from_children(),
            ):
                self._pw = sync_playwright().start()
        except BaseException:
            close_scratch(self._scratch)
            raise
        try:
            options = launch_options(headless=self.headless, blocked=self.blocked_at_launch)
            self.browser = self._pw.chromium.launch(**options, env=system_environment)
        except BaseException:
            self._pw.stop()
            raise
        return self

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

    def run_together(self, tasks: Sequence[Callable[[], None]]) -> list[BaseException]:
        """Run the tasks side by side on this Playwright; return the errors they raised.

        Each task runs in a greenlet of its own and may make any sync call: while one waits for
        the browser, Playwright's event loop goes on and resumes whichever task's answer came
        first. This is how Playwright itself runs sync event handlers (its `_greenlets.py`), so
        N workers share one driver and one browser on one thread, with no locks: a task is only
        ever suspended inside a Playwright call.
        """
        assert self._pw is not None, "use LaunchedBrowser as a context manager"
        from greenlet import greenlet

        loop, fiber = _event_loop_of(self._pw)
        errors: list[BaseException] = []
        all_done = loop.create_future()
        pending = len(tasks)

        def finished() -> None:
            nonlocal pending
            pending -= 1
            if pending == 0 and not all_done.done():
                all_done.set_result(None)

        def start(task: Callable[[], None]) -> None:
            def body() -> None:
                try:
                    task()
                except BaseException as exc:  # handed to the caller below
                    errors.append(exc)
                finally:
                    finished()

            # Started from a loop callback, so the dispatcher is its parent: when the task
            # returns, the loop carries on where it left off.
            greenlet(body).switch()

        for task in tasks:
            loop.call_soon(start, task)
        if tasks:
            _wait_in_loop(loop, fiber, all_done)
        return errors

    def pause(self, seconds: float) -> None:
        """Wait without stopping the other tasks of `run_together` (a retry's backoff)."""
        assert self._pw is not None, "use LaunchedBrowser as a context manager"
        loop, fiber = _event_loop_of(self._pw)
        _wait_in_loop(loop, fiber, loop.create_task(asyncio.sleep(seconds)))

    def signal(self) -> Signal:
        """A yes-or-no one task of `run_together` gives and others wait for (see `Signal`)."""
        assert self._pw is not None, "use LaunchedBrowser as a context manager"
        return Signal(*_event_loop_of(self._pw))


class Signal:
    """Given once by one task of `run_together`, awaited by others without stopping the rest.

    The first worker gives it when it has logged in; the others wait for it before they log
    in themselves (`bot.engine.workers`).
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, fiber: Any) -> None:
        self._loop, self._fiber = loop, fiber
        self._answer: asyncio.Future[bool] = loop.create_future()

    def give(self, answer: bool) -> None:
        """Answer, once: a later answer is ignored."""
        if not self._answer.done():
            self._answer.set_result(answer)

    def wait(self) -> bool:
        """The answer, once given; meanwhile the other tasks go on."""
        if not self._answer.done():
            # A waiter of its own: `_wait_in_loop` cancels what it waited for if it is
            # interrupted, which must not take the answer from the other waiters.
            waiter: asyncio.Future[None] = self._loop.create_future()

            def answered(_: object) -> None:
                if not waiter.done():
                    waiter.set_result(None)

            self._answer.add_done_callback(answered)
            _wait_in_loop(self._loop, self._fiber, waiter)
        return self._answer.result()


def _event_loop_of(pw: Playwright) -> tuple[asyncio.AbstractEventLoop, Any]:
    """The event loop and dispatcher greenlet behind Playwright's sync API.

    Not public API, but every sync object has carried them since the sync API was written;
    a Playwright that drops them fails here, loudly, and tests/e2e/test_browser.py says so.
    """
    return pw._loop, pw._dispatcher_fiber


def _wait_in_loop(loop: asyncio.AbstractEventLoop, fiber: Any, future: asyncio.Future[Any]) -> None:
    """Let the event loop run until `future` is done, as every sync Playwright call does."""
    from greenlet import getcurrent

    me = getcurrent()
    waiting = True

    def resume(_: object) -> None:
        if waiting:
            me.switch()

    future.add_done_callback(resume)
    try:
        while not future.done():
            if fiber.dead:
                raise RuntimeError("Playwright's connection to the browser closed")
            fiber.switch()
    finally:
        waiting = False
        future.remove_done_callback(resume)
        if not future.done():
            future.cancel()
        if not fiber.dead:
            asyncio._set_running_loop(loop)  # as Playwright leaves it between sync calls
    future.result()


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
        launched: LaunchedBrowser | None = None,  # started earlier on this thread; closed here
        mock_origins: Iterable[str] = (),  # a dry run: the proven mocks, all the wall lets by
    ) -> None:
        self.wall = OriginWall(enforce=dry_run, origins=mock_origins)
        self._block = frozenset(block_resources)
        self._action_ms, self._nav_ms = action_timeout_ms, navigation_timeout_ms
        self._launched = launched or LaunchedBrowser(headless=headless, blocked=self._block)
        self._started_here = launched is None
        self._browser: Browser | None = None

    def __enter__(self) -> BrowserSession:
        at_launch = self._block & BLOCKED_AT_LAUNCH
        if not self._started_here and self._launched.blocked_at_launch != at_launch:
            # Started early with the default blocking; the settings say otherwise (rare: a
            # changed settings.yaml). A browser's switches are fixed, so start another.
            self._launched.__exit__(None, None, None)
            self._launched = LaunchedBrowser(headless=self._launched.headless, blocked=at_launch)
            self._started_here = True
        if self._started_here:
            self._launched.__enter__()
        self._browser = self._launched.browser
        return self

    def __exit__(self, *exc: object) -> None:
        self._launched.__exit__(*exc)

    @property
    def playwright(self) -> Playwright:
        """The running Playwright (see `LaunchedBrowser.playwright`)."""
        return self._launched.playwright

    def run_together(self, tasks: Sequence[Callable[[], None]]) -> list[BaseException]:
        """Run the tasks side by side in this browser (see `LaunchedBrowser.run_together`)."""
        return self._launched.run_together(tasks)

    def pause(self, seconds: float) -> None:
        """Wait while the other workers go on."""
        self._launched.pause(seconds)

    def signal(self) -> Signal:
        """A yes-or-no for the workers of `run_together` (see `Signal`)."""
        return self._launched.signal()

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
            # would hold every page and form post for a round trip through it (~10 ms a record).
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.browser.launch")
    parser.add_argument("--ensure", action="store_true", help="install a browser if none exists")
    ns = parser.parse_args(argv)
    choice = ensure_browser() if ns.ensure else find_browser()
    print(f"edubot: browser: {choice.describe() if choice else 'none found'}")
    return 0 if choice else 1


if __name__ == "__main__":
    raise SystemExit(main())
