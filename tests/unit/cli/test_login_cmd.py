"""`edubot login`: the password is asked for hidden, stored in the keyring, never shown."""

from __future__ import annotations

from typer.testing import CliRunner

from bot.cli.app import app
from bot.secrets import load_credentials

from .conftest import MemoryKeyring

PASSWORD = "Kr@tong-2569"


def test_stores_the_login_and_never_echoes_the_password(
    cli: CliRunner, memory_keyring: MemoryKeyring
) -> None:
    result = cli.invoke(app, ["login", "lec"], input=f"school\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert "Stored the LEC login of school in the keyring." in result.output
    creds = load_credentials("lec")
    assert (creds.username, creds.password.reveal(), creds.source) == (
        "school",
        PASSWORD,
        "keyring",
    )


def test_username_option_and_thai_prompts(cli: CliRunner, memory_keyring: MemoryKeyring) -> None:
    result = cli.invoke(
        app,
        ["login", "esar", "--username", "qa", "--lang", "th"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "รหัสผ่าน e-SAR (ไม่แสดงขณะพิมพ์)" in result.output
    assert "ชื่อผู้ใช้" not in result.output.splitlines()[0]
    assert PASSWORD not in result.output
    assert memory_keyring.store[("edubot", "esar:qa")] == PASSWORD


def test_without_a_keyring_points_to_the_environment_and_exits_2(
    cli: CliRunner, no_keyring: None
) -> None:
    result = cli.invoke(app, ["login", "lec"], input=f"school\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 2
    assert "EDUBOT_LEC_USERNAME" in result.output
    assert "EDUBOT_LEC_PASSWORD" in result.output
    assert "password (not shown)" not in result.output  # refused before asking


def test_a_keyring_that_refuses_to_store_says_the_same(
    cli: CliRunner, memory_keyring: MemoryKeyring
) -> None:
    from keyring.errors import NoKeyringError

    def refuse(service: str, username: str, password: str) -> None:
        raise NoKeyringError("locked")

    memory_keyring.set_password = refuse  # type: ignore[method-assign]
    result = cli.invoke(app, ["login", "esar"], input=f"qa\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 2
    assert "EDUBOT_ESAR_PASSWORD" in result.output
    assert PASSWORD not in result.output


def test_unknown_portal_is_a_usage_error(cli: CliRunner) -> None:
    assert cli.invoke(app, ["login", "obec"]).exit_code == 2
