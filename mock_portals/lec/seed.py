"""The demo seed: เทศบาลตำบลบ้านเป็ด (Khon Kaen), its schools, demo accounts and round.

Invented data. School codes follow the mock's assumed rule (no public source found): 2-digit
affiliation (30 = DLA, 10 = OBEC) followed by 8 digits.
"""

from __future__ import annotations

from datetime import date, timedelta

from mock_portals.lec.db import Database
from mock_portals.lec.fields import GRADES
from mock_portals.lec.records import Account, Lgo, School

ACADEMIC_YEAR = 2568
TERM = 2
# The round of term 2/2568 opens on 10 November 2568 BE (the count date of OBEC's DMC, an
# analogous system: docs/lec-portal-facts.md) and stays open for ROUND_DAYS; both are invented
# for LEC.
ROUND_OPENS = date(2025, 11, 10)
ROUND_DAYS = 30
ROUND_CLOSES = ROUND_OPENS + timedelta(days=ROUND_DAYS)
DEMO_PASSWORD = "demo"
# Bumped whenever the seed changes shape: a state dir seeded by an older mock is seeded again.
SEED_VERSION = "2"
DLA = "DLA"
SCHOOL = "โรงเรียน"
EXPANSION_SCHOOL = "โรงเรียนขยายโอกาส"

LGO = Lgo("6400101", "เทศบาลตำบลบ้านเป็ด", "เมืองขอนแก่น", "ขอนแก่น")
CDC = School(
    "3040010001",
    "ศูนย์พัฒนาเด็กเล็กเทศบาลตำบลบ้านเป็ด",
    "ศพด.",
    DLA,
    LGO.code,
    GRADES[:3],
)
MUNICIPAL_SCHOOL = School("3040010002", "โรงเรียนเทศบาลบ้านเป็ด", SCHOOL, DLA, LGO.code, GRADES[:9])
OBEC_SCHOOL = School("1040010003", "โรงเรียนบ้านหนองไผ่ (สพฐ.)", SCHOOL, "OBEC", LGO.code, GRADES[:9])
# An expansion school (โรงเรียนขยายโอกาส): kindergarten to Mathayom 3.
OBEC_EXPANSION_SCHOOL = School(
    "1040010004", "โรงเรียนบ้านโนนสวรรค์ (สพฐ.)", EXPANSION_SCHOOL, "OBEC", LGO.code, GRADES[:12]
)
SCHOOLS = (CDC, MUNICIPAL_SCHOOL, OBEC_SCHOOL, OBEC_EXPANSION_SCHOOL)
ACCOUNTS = (
    Account("lgo", DEMO_PASSWORD, "lgo", "นักวิชาการศึกษา อปท.", (LGO.code, OBEC_SCHOOL.code)),
    Account("cdc", DEMO_PASSWORD, "school", "ครูผู้ดูแลเด็ก ศพด.", (CDC.code,)),
    Account("school", DEMO_PASSWORD, "school", "ครูธุรการ รร.เทศบาล", (MUNICIPAL_SCHOOL.code,)),
)

DEMO_STUDENTS: tuple[dict[str, str], ...] = (
    {
        "national_id": "1409900123454",
        "student_number": "6501",
        "prefix": "เด็กชาย",
        "first_name": "ก้องภพ",
        "last_name": "ศรีสุข",
        "gender": "ชาย",
        "birth_date": "14/02/2560",
        "nationality": "ไทย",
        "religion": "พุทธ",
        "grade": "ประถมศึกษาปีที่ 1",
        "room": "1",
        "admission_date": "16/05/2565",
        "guardian_prefix": "นาง",
        "guardian_first_name": "สมพร",
        "guardian_last_name": "ศรีสุข",
        "guardian_phone": "0812345678",
        "guardian_relationship": "มารดา",
        "reg_house_no": "12",
        "reg_village_no": "3",
        "reg_subdistrict": "บ้านเป็ด",
        "reg_district": "เมืองขอนแก่น",
        "reg_province": "ขอนแก่น",
        "reg_postcode": "40000",
    },
    {
        "national_id": "G674000000001",
        "student_number": "6502",
        "prefix": "เด็กหญิง",
        "first_name": "มะลิ",
        "last_name": "ใจดี",
        "gender": "หญิง",
        "birth_date": "03/09/2561",
        "nationality": "เมียนมา",
        "religion": "พุทธ",
        "grade": "อนุบาล 3",
        "room": "2",
        "admission_date": "16/05/2567",
        "guardian_first_name": "ทุน",
        "guardian_last_name": "ใจดี",
        "guardian_phone": "0898765432",
        "reg_house_no": "99/1",
        "reg_subdistrict": "บ้านเป็ด",
        "reg_district": "เมืองขอนแก่น",
        "reg_province": "ขอนแก่น",
        "reg_postcode": "40000",
    },
)


def load_seed(db: Database, *, demo_students: bool) -> None:
    """Fill an empty database: organisations, accounts, the round, optionally demo students."""
    db.add_lgo(LGO)
    for school in SCHOOLS:
        db.add_school(school)
    for account in ACCOUNTS:
        db.add_account(account)
    db.set_meta("academic_year", str(ACADEMIC_YEAR))
    db.set_meta("term", str(TERM))
    if demo_students:
        for values in DEMO_STUDENTS:
            db.save_student(MUNICIPAL_SCHOOL.code, values, None)
    db.set_meta("seeded", SEED_VERSION)
