"""E-mail TLS is verified: a mail server whose certificate no trusted CA signed gets nothing.

A real SMTP server (aiosmtpd) on loopback with a certificate from a throwaway CA (trustme):
without a verifying context, `smtplib` would hand it the notice — and the SMTP password.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session

from bot.ops.notify import NotifySettings, notify_failure

HOST = "127.0.0.1"


class Inbox:
    """aiosmtpd handler: keeps what was delivered."""

    def __init__(self) -> None:
        self.delivered: list[bytes | str | None] = []

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        self.delivered.append(envelope.content)
        return "250 OK"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(params=["ssl", "starttls"])
def mail_server(request: pytest.FixtureRequest, ca: trustme.CA) -> Iterator[tuple[str, Inbox]]:
    """A mail server on loopback speaking implicit TLS or STARTTLS, its certificate for
    127.0.0.1 signed by a CA this machine does not trust."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(HOST).configure_cert(context)
    inbox, port, security = Inbox(), _free_port(), request.param
    options: dict[str, Any] = (
        {"ssl_context": context}
        if security == "ssl"
        else {"tls_context": context, "require_starttls": True}
    )
    controller = Controller(inbox, hostname=HOST, port=port, **options)
    controller.start()
    try:
        yield f"{security}:{port}", inbox
    finally:
        controller.stop()


def _settings(where: str) -> NotifySettings:
    security, port = where.split(":")
    return NotifySettings(
        desktop=False,
        smtp_host=HOST,
        smtp_port=int(port),
        smtp_security=security,
        mail_to=("officer@example.org",),
        timeout_s=10,
    )


def test_a_server_with_an_untrusted_certificate_gets_no_mail(
    mail_server: tuple[str, Inbox],
) -> None:
    where, inbox = mail_server
    result = notify_failure("the run failed", _settings(where))
    assert result.email == "failed"
    (detail,) = result.details
    assert f"mail server {HOST} did not prove who it is" in detail
    assert "certificate" in detail and "nothing was sent" in detail
    assert inbox.delivered == []


def test_the_same_server_trusted_gets_the_mail(
    mail_server: tuple[str, Inbox], ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal above is the certificate's doing: once its CA is trusted, mail goes."""
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    where, inbox = mail_server
    result = notify_failure("the run failed", _settings(where))
    assert (result.email, result.details) == ("sent", ())
    assert len(inbox.delivered) == 1
