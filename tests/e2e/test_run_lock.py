"""One run at a time per portal account, through the CLI: a second run refuses at once and sends
nothing; a killed run's lock is taken over; a round holds the same lock."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from bot.cli.demo import write_demo_round
from mock_portals.serve import ServedApp
from tests.conftest import mock_state
from tests.e2e.conftest import FLOWS, children, write_children
from tests.e2e.resilience_helpers import school_students, set_faults, wait_until

pytestmark = pytest.mark.e2e
STUDENTS_FLOW = str(FLOWS / "lec" / "students.yaml")
EDUBOT = Path(sys.executable).with_name("edubot")  # the console script an officer runs
# Longer than the second run takes to refuse, shorter than a page load's timeout (30 s): the
# first run sits on its first request the whole time, so the request log stands still.
SLOW_MS = 25_000


def portal_requests(lec: ServedApp) -> dict[str, int]:
    """The mock's request counts, without the test's own calls to `/_mock/`."""
    counts: dict[str, int] = mock_state(lec)["requests"]
    return {route: n for route, n in counts.items() if "/_mock/" not in route}


@contextlib.contextmanager
def slow_first_run(lec: ServedApp, data: Path, run_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`edubot run` in its own process group against the slowed mock, once it has sent its first
    request (so it holds the lock); SIGKILLed with its browser at the end if still running."""
    set_faults(lec, latency_ms=SLOW_MS)
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    args = [str(EDUBOT), "run", STUDENTS_FLOW, "--data", str(data), "--run-dir", str(run_dir)]
    proc = subprocess.Popen(
        args,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until(
            lambda: sum(portal_requests(lec).values()) > 0,
            120,
            "the first run's first request",
            lambda: proc.poll() is None,
        )
        yield proc
    finally:
        kill_group(proc)
        set_faults(lec)


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL edubot, its Playwright driver and Chromium (a power cut, `kill -9`)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def test_a_second_run_on_the_same_account_refuses_naming_the_first_and_sends_nothing(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path
) -> None:
    data = write_children(tmp_path / "children.xlsx", children(3, seed=61))
    with slow_first_run(school_login, data, tmp_path / "first") as first:
        before = portal_requests(school_login)
        second = cli.invoke(
            app, ["run", STUDENTS_FLOW, "--data", str(data), "--run-dir", str(tmp_path / "second")]
        )
        after = portal_requests(school_login)
        assert first.poll() is None  # still running: the refusal was not a wait for it

    assert second.exit_code == 1, second.output
    text = " ".join(second.output.split())
    assert f"pid {first.pid}" in text
    assert "flow lec-students" in text
    assert re.search(r"started \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", text), text
    assert "Nothing was sent" in text or "nothing was sent" in text
    assert "ยังไม่ได้ส่งอะไร" in text
    assert after == before  # the second run sent nothing at all
    assert not (tmp_path / "second" / "report.json").exists()


def test_a_killed_runs_lock_is_taken_over(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path, private_data_dir: Path
) -> None:
    kids = children(3, seed=62)
    data = write_children(tmp_path / "children.xlsx", kids)
    with slow_first_run(school_login, data, tmp_path / "first") as first:
        kill_group(first)

    # The killed run's lock file and its note of who held it are still on disk.
    locks = private_data_dir / "locks"
    assert list(locks.glob("*.lock"))
    assert f'"pid": {first.pid}' in next(locks.glob("*.json")).read_text(encoding="utf-8")

    result = cli.invoke(
        app, ["run", STUDENTS_FLOW, "--data", str(data), "--run-dir", str(tmp_path / "after")]
    )
    assert result.exit_code == 0, result.output
    assert {k.national_id for k in kids} <= set(school_students(school_login))
    assert not list(locks.glob("*.json"))  # released at the end: nobody named as running
    for path in locks.iterdir():
        assert path.stat().st_mode & 0o077 == 0, path  # owner-only


HOLD = """
import sys
from pathlib import Path
from bot.engine.options import RunOptions
from bot.paths import data_dir
from bot.engine.pipeline import account_key, credentials_for
from bot.engine.round import ROUND_MOCK_STATE
from bot.engine.runlock import holding

# A rehearsed round has a mock of its own (issue 29): hold the school's lock on both.
keys = []
for state in (None, ROUND_MOCK_STATE):
    options = RunOptions(
        Path("flows/lec/students.yaml"), None, dry_run=True, account="school", mock_state=state
    )
    keys.append(account_key(options, "lec", credentials_for("lec", options)))
with holding(data_dir(), keys, "lec-students (hand-started)"):
    print("held", flush=True)
    sys.stdin.readline()
"""


@contextlib.contextmanager
def another_process_holding_schools_lock() -> Iterator[subprocess.Popen[str]]:
    """Another edubot process holding the school account's lock on the rehearsal mock."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "held"
        yield holder
        holder.stdin.write("\n")
        holder.stdin.flush()


def test_a_round_and_a_scheduled_run_take_the_same_lock(
    cli: CliRunner, tmp_path: Path, no_keyring: None
) -> None:
    plan = write_demo_round(tmp_path / "round", children_per_school=2)
    with another_process_holding_schools_lock() as holder:
        rounded = cli.invoke(
            app, ["round", str(plan), "--dry-run", "--confirm", "--run-dir", str(tmp_path / "r")]
        )
        scheduled = cli.invoke(
            app,
            [
                *(
                    "run",
                    STUDENTS_FLOW,
                    "--data",
                    str(tmp_path / "round" / "children-3040010002.xlsx"),
                ),
                *("--dry-run", "--non-interactive", "--run-dir", str(tmp_path / "s")),
            ],
        )
    for result in (rounded, scheduled):
        assert result.exit_code == 1, result.output
        text = " ".join(result.output.split())
        assert f"pid {holder.pid}" in text
        assert "lec-students (hand-started)" in text
    # The round stopped before its first step: no step wrote a report.
    assert not list((tmp_path / "r").rglob("report.json"))
    assert not (tmp_path / "s" / "report.json").exists()
