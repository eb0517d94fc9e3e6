"""Issue 29's smaller findings, through the CLI: runs counted for the right round, no advice
to schedule an irreversible step, marked-up copies that never overwrite each other."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.app import app

REPO = Path(__file__).resolve().parents[3]
STUDENTS = str(REPO / "flows" / "lec" / "students.yaml")


def _real_run(data_dir: Path, finished: datetime, exit_code: int) -> None:
    run = data_dir / "runs" / finished.strftime("%Y%m%d-%H%M%S")
    run.mkdir(parents=True)
    report = {
        "flow": {"path": "flows/lec/students.yaml"},
        "dry_run": False,
        "finished_at": finished.isoformat(),
        "exit_code": exit_code,
    }
    (run / "report.json").write_text(json.dumps(report), encoding="utf-8")


def _row(output: str, step_id: str) -> str:
    lines = output.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith(step_id))
    return lines[index - 1]  # the table row sits above its id


def test_one_failed_run_marks_only_the_round_it_was_for(cli: CliRunner, isolated: Path) -> None:
    _real_run(isolated, datetime(2026, 11, 22, 10, 0), exit_code=1)
    now = cli.invoke(app, ["deadlines", "--today", "2026-11-20"])
    assert "✗" in _row(now.output, "lec:2569-2:school_entry")
    june = cli.invoke(app, ["deadlines", "--today", "2026-06-01"])
    assert "✗" not in _row(june.output, "lec:2569-1:school_entry")
    assert "—" in _row(june.output, "lec:2569-1:school_entry")


def test_deadlines_never_suggest_scheduling_an_irreversible_step(cli: CliRunner) -> None:
    # 7 Dec 2026: what is still to come is the confirmations and the SAR submission.
    result = cli.invoke(app, ["deadlines", "--today", "2026-12-07"])
    assert result.exit_code == 0, result.output
    assert "lec:2569-2:school_confirm" in result.output
    assert "--allow-guarded" not in result.output


def test_two_inputs_of_one_name_get_marked_up_copies_of_their_own(
    cli: CliRunner, tmp_path: Path
) -> None:
    bad = "เลขประจำตัวประชาชน,ชื่อ,นามสกุล\n1234,สมชาย,ใจดี\n"
    (tmp_path / "children.csv").write_text(bad, encoding="utf-8")
    from bot.data.demo import demo_students, write_students_xlsx

    xlsx = tmp_path / "children.xlsx"
    write_students_xlsx(xlsx, demo_students(1, seed=1, school_grades=["อนุบาล 1"]))
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    book.active["A2"] = "1234"  # a bad national ID, so that check marks the copy
    book.save(xlsx)
    for name in ("children.csv", "children.xlsx"):
        result = cli.invoke(app, ["check", STUDENTS, "--data", str(tmp_path / name)])
        assert result.exit_code == 2, result.output
    copies = sorted(p.name for p in tmp_path.glob("*ตรวจสอบ.xlsx"))
    assert copies == ["children-csv-ตรวจสอบ.xlsx", "children-ตรวจสอบ.xlsx"]
