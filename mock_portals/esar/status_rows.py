"""The rows of the status page: one per school × academic year × level the school offers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mock_portals.esar.form_values import slot_query
from mock_portals.esar.messages import (
    CONFIRM_REPLACE,
    NOTE_REPLACE_OPEN,
    NOTE_REPLACES,
    STATUS_LABELS,
)
from mock_portals.esar.seed import School
from mock_portals.esar.store import SUBMITTED, Slot, SlotKey
from mock_portals.esar.thai_format import thai_datetime


def status_rows(
    schools: Iterable[School],
    slots: Iterable[Slot],
    academic_years: tuple[int, ...],
    submitted_label: str | None,
) -> list[dict[str, Any]]:
    """The template's rows; `submitted_label` (a fault) renames ส่งแล้ว as a portal update might."""
    by_key = {s.key: s for s in slots}
    rows = []
    for school in schools:
        for year in academic_years:
            for level in school.levels:
                key = SlotKey(school.code, year, level)
                rows.append(_row(school, key, by_key.get(key), submitted_label))
    return rows


def _row(
    school: School, key: SlotKey, slot: Slot | None, submitted_label: str | None
) -> dict[str, Any]:
    note = ""
    if slot is not None and slot.replace_open:
        note = NOTE_REPLACE_OPEN
    elif slot is not None and slot.replaces_submitted_at:
        note = NOTE_REPLACES.format(when=thai_datetime(slot.replaces_submitted_at))
    status = STATUS_LABELS[slot.status if slot else None]
    if submitted_label and slot is not None and slot.status == SUBMITTED:
        status = submitted_label
    names = {"school": school.name, "year": key.academic_year, "level": key.level}
    return {
        "testid": f"status-{key.school_code}-{key.academic_year}-{key.level}",
        "school": school,
        "key": key,
        "slot": slot,
        "status": status,
        "note": note,
        "query": slot_query(key),
        "confirm_replace": CONFIRM_REPLACE.format(**names),
    }
