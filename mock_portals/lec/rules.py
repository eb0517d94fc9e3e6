"""The rules of an LEC round: its dates, confirmations and locks, the grades an LGO collects.

Invented around the steps the municipality's operating manual names (docs/lec-portal-facts.md):
the school confirms before LEC closes, the LGO confirms after every school, and only the
provincial officer undoes that; README.md lists them as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from mock_portals.lec.fields import GRADES
from mock_portals.lec.records import School
from mock_portals.lec.seed import DLA, EXPANSION_SCHOOL, ROUND_CLOSES, ROUND_DAYS, ROUND_OPENS

BE_OFFSET = 543
THAI_TZ = timezone(timedelta(hours=7))

MSG_ROUND_CLOSED = "ระบบปิดการบันทึกข้อมูลแล้ว"
MSG_ROUND_NOT_OPEN = "ระบบยังไม่เปิดการบันทึกข้อมูล"
MSG_SCHOOL_LOCKED = "สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้"
MSG_LGO_LOCKED = "ยืนยันระดับ อปท. แล้ว การยกเลิกต้องติดต่อเจ้าหน้าที่ระดับจังหวัด"
MSG_SCHOOL_NOT_CONFIRMED = "สถานศึกษานี้ยังไม่ยืนยันข้อมูล"
MSG_SCHOOL_CONFIRMED = "ยืนยันข้อมูลเรียบร้อย"
MSG_SCHOOL_UNCONFIRMED = "ยกเลิกการยืนยันข้อมูลเรียบร้อย"
MSG_LGO_CONFIRMED = "ยืนยันข้อมูลระดับ อปท. เรียบร้อย"
DIALOG_CONFIRM_SCHOOL = "ยืนยันข้อมูลของสถานศึกษา? เมื่อยืนยันแล้วจะแก้ไขข้อมูลไม่ได้"
DIALOG_CONFIRM_LGO = "ยืนยันข้อมูลระดับ อปท.? การยกเลิกต้องดำเนินการโดยเจ้าหน้าที่ระดับจังหวัด"
STATUS_CONFIRMED = "สถานะ: ยืนยันข้อมูลแล้ว"
STATUS_NOT_CONFIRMED = "สถานะ: ยังไม่ยืนยันข้อมูล"
LGO_STATUS_CONFIRMED = "สถานะระดับ อปท.: ยืนยันข้อมูลแล้ว"
LGO_STATUS_NOT_CONFIRMED = "สถานะระดับ อปท.: ยังไม่ยืนยันข้อมูล"

# What an LGO collects from a school of another affiliation: kindergarten to Prathom 6, or to
# Mathayom 3 for an expansion school (the operating manual; docs/lec-portal-facts.md).
OTHER_AFFILIATION_GRADES = GRADES[:9]
EXPANSION_GRADES = GRADES[:12]


def msg_schools_not_confirmed(names: list[str]) -> str:
    return f"ยังมีสถานศึกษาที่ยังไม่ยืนยันข้อมูล: {', '.join(names)}"


def dialog_unconfirm_school(name: str) -> str:
    return f"ยกเลิกการยืนยันข้อมูลของ {name}?"


def be_date(day: date) -> str:
    """`dd/mm/yyyy` in the Buddhist Era, as the portal writes dates."""
    return f"{day.day:02d}/{day.month:02d}/{day.year + BE_OFFSET}"


def thai_time(iso: str) -> str:
    """A stored UTC time as Thai local time: `dd/mm/yyyy HH:MM น.` (BE)."""
    stored = datetime.fromisoformat(iso)
    local = (stored if stored.tzinfo else stored.replace(tzinfo=UTC)).astimezone(THAI_TZ)
    return f"{be_date(local.date())} {local:%H:%M} น."


@dataclass(frozen=True)
class Round:
    """The days on which the portal takes saves and confirmations, both ends included."""

    opens: date
    closes: date

    def refusal(self, today: date) -> str | None:
        """Why nothing may be saved `today`, or None while the round is open."""
        if today < self.opens:
            return MSG_ROUND_NOT_OPEN
        if today > self.closes:
            return MSG_ROUND_CLOSED
        return None

    def as_state(self, today: date) -> dict[str, Any]:
        return {
            "opens": self.opens.isoformat(),
            "closes": self.closes.isoformat(),
            "opens_be": be_date(self.opens),
            "closes_be": be_date(self.closes),
            "today": today.isoformat(),
            "open": self.refusal(today) is None,
        }


def default_round(today: date) -> Round:
    """The seed's round; once it is over by `today`, a round in progress around `today`.

    The seed's dates (10 Nov – 10 Dec 2568 BE) are long past on the real calendar, and a demo or
    dry run that the calendar locks out helps nobody. Tests that want a closed round configure
    the dates (`create_app(round_opens=...)` or `POST /_mock/round`).
    """
    if today <= ROUND_CLOSES:
        return Round(ROUND_OPENS, ROUND_CLOSES)
    opens = today - timedelta(days=7)
    return Round(opens, opens + timedelta(days=ROUND_DAYS))


def is_other_affiliation(school: School) -> bool:
    return school.affiliation != DLA


def is_expansion(school: School) -> bool:
    return school.type == EXPANSION_SCHOOL


def allowed_grades(school: School) -> tuple[str, ...]:
    """The grades whose children may be entered for a school."""
    if not is_other_affiliation(school):
        return school.grades
    collected = EXPANSION_GRADES if is_expansion(school) else OTHER_AFFILIATION_GRADES
    return tuple(g for g in school.grades if g in collected)
