"""`edubot purge --all` after a rehearsed round leaves nothing of it under the runs folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.demo import write_demo_round

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
