"""An officer's everyday slips, through the CLI: each ends in exit 2 with a Thai and an English
sentence and the fix, never "internal error" (exit 3) and never a stack trace."""

from __future__ import annotations

import re
import socket
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.e2e.conftest import FLOWS, children, write_children

pytestmark = pytest.mark.e2e
STUDENTS = str(FLOWS / "lec" / "students.yaml")
THAI = re.compile(r"[\u0e00-\u0e7f]")


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def _xls(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an OLE2 header
    return path


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield held.getsockname()[1]


# name → (the command line given the scratch folder, the words the answer must carry)
Case = Callable[[Path, int], list[str]]
CASES: dict[str, tuple[Case, str]] = {
    "check, --data missing": (
        lambda d, _: ["check", STUDENTS, "--data", str(d / "missing.xlsx")],
        "does not exist",
    ),
    "run, --data missing": (
        lambda d, _: ["run", STUDENTS, "--data", str(d / "missing.xlsx"), "--dry-run"],
        "does not exist",
    ),
    "run, --data a folder": (
        lambda d, _: ["run", STUDENTS, "--data", str(d), "--dry-run"],
        "is a folder",
    ),
    "check, a folder of flows": (
        lambda d, _: ["check", str(FLOWS / "lec")],
        "is a folder",
    ),
    "check, a .docx": (
        lambda d, _: ["check", STUDENTS, "--data", str(_docx(d / "children.docx"))],
        "not an Excel file",
    ),
    "check, a .docx renamed .xlsx": (
        lambda d, _: ["check", STUDENTS, "--data", str(_docx(d / "children.xlsx"))],
        "not an Excel file",
    ),
    "check, an .xls": (
        lambda d, _: ["check", STUDENTS, "--data", str(_xls(d / "children.xls"))],
        ".xls",
    ),
    "run, an .xls": (
        lambda d, _: ["run", STUDENTS, "--data", str(_xls(d / "children.xls")), "--dry-run"],
        ".xls",
    ),
    "check, text named .xlsx": (
        lambda d, _: ["check", STUDENTS, "--data", str(_text(d / "children.xlsx"))],
        "not an Excel file",
    ),
    "template into a missing folder": (
        lambda d, _: ["template", "students", str(d / "no-such-folder" / "children.xlsx")],
        "mkdir",
    ),
    "mock serve, port busy": (
        lambda d, port: ["mock", "serve", "--lec-port", str(port), "--state-dir", str(d)],
        "--lec-port",
    ),
    "demo --headed, no display": (
        lambda d, _: ["demo", "--headed", "--run-dir", str(d / "demo-run")],
        "--headed",
    ),
    "run --headed, no display": (
        lambda d, _: ["run", STUDENTS, "--data", str(_kids(d)), "--dry-run", "--headed"],
        "--headed",
    ),
}


def _text(path: Path) -> Path:
    path.write_text("national_id,first_name\n", encoding="utf-8")
    return path


def _kids(folder: Path) -> Path:
    return write_children(folder / "kids.xlsx", children(1))


@pytest.mark.parametrize("name", list(CASES))
def test_an_everyday_mistake_is_exit_2_in_thai_and_english_with_the_fix(
    name: str, tmp_path: Path, busy_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("EDUBOT_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # not Thai: both languages by default
    build, words = CASES[name]
    result = CliRunner().invoke(app, build(tmp_path, busy_port))
    said = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), said
    assert result.exit_code == 2, said
    assert THAI.search(said), said
    assert re.search(r"\bfix\b", said, re.IGNORECASE), said
    assert words in said
    assert "Traceback" not in said and "Errno" not in said


def test_check_and_run_agree_on_an_xls(tmp_path: Path) -> None:
    """One reader decides what an .xls is: `check` and `run` give the same answer."""
    data = str(_xls(tmp_path / "children.xls"))
    checked = CliRunner().invoke(app, ["check", STUDENTS, "--data", data])
    ran = CliRunner().invoke(app, ["run", STUDENTS, "--data", data, "--dry-run"])
    assert checked.exit_code == ran.exit_code == 2
    first_problem = next(line for line in ran.output.splitlines() if ".xls" in line)
    assert first_problem in checked.output


def test_a_template_never_overwrites_a_filled_workbook_and_check_warns_of_an_empty_one(
    tmp_path: Path,
) -> None:
    filled = _kids(tmp_path)
    before = filled.read_bytes()
    refused = CliRunner().invoke(app, ["template", "students", str(filled)])
    assert refused.exit_code == 2, refused.output
    assert "--overwrite" in refused.output
    assert filled.read_bytes() == before
    replaced = CliRunner().invoke(app, ["template", "students", str(filled), "--overwrite"])
    assert replaced.exit_code == 0, replaced.output
    checked = CliRunner().invoke(app, ["check", STUDENTS, "--data", str(filled)])
    assert checked.exit_code == 0, checked.output
    assert "holds no records" in checked.output
