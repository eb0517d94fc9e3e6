"""The mock e-SAR's state: SQLite for records, a folder of content-addressed files.

One short-lived connection per operation: the app is served from uvicorn's event loop in one
thread and from TestClient's portal in another, and SQLite connections must not cross threads.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mock_portals.esar.seed import ACCOUNTS, SCHOOLS, School

DRAFT = "draft"
SUBMITTED = "submitted"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schools (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, lgo TEXT NOT NULL, levels TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
    username TEXT PRIMARY KEY, password_sha256 TEXT NOT NULL,
    display_name TEXT NOT NULL, role TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS account_schools (
    username TEXT NOT NULL, school_code TEXT NOT NULL, PRIMARY KEY (username, school_code)
);
CREATE TABLE IF NOT EXISTS slots (
    school_code TEXT NOT NULL, academic_year INTEGER NOT NULL, level TEXT NOT NULL,
    status TEXT NOT NULL, file_name TEXT NOT NULL, size INTEGER NOT NULL,
    sha256 TEXT NOT NULL, uploaded_at TEXT NOT NULL, uploaded_by TEXT NOT NULL,
    submitted_at TEXT, submitted_by TEXT,
    replace_open INTEGER NOT NULL DEFAULT 0, replaces_submitted_at TEXT,
    PRIMARY KEY (school_code, academic_year, level)
);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_code TEXT NOT NULL, academic_year INTEGER NOT NULL, level TEXT NOT NULL,
    file_name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
    submitted_at TEXT NOT NULL, submitted_by TEXT NOT NULL, superseded_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Account:
    """A logged-in identity: its display name, role and the schools it may upload for."""

    username: str
    display_name: str
    role: str
    school_codes: tuple[str, ...]


@dataclass(frozen=True)
class SlotKey:
    """One report slot: a school's SAR for one academic year (BE) and one level."""

    school_code: str
    academic_year: int
    level: str


@dataclass(frozen=True)
class Slot:
    """What is stored in a slot: the current file, draft or submitted."""

    key: SlotKey
    status: str
    file_name: str
    size: int
    sha256: str
    uploaded_at: str
    submitted_at: str | None
    replace_open: bool
    replaces_submitted_at: str | None


def _hash_password(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


class Store:
    """All persistent state of one mock e-SAR instance, under `state_dir`."""

    def __init__(self, state_dir: Path, *, seed: bool) -> None:
        self.state_dir = state_dir
        self.files_dir = state_dir / "files"
        self.db_path = state_dir / "esar.sqlite3"
        self._seed = seed
        self.files_dir.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(_SCHEMA)
            if seed:
                self._insert_seed(db)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.db_path, timeout=10)) as db, db:
            db.row_factory = sqlite3.Row
            yield db

    def _insert_seed(self, db: sqlite3.Connection) -> None:
        for s in SCHOOLS:
            db.execute(
                "INSERT OR IGNORE INTO schools VALUES (?, ?, ?, ?)",
                (s.code, s.name, s.lgo, ",".join(s.levels)),
            )
        for a in ACCOUNTS:
            db.execute(
                "INSERT OR IGNORE INTO accounts VALUES (?, ?, ?, ?)",
                (a.username, _hash_password(a.password), a.display_name, a.role),
            )
            for code in a.school_codes:
                db.execute(
                    "INSERT OR IGNORE INTO account_schools VALUES (?, ?)", (a.username, code)
                )

    def reset(self) -> None:
        """Forget every upload and file; put the demo seed back when this store was seeded."""
        with self._db() as db:
            for table in ("slots", "history", "account_schools", "accounts", "schools"):
                db.execute(f"DELETE FROM {table}")
            if self._seed:
                self._insert_seed(db)
        shutil.rmtree(self.files_dir, ignore_errors=True)
        self.files_dir.mkdir(parents=True, exist_ok=True)

    # -- accounts and schools -------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> Account | None:
        """The account when the password matches, else None."""
        with self._db() as db:
            row = db.execute("SELECT * FROM accounts WHERE username = ?", (username,)).fetchone()
        if row is None:
            _hash_password(password)  # same work either way: no user-existence timing hint
            return None
        if not hmac.compare_digest(row["password_sha256"], _hash_password(password)):
            return None
        return self.account(username)

    def account(self, username: str) -> Account | None:
        """The account named `username`, or None."""
        with self._db() as db:
            row = db.execute("SELECT * FROM accounts WHERE username = ?", (username,)).fetchone()
            if row is None:
                return None
            codes = db.execute(
                "SELECT school_code FROM account_schools WHERE username = ? ORDER BY school_code",
                (username,),
            ).fetchall()
        return Account(
            username, row["display_name"], row["role"], tuple(c["school_code"] for c in codes)
        )

    def schools(self, codes: tuple[str, ...] | None = None) -> list[School]:
        """All schools, or those with the given codes, ordered by code."""
        with self._db() as db:
            rows = db.execute("SELECT * FROM schools ORDER BY code").fetchall()
        found = [
            School(r["code"], r["name"], r["lgo"], tuple(r["levels"].split(","))) for r in rows
        ]
        return found if codes is None else [s for s in found if s.code in codes]

    # -- slots ----------------------------------------------------------------------------

    def slot(self, key: SlotKey) -> Slot | None:
        """The stored state of one slot, or None when nothing was ever uploaded."""
        with self._db() as db:
            row = db.execute(
                "SELECT * FROM slots WHERE school_code = ? AND academic_year = ? AND level = ?",
                (key.school_code, key.academic_year, key.level),
            ).fetchone()
        return None if row is None else _slot(row)

    def slots(self) -> list[Slot]:
        """Every slot with an upload."""
        with self._db() as db:
            rows = db.execute("SELECT * FROM slots ORDER BY school_code, academic_year, level")
            return [_slot(r) for r in rows.fetchall()]

    def save_draft(self, key: SlotKey, file_name: str, data: bytes, *, by: str, now: str) -> Slot:
        """Store `data` as the slot's draft; a submitted file under replacement goes to history."""
        digest = hashlib.sha256(data).hexdigest()
        self._write_file(digest, data)
        previous = self.slot(key)
        with self._db() as db:
            replaces = None
            if previous is not None and previous.status == SUBMITTED:
                replaces = previous.submitted_at
                db.execute(
                    "INSERT INTO history (school_code, academic_year, level, file_name, size,"
                    " sha256, submitted_at, submitted_by, superseded_at)"
                    " SELECT school_code, academic_year, level, file_name, size, sha256,"
                    " submitted_at, submitted_by, ? FROM slots"
                    " WHERE school_code = ? AND academic_year = ? AND level = ?",
                    (now, key.school_code, key.academic_year, key.level),
                )
            elif previous is not None:
                replaces = previous.replaces_submitted_at
            db.execute(
                "INSERT OR REPLACE INTO slots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0, ?)",
                (*key_values(key), DRAFT, file_name, len(data), digest, now, by, replaces),
            )
        slot = self.slot(key)
        assert slot is not None
        return slot

    def submit(self, key: SlotKey, *, by: str, now: str) -> Slot:
        """Mark the slot's draft as submitted at `now`."""
        with self._db() as db:
            db.execute(
                "UPDATE slots SET status = ?, submitted_at = ?, submitted_by = ?, replace_open = 0"
                " WHERE school_code = ? AND academic_year = ? AND level = ? AND status = ?",
                (SUBMITTED, now, by, key.school_code, key.academic_year, key.level, DRAFT),
            )
        slot = self.slot(key)
        assert slot is not None
        return slot

    def open_replace(self, key: SlotKey) -> None:
        """Allow one new upload over the slot's submitted file."""
        with self._db() as db:
            db.execute(
                "UPDATE slots SET replace_open = 1"
                " WHERE school_code = ? AND academic_year = ? AND level = ? AND status = ?",
                (key.school_code, key.academic_year, key.level, SUBMITTED),
            )

    def _write_file(self, digest: str, data: bytes) -> None:
        target = self.files_dir / f"{digest}.pdf"
        if target.exists():
            return
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        os.replace(partial, target)

    def file_path(self, sha256: str) -> Path:
        """Where the file with this digest is stored."""
        return self.files_dir / f"{sha256}.pdf"

    # -- test surface ---------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Everything stored, as JSON-ready data (passwords excluded)."""
        accounts = []
        with self._db() as db:
            names = [r["username"] for r in db.execute("SELECT username FROM accounts")]
            history = [dict(r) for r in db.execute("SELECT * FROM history ORDER BY id")]
        for name in sorted(names):
            account = self.account(name)
            assert account is not None
            accounts.append(
                {
                    "username": account.username,
                    "display_name": account.display_name,
                    "role": account.role,
                    "school_codes": list(account.school_codes),
                }
            )
        schools = [
            {"code": s.code, "name": s.name, "lgo": s.lgo, "levels": list(s.levels)}
            for s in self.schools()
        ]
        submissions = [
            {
                "school_code": s.key.school_code,
                "academic_year": s.key.academic_year,
                "level": s.key.level,
                "status": s.status,
                "file_name": s.file_name,
                "size": s.size,
                "sha256": s.sha256,
                "uploaded_at": s.uploaded_at,
                "submitted_at": s.submitted_at,
                "replace_open": s.replace_open,
            }
            for s in self.slots()
        ]
        return {
            "accounts": accounts,
            "schools": schools,
            "submissions": submissions,
            "history": history,
        }


def key_values(key: SlotKey) -> tuple[str, int, str]:
    """The slot key as SQL parameters, in column order."""
    return (key.school_code, key.academic_year, key.level)


def _slot(row: sqlite3.Row) -> Slot:
    return Slot(
        key=SlotKey(row["school_code"], row["academic_year"], row["level"]),
        status=row["status"],
        file_name=row["file_name"],
        size=row["size"],
        sha256=row["sha256"],
        uploaded_at=row["uploaded_at"],
        submitted_at=row["submitted_at"],
        replace_open=bool(row["replace_open"]),
        replaces_submitted_at=row["replaces_submitted_at"],
    )
