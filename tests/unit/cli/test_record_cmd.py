"""`edubot record`: what it refuses before any browser opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import record as record_cmd
from bot.cli.app import app


def test_an_unknown_portal_is_refused(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(app, ["record", str(tmp_path / "x"), "--portal", "obec"])
    assert result.exit_code == 2
    assert "lec or esar" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_an_existing_flow_is_kept_without_overwrite(cli: CliRunner, tmp_path: Path) -> None:
    flow = tmp_path / "add.yaml"
    flow.write_text("name: mine\n", encoding="utf-8")
    result = cli.invoke(app, ["record", str(tmp_path / "add")])
    assert result.exit_code == 2, result.output
    assert flow.read_text(encoding="utf-8") == "name: mine\n"


def test_no_display_is_refused_before_a_browser_starts(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(record_cmd, "has_display", lambda: False)
    result = cli.invoke(app, ["record", str(tmp_path / "add")])
    assert result.exit_code == 2
    assert "no display" in " ".join(result.output.split())
    assert not (tmp_path / "add.yaml").exists()


@pytest.mark.usefixtures("memory_keyring")  # empty, whatever an earlier test left behind
def test_login_without_stored_credentials_is_refused_before_a_browser_starts(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(record_cmd, "has_display", lambda: True)
    for name in ("EDUBOT_LEC_USERNAME", "EDUBOT_LEC_PASSWORD"):
        monkeypatch.delenv(name, raising=False)

    def no_browser(**_options: object) -> None:
        raise AssertionError("a browser started")

    monkeypatch.setattr(record_cmd, "LaunchedBrowser", no_browser)
    result = cli.invoke(app, ["record", str(tmp_path / "add"), "--login"])
    assert result.exit_code == 2, result.output
    assert "edubot login lec" in result.output
    assert not (tmp_path / "add.yaml").exists()
    assert not list(tmp_path.glob(".*.yaml"))  # the login's flow left nothing beside it
