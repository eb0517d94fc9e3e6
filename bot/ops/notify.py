"""Tell the officer that an unattended run failed: a desktop notification, and e-mail if set up.

A scheduled run has nobody watching it, so a failure must reach the officer some other way.
Both channels are reached through injectable seams (a command runner, an SMTP factory), so tests
send nothing. Every text that leaves the machine goes through `bot.log.redact`: national IDs and
G-Codes are masked and the SMTP password is never part of it. Notifying never raises: a broken mail
server must not hide the run's own result.
"""

from __future__ import annotations

import base64
import shutil
import smtplib
import ssl
import subprocess
import sys
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Protocol, Self

from pydantic import BaseModel, ConfigDict, Field

from bot.i18n import say
from bot.log import redact
from bot.secrets import Secret

__all__ = [
    "FailureSummary",
    "NotifyResult",
    "NotifySettings",
    "desktop_command",
    "notify_failure",
]

MAX_FAILURES_LISTED = 5


def _failed_word() -> str:
    """The word "failed" in a notice's title, which keeps its short `th / en` form."""
    return say("ไม่สำเร็จ", "failed", both="ไม่สำเร็จ / failed")


# Windows PowerShell's own app id: a toast needs a registered one to be shown.
_POWERSHELL_APP_ID = (
    "{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\WindowsPowerShell\\v1.0\\powershell.exe"
)

Channel = Literal["sent", "failed", "unavailable", "off"]
CommandRunner = Callable[[list[str]], subprocess.CompletedProcess[str]]


class NotifySettings(BaseModel):
    """Where failure notices go; e-mail only when `smtp_host` and `mail_to` are set."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    desktop: bool = True
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: Secret | None = Field(default=None, repr=False)
    mail_from: str | None = None
    mail_to: tuple[str, ...] = ()
    timeout_s: float = Field(default=30.0, gt=0)

    @property
    def email_configured(self) -> bool:
        """True when there is a server to send through and someone to send to."""
        return bool(self.smtp_host and self.mail_to)


class FailureSummary(BaseModel):
    """What an officer needs to know about a failed run, and nothing personal."""

    model_config = ConfigDict(frozen=True)

    flow: str
    portal: str | None = None
    dry_run: bool = False
    run_dir: str | None = None
    exit_code: int = 1
    totals: dict[str, int] = Field(default_factory=dict)
    failures: tuple[str, ...] = ()  # "row 4: <portal message>", the first few only
    error: str | None = None  # an error that stopped the whole run

    @classmethod
    def from_report(cls, report: Mapping[str, Any], run_dir: Path | None = None) -> Self:
        """Summarise a `report.json` structure."""
        flow = report.get("flow") or {}
        records = report.get("records") or []
        failed = [r for r in records if r.get("status") == "failed"]
        return cls(
            flow=str(flow.get("name") or flow.get("path") or "?"),
            portal=flow.get("portal"),
            dry_run=bool(report.get("dry_run", False)),
            run_dir=str(run_dir) if run_dir is not None else None,
            exit_code=int(report.get("exit_code", 1)),
            totals={k: int(v) for k, v in (report.get("totals") or {}).items()},
            failures=tuple(
                f"row {r.get('row', '?')}: {r.get('message') or r.get('status')}"
                for r in failed[:MAX_FAILURES_LISTED]
            ),
        )

    def title(self) -> str:
        """One line for the notification's title."""
        mode = " (dry run)" if self.dry_run else ""
        return f"edubot: {self.flow}{mode} {_failed_word()}"

    def body(self) -> str:
        """A few lines: totals, the first failures, where the report is."""
        lines = []
        if self.totals:
            lines.append(", ".join(f"{k} {v}" for k, v in self.totals.items()))
        if self.error:
            lines.append(self.error)
        lines += list(self.failures)
        failed = self.totals.get("failed", 0)
        if failed > len(self.failures):
            more = failed - len(self.failures)
            lines.append(
                say(f"… และอีก {more} รายการ", "and more", both=f"… และอีก {more} รายการ / and more")
            )
        if self.run_dir:
            lines.append(f"{say('รายงาน', 'report', both='รายงาน / report')}: {self.run_dir}")
        lines.append(f"exit code {self.exit_code}")
        return "\n".join(lines)


class NotifyResult(BaseModel):
    """What happened on each channel; `details` says why something failed."""

    model_config = ConfigDict(frozen=True)

    desktop: Channel
    email: Channel
    details: tuple[str, ...] = ()


class SMTPLike(Protocol):
    """The part of `smtplib.SMTP` that notify uses; tests pass a fake."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> object: ...

    def starttls(self, *, context: ssl.SSLContext) -> object: ...

    def login(self, user: str, password: str) -> object: ...

    def send_message(self, msg: EmailMessage) -> object: ...


SMTPFactory = Callable[[str, int, float, bool], SMTPLike]


def verified_tls() -> ssl.SSLContext:
    """TLS that checks the server's certificate and name against the system's trusted CAs.

    `smtplib` without a context checks neither: anyone between edubot and the mail server
    could read the SMTP password and the notice.
    """
    return ssl.create_default_context()


def default_smtp(host: str, port: int, timeout: float, use_ssl: bool) -> SMTPLike:
    """A real `smtplib` connection (implicit TLS verified as `verified_tls` says)."""
    if use_ssl:
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=verified_tls())
    return smtplib.SMTP(host, port, timeout=timeout)


def run_command(args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run a short command; a hung notifier must not hold up the run."""
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=15)


def _powershell_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _windows_toast(title: str, body: str) -> list[str]:
    script = "\n".join(
        [
            "$m = [Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications,"
            " ContentType = WindowsRuntime]",
            "$k = [Windows.UI.Notifications.ToastTemplateType]::ToastText02",
            "$x = $m::GetTemplateContent($k)",
            "$t = $x.GetElementsByTagName('text')",
            f"$t.Item(0).AppendChild($x.CreateTextNode({_powershell_literal(title)})) > $null",
            f"$t.Item(1).AppendChild($x.CreateTextNode({_powershell_literal(body)})) > $null",
            "$n = [Windows.UI.Notifications.ToastNotification]::new($x)",
            f"$m::CreateToastNotifier({_powershell_literal(_POWERSHELL_APP_ID)}).Show($n)",
        ]
    )
    # -EncodedCommand takes UTF-16LE base64, which keeps Thai text and quotes intact.
    encoded = base64.b64encode(script.encode("utf-16-le")).decode("ascii")
    return ["powershell", "-NoProfile", "-NonInteractive", "-EncodedCommand", encoded]


def desktop_command(
    title: str, body: str, platform: str, which: Callable[[str], str | None] = shutil.which
) -> list[list[str]]:
    """Commands to try in order for a desktop notification; empty when there is none."""
    if platform.startswith("win"):
        return [_windows_toast(title, body), ["msg", "*", "/TIME:3600", f"{title}\n{body}"]]
    if platform == "darwin":
        # The texts go in as argv, so no quoting of AppleScript strings is needed.
        script = "display notification (item 2 of argv) with title (item 1 of argv)"
        return [["osascript", "-e", "on run argv", "-e", script, "-e", "end run", title, body]]
    if which("notify-send"):
        return [["notify-send", "--app-name=edubot", "--urgency=critical", title, body]]
    return []


def _notify_desktop(
    title: str, body: str, platform: str, run: CommandRunner, which: Callable[[str], str | None]
) -> tuple[Channel, str | None]:
    commands = desktop_command(title, body, platform, which)
    if not commands:
        return "unavailable", "no desktop notifier found (notify-send)"
    problem = None
    for args in commands:
        try:
            done = run(args)
        except (OSError, subprocess.SubprocessError) as exc:
            problem = f"{args[0]}: {exc.__class__.__name__}"
            continue
        if done.returncode == 0:
            return "sent", None
        problem = f"{args[0]} exited {done.returncode}"
    return "failed", problem


def _email(settings: NotifySettings, title: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = title
    msg["From"] = settings.mail_from or settings.smtp_username or "edubot@localhost"
    msg["To"] = ", ".join(settings.mail_to)
    msg.set_content(body)
    return msg


def _send_email(
    settings: NotifySettings, title: str, body: str, smtp: SMTPFactory
) -> tuple[Channel, str | None]:
    assert settings.smtp_host is not None  # checked by email_configured
    try:
        with smtp(
            settings.smtp_host,
            settings.smtp_port,
            settings.timeout_s,
            settings.smtp_security == "ssl",
        ) as server:
            if settings.smtp_security == "starttls":
                server.starttls(context=verified_tls())
            if settings.smtp_username and settings.smtp_password is not None:
                server.login(settings.smtp_username, settings.smtp_password.reveal())
            server.send_message(_email(settings, title, body))
    except ssl.SSLCertVerificationError as exc:
        return "failed", "e-mail: " + say(
            "ใบรับรองของเซิร์ฟเวอร์อีเมลตรวจสอบไม่ผ่าน ไม่ได้ส่งอีเมล",
            f"the mail server {settings.smtp_host} did not prove who it is "
            f"({exc.verify_message}); nothing was sent. Use the server's own name as smtp_host, "
            "or have its certificate fixed",
        )
    except (OSError, smtplib.SMTPException) as exc:
        # Only the class name: some servers echo the login, and so the password, in errors.
        return "failed", f"e-mail: {exc.__class__.__name__}"
    return "sent", None


def notify_failure(
    summary: FailureSummary | str,
    settings: NotifySettings,
    *,
    run: CommandRunner = run_command,
    smtp: SMTPFactory = default_smtp,
    platform: str = sys.platform,
    which: Callable[[str], str | None] = shutil.which,
) -> NotifyResult:
    """Send a failure notice on every configured channel; report what happened, never raise."""
    if isinstance(summary, str):
        title, body = f"edubot: {_failed_word()}", summary
    else:
        title, body = summary.title(), summary.body()
    secrets = [settings.smtp_password.reveal()] if settings.smtp_password else []
    title, body = redact(title, secrets=secrets), redact(body, secrets=secrets)

    details: list[str] = []
    desktop: Channel = "off"
    if settings.desktop:
        desktop, problem = _notify_desktop(title, body, platform, run, which)
        details += [problem] if problem else []
    email: Channel = "off"
    if settings.email_configured:
        email, problem = _send_email(settings, title, body, smtp)
        details += [problem] if problem else []
    return NotifyResult(desktop=desktop, email=email, details=tuple(details))
