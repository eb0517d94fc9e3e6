"""report.json: what a run did, record by record, with personal data masked."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot import __version__
from bot.engine.records import PlannedRecord, RecordResult
from bot.engine.troubles import PortalTroubles
from bot.flow.model import Flow
from bot.log import redact

STATUSES = ("added", "updated", "unchanged", "verified", "submitted", "skipped", "failed")


def write_private(path: Path, text: str) -> None:
    """Write a file readable by its owner only (it may describe children).

    On Windows the mode bits set only the read-only flag (0o600 leaves the file writable, and
    raises nothing); there the file is private through the access list of the folder it is in,
    the user's own profile (edubot's data folder is under %LOCALAPPDATA%, bot/paths.py).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(0o600)


@dataclass
class ReportBuilder:
    """A RunListener that collects record results and writes report.json."""

    run_dir: Path
    portal_url: str
    dry_run: bool
    record_fields: tuple[str, ...] = ()  # the flow's `input.report`: copied per record
    flow: Flow | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now().astimezone())
    results: list[RecordResult] = field(default_factory=list)
    aborted: str = ""  # why the run stopped before its records were done, if it did
    planned: int = 0  # records the run set out to do (a stopped run did fewer)
    extracted: dict[str, list[list[str]] | str] = field(default_factory=dict)  # `extract` steps
    planned_records: tuple[PlannedRecord, ...] = ()  # for `left`: what a re-run would finish
    troubles: PortalTroubles | None = None  # retries, pauses: what the portal did

    def abort(self, reason: str) -> None:
        self.aborted = redact(reason)

    def start_run(self, flow: Flow, total: int) -> None:
        self.flow = flow
        self.planned = total

    def start_record(self, record: PlannedRecord) -> None:
        pass

    def end_record(self, result: RecordResult) -> None:
        self.results.append(result)

    def end_run(self) -> None:
        pass

    def totals(self) -> dict[str, int]:
        counts = Counter(r.status for r in self.results)
        return {"records": len(self.results), **{s: counts.get(s, 0) for s in STATUSES}}

    def exit_code(self) -> int:
        return 1 if self.aborted or any(r.status == "failed" for r in self.results) else 0

    def as_dict(self) -> dict[str, Any]:
        finished = datetime.now().astimezone()
        flow = self.flow
        return {
            "edubot_version": __version__,
            "flow": {
                "name": flow.name if flow else "",
                "path": flow.path if flow else "",
                "portal": flow.portal if flow else "",
            },
            "portal_url": self.portal_url,
            "dry_run": self.dry_run,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "finished_at": finished.isoformat(timespec="seconds"),
            "duration_s": round((finished - self.started_at).total_seconds(), 3),
            "totals": self.totals(),
            "planned": self.planned,
            "records": [
                self._record(r) for r in sorted(self.results, key=lambda r: r.record.index)
            ],
            "aborted": self.aborted or None,
            "extracted": self.extracted,
            "exit_code": self.exit_code(),
            "portal_troubles": self.troubles.as_dict() if self.troubles else None,
            "left": self.left(),
        }

    def left(self) -> list[dict[str, Any]]:
        """The planned records not done: never reached (a stopped run), or failed. Running the
        same command again finishes them (the journal skips what is done)."""
        done = {r.record.index for r in self.results if r.status != "failed"}
        return [
            {"index": r.index, "key": r.masked_key, "sheet": r.sheet, "row": r.row}
            for r in self.planned_records
            if r.index not in done
        ]

    def _record(self, result: RecordResult) -> dict[str, Any]:
        rec = result.record
        shot = result.screenshot
        return {
            "index": rec.index,
            "key": rec.masked_key,
            "sheet": rec.sheet,
            "row": rec.row,
            "status": result.status,
            "message": result.message,
            "attempts": result.attempts,
            "duration_s": round(result.duration_s, 3),
            "screenshot": self._relative(shot),
            "receipts": [self._relative(p) for p in result.receipts],
            "trace": self._relative(result.trace),
            "cleared": list(result.cleared),
            **{name: rec.values.get(name, "") for name in self.record_fields},
        }

    def _relative(self, path: Path | None) -> str | None:
        if path is None:
            return None
        return (
            str(path.relative_to(self.run_dir)) if path.is_relative_to(self.run_dir) else str(path)
        )

    def write(self) -> Path:
        """Write run_dir/report.json and report.html beside it (owner-only); return the json."""
        from bot.engine.report_html import (
            write_report_html,  # jinja2 loads only when a report is written
        )

        data = self.as_dict()
        path = self.run_dir / "report.json"
        write_private(path, json.dumps(data, ensure_ascii=False, indent=2))
        write_report_html(data, self.run_dir)
        return path
