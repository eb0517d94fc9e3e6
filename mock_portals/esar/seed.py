"""Demo data for the mock e-SAR: the operating manual's municipality, two schools, accounts.

Everything here is invented for the mock (see README.md); only the municipality's name comes
from its operating manual (docs/esar-portal-facts.md).
"""

from __future__ import annotations

from dataclasses import dataclass

EARLY_CHILDHOOD = "ปฐมวัย"
BASIC = "ขั้นพื้นฐาน"
LEVELS: tuple[str, ...] = (EARLY_CHILDHOOD, BASIC)

LGO_NAME = "เทศบาลตำบลบ้านเป็ด"
DEMO_PASSWORD = "demo"  # public on purpose: the mock's README lists it


@dataclass(frozen=True)
class School:
    """A school or child development centre and the education levels it offers."""

    code: str
    name: str
    lgo: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class SeedAccount:
    """A login of the mock: who it is and which schools it may upload for."""

    username: str
    password: str
    display_name: str
    role: str
    school_codes: tuple[str, ...]


SCHOOLS: tuple[School, ...] = (
    School("3040010001", "ศูนย์พัฒนาเด็กเล็กเทศบาลตำบลบ้านเป็ด", LGO_NAME, (EARLY_CHILDHOOD,)),
    School("3040010002", "โรงเรียนเทศบาลบ้านเป็ด", LGO_NAME, (EARLY_CHILDHOOD, BASIC)),
)

ACCOUNTS: tuple[SeedAccount, ...] = (
    SeedAccount(
        "qa",
        DEMO_PASSWORD,
        f"เจ้าหน้าที่ประกันคุณภาพ {LGO_NAME}",
        "lgo_qa",
        tuple(s.code for s in SCHOOLS),
    ),
    *(SeedAccount(s.code, DEMO_PASSWORD, s.name, "school", (s.code,)) for s in SCHOOLS),
)
