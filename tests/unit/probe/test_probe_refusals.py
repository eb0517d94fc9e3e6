"""`edubot probe` refuses a bad flow or data file as `run` does: exit 2, before any browser."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.cli.app import app

REPO = Path(__file__).resolve().parents[3]
STUDENTS = str(REPO / "flows" / "lec" / "students.yaml")


def test_a_flow_with_an_unknown_step_is_refused_naming_its_line(tmp_path: Path) -> None:
    flow = tmp_path / "bad.yaml"
    flow.write_text("name: x\nportal: lec\nsteps:\n  - clik: บันทึก\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["probe", str(flow), "--run-dir", str(tmp_path / "r")])
    assert result.exit_code == 2, result.output
    assert "bad.yaml:4" in result.output and "clik" in result.output


def test_a_data_file_with_errors_is_refused_before_the_portal(tmp_path: Path) -> None:
    data = tmp_path / "kids.csv"
    data.write_text("เลขประจำตัวประชาชน,ชื่อ\n123,สมชาย\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["probe", STUDENTS, "--data", str(data), "--run-dir", str(tmp_path / "r")]
    )
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "r").exists()  # refused before the portal: no run folder


def test_a_flow_that_needs_a_var_is_refused_without_it(tmp_path: Path) -> None:
    flow = str(REPO / "flows" / "lec" / "lgo_students.yaml")
    result = CliRunner().invoke(app, ["probe", flow, "--run-dir", str(tmp_path / "r")])
    assert result.exit_code == 2, result.output
    assert "--var org" in result.output


def test_a_capture_folder_that_holds_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["probe", STUDENTS, "--capture", str(tmp_path / "pages"), "--run-dir", str(tmp_path / "r")],
    )
    assert result.exit_code == 2, result.output
    assert "empty" in result.output
    assert (tmp_path / "pages" / "notes.txt").read_text(encoding="utf-8") == "mine"
