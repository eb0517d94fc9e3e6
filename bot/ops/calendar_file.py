"""The deadlines file: LEC rounds, SAR deadlines and the manual's steps, read and checked.

`config/deadlines.yaml` holds the dates an officer sets per LEC round and the manual's offsets
(manual, ch. 3). `load_deadlines` reads it into a frozen `Calendar`, refusing a bad file with the
key that is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.bundle import layers_for, merge_over
from bot.data.thai import BE_OFFSET, format_thai_date
from bot.errors import ConfigError

LEC_ANCHORS = ("order_received", "opens", "closes")
SAR_ANCHORS = ("sar_deadline",)


class Responsible(StrEnum):
    """Who does a step, in the manual's words."""

    LGO = "lgo"
    SCHOOL = "school"
    QA_OFFICER = "qa_officer"

    @property
    def label_th(self) -> str:
        """The Thai label an officer reads."""
        return _RESPONSIBLE_TH[self]

    @property
    def label_en(self) -> str:
        """The English label."""
        return _RESPONSIBLE_EN[self]


_RESPONSIBLE_TH = {
    Responsible.LGO: "ผู้รับผิดชอบระดับ อปท.",
    Responsible.SCHOOL: "ผู้รับผิดชอบระดับสถานศึกษา",
    Responsible.QA_OFFICER: "เจ้าหน้าที่ประกันคุณภาพ",
}
_RESPONSIBLE_EN = {
    Responsible.LGO: "LGO-level officer",
    Responsible.SCHOOL: "School-level officer",
    Responsible.QA_OFFICER: "Quality-assurance officer",
}

_RULE = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(?:([+-])\s*(\d+)\s*days?)?\s*$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DueRule(_Frozen):
    """A due date as an anchor plus or minus whole days, written `closes - 2 days`."""

    anchor: str
    days: int = 0

    @classmethod
    def parse(cls, text: str) -> DueRule:
        """Read `anchor`, `anchor + N days` or `anchor - N days`."""
        match = _RULE.match(text)
        if match is None:
            raise ValueError(
                f"due '{text}' is not understood; write an anchor and an offset, "
                "e.g. 'closes - 2 days' or 'opens + 14 days'"
            )
        anchor, sign, days = match.groups()
        offset = int(days or 0)
        return cls(anchor=anchor, days=-offset if sign == "-" else offset)

    def describe(self) -> str:
        """The rule as written in the YAML, e.g. `closes - 2 days`."""
        if self.days == 0:
            return self.anchor
        unit = "day" if abs(self.days) == 1 else "days"
        return f"{self.anchor} {'-' if self.days < 0 else '+'} {abs(self.days)} {unit}"


class Step(_Frozen):
    """One row of the manual's table: what, who, when, and the flow that does it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title_th: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    responsible: Responsible
    due: DueRule
    flow: str | None = None
    guarded: bool = False
    after_steps: tuple[str, ...] = ()

    @field_validator("due", mode="before")
    @classmethod
    def _parse_due(cls, value: object) -> object:
        return DueRule.parse(value) if isinstance(value, str) else value


def _check_gregorian(value: date) -> date:
    # Officers think in พ.ศ.; a BE year typed as ISO would put the deadline 543 years away.
    if value.year >= 2400:
        raise ValueError(
            f"{value.isoformat()} looks like a Buddhist Era year; write the Gregorian year "
            f"(พ.ศ. {value.year} = ค.ศ. {value.year - BE_OFFSET})"
        )
    return value


GregorianDate = Annotated[date, AfterValidator(_check_gregorian)]


class LecRound(_Frozen):
    """One LEC collection round; the officer copies its dates from the DLA order."""

    id: str = Field(pattern=r"^\d{4}-[12]$")
    academic_year: int = Field(ge=2500, le=2700, description="Buddhist Era")
    term: Literal[1, 2]
    order_received: GregorianDate | None = None
    opens: GregorianDate
    closes: GregorianDate

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.id != f"{self.academic_year}-{self.term}":
            raise ValueError(
                f"round id '{self.id}' should be '{self.academic_year}-{self.term}' "
                "(academic year BE, dash, term)"
            )
        if self.closes <= self.opens:
            raise ValueError(
                f"round {self.id} closes ({self.closes}) on or before it opens ({self.opens})"
            )
        return self

    def anchors(self) -> dict[str, date | None]:
        """The dates a step's `due` may name."""
        return {"order_received": self.order_received, "opens": self.opens, "closes": self.closes}


class MonthDay(_Frozen):
    """A day that recurs every year, such as 25 April."""

    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)

    @model_validator(mode="after")
    def _real_day(self) -> Self:
        date(2001, self.month, self.day)  # raises ValueError for 31 April; 29 Feb is refused too
        return self

    def in_year(self, year: int) -> date:
        """This day in a Gregorian year."""
        return date(year, self.month, self.day)


def _check_steps(steps: tuple[Step, ...], fixed: tuple[str, ...]) -> None:
    ids = [s.id for s in steps]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"step ids must be unique; repeated: {', '.join(duplicates)}")
    known = set(fixed) | set(ids)
    for step in steps:
        if step.due.anchor not in known:
            raise ValueError(
                f"step '{step.id}': due '{step.due.describe()}' names an unknown anchor "
                f"'{step.due.anchor}'; use one of: {', '.join([*fixed, *ids])}"
            )
        for other in step.after_steps:
            if other not in ids:
                raise ValueError(f"step '{step.id}': after_steps names an unknown step '{other}'")
    by_id = {s.id: s for s in steps}
    for step in steps:
        seen = [step.id]
        anchor = step.due.anchor
        while anchor in by_id:
            if anchor in seen:
                raise ValueError(f"steps' due dates go round in a circle: {' -> '.join(seen)}")
            seen.append(anchor)
            anchor = by_id[anchor].due.anchor


class LecCalendar(_Frozen):
    """The LEC rounds and the manual's steps for each round."""

    rounds: tuple[LecRound, ...] = ()
    steps: tuple[Step, ...]

    @model_validator(mode="after")
    def _valid(self) -> Self:
        _check_steps(self.steps, LEC_ANCHORS)
        ids = [r.id for r in self.rounds]
        if len(set(ids)) != len(ids):
            raise ValueError(f"round ids must be unique; got {', '.join(ids)}")
        return self


class SarCalendar(_Frozen):
    """The yearly SAR deadline and the chain of steps leading to it."""

    deadline: MonthDay
    steps: tuple[Step, ...]

    @model_validator(mode="after")
    def _valid(self) -> Self:
        _check_steps(self.steps, SAR_ANCHORS)
        return self


class Display(_Frozen):
    """How far back and ahead `due_items` looks."""

    overdue_days: int = Field(default=30, ge=0)
    ahead_days: int = Field(default=180, ge=0)


class Calendar(_Frozen):
    """Everything in `config/deadlines.yaml`."""

    version: Literal[1] = 1
    display: Display = Display()
    lec: LecCalendar
    sar: SarCalendar


class DueItem(_Frozen):
    """One step of one round or year, with its date and who does it."""

    id: str  # "lec:2569-2:school_confirm", "sar:2568:sar_upload": stable, for the journal
    step_id: str
    portal: Literal["lec", "esar"]
    cycle: str  # LEC round id, or the academic year (BE) that a SAR reports on
    title_th: str
    title_en: str
    responsible: Responsible
    due: date
    days_left: int
    overdue: bool
    flow: str | None
    guarded: bool
    after: tuple[str, ...]  # ids of the items that must be done first
    basis: str  # how the date was derived, e.g. "closes - 2 days (closes 2026-12-10)"
    done: bool | None = None  # None: nobody knows (no journal entry)

    @property
    def responsible_th(self) -> str:
        """Thai label of who does this step."""
        return self.responsible.label_th

    @property
    def due_th(self) -> str:
        """The due date as an officer writes it, in the Buddhist Era."""
        return thai_date(self.due)


def thai_date(value: date) -> str:
    """Format a date the Thai way: `10 ธ.ค. 2569`."""
    return format_thai_date(value)


def _error_location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def load_deadlines(path: Path) -> Calendar:
    """Read and check a deadlines file; raise `ConfigError` naming the file and key.

    The shipped file takes the officer's own deadlines.yaml over it, key by key (bot/bundle.py):
    this term's `lec: {rounds: [...]}` is all such a file needs.
    """
    layers = layers_for(path)
    raw: Any = {}
    for layer in layers:
        raw = merge_over(raw, _read_deadlines_file(layer))
    path = layers[-1]  # a bad value is the officer's (the shipped file is tested)
    try:
        return Calendar.model_validate(raw)
    except ValidationError as exc:
        problems = "\n".join(
            f"  {_error_location(e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise ConfigError(f"Deadlines file {path} has problems:\n{problems}") from exc


def _read_deadlines_file(path: Path) -> dict[str, Any]:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"Cannot read deadlines file {path}: {exc.strerror}.") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ConfigError(f"Deadlines file {where} is not valid YAML: {exc}") from exc
    if not isinstance(raw, Mapping):
        raise ConfigError(f"Deadlines file {path} must be a mapping with keys 'lec' and 'sar'.")
    return dict(raw)
