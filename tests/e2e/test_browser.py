"""The browser edubot launches: lean flags that keep Playwright's own, and record traces."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from playwright.sync_api import Browser, sync_playwright

from bot.browser import QUIET_FLAGS, ContextTracer, find_browser, launch_options
from mock_portals.serve import ServedApp

pytestmark = pytest.mark.e2e


def _feature_switches(options: dict[str, Any]) -> tuple[set[str], set[str], bool]:
    """Launch with `options`, open a page; the features its renderer really runs with (the
    browser hands children the lists it settled on), and whether an omnibox popup renderer ran."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**options)
        browser.new_page().goto("data:text/html,<p>hi</p>")
        disabled: set[str] = set()
        enabled: set[str] = set()
        popup = False
        for process in psutil.Process().children(recursive=True):
            try:
                argv = process.cmdline()
            except psutil.Error:
                continue
            if "--type=renderer" not in argv:
                continue
            popup = popup or "--top-chrome-webui" in argv
            for arg in argv:
                name, _, value = arg.partition("=")
                if name == "--disable-features":
                    disabled |= set(value.split(","))
                elif name == "--enable-features":
                    enabled |= set(value.split(","))
        browser.close()
    return disabled, enabled, popup


def test_lean_flags_keep_every_feature_switch_playwright_sets() -> None:
    choice = find_browser()
    plain = {k: v for k, v in launch_options(choice).items() if k != "args"}
    plain["args"] = [*QUIET_FLAGS, "--no-sandbox"]
    pw_disabled, pw_enabled, pw_popup = _feature_switches(plain)
    our_disabled, our_enabled, our_popup = _feature_switches(launch_options(choice))

    assert "HttpsUpgrades" in pw_disabled  # the probe reads what Playwright set
    missing = (pw_disabled - our_disabled) | (pw_enabled - our_enabled)
    assert not missing, (
        f"Playwright now sets features {sorted(missing)} that bot/browser.py's lists drop; "
        "add them to PLAYWRIGHT_DISABLED_FEATURES / PLAYWRIGHT_ENABLED_FEATURES."
    )
    assert {"WebUIOmniboxPopup", "WebUIOmniboxAimPopup"} <= our_disabled
    assert "NetworkServiceInProcess2" in our_enabled
    assert pw_popup and not our_popup  # the omnibox popup renderer is gone


@pytest.fixture
def lec_context(browser: Browser, lec: ServedApp) -> Iterator[Any]:
    context = browser.new_context(base_url=lec.url + "/")
    yield context
    context.close()


def _has_dom_snapshots(trace: Path) -> bool:
    with zipfile.ZipFile(trace) as archive:
        events = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".trace"))
    return b'"frame-snapshot"' in events


def test_a_first_attempt_is_traced_without_dom_snapshots_and_a_retry_with_them(
    lec_context: Any, tmp_path: Path
) -> None:
    tracer = ContextTracer(lec_context)
    page = lec_context.new_page()
    kept = []
    for attempt in (1, 2):
        tracer.begin(attempt)
        page.goto("index.jsp")
        page.get_by_label("ชื่อผู้ใช้").fill(f"attempt-{attempt}")
        kept.append(tracer.keep(tmp_path / f"{attempt}-trace.zip"))
    first, retry = kept
    assert first is not None and retry is not None
    assert not _has_dom_snapshots(first)
    assert _has_dom_snapshots(retry)
    with zipfile.ZipFile(first) as archive:  # the action log and the network are still there
        assert any(n.endswith(".network") for n in archive.namelist())
        assert b"attempt-1" in b"".join(archive.read(n) for n in archive.namelist())


def test_always_puts_dom_snapshots_in_the_first_attempt(lec_context: Any, tmp_path: Path) -> None:
    tracer = ContextTracer(lec_context, snapshots_from_attempt=1)
    page = lec_context.new_page()
    tracer.begin(1)
    page.goto("index.jsp")
    page.get_by_label("ชื่อผู้ใช้").fill("someone")
    kept = tracer.keep(tmp_path / "trace.zip")
    assert kept is not None and _has_dom_snapshots(kept)
