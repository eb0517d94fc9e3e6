"""`python -m benchmarks.run`: the speed matrix of issue 8, printed and written as JSON.

python -m benchmarks.run [--records 100,1000] [--latency 0,150] [--workers 1,2]
                         [--pairs 3] [--quick] [--out benchmarks/results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.cores import parallel_ceiling
from benchmarks.measure import Run
from benchmarks.scenarios import (
    CONTENDERS,
    ROOT,
    Scenario,
    edubot_supports_workers,
    run_scenario,
)
from benchmarks.targets import Verdict, as_json, verdicts
from bot.browser.find import find_browser
from mock_portals.lec.markup import DEFAULT_MARKUP, MARKUPS


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def _floats(text: str) -> tuple[float, ...]:
    return tuple(float(part) for part in text.split(",") if part.strip())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--records", type=_ints, default=(100, 1000))
    parser.add_argument("--latency", type=_floats, default=(0.0, 150.0), help="ms per request")
    parser.add_argument("--workers", type=_ints, default=(1, 2))
    parser.add_argument(
        "--contenders", type=lambda t: frozenset(t.split(",")), default=frozenset(CONTENDERS),
        help=f"a subset of {','.join(CONTENDERS)}",
    )  # fmt: skip
    parser.add_argument(
        "--pairs", type=int, default=3,
        help="edubot / hand-written runs per scenario; the engine target takes the median pair",
    )  # fmt: skip
    parser.add_argument(
        "--markup", choices=MARKUPS, default=DEFAULT_MARKUP,
        help="the mock's rendering edubot runs against (the hand-written floors use accessible)",
    )  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="20 records, 0 ms, 1 worker")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    ns = parser.parse_args(argv)
    if ns.quick:
        ns.records, ns.latency, ns.workers, ns.pairs = (20,), (0.0,), (1,), 1
    return ns


def machine() -> dict[str, Any]:
    """Where the figures come from."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    import psutil

    browser = find_browser()
    version = ""
    if browser and browser.executable:
        version = subprocess.run(
            [browser.executable, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "bot", "flows", "mock_portals"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "browser": version or (browser.describe() if browser else "none"),
        "commit": commit + (" + uncommitted changes in bot/flows/mock_portals" if dirty else ""),
    }


HEADER = (
    f"{'N':>5} {'lat':>4} {'contender':<23} {'case':<9} {'w':>1} {'wall s':>7} {'work s':>7} "
    f"{'rec/s':>6} {'req/rec':>7} {'sess':>4} {'1st nav':>7} {'py MB':>5} {'drv MB':>6} "
    f"{'brw MB':>6} {'tot MB':>6} {'PSS MB':>6} {'cpu s':>6} {'py cpu':>6} {'mock':>5} "
    f"{'load':>9}  ok"
)


def row(r: Run) -> str:
    first = f"{r.first_request_s:.2f}" if r.first_request_s is not None else "-"
    m = r.memory
    return (
        f"{r.records:>5} {r.latency_ms:>4g} {_name(r):<23} {r.case:<9} {r.workers:>1} "
        f"{r.wall_s:>7.1f} {r.work_s:>7.2f} {r.rate:>6.1f} {r.per_record:>7.2f} "
        f"{r.session_requests:>4} {first:>7} {m.python_mb:>5.0f} {m.driver_mb:>6.0f} "
        f"{m.browser_mb:>6.0f} {m.total_mb:>6.0f} {m.total_pss_mb:>6.0f} {r.cpu_s:>6.1f} "
        f"{m.python_cpu_s:>6.1f} {r.mock_cpu_s:>5.1f} {r.load_avg[0]:>4.1f}-{r.load_avg[1]:<4.1f}"
        f"  {'yes' if r.ok else 'NO ' + r.error}"
    )


def _name(r: Run) -> str:
    return r.contender + (f" #{r.sample + 1}" if r.sample else "")


def ratio_lines(runs: list[Run]) -> list[str]:
    """edubot / hand-written (both fills) and / plain HTTP, per scenario and case (the
    hand-written script changes children on the framework's pages only)."""
    lines = []
    for e in (r for r in runs if r.ok and r.contender == "edubot" and r.case != "unchanged"):
        peers = {
            r.contender: r
            for r in runs
            if r.ok and r.records == e.records and r.latency_ms == e.latency_ms
            and r.case == e.case and r.contender != "edubot"
            and (r.sample == e.sample or r.contender == "http")
        }  # fmt: skip
        parts = [f"{name} {e.work_s / p.work_s:.2f}×" for name, p in sorted(peers.items())]
        if not parts:
            continue  # edubot ran alone (--contenders edubot)
        lines.append(
            f"{e.records:>5} rec @ {e.latency_ms:g} ms, {e.workers} worker(s), {e.case}, pair "
            f"{e.sample + 1}: edubot / " + ", ".join(parts)
        )
    return lines


def cpu_lines(runs: list[Run]) -> list[str]:
    """Where each run's CPU went, per process role, in seconds and per record."""
    lines = []
    for r in runs:
        roles = r.memory.cpu_by_role()
        if not roles or not r.records:
            continue
        parts = ", ".join(
            f"{role} {s:.1f} s ({1000 * s / r.records:.0f} ms/rec)"
            for role, s in sorted(roles.items(), key=lambda kv: -kv[1])
        )
        lines.append(
            f"{r.records:>5} {r.latency_ms:>4g} {r.contender} {r.case} w{r.workers}: {parts}"
        )
    return lines


def retry_lines(runs: list[Run]) -> list[str]:
    """Runs that retried records (each retry re-sends requests): how many, and the first few."""
    lines = []
    for r in runs:
        if r.retry_count:
            head = f"{r.records:>5} {r.latency_ms:>4g} {r.contender} {r.case} w{r.workers}"
            lines += [
                f"{head}: {r.retry_count} failed attempt(s), retried",
                *(f"    {w}" for w in r.retries),
            ]
    return ["", "Retries:", *lines] if lines else []


def verdict_lines(found: list[Verdict]) -> list[str]:
    mark = {True: "MET ", False: "MISS", None: "n/a "}
    return [f"[{mark[v.met]}] {v.target}: {v.measured}" for v in found]


def main(argv: list[str] | None = None) -> int:
    ns = parse_args(argv)
    byte_compile_as_installed()
    supported = edubot_supports_workers()
    workers = ns.workers if supported else ns.workers[:1]
    say = print
    say(f"edubot --workers: {'yes' if supported else 'not yet (1 worker only)'}")
    runs: list[Run] = []
    about = machine()
    if len(workers) > 1:  # the ceiling a second worker is judged beside
        say("two cores: timing one CPU loop alone and two at once…")
        about["two_cores"] = parallel_ceiling().as_json()
    with tempfile.TemporaryDirectory(prefix="edubot-bench-") as tmp:
        for records in ns.records:
            for latency in ns.latency:
                say(f"{records} records @ {latency:g} ms")
                scenario = Scenario(
                    records, latency, workers, supported, ns.contenders, ns.pairs, ns.markup
                )
                done = run_scenario(scenario, Path(tmp) / f"{records}-{latency:g}", say)
                say("\n".join([HEADER, *map(row, done)]))
                sys.stdout.flush()
                runs += done
                report = write_results(ns, about, workers, runs, supported)  # kept as it goes
    say("\n" + "\n".join(report))
    say(f"\nwritten: {ns.out}")
    return 0 if all(r.ok for r in runs) else 1


def byte_compile_as_installed() -> None:
    """Compile edubot's modules once, as `pip install` does for an officer's copy.

    An editable install compiles nothing, and with PYTHONDONTWRITEBYTECODE set (this machine,
    CI) every run would compile all of edubot from source again: ~0.2 s of the start before
    the first page that no installed copy pays.
    """
    import compileall

    for package in ("bot", "mock_portals"):
        compileall.compile_dir(ROOT / package, quiet=1)


def write_results(
    ns: argparse.Namespace, about: dict[str, Any], workers: tuple[int, ...], runs: list[Run],
    supported: bool,
) -> list[str]:  # fmt: skip
    """Write the JSON (after every scenario, so a long matrix keeps what it measured)."""
    found = verdicts(runs, supported, about.get("two_cores"))
    report = [HEADER, *map(row, runs), "", "CPU by process (s):", *cpu_lines(runs)]
    report += retry_lines(runs)
    report += ["", *ratio_lines(runs), "", *verdict_lines(found)]
    result = {
        "machine": about,
        "arguments": {
            "records": list(ns.records),
            "latency_ms": list(ns.latency),
            "workers": list(workers),
            "contenders": sorted(ns.contenders),
            "pairs": ns.pairs,
            "quick": ns.quick,
            "markup": ns.markup,
        },
        "runs": [r.as_json() for r in runs],
        "targets": as_json(found),
        "table": report,
    }
    ns.out.parent.mkdir(parents=True, exist_ok=True)
    ns.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    raise SystemExit(main())
