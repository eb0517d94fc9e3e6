"""`python -m benchmarks.busy_portal`: deadline day against the mock LEC (issue 27).

python -m benchmarks.busy_portal [--children 1000] [--outage-s 120] [--lost 0.0]
                                 [--out benchmarks/results-busy.json]

One `edubot run` (the console script, default settings) enters N children into a mock LEC
that fails 10 % of its posts, drops each session after 40 requests and answers with 50 ms of
jitter; with `--outage-s` it also goes down (503) for that long from the middle of the run,
with `--lost` that share of the saves is stored and its answer lost. Then the mock is asked
what it holds. Done when: exit 0, 0 failed, every child stored once (0 duplicated, 0 missing).
The mock is served from this process, edubot runs in its own, like an officer's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bot.data.demo import demo_students, write_students_xlsx
from mock_portals.lec.app import create_app
from mock_portals.serve import serve_in_thread

ROOT = Path(__file__).resolve().parents[1]
FLOW = ROOT / "flows" / "lec" / "students.yaml"
EDUBOT = Path(sys.executable).with_name("edubot")
SCHOOL_GRADES = [f"อนุบาล {n}" for n in (1, 2, 3)] + [f"ประถมศึกษาปีที่ {n}" for n in range(1, 7)]
BUSY_HOUR = {
    "latency_ms": 50,
    "jitter_ms": 50,
    "error_rate": 0.1,
    "session_ttl_requests": 40,
    "seed": 27,
}
REQUESTS_PER_CHILD = 2  # the form and its save: where "the middle of the run" falls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--outage-s", type=float, default=0.0, help="503 for this long, mid-run")
    parser.add_argument("--lost", type=float, default=0.0, help="share of saves answered never")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep the run's files here")
    args = parser.parse_args()
    result = run(args.children, args.outage_s, args.lost, args.keep)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0 if result["done"] else 1


def run(count: int, outage_s: float, lost: float, keep: Path | None = None) -> dict[str, Any]:
    kids = demo_students(count, seed=2027, school_grades=SCHOOL_GRADES)
    faults: dict[str, Any] = dict(BUSY_HOUR)
    if outage_s:
        faults |= {"down_for_s": outage_s, "down_from_request": count * REQUESTS_PER_CHILD // 2}
    if lost:
        faults["lost_answer_rate"] = {"POST /student/save.do": lost}
    with tempfile.TemporaryDirectory(prefix="edubot-busy-") as scratch:
        folder = keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        data = folder / "children.xlsx"
        write_students_xlsx(data, kids)
        with serve_in_thread(create_app(folder / "lec-state")) as served:
            httpx.post(f"{served.url}/_mock/faults", json=faults, timeout=30).raise_for_status()
            started = time.monotonic()
            code = _edubot(served.url, data, folder)
            seconds = time.monotonic() - started
            state = httpx.get(f"{served.url}/_mock/state", timeout=60).json()
        report = json.loads((folder / "run" / "report.json").read_text(encoding="utf-8"))
    stored = Counter(s["national_id"] for s in state["students"])
    wanted = {k.national_id for k in kids}
    totals = {k: v for k, v in report["totals"].items() if v}
    troubles = report["portal_troubles"] or {}
    result = {
        "children": count,
        "faults": faults,
        "exit_code": code,
        "seconds": round(seconds, 1),
        "totals": totals,
        "failed": report["totals"]["failed"],
        "duplicated": sum(1 for i in wanted if stored[i] > 1),
        "missing": sum(1 for i in wanted if stored[i] == 0),
        "retries": troubles.get("retries"),
        "retries_by_kind": troubles.get("retries_by_kind"),
        "pauses": [
            {k: p[k] for k in ("down_s", "probes", "gave_up")} for p in troubles.get("pauses", [])
        ],
        "throttled_s": troubles.get("throttled_s"),
        "save_posts": state["requests"].get("POST /student/save.do", 0),
        "logins": state["requests"].get("POST /login.do", 0),
    }
    result["done"] = (
        code == 0 and result["failed"] == 0 and result["duplicated"] == result["missing"] == 0
    )
    return result


def _edubot(url: str, data: Path, folder: Path) -> int:
    env = {
        **os.environ,
        "EDUBOT_LEC_URL": url,
        "EDUBOT_LEC_USERNAME": "school",
        "EDUBOT_LEC_PASSWORD": "demo",
        "EDUBOT_DATA_DIR": str(folder / "data"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "EDUBOT_LANG": "en",
    }
    args = [str(EDUBOT), "run", str(FLOW), "--data", str(data), "--run-dir", str(folder / "run")]
    with (folder / "output.txt").open("wb") as output:
        return subprocess.run(
            args, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT
        ).returncode


if __name__ == "__main__":
    sys.exit(main())
