"""The browser edubot launches, its contexts, traces and blocked resources, and its workers."""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil
import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright
from playwright.sync_api import BrowserContext as SyncBrowserContext
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from typer.testing import CliRunner

import bot.engine.tab
from bot.browser.find import find_browser
from bot.browser.launch import BrowserSession, LaunchedBrowser, launch_options
from bot.browser.together import Start
from bot.browser.tracing import ContextTracer
from bot.browser.wall import asset_pattern
from bot.cli.app import app
from bot.engine.options import RunOptions
from bot.engine.pipeline import execute, prepare
from bot.engine.tab import PlaywrightTab
from mock_portals.serve import ServedApp, serve_in_thread
from tests.conftest import REPO, mock_state
from tests.e2e.conftest import FLOWS, children, write_children

pytestmark = pytest.mark.e2e


@pytest.fixture
def markup() -> str:
    """These tests drive the accessible markup's pages and URLs directly (the shipped flows'
    run on both renderings: tests/e2e/test_cli_students.py)."""
    return "accessible"


STUDENTS_PATH = FLOWS / "lec" / "students.yaml"
STUDENTS_FLOW = str(STUDENTS_PATH)


@pytest.fixture
def lec_context(lec: ServedApp) -> Iterator[BrowserContext]:
    # Its own Playwright, not pytest-playwright's session one: that would stay running in this
    # thread and make later in-process CLI runs refuse the sync API.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        yield browser.new_context(base_url=lec.url + "/")
        browser.close()


def _has_dom_snapshots(trace: Path) -> bool:
    with zipfile.ZipFile(trace) as archive:
        events = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".trace"))
    return b'"frame-snapshot"' in events


def test_a_first_attempt_is_traced_without_dom_snapshots_and_a_retry_with_them(
    lec_context: BrowserContext, tmp_path: Path
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
    with zipfile.ZipFile(first) as archive:  # the action log is still there, with the value
        assert any(n.endswith(".network") for n in archive.namelist())
        assert b"attempt-1" in b"".join(archive.read(n) for n in archive.namelist())
    with zipfile.ZipFile(retry) as archive:  # Playwright logs the network with snapshots only
        assert archive.getinfo("trace.network").file_size > 0


def _trace_bytes(trace: Path) -> bytes:
    with zipfile.ZipFile(trace) as archive:
        return b"".join(archive.read(n) for n in archive.namelist())


def test_a_kept_first_attempt_holds_neither_the_record_before_it_nor_a_login_between(
    lec_context: BrowserContext, tmp_path: Path
) -> None:
    """First attempts share one trace session, one chunk each: a kept chunk must not carry what
    the session saw before it — another child's typing, or a login POST between two records."""
    tracer = ContextTracer(lec_context)
    page = lec_context.new_page()
    tracer.begin(1)  # record 1 succeeds: its chunk is thrown away
    page.goto("index.jsp")
    page.get_by_label("ชื่อผู้ใช้").fill("child-one-1101700203451")
    tracer.discard()
    page.get_by_label("ชื่อผู้ใช้").fill("school")  # a login, as between records, untraced
    page.get_by_label("รหัสผ่าน").fill("pass-between-chunks")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_load_state()
    tracer.begin(1)  # record 2 fails: its chunk is kept
    page.goto("index.jsp")
    page.get_by_label("ชื่อผู้ใช้").fill("child-two-3601200145678")
    kept = tracer.keep(tmp_path / "2-trace.zip")

    assert kept is not None
    text = _trace_bytes(kept)
    assert b"child-two-3601200145678" in text
    assert b"child-one" not in text
    assert b"pass-between-chunks" not in text
    assert b"login.do" not in text
    # After a retry's own snapshot session the next record is chunked again, without snapshots.
    tracer.begin(2)
    page.get_by_label("ชื่อผู้ใช้").fill("child-three-retry")
    tracer.discard()
    tracer.begin(1)
    page.get_by_label("ชื่อผู้ใช้").fill("child-four-5101200167890")
    fourth = tracer.keep(tmp_path / "4-trace.zip")
    assert fourth is not None and not _has_dom_snapshots(fourth)
    assert b"child-three" not in _trace_bytes(fourth)
    assert b"child-four-5101200167890" in _trace_bytes(fourth)


def test_always_puts_dom_snapshots_in_the_first_attempt(
    lec_context: BrowserContext, tmp_path: Path
) -> None:
    tracer = ContextTracer(lec_context, snapshots_from_attempt=1)
    page = lec_context.new_page()
    tracer.begin(1)
    page.goto("index.jsp")
    page.get_by_label("ชื่อผู้ใช้").fill("someone")
    kept = tracer.keep(tmp_path / "trace.zip")
    assert kept is not None and _has_dom_snapshots(kept)


PAGE_WITH_ASSETS = (
    '<!doctype html><html><head><link rel="stylesheet" href="/site.css">'
    "<style>@font-face{font-family:T;src:url(/thai.woff2)}body{font-family:T}</style></head>"
    '<body><img src="/logo.png?v=2" alt="logo"><p>ระบบ</p></body></html>'
)


@pytest.fixture
def asset_site() -> Iterator[tuple[str, list[str]]]:
    """A page with an image, a font and a stylesheet; the paths the server was asked for."""
    seen: list[str] = []

    async def anything(request: Request) -> Response:
        seen.append(request.url.path)
        if request.url.path == "/site.css":
            return Response("p{color:#123}", media_type="text/css")
        if request.url.path != "/page.do":
            return Response(b"", media_type="application/octet-stream")
        return HTMLResponse(PAGE_WITH_ASSETS)

    app = Starlette(routes=[Route("/{path:path}", anything)])
    with serve_in_thread(app) as served:
        yield served.url, seen


@pytest.mark.parametrize("dry_run", [False, True])
def test_blocked_resource_types_never_reach_the_server(
    asset_site: tuple[str, list[str]], dry_run: bool
) -> None:
    url, seen = asset_site
    blocking = BrowserSession(
        dry_run=dry_run, block_resources=("image", "font"), mock_origins=[url]
    )
    with blocking as session:
        page = session.new_context(url).new_page()
        page.goto("page.do")
        page.evaluate("() => document.fonts.ready.then(() => true)")  # fonts are asked for late
        assert page.get_by_text("ระบบ").is_visible()
    assert "/page.do" in seen and "/site.css" in seen  # what the flows may need still loads
    assert "/logo.png" not in seen and "/thai.woff2" not in seen


def test_a_type_chromium_cannot_skip_at_launch_is_blocked_by_a_route(
    asset_site: tuple[str, list[str]],
) -> None:
    url, seen = asset_site
    with BrowserSession(dry_run=False, block_resources=("stylesheet",)) as session:
        page = session.new_context(url).new_page()
        page.goto("page.do")
        page.evaluate("() => document.fonts.ready.then(() => true)")  # the font is asked for late
    assert "/site.css" not in seen
    assert "/logo.png" in seen and "/thai.woff2" in seen  # not asked to block those


def test_blocking_images_keeps_the_mouse_playwright_gives_headless_chrome(
    asset_site: tuple[str, list[str]],
) -> None:
    """Images go by a route, not by --blink-settings: Chromium keeps only the last of those,
    and Playwright's gives a headless page its desktop mouse."""
    url, _ = asset_site
    media = "() => [matchMedia('(hover: hover)').matches, matchMedia('(pointer: fine)').matches]"
    with BrowserSession(dry_run=False, block_resources=("image",)) as session:
        page = session.new_context(url).new_page()
        page.goto("page.do")
        assert page.evaluate(media) == [True, True]
        assert page.evaluate("() => navigator.userAgent.includes('Headless')")


def test_a_full_chrome_starts_under_a_deep_data_dir_and_its_scratch_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The driver's temporary files go to the data dir's scratch folder, Chrome's own stay in
    the system's: Chrome aborts when the path of the socket it keeps there passes 107 bytes."""
    desktop = find_browser(headless=False)
    assert desktop is not None and desktop.executable, "make browser installs Debian's chromium"
    deep = tmp_path / ("officer-" * 12) / "edubot"
    monkeypatch.setenv("EDUBOT_DATA_DIR", str(deep))
    monkeypatch.setenv("EDUBOT_BROWSER", desktop.executable)
    with LaunchedBrowser(headless=True) as launched:
        assert launched.browser is not None
        page = launched.browser.new_page()
        page.set_content("<p>สวัสดี</p>")
        assert page.inner_text("p") == "สวัสดี"
        (scratch,) = (deep / "scratch").iterdir()
        assert sorted(p.name.rsplit("-", 1)[0] for p in scratch.iterdir()) == [
            "playwright-artifacts",
            "playwright_chromiumdev_profile",
        ]
    assert list((deep / "scratch").iterdir()) == []


SECRET_VARIABLES = ("EDUBOT_LEC_PASSWORD", "EDUBOT_ESAR_PASSWORD_QA2", "EDUBOT_SMTP_PASSWORD")


def test_neither_the_driver_nor_chromium_inherits_edubots_passwords(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Read from /proc: what any process of the officer's account could read of them."""
    for name in SECRET_VARIABLES:
        monkeypatch.setenv(name, "Real-Pa55-" + name)
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with LaunchedBrowser(headless=True) as launched:
        assert launched.browser is not None
        launched.browser.new_page().set_content("<p>ระบบ</p>")  # a renderer too
        started = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
        environments = {p.pid: p.environ() for p in started}
        (driver,) = [p for p in started if p.name().startswith("node")]
        (chromium,) = driver.children()  # the browser process Playwright started
    assert len(environments) >= 3  # the driver, the browser, a renderer at least
    for process in (driver, chromium):  # the rest inherit the browser's, or get an empty one
        assert environments[process.pid]["EDUBOT_DATA_DIR"] == os.environ["EDUBOT_DATA_DIR"]
    for environment in environments.values():
        assert not [n for n in environment if n in SECRET_VARIABLES]
    for name in SECRET_VARIABLES:  # edubot itself still has them
        assert os.environ[name] == "Real-Pa55-" + name


def test_asset_pattern_matches_files_of_the_blocked_types_only() -> None:
    pattern = asset_pattern(frozenset({"image", "font"}))
    for url in ("http://h/logo.png", "http://h/a/B.JPG?x=1", "http://h/t.woff2#f", "/f.ttf"):
        assert pattern.search(url), url
    for url in ("http://h/student/form.do", "http://h/logo.png.do", "http://h/pngs/list.do"):
        assert not pattern.search(url), url
    assert not asset_pattern(frozenset({"media"})).search("http://h/logo.png")


def test_a_refused_run_leaves_no_browser_running(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Data refused before any page opens: no driver, no Chromium left behind."""
    monkeypatch.setenv("EDUBOT_LEC_URL", "http://127.0.0.1:9")  # nothing listens: nothing sent
    data = tmp_path / "children.csv"
    data.write_text("เลขประจำตัวประชาชน,ชื่อ\n1103702071006,ปิยะดา\n", encoding="utf-8")
    result = cli.invoke(
        app, ["run", STUDENTS_FLOW, "--data", str(data), "--run-dir", str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    assert "1103702071006" not in result.output  # masked, as every refusal is
    left = [p for p in psutil.Process().children(recursive=True) if _is_browser(p)]
    assert left == []


def _is_browser(process: psutil.Process) -> bool:
    try:
        return "chrom" in process.name().lower() or process.name() == "node"
    except psutil.Error:
        return False


def _config_with(tmp_path: Path, **browser: int) -> Path:
    """A copy of config/ whose `browser:` settings are changed as given."""
    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config)
    settings = config / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    for key, value in browser.items():
        default = next(line for line in text.splitlines() if line.strip().startswith(f"{key}:"))
        text = text.replace(default, f"  {key}: {value}")
    settings.write_text(text, encoding="utf-8")
    return config


def _note_tabs_and_loads(monkeypatch: pytest.MonkeyPatch, events: list[str]) -> None:
    """Append "tab" to `events` for each tab opened and "load" for each page load."""
    real_goto = Page.goto
    real_new_page = SyncBrowserContext.new_page

    def noted_goto(self: Page, url: str, **kwargs: Any) -> Any:
        events.append("load")
        return real_goto(self, url, **kwargs)

    def noted_new_page(self: SyncBrowserContext) -> Page:
        events.append("tab")
        return real_new_page(self)

    monkeypatch.setattr(Page, "goto", noted_goto)
    monkeypatch.setattr(SyncBrowserContext, "new_page", noted_new_page)


def _add_children(school_login: ServedApp, tmp_path: Path, count: int, seed: int) -> None:
    """Run the students flow over `count` new children with tmp_path's config; all are added."""
    kids = children(count, seed=seed)
    data = write_children(tmp_path / "children.xlsx", kids)
    options = RunOptions(
        STUDENTS_PATH, data, run_dir=tmp_path / "run", config_dir=tmp_path / "config"
    )

    report = execute(prepare(options), _Quiet(), tmp_path / "run").as_dict()

    assert [r["status"] for r in report["records"]] == ["added"] * count
    stored = {s["national_id"] for s in mock_state(school_login)["students"]}
    assert {k.national_id for k in kids} <= stored


def test_a_run_that_follows_links_keeps_one_tab_and_loses_nothing(
    school_login: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`renew_page_every: 1`: a fresh tab before every address opened after the first. The
    flows open the login page by its address and reach the list by the link a person follows,
    and each child then presses the add button the last save left on screen, so one address
    and one tab serve the whole run (tab renewal happens at an address only)."""
    _config_with(tmp_path, renew_page_every=1)
    events: list[str] = []
    _note_tabs_and_loads(monkeypatch, events)

    _add_children(school_login, tmp_path, 5, seed=41)

    assert events.count("load") == 1 and events.count("tab") == 1


@pytest.mark.parametrize("markup", ["framework"])
def test_a_tab_worn_out_by_clicked_pages_gives_way_to_a_fresh_one_between_children(
    school_login: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a `goto` in a record, the tab is renewed at a record's start once it served
    RELOAD_AFTER_LOADS loads (here 4: the login's, the list's, two per child), on the list its
    link's GET showed; every child is added once. (Flows that open pages by address renew
    their tab at a `goto` long before: test_a_tab_serves_its_budget… in the unit tests.)"""
    monkeypatch.setattr(bot.engine.tab, "RELOAD_AFTER_LOADS", 4)
    _config_with(tmp_path, renew_page_every=6)
    events: list[str] = []
    _note_tabs_and_loads(monkeypatch, events)
    reloaded: list[str] = []
    real_reopen = PlaywrightTab._reopen_last_shown

    def noting_reopen(self: PlaywrightTab) -> None:
        reloaded.append(urlsplit(self._last_shown).path)
        real_reopen(self)

    monkeypatch.setattr(PlaywrightTab, "_reopen_last_shown", noting_reopen)

    _add_children(school_login, tmp_path, 5, seed=44)

    assert events.count("tab") >= 3  # the first tab, then a fresh one every other child
    assert reloaded and set(reloaded) == {"/student/student.do"}
    assert events.count("load") == 1 + len(reloaded)


class _Quiet:
    def start_run(self, flow: object, total: int) -> None: ...
    def start_record(self, record: object) -> None: ...
    def end_record(self, result: object) -> None: ...
    def end_run(self) -> None: ...


# --- workers: several contexts in one browser, one thread -------------------------------------


def test_tasks_run_together_interleave_at_each_browser_call() -> None:
    """Each task is suspended while it waits for its page, and the other goes on meanwhile."""
    log: list[str] = []
    with BrowserSession(dry_run=True) as session:
        pages = {name: session.new_context("http://127.0.0.1:9").new_page() for name in "AB"}

        def task(name: str) -> None:
            log.append(f"{name} asks")
            assert pages[name].evaluate("6 * 7") == 42
            log.append(f"{name} has its answer")

        def both(start: Start) -> None:
            start(lambda: task("A"))
            start(lambda: task("B"))

        errors = session.run_together(both)

    assert errors == []
    # One after the other would read: A asks, A has its answer, B asks, …
    assert log[:2] == ["A asks", "B asks"]
    assert sorted(log[2:]) == ["A has its answer", "B has its answer"]


def test_a_failing_task_leaves_the_others_to_finish_and_its_error_is_returned() -> None:
    finished: list[str] = []
    with BrowserSession(dry_run=True) as session:
        page = session.new_context("http://127.0.0.1:9").new_page()

        def fails() -> None:
            page.evaluate("1")
            raise ValueError("worker broke")

        def works() -> None:
            for _ in range(3):
                page.evaluate("1")
            finished.append("works")

        def both(start: Start) -> None:
            start(fails)
            works()

        errors = session.run_together(both)

    assert [str(e) for e in errors] == ["worker broke"]
    assert finished == ["works"]


def test_a_pause_lets_the_other_workers_go_on() -> None:
    """A retry's backoff must not stop the thread the other workers run on (time.sleep would)."""
    log: list[str] = []
    with BrowserSession(dry_run=True) as session:
        page = session.new_context("http://127.0.0.1:9").new_page()

        def backs_off() -> None:
            log.append("A pauses")
            session.pause(0.05)
            log.append("A resumes")

        def works() -> None:
            log.append("B starts")
            page.evaluate("1")

        def both(start: Start) -> None:
            start(works)
            backs_off()

        assert session.run_together(both) == []

    assert log[:2] == ["A pauses", "B starts"]
    assert log.count("A resumes") == 1


def test_a_task_started_later_runs_beside_the_one_that_started_it() -> None:
    """How the first worker starts the others once it has logged in (`bot.engine.workers`)."""
    log: list[str] = []
    with BrowserSession(dry_run=True) as session:
        page = session.new_context("http://127.0.0.1:9").new_page()

        def follower() -> None:
            log.append("B starts")
            page.evaluate("1")
            log.append("B done")

        def leader(start: Start) -> None:
            page.evaluate("1")  # logging in: nothing else runs yet
            log.append("A ready")
            start(follower)
            page.evaluate("1")  # B gets its turn here
            log.append("A goes on")
            page.evaluate("1")

        errors = session.run_together(leader)

    assert errors == []
    assert log[:3] == ["A ready", "B starts", "A goes on"] and "B done" in log


def test_two_workers_are_two_contexts_of_one_browser(
    school_login: ServedApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--workers 2`: one Chromium and one Playwright driver, a logged-in context for each."""
    import bot.browser.launch

    launches: list[object] = []
    contexts: list[object] = []
    real_enter = bot.browser.launch.LaunchedBrowser.__enter__
    real_new_context = BrowserSession.new_context

    def counting_enter(
        self: bot.browser.launch.LaunchedBrowser,
    ) -> bot.browser.launch.LaunchedBrowser:
        launches.append(self)
        return real_enter(self)

    def counting_new_context(self: BrowserSession, base_url: str) -> BrowserContext:
        context = real_new_context(self, base_url)
        contexts.append(context)
        return context

    tab_budgets: list[int] = []
    real_tab_init = PlaywrightTab.__init__

    def noting_tab_init(
        self: PlaywrightTab, page: Page, renew_every: int = 0, **named: Any
    ) -> None:
        tab_budgets.append(renew_every)
        real_tab_init(self, page, renew_every, **named)

    monkeypatch.setattr(bot.browser.launch.LaunchedBrowser, "__enter__", counting_enter)
    monkeypatch.setattr(BrowserSession, "new_context", counting_new_context)
    monkeypatch.setattr(PlaywrightTab, "__init__", noting_tab_init)
    kids = children(6, seed=43)
    data = write_children(tmp_path / "children.xlsx", kids)
    options = RunOptions(STUDENTS_PATH, data, run_dir=tmp_path / "run", workers=2)

    report = execute(prepare(options), _Quiet(), tmp_path / "run").as_dict()

    assert [r["status"] for r in report["records"]] == ["added"] * 6
    assert len(launches) == 1
    assert len(contexts) == 2 and contexts[0] is not contexts[1]
    # The browser's budget of 6 loads a tab is split between the two.
    assert tab_budgets == [3, 3]
    stored = [s["national_id"] for s in mock_state(school_login)["students"]]
    assert sorted(i for i in stored if i in {k.national_id for k in kids}) == sorted(
        k.national_id for k in kids
    )
