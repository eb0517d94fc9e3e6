"""`prefetch_sheets`: the workbook read while the browser starts is the one the check reads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.data import sources
from bot.data.errors import RuleError
from bot.entry import data_argument

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


@pytest.mark.parametrize(
    ("argv", "data"),
    [
        (["run", "flows/lec/students.yaml", "--data", "kids.xlsx"], "kids.xlsx"),
        (["run", "flows/lec/students.yaml", "--data=ชื่อ เด็ก.xlsx", "--workers", "2"], "ชื่อ เด็ก.xlsx"),
        (["--lang", "en", "run", "f.yaml", "--dry-run"], None),
        (["run", "f.yaml", "--data"], None),
    ],
)
def test_the_data_argument_is_found_as_run_reads_it(argv: list[str], data: str | None) -> None:
    assert data_argument(argv) == data
