"""What a second core gives on this machine: the ceiling for a second worker.

The same CPU-bound loop runs alone in one process, then in two processes at once; the rounds
alternate and the median is kept. Two independent loops do twice the work in the time one
takes on a dedicated two-core machine (2.0×). On a VM whose second vCPU shares a physical core
or a CPU quota with its neighbours they do less, and two edubot workers — which also share a
driver and a browser process — cannot beat that figure. `python -m benchmarks.cores` prints it.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any

LOOPS = 20_000_000  # about a second of one core here


@dataclass(frozen=True)
class Ceiling:
    """Seconds per round: one loop alone, and the slower of two run at once."""

    alone_s: list[float]
    together_s: list[float]

    @property
    def speedup(self) -> float:
        """Work done per second by two loops at once over one alone (median rounds)."""
        return 2 * statistics.median(self.alone_s) / statistics.median(self.together_s)

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "speedup": round(self.speedup, 2)}

    def describe(self) -> str:
        low = min(2 * a / t for a, t in zip(self.alone_s, self.together_s, strict=True))
        high = max(2 * a / t for a, t in zip(self.alone_s, self.together_s, strict=True))
        return (
            f"two independent CPU loops do {self.speedup:.2f}× one loop's work on this machine "
            f"(median of {len(self.alone_s)} rounds, {low:.2f}–{high:.2f}×)"
        )


def spin(loops: int) -> float:
    """Busy the core for `loops` additions; the seconds it took."""
    started = time.perf_counter()
    total = 0
    for i in range(loops):
        total += i
    return time.perf_counter() - started


def _timed_spin(loops: int, start: Any, results: Any) -> None:
    start.wait()  # both loops of a round begin together
    results.put(spin(loops))


def _round(context: Any, copies: int, loops: int) -> float:
    """The slowest of `copies` loops started together, each in a process of its own."""
    start, results = context.Barrier(copies), context.Queue()
    processes = [
        context.Process(target=_timed_spin, args=(loops, start, results)) for _ in range(copies)
    ]
    for process in processes:
        process.start()
    took = max(results.get() for _ in processes)
    for process in processes:
        process.join()
    return float(took)


def parallel_ceiling(rounds: int = 5, loops: int = LOOPS) -> Ceiling:
    """Alone / together, `rounds` times, interleaved so a slow spell of the VM hits both."""
    context = multiprocessing.get_context("spawn")
    alone, together = [], []
    for _ in range(rounds):
        alone.append(_round(context, 1, loops))
        together.append(_round(context, 2, loops))
    return Ceiling(alone, together)


if __name__ == "__main__":
    print(parallel_ceiling().describe())
