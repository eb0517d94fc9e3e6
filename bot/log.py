"""The one loguru setup, and `redact`: the one masking of secrets and IDs in free text.

The engine logs through `logger` from here. Whatever a message holds, before it is written a
patcher replaces every registered secret value with `<secret>` and every 13-digit number or
G-Code with its masked form — a second wall behind the rule of never logging them at all.
Reports, the console and e-mail notices mask their free text with the same `redact`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from loguru import logger

from bot.data.thai import mask_name
from bot.data.thai import mask_national_id as mask_id
from bot.secrets import MASK

if TYPE_CHECKING:
    from loguru import Record

# Exactly 13 digits, each optionally after one space or dash (as on the card): a free-running
# run of digits and spaces would swallow a row number before an ID and leave the ID whole.
_ID_PATTERN = re.compile(r"(?<![\dA-Za-z])(?:G\d{12}|\d(?:[ -]?\d){12})(?!\d)")
_secrets: set[str] = set()


def register_secret(value: str) -> None:
    """Never let `value` be written by the logger."""
    if len(value) >= 3:
        _secrets.add(value)


def redact(text: str, personal: Iterable[str] = (), *, secrets: Iterable[str] = ()) -> str:
    """Mask secrets, national IDs and G-Codes in free text, and the given personal values.

    `personal` are one child's names, phones and address parts (`personal_values`): a portal
    message or a refused field may quote them, and they have no pattern to find them by.
    `secrets` are values to hide besides the registered ones (an SMTP password).
    """
    for secret in (*_secrets, *secrets):
        if secret:
            text = text.replace(secret, MASK)
    # Longest first, so a full name is masked whole before its parts are looked for.
    for value in sorted({v.strip() for v in personal if _worth_masking(v)}, key=len, reverse=True):
        text = text.replace(value, mask_name(value))
    return _ID_PATTERN.sub(lambda m: _mask_if_id(m.group(0)), text)


def _worth_masking(value: str) -> bool:
    # A short number ("12", a village no.) would mask row numbers and counts, and masks
    # nothing that identifies a child; a two-letter Thai name does.
    value = value.strip()
    return len(value) >= 3 or (len(value) == 2 and not any(c.isdigit() for c in value))


def _mask_if_id(found: str) -> str:
    digits = re.sub(r"[ -]", "", found)
    return mask_id(digits) if len(digits) == 13 else found


def _patch(record: Record) -> None:
    message = record["message"]
    exception = record["exception"]
    if exception is not None:
        # A traceback's text is redacted like any message, then written as part of it.
        import traceback

        text = "".join(
            traceback.format_exception(exception.type, exception.value, exception.traceback)
        )
        message = f"{message}\n{text}"
        record["exception"] = None
    record["message"] = redact(message)


def _to_stderr(text: str) -> None:
    sys.stderr.write(text)


def configure(*, verbose: bool = False, log_file: Path | None = None) -> None:
    """Console at WARNING (INFO with verbose), and a DEBUG file when asked, both redacted."""
    logger.remove()
    logger.configure(patcher=_patch)
    # Whatever sys.stderr is at the time of writing (a test runner swaps it, and closes it after).
    logger.add(
        _to_stderr,
        level="DEBUG" if verbose else "WARNING",
        format="{level}: {message}",
    )
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.touch(mode=0o600, exist_ok=True)
        logger.add(log_file, level="DEBUG", encoding="utf-8", backtrace=False, diagnose=False)


logger.remove()
logger.configure(patcher=_patch)
logger.add(sys.stderr, level="WARNING", format="{level}: {message}")

__all__ = ["configure", "logger", "mask_id", "redact", "register_secret"]
