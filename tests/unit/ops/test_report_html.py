"""The HTML run report: escaped, self-contained, owner-only, and readable in a real browser."""

from __future__ import annotations

import base64
import re
import stat
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Dialog, Page, expect

from bot.engine.report_html import render_report_html, write_report_html
from bot.errors import InternalError

from .conftest import tiny_png


class Collector(HTMLParser):
    """Every start tag with its attributes, and all text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    return collector


def test_child_name_with_markup_renders_as_text(
    sample_report: dict[str, Any], run_dir: Path
) -> None:
    html = render_report_html(sample_report, run_dir)
    assert "<script>" not in html
    assert "เด็กหญิง &lt;script&gt;alert(1)&lt;/script&gt; สมใจ" in html
    assert not [t for t, _ in parse(html).tags if t == "script"]


def test_every_field_is_escaped(sample_report: dict[str, Any], run_dir: Path) -> None:
    evil = '"><img src=x onerror=alert(1)>'
    sample_report["flow"]["name"] = evil
    sample_report["portal_url"] = evil
    sample_report["records"][0].update(key=evil, sheet=evil, status=evil)
    html = render_report_html(sample_report, run_dir)
    assert evil not in html
    assert not any("onerror" in attrs for _, attrs in parse(html).tags)


def test_no_external_assets_and_scripts_forbidden(
    sample_report: dict[str, Any], run_dir: Path
) -> None:
    html = render_report_html(sample_report, run_dir)
    tags = parse(html).tags
    assert not [t for t, _ in tags if t in ("link", "script", "iframe")]
    assert all((a.get("src") or "data:").startswith("data:") for _, a in tags)
    [csp] = [a["content"] for t, a in tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp is not None and "default-src 'none'" in csp


def test_failure_screenshot_is_inlined(sample_report: dict[str, Any], run_dir: Path) -> None:
    html = render_report_html(sample_report, run_dir)
    [src] = [a["src"] for t, a in parse(html).tags if t == "img"]
    assert src is not None and src.startswith("data:image/png;base64,")
    assert base64.b64decode(src.removeprefix("data:image/png;base64,")) == tiny_png()


def test_trace_is_linked_relatively(sample_report: dict[str, Any], run_dir: Path) -> None:
    html = render_report_html(sample_report, run_dir)
    hrefs = [
        a["href"] for t, a in parse(html).tags if t == "a" and "trace" in (a.get("class") or "")
    ]
    assert hrefs == ["failures/0003-trace.zip"]


@pytest.mark.parametrize(
    "path", ["../secret.png", "/etc/passwd.png", "failures/../../x.png", "failures/0003.svg"]
)
def test_files_outside_the_run_dir_are_not_read(
    sample_report: dict[str, Any], run_dir: Path, path: str
) -> None:
    (run_dir.parent / "secret.png").write_bytes(tiny_png())
    sample_report["records"][2]["screenshot"] = path
    html = render_report_html(sample_report, run_dir)
    assert "data:image" not in html
    assert f"not shown: {path}" in html


def test_javascript_trace_link_is_neutralised(sample_report: dict[str, Any], run_dir: Path) -> None:
    sample_report["records"][2]["trace"] = "javascript:alert(1)"
    html = render_report_html(sample_report, run_dir)
    hrefs = [a.get("href") or "" for t, a in parse(html).tags if t == "a"]
    assert not any(h.startswith("javascript:") for h in hrefs)
    assert "javascript%3Aalert%281%29" in hrefs


def test_missing_screenshot_is_named(sample_report: dict[str, Any], tmp_path: Path) -> None:
    html = render_report_html(sample_report, tmp_path)
    assert "file missing: failures/0003.png" in html


def test_full_national_ids_are_masked(sample_report: dict[str, Any], run_dir: Path) -> None:
    sample_report["records"][0]["key"] = "1103700000015"
    sample_report["records"][1]["message"] = "ซ้ำกับ 1-1037-00000-01-5"
    html = render_report_html(sample_report, run_dir)
    assert "1103700000015" not in html and "1-1037-00000-01-5" not in html
    assert html.count("1-xxxx-xxxxx-xx-5") == 2


def test_status_colours_and_labels(sample_report: dict[str, Any], run_dir: Path) -> None:
    html = render_report_html(sample_report, run_dir)
    assert '<span class="status st-failed">ไม่สำเร็จ</span> <span class="en">failed</span>' in html
    assert '<span class="status st-added">เพิ่มใหม่</span>' in html
    sample_report["records"][0]["status"] = "weird"
    assert 'class="status st-other">weird' in render_report_html(sample_report, run_dir)


def test_real_run_is_marked(sample_report: dict[str, Any], run_dir: Path) -> None:
    sample_report["dry_run"] = False
    assert 'class="mode mode-real"' in render_report_html(sample_report, run_dir)


def test_minimal_and_malformed_reports(run_dir: Path) -> None:
    assert "ไม่มีรายการ" in render_report_html({}, run_dir)
    with pytest.raises(InternalError, match=r"malformed at totals\.added"):
        render_report_html({"totals": {"added": "many"}}, run_dir)


def test_write_is_owner_only_and_replaces(sample_report: dict[str, Any], run_dir: Path) -> None:
    old = run_dir / "report.html"
    old.write_text("old")
    old.chmod(0o644)
    path = write_report_html(sample_report, run_dir)
    assert path == old
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in run_dir.iterdir() if p.name.startswith(".report-")] == []


@pytest.mark.e2e
def test_report_opens_in_chromium(page: Page, sample_report: dict[str, Any], run_dir: Path) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(write_report_html(sample_report, run_dir).as_uri())

    expect(page).to_have_title(re.compile("lec-students"))
    expect(page.locator("#mode")).to_contain_text("Dry run")
    expect(page.locator('[data-total="records"]')).to_have_text("3")
    expect(page.locator('[data-total="failed"]')).to_have_text("1")
    rows = page.locator("tr.record")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("<script>alert(1)</script>")
    expect(rows.nth(2).locator(".status")).to_have_text("ไม่สำเร็จ")
    expect(rows.nth(2).locator(".status")).to_have_css("background-color", "rgb(255, 235, 233)")
    screenshot = page.get_by_role("img", name=re.compile("screenshot"))
    expect(screenshot).to_be_visible()
    assert screenshot.evaluate("img => img.naturalWidth") == 1
    expect(page.locator("a.trace")).to_have_attribute("href", "failures/0003-trace.zip")
    assert dialogs == []
