"""SQLite state of the mock LEC: the queries (tables in `db_schema.py`, values in `records.py`).

One connection per thread (rather than one shared connection) lets uvicorn's worker threads and
several browser contexts use the database at once without a Python-side lock; SQLite's own
locking (WAL mode, busy timeout) serialises the writers. The connection is kept for the
thread's next call: opening one per call was most of the mock's CPU (a page asks ~28 times).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mock_portals.lec.db_schema import SCHEMA, TABLES_CHILD_FIRST
from mock_portals.lec.fields import KEYS
from mock_portals.lec.records import (
    Account,
    Building,
    DuplicateBuildingError,
    DuplicateStudentError,
    Lgo,
    School,
    Student,
)

# The record types are importable from here too, as they were before records.py existed.
__all__ = [
    "DB_NAME",
    "Account",
    "Building",
    "Database",
    "DuplicateBuildingError",
    "DuplicateStudentError",
    "Lgo",
    "School",
    "Student",
]

DB_NAME = "lec.sqlite3"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _school(row: sqlite3.Row) -> School:
    return School(**{**dict(row), "grades": tuple(json.loads(row["grades"]))})


def _student(row: sqlite3.Row) -> Student:
    return Student(
        row["id"], row["school_code"], json.loads(row["data"]), row["created_at"], row["updated_at"]
    )


def _building(row: sqlite3.Row) -> Building:
    return Building(
        row["id"],
        row["school_code"],
        row["name"],
        json.loads(row["data"]),
        row["created_at"],
        row["updated_at"],
    )


class Database:
    """The mock's tables in `state_dir/lec.sqlite3`; survives restarts of the app."""

    def __init__(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.path = state_dir / DB_NAME
        self._local = threading.local()
        with self.connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection in one transaction: committed on success, else rolled back."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys=ON")
            # A mock's state need survive a crash of the app, not of the machine: no fsync per save.
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        with conn:
            yield conn

    def clear(self) -> None:
        with self.connect() as conn:
            for table in TABLES_CHILD_FIRST:
                conn.execute(f"DELETE FROM {table}")  # fixed table names, never user input
            conn.execute("DELETE FROM sqlite_sequence")

    # --- meta -------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        with self.connect() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        with self.connect() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # --- organisations and accounts ---------------------------------------------------------

    def add_lgo(self, lgo: Lgo) -> None:
        with self.connect() as conn:
            conn.execute(
                "INSERT INTO lgos VALUES (?, ?, ?, ?)",
                (lgo.code, lgo.name, lgo.district, lgo.province),
            )

    def add_school(self, school: School) -> None:
        with self.connect() as conn:
            conn.execute(
                "INSERT INTO schools VALUES (?, ?, ?, ?, ?, ?)",
                (
                    school.code,
                    school.name,
                    school.type,
                    school.affiliation,
                    school.lgo_code,
                    json.dumps(school.grades, ensure_ascii=False),
                ),
            )

    def add_account(self, account: Account) -> None:
        with self.connect() as conn:
            conn.execute(
                "INSERT INTO accounts VALUES (?, ?, ?, ?)",
                (account.username, account.password, account.role, account.display_name),
            )
            conn.executemany(
                "INSERT INTO account_orgs VALUES (?, ?, ?)",
                [(account.username, org, i) for i, org in enumerate(account.organisations)],
            )

    def lgo(self, code: str) -> Lgo | None:
        with self.connect() as conn:
            row = conn.execute("SELECT * FROM lgos WHERE code = ?", (code,)).fetchone()
        return None if row is None else Lgo(**dict(row))

    def schools(self, lgo_code: str | None = None) -> list[School]:
        query = "SELECT * FROM schools WHERE ? IS NULL OR lgo_code = ? ORDER BY code"
        args = (lgo_code, lgo_code)
        with self.connect() as conn:
            rows = conn.execute(query, args).fetchall()
        return [_school(r) for r in rows]

    def school(self, code: str) -> School | None:
        with self.connect() as conn:
            row = conn.execute("SELECT * FROM schools WHERE code = ?", (code,)).fetchone()
        return None if row is None else _school(row)

    def accounts(self) -> list[Account]:
        with self.connect() as conn:
            rows = conn.execute("SELECT * FROM accounts ORDER BY username").fetchall()
            orgs = conn.execute("SELECT * FROM account_orgs ORDER BY position").fetchall()
        return [
            Account(
                **dict(r),
                organisations=tuple(o["org_code"] for o in orgs if o["username"] == r["username"]),
            )
            for r in rows
        ]

    def account(self, username: str) -> Account | None:
        with self.connect() as conn:
            row = conn.execute("SELECT * FROM accounts WHERE username = ?", (username,)).fetchone()
            orgs = conn.execute(
                "SELECT org_code FROM account_orgs WHERE username = ? ORDER BY position",
                (username,),
            ).fetchall()
        if row is None:
            return None
        return Account(**dict(row), organisations=tuple(o["org_code"] for o in orgs))

    # --- students ---------------------------------------------------------------------------

    def search_students(
        self, school_code: str, query: str, offset: int, limit: int
    ) -> tuple[int, list[Student]]:
        """Students of a school whose national ID contains `query`: (total, one page)."""
        where = "school_code = ? AND instr(national_id, ?) > 0"
        args = (school_code, query)
        with self.connect() as conn:
            total = conn.execute(f"SELECT count(*) FROM students WHERE {where}", args).fetchone()[0]
            rows = conn.execute(
                f"SELECT * FROM students WHERE {where} ORDER BY id LIMIT ? OFFSET ?",
                (*args, limit, offset),
            ).fetchall()
        return int(total), [_student(r) for r in rows]

    def students(self, school_code: str | None = None) -> list[Student]:
        query = "SELECT * FROM students WHERE ? IS NULL OR school_code = ? ORDER BY id"
        args = (school_code, school_code)
        with self.connect() as conn:
            return [_student(r) for r in conn.execute(query, args).fetchall()]

    def student(self, school_code: str, student_id: int) -> Student | None:
        with self.connect() as conn:
            row = conn.execute(
                "SELECT * FROM students WHERE id = ? AND school_code = ?", (student_id, school_code)
            ).fetchone()
        return None if row is None else _student(row)

    def id_taken(self, school_code: str, national_id: str, except_id: int | None) -> bool:
        with self.connect() as conn:
            row = conn.execute(
                "SELECT id FROM students WHERE school_code = ? AND national_id = ? AND id IS NOT ?",
                (school_code, national_id, except_id),
            ).fetchone()
        return row is not None

    def save_student(
        self, school_code: str, values: Mapping[str, str], student_id: int | None
    ) -> int:
        """Insert (no id) or update a student; the unique index settles races on the ID."""
        data = json.dumps({k: values.get(k, "") for k in KEYS}, ensure_ascii=False)
        now = _now()
        try:
            with self.connect() as conn:
                if student_id is None:
                    cur = conn.execute(
                        "INSERT INTO students (school_code, national_id, data, created_at,"
                        " updated_at) VALUES (?, ?, ?, ?, ?)",
                        (school_code, values["national_id"], data, now, now),
                    )
                    return int(cur.lastrowid or 0)
                conn.execute(
                    "UPDATE students SET national_id = ?, data = ?, updated_at = ?"
                    " WHERE id = ? AND school_code = ?",
                    (values["national_id"], data, now, student_id, school_code),
                )
                return student_id
        except sqlite3.IntegrityError as exc:
            raise DuplicateStudentError(values["national_id"]) from exc

    def delete_student(self, school_code: str, student_id: int) -> bool:
        """Remove one student; False when there was none with that id in that school."""
        with self.connect() as conn:
            cur = conn.execute(
                "DELETE FROM students WHERE id = ? AND school_code = ?", (student_id, school_code)
            )
        return cur.rowcount > 0

    def student_counts(self) -> dict[str, int]:
        """Number of students per school code (schools without any are left out)."""
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT school_code, count(*) AS n FROM students GROUP BY school_code"
            ).fetchall()
        return {r["school_code"]: int(r["n"]) for r in rows}

    # --- basic school data ------------------------------------------------------------------

    def basic(self, school_code: str) -> dict[str, Any] | None:
        """The saved basic data of a school (with `updated_at`), None before the first save."""
        with self.connect() as conn:
            row = conn.execute(
                "SELECT * FROM school_basic WHERE school_code = ?", (school_code,)
            ).fetchone()
        if row is None:
            return None
        data: dict[str, Any] = json.loads(row["data"])
        return {**data, "updated_at": row["updated_at"]}

    def save_basic(self, school_code: str, data: Mapping[str, Any]) -> None:
        with self.connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO school_basic VALUES (?, ?, ?)",
                (school_code, json.dumps(dict(data), ensure_ascii=False), _now()),
            )

    # --- buildings --------------------------------------------------------------------------

    def buildings(self, school_code: str | None = None) -> list[Building]:
        query = "SELECT * FROM buildings WHERE ? IS NULL OR school_code = ? ORDER BY id"
        with self.connect() as conn:
            rows = conn.execute(query, (school_code, school_code)).fetchall()
        return [_building(r) for r in rows]

    def building(self, school_code: str, building_id: int) -> Building | None:
        with self.connect() as conn:
            row = conn.execute(
                "SELECT * FROM buildings WHERE id = ? AND school_code = ?",
                (building_id, school_code),
            ).fetchone()
        return None if row is None else _building(row)

    def save_building(
        self, school_code: str, name: str, values: Mapping[str, Any], building_id: int | None
    ) -> int:
        """Insert (no id) or update a building; the unique index refuses a second name."""
        data = json.dumps(dict(values), ensure_ascii=False)
        now = _now()
        try:
            with self.connect() as conn:
                if building_id is None:
                    cur = conn.execute(
                        "INSERT INTO buildings (school_code, name, data, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?)",
                        (school_code, name, data, now, now),
                    )
                    return int(cur.lastrowid or 0)
                conn.execute(
                    "UPDATE buildings SET name = ?, data = ?, updated_at = ?"
                    " WHERE id = ? AND school_code = ?",
                    (name, data, now, building_id, school_code),
                )
                return building_id
        except sqlite3.IntegrityError as exc:
            raise DuplicateBuildingError(name) from exc

    # --- confirmations (schools and LGOs) ---------------------------------------------------

    def delete_building(self, school_code: str, building_id: int) -> bool:
        """Remove one building; False when there was none with that id in that school."""
        with self.connect() as conn:
            cur = conn.execute(
                "DELETE FROM buildings WHERE id = ? AND school_code = ?", (building_id, school_code)
            )
        return cur.rowcount > 0

    def confirmed_at(self, org_code: str) -> str | None:
        with self.connect() as conn:
            row = conn.execute(
                "SELECT confirmed_at FROM confirmations WHERE org_code = ?", (org_code,)
            ).fetchone()
        return None if row is None else str(row["confirmed_at"])

    def confirm(self, org_code: str) -> str:
        """Mark a school or LGO confirmed now (kept if already confirmed); the time stored."""
        with self.connect() as conn:
            conn.execute("INSERT OR IGNORE INTO confirmations VALUES (?, ?)", (org_code, _now()))
        return self.confirmed_at(org_code) or ""

    def unconfirm(self, org_code: str) -> bool:
        """Lift a confirmation; False when there was none."""
        with self.connect() as conn:
            cur = conn.execute("DELETE FROM confirmations WHERE org_code = ?", (org_code,))
        return cur.rowcount > 0
