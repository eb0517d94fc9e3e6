"""`edubot demo`: rehearse on this machine, against the mock LEC; and its material, the seed
municipality's whole LEC round as files and a plan.

Everything matches the mock LEC's demo seed (เทศบาลตำบลบ้านเป็ด, mock_portals/lec/README.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer
from openpyxl import Workbook

from bot import console
from bot.cli.round import run_plan
from bot.cli.shared import HeadedOpt, fail, need_display
from bot.config import PROJECT_ROOT
from bot.data.demo import demo_students, write_students_xlsx
from bot.data.records import Student
from bot.engine.options import RunOptions
from bot.engine.pipeline import execute, prepare
from bot.engine.report import write_private
from bot.engine.round import ROUND_MOCK_STATE
from bot.errors import EdubotError
from bot.flow.loader import load_flow
from bot.flows_catalogue import resolve_flow
from bot.i18n import say
from bot.log import configure
from bot.ops.purge import DEMO_FILES
from bot.paths import mock_state_dir
from mock_portals.lec.seed import DEMO_STUDENTS, MUNICIPAL_SCHOOL

FLOWS = PROJECT_ROOT / "flows"  # edubot's own: a checkout's, or the installed copy (bot/bundle.py)
KINDERGARTEN = [f"อนุบาล {n}" for n in (1, 2, 3)]
PRIMARY = [f"ประถมศึกษาปีที่ {n}" for n in range(1, 7)]
LOWER_SECONDARY = [f"มัธยมศึกษาปีที่ {n}" for n in range(1, 4)]
GRADE_CODES = dict(
    zip(
        KINDERGARTEN + PRIMARY + LOWER_SECONDARY,
        ["K1", "K2", "K3", *[f"P{i}" for i in range(1, 7)], "M1", "M2", "M3"],
        strict=True,
    )
)
LGO_CODE = "6400101"
# code, name, grades, account (None: entered by the LGO at LGO level)
SCHOOLS = (
    ("3040010001", "ศูนย์พัฒนาเด็กเล็กเทศบาลตำบลบ้านเป็ด", KINDERGARTEN, "cdc"),
    ("3040010002", "โรงเรียนเทศบาลบ้านเป็ด", KINDERGARTEN + PRIMARY, "school"),
    ("1040010003", "โรงเรียนบ้านหนองไผ่ (สพฐ.)", KINDERGARTEN + PRIMARY, None),
    ("1040010004", "โรงเรียนบ้านโนนสวรรค์ (สพฐ.)", KINDERGARTEN + PRIMARY + LOWER_SECONDARY, None),
)


def demo(
    run_dir: Annotated[Path, typer.Option("--run-dir")] = Path("demo-run"),
    headed: HeadedOpt = False,
    whole_round: Annotated[
        bool, typer.Option("--round", help="Rehearse the demo municipality's whole LEC round")
    ] = False,
) -> None:
    """Rehearse on this machine: enter a sample school's children into the mock LEC.

    Example: edubot demo --headed      ·      edubot demo --round
    """
    need_display(headed)
    if whole_round:
        raise typer.Exit(_rehearse_round(run_dir, headed))
    run_dir.mkdir(parents=True, exist_ok=True)
    data = run_dir / "demo-students.xlsx"
    write_students_xlsx(data, demo_students(12, seed=2568, school_grades=KINDERGARTEN + PRIMARY))
    console.print_line(f"{say('ไฟล์ตัวอย่าง', 'sample data')}: {data}")
    configure(log_file=run_dir / "edubot.log")
    # Its own mock state, so that a rehearsed round (which locks the schools) never blocks it.
    flow = resolve_flow("lec/students")  # the officer's copy, if any: what a run would use
    options = RunOptions(
        flow, data, dry_run=True, run_dir=run_dir, headless=not headed, mock_state="demo-lec"
    )
    try:
        report = execute(prepare(options), console.ProgressListener(), run_dir)
    except EdubotError as exc:
        raise fail(exc) from None
    path = report.write()
    console.print_summary(report.as_dict(), path)
    raise typer.Exit(report.exit_code())


def _rehearse_round(run_dir: Path, headed: bool) -> int:
    """The demo municipality's whole round, confirmations included, on the mock; its exit code."""
    # A rehearsal of the round starts from the seed: the last one confirmed every school.
    shutil.rmtree(mock_state_dir() / ROUND_MOCK_STATE, ignore_errors=True)
    plan = write_demo_round(run_dir / "round")
    console.print_line(f"{say('แผนรอบตัวอย่าง', 'demo round plan')}: {plan}")
    runs = run_dir / "runs"
    return run_plan(
        plan, dry_run=True, confirm=True, run_dir=runs, headed=headed, non_interactive=True
    )


def _write_table(path: Path, flow: str, rows: list[dict[str, str]]) -> Path:
    """A table in the layout a flow declares (its `input.columns`, Thai headers)."""
    spec = load_flow(FLOWS / flow).input
    assert spec is not None and spec.columns is not None
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(spec.columns.values()))
    for row in rows:
        sheet.append([row.get(key, "") for key in spec.columns])
    book.save(path)
    path.chmod(0o600)
    return path


def _basic_data(code: str, name: str, grades: list[str]) -> dict[str, str]:
    row = {
        "school_code": code,
        "address": f"{name} ตำบลบ้านเป็ด อำเภอเมืองขอนแก่น จังหวัดขอนแก่น 40000",
        "phone": "043123456",
        "email": f"school{code[-2:]}@banped.go.th",
        "head_name": "นางสาวมาลี ใจดี",
        "teachers": "12",
        "staff": "3",
    }
    for grade in grades:
        row[f"classrooms_{GRADE_CODES[grade]}"] = "1"
        row[f"students_{GRADE_CODES[grade]}"] = "25"
    return row


def write_demo_round(folder: Path, children_per_school: int = 4) -> Path:
    """Write the demo municipality's round: data files and `round.yaml`; return the plan."""
    folder.mkdir(parents=True, exist_ok=True)
    steps: list[str] = []
    for number, (code, name, grades, account) in enumerate(SCHOOLS, start=1):
        kids = demo_students(children_per_school, seed=2568 + number, school_grades=grades,
                             school_code=code, school_name=name)  # fmt: skip
        # The school's file holds every child of it, those the portal already has included:
        # a confirmation refuses while the portal holds children the file lacks.
        kids = mock_seed_children(code, name) + kids
        children = f"children-{code}.xlsx"
        write_students_xlsx(folder / children, kids)
        if account:
            basic = _write_table(folder / f"basic-{code}.xlsx", "lec/basic_data.yaml",
                                 [_basic_data(code, name, grades)])  # fmt: skip
            steps += [
                _step("flows/lec/basic_data.yaml", basic.name, account),
                _step("flows/lec/students.yaml", children, account),
                _step("flows/lec/verify_students.yaml", children, account),
                _step("flows/lec/confirm_school.yaml", children, account),
            ]
            if code == "3040010002":
                buildings = _write_table(folder / "buildings.xlsx", "lec/buildings.yaml", [
                    {"name": "อาคารเรียน 1", "type": "อาคารเรียน", "year_built": "2545",
                     "rooms": "6", "condition": "ดี"},
                    {"name": "โรงอาหาร", "type": "โรงอาหาร", "year_built": "2550",
                     "rooms": "1", "condition": "พอใช้"},
                ])  # fmt: skip
                steps.insert(-3, _step("flows/lec/buildings.yaml", buildings.name, account))
        else:
            org = {"org": LGO_CODE}
            steps += [
                _step("flows/lec/lgo_students.yaml", children, "lgo", org),
                _step(
                    "flows/lec/lgo_confirm_school.yaml", children, "lgo", {**org, "school": code}
                ),
            ]
    steps.append(_step("flows/lec/confirm_lgo.yaml", None, "lgo", {"org": LGO_CODE}))
    plan = folder / "round.yaml"
    header = "name: รอบการจัดเก็บข้อมูล LEC — เทศบาลตำบลบ้านเป็ด (ตัวอย่าง)\nportal: lec\nsteps:\n"
    write_private(plan, header + "".join(steps))
    # So that `edubot purge` knows these files for edubot's own, and leaves any other be.
    write_private(folder / DEMO_FILES, "\n".join(_demo_file_names()) + "\n")
    return plan


def mock_seed_children(code: str, name: str = "") -> list[Student]:
    """The children the mock LEC's seed already holds for school `code`, as file rows."""
    if code != MUNICIPAL_SCHOOL.code:
        return []
    routing = {"school_code": code, "school_name": name or MUNICIPAL_SCHOOL.name}
    return [Student.model_validate(values | routing) for values in DEMO_STUDENTS]


def _demo_file_names() -> list[str]:
    """The files `write_demo_round` writes (its plan and its workbooks)."""
    names = ["round.yaml", "buildings.xlsx"]
    for code, _name, _grades, account in SCHOOLS:
        names.append(f"children-{code}.xlsx")
        if account:
            names.append(f"basic-{code}.xlsx")
    return names


def _step(
    flow: str, data: str | None, account: str, variables: dict[str, str] | None = None
) -> str:
    lines = [f"  - flow: {flow}"]
    if data:
        lines.append(f"    data: {data}")
    lines.append(f"    account: {account}")
    if variables:
        lines.append("    vars: {" + ", ".join(f'{k}: "{v}"' for k, v in variables.items()) + "}")
    return "\n".join(lines) + "\n"
