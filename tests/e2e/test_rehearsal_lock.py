"""A confirmed (locked) school stops the run at once in the portal's words, and one rehearsal
never leaves the next one locked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from mock_portals.serve import ServedApp
from tests.conftest import mock_state
from tests.e2e.conftest import FLOWS, children, write_children
from tests.mock.helpers import confirm_school, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def markup() -> str:
    """The school is confirmed through the accessible markup's forms (tests/mock/helpers.py)."""
    return "accessible"


STUDENTS_FLOW = str(FLOWS / "lec" / "students.yaml")
LOCKED = "สถานศึกษายืนยันข้อมูลแล้ว ไม่สามารถแก้ไขได้"


def _confirm_the_school(lec: ServedApp) -> None:
    with httpx.Client(base_url=lec.url, follow_redirects=True) as portal:
        login(portal, "school")
        assert confirm_school(portal).status_code == 200


def _report(run_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("fresh", [False, True], ids=["new children", "searched children"])
def test_a_locked_school_stops_the_run_at_once_in_the_portals_words(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path, fresh: bool
) -> None:
    """New children meet the lock on the blank form; with --fresh each is searched for first
    (the list page): either way the first child ends the run, without retries."""
    _confirm_the_school(school_login)
    data = write_children(tmp_path / "children.xlsx", children(4))
    before = mock_state(school_login)["requests"]
    args = ["run", STUDENTS_FLOW, "--data", str(data), "--run-dir", str(tmp_path / "r")]
    result = cli.invoke(app, args + (["--fresh"] if fresh else []))
    assert result.exit_code == 1, result.output
    assert LOCKED in result.output
    report = _report(tmp_path / "r")
    assert LOCKED in report["aborted"]
    assert [r["status"] for r in report["records"]] == ["failed"]
    after = mock_state(school_login)["requests"]
    pages = {
        k: after[k] - before.get(k, 0)
        for k in after
        if k.startswith(("GET /student/", "POST /student/"))
    }
    assert sum(pages.values()) == 1, pages  # one page shown the lock, nothing tried again
