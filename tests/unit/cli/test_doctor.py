"""`edubot doctor`: each check is a pure function; the command prints them, sets the exit code."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from bot.browser.find import BrowserChoice
from bot.cli import system
from bot.cli.app import app
from bot.ops.calendar_file import load_deadlines
from bot.ops.doctor import (
    Probes,
    check_browser,
    check_config,
    check_deadline_flows,
    check_flows,
    check_keyring,
    check_portal,
    check_thai_font,
)
from mock_portals.serve import ServedApp

from .conftest import REPO

FC_LIST = "Garuda\nLoma\nTlwg Typo,Tlwg Typo Bold\n"


def fc_list(stdout: str) -> Callable[[list[str]], subprocess.CompletedProcess[str]]:
    def run(args: list[str]) -> subprocess.CompletedProcess[str]:
        assert args == ["fc-list", ":lang=th", "family"]
        return subprocess.CompletedProcess(args, 0, stdout, "")

    return run


def which_all(name: str) -> str | None:
    return f"/usr/bin/{name}"


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def healthy(lec_server: ServedApp, esar_server: ServedApp) -> Probes:
    return Probes(
        env={"EDUBOT_LEC_URL": lec_server.url, "EDUBOT_ESAR_URL": esar_server.url},
        platform="linux",
        find_browser=lambda: BrowserChoice("chrome", channel="chrome"),
        keyring_backend=lambda: "tests.MemoryKeyring",
        run=fc_list(FC_LIST),
        which=which_all,
    )


def test_all_pass_exits_0(cli: CliRunner, healthy: Probes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(system, "doctor_probes", lambda: healthy)
    result = cli.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "✓ browser: Google Chrome" in lines
    assert "✓ keyring: tests.MemoryKeyring" in lines
    assert "✓ Thai font: Garuda (+2)" in lines
    assert any(ln.startswith("✓ LEC reachable: http://127.0.0.1:") for ln in lines)
    assert any(ln.startswith("✓ e-SAR reachable: http://127.0.0.1:") for ln in lines)
    assert lines[-1] == "All checks passed."


def test_an_unreachable_portal_fails_with_a_fix(
    cli: CliRunner, healthy: Probes, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**healthy.env, "EDUBOT_ESAR_URL": f"http://127.0.0.1:{closed_port}"}
    monkeypatch.setattr(system, "doctor_probes", lambda: replace(healthy, env=env))
    result = cli.invoke(app, ["doctor", "--lang", "th"])
    assert result.exit_code == 1
    assert f"✗ เชื่อมต่อ e-SAR: http://127.0.0.1:{closed_port}: cannot connect" in result.output
    assert "วิธีแก้: ตรวจการเชื่อมต่ออินเทอร์เน็ต/VPN และค่า EDUBOT_ESAR_URL" in result.output
    assert result.output.splitlines()[-1] == "ไม่ผ่าน 1 รายการ"


def test_a_broken_config_dir_fails(
    cli: CliRunner, healthy: Probes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "settings.yaml").write_text("retries: {attempts: 99}\n", encoding="utf-8")
    (tmp_path / "deadlines.yaml").write_text("lec: {}\n", encoding="utf-8")
    monkeypatch.setattr(system, "doctor_probes", lambda: healthy)
    result = cli.invoke(app, ["doctor", "--config", str(tmp_path)])
    assert result.exit_code == 1
    assert "✗ settings: Config file" in result.output
    assert f"✗ portals: {tmp_path / 'portals.yaml'} has no entry for lec, esar" in result.output
    assert "✗ deadlines: Deadlines file" in result.output


def test_portal_reachable_and_not(lec_server: ServedApp, closed_port: int) -> None:
    ok = check_portal("lec", lec_server.url)
    assert (ok.status, ok.detail.split(": HTTP ")[1][:3]) == ("ok", "200")
    down = check_portal("lec", f"http://127.0.0.1:{closed_port}", timeout_s=2)
    assert down.status == "fail"
    assert "EDUBOT_LEC_URL" in down.fix_en


def test_a_portal_answering_5xx_fails_and_405_falls_back_to_get() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return httpx.Response(405 if request.method == "HEAD" else 503)

    result = check_portal("lec", "https://lec.example", transport=httpx.MockTransport(handler))
    assert seen == ["HEAD", "GET"]
    assert (result.status, result.detail.split(": ")[1][:8]) == ("fail", "HTTP 503")


def test_plain_http_to_a_real_portal_fails_before_any_request() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request should be made")

    result = check_portal("esar", "http://thaiqa.net", transport=httpx.MockTransport(handler))
    assert result.status == "fail"
    assert "https" in result.fix_en


def test_thai_font() -> None:
    assert check_thai_font("linux", fc_list(FC_LIST), which_all).status == "ok"
    missing = check_thai_font("linux", fc_list(""), which_all)
    assert (missing.status, missing.fix_en) == (
        "fail",
        "sudo apt-get install fontconfig fonts-thai-tlwg",
    )
    assert check_thai_font("linux", fc_list(FC_LIST), lambda name: None).status == "fail"
    assert check_thai_font("win32", fc_list(""), which_all).status == "skip"


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="needs fontconfig")
def test_thai_font_on_this_machine_does_not_crash() -> None:
    assert check_thai_font("linux", Probes().run, shutil.which).status in ("ok", "fail")


def test_keyring_or_environment() -> None:
    assert check_keyring("keyring.backends.SecretService.Keyring", {}).status == "ok"
    env = {f"EDUBOT_{p}_{k}": "x" for p in ("LEC", "ESAR") for k in ("USERNAME", "PASSWORD")}
    assert check_keyring(None, env).status == "ok"
    lacking = check_keyring(None, {**env, "EDUBOT_ESAR_PASSWORD": ""})
    assert lacking.status == "fail"
    assert "EDUBOT_LEC_USERNAME" in lacking.fix_en


def test_browser() -> None:
    assert check_browser(None).status == "fail"
    assert check_browser(BrowserChoice("chromium", executable="/nonexistent/chrome")).status == (
        "fail"
    )
    assert check_browser(BrowserChoice("playwright")).detail == "Playwright's Chromium"


def test_shipped_config_and_flows_pass() -> None:
    assert [r.status for r in check_config(REPO / "config")] == ["ok", "ok", "ok"]
    assert [r.status for r in check_flows(REPO / "flows")] == ["ok"]


def test_a_broken_flow_is_named(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    (flows / "lec").mkdir(parents=True)
    shutil.copy(REPO / "tests/fixtures/flows/broken/004_misspelt_step.yaml", flows / "lec")
    (flows / "lec" / "ok.yaml").write_text(
        "name: ok\nportal: lec\nsteps:\n  - goto: index.jsp\n", encoding="utf-8"
    )
    results = check_flows(flows)
    assert [(r.status, r.name_en) for r in results] == [("fail", "flow lec/004_misspelt_step.yaml")]
    assert "did you mean" in results[0].detail
    assert check_flows(tmp_path / "none")[0].status == "fail"


def test_flows_named_by_deadlines_but_missing_only_warn(tmp_path: Path) -> None:
    calendar = load_deadlines(REPO / "config" / "deadlines.yaml")
    result = check_deadline_flows(calendar, tmp_path)
    assert result.status == "warn"
    assert result.passed
    assert "flows/lec/students.yaml" in result.detail
