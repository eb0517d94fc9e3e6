"""The benchmark notes edubot's retried attempts: they explain requests above the floor."""

from __future__ import annotations

from pathlib import Path

from benchmarks.measure import RETRIES_KEPT, Run, failed_attempts
from benchmarks.run import retry_lines


def test_failed_attempts_are_counted_and_the_first_few_kept(tmp_path: Path) -> None:
    err = tmp_path / "edubot.err"
    lines = [f"WARNING: record 1-xxxx-xxxxx-{i:02d}-x attempt 1 failed: Timeout" for i in range(7)]
    err.write_text(
        "\n".join(
            [
                "INFO: logged in",
                "WARNING: line 13 attempt 2 failed: click button “บันทึก”: Timeout 15000ms",
                *lines,
                "WARNING: re-login failed: refused",  # not an attempt of a step or a record
                "the attempt 3 went fine",
            ]
        ),
        encoding="utf-8",
    )
    count, kept = failed_attempts(err)
    assert count == 8
    assert len(kept) == RETRIES_KEPT
    assert kept[0].startswith("WARNING: line 13 attempt 2 failed")


def test_a_clean_log_has_no_retries(tmp_path: Path) -> None:
    err = tmp_path / "edubot.err"
    err.write_text("INFO: 100 added\n", encoding="utf-8")
    assert failed_attempts(err) == (0, [])


def test_only_runs_that_retried_are_listed() -> None:
    calm = Run("edubot", "added", 1000, 0, 1)
    busy = Run("edubot", "changed", 1000, 0, 2)
    busy.retry_count, busy.retries = 3, ["WARNING: record 7 attempt 1 failed: Timeout"]
    lines = retry_lines([calm, busy])
    assert lines[:2] == ["", "Retries:"]
    assert "changed w2: 3 failed attempt(s)" in lines[2]
    assert lines[3].strip() == busy.retries[0]
    assert retry_lines([calm]) == []
