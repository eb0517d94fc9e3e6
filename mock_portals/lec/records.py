"""What the mock LEC stores, as plain values: organisations, accounts, students, buildings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mock_portals.lec.fields import KEYS


class DuplicateStudentError(Exception):
    """Another student of the same school already has this national ID."""


class DuplicateBuildingError(Exception):
    """Another building of the same school already has this name."""


@dataclass(frozen=True)
class Lgo:
    code: str
    name: str
    district: str
    province: str


@dataclass(frozen=True)
class School:
    code: str
    name: str
    type: str
    affiliation: str
    lgo_code: str
    grades: tuple[str, ...]


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    role: str
    display_name: str
    organisations: tuple[str, ...]


@dataclass(frozen=True)
class Student:
    id: int
    school_code: str
    values: dict[str, str]
    created_at: str
    updated_at: str

    def as_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "school_code": self.school_code,
            **{key: self.values.get(key, "") for key in KEYS},
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class Building:
    id: int
    school_code: str
    name: str
    values: dict[str, Any]
    created_at: str
    updated_at: str

    def as_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "school_code": self.school_code,
            "name": self.name,
            **self.values,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }
