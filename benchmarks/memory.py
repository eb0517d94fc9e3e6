"""Peak memory of a process tree, sampled by a background thread with psutil.

The tree is split three ways: the contender's own Python process, Playwright's driver (node)
and the browser (Chromium and every child it starts). RSS is summed per group, as asked; but
Chromium's processes share most of their pages (the binary, V8 snapshot, shared memory), so a
sum of RSS counts those once per process. PSS (each shared page split among its sharers) is
summed too (once a second: it is costly to read): that is the tree's real share of the machine's
memory.

The sampler also keeps the last CPU time seen of every process of the tree, summed per role
(python, driver, browser, renderer, other Chromium helpers): where a record's CPU goes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import psutil

MB = 1024 * 1024


@dataclass
class Peaks:
    """Highest RSS seen, in MB, per group and for the whole tree at one instant."""

    python_mb: float = 0.0
    driver_mb: float = 0.0
    browser_mb: float = 0.0
    total_mb: float = 0.0
    total_pss_mb: float = 0.0  # the whole tree, PSS (shared pages divided among sharers)
    python_cpu_s: float = 0.0  # CPU time (user + system) of the contender's Python process
    samples: int = 0
    # Last CPU time seen per process (pid → role, seconds); a process's last sample is within
    # one interval of its end, so short-lived helpers are undercounted by at most that.
    cpu_seen: dict[int, tuple[str, float]] = field(default_factory=dict)

    def cpu_by_role(self) -> dict[str, float]:
        roles: dict[str, float] = {}
        for role, seconds in self.cpu_seen.values():
            roles[role] = round(roles.get(role, 0.0) + seconds, 2)
        return roles


@dataclass
class TreeSampler:
    """Samples `pid` and its descendants every `interval_s` until stopped."""

    pid: int
    interval_s: float = 0.1
    pss_every: int = 10  # samples; PSS once a second
    peaks: Peaks = field(default_factory=Peaks)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="bench-memory", daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while True:
            self._sample(root)
            # The interval is the sampling rate, not a wait for anything to happen.
            if self._stop.wait(self.interval_s):
                return

    def _sample(self, root: psutil.Process) -> None:
        # RSS and CPU times are cheap (/proc/PID/stat); PSS walks every mapping of every
        # process (~25 ms of CPU for a Chromium tree), which every 100 ms would take a quarter
        # of a core from the contender on a 2-core machine. So PSS comes every `pss_every`-th
        # sample: memory climbs over seconds, a peak is not missed by much.
        with_pss = self.peaks.samples % self.pss_every == 0
        python = driver = browser = pss = 0
        try:
            python, pss = _memory(root, with_pss)
            cpu = root.cpu_times()
            children = root.children(recursive=True)
        except psutil.Error:
            return
        self.peaks.python_cpu_s = cpu.user + cpu.system
        self.peaks.cpu_seen[root.pid] = ("python", cpu.user + cpu.system)
        for child in children:
            try:
                name = child.name()
                rss, child_pss = _memory(child, with_pss)
                self._note_cpu(child, name)
            except psutil.Error:
                continue  # ended between listing and reading
            pss += child_pss
            if name == "node" or name.startswith("node"):
                driver += rss
            else:
                browser += rss
        p = self.peaks
        p.python_mb = max(p.python_mb, python / MB)
        p.driver_mb = max(p.driver_mb, driver / MB)
        p.browser_mb = max(p.browser_mb, browser / MB)
        p.total_mb = max(p.total_mb, (python + driver + browser) / MB)
        if with_pss:
            p.total_pss_mb = max(p.total_pss_mb, pss / MB)
        p.samples += 1

    def _note_cpu(self, process: psutil.Process, name: str) -> None:
        seen = self.peaks.cpu_seen.get(process.pid)
        role = seen[0] if seen else _role(process, name)
        times = process.cpu_times()
        self.peaks.cpu_seen[process.pid] = (role, times.user + times.system)


def _memory(process: psutil.Process, with_pss: bool) -> tuple[int, int]:
    """(RSS, PSS) in bytes; PSS 0 unless asked for."""
    if with_pss:
        full = process.memory_full_info()
        return full.rss, full.pss
    return process.memory_info().rss, 0


def _role(process: psutil.Process, name: str) -> str:
    if name.startswith("node"):
        return "driver"
    kind = next((a.split("=", 1)[1] for a in process.cmdline() if a.startswith("--type=")), "")
    return {"": "browser", "renderer": "renderer"}.get(kind, "helpers")
