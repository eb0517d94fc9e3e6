"""One irreversible press, ever (issue 23, point 4), on the mock LEC served for each test.

The mock answers the school's confirmation late (`answer_delay_ms`: the confirmation is made,
the answer held past the click's timeout) or handles it late (`request_delay_ms`: the portal has
not confirmed yet when edubot reads it back). Either way the mock's request counts must show one
confirm POST: the run ends done when the portal shows the school confirmed, else exit 1.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.engine.options import RunOptions
from bot.engine.pipeline import execute, prepare
from mock_portals.lec.app import create_app as create_lec
from mock_portals.serve import ServedApp, serve_in_thread
from tests.e2e.conftest import FLOWS, MUNICIPAL_SCHOOL, children, write_children
from tests.e2e.resilience_helpers import mock_state

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
CONFIRM = "POST /school/confirm.do"
ACTION_MS = 3000  # the click's timeout in these runs (room for a busy CI); the mock holds the
# confirm longer


class _Quiet:
    def start_run(self, flow: object, total: int) -> None: ...
    def start_record(self, record: object) -> None: ...
    def end_record(self, result: object) -> None: ...
    def end_run(self) -> None: ...


@pytest.fixture
def own_lec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> Iterator[ServedApp]:
    """A mock LEC of this test alone: a request it still holds cannot reach another test."""
    with serve_in_thread(create_lec(tmp_path / "lec-state")) as served:
        monkeypatch.setenv("EDUBOT_LEC_URL", served.url)
        monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
        monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
        yield served


def _quick_config(tmp_path: Path) -> Path:
    """config/ with a short action timeout and quick retries."""
    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config)
    settings = config / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("action_ms: 15000", f"action_ms: {ACTION_MS}")
    text = text.replace("backoff_s: 1.0", "backoff_s: 0.05")
    settings.write_text(text, encoding="utf-8")
    return config


def _run(flow: Path, data: Path, run_dir: Path, config: Path) -> dict[str, Any]:
    # The mock's seeded children are not in these files; the tests are about the press alone.
    options = RunOptions(
        flow, data, confirm=True, run_dir=run_dir, config_dir=config, accept_portal_extras=True
    )
    report: dict[str, Any] = execute(prepare(options), _Quiet(), run_dir).as_dict()
    return report


def _children_on_the_portal(tmp_path: Path) -> Path:
    # Added with the shipped timeouts: only the press under test needs the short one, and a
    # loaded machine must not fail the setup.
    data = write_children(tmp_path / "children.xlsx", children(2, seed=23))
    added = _run(FLOWS / "lec" / "students.yaml", data, tmp_path / "add", REPO / "config")
    assert added["exit_code"] == 0, added
    return data


def _school_confirmed(lec: ServedApp) -> bool:
    school = next(s for s in mock_state(lec)["schools"] if s["code"] == MUNICIPAL_SCHOOL)
    return bool(school["confirmed"])


def _fault(lec: ServedApp, **fault: dict[str, Any]) -> None:
    httpx.post(f"{lec.url}/_mock/faults", json=fault).raise_for_status()


def _confirm(tmp_path: Path, lec: ServedApp, **fault: dict[str, Any]) -> dict[str, Any]:
    """Children on the portal, then the shipped confirm_school flow with the fault set."""
    config = _quick_config(tmp_path)
    data = _children_on_the_portal(tmp_path)
    _fault(lec, **fault)
    return _run(FLOWS / "lec" / "confirm_school.yaml", data, tmp_path / "confirm", config)


def test_a_confirmation_answered_past_the_timeout_is_pressed_once_and_done(
    own_lec: ServedApp, tmp_path: Path
) -> None:
    report = _confirm(tmp_path, own_lec, answer_delay_ms={CONFIRM: ACTION_MS * 4})

    assert report["exit_code"] == 0, report["aborted"]
    assert _school_confirmed(own_lec)
    assert mock_state(own_lec)["requests"].get(CONFIRM) == 1


def test_a_lost_answer_the_portal_shows_done_is_read_back_as_done(
    own_lec: ServedApp, tmp_path: Path
) -> None:
    """The portal confirmed; a gateway answered 504. Today the run stops failed (exit 1)."""
    report = _confirm(tmp_path, own_lec, gateway_timeout={CONFIRM: "handled"})

    assert report["exit_code"] == 0, report["aborted"]
    assert _school_confirmed(own_lec)
    assert mock_state(own_lec)["requests"].get(CONFIRM) == 1
    assert (tmp_path / "confirm" / "screenshots" / "school-confirmed.png").is_file()


def test_a_confirmation_whose_outcome_cannot_be_read_stops_the_run_unpressed_again(
    own_lec: ServedApp, tmp_path: Path
) -> None:
    """A gateway answered 504 and the portal never saw the request: the status still says
    "not confirmed", which edubot cannot tell from a confirmation still on its way."""
    report = _confirm(tmp_path, own_lec, gateway_timeout={CONFIRM: "lost"})

    assert report["exit_code"] == 1
    reason = report["aborted"]
    assert "will not press again" in reason and "จะไม่กดซ้ำ" in reason
    assert "school/home.do" in reason and "ยืนยันข้อมูลแล้ว" in reason  # where to look
    assert not _school_confirmed(own_lec)
    assert mock_state(own_lec)["requests"].get(CONFIRM) == 1
