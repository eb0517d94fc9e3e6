"""What a run is made of and what it reports: planned records, their results, the hooks.

Shared by the runner, the pipeline, the report and the console; it imports nothing of theirs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.flow.model import Flow


@dataclass(frozen=True)
class PlannedRecord:
    """One input row, ready to bind: its portal values and where it came from."""

    index: int
    key: str  # the record's identity (national ID); never shown unmasked
    masked_key: str
    values: Mapping[str, str]
    sheet: str = ""
    row: int = 0


@dataclass(frozen=True)
class RecordResult:
    """What happened to one record."""

    record: PlannedRecord
    status: str  # added, updated, unchanged, verified, submitted, skipped, failed
    message: str = ""
    duration_s: float = 0.0
    attempts: int = 1
    screenshot: Path | None = None  # the page as the record failed
    receipts: tuple[Path, ...] = ()  # screenshots the flow took on purpose (e.g. a status row)
    trace: Path | None = None  # Playwright trace of the failed record's last attempt
    cleared: tuple[str, ...] = ()  # form labels emptied on the portal at the officer's dash


class RecordTracer(Protocol):
    """Keeps a Playwright trace per record, and only the failed ones."""

    def begin(self, attempt: int) -> None: ...
    def discard(self) -> None: ...
    def keep(self, path: Path) -> Path | None: ...


class NoTracer:
    """Tracing off."""

    def begin(self, attempt: int) -> None:
        pass

    def discard(self) -> None:
        pass

    def keep(self, path: Path) -> Path | None:
        return None


class RunListener(Protocol):
    """Paired hooks the runner calls; progress bars, reports and the journal listen."""

    def start_run(self, flow: Flow, total: int) -> None: ...
    def start_record(self, record: PlannedRecord) -> None: ...
    def end_record(self, result: RecordResult) -> None: ...
    def end_run(self) -> None: ...
