"""`edubot mock serve` prints each portal's URL on its own line and serves both on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.e2e


def test_mock_serve_prints_both_urls_and_serves_them(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "from bot.cli.app import main; main()", "mock", "serve",
               "--lec-port", "0", "--esar-port", "0", "--state-dir", str(tmp_path)]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as server:
        _check(server, tmp_path)


def _check(server: subprocess.Popen[str], tmp_path: Path) -> None:
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline().strip() for _ in range(2)]
        urls = dict(line.split(" ", 1) for line in lines)
        assert set(urls) == {"lec", "esar"}
        assert all(url.startswith("http://127.0.0.1:") for url in urls.values())
        login = httpx.get(f"{urls['lec']}/index.jsp")
        assert login.status_code == 200 and "urlToken" in login.text
        assert httpx.get(f"{urls['esar']}/").status_code == 200
        assert (tmp_path / "lec" / "lec.sqlite3").exists()  # state lives where it was asked
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0


def test_mock_serve_markup_framework_serves_the_framework_login(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "from bot.cli.app import main; main()", "mock", "serve",
               "--state-dir", str(tmp_path), "--markup", "framework"]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as server:
        try:
            assert server.stdout is not None
            lec = server.stdout.readline().strip().split(" ", 1)[1]
            login = httpx.get(f"{lec}/index.jsp").text
            assert 'placeholder="Username"' in login and "<label for" not in login
            assert httpx.get(f"{lec}/_mock/settings").json() == {"markup": "framework"}
        finally:
            server.send_signal(signal.SIGTERM)
            assert server.wait(timeout=30) == 0


def test_mock_serve_refuses_an_unknown_markup(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "from bot.cli.app import main; main()", "mock", "serve",
               "--state-dir", str(tmp_path), "--markup", "jsp"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "unknown markup" in done.stderr
