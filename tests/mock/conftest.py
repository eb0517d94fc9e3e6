"""Fixtures for the mock portals' tests: an app on a temp state dir, a fake clock, clients."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette 1.x asks for `httpx2` in its test client; the project pins plain httpx for now.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

from mock_portals.lec.app import create_app
from mock_portals.lec.seed import ROUND_OPENS


class FakeClock:
    """A monotonic clock that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeCalendar:
    """Today's date as a test sets it; starts inside the seed's round (10 Nov – 10 Dec 2025)."""

    def __init__(self) -> None:
        self.today = date(2025, 11, 20)

    def __call__(self) -> date:
        return self.today


@pytest.fixture(autouse=True)
def accessible_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The mock's own tests read the accessible markup's pages unless they ask for the
    framework's (`markup="framework"`, `/_mock/settings`); the mock's default is `framework`."""
    monkeypatch.setenv("EDUBOT_LEC_MARKUP", "accessible")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def calendar() -> FakeCalendar:
    return FakeCalendar()


@pytest.fixture
def app(tmp_path: Path, clock: FakeClock, calendar: FakeCalendar) -> Starlette:
    """Organisations and accounts of the demo seed, no demo students, the seed's round fixed."""
    state_dir = tmp_path / "lec"
    return create_app(
        state_dir,
        idle_timeout_s=600,
        seed=False,
        clock=clock,
        today=calendar,
        round_opens=ROUND_OPENS,
    )


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def other_client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def fw_app(tmp_path: Path, clock: FakeClock, calendar: FakeCalendar) -> Starlette:
    """As `app`, rendered the vendor framework's way (markup="framework")."""
    return create_app(
        tmp_path / "lec",
        idle_timeout_s=600,
        seed=False,
        clock=clock,
        today=calendar,
        round_opens=ROUND_OPENS,
        markup="framework",
    )


@pytest.fixture
def fw(fw_app: Starlette) -> Iterator[TestClient]:
    with TestClient(fw_app) as test_client:
        yield test_client
