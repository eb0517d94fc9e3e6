"""A `Secret` never shows its value in text, and the log redacts what it is told to."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator

import pytest
from loguru import logger

from bot.log import configure, register_secret
from bot.secrets import Credentials, Secret

PASSWORD = "Kx7!q9-ZebraTamarind#2568"
NATIONAL_ID = "1103702071005"


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """The log as edubot configures it, written into a buffer."""
    configure()
    register_secret(PASSWORD)
    sink = io.StringIO()
    handler = logger.add(sink, level="DEBUG", format="{level}: {message}", diagnose=False)
    yield sink
    logger.remove(handler)
    configure()


def test_a_secret_prints_masked_in_every_way_text_is_made() -> None:
    secret = Secret(PASSWORD, "lec.password")
    creds = Credentials("officer9", secret, "environment")
    shown = [
        str(secret), repr(secret), f"{secret}", f"{secret!r}", f"{secret:>40}",
        "%s %r" % (secret, secret), f"{secret} {secret!r}",  # noqa: UP031
        str(creds), repr(creds), str([secret]), str({"pw": secret}), str(ValueError(secret)),
    ]  # fmt: skip
    assert all(PASSWORD not in text for text in shown)
    assert secret.reveal() == PASSWORD


def test_log_lines_redact_secrets_and_national_ids(log: io.StringIO) -> None:
    logger.info("typed {} for {}", PASSWORD, NATIONAL_ID)
    logger.warning(f"portal said: bad login {PASSWORD} / {NATIONAL_ID}")
    logger.debug("fields {}", {"password": PASSWORD})
    text = log.getvalue()
    assert PASSWORD not in text and NATIONAL_ID not in text
    assert "<secret>" in text and "1-xxxx-xxxxx-xx-5" in text


def test_a_logged_exception_is_redacted_too(log: io.StringIO) -> None:
    try:
        raise RuntimeError(f"login failed for {PASSWORD} ({NATIONAL_ID})")
    except RuntimeError:
        logger.exception("login failed")
    text = log.getvalue()
    assert PASSWORD not in text and NATIONAL_ID not in text


def test_a_secret_does_not_come_out_through_dataclass_helpers() -> None:
    creds = Credentials("officer9", Secret(PASSWORD, "lec.password"), "environment")
    assert PASSWORD not in str(dataclasses.asdict(creds))
