"""The children a benchmark enters: an xlsx for edubot, a JSON of form fields for the floors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.data.demo import demo_students, write_students_xlsx
from bot.data.records import Student
from mock_portals.lec.fields import FIELDSETS

SCHOOL_CODE = "3040010002"  # โรงเรียนเทศบาลบ้านเป็ด, account `school` (mock README)
SCHOOL_NAME = "โรงเรียนเทศบาลบ้านเป็ด"
SCHOOL_GRADES = ("อนุบาล 1", "อนุบาล 2", "อนุบาล 3", *(f"ป.{n}" for n in range(1, 7)))


@dataclass(frozen=True)
class Dataset:
    """One set of children written both ways."""

    xlsx: Path  # what an officer gives edubot
    fields_json: Path  # per child: [{key, label, select, value}] — what a script author keeps
    count: int


def students(count: int) -> list[Student]:
    """The same `count` valid children every time."""
    return demo_students(
        count,
        seed=8,
        school_grades=SCHOOL_GRADES,
        school_code=SCHOOL_CODE,
        school_name=SCHOOL_NAME,
    )


def with_other_room(children: list[Student]) -> list[Student]:
    """The same children, each moved to another room (every record then differs)."""
    return [c.model_copy(update={"room": "2" if c.room == "1" else "1"}) for c in children]


def form_fields(child: Student) -> list[dict[str, Any]]:
    """The child's non-empty values as the portal's form labels them (the mock's own catalogue)."""
    values = child.as_portal_values()
    return [
        {"key": f.key, "label": f.label, "select": f.is_select, "value": values[f.key]}
        for fs in FIELDSETS
        for f in fs.fields
        if values.get(f.key)
    ]


def write_dataset(folder: Path, name: str, children: list[Student]) -> Dataset:
    """Write `children` as `folder/name.xlsx` and `folder/name.json`."""
    folder.mkdir(parents=True, exist_ok=True)
    xlsx, fields_json = folder / f"{name}.xlsx", folder / f"{name}.json"
    write_students_xlsx(xlsx, children)
    fields_json.write_text(
        json.dumps([form_fields(c) for c in children], ensure_ascii=False), encoding="utf-8"
    )
    return Dataset(xlsx, fields_json, len(children))
