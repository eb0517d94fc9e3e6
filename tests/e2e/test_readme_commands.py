"""Every README block marked `<!-- runnable … -->` runs as written, against the mock portals:
each command of the block in turn, in a fresh folder, must succeed."""

from __future__ import annotations

import re
import shlex
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import system
from bot.cli.app import app
from bot.ops.schedule import CrontabStore
from tests.unit.cli.conftest import FakeCrontab

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
EDUBOT = ".venv/bin/edubot"
MARKER = re.compile(r"^<!-- runnable\b.*-->$")
README_DAY = datetime(2026, 11, 20, 9, 0)  # the marked blocks describe LEC round 2569-2


def runnable_blocks(text: str) -> list[tuple[int, list[str]]]:
    """(line of the fence, commands) for each fenced block right after a runnable marker."""
    lines = text.splitlines()
    blocks = []
    for number, line in enumerate(lines):
        if not MARKER.match(line.strip()):
            continue
        assert lines[number + 1].startswith("```"), f"README:{number + 1}: marker without a block"
        body = []
        for inner in lines[number + 2 :]:
            if inner.startswith("```"):
                break
            body.append(inner)
        blocks.append((number + 2, commands_of(body)))
    return blocks


def commands_of(body: list[str]) -> list[str]:
    """Shell lines, continuations joined, comments and blank lines left out."""
    joined = "\n".join(body).replace("\\\n", " ")
    return [c.strip() for c in joined.splitlines() if c.strip() and not c.strip().startswith("#")]


BLOCKS = runnable_blocks((REPO / "README.md").read_text(encoding="utf-8"))


def test_the_readme_marks_blocks_to_run() -> None:
    assert len(BLOCKS) >= 3
    assert all(commands for _, commands in BLOCKS)


@pytest.mark.parametrize(("line", "commands"), BLOCKS, ids=[f"README:{n}" for n, _ in BLOCKS])
def test_a_runnable_readme_block_runs_as_written(
    line: int, commands: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "flows").symlink_to(REPO / "flows")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(system, "clock", lambda: README_DAY)
    monkeypatch.setattr(system, "scheduler_factory", lambda: CrontabStore(FakeCrontab()))
    monkeypatch.setattr(system, "find_edubot", lambda: tmp_path / EDUBOT)
    for command in commands:
        words = shlex.split(command)
        while words and re.match(r"^[A-Z_]+=", words[0]):
            name, _, value = words.pop(0).partition("=")
            monkeypatch.setenv(name, value)
        assert words[0] == EDUBOT, f"README:{line}: `{command}` does not start with {EDUBOT}"
        result = CliRunner().invoke(app, words[1:])
        assert result.exit_code == 0, f"README:{line}: `{command}`\n{result.output}"
