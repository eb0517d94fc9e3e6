"""Help examples name files that exist once the README's steps ran."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.app import app


@pytest.mark.parametrize("command", ["round", "status"])
def test_the_help_example_names_the_plan_demo_round_writes(
    cli: CliRunner, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli.demo import write_demo_round

    monkeypatch.chdir(tmp_path)
    plan = write_demo_round(Path("demo-run") / "round", children_per_school=1)
    result = cli.invoke(app, [command, "--help"])
    assert f"Example: edubot {command} {plan.as_posix()}" in " ".join(result.output.split())
