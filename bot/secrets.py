"""Portal credentials: the keyring first, environment variables where no keyring exists.

This is the only module that imports keyring. A password travels as a `Secret`, whose str()
and repr() are masked, so that it cannot reach a log line, a report or an exception by accident;
`Secret.reveal()` is called only by the action that types it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from bot.errors import CredentialsError
from bot.i18n import portal_title, say

KEYRING_SERVICE = "edubot"
MASK = "<secret>"


class Secret:
    """A value that prints as `<secret>`; `reveal()` gives it back.

    Not a dataclass on purpose: `asdict`, `vars` and `==` would hand the value out.
    """

    __slots__ = ("__value", "name")

    def __init__(self, value: str, name: str = "secret") -> None:
        self.__value = value
        self.name = name

    def reveal(self) -> str:
        return self.__value

    def __eq__(self, other: object) -> bool:
        return self is other  # comparing values would let anyone test a guess

    def __hash__(self) -> int:
        return id(self)

    def __copy__(self) -> Secret:
        return self  # immutable: a copy would only be another place holding the value

    def __deepcopy__(self, memo: dict[int, object]) -> Secret:
        return self

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({self.name})"

    def __format__(self, spec: str) -> str:
        return MASK


@dataclass(frozen=True)
class Credentials:
    """A portal login: the username is not secret, the password is."""

    username: str
    password: Secret
    source: str  # "keyring" or "environment": told to the officer, never the value


# What a variable's name says when it holds a secret: EDUBOT_LEC_PASSWORD, its per-account
# EDUBOT_LEC_PASSWORD_<USER>, EDUBOT_SMTP_PASSWORD, and any EDUBOT_…_SECRET or _TOKEN to come.
_SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN")


def is_secret_variable(name: str) -> bool:
    """Does this environment variable hold one of edubot's secrets (never for a child)?"""
    upper = name.upper()  # Windows' names ignore case
    return upper.startswith("EDUBOT_") and any(word in upper for word in _SECRET_WORDS)


def _env_names(portal: str) -> tuple[str, str]:
    prefix = f"EDUBOT_{portal.upper()}"
    return f"{prefix}_USERNAME", f"{prefix}_PASSWORD"


def _from_keyring(portal: str, username: str | None = None) -> Credentials | None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    try:
        username = username or keyring.get_password(KEYRING_SERVICE, f"{portal}:username")
        if not username:
            return None
        password = keyring.get_password(KEYRING_SERVICE, f"{portal}:{username}")
    except (KeyringError, RuntimeError):
        # No backend on a headless machine: fall through to the environment.
        return None
    if password is None:
        return None
    return Credentials(username, Secret(password, f"{portal}.password"), "keyring")


def _from_environment(portal: str, username: str | None = None) -> Credentials | None:
    user_var, pass_var = _env_names(portal)
    if username and os.environ.get(user_var) != username:
        # Another account of the same portal (a round logs in as several): its own variable.
        pass_var = f"{pass_var}_{username.upper()}"
    username = username or os.environ.get(user_var)
    password = os.environ.get(pass_var)
    if username and password:
        return Credentials(username, Secret(password, f"{portal}.password"), "environment")
    return None


def load_credentials(portal: str, username: str | None = None) -> Credentials:
    """Find the password for `portal` ("lec" or "esar"), for `username` or the stored one."""
    found = _from_keyring(portal, username) or _from_environment(portal, username)
    if found is None:
        user_var, pass_var = _env_names(portal)
        if username and os.environ.get(user_var) != username:
            # Another account than the environment's: its password has a name of its own.
            raise CredentialsError(
                say(
                    f"ไม่พบรหัสผ่าน {portal_title(portal)} ของบัญชี {username}: ใช้คำสั่ง "
                    f"edubot login {portal} --username {username} หรือตั้งค่า "
                    f"{pass_var}_{username.upper()}",
                    f"No {portal_title(portal)} password for the account {username}. Run "
                    f"`edubot login {portal} --username {username}`, or set "
                    f"{pass_var}_{username.upper()} where no keyring exists.",
                )
            )
        raise CredentialsError(
            say(
                f"ไม่พบชื่อผู้ใช้/รหัสผ่าน {portal_title(portal)}: ใช้คำสั่ง edubot login {portal} "
                f"หรือตั้งค่า {user_var} และ {pass_var}",
                f"No credentials for {portal_title(portal)}. Run `edubot login {portal}` to store "
                f"them in the system keyring, or set {user_var} and {pass_var} where no keyring "
                "exists.",
            )
        )
    return found


def store_credentials(portal: str, username: str, password: str) -> None:
    """Save credentials in the system keyring; raise CredentialsError when it has no backend."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, f"{portal}:username", username)
        keyring.set_password(KEYRING_SERVICE, f"{portal}:{username}", password)
    except (KeyringError, RuntimeError) as exc:
        user_var, pass_var = _env_names(portal)
        raise CredentialsError(
            f"This machine has no keyring backend ({type(exc).__name__}). "
            f"Set {user_var} and {pass_var} instead."
        ) from None
