"""One language setting for every command: `--lang` anywhere on the line, both languages by
default on a non-Thai locale (as README promises)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.app import app, lang_first
from bot.data.demo import demo_students, write_students_xlsx

REPO = Path(__file__).resolve().parents[3]
STUDENTS = str(REPO / "flows" / "lec" / "students.yaml")
THAI = re.compile(r"[\u0e00-\u0e7f]")


@pytest.fixture
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EDUBOT_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


@pytest.mark.parametrize(
    ("command", "english"),
    [
        (["deadlines", "--today", "2026-12-01"], "What is due"),
        (["report", "no-such-run", "--no-open"], "does not exist"),
        (["schedule", "remove", "nothing-here"], "No scheduled run"),
    ],
)
def test_a_non_thai_locale_reads_both_languages(
    cli: CliRunner, english_locale: None, crontab: object, command: list[str], english: str
) -> None:
    result = cli.invoke(app, command)
    assert english in result.output
    assert THAI.search(result.output), result.output


def test_check_takes_lang_like_every_command_and_speaks_only_it(
    cli: CliRunner, english_locale: None, tmp_path: Path
) -> None:
    data = tmp_path / "kids.xlsx"
    write_students_xlsx(data, demo_students(2, seed=3, school_grades=["อนุบาล 1"]))
    thai = cli.invoke(app, ["check", STUDENTS, "--data", str(data), "--lang", "th"])
    assert thai.exit_code == 0, thai.output
    assert "พร้อมส่ง" in thai.output and "ready" not in thai.output
    english = cli.invoke(app, ["--lang", "en", "check", STUDENTS, "--data", str(data)])
    assert "record(s) ready" in english.output and not THAI.search(english.output.split(",")[1])


def test_lang_is_moved_before_the_command_wherever_it_was_typed() -> None:
    assert lang_first(["deadlines", "--lang", "th", "--today", "x"]) == [
        "--lang", "th", "deadlines", "--today", "x",
    ]  # fmt: skip
    assert lang_first(["schedule", "list", "--lang=en"]) == ["--lang=en", "schedule", "list"]
    assert lang_first(["run", "f", "--", "--lang", "th"]) == ["run", "f", "--", "--lang", "th"]


def test_a_flow_error_reads_in_both_languages(
    cli: CliRunner, english_locale: None, tmp_path: Path
) -> None:
    flow = tmp_path / "broken.yaml"
    flow.write_text("name: x\nportal: lec\nsteps:\n  - gotoo: index.jsp\n", encoding="utf-8")
    result = cli.invoke(app, ["check", str(flow)])
    assert result.exit_code == 2
    assert "Failed to parse flow" in result.output and THAI.search(result.output)
