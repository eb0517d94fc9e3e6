"""A dry run talks only to edubot's mocks (issue 23, point 3).

"On this machine" is not enough: a tunnel or proxy to the real portal listens on 127.0.0.1
too. Here a plain local HTTP server plays that tunnel — a login page that records every
request — and the officer's real password waits in the keyring and the environment.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from typer.testing import CliRunner

from bot.browser.launch import BrowserSession
from bot.cli.app import app
from mock_portals.serve import ServedApp
from tests.conftest import mock_state
from tests.e2e.conftest import FLOWS, children, write_children

pytestmark = pytest.mark.e2e

STUDENTS_FLOW = str(FLOWS / "lec" / "students.yaml")
REAL_USER = "officer-3040010002"
REAL_PASSWORD = "Real-Portal-Pa55!"

LOGIN_PAGE = """<!doctype html><html lang="th"><body>
<form method="post" action="/login">
<label for="u">ชื่อผู้ใช้</label><input id="u" name="username">
<label for="p">รหัสผ่าน</label><input id="p" name="password" type="password">
<button type="submit">เข้าสู่ระบบ</button></form></body></html>""".encode()


@dataclass
class Recorded:
    url: str
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)  # method, path, body


@pytest.fixture
def not_a_mock() -> Iterator[Recorded]:
    """A local server that looks like a portal's login page and is no mock of edubot's."""
    recorded = Recorded(url="")

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            recorded.requests.append((self.command, self.path, body))

        def do_GET(self) -> None:
            self._record()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(LOGIN_PAGE)))
            self.end_headers()
            self.wfile.write(LOGIN_PAGE)

        def do_POST(self) -> None:
            self._record()
            self.send_response(302)
            self.send_header("Location", "/")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: pytest shows only what fails

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    recorded.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield recorded
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class RecordingKeyring(KeyringBackend):
    """An in-memory keyring holding the officer's real LEC login; it notes every question."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.stored = {"lec:username": REAL_USER, f"lec:{REAL_USER}": REAL_PASSWORD}
        self.asked: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.asked.append(username)
        return self.stored.get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self.stored[username] = password

    def delete_password(self, service: str, username: str) -> None:
        self.stored.pop(username, None)


@pytest.fixture
def officers_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingKeyring]:
    """The officer's real password in the keyring and in the environment."""
    previous = keyring.get_keyring()
    backend = RecordingKeyring()
    keyring.set_keyring(backend)
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", REAL_PASSWORD)
    yield backend
    keyring.set_keyring(previous)


def test_a_dry_run_at_a_local_server_that_is_no_mock_exits_2_and_sends_it_nothing(
    cli: CliRunner,
    not_a_mock: Recorded,
    officers_keyring: RecordingKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EDUBOT_LEC_URL", not_a_mock.url)
    data = write_children(tmp_path / "children.xlsx", children(1))
    args = ["run", STUDENTS_FLOW, "--data", str(data), "--dry-run", "--run-dir", str(tmp_path)]
    result = cli.invoke(app, args)

    assert result.exit_code == 2, result.output
    assert not_a_mock.url in result.output
    assert "not one of edubot's mock portals" in result.output
    assert "ไม่ใช่ระบบจำลองของ edubot" in result.output
    assert "EDUBOT_LEC_URL" in result.output and "edubot mock serve" in result.output
    # Only the handshake reached the server: no login page, no POST, no credential.
    assert [(m, p.split("?")[0]) for m, p, _ in not_a_mock.requests] == [("GET", "/_mock/hello")]
    sent = b"".join(p.encode() + body for _, p, body in not_a_mock.requests)
    assert REAL_PASSWORD.encode() not in sent and REAL_USER.encode() not in sent
    assert officers_keyring.asked == []


def test_a_dry_run_at_edubots_mock_reads_neither_keyring_nor_password_variable(
    cli: CliRunner,
    lec: ServedApp,
    officers_keyring: RecordingKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pointed at a served mock, the dry run logs in with the mock's demo password: the
    keyring is never asked, and the real password (wrong on the mock) is never typed."""
    monkeypatch.setenv("EDUBOT_LEC_URL", lec.url)
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
    data = write_children(tmp_path / "children.xlsx", children(2))
    args = ["run", STUDENTS_FLOW, "--data", str(data), "--dry-run", "--run-dir", str(tmp_path)]
    result = cli.invoke(app, args)

    assert result.exit_code == 0, result.output
    assert officers_keyring.asked == []
    requests = mock_state(lec)["requests"]
    assert requests.get("GET /_mock/hello") == 1
    assert requests.get("POST /login.do", 0) >= 1


def test_the_browser_wall_refuses_another_server_on_this_machine(
    not_a_mock: Recorded, lec: ServedApp
) -> None:
    """Proven: the mock LEC. Another port of 127.0.0.1 is not, and gets nothing."""
    with BrowserSession(dry_run=True, mock_origins=[lec.url]) as session:
        page = session.new_context(lec.url).new_page()
        page.goto(lec.url + "/")
        with pytest.raises(Exception, match="ERR_BLOCKED_BY_CLIENT"):
            page.goto(not_a_mock.url + "/login")
        assert session.wall.blocked == [not_a_mock.url + "/login"]
    assert not_a_mock.requests == []
