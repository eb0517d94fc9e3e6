"""The mock LEC's SQLite tables (`db.py` runs this script and clears the tables in this order)."""

from __future__ import annotations

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lgos (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, district TEXT NOT NULL, province TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS schools (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, affiliation TEXT NOT NULL,
    lgo_code TEXT NOT NULL REFERENCES lgos(code), grades TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
    username TEXT PRIMARY KEY, password TEXT NOT NULL, role TEXT NOT NULL,
    display_name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS account_orgs (
    username TEXT NOT NULL REFERENCES accounts(username), org_code TEXT NOT NULL,
    position INTEGER NOT NULL, PRIMARY KEY (username, org_code)
);
CREATE TABLE IF NOT EXISTS students (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_code TEXT NOT NULL REFERENCES schools(code),
    national_id TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (school_code, national_id)
);
CREATE TABLE IF NOT EXISTS school_basic (
    school_code TEXT PRIMARY KEY REFERENCES schools(code), data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS buildings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_code TEXT NOT NULL REFERENCES schools(code),
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (school_code, name)
);
CREATE TABLE IF NOT EXISTS confirmations (org_code TEXT PRIMARY KEY, confirmed_at TEXT NOT NULL);
"""
# Emptied in this order, so that no row outlives one its foreign key points at.
TABLES_CHILD_FIRST = (
    "confirmations",
    "buildings",
    "school_basic",
    "students",
    "account_orgs",
    "accounts",
    "schools",
    "lgos",
    "meta",
)
