"""The ``Student`` record: one child, checked against the Thai rules, frozen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from bot.data.fields import ALL_FIELDS, CLEARABLE_KEYS, FIELDS_BY_KEY, STUDENT_FIELDS, FieldSpec
from bot.data.rules import (
    CLEAR_MARK,
    cross_check,
    derive_gender,
    is_clear_mark,
    parse_value,
    plain_text,
)
from bot.data.thai import mask_name, mask_national_id

__all__ = ["ALL_FIELDS", "STUDENT_FIELDS", "FieldSpec", "Student"]


class Student(BaseModel):
    """One child's record with every key of ``docs/student-fields.md`` plus routing fields.

    Validation context ``{"today": date}`` pins "today" for the plausibility checks (tests).
    An empty optional field means "leave the portal's value as it is"; `cleared` names the
    optional fields the officer marked with a dash to be emptied on the portal.
    """

    # hide_input_in_errors: a bad national ID must not reach exception text or logs.
    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_default=True, hide_input_in_errors=True
    )

    national_id: str
    student_number: str = ""
    prefix: str
    first_name: str
    last_name: str
    gender: str = ""
    birth_date: date
    race: str = ""
    nationality: str
    religion: str
    grade: str
    room: str
    admission_date: date
    height_cm: Decimal | None = None
    weight_kg: Decimal | None = None
    student_status: str = ""
    family_status: str = ""
    tuition_entitlement: str = ""
    medical_entitlement: str = ""
    father_prefix: str = ""
    father_first_name: str = ""
    father_last_name: str = ""
    father_religion: str = ""
    father_occupation: str = ""
    father_income: str = ""
    father_phone: str = ""
    father_relationship: str = ""
    mother_prefix: str = ""
    mother_first_name: str = ""
    mother_last_name: str = ""
    mother_religion: str = ""
    mother_occupation: str = ""
    mother_income: str = ""
    mother_phone: str = ""
    mother_relationship: str = ""
    guardian_prefix: str = ""
    guardian_first_name: str
    guardian_last_name: str
    guardian_religion: str = ""
    guardian_occupation: str = ""
    guardian_income: str = ""
    guardian_phone: str
    guardian_relationship: str = ""
    reg_house_no: str
    reg_village_no: str = ""
    reg_road: str = ""
    reg_subdistrict: str
    reg_district: str
    reg_province: str
    reg_postcode: str
    cur_house_no: str = ""
    cur_village_no: str = ""
    cur_road: str = ""
    cur_subdistrict: str = ""
    cur_district: str = ""
    cur_province: str = ""
    cur_postcode: str = ""
    school_code: str = ""
    school_name: str = ""
    academic_year: int | None = None
    term: int | None = None
    cleared: frozenset[str] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _note_cleared(cls, data: Any) -> Any:
        """Turn each optional field holding a dash into an empty value named in `cleared`."""
        if not isinstance(data, dict):
            return data
        dashed = {
            key for key, value in data.items() if key in CLEARABLE_KEYS and is_clear_mark(value)
        }
        if not dashed:
            return data
        blanked = {key: None for key in dashed}
        return {**data, **blanked, "cleared": frozenset(data.get("cleared", ())) | dashed}

    @model_validator(mode="before")
    @classmethod
    def _derive_gender(cls, data: Any) -> Any:
        """Fill an empty gender from the prefix, as LEC does."""
        if isinstance(data, dict) and not plain_text(data.get("gender")):
            try:
                prefix = parse_value(FIELDS_BY_KEY["prefix"], data.get("prefix"), today=date.min)
                gender = derive_gender({"prefix": prefix})
            except ValueError:
                return data  # the prefix's own validator reports the problem
            return {**data, "gender": gender}
        return data

    @field_validator(*FIELDS_BY_KEY, mode="before")
    @classmethod
    def _parse(cls, value: object, info: ValidationInfo) -> object:
        """Parse every field with the same rules the readers use."""
        assert info.field_name is not None
        return parse_value(FIELDS_BY_KEY[info.field_name], value, today=_today(info))

    @model_validator(mode="after")
    def _cross_check(self, info: ValidationInfo) -> Student:
        """Refuse a record whose fields contradict each other (warnings are the reader's)."""
        if not self.gender:
            raise ValueError(FIELDS_BY_KEY["gender"].header_th + " — gender is required.")
        for finding in cross_check(self.model_dump(exclude={"cleared"}), today=_today(info)):
            if finding.severity == "error":
                raise finding.error
        return self

    @property
    def key(self) -> str:
        """The child's identity in LEC: the national ID or G-Code."""
        return self.national_id

    @property
    def masked_label(self) -> str:
        """A label safe for logs: masked ID and masked first name."""
        return f"{mask_national_id(self.national_id)} {mask_name(self.first_name)}"

    def as_portal_values(self) -> dict[str, str]:
        """Return every key as the text the portal shows (BE dates, plain numbers).

        "" means "leave the portal's value alone" (a blank cell or a missing column);
        `CLEAR_MARK` means "empty it on the portal" (the officer wrote a dash).
        """
        cleared = self.cleared
        return {
            spec.key: CLEAR_MARK if spec.key in cleared else plain_text(getattr(self, spec.key))
            for spec in ALL_FIELDS
        }

    def __repr__(self) -> str:
        # Keep personal data out of tracebacks and debug logs.
        return f"Student({self.masked_label})"

    __str__ = __repr__


def _today(info: ValidationInfo) -> date:
    context = info.context
    if isinstance(context, dict) and isinstance(context.get("today"), date):
        return context["today"]  # type: ignore[no-any-return]
    return date.today()


_ = STUDENT_FIELDS  # re-exported: the catalogue is part of this module's public API
