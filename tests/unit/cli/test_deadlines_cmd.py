"""`edubot deadlines`: due dates in the Buddhist Era, overdue marked, done where runs tell."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from bot.cli.deadlines import PastRun, display_width, done_from_runs, past_runs
from bot.ops.calendar_file import Calendar, load_deadlines
from bot.ops.deadlines import due_items

from .conftest import REPO


def write_run(runs: Path, name: str, **report: object) -> None:
    values: dict[str, object] = {
        "flow": {"name": "lec-students", "path": "flows/lec/students.yaml", "portal": "lec"},
        "dry_run": False,
        "finished_at": "2026-11-23T10:00:00+07:00",
        "exit_code": 0,
    }
    (runs / name).mkdir(parents=True)
    (runs / name / "report.json").write_text(json.dumps(values | report), encoding="utf-8")


@pytest.fixture(scope="module")
def calendar() -> Calendar:
    return load_deadlines(REPO / "config" / "deadlines.yaml")


def line_of(output: str, step_id: str) -> str:
    lines = output.splitlines()
    index = next(i for i, ln in enumerate(lines) if step_id in ln)
    return lines[index - 1]  # the step's line is just above its id


def test_thai_table_marks_overdue_and_unknown(cli: CliRunner) -> None:
    result = cli.invoke(app, ["deadlines", "--today", "2026-12-01", "--lang", "th"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("งานตามกำหนด ณ วันที่ 1 ธ.ค. 2569\n")
    entry = line_of(result.output, "lec:2569-2:school_entry ")
    assert entry.startswith("!  24 พ.ย. 2569")
    assert "เลยกำหนด 7 วัน" in entry
    assert "ผู้รับผิดชอบระดับสถานศึกษา" in entry
    assert "—" in entry  # nobody ran it: unknown
    confirm = line_of(result.output, "lec:2569-2:school_confirm ")
    assert confirm.startswith("   8 ธ.ค. 2569")
    assert "อีก 7 วัน" in confirm
    assert "edubot schedule add flows/lec/students.yaml" not in result.output  # already overdue


def test_english_keeps_the_thai_date_and_adds_iso(cli: CliRunner) -> None:
    result = cli.invoke(app, ["deadlines", "--today", "2026-11-20", "--lang", "en"])
    assert result.exit_code == 0
    entry = line_of(result.output, "lec:2569-2:school_entry ")
    assert "24 พ.ย. 2569 (2026-11-24)" in entry
    assert "in 4 days" in entry
    assert "School-level officer" in entry
    assert (
        "Run it by itself: edubot schedule add flows/lec/students.yaml --data FILE "
        "--deadline lec:2569-2:school_entry --days-before 1 --at 08:00"
    ) in result.output


def test_a_successful_real_run_marks_the_step_done(cli: CliRunner, isolated: Path) -> None:
    write_run(isolated / "runs", "20261123-100000")
    result = cli.invoke(app, ["deadlines", "--today", "2026-12-01"])
    entry = line_of(result.output, "lec:2569-2:school_entry ")
    assert not entry.startswith("!")  # done, so not overdue
    assert "✓" in entry


def test_a_failed_last_run_is_not_done(cli: CliRunner, isolated: Path) -> None:
    write_run(isolated / "runs", "a", finished_at="2026-11-22T10:00:00+07:00")
    write_run(isolated / "runs", "b", exit_code=1)
    write_run(isolated / "runs", "c", dry_run=True, finished_at="2026-11-25T10:00:00+07:00")
    entry = line_of(
        cli.invoke(app, ["deadlines", "--today", "2026-12-01"]).output, "lec:2569-2:school_entry "
    )
    assert entry.startswith("!")
    assert "✗" in entry


def test_nothing_due(cli: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    text = (REPO / "config" / "deadlines.yaml").read_text(encoding="utf-8")
    (config / "deadlines.yaml").write_text(
        text.replace("ahead_days: 180", "ahead_days: 0").replace(
            "overdue_days: 30", "overdue_days: 0"
        ),
        encoding="utf-8",
    )
    result = cli.invoke(app, ["deadlines", "--today", "2026-08-01", "--config", str(config)])
    assert result.exit_code == 0
    assert "Nothing is due in this period." in result.output


def test_bad_today_and_bad_config_exit_2(cli: CliRunner, tmp_path: Path) -> None:
    assert cli.invoke(app, ["deadlines", "--today", "1/12/2569"]).exit_code == 2
    be = cli.invoke(app, ["deadlines", "--today", "2569-12-01"])
    assert be.exit_code == 2
    assert "Buddhist Era" in be.output
    (tmp_path / "deadlines.yaml").write_text("lec: [", encoding="utf-8")
    broken = cli.invoke(app, ["deadlines", "--config", str(tmp_path)])
    assert broken.exit_code == 2
    assert "not valid YAML" in broken.output


def test_done_hook_looks_at_the_latest_real_run_near_the_due_date(calendar: Calendar) -> None:
    def at(day: str) -> datetime:
        return datetime.fromisoformat(f"{day}T10:00:00+07:00")

    runs = [
        PastRun("/home/officer/edubot/flows/lec/students.yaml", at("2026-06-10"), 0),  # term 1
        PastRun("flows/lec/students.yaml", at("2026-11-21"), 1),
        PastRun("flows/lec/students_old.yaml", at("2026-11-22"), 0),
    ]
    items = {i.id: i for i in due_items(calendar, date(2026, 12, 1), done=done_from_runs(runs))}
    assert items["lec:2569-2:school_entry"].done is False
    assert items["lec:2569-2:appoint_officers"].done is None  # no flow: edubot cannot tell
    later = [*runs, PastRun("C:/edubot/flows/lec/students.yaml", at("2026-11-23"), 0)]
    items = {i.id: i for i in due_items(calendar, date(2026, 12, 1), done=done_from_runs(later))}
    assert items["lec:2569-2:school_entry"].done is True


def test_past_runs_skips_dry_runs_and_unreadable_reports(tmp_path: Path) -> None:
    write_run(tmp_path, "real")
    write_run(tmp_path, "dry", dry_run=True)
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "report.json").write_text("{", encoding="utf-8")
    assert past_runs(tmp_path) == [
        PastRun("flows/lec/students.yaml", datetime.fromisoformat("2026-11-23T10:00:00+07:00"), 0)
    ]
    assert past_runs(tmp_path / "missing") == []


def test_display_width_ignores_thai_marks() -> None:
    assert display_width("ผู้รับผิดชอบ") == 8  # ผ ร บ ผ ด ช อ บ
    assert display_width("abc") == 3
