"""The run lock within one process: a round's steps take their own account's lock again without
waiting for themselves; the note of who holds it lives exactly as long as the lock."""

from __future__ import annotations

import json
import os
from pathlib import Path

from bot.engine.runlock import AccountKey, holding, locks_dir

SCHOOL = AccountKey("lec", "https://lec.dla.go.th", "school")


def test_a_round_holding_the_lock_lets_its_own_steps_take_it_again(tmp_path: Path) -> None:
    with holding(tmp_path, [SCHOOL, SCHOOL], "round เทศบาลตำบลบ้านเป็ด"):
        with holding(tmp_path, [SCHOOL], "lec-students"):
            (note,) = locks_dir(tmp_path).glob("*.json")
            held = json.loads(note.read_text(encoding="utf-8"))
            # The round is named, not the step: it is the round that holds the account.
            assert held["pid"] == os.getpid() and held["flow"] == "round เทศบาลตำบลบ้านเป็ด"
        assert note.exists()  # the round still holds it after its step
    assert not note.exists()


def test_lock_files_are_the_owners_alone_and_name_no_account(tmp_path: Path) -> None:
    with holding(tmp_path, [SCHOOL], "lec-students"):
        files = list(locks_dir(tmp_path).iterdir())
        assert {p.suffix for p in files} == {".lock", ".json"}
        for path in files:
            assert path.stat().st_mode & 0o077 == 0, path
            assert "school" not in path.name and "dla" not in path.name
    assert locks_dir(tmp_path).stat().st_mode & 0o077 == 0
