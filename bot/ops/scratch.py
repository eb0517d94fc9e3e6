"""A private scratch folder for Playwright's driver and Chromium, inside edubot's data directory.

While a browser runs, Playwright writes the chunks of its traces — every call with its
arguments, so the values typed into a portal's form: children's names and ID numbers — and
Chromium its profile into the system's temporary folder, and removes them when the browser
closes. A run that is killed (kill -9, a power cut, a laptop's lid) never closes it, and they
stayed in /tmp for good, outside `edubot purge`'s reach and out of the officer's sight.

So the driver is started with TMPDIR (TMP, TEMP on Windows) pointing at a folder of this run's
own, `<data dir>/scratch/<pid>-<start time>`, owner-only. The run removes it when it ends; the
next run, or `edubot purge --all`, removes those whose process is gone. The start time guards
against a reused pid.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

SCRATCH_DIR = "scratch"
_TEMP_VARIABLES = ("TMPDIR", "TMP", "TEMP")  # os.tmpdir() in Node reads these per platform


def scratch_root(data_dir: Path) -> Path:
    return data_dir / SCRATCH_DIR


def open_scratch(data_dir: Path) -> Path:
    """Create this process's scratch folder (owner-only), first removing dead processes' ones."""
    root = scratch_root(data_dir)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    sweep_dead(root)
    folder = root / _owner_name(os.getpid())
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def close_scratch(folder: Path) -> None:
    """Remove a scratch folder once its browser has closed (what is left is leftovers)."""
    shutil.rmtree(folder, ignore_errors=True)


def sweep_dead(root: Path) -> int:
    """Remove the scratch folders of processes that are no longer running; return the files."""
    if not root.is_dir():
        return 0
    removed = 0
    for folder in root.iterdir():
        if not folder.is_dir() or folder.is_symlink() or _owner_alive(folder.name):
            continue
        removed += sum(1 for p in folder.rglob("*") if p.is_file() or p.is_symlink())
        shutil.rmtree(folder, ignore_errors=True)
    return removed


@contextlib.contextmanager
def temporary_folder_for_children(folder: Path) -> Iterator[None]:
    """Processes started inside this block keep their temporary files in `folder`.

    Only the environment that children inherit changes, and only for the block: this process's
    own `tempfile` keeps the system's folder (its choice is made, and cached, first).
    """
    tempfile.gettempdir()
    with environment_for_children({name: str(folder) for name in _TEMP_VARIABLES}):
        yield


@contextlib.contextmanager
def environment_for_children(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set `values` in the environment for this block only (what processes started in it
    inherit; a None removes the variable), then put back what was there before, or nothing."""
    saved = {name: os.environ.get(name) for name in values}
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _owner_name(pid: int) -> str:
    import psutil  # 30 ms to import: only when a browser starts, not with every command

    return f"{pid}-{int(psutil.Process(pid).create_time())}"


def _owner_alive(name: str) -> bool:
    """Whether the process a scratch folder is named after still runs (unknown names: yes)."""
    pid_text, _, started = name.partition("-")
    if not (pid_text.isdigit() and started.isdigit()):
        return True  # not ours to judge: leave it
    import psutil

    try:
        return _owner_name(int(pid_text)) == name
    except (psutil.NoSuchProcess, psutil.AccessDenied):  # ZombieProcess is a NoSuchProcess
        return False
