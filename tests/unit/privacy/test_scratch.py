"""The browser's scratch folder: this run's own, owner-only, and swept once its process is gone."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from bot.ops.scratch import (
    close_scratch,
    open_scratch,
    scratch_root,
    sweep_dead,
    temporary_folder_for_children,
)


def dead_process_folder(root: Path) -> Path:
    """A scratch folder named as a real process named it, that process since ended."""
    script = (
        "import sys; from pathlib import Path; from bot.ops.scratch import open_scratch; "
        "folder = open_scratch(Path(sys.argv[1])); "
        "(folder / 'playwright-artifacts-x').mkdir(); "
        "(folder / 'playwright-artifacts-x' / 'chunk1.trace').write_text('1103702071005'); "
        "print(folder)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(root.parent)], capture_output=True, text=True, check=True
    )
    return Path(done.stdout.strip())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_scratch_folder_is_this_process_s_and_owner_only(tmp_path: Path) -> None:
    folder = open_scratch(tmp_path)
    assert folder.parent == scratch_root(tmp_path)
    assert folder.name.startswith(f"{os.getpid()}-")
    if os.name == "posix":
        assert mode(folder) == 0o700 and mode(folder.parent) == 0o700
    assert open_scratch(tmp_path) == folder  # a second browser in the same run shares it
    (folder / "leftover").write_text("x")
    close_scratch(folder)
    assert not folder.exists()


def test_the_next_run_sweeps_a_dead_run_s_folder_and_keeps_live_and_unknown_ones(
    tmp_path: Path,
) -> None:
    root = scratch_root(tmp_path)
    dead = dead_process_folder(root)
    assert (dead / "playwright-artifacts-x" / "chunk1.trace").is_file()
    reused_pid = root / f"{os.getpid()}-1"  # this pid, another start time: a pid reused
    reused_pid.mkdir()
    someone_elses = root / "notes"
    someone_elses.mkdir()

    mine = open_scratch(tmp_path)

    assert not dead.exists() and not reused_pid.exists()
    assert mine.is_dir() and someone_elses.is_dir()
    assert sweep_dead(root) == 0  # nothing dead is left; the live folder stays
    assert mine.is_dir()


def test_sweep_counts_the_files_it_removed(tmp_path: Path) -> None:
    root = scratch_root(tmp_path)
    dead = dead_process_folder(root)
    (dead / "Default").mkdir()
    (dead / "Default" / "Cookies").write_text("session")
    assert sweep_dead(root) == 2
    assert sweep_dead(tmp_path / "never-made") == 0


def test_children_get_the_folder_and_this_process_keeps_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", "/somewhere")
    monkeypatch.delenv("TEMP", raising=False)
    before = tempfile.gettempdir()
    with temporary_folder_for_children(tmp_path):
        child = subprocess.run(
            [sys.executable, "-c", "import tempfile; print(tempfile.gettempdir())"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert tempfile.gettempdir() == before
    assert Path(child.stdout.strip()) == tmp_path
    assert os.environ["TMPDIR"] == "/somewhere" and "TEMP" not in os.environ


def test_purge_all_removes_what_killed_runs_left(private_data_dir: Path) -> None:
    dead_process_folder(scratch_root(private_data_dir))
    result = CliRunner().invoke(app, ["purge", "--all", "--yes"])
    assert result.exit_code == 0, result.output
    assert "1 file(s) left by runs that were killed" in result.output
    assert list(scratch_root(private_data_dir).iterdir()) == []
