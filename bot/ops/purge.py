"""`edubot purge`: remove what runs left on this machine about children.

A run directory holds personal data (failure screenshots and traces of the portal's pages, the
report, the log). Purging removes edubot's own artefacts from it, file by file (and from each
step folder of a round, `NN-<flow>`), and the folder when nothing else is left, so a run
directory given by hand that also holds the officer's own files keeps them. `--all` also
empties the journal (its entries, not its key), the in-process mock portals' state, which holds
the children entered during dry runs, and what killed runs left in their scratch folders
(bot/ops/scratch.py). What was removed is counted, never listed: the names of files are not the
officer's business to re-read here.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.errors import InputError
from bot.i18n import say
from bot.ops.scratch import scratch_root, sweep_dead

REPORT_FILE = "report.json"
JOURNAL_FILE = "journal.sqlite3"
JOURNAL_KEY = "journal.key"
DEMO_FILES = ".edubot-demo-files"  # what `edubot demo` wrote into a folder, a name a line

# What a run writes into its directory (bot.cli.app, bot.engine.report, bot.engine.report_html,
# bot.engine.runner, bot.engine.actions): files by name or pattern, folders that hold nothing but
# evidence.
_ARTEFACT_GLOBS = (
    REPORT_FILE,
    "report.html",
    ".report-*.html",  # report_html's temporary, left behind by a crash
    "edubot.log",
    "edubot.log.*",
    "tmp*.xlsx",  # the portal's export, normally deleted as soon as it is read
    "demo-students.xlsx",  # `edubot demo`'s invented children
)
_ARTEFACT_DIRS = ("failures", "screenshots", "traces")
# `edubot round` runs each step in a folder of the round's run named `NN-<flow name>`
# (bot.engine.round.run_round): a run of its own, with its report, screenshots and traces.
_ROUND_STEP = re.compile(r"^\d{2,3}-[^\W\d_].*$")  # a letter after the dash: not 20261201-0900


class PurgeRefused(InputError):
    """The path given is not a run of edubot's, or the request is contradictory; nothing removed."""


@dataclass(frozen=True)
class PurgeResult:
    """What a purge removed, as counts."""

    runs: int = 0
    files: int = 0
    kept_files: int = 0  # files in a run directory that edubot did not write
    journal_entries: int = 0
    mock_files: int = 0
    scratch_files: int = 0  # left in the scratch folders of runs that were killed


def runs_in(runs_dir: Path) -> list[Path]:
    """Every run directory under `runs_dir`, oldest first (by the time it was last written)."""
    if not runs_dir.is_dir():
        return []
    found = [p for p in runs_dir.iterdir() if p.is_dir() and not p.is_symlink()]
    return sorted(found, key=lambda p: (_last_written(p), p.name))


def latest_run(runs_dir: Path) -> Path | None:
    """The run written last that left evidence (a report, screenshots, traces), or None.

    A folder holding only a log (an `edubot status`, a run refused before it started) is not
    "the latest run": purging it instead of the run with the failure screenshots misleads.
    """
    runs = [run for run in runs_in(runs_dir) if _has_evidence(run)]
    return runs[-1] if runs else None


def _has_evidence(run: Path) -> bool:
    if (run / REPORT_FILE).is_file() or any((run / name).is_dir() for name in _ARTEFACT_DIRS):
        return True
    return any(_has_evidence(step) for step in _nested_runs(run))


def _last_written(run: Path) -> float:
    report = run / REPORT_FILE
    return (report if report.exists() else run).stat().st_mtime


def check_run_dir(run_dir: Path, data_dir: Path) -> Path:
    """The run directory to purge, resolved; refuse anything that is not plainly a run.

    Inside edubot's data directory any run directory may go (a run that crashed wrote no
    report). Elsewhere the folder, or a round's run inside it, must hold a report.json:
    `edubot purge ~` removes nothing.
    """
    if not run_dir.exists():
        raise PurgeRefused(
            say(
                f"ไม่พบโฟลเดอร์ {run_dir} ไม่ได้ลบอะไร",
                f"{run_dir} does not exist; nothing was removed.",
            )
        )
    target = run_dir.resolve()
    home = data_dir.resolve()
    if not target.is_dir():
        raise PurgeRefused(f"{run_dir} is not a folder; give a run directory. Nothing was removed.")
    if target == home or home.is_relative_to(target) or (target / JOURNAL_KEY).exists():
        raise PurgeRefused(
            say(
                f"{run_dir} นี่ไม่ใช่โฟลเดอร์ของการรัน ไม่ได้ลบอะไร",
                f"{run_dir} is edubot's data directory (or holds it), not a run; use --all to "
                "purge every run. Nothing was removed.",
            )
        )
    if not target.is_relative_to(home) and not _holds_report(target):
        raise PurgeRefused(
            say(
                f"{run_dir} โฟลเดอร์นี้ไม่ใช่ผลการรันของ edubot ไม่ได้ลบอะไร",
                f"{run_dir} is outside edubot's data directory ({data_dir}) and holds no "
                f"{REPORT_FILE}, so it is not an edubot run. Nothing was removed.",
            )
        )
    return target


def purge_run(run_dir: Path) -> tuple[int, int]:
    """Remove one run's artefacts, its round steps' too; return (files removed, others kept)."""
    removed = _purge_demo_files(run_dir)
    for nested in _nested_runs(run_dir):
        removed += purge_run(nested)[0]
    for pattern in _ARTEFACT_GLOBS:
        for path in run_dir.glob(pattern):
            if path.is_file() or path.is_symlink():
                path.unlink()
                removed += 1
    for name in _ARTEFACT_DIRS:
        folder = run_dir / name
        if folder.is_dir() and not folder.is_symlink():
            removed += _count_files(folder.rglob("*"))
            shutil.rmtree(folder)
    kept = _count_files(run_dir.rglob("*"))
    if kept == 0:
        shutil.rmtree(run_dir)  # only empty folders are left
    return removed, kept


def _holds_report(run: Path) -> bool:
    """A report.json in the run, or in a run inside it (a rehearsal's round in `runs/`)."""
    return (run / REPORT_FILE).is_file() or any(_holds_report(n) for n in _nested_runs(run))


def _nested_runs(run_dir: Path) -> list[Path]:
    """Runs inside a run: a round's step folders, a folder with a report, a folder holding a
    round's steps (`edubot demo --round` keeps its round in `runs/`)."""
    return [
        child
        for child in _folders(run_dir)
        if child.name not in _ARTEFACT_DIRS
        and (
            _ROUND_STEP.match(child.name)
            or (child / REPORT_FILE).is_file()
            or any(_ROUND_STEP.match(step.name) for step in _folders(child))
        )
    ]


def _folders(parent: Path) -> list[Path]:
    return [p for p in parent.iterdir() if p.is_dir() and not p.is_symlink()]


def _purge_demo_files(run_dir: Path) -> int:
    """Remove the files `edubot demo` wrote into a folder of the run (its rehearsal round's plan
    and workbooks), as listed in the folder's DEMO_FILES; other files there stay."""
    removed = 0
    for folder in _folders(run_dir):
        listing = folder / DEMO_FILES
        if not listing.is_file():
            continue
        names = listing.read_text(encoding="utf-8").splitlines()
        for name in {n for n in names if n and Path(n).name == n}:  # plain names, no paths
            path = folder / name
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed += 1
        listing.unlink()
        removed += 1
        if not any(folder.iterdir()):
            folder.rmdir()
    return removed


def _count_files(paths: Iterable[Path]) -> int:
    return sum(1 for p in paths if p.is_file() or p.is_symlink())


def forget_journal(data_dir: Path) -> int:
    """Delete every journal entry (the key stays); return how many there were.

    secure_delete overwrites the freed pages, and the WAL is checkpointed and truncated, so the
    entries do not linger in the file's free space.
    """
    path = data_dir / JOURNAL_FILE
    if not path.is_file():
        return 0
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA secure_delete = ON")
        has_table = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'"
        ).fetchone()
        if has_table is None:
            return 0
        count = int(db.execute("DELETE FROM records").rowcount)
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count
    finally:
        db.close()


def purge_mock_state(data_dir: Path) -> int:
    """Remove the in-process mock portals' state (children entered in dry runs)."""
    folder = data_dir / "mock-state"
    if not folder.is_dir():
        return 0
    count = _count_files(folder.rglob("*"))
    shutil.rmtree(folder)
    return count


def purge(runs: Iterable[Path], *, data_dir: Path, everything: bool) -> PurgeResult:
    """Purge the given run directories; with `everything`, the journal and mock state too."""
    total_runs = files = kept = 0
    for run in runs:
        removed, left = purge_run(run)
        total_runs, files, kept = total_runs + 1, files + removed, kept + left
    if not everything:
        return PurgeResult(total_runs, files, kept)
    return PurgeResult(
        total_runs,
        files,
        kept,
        forget_journal(data_dir),
        purge_mock_state(data_dir),
        sweep_dead(scratch_root(data_dir)),
    )


def describe(result: PurgeResult) -> str:
    """One line for the officer: what was removed, in counts, as `say` gives it."""
    th = f"ลบผลการรัน {result.runs} ครั้ง ({result.files} ไฟล์)"
    en = f"removed {result.runs} run(s) ({result.files} file(s))"
    if result.kept_files:
        th += f" เก็บไฟล์อื่นที่ไม่ใช่ของ edubot ไว้ {result.kept_files} ไฟล์"
        en += f", kept {result.kept_files} file(s) edubot did not write"
    if result.scratch_files:
        th += f" ไฟล์ที่การรันที่ถูกหยุดกลางคันทิ้งไว้ {result.scratch_files} ไฟล์"
        en += f", {result.scratch_files} file(s) left by runs that were killed"
    if result.journal_entries or result.mock_files:
        th += f" บันทึกการทำงาน {result.journal_entries} รายการ ข้อมูลระบบจำลอง {result.mock_files} ไฟล์"
        en += (
            f", {result.journal_entries} journal entr(y/ies), "
            f"{result.mock_files} mock portal file(s)"
        )
    return say(th, en)
