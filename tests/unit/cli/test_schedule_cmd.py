"""`edubot schedule`: the exact crontab line and Windows task, never the real scheduler."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import schedule as cli_schedule
from bot.cli import system
from bot.cli.app import app
from bot.data.demo import demo_students, write_students_xlsx
from bot.ops.schedule import scheduler_for
from bot.ops.windows_task import decoded_script
from bot.paths import default_runs_dir

from .conftest import EXE, REPO, FakeCrontab

STUDENTS = REPO / "flows" / "lec" / "students.yaml"
GUARDED_FLOW = """\
name: confirm-school
portal: lec
steps:
  - goto: "school/confirm.do"
  - click: {role: button, name: ยืนยันข้อมูล, dialog: {accept: ยืนยันข้อมูล}, irreversible: true,
            verify: {text: ยืนยันข้อมูลแล้ว}}
"""


@pytest.fixture
def children(tmp_path: Path) -> Path:
    path = tmp_path / "children.xlsx"
    grades = [f"ประถมศึกษาปีที่ {n}" for n in range(1, 7)]
    write_students_xlsx(path, demo_students(3, seed=1, school_grades=grades))
    return path


@pytest.fixture
def guarded_flow(tmp_path: Path) -> Path:
    path = tmp_path / "flows" / "confirm_school.yaml"
    path.parent.mkdir()
    path.write_text(GUARDED_FLOW, encoding="utf-8")
    return path


def test_add_before_a_deadline_writes_the_exact_cron_line(
    cli: CliRunner, crontab: FakeCrontab, children: Path, isolated: Path
) -> None:
    result = cli.invoke(
        app,
        ["schedule", "add", str(STUDENTS), "--data", str(children),
         "--deadline", "lec:2569-2:school_entry", "--days-before", "2", "--at", "08:30"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    run_dir = isolated / "runs" / "scheduled-lec-2569-2-school_entry"
    expected = (
        f'30 8 22 11 * [ "$(date +\\%Y)" = 2026 ] && umask 077 && mkdir -p {run_dir} && '
        f"{EXE} run lec/students --data {children} --run-dir {run_dir} --non-interactive "
        f">> {run_dir}/schedule.log 2>&1 # edubot:lec-2569-2-school_entry"
    )
    assert crontab.text.splitlines() == [
        "MAILTO=officer@example.org",
        "0 3 * * * /usr/bin/backup # not ours",
        expected,
    ]
    assert "Scheduled: lec-2569-2-school_entry" in result.output
    assert "22 พ.ย. 2569 08:30 น." in result.output
    assert "edubot schedule remove lec-2569-2-school_entry" in result.output


def test_a_flow_of_the_catalogue_is_scheduled_by_its_name_any_other_by_its_path(
    cli: CliRunner, crontab: FakeCrontab, children: Path, guarded_flow: Path
) -> None:
    """edubot's own flows (and the officer's copies) are found by name when the run starts, so
    an upgrade that moves edubot's folder leaves the entry working; a flow elsewhere keeps the
    absolute path it was given."""
    for flow, at in ((str(STUDENTS), "2026-12-01 08:00"), ("lec/students", "2026-12-02 08:00")):
        result = cli.invoke(app, ["schedule", "add", flow, "--data", str(children), "--when", at])
        assert result.exit_code == 0, result.output
    result = cli.invoke(
        app,
        ["schedule", "add", str(guarded_flow), "--data", str(children),
         "--when", "2026-12-03 08:00", "--allow-guarded"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = [line for line in crontab.text.splitlines() if "# edubot:" in line]
    assert [" run lec/students " in line for line in lines] == [True, True, False]
    assert f" run {guarded_flow} " in lines[2]


def test_add_in_thai_says_when_in_the_buddhist_era(
    cli: CliRunner, crontab: FakeCrontab, children: Path
) -> None:
    result = cli.invoke(
        app,
        ["schedule", "add", str(STUDENTS), "--data", str(children), "--lang", "th",
         "--when", "2026-12-01 07:15", "--dry-run"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "ตั้งเวลาแล้ว: students-20261201-0715-dry-run" in result.output
    assert "1 ธ.ค. 2569 07:15 น." in result.output
    line = crontab.text.splitlines()[-1]
    assert line.startswith("15 7 1 12 * ")
    assert " --non-interactive --dry-run >> " in line
    assert "--confirm" not in line


def test_a_time_already_past_is_refused(
    cli: CliRunner, crontab: FakeCrontab, children: Path
) -> None:
    result = cli.invoke(
        app,
        ["schedule", "add", str(STUDENTS), "--data", str(children),
         "--when", "2026-11-20 08:59"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "already passed" in result.output
    assert crontab.writes == 0


def test_a_deadline_run_that_would_fall_in_the_past_is_refused(
    cli: CliRunner, crontab: FakeCrontab, children: Path
) -> None:
    # school_entry is due 24 Nov; 5 days before is 19 Nov, and "now" is 20 Nov.
    result = cli.invoke(
        app,
        ["schedule", "add", str(STUDENTS), "--data", str(children),
         "--deadline", "lec:2569-2:school_entry", "--days-before", "5"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "already passed" in result.output
    assert crontab.writes == 0


def test_guarded_steps_need_an_explicit_allow_guarded(
    cli: CliRunner, crontab: FakeCrontab, guarded_flow: Path, children: Path
) -> None:
    args = ["schedule", "add", str(guarded_flow), "--data", str(children),
            "--when", "2026-12-07 08:00"]  # fmt: skip
    refused = cli.invoke(app, args)
    assert refused.exit_code == 2
    assert "--allow-guarded" in refused.output
    assert crontab.writes == 0

    allowed = cli.invoke(app, [*args, "--allow-guarded"])
    assert allowed.exit_code == 0, allowed.output
    line = crontab.text.splitlines()[-1]
    assert f"run {guarded_flow} --data {children} " in line
    assert line.endswith(
        "--non-interactive --confirm >> "
        f"{default_runs_dir()}/scheduled-confirm_school-20261207-0800/schedule.log 2>&1"
        " # edubot:confirm_school-20261207-0800"
    )


def test_bad_data_is_refused_when_scheduling_not_at_three_in_the_morning(
    cli: CliRunner, crontab: FakeCrontab, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("เลขประจำตัวประชาชน,ชื่อ\n123,สมชาย\n", encoding="utf-8")
    result = cli.invoke(
        app, ["schedule", "add", str(STUDENTS), "--data", str(bad), "--when", "2026-12-01 08:00"]
    )
    assert result.exit_code == 2
    assert "Nothing was scheduled." in result.output
    assert crontab.writes == 0


def test_either_deadline_or_when(cli: CliRunner, crontab: FakeCrontab, children: Path) -> None:
    both = cli.invoke(
        app,
        ["schedule", "add", str(STUDENTS), "--data", str(children),
         "--deadline", "lec:2569-2:school_entry", "--when", "2026-12-01 08:00"],
    )  # fmt: skip
    neither = cli.invoke(app, ["schedule", "add", str(STUDENTS), "--data", str(children)])
    assert (both.exit_code, neither.exit_code) == (2, 2)
    assert "--deadline" in neither.output


def test_an_unknown_deadline_names_the_right_form(
    cli: CliRunner, crontab: FakeCrontab, children: Path
) -> None:
    result = cli.invoke(
        app,
        ["schedule", "add", str(STUDENTS), "--data", str(children),
         "--deadline", "lec:2570-1:school_entry"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "lec:<round>:<step>" in result.output


def test_a_buddhist_era_year_is_explained(
    cli: CliRunner, crontab: FakeCrontab, children: Path
) -> None:
    result = cli.invoke(
        app,
        ["schedule", "add", str(STUDENTS), "--data", str(children), "--when", "2569-12-01 08:00"],
    )
    assert result.exit_code == 2
    assert "Buddhist Era" in result.output


def test_a_dry_run_schedule_refuses_a_real_portal_address(
    cli: CliRunner,
    crontab: FakeCrontab,
    children: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EDUBOT_LEC_URL", "https://lec.dla.go.th")
    result = cli.invoke(
        app,
        ["schedule", "add", str(STUDENTS), "--data", str(children),
         "--when", "2026-12-01 08:00", "--dry-run"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "not on this machine" in result.output
    assert crontab.writes == 0


def test_a_mock_address_in_the_environment_goes_into_the_line(
    cli: CliRunner,
    crontab: FakeCrontab,
    children: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EDUBOT_LEC_URL", "http://127.0.0.1:8001")
    result = cli.invoke(
        app,
        ["schedule", "add", str(STUDENTS), "--data", str(children),
         "--when", "2026-12-01 08:00", "--dry-run"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"EDUBOT_LEC_URL=http://127.0.0.1:8001 {EXE} run " in crontab.text


def test_windows_gets_the_task_and_its_wrapper(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands: list[list[str]] = []
    files: dict[str, str] = {}

    def run(args: list[str]) -> subprocess.CompletedProcess[str]:
        commands.append(args)
        return subprocess.CompletedProcess(args, 0, "SUCCESS", "")

    def write_file(path: Path, text: str) -> None:
        files[str(path)] = text

    monkeypatch.setattr(
        system, "scheduler_factory", lambda: scheduler_for("win32", run=run, write_file=write_file)
    )
    monkeypatch.setattr(system, "find_edubot", lambda: Path(r"C:\edubot\.venv\Scripts\edubot.exe"))
    checked: list[tuple[Path, Path, bool, bool]] = []

    def check(flow: Path, data: Path, dry_run: bool, allow: bool, config: Path) -> str:
        checked.append((flow, data, dry_run, allow))
        return "esar"

    monkeypatch.setattr(cli_schedule, "check_scheduled_run", check)
    result = cli.invoke(
        app,
        ["schedule", "add", r"C:\edubot\flows\esar\upload_sar.yaml",
         "--data", r"C:\edubot\sar.xlsx", "--run-dir", r"C:\edubot\runs\sar",
         "--deadline", "sar:2569:sar_upload", "--days-before", "3", "--at", "07:00",
         "--allow-guarded"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert checked == [
        (Path(r"C:\edubot\flows\esar\upload_sar.yaml"), Path(r"C:\edubot\sar.xlsx"), False, True)
    ]
    [command] = commands
    script = decoded_script(command)
    assert r"""-Execute '"C:\edubot\runs\sar\edubot-sar-2569-sar_upload.cmd"'""" in script
    assert "-Once -At ([datetime]::new(2027, 4, 22, 7, 0, 0))" in script
    assert r"-TaskPath '\edubot\' -TaskName 'sar-2569-sar_upload'" in script
    wrapper = files[r"C:\edubot\runs\sar\edubot-sar-2569-sar_upload.cmd"]
    assert (
        r'"C:\edubot\.venv\Scripts\edubot.exe" run "C:\edubot\flows\esar\upload_sar.yaml"'
        r' --data "C:\edubot\sar.xlsx" --run-dir "C:\edubot\runs\sar" --non-interactive'
        r' --confirm >> "C:\edubot\runs\sar\schedule.log" 2>&1'
    ) in wrapper.splitlines()


def test_list_shows_only_edubots_entries(
    cli: CliRunner, crontab: FakeCrontab, children: Path
) -> None:
    assert cli.invoke(app, ["schedule", "list"]).output.strip() == "Nothing is scheduled."
    cli.invoke(
        app,
        ["schedule", "add", str(STUDENTS), "--data", str(children),
         "--deadline", "lec:2569-2:school_entry", "--at", "07:45"],
    )  # fmt: skip
    result = cli.invoke(app, ["schedule", "list", "--lang", "th"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"lec-2569-2-school_entry  23 พ.ย. 2569 07:45 น. · lec/students · --data {children}"
    ]


def test_remove_drops_the_line_and_keeps_the_rest(
    cli: CliRunner, crontab: FakeCrontab, children: Path
) -> None:
    cli.invoke(
        app,
        ["schedule", "add", str(STUDENTS), "--data", str(children), "--when", "2026-12-01 08:00"],
    )
    assert "# edubot:students-20261201-0800" in crontab.text
    result = cli.invoke(app, ["schedule", "remove", "students-20261201-0800"])
    assert result.exit_code == 0
    assert "Removed: students-20261201-0800" in result.output
    assert crontab.text == "MAILTO=officer@example.org\n0 3 * * * /usr/bin/backup # not ours\n"
    again = cli.invoke(app, ["schedule", "remove", "students-20261201-0800"])
    assert again.exit_code == 2
    assert "schedule list" in again.output
