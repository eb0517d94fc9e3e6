"""One run at a time per portal account: a scheduled run and a hand-started one never race.

Two runs adding the same children at once each read the portal, each find a child missing and
each add it. So a run holds a lock per portal × account (`filelock`: an OS lock, flock on Unix
and msvcrt on Windows) in edubot's data folder, and a second run refuses at once, naming the
running one from a side file the holder writes next to the lock (pid, start time, flow).

The OS releases a lock when its process dies, however it dies (kill -9, a power cut): a killed
run's lock file stays on disk but is free, and the next run takes it over and rewrites the side
file. Within one process the lock is re-entrant: a round holds the locks of all its accounts for
the whole round, and each step's run takes its own again without waiting for itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from bot.errors import EdubotError, ExitCode
from bot.i18n import say_fix

LOCKS_DIR = "locks"


class RunLocked(EdubotError):
    """Another run holds this portal account; nothing was sent.

    Exit 1, not 2: nothing the officer gave is wrong, and the same command succeeds once the
    other run ends; a scheduled run's notice says so (exit 2 means "fix your input").
    """

    exit_code = ExitCode.SOME_RECORDS_FAILED


@dataclass(frozen=True)
class AccountKey:
    """Which lock: a portal (its address, or an in-process mock's state) and the login used."""

    portal: str
    target: str
    username: str

    def file_stem(self) -> str:
        # The username and address stay out of the file name: a digest names the lock.
        digest = hashlib.sha256(f"{self.portal}|{self.target}|{self.username}".encode())
        return f"{self.portal}-{digest.hexdigest()[:16]}"


@dataclass
class _Held:
    lock: FileLock
    info: Path
    depth: int


_held: dict[Path, _Held] = {}  # this process's locks, by lock file


def locks_dir(data_dir: Path) -> Path:
    return data_dir / LOCKS_DIR


@contextlib.contextmanager
def holding(data_dir: Path, keys: Iterable[AccountKey], flow: str) -> Iterator[None]:
    """Hold the lock of every account in `keys` for the block; refuse if another run has one."""
    with contextlib.ExitStack() as stack:
        for key in dict.fromkeys(keys):  # each account once, in order
            stack.enter_context(_holding_one(data_dir, key, flow))
        yield


@contextlib.contextmanager
def _holding_one(data_dir: Path, key: AccountKey, flow: str) -> Iterator[None]:
    folder = locks_dir(data_dir)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{key.file_stem()}.lock"
    held = _held.get(path)
    if held is None:
        held = _acquire(path, key, flow)
        _held[path] = held
    held.depth += 1
    try:
        yield
    finally:
        held.depth -= 1
        if held.depth == 0:
            del _held[path]
            held.info.unlink(missing_ok=True)
            held.lock.release()


def _acquire(path: Path, key: AccountKey, flow: str) -> _Held:
    lock = FileLock(path, timeout=0, mode=0o600)
    info = path.with_suffix(".json")
    try:
        lock.acquire()
    except Timeout:
        raise RunLocked(_refusal(key, info)) from None
    _write_info(info, flow)
    return _Held(lock, info, 0)


def _write_info(info: Path, flow: str) -> None:
    """Who holds the lock, for a second run's refusal; owner-only like every edubot file."""
    started = datetime.now().astimezone().isoformat(timespec="seconds")
    text = json.dumps({"pid": os.getpid(), "started": started, "flow": flow}, ensure_ascii=False)
    temporary = info.with_suffix(".json.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, info)  # never a half-written file for the reader


def holder(info: Path) -> dict[str, str]:
    """What the running run wrote about itself; "?" where it has not written it yet."""
    try:
        raw = json.loads(info.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = {}
    data = raw if isinstance(raw, dict) else {}
    return {name: str(data.get(name, "?")) for name in ("pid", "started", "flow")}


def _refusal(key: AccountKey, info: Path) -> str:
    who = holder(info)
    return say_fix(
        f"บัญชี {key.portal} นี้กำลังถูกใช้โดยการรันอื่นของ edubot (pid {who['pid']} "
        f"เริ่มเมื่อ {who['started']} งาน {who['flow']}) รันได้ทีละงานต่อบัญชี ยังไม่ได้ส่งอะไร",
        f"Another edubot run is using this {key.portal} account: pid {who['pid']}, started "
        f"{who['started']}, flow {who['flow']}. One run at a time per account; nothing was "
        "sent.",
        "รอให้งานนั้นเสร็จแล้วรันใหม่",
        "wait for it to finish, then run again.",
    )
