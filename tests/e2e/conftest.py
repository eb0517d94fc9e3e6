"""End-to-end helpers: demo children for the mock's schools, and the CLI run in-process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring
from typer.testing import CliRunner

from bot.data.demo import demo_students, write_students_xlsx
from bot.data.records import Student
from mock_portals.serve import ServedApp

MUNICIPAL_SCHOOL = "3040010002"  # โรงเรียนเทศบาลบ้านเป็ด, อนุบาล 1 – ป.6 (mock seed)
SCHOOL_GRADES = [f"อนุบาล {n}" for n in (1, 2, 3)] + [f"ประถมศึกษาปีที่ {n}" for n in range(1, 7)]
FLOWS = Path(__file__).resolve().parents[2] / "flows"


def children(count: int, seed: int = 7) -> list[Student]:
    return demo_students(count, seed=seed, school_grades=SCHOOL_GRADES)


def write_children(path: Path, students: list[Student]) -> Path:
    write_students_xlsx(path, students)
    return path


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """A headless machine: keyring has no backend, as on CI."""
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def school_login(lec: ServedApp, monkeypatch: pytest.MonkeyPatch, no_keyring: None) -> ServedApp:
    """Point edubot at the mock LEC as the municipal school's officer (environment credentials)."""
    monkeypatch.setenv("EDUBOT_LEC_URL", lec.url)
    monkeypatch.setenv("EDUBOT_LEC_USERNAME", "school")
    monkeypatch.setenv("EDUBOT_LEC_PASSWORD", "demo")
    return lec
