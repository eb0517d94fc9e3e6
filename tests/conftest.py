"""Shared fixtures: the browser edubot would pick, and the mock portals served on loopback.

Mocks run in a thread on port 0 once per session (as Starlette's own test servers do) and are
reset before each test that uses them, so tests never see each other's data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from bot.browser.launch import launch_options
from bot.engine.locate import install as install_locating
from mock_portals.esar.app import create_app as create_esar
from mock_portals.lec.app import create_app as create_lec
from mock_portals.lec.markup import DEFAULT_MARKUP
from mock_portals.serve import ServedApp, serve_in_thread

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """The browser edubot launches, with its flags, for one test module.

    Replaces pytest-playwright's session-wide browser: its Playwright would keep an event loop
    running in the test thread until the session ends, after which the in-process CLI's own
    sync Playwright refuses to start. One per module stops with the module, so a module of CLI
    tests may follow on the same worker in any order (`pytest -n`).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        install_locating(playwright)  # as a run does: `label:` locators need the label engine
        launched = playwright.chromium.launch(**launch_options())
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh context a test (pytest-playwright's `context` and `page`, from our browser)."""
    fresh = browser.new_context(locale="th-TH")
    yield fresh
    fresh.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config) -> str | None:
    """Replace pytest-playwright's fallback, a session fixture written as an instance method.

    pytest 9 warns about that form (PytestRemovedIn10Warning), and warnings are errors here.
    """
    value = pytestconfig.getoption("--base-url") or pytestconfig.getini("base_url")
    return str(value) if value else None


@contextmanager
def browser_page() -> Iterator[Page]:
    """A Chromium page of the caller's own Playwright, started and stopped around the block.

    pytest-playwright's `page` keeps a session-wide Playwright (and its event loop) running in
    the test thread, after which the in-process CLI's sync Playwright refuses to start; tests
    that also run the CLI open this instead — after the CLI is done — with the browser edubot
    itself would launch.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        install_locating(playwright)  # as a run does: `label:` locators need the label engine
        browser = playwright.chromium.launch(**launch_options())
        yield browser.new_page()
        browser.close()


@pytest.fixture
def own_page() -> Iterator[Page]:
    """`browser_page()` for the whole test (the test must not run the CLI meanwhile)."""
    with browser_page() as page:
        yield page


@pytest.fixture(scope="session")
def lec_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    with serve_in_thread(create_lec(tmp_path_factory.mktemp("lec-state"))) as served:
        yield served


@pytest.fixture
def markup() -> str:
    """The mock LEC's rendering a test meets; a module overrides this fixture with
    `params=MARKUPS` to run its tests against both (`accessible`, `framework`)."""
    return DEFAULT_MARKUP


@pytest.fixture
def lec(lec_server: ServedApp, markup: str) -> ServedApp:
    """The mock LEC, back at its demo seed with no faults, in the rendering `markup`."""
    # The rendering first: the reset keeps it and clears the request counts tests compare.
    httpx.post(f"{lec_server.url}/_mock/settings", json={"markup": markup}).raise_for_status()
    httpx.post(f"{lec_server.url}/_mock/reset").raise_for_status()
    return lec_server


@pytest.fixture(scope="session")
def esar_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    with serve_in_thread(create_esar(tmp_path_factory.mktemp("esar-state"))) as served:
        yield served


@pytest.fixture
def esar(esar_server: ServedApp) -> ServedApp:
    """The mock e-SAR with no uploads and no faults."""
    httpx.post(f"{esar_server.url}/_mock/reset").raise_for_status()
    return esar_server


def mock_state(served: ServedApp) -> dict[str, Any]:
    response = httpx.get(f"{served.url}/_mock/state")
    response.raise_for_status()
    state: dict[str, Any] = response.json()
    return state


@pytest.fixture
def lec_page(browser: Browser, lec: ServedApp) -> Iterator[Page]:
    """A page whose relative URLs go to the mock LEC, as the engine's contexts do."""
    context = browser.new_context(base_url=lec.url + "/", locale="th-TH")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own journal, runs and mock state: nothing leaks between tests."""
    directory = tmp_path / "edubot-data"
    monkeypatch.setenv("EDUBOT_DATA_DIR", str(directory))
    # Nor the developer's own copied flows and config overrides (bot/bundle.py).
    monkeypatch.setenv("EDUBOT_CONFIG_DIR", str(tmp_path / "edubot-config"))
    for name in ("LEC", "ESAR"):
        monkeypatch.delenv(f"EDUBOT_{name}_URL", raising=False)
    # Officer-facing text in both languages, whatever this machine's locale says.
    for name in ("EDUBOT_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return directory
