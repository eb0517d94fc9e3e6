"""The machine's own two-core ceiling, shown beside the 2-worker verdict."""

from __future__ import annotations

import pytest

from benchmarks.cores import Ceiling, parallel_ceiling
from benchmarks.measure import Run
from benchmarks.targets import workers_speedup


def test_the_speedup_is_twice_the_median_alone_over_the_median_together() -> None:
    ceiling = Ceiling(alone_s=[1.0, 1.2, 5.0], together_s=[1.5, 1.6, 1.0])
    assert ceiling.speedup == pytest.approx(2 * 1.2 / 1.5)
    assert ceiling.as_json()["speedup"] == 1.6
    assert "1.60×" in ceiling.describe() and "3 rounds" in ceiling.describe()


def test_a_round_times_real_processes() -> None:
    ceiling = parallel_ceiling(rounds=1, loops=200_000)
    assert len(ceiling.alone_s) == len(ceiling.together_s) == 1
    assert ceiling.alone_s[0] > 0 and ceiling.together_s[0] > 0


def test_the_worker_verdict_shows_the_ceiling_but_is_judged_on_one_and_a_half() -> None:
    one = Run("edubot", "added", 1000, 0, 1, ok=True, work_s=250.0)
    two = Run("edubot", "added", 1000, 0, 2, ok=True, work_s=200.0)
    verdict = workers_speedup([one, two], True, {"speedup": 1.36})
    assert verdict.met is False  # 1.25× < 1.5×, whatever the machine gives
    assert "1.25×" in verdict.measured and "1.36×" in verdict.measured
    assert "loops" not in workers_speedup([one, two], True).measured
