"""The benchmark's engine verdict: pairs matched by sample, judged on the median pair."""

from __future__ import annotations

from benchmarks.measure import Run
from benchmarks.targets import engine_ratios


def run(contender: str, work_s: float, sample: int, ok: bool = True) -> Run:
    return Run(contender, "added", 100, 150.0, sample=sample, ok=ok, work_s=work_s)


def test_the_verdict_is_the_median_of_pairs_each_matched_by_sample() -> None:
    runs = [
        run("edubot", 116.0, 0), run("handwritten-evaluate", 100.0, 0),  # 1.16
        run("edubot", 52.0, 1), run("handwritten-evaluate", 50.0, 1),  # 1.04
        run("edubot", 101.0, 2), run("handwritten-evaluate", 100.0, 2),  # 1.01
    ]  # fmt: skip
    [verdict] = engine_ratios(runs)
    assert verdict.met is True
    assert verdict.measured == "1.04× median of 3 pairs (1.01–1.16×)"
    assert "hand-written (evaluate), 100 rec @ 150 ms" in verdict.target


def test_a_slow_median_misses_and_a_failed_or_unpaired_run_is_left_out() -> None:
    runs = [
        run("edubot", 120.0, 0), run("handwritten-evaluate", 100.0, 0),  # 1.20
        run("edubot", 50.0, 1), run("handwritten-evaluate", 100.0, 1, ok=False),
        run("edubot", 50.0, 2),  # no script run in pair 3
        run("handwritten-label", 60.0, 0),  # 2.00 against the label script
    ]  # fmt: skip
    evaluate, label = engine_ratios(runs)
    assert (evaluate.met, evaluate.measured) == (False, "1.20× (1 pair)")
    assert (label.met, label.measured) == (False, "2.00× (1 pair)")
