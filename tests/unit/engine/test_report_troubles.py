"""What the portal did, in report.json and report.html: retries, pauses, the records left."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.engine.records import PlannedRecord, RecordResult
from bot.engine.report import ReportBuilder
from bot.engine.troubles import PortalTroubles

UTC_NOON = datetime(2026, 12, 4, 5, 0, tzinfo=UTC)


def planned(count: int) -> tuple[PlannedRecord, ...]:
    return tuple(
        PlannedRecord(i, f"110370207100{i}", f"1-1037-xxxxx-0{i}-x", {}, "นักเรียน", i + 1)
        for i in range(1, count + 1)
    )


def test_retries_pauses_and_the_records_left_are_reported(tmp_path: Path) -> None:
    clock = iter(UTC_NOON + timedelta(seconds=s) for s in range(0, 10_000, 30))
    troubles = PortalTroubles(now=lambda: next(clock))
    troubles.retry("record 1", 1, "transient", 0.7, "the portal answered 500: ระบบขัดข้อง")
    troubles.retry("record 2", 1, "unsure", 1.5, "id 1103702071009 not found")
    pause = troubles.paused("HTTP 503 (https://lec.dla.go.th/student/form.do)")
    troubles.probed(pause, False)
    troubles.stopped(pause, 1800.0)
    records = planned(3)
    report = ReportBuilder(tmp_path, "https://lec.dla.go.th", False)
    report.planned_records, report.troubles = records, troubles
    report.end_record(RecordResult(records[0], "added"))
    report.end_record(RecordResult(records[1], "failed", "the portal did not answer"))
    report.abort("The portal did not answer for 30:00; edubot stopped.")

    data = json.loads(report.write().read_text(encoding="utf-8"))

    assert [r["index"] for r in data["left"]] == [2, 3]
    assert data["left"][0] == {"index": 2, "key": "1-1037-xxxxx-02-x", "sheet": "นักเรียน", "row": 3}
    said = data["portal_troubles"]
    assert said["retries"] == 2 and said["retries_by_kind"] == {"transient": 1, "unsure": 1}
    assert said["retry_wait_s"] == 2.2 and said["paused_s"] == 1800.0
    assert said["pauses"][0]["gave_up"] and said["pauses"][0]["probes"] == 1
    assert "1103702071009" not in json.dumps(data), "no national ID in the report"
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'data-trouble="retries">2<' in html and 'data-trouble="pauses">1<' in html
    assert "12:01:30 น. (UTC+7)" in html, "pause times in Thai time"
    assert 'id="left"' in html and "1-1037-xxxxx-03-x" in html


def test_a_run_the_portal_never_troubled_shows_no_troubles_section(tmp_path: Path) -> None:
    records = planned(1)
    report = ReportBuilder(tmp_path, "https://lec.dla.go.th", False)
    report.planned_records, report.troubles = records, PortalTroubles()
    report.end_record(RecordResult(records[0], "added"))

    data = json.loads(report.write().read_text(encoding="utf-8"))

    assert data["left"] == [] and data["portal_troubles"]["retries"] == 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'id="portal-troubles"' not in html and 'id="left"' not in html
