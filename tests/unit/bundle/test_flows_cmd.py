"""`edubot flows list|copy`, `edubot config path`, and what `edubot doctor` says of copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot import bundle, flows_catalogue
from bot.cli.app import app
from bot.flows_catalogue import copy_flow, entries
from bot.ops.install_checks import check_config_overrides, check_file_keyring, check_flow_copies
from bot.paths import data_dir


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDUBOT_LANG", "en")


def test_flows_list_names_each_flow_with_its_thai_description() -> None:
    done = CliRunner().invoke(app, ["flows", "list"])
    assert done.exit_code == 0, done.output
    line = next(ln for ln in done.output.splitlines() if ln.strip().startswith("lec/students "))
    assert "เพิ่มหรือปรับปรุงข้อมูลนักเรียน" in line
    assert "esar/upload_sar" in done.output
    assert not any(ln.startswith("*") for ln in done.output.splitlines())  # no copies yet


def test_flows_copy_then_list_marks_the_copy() -> None:
    cli = CliRunner()
    done = cli.invoke(app, ["flows", "copy", "lec/student_form"])
    assert done.exit_code == 0, done.output
    copy = bundle.user_flows_dir() / "lec" / "student_form.yaml"
    assert copy.is_file()
    assert str(copy) in done.output
    listed = cli.invoke(app, ["flows", "list"]).output
    assert any(ln.startswith("* lec/student_form") for ln in listed.splitlines())
    assert f"your copy: {copy}" in listed


def test_flows_copy_of_an_unknown_name_exits_2_with_the_names() -> None:
    done = CliRunner().invoke(app, ["flows", "copy", "lec/nope"])
    assert done.exit_code == 2
    assert "no flow named lec/nope" in done.output
    assert "lec/students" in done.output


def test_flows_copy_twice_keeps_the_officers_edits() -> None:
    cli = CliRunner()
    assert cli.invoke(app, ["flows", "copy", "lec/save"]).exit_code == 0
    copy = bundle.user_flows_dir() / "lec" / "save.yaml"
    copy.write_text(copy.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    again = cli.invoke(app, ["flows", "copy", "lec/save"])
    assert again.exit_code == 2
    assert "--overwrite" in again.output
    assert copy.read_text(encoding="utf-8").endswith("# mine\n")


def test_config_path_says_both_folders() -> None:
    bundle.user_config_file("settings.yaml").parent.mkdir(parents=True, exist_ok=True)
    bundle.user_config_file("settings.yaml").write_text("retries: {attempts: 2}\n")
    done = CliRunner().invoke(app, ["config", "path"])
    assert done.exit_code == 0, done.output
    assert f"your folder: {bundle.user_dir()}" in done.output
    assert f"{bundle.user_config_file('settings.yaml')}  (present)" in done.output
    assert f"{bundle.user_config_file('deadlines.yaml')}  (absent)" in done.output
    assert f"edubot's defaults: {bundle.bundled_config_dir()}" in done.output
    assert f"edubot's data (runs): {data_dir()}" in done.output


def test_doctor_says_no_copies_then_which_copy_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (only,) = check_flow_copies(entries(), bundle.user_flows_dir())
    assert only.status == "ok"
    assert "edubot's own run" in only.detail
    shipped = tmp_path / "flows"
    shutil.copytree(bundle.bundled_flows_dir(), shipped)
    monkeypatch.setattr(flows_catalogue, "bundled_flows_dir", lambda: shipped)
    copy = copy_flow("lec/student_form")
    (same,) = check_flow_copies(entries(), bundle.user_flows_dir())
    assert same.status == "ok"
    assert str(copy) in same.detail
    assert "unchanged" in same.detail
    newer = shipped / "lec" / "student_form.yaml"
    newer.write_text(newer.read_text(encoding="utf-8") + "# a fix\n", encoding="utf-8")
    (changed,) = check_flow_copies(entries(), bundle.user_flows_dir())
    assert changed.status == "warn"
    assert "changed since you copied it" in changed.detail
    assert "--overwrite" in changed.fix_en


def test_doctor_fails_a_copy_that_no_longer_loads() -> None:
    copy = copy_flow("lec/save")
    copy.write_text("name: broken\nportal: lec\nsteps:\n  - nonsense: 1\n", encoding="utf-8")
    results = check_flow_copies(entries(), bundle.user_flows_dir())
    assert results[0].status == "fail"
    assert "save.yaml" in results[0].name_en


def test_doctor_names_the_officers_config_files() -> None:
    assert "edubot's defaults" in check_config_overrides(bundle.user_dir()).detail
    bundle.user_config_file("deadlines.yaml").parent.mkdir(parents=True, exist_ok=True)
    bundle.user_config_file("deadlines.yaml").write_text("display: {ahead_days: 30}\n")
    detail = check_config_overrides(bundle.user_dir()).detail
    assert detail.startswith("deadlines.yaml in ")


def test_doctor_warns_of_a_plaintext_password_file() -> None:
    assert check_file_keyring(None) == []
    assert check_file_keyring("keyring.backends.SecretService.Keyring") == []
    (warning,) = check_file_keyring("keyrings.alt.file.PlaintextKeyring")
    assert warning.status == "warn"
    assert "not encrypted" in warning.detail
