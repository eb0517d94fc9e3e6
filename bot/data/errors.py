"""Errors raised by the data layer when a value breaks a Thai data rule.

``RuleError`` (a ``ValueError``) carries the message and the fix in Thai and English, so that a
reader can turn it into a :class:`bot.data.problems.Problem` without parsing text, and pydantic
can still treat it as an ordinary validation error.
"""

from __future__ import annotations

from bot.i18n import say


class RuleError(ValueError):
    """A value breaks a Thai data rule; its str() is the message as `say` gives it."""

    def __init__(self, th: str, en: str, *, fix_th: str = "", fix_en: str = "") -> None:
        self.th = th
        self.en = en
        self.fix_th = fix_th
        self.fix_en = fix_en
        super().__init__(say(th, en))
