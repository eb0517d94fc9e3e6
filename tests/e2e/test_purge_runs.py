"""`edubot purge` after rounds, rehearsals and refused runs, through the CLI: a round's steps
go too, the demo's own files are known for edubot's, a refused run leaves no folder behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from bot.cli.demo import write_demo_round

pytestmark = pytest.mark.e2e


def test_purge_all_removes_every_round_steps_reports_screenshots_and_traces(
    cli: CliRunner, tmp_path: Path, private_data_dir: Path, no_keyring: None
) -> None:
    plan = write_demo_round(tmp_path / "round", children_per_school=2)
    rounded = cli.invoke(app, ["round", str(plan), "--dry-run", "--confirm"])
    assert rounded.exit_code == 0, rounded.output
    runs = private_data_dir / "runs"
    step_reports = list(runs.glob("round-*/*/report.json"))
    assert len(step_reports) >= 10  # every step of the demo round wrote its own report

    purged = cli.invoke(app, ["purge", "--all", "--yes"])
    assert purged.exit_code == 0, purged.output
    left = list(runs.rglob("*")) if runs.exists() else []
    assert left == []  # no file, no folder: purge keeps only files edubot did not write
    assert "did not write" not in purged.output


def test_purge_of_a_rehearsal_folder_removes_what_the_demo_wrote(
    cli: CliRunner, tmp_path: Path, no_keyring: None
) -> None:
    demo_run = tmp_path / "demo-run"
    rehearsed = cli.invoke(app, ["demo", "--round", "--run-dir", str(demo_run)])
    assert rehearsed.exit_code == 0, rehearsed.output
    mine = demo_run / "round" / "my-notes.txt"  # the officer's own file stays
    mine.write_text("notes", encoding="utf-8")

    purged = cli.invoke(app, ["purge", str(demo_run), "--yes"])
    assert purged.exit_code == 0, purged.output
    assert "kept 1 file(s) edubot did not write" in " ".join(purged.output.split())
    assert [p.relative_to(demo_run).as_posix() for p in demo_run.rglob("*")] == [
        "round",
        "round/my-notes.txt",
    ]


def test_a_refused_run_leaves_no_run_folder_to_count_as_the_latest(
    cli: CliRunner, tmp_path: Path, private_data_dir: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    students = Path(__file__).resolve().parents[2] / "flows" / "lec" / "students.yaml"
    refused = cli.invoke(app, ["run", str(students), "--data", str(bad), "--dry-run"])
    assert refused.exit_code == 2, refused.output
    runs = private_data_dir / "runs"
    assert not runs.exists() or list(runs.iterdir()) == []
