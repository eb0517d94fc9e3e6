"""`edubot status`: where a round stands — per school, children in the file and on the portal,
verified, confirmed; the LGO level; days left before the portal closes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.data.readers import read_students
from bot.engine.journal import Journal, install_key, run_identity
from bot.engine.options import RunOptions
from bot.engine.round import RoundPlan, resolve_plan_path
from bot.flow.loader import load_flow
from bot.ops.calendar_file import Calendar
from bot.paths import data_dir

ENTRY_FLOWS = {"flows/lec/students.yaml", "flows/lec/lgo_students.yaml"}


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
        if step.flow in ENTRY_FLOWS and step.data:
            path = resolve_plan_path(folder, step.data)
            if path not in seen:
                seen.add(path)
                counts.update(_school_counts(path))
    return counts


def verified_counts(plan: RoundPlan, folder: Path, portal_identity: str, term: str) -> Counter[str]:
    """Children the journal saw verified on the portal, per school, by the plan's verify steps
    (flows declaring `purpose: verify`), this round, with the files as they are now."""
    counts: Counter[str] = Counter()
    journal_path = data_dir() / "journal.sqlite3"
    if not journal_path.exists():
        return counts
    key = install_key(data_dir())
    for step in plan.steps:
        if not step.data:
            continue
        flow = load_flow(resolve_plan_path(folder, step.flow))
        if flow.purpose != "verify":
            continue
        path = resolve_plan_path(folder, step.data)
        if not path.is_file():
            continue  # nothing verified from a file that is not there (file_counts says so)
        identity = run_identity(flow.name, portal_identity, term, path)
        journal = Journal(journal_path, key, identity)
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
) -> RoundStatus:
    """Join the portal's LGO page with the files and the journal, school by school."""
    schools = []
    for cells in extracted.get("schools", []):
        code, name, _type, _affiliation, students, state = (cells + [""] * 6)[:6]
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


def lgo_options(plan: RoundPlan, base: RunOptions) -> RunOptions:
    """Log in as the plan's LGO account, in the LGO organisation, to read its home page."""
    from dataclasses import replace

    from bot.config import PROJECT_ROOT

    lgo_steps = [s for s in plan.steps if s.account == "lgo" or "org" in s.vars]
    step = lgo_steps[-1] if lgo_steps else None
    return replace(
        base,
        flow_path=PROJECT_ROOT / "flows" / "lec" / "status.yaml",
        data_path=None,
        account=step.account if step else base.account,
        variables={
            **base.variables,
            **({"org": step.vars["org"]} if step and "org" in step.vars else {}),
        },
    )
