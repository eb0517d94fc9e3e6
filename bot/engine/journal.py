"""Per-record state across runs, so that a re-run picks up where the last one stopped.

A record moves pending → submitted (something may have been sent) → verified (the portal was
seen to hold exactly the record), or → failed with the portal's reason. The journal never stores
a raw national ID: records are keyed by an HMAC of the ID under a per-install key, and the
record's data by a digest, so a changed row is noticed without keeping the row.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.paths import data_dir

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    run_key    TEXT NOT NULL,
    record_key TEXT NOT NULL,
    digest     TEXT NOT NULL,
    state      TEXT NOT NULL,
    outcome    TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (run_key, record_key)
)
"""

# States that mean the portal already holds the record as it is in the data file.
DONE_OUTCOMES = frozenset({"unchanged", "verified"})


def _private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    path.chmod(0o600)


def install_key(data_dir: Path) -> bytes:
    """The per-install HMAC key, created on first use, readable by the owner only."""
    path = data_dir / "journal.key"
    if not path.exists():
        _private_file(path)
        path.write_bytes(secrets.token_bytes(32))
    return path.read_bytes()


def file_digest(path: Path) -> str:
    """A digest of a data file's bytes: the same path holding new content is a new run."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def run_identity(flow_name: str, portal: str, term: str, data: Path | None) -> str:
    """What a journal's entries belong to: flow × portal × LEC round × data file and its content.

    The round (academic year and term) and the content are in it because a file path is reused:
    next term's workbook saved over this term's must not find this term's children "verified"
    and skip them all while the portal's new round holds none of them.
    """
    where = f"{data.resolve()}|{file_digest(data)}" if data is not None else "-"
    return f"{flow_name}|{portal}|{term}|{where}"


def journal_file() -> Path:
    """The one journal file of this install (in edubot's data folder)."""
    return data_dir() / "journal.sqlite3"


def open_run_journal(flow_name: str, portal: str, term: str, data: Path | None) -> Journal:
    """The journal of a run of this flow × portal × round × data file: the one the run writes
    and `edubot status` reads, so both always name the same entries."""
    identity = run_identity(flow_name, portal, term, data)
    return Journal(journal_file(), install_key(data_dir()), identity)


def digest_values(values: Mapping[str, str]) -> str:
    """A digest of a record's data: equal digests mean nothing changed."""
    canonical = json.dumps(dict(sorted(values.items())), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    state: str
    outcome: str
    digest: str
    message: str


class Journal:
    """The journal of one run identity (flow × portal × data file) in a SQLite file."""

    def __init__(self, path: Path, key: bytes, run_identity: str) -> None:
        _private_file(path)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")  # survives a killed process intact
        # No fsync per record: WAL stays consistent through a crash, and a lost last entry only
        # means that record is read back from the portal again (reconcile before retry).
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        self._lock = threading.Lock()  # workers share one journal
        self._key = key
        self.run_key = hashlib.sha256(run_identity.encode("utf-8")).hexdigest()[:32]

    def close(self) -> None:
        self._db.close()

    def record_key(self, national_id: str) -> str:
        return hmac.new(self._key, national_id.encode("utf-8"), hashlib.sha256).hexdigest()

    def get(self, national_id: str) -> Entry | None:
        with self._lock:
            row = self._db.execute(
                "SELECT state, outcome, digest, message FROM records "
                "WHERE run_key = ? AND record_key = ?",
                (self.run_key, self.record_key(national_id)),
            ).fetchone()
        return Entry(*row) if row else None

    def is_done(self, national_id: str, digest: str) -> bool:
        """True when the portal was seen holding this exact record: no browser time needed."""
        entry = self.get(national_id)
        return entry is not None and entry.state == "verified" and entry.digest == digest

    def mark(
        self, national_id: str, digest: str, state: str, outcome: str = "", message: str = ""
    ) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            self._db.execute(
                "INSERT INTO records (run_key, record_key, digest, state, outcome, message, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(run_key, record_key) DO "
                "UPDATE SET digest = excluded.digest, state = excluded.state, "
                "outcome = excluded.outcome, message = excluded.message, "
                "updated_at = excluded.updated_at",
                (self.run_key, self.record_key(national_id), digest, state, outcome, message, now),
            )

    def forget(self) -> int:
        """Start this run identity over (`--fresh`); return how many entries were dropped."""
        with self._lock:
            cursor = self._db.execute("DELETE FROM records WHERE run_key = ?", (self.run_key,))
        return cursor.rowcount

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute(
                "SELECT state, COUNT(*) FROM records WHERE run_key = ? GROUP BY state",
                (self.run_key,),
            ).fetchall()
        return {state: n for state, n in rows}


def state_for(outcome: str) -> str:
    """Journal state after a record ended with `outcome`."""
    if outcome in DONE_OUTCOMES:
        return "verified"
    if outcome == "failed":
        return "failed"
    # added / updated / submitted: the portal said yes; a later run reads it back to verify.
    return "submitted"
