"""`prefetch_sheets` and `prefetch_students`: the workbook read (and checked) while the browser
starts is the one the run uses, and only while it is the same file, day and masking."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.data import readers, sources
from bot.data.errors import RuleError

from .builders import valid_row, write_flat


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every real read of a file, in order."""
    seen: list[Path] = []
    real = sources._load_sheets

    def counting(path: Path, limits: sources.ReadLimits) -> list[sources.RawSheet]:
        seen.append(path)
        return real(path, limits)

    monkeypatch.setattr(sources, "_load_sheets", counting)
    monkeypatch.setattr(sources, "_prefetched", {})
    monkeypatch.setattr(readers, "_checked_ahead", {})
    return seen


def test_the_prefetched_copy_is_taken_once(tmp_path: Path, reads: list[Path]) -> None:
    path = write_flat(tmp_path / "kids.xlsx", [valid_row()])
    sources.prefetch_sheets(path)
    first = sources.load_sheets(path)
    again = sources.load_sheets(path)
    assert reads == [path, path]  # the prefetch, then the second load: the first took the copy
    assert first == again and first[0].rows[1]


def test_a_file_changed_after_the_prefetch_is_read_again(tmp_path: Path, reads: list[Path]) -> None:
    path = write_flat(tmp_path / "kids.xlsx", [valid_row()])
    sources.prefetch_sheets(path)
    write_flat(path, [valid_row(), valid_row()])
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    sheets = sources.load_sheets(path)
    assert len(reads) == 2
    assert len([row for row in sheets[0].rows if any(row)]) == 3  # header and both children
    assert sources._prefetched == {}


def test_another_file_is_read_and_the_copy_dropped(tmp_path: Path, reads: list[Path]) -> None:
    one = write_flat(tmp_path / "one.xlsx", [valid_row()])
    two = write_flat(tmp_path / "two.xlsx", [valid_row()])
    sources.prefetch_sheets(one)
    sources.load_sheets(two)
    assert reads == [one, two] and sources._prefetched == {}


def test_a_bad_file_is_left_for_the_real_load_to_report(tmp_path: Path, reads: list[Path]) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    sources.prefetch_sheets(path)  # no exception here
    sources.prefetch_sheets(tmp_path / "missing.xlsx")
    assert sources._prefetched == {}
    with pytest.raises(RuleError, match=r"\.xls"):
        sources.load_sheets(path)


def _two_children(tmp_path: Path) -> Path:
    return write_flat(
        tmp_path / "kids.xlsx",
        [valid_row(), valid_row(national_id="3309900123451", first_name="มานี")],
    )


def test_the_checked_copy_is_the_checks_own_answer_and_taken_once(
    tmp_path: Path, reads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _two_children(tmp_path)
    readers.prefetch_students(path)
    checks: list[object] = []
    real_check = readers._students_of

    def counting_check(*args: Any) -> readers.StudentTable:
        checks.append(args)
        return real_check(*args)

    monkeypatch.setattr(readers, "_students_of", counting_check)

    ahead = readers.read_students(path)
    assert reads == [path] and checks == []  # read and checked once, ahead
    assert sources._prefetched == {} and readers._checked_ahead == {}  # nothing kept twice
    again = readers.read_students(path)
    assert reads == [path, path] and len(checks) == 1
    assert ahead == again and [r.row for r in ahead.rows] == [2, 3]


def test_a_flow_that_reads_the_file_as_a_table_still_finds_the_sheets_read_ahead(
    tmp_path: Path, reads: list[Path]
) -> None:
    path = _two_children(tmp_path)
    readers.prefetch_students(path)
    sheets = sources.load_sheets(path)
    assert reads == [path] and len(sheets[0].rows) == 3


def test_a_file_changed_after_the_check_ahead_is_checked_again(
    tmp_path: Path, reads: list[Path]
) -> None:
    path = _two_children(tmp_path)
    readers.prefetch_students(path)
    write_flat(path, [valid_row(national_id="12345")])  # a bad ID now
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    table = readers.read_students(path)
    assert len(reads) == 2 and table.has_errors and table.rows == ()


@pytest.mark.parametrize(
    "asked",
    [
        {"today": date.today() + timedelta(days=1)},  # past midnight: ages move on a day
        {"show_personal": True},  # `check --show-personal-data`: problems unmasked
        {"sheet": "Sheet"},
    ],
)
def test_a_check_asked_differently_is_made_again(
    tmp_path: Path, reads: list[Path], asked: dict[str, object]
) -> None:
    path = _two_children(tmp_path)
    readers.prefetch_students(path)
    readers.read_students(path, **asked)  # type: ignore[arg-type]
    assert reads == [path]  # the sheets read ahead were used…
    assert readers._checked_ahead == {}  # …but not the check, which is dropped
    readers.read_students(path)
    assert reads == [path, path]


def test_a_file_that_cannot_be_checked_ahead_is_left_for_the_real_read(
    tmp_path: Path, reads: list[Path]
) -> None:
    legacy = tmp_path / "old.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    readers.prefetch_students(legacy)  # no exception here
    readers.prefetch_students(tmp_path / "missing.xlsx")
    assert readers._checked_ahead == {}
    table = readers.read_students(legacy)
    assert [p.message_en for p in table.problems] == ["Legacy .xls files are not supported."]
