"""Fixtures for the officer-facing commands: no real crontab, keyring, browser or clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as FailKeyring
from typer.testing import CliRunner

from bot import i18n
from bot.cli import system
from bot.ops.schedule import CrontabStore, SchtasksStore

REPO = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 11, 20, 9, 0)  # LEC round 2569-2 is open; school_entry is due 2026-11-24
EXE = Path("/opt/edubot/.venv/bin/edubot")


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict."""

    priority = 1

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


class FakeCrontab:
    """An in-memory crontab."""

    def __init__(self, text: str = "") -> None:
        self.text = text
        self.writes = 0

    def read(self) -> str:
        return self.text

    def write(self, text: str) -> None:
        self.text = text
        self.writes += 1


def _no_real_scheduler() -> CrontabStore | SchtasksStore:
    raise AssertionError("a test reached for the real crontab / Task Scheduler")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private data dir, English, a fixed clock; the real scheduler and browser out of reach."""
    data_dir = tmp_path / "edubot-data"
    monkeypatch.setenv("EDUBOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("EDUBOT_LANG", "en")
    for name in ("EDUBOT_LEC_URL", "EDUBOT_ESAR_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(system, "scheduler_factory", _no_real_scheduler)
    monkeypatch.setattr(system, "clock", lambda: NOW)
    monkeypatch.setattr(system, "find_edubot", lambda: EXE)
    monkeypatch.setattr(system, "open_in_browser", _no_browser)
    yield data_dir
    i18n.use(None)


def _no_browser(url: str) -> bool:
    raise AssertionError(f"a test opened a real browser on {url}")


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


@pytest.fixture
def crontab(monkeypatch: pytest.MonkeyPatch) -> FakeCrontab:
    """The crontab the commands see: in memory."""
    fake = FakeCrontab("MAILTO=officer@example.org\n0 3 * * * /usr/bin/backup # not ours\n")
    monkeypatch.setattr(system, "scheduler_factory", lambda: CrontabStore(fake))
    return fake


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """A headless machine: keyring's own 'no backend' stand-in."""
    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)
