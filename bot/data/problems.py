"""``Problem``: one bad cell, row or file, said in Thai and English with the fix."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.data.errors import RuleError
from bot.i18n import say, say_fix

Severity = Literal["error", "warning"]


def column_letter(number: int) -> str:
    """Excel's letters for the 1-based column `number`: 1 → A, 27 → AA, 16384 → XFD.

    Here rather than openpyxl's `get_column_letter`: a CSV or .xls file needs no openpyxl.
    """
    if number < 1:
        raise ValueError(f"column numbers start at 1, not {number}")
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


class Problem(BaseModel):
    """Where an input problem is, what is wrong, and how to fix it (Thai and English).

    ``row`` is the 1-based Excel row (``None`` for a problem with the whole file or sheet);
    ``column`` is the header text and ``column_letter`` the Excel letter (``""`` if none).
    ``value`` is what the cell held, masked when it is personal data.
    """

    model_config = ConfigDict(frozen=True)

    file: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    column_letter: str = ""
    field: str = ""
    value: str = ""
    message_th: str
    message_en: str
    fix_th: str = ""
    fix_en: str = ""
    severity: Severity = "error"

    @classmethod
    def from_rule(
        cls, error: RuleError, *, severity: Severity = "error", **where: object
    ) -> Problem:
        """Build a problem from a :class:`RuleError` and its location."""
        return cls.model_validate(
            {
                **where,
                "message_th": error.th,
                "message_en": error.en,
                "fix_th": error.fix_th,
                "fix_en": error.fix_en,
                "severity": severity,
            }
        )

    @property
    def location(self) -> str:
        """``file › sheet › C5 (header)``, leaving out the parts that are unknown."""
        parts = [self.file]
        if self.sheet:
            parts.append(self.sheet)
        cell = f"{self.column_letter}{self.row or ''}" if self.column_letter else ""
        if not cell and self.row is not None:
            cell = f"แถว {self.row}"
        if cell or self.column:
            parts.append(f"{cell} ({self.column})" if self.column and cell else cell or self.column)
        return " › ".join(parts)

    def one_line(self) -> str:
        """Render as one line: severity, location, value, message and fix in the officer's
        language (both, `th แก้ไข: … (en Fix: …)`, when none was chosen)."""
        if self.severity == "error":
            label = say("ผิดพลาด", "error", both="ผิดพลาด/error")
        else:
            label = say("คำเตือน", "warning", both="คำเตือน/warning")
        value = f" '{self.value}'" if self.value else ""
        message = say_fix(self.message_th, self.message_en, self.fix_th, self.fix_en)
        return f"[{label}] {self.location}{value}: {message}"


def has_errors(problems: tuple[Problem, ...] | list[Problem]) -> bool:
    """Tell whether any problem is an error (warnings alone do not stop a run)."""
    return any(problem.severity == "error" for problem in problems)
