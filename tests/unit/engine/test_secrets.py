"""Credentials: keyring first (an in-memory backend here), environment as the fallback."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import NoKeyringError

from bot.errors import CredentialsError
from bot.secrets import is_secret_variable, load_credentials, store_credentials


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict, for machines with no keyring service."""

    priority = 1

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


class NoKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyringError("no backend")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NoKeyringError("no backend")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)


def test_stored_credentials_come_back_from_the_keyring(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDUBOT_LEC_USERNAME", raising=False)
    store_credentials("lec", "school", "p@ss")
    creds = load_credentials("lec")
    assert (creds.username, creds.password.reveal(), creds.source) == ("school", "p@ss", "keyring")
    assert "p@ss" not in repr(creds)


def test_environment_is_the_fallback_without_a_keyring(
    no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDUBOT_ESAR_USERNAME", "qa")
    monkeypatch.setenv("EDUBOT_ESAR_PASSWORD", "demo")
    creds = load_credentials("esar")
    assert (creds.username, creds.password.reveal(), creds.source) == ("qa", "demo", "environment")


def test_missing_credentials_say_how_to_provide_them(
    no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDUBOT_LEC_USERNAME", raising=False)
    monkeypatch.delenv("EDUBOT_LEC_PASSWORD", raising=False)
    with pytest.raises(CredentialsError, match="edubot login lec") as caught:
        load_credentials("lec")
    assert "EDUBOT_LEC_PASSWORD" in str(caught.value)


def test_storing_without_a_backend_points_to_the_environment(no_keyring: None) -> None:
    with pytest.raises(CredentialsError, match="EDUBOT_LEC_USERNAME"):
        store_credentials("lec", "school", "p@ss")


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("EDUBOT_LEC_PASSWORD", True),
        ("EDUBOT_LEC_PASSWORD_SCHOOL2", True),
        ("EDUBOT_SMTP_PASSWORD", True),
        ("edubot_esar_password", True),  # Windows: names ignore case
        ("EDUBOT_API_TOKEN", True),
        ("EDUBOT_LEC_USERNAME", False),
        ("EDUBOT_DATA_DIR", False),
        ("PASSWORD", False),  # not edubot's to withhold
    ],
)
def test_secret_variables_are_known_by_name(name: str, secret: bool) -> None:
    assert is_secret_variable(name) is secret
