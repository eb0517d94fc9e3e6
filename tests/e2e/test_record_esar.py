"""`edubot record --portal esar`: a QA officer's one SAR upload, clicked through the mock e-SAR,
becomes a flow that uploads and submits every SAR of a manifest, each to its own school; and
through the command, the probe that follows walks the manifest given with `--data`."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import httpx
import pytest
import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli.app import app
from bot.portals.esar.demo import write_demo_manifest
from bot.portals.esar.files import sha256_of
from bot.record.session import Recorder
from bot.record.writer import write_flow
from mock_portals.serve import ServedApp
from tests.conftest import mock_state
from tests.e2e.record_helpers import (
    FakePrompt,
    mark_expected,
    record_headless_in,
    recording_context,
    settled,
)

pytestmark = pytest.mark.e2e
SENT = "ส่งรายงาน SAR เรียบร้อยแล้ว"


@pytest.fixture
def qa_login(esar: ServedApp, monkeypatch: pytest.MonkeyPatch, no_keyring: None) -> ServedApp:
    monkeypatch.setenv("EDUBOT_ESAR_URL", esar.url)
    monkeypatch.setenv("EDUBOT_ESAR_USERNAME", "qa")
    monkeypatch.setenv("EDUBOT_ESAR_PASSWORD", "demo")
    return esar


def test_one_recorded_upload_becomes_a_flow_that_sends_every_sar_to_its_school(
    cli: CliRunner, qa_login: ServedApp, tmp_path: Path
) -> None:
    manifest = write_demo_manifest(tmp_path / "sar")
    rows = [
        [cell.value for cell in row]
        for row in load_workbook(manifest)["SAR"].iter_rows(min_row=2)
        if row[0].value
    ]
    assert len({row[0] for row in rows}) == 2  # two schools: the recorded one is not every one
    code, _name, year, level, pdf = rows[-1][:5]
    prompt = FakePrompt(True)
    with recording_context() as context:
        recorder = Recorder(context, portal="esar", base_url=qa_login.url, hold=False, ask=prompt)
        page = recorder.page
        recorder.start(f"{qa_login.url}/")
        page.get_by_label("ชื่อผู้ใช้ (รหัสสถานศึกษา)").fill("qa")
        page.get_by_label("รหัสผ่าน").fill("demo")
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.goto(f"{qa_login.url}/upload")  # the person types the upload page's address
        page.get_by_label("สถานศึกษา", exact=True).select_option(value=code)
        page.get_by_label("ปีการศึกษา").select_option(label=year)
        page.get_by_label("ระดับการศึกษา").select_option(label=level)
        page.get_by_label("ไฟล์รายงาน SAR (PDF)").set_input_files(tmp_path / "sar" / pdf)
        page.get_by_role("button", name="อัปโหลด").click()
        page.get_by_role("button", name="ยืนยันการส่ง").click()  # its confirm(): asked
        mark_expected(page, SENT)
        settled(page)
    assert len(prompt.questions) == 1

    written = write_flow("send-sar", "esar", recorder.steps)
    assert written.unbound == ()
    text = written.text
    assert "demo" not in text and "css" not in text
    # No file name, and no school but in the address verify reads back (its comment asks to
    # check it): the school is each record's.
    assert "sar-" not in text and code not in text.split("verify:")[0]
    flow = yaml.safe_load(text)
    assert {"fill": {"label": "ชื่อผู้ใช้ (รหัสสถานศึกษา)", "value": "${secret.esar.username}"}} in (
        flow["steps"]
    )
    loop = next(step for step in flow["steps"] if "for_each" in step)["steps"]
    assert loop[:5] == [
        {"goto": "upload"},
        {"select": {"label": "สถานศึกษา", "option": "${record.school_code}"}},
        {"select": {"label": "ปีการศึกษา", "option": "${record.academic_year}"}},
        {"select": {"label": "ระดับการศึกษา", "option": "${record.level}"}},
        {"upload": {"label": "ไฟล์รายงาน SAR (PDF)", "file": "${record.pdf}"}},
    ]
    send = next(s["click"] for s in loop if s.get("click", {}).get("name") == "ยืนยันการส่ง")
    assert send["irreversible"] is True
    assert send["dialog"] == {"accept": "ยืนยันการส่งรายงาน SAR"}  # not one school's name
    flow_file = tmp_path / "send-sar.yaml"
    flow_file.write_text(text, encoding="utf-8")

    httpx.post(f"{qa_login.url}/_mock/reset").raise_for_status()
    ran = cli.invoke(
        app,
        ["run", str(flow_file), "--data", str(manifest), "--confirm", "--run-dir", str(tmp_path)],
    )
    assert ran.exit_code == 0, ran.output
    stored = {
        (s["school_code"], str(s["academic_year"]), s["level"]): s
        for s in mock_state(qa_login)["submissions"]
        if s["status"] == "submitted"
    }
    assert sorted(stored) == sorted((r[0], r[2], r[3]) for r in rows)
    for row in rows:
        assert stored[(row[0], row[2], row[3])]["sha256"] == sha256_of(tmp_path / "sar" / row[4])


class ChoosingASlot(Recorder):
    """The window `edubot record --login` opens: the person opens the upload page, chooses a
    school, a year and a level, and closes it (no file, nothing sent)."""

    portal_url: ClassVar[str] = ""

    def start(self, url: str) -> None:
        super().start(url)
        page = self.page
        page.goto(f"{self.portal_url}/upload")
        for label in ("สถานศึกษา", "ปีการศึกษา", "ระดับการศึกษา"):
            page.get_by_label(label, exact=True).select_option(index=1)
        settled(page)
        page.close()


@pytest.mark.parametrize("with_data", [True, False])
def test_the_probe_after_recording_walks_the_manifest_given(
    cli: CliRunner,
    qa_login: ServedApp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    with_data: bool,
) -> None:
    manifest = write_demo_manifest(tmp_path / "sar")
    record_headless_in(tmp_path, ChoosingASlot, monkeypatch)
    monkeypatch.setattr(ChoosingASlot, "portal_url", qa_login.url)
    data = ["--data", str(manifest)] if with_data else []
    result = cli.invoke(app, ["record", "choose", "--portal", "esar", "--login", *data])
    flow = yaml.safe_load((tmp_path / "choose.yaml").read_text(encoding="utf-8"))
    assert flow["steps"][0] == {"run": "esar/login"}
    if with_data:
        assert result.exit_code == 0, result.output
        assert "passed: every" in result.output, result.output[-1500:]
    else:  # a SAR cannot be made up: the probe says so, and how to run it again
        assert result.exit_code == 2, result.output
        assert "edubot probe choose.yaml --data SAR-MANIFEST.xlsx" in result.output
    assert not [s for s in mock_state(qa_login)["submissions"] if s["status"] == "submitted"]
