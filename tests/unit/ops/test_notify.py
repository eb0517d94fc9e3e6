"""Failure notices: the right command per platform, e-mail through a fake SMTP, nothing personal."""

from __future__ import annotations

import base64
import smtplib
import ssl
import subprocess
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Self

import pytest

from bot.log import redact
from bot.ops.notify import FailureSummary, NotifySettings, desktop_command, notify_failure
from bot.secrets import Secret

PASSWORD = "hunter2-รหัสลับ"
FULL_ID = "1103700000015"


class FakeRunner:
    """Records commands and exits with the given codes, in turn."""

    def __init__(self, *codes: int) -> None:
        self.calls: list[list[str]] = []
        self.codes = list(codes) or [0]

    def __call__(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        self.calls.append(args)
        code = self.codes.pop(0) if len(self.codes) > 1 else self.codes[0]
        return subprocess.CompletedProcess(args, code, "", "")


class FakeSMTP:
    """Records what a real server would have been asked to do."""

    instances: ClassVar[list[FakeSMTP]] = []

    def __init__(self, host: str, port: int, timeout: float, use_ssl: bool) -> None:
        self.opened = (host, port, timeout, use_ssl)
        self.actions: list[str] = []
        self.sent: list[EmailMessage] = []
        self.logins: list[tuple[str, str]] = []
        FakeSMTP.instances.append(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.actions.append("quit")

    def starttls(self, *, context: ssl.SSLContext) -> None:
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        self.actions.append("starttls")

    def login(self, user: str, password: str) -> None:
        self.logins.append((user, password))
        self.actions.append("login")

    def send_message(self, msg: EmailMessage) -> None:
        self.sent.append(msg)
        self.actions.append("send")


class RefusingSMTP(FakeSMTP):
    def login(self, user: str, password: str) -> None:
        raise smtplib.SMTPAuthenticationError(535, f"bad login {user} {password}".encode())


@pytest.fixture(autouse=True)
def _fresh_smtp() -> None:
    FakeSMTP.instances.clear()


@pytest.fixture
def summary() -> FailureSummary:
    report: dict[str, Any] = {
        "flow": {"name": "lec-students", "portal": "lec"},
        "dry_run": False,
        "totals": {"records": 8, "added": 1, "failed": 7},
        "records": [
            {"row": n, "status": "failed", "message": f"เลข {FULL_ID} ซ้ำ"} for n in range(2, 9)
        ]
        + [{"row": 9, "status": "added"}],
        "exit_code": 1,
    }
    return FailureSummary.from_report(report, Path("/home/officer/runs/lec"))


def mail_settings(**changes: Any) -> NotifySettings:
    values: dict[str, Any] = {
        "desktop": False,
        "smtp_host": "smtp.example.org",
        "smtp_username": "officer@example.org",
        "smtp_password": Secret(PASSWORD, "smtp"),
        "mail_to": ("officer@example.org", "head@example.org"),
    }
    return NotifySettings(**(values | changes))


def test_ids_are_masked_as_everywhere_else() -> None:
    assert redact(f"id {FULL_ID} and 1-1037-00000-01-5") == (
        "id 1-xxxx-xxxxx-xx-5 and 1-xxxx-xxxxx-xx-5"
    )
    assert redact("G-Code G644200000001") == "G-Code G64xxxxxxxxxx"
    # A school code (10 digits) and a phone number are not national IDs.
    assert redact("school 3040100101, tel 0812345678") == "school 3040100101, tel 0812345678"


def test_redact_replaces_secret_values() -> None:
    assert redact(f"login failed for {PASSWORD}", secrets=[PASSWORD]) == "login failed for <secret>"


def test_summary_from_report(summary: FailureSummary) -> None:
    assert summary.title() == "edubot: lec-students ไม่สำเร็จ / failed"
    body = summary.body().splitlines()
    assert body[0] == "records 8, added 1, failed 7"
    assert body[1] == f"row 2: เลข {FULL_ID} ซ้ำ"  # masked when sent, not here
    assert len([ln for ln in body if ln.startswith("row ")]) == 5
    assert "… และอีก 2 รายการ / and more" in body
    assert body[-2:] == ["รายงาน / report: /home/officer/runs/lec", "exit code 1"]


def test_linux_uses_notify_send(summary: FailureSummary) -> None:
    runner = FakeRunner(0)
    result = notify_failure(
        summary, NotifySettings(), run=runner, platform="linux", which=lambda n: f"/usr/bin/{n}"
    )
    assert (result.desktop, result.email) == ("sent", "off")
    [args] = runner.calls
    assert args[:3] == ["notify-send", "--app-name=edubot", "--urgency=critical"]
    assert args[3] == summary.title()
    assert FULL_ID not in args[4] and "1-xxxx-xxxxx-xx-5" in args[4]


def test_linux_without_notifier_is_unavailable(summary: FailureSummary) -> None:
    runner = FakeRunner()
    result = notify_failure(
        summary, NotifySettings(), run=runner, platform="linux", which=lambda n: None
    )
    assert result.desktop == "unavailable"
    assert runner.calls == []


def test_macos_passes_texts_as_arguments() -> None:
    [args] = desktop_command('say "hi" & rm', "body", "darwin")
    assert args[:2] == ["osascript", "-e"]
    assert args[-2:] == ['say "hi" & rm', "body"]


def test_windows_toast_then_msg_fallback(summary: FailureSummary) -> None:
    runner = FakeRunner(1, 0)
    result = notify_failure(summary, NotifySettings(), run=runner, platform="win32")
    assert result.desktop == "sent"
    toast, msg = runner.calls
    assert toast[:4] == ["powershell", "-NoProfile", "-NonInteractive", "-EncodedCommand"]
    script = base64.b64decode(toast[4]).decode("utf-16-le")
    assert "ToastNotificationManager" in script
    assert "'edubot: lec-students ไม่สำเร็จ / failed'" in script
    assert FULL_ID not in script
    assert msg[:3] == ["msg", "*", "/TIME:3600"]


def test_powershell_quotes_are_doubled() -> None:
    [toast, _] = desktop_command("it's", "o'clock", "win32")
    script = base64.b64decode(toast[4]).decode("utf-16-le")
    assert "CreateTextNode('it''s')" in script and "CreateTextNode('o''clock')" in script


def test_desktop_failure_is_reported_not_raised(summary: FailureSummary) -> None:
    def broken(args: list[str]) -> subprocess.CompletedProcess[str]:
        raise subprocess.TimeoutExpired(args, 15)

    result = notify_failure(
        summary, NotifySettings(), run=broken, platform="linux", which=lambda n: n
    )
    assert result.desktop == "failed"
    assert result.details == ("notify-send: TimeoutExpired",)


def test_email_is_sent_with_starttls_and_login(summary: FailureSummary) -> None:
    result = notify_failure(summary, mail_settings(), smtp=FakeSMTP)
    assert (result.desktop, result.email) == ("off", "sent")
    [server] = FakeSMTP.instances
    assert server.opened == ("smtp.example.org", 587, 30.0, False)
    assert server.actions == ["starttls", "login", "send", "quit"]
    assert server.logins == [("officer@example.org", PASSWORD)]
    [msg] = server.sent
    assert msg["To"] == "officer@example.org, head@example.org"
    assert msg["Subject"] == summary.title()
    text = msg.as_string() + str(msg.get_content())
    assert PASSWORD not in text
    assert FULL_ID not in text and "1-xxxx-xxxxx-xx-5" in msg.get_content()


def test_email_over_ssl_without_login() -> None:
    settings = mail_settings(
        smtp_security="ssl", smtp_port=465, smtp_username=None, smtp_password=None
    )
    notify_failure("the run stopped", settings, smtp=FakeSMTP)
    [server] = FakeSMTP.instances
    assert server.opened[3] is True
    assert server.actions == ["send", "quit"]
    assert server.sent[0].get_content().strip() == "the run stopped"


def test_email_failure_never_shows_the_password(summary: FailureSummary) -> None:
    result = notify_failure(summary, mail_settings(), smtp=RefusingSMTP)
    assert result.email == "failed"
    assert result.details == ("e-mail: SMTPAuthenticationError",)
    assert PASSWORD not in repr(result) and PASSWORD not in repr(mail_settings())


def test_password_echoed_in_a_message_is_masked() -> None:
    notify_failure(f"portal said: wrong password {PASSWORD}", mail_settings(), smtp=FakeSMTP)
    assert "wrong password <secret>" in FakeSMTP.instances[0].sent[0].get_content()


def test_no_email_without_host_or_recipients() -> None:
    result = notify_failure("x", mail_settings(mail_to=()), smtp=FakeSMTP)
    assert result.email == "off"
    assert FakeSMTP.instances == []
