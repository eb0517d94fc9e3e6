"""A flow's header besides its steps: its input, how it logs in again, its parameters."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from bot.flow.locator import Condition
from bot.flow.locator import FrozenModel as _Model


class InputSpec(_Model):
    """What a flow's records are: children, SAR manifest rows, or a table the flow declares."""

    records: Literal["student", "sar", "table"] = "student"
    key: str = "national_id"
    report: tuple[str, ...] = ()  # record fields copied into report.json (never personal data)
    columns: dict[str, str] | None = None  # for `table`: key -> the column's Thai header

    @model_validator(mode="after")
    def _table_has_columns(self) -> InputSpec:
        if self.records == "table" and (not self.columns or self.key not in self.columns):
            raise ValueError("a `table` input lists its `columns`, the `key` among them")
        return self


class Relogin(_Model):
    """How to notice the portal dropped the session, and which flow logs in again."""

    when: Condition
    run: str


class Param(_Model):
    """A parameter a sub-flow takes: what it means, and its value when the caller gives none
    (no `default`: the caller must give it)."""

    about: str = Field(min_length=1)
    default: Any = None
    required: bool = True
