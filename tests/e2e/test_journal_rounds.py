"""The journal never outranks the portal across rounds: a data file's path reused with new
content, or in a new LEC round, is entered again; a verification flow reads the portal every
run. Against the mock LEC, through the CLI (the round from config/deadlines.yaml via a run's
config folder, as an officer edits it)."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from typer.testing import CliRunner

from bot.cli.app import app
from bot.config import DEFAULT_CONFIG_DIR
from bot.console import QuietListener
from bot.engine.options import RunOptions
from bot.engine.pipeline import execute, prepare
from mock_portals.serve import ServedApp
from tests.e2e.conftest import FLOWS, children, write_children
from tests.e2e.resilience_helpers import school_students

pytestmark = pytest.mark.e2e
STUDENTS_FLOW = FLOWS / "lec" / "students.yaml"
VERIFY_FLOW = FLOWS / "lec" / "verify_students.yaml"


def statuses(run_dir: Path) -> list[str]:
    report: dict[str, Any] = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    return [r["status"] for r in report["records"]]


def run(cli: CliRunner, flow: Path, data: Path, run_dir: Path) -> list[str]:
    result = cli.invoke(app, ["run", str(flow), "--data", str(data), "--run-dir", str(run_dir)])
    assert result.exit_code == 0, result.output
    return statuses(run_dir)


def next_term_on_the_portal(lec: ServedApp) -> None:
    """The portal's new round: none of last term's children are on it yet."""
    httpx.post(f"{lec.url}/_mock/reset").raise_for_status()


def test_the_same_path_with_new_content_is_entered_again(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path
) -> None:
    kids = children(4, seed=71)
    data = write_children(tmp_path / "children.xlsx", kids[:3])
    assert run(cli, STUDENTS_FLOW, data, tmp_path / "r1") == ["added"] * 3
    assert run(cli, STUDENTS_FLOW, data, tmp_path / "r2") == ["unchanged"] * 3  # now verified

    next_term_on_the_portal(school_login)
    write_children(data, kids)  # next term's workbook saved over this term's

    assert run(cli, STUDENTS_FLOW, data, tmp_path / "r3") == ["added"] * 4
    assert {k.national_id for k in kids} <= set(school_students(school_login))


def _config_with_rounds(folder: Path, *rounds: tuple[str, date]) -> Path:
    """A copy of config/ whose deadlines list these LEC rounds (id, the day its order came)."""
    shutil.copytree(DEFAULT_CONFIG_DIR, folder, dirs_exist_ok=True)
    path = folder / "deadlines.yaml"
    calendar = yaml.safe_load(path.read_text(encoding="utf-8"))
    calendar["lec"]["rounds"] = [
        {
            "id": round_id,
            "academic_year": int(round_id[:4]),
            "term": int(round_id[-1]),
            "order_received": received,
            "opens": received + timedelta(days=2),
            "closes": received + timedelta(days=40),
        }
        for round_id, received in rounds
    ]
    path.write_text(yaml.safe_dump(calendar, allow_unicode=True), encoding="utf-8")
    return folder


def _run_with_config(data: Path, config: Path, run_dir: Path) -> list[str]:
    options = RunOptions(STUDENTS_FLOW, data, run_dir=run_dir, config_dir=config)
    report = execute(prepare(options), QuietListener(), run_dir).as_dict()
    return [r["status"] for r in report["records"]]


def test_a_new_round_in_the_deadlines_enters_the_same_file_again(
    school_login: ServedApp, tmp_path: Path
) -> None:
    today = date.today()
    this_term = ("2569-2", today - timedelta(days=20))
    config = _config_with_rounds(tmp_path / "config", this_term)
    kids = children(3, seed=72)
    data = write_children(tmp_path / "children.xlsx", kids)
    assert _run_with_config(data, config, tmp_path / "r1") == ["added"] * 3
    assert _run_with_config(data, config, tmp_path / "r2") == ["unchanged"] * 3

    next_term_on_the_portal(school_login)
    # Within the round the journal still answers: verified children cost no page.
    assert _run_with_config(data, config, tmp_path / "r3") == ["skipped"] * 3
    # The officer adds next term's round to the deadlines: the same file is entered again.
    _config_with_rounds(config, this_term, ("2570-1", today - timedelta(days=1)))
    assert _run_with_config(data, config, tmp_path / "r4") == ["added"] * 3
    assert {k.national_id for k in kids} <= set(school_students(school_login))


def test_a_verification_reads_the_portal_every_run(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path
) -> None:
    data = write_children(tmp_path / "children.xlsx", children(3, seed=73))
    assert run(cli, STUDENTS_FLOW, data, tmp_path / "entered") == ["added"] * 3
    assert run(cli, STUDENTS_FLOW, data, tmp_path / "again") == ["unchanged"] * 3
    assert run(cli, VERIFY_FLOW, data, tmp_path / "v1") == ["verified"] * 3
    # The children are gone from the portal: a verification must see it, not the journal.
    next_term_on_the_portal(school_login)
    result = cli.invoke(
        app, ["run", str(VERIFY_FLOW), "--data", str(data), "--run-dir", str(tmp_path / "v2")]
    )
    assert result.exit_code == 1, result.output
    assert statuses(tmp_path / "v2") == ["failed"] * 3
