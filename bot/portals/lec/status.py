"""`edubot status`: where a round stands — per school, children in the file and on the portal,
verified, confirmed; the LGO level; days left before the portal closes.

What to read comes from the flows, not from here: the flow declaring `purpose: status` reads
the LGO's page (its `extract` of the schools' table names each column by its header text); the
plan's flows declaring `roster: true` hold the children "in the file"; those declaring
`purpose: verify` left the journal entries counted as verified, opened as the run opened them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from bot.config import PROJECT_ROOT
from bot.data.readers import read_students
from bot.engine.journal import journal_file, open_run_journal
from bot.engine.options import RunOptions
from bot.engine.round import RoundPlan, resolve_plan_path
from bot.errors import ConfigError
from bot.flow.loader import is_part, load_flow
from bot.flow.model import Extract, Flow
from bot.i18n import say
from bot.ops.calendar_file import Calendar

FLOWS = PROJECT_ROOT / "flows"


@dataclass(frozen=True)
class SchoolStatus:
    code: str
    name: str
    in_file: int | None
    on_portal: int | None
    verified: int | None
    confirmed: bool | None

    @property
    def counts_differ(self) -> bool:
        """The file and the portal disagree on how many children the school has."""
        return None not in (self.in_file, self.on_portal) and self.in_file != self.on_portal


@dataclass(frozen=True)
class RoundStatus:
    schools: tuple[SchoolStatus, ...]
    lgo_confirmed: bool | None
    closes: date | None
    days_left: int | None


def _school_counts(path: Path) -> Counter[str]:
    table = read_students(path)
    return Counter(row.student.school_code or "?" for row in table.rows)


def file_counts(plan: RoundPlan, folder: Path) -> Counter[str]:
    """Children per school code in the plan's entry files (each file read once)."""
    counts: Counter[str] = Counter()
    seen: set[Path] = set()
    for step in plan.steps:
        if step.data and load_flow(resolve_plan_path(folder, step.flow)).roster:
            path = resolve_plan_path(folder, step.data)
            if path not in seen:
                seen.add(path)
                counts.update(_school_counts(path))
    return counts


def verified_counts(plan: RoundPlan, folder: Path, portal_identity: str, term: str) -> Counter[str]:
    """Children the journal saw verified on the portal, per school, by the plan's verify steps
    (flows declaring `purpose: verify`), this round, with the files as they are now."""
    counts: Counter[str] = Counter()
    if not journal_file().exists():
        return counts
    for step in plan.steps:
        if not step.data:
            continue
        flow = load_flow(resolve_plan_path(folder, step.flow))
        if flow.purpose != "verify":
            continue
        path = resolve_plan_path(folder, step.data)
        if not path.is_file():
            continue  # nothing verified from a file that is not there (file_counts says so)
        journal = open_run_journal(flow.name, portal_identity, term, path)
        try:
            verified = journal.counts().get("verified", 0)
        finally:
            journal.close()
        schools = _school_counts(path)
        if len(schools) == 1:  # a school's own file; a mixed file cannot be split from here
            counts[next(iter(schools))] += verified
    return counts


def days_to_close(calendar: Calendar, today: date) -> tuple[date | None, int | None]:
    """The current (or next) round's closing date and the days left to it."""
    upcoming = sorted(r.closes for r in calendar.lec.rounds if r.closes >= today)
    if not upcoming:
        return None, None
    return upcoming[0], (upcoming[0] - today).days


def build_status(
    extracted: dict[str, Any],
    in_file: Counter[str],
    verified: Counter[str],
    closes: date | None,
    days_left: int | None,
    columns: Mapping[str, str] | None = None,
) -> RoundStatus:
    """Join the portal's LGO page with the files and the journal, school by school.

    `columns`: code, name, students and state → the header texts of the schools' table (by
    default, as the status flow declares them).
    """
    rows = _by_header(extracted.get("schools", []), columns or school_columns())
    schools = []
    for row in rows:
        code, name, students, state = (row[k] for k in ("code", "name", "students", "state"))
        schools.append(
            SchoolStatus(
                code=code,
                name=name,
                in_file=in_file.get(code),
                on_portal=int(students) if students.isdigit() else None,
                verified=verified.get(code),
                confirmed=state.startswith("ยืนยันข้อมูลแล้ว"),
            )
        )
    lgo = str(extracted.get("lgo", ""))
    lgo_confirmed = ("ยืนยันข้อมูลแล้ว" in lgo) if lgo else None
    return RoundStatus(tuple(schools), lgo_confirmed, closes, days_left)


def _by_header(rows: Sequence[Sequence[str]], columns: Mapping[str, str]) -> list[dict[str, str]]:
    """Table rows (the header row first) as dicts, each cell found by its column's header."""
    if not rows:
        return []
    header = [" ".join(cell.split()) for cell in rows[0]]
    where: dict[str, int] = {}
    for key, title in columns.items():
        if title not in header:
            raise ConfigError(
                say(
                    f"ตารางสถานศึกษาในหน้าระบบไม่มีคอลัมน์ “{title}”",
                    f"the portal's schools table has no column “{title}”",
                )
                + f"; {say('คอลัมน์ที่มี', 'its columns')}: {', '.join(header)}. "
                + say(
                    "แก้ `columns:` ของ extract ในโฟลว์ status ให้ตรงกับหัวตารางในหน้าระบบ",
                    "Correct `columns:` of the status flow's extract to the portal's header.",
                )
            )
        where[key] = header.index(title)
    return [
        {key: cells[i] if i < len(cells) else "" for key, i in where.items()}
        for cells in rows[1:]
        if any(cell.strip() for cell in cells)  # a blank spacer row is no school
    ]


@cache
def status_flow(portal: str = "lec") -> Flow:
    """The portal's one flow declaring `purpose: status` (among flows/<portal>/)."""
    found = [
        flow
        for path in sorted((FLOWS / portal).glob("*.yaml"))
        if not is_part(path) and (flow := load_flow(path)).purpose == "status"
    ]
    if len(found) != 1:
        named = ", ".join(f.path for f in found) or "none"
        raise ConfigError(
            say(
                f"ต้องมีโฟลว์ purpose: status หนึ่งโฟลว์ใน flows/{portal}/",
                f"exactly one flow in flows/{portal}/ must declare `purpose: status`",
            )
            + f"; {say('ที่พบ', 'found')}: {named}"
        )
    return found[0]


def school_columns() -> dict[str, str]:
    """What the status flow's extract of the schools' table names its columns."""
    flow = status_flow()
    for step in flow.walk():
        if isinstance(step, Extract) and step.name == "schools" and step.columns:
            return step.columns
    raise ConfigError(
        f"{flow.path}: the status flow reads no `schools` table with `columns:` "
        "(code, name, students, state → the portal's header texts)"
    )


def lgo_options(plan: RoundPlan, base: RunOptions) -> RunOptions:
    """Log in as the plan's LGO account, in the LGO organisation, to read its home page."""
    lgo_steps = [s for s in plan.steps if s.account == "lgo" or "org" in s.vars]
    step = lgo_steps[-1] if lgo_steps else None
    return replace(
        base,
        flow_path=Path(status_flow().path),
        data_path=None,
        account=step.account if step else base.account,
        variables={
            **base.variables,
            **({"org": step.vars["org"]} if step and "org" in step.vars else {}),
        },
    )
