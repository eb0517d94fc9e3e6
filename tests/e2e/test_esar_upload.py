"""`edubot run flows/esar/upload_sar.yaml` against the mock e-SAR: upload, submit, read back."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli.app import app
from bot.portals.esar.demo import write_demo_manifest, write_demo_pdf
from bot.portals.esar.files import sha256_of
from mock_portals.serve import ServedApp
from tests.conftest import mock_state
from tests.e2e.conftest import FLOWS

pytestmark = pytest.mark.e2e
UPLOAD_FLOW = str(FLOWS / "esar" / "upload_sar.yaml")


@pytest.fixture
def qa_login(esar: ServedApp, monkeypatch: pytest.MonkeyPatch, no_keyring: None) -> ServedApp:
    monkeypatch.setenv("EDUBOT_ESAR_URL", esar.url)
    monkeypatch.setenv("EDUBOT_ESAR_USERNAME", "qa")
    monkeypatch.setenv("EDUBOT_ESAR_PASSWORD", "demo")
    return esar


def report(run_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    return data


def submitted(esar: ServedApp) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {
        (s["school_code"], str(s["academic_year"]), s["level"]): s
        for s in mock_state(esar)["submissions"]
        if s["status"] == "submitted"
    }


def run(cli: CliRunner, manifest: Path, run_dir: Path) -> Any:
    return cli.invoke(
        app, ["run", UPLOAD_FLOW, "--data", str(manifest), "--run-dir", str(run_dir), "--confirm"]
    )


def test_every_school_is_uploaded_and_the_stored_bytes_match(
    cli: CliRunner, qa_login: ServedApp, tmp_path: Path
) -> None:
    manifest = write_demo_manifest(tmp_path / "sar")
    result = run(cli, manifest, tmp_path / "r1")
    assert result.exit_code == 0, result.output

    records = report(tmp_path / "r1")["records"]
    assert records and all(r["status"] == "submitted" for r in records)
    stored = submitted(qa_login)
    assert len(stored) == len(records)
    for record in records:
        slot = (record["school_code"], record["academic_year"], record["level"])
        local = tmp_path / "sar" / "pdf" / record["file_name"]
        assert stored[slot]["sha256"] == sha256_of(local) == record["sha256"]
        assert stored[slot]["size"] == local.stat().st_size
        receipt = tmp_path / "r1" / record["receipts"][0]
        assert receipt.read_bytes().startswith(b"\x89PNG")
        assert receipt.stem.endswith(record["level"])  # ขั้นพื้นฐาน, not ข_นพ_นฐาน


def test_a_rerun_with_the_same_files_uploads_nothing(
    cli: CliRunner, qa_login: ServedApp, tmp_path: Path
) -> None:
    manifest = write_demo_manifest(tmp_path / "sar")
    assert run(cli, manifest, tmp_path / "r1").exit_code == 0
    uploads_before = mock_state(qa_login)["requests"].get("POST /upload", 0)

    result = run(cli, manifest, tmp_path / "r2")
    assert result.exit_code == 0, result.output
    assert {r["status"] for r in report(tmp_path / "r2")["records"]} == {"verified"}
    assert mock_state(qa_login)["requests"].get("POST /upload", 0) == uploads_before


def test_a_changed_file_replaces_the_submission(
    cli: CliRunner, qa_login: ServedApp, tmp_path: Path
) -> None:
    manifest = write_demo_manifest(tmp_path / "sar")
    assert run(cli, manifest, tmp_path / "r1").exit_code == 0
    first = report(tmp_path / "r1")["records"][0]
    changed = tmp_path / "sar" / "pdf" / first["file_name"]
    write_demo_pdf(changed, "ฉบับแก้ไข ปรับปรุงใหม่ทั้งเล่ม", int(first["academic_year"]))

    result = run(cli, manifest, tmp_path / "r2")
    assert result.exit_code == 0, result.output
    statuses = [r["status"] for r in report(tmp_path / "r2")["records"]]
    assert statuses[0] == "submitted" and set(statuses[1:]) == {"verified"}
    slot = (first["school_code"], first["academic_year"], first["level"])
    assert submitted(qa_login)[slot]["sha256"] == sha256_of(changed)


def test_a_bad_manifest_exits_2_and_uploads_nothing(
    cli: CliRunner, qa_login: ServedApp, tmp_path: Path
) -> None:
    manifest = write_demo_manifest(tmp_path / "sar")
    (tmp_path / "sar" / "pdf" / "fake.pdf").write_text("not a pdf", encoding="utf-8")
    book = load_workbook(manifest)
    sheet = book["SAR"]
    sheet["E2"] = "pdf/fake.pdf"
    sheet["E3"] = "../../etc/passwd"
    book.save(manifest)

    result = run(cli, manifest, tmp_path / "r")
    assert result.exit_code == 2, result.output
    assert "E2" in result.output and "E3" in result.output
    assert mock_state(qa_login)["submissions"] == []


def test_real_portal_submit_needs_confirm(cli: CliRunner, tmp_path: Path) -> None:
    manifest = write_demo_manifest(tmp_path / "sar")
    result = cli.invoke(app, ["run", UPLOAD_FLOW, "--data", str(manifest)])
    assert result.exit_code == 2
    assert "--confirm" in result.output and "Nothing was sent" in result.output


def test_text_encrypted_truncated_and_oversized_pdfs_are_each_named_and_nothing_is_uploaded(
    cli: CliRunner, qa_login: ServedApp, tmp_path: Path
) -> None:
    from pypdf import PdfReader, PdfWriter

    manifest = write_demo_manifest(tmp_path / "sar")
    pdfs = tmp_path / "sar" / "pdf"
    good = sorted(pdfs.glob("*.pdf"))[0]

    (pdfs / "renamed.pdf").write_text("รายงาน SAR (this is a text file)", encoding="utf-8")
    writer = PdfWriter(clone_from=PdfReader(good))
    writer.encrypt("owner-password")
    writer.write(pdfs / "encrypted.pdf")
    (pdfs / "truncated.pdf").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    big = PdfWriter(clone_from=PdfReader(good))
    big.add_attachment("annex.bin", os.urandom(21 * 1024 * 1024))  # over e-SAR's 20 MB
    big.write(pdfs / "oversized.pdf")

    book = load_workbook(manifest)
    sheet = book["SAR"]
    assert sheet["A4"].value and not sheet["A5"].value  # the demo's three slots: rows 2-4
    for column in "ABCDEFG":  # a fourth row, for the oversized file
        sheet[f"{column}5"] = sheet[f"{column}4"].value
    files = {2: "renamed.pdf", 3: "encrypted.pdf", 4: "truncated.pdf", 5: "oversized.pdf"}
    for row, name in files.items():
        sheet[f"E{row}"] = f"pdf/{name}"
    book.save(manifest)

    result = run(cli, manifest, tmp_path / "r")
    assert result.exit_code == 2, result.output
    reasons = {2: "ไม่ใช่ PDF", 3: "รหัสผ่าน", 4: "อ่านไฟล์ PDF ไม่ได้", 5: "เกินกำหนด 20 MB"}
    for row, reason in reasons.items():
        line = next(
            line for line in result.output.splitlines() if f"E{row} (" in line and reason in line
        )
        assert files[row] in line
    assert mock_state(qa_login)["submissions"] == []
    assert not any(route.startswith("POST") for route in mock_state(qa_login)["requests"])
