"""What listens to a run besides the caller's listener: the journal, and the fan that calls
every listener in turn; and the journal's answer to "was this record done in an earlier run?"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.engine.journal import Journal, digest_values, open_run_journal, state_for
from bot.engine.planning import Prepared
from bot.engine.records import PlannedRecord, RecordResult, RunListener
from bot.flow.model import Flow
from bot.i18n import say


def open_journal(prepared: Prepared, portal_identity: str) -> Journal:
    """The journal of this flow × portal × round × data file; emptied first with --fresh."""
    options = prepared.options
    flow, term = prepared.flow, prepared.term
    journal = open_run_journal(flow.name, portal_identity, term, options.data_path)
    if options.fresh:
        journal.forget()
    return journal


def journal_skip(flow: Flow, journal: Journal) -> Callable[[PlannedRecord], str | None]:
    """What the runner asks before each record. A flow that exists to read the portal
    (`purpose: verify`) reads it every time: the journal never answers for the portal there."""
    if flow.purpose == "verify":
        return lambda record: None
    return lambda record: _already_verified(journal, record)


def _already_verified(journal: Journal, record: PlannedRecord) -> str | None:
    if journal.is_done(record.key, digest_values(record.values)):
        return say("ตรวจสอบแล้วในรอบก่อน ข้อมูลไม่เปลี่ยน", "verified in an earlier run; data unchanged")
    return None


@dataclass
class JournalListener:
    """Writes each record's state to the journal as the run goes."""

    journal: Journal

    def start_run(self, flow: Flow, total: int) -> None:
        pass

    def start_record(self, record: PlannedRecord) -> None:
        self.journal.mark(record.key, digest_values(record.values), "submitted")

    def end_record(self, result: RecordResult) -> None:
        if result.status == "skipped":
            return
        record = result.record
        self.journal.mark(
            record.key,
            digest_values(record.values),
            state_for(result.status),
            result.status,
            result.message,
        )

    def end_run(self) -> None:
        pass


@dataclass
class ListenerFan:
    """Fan the runner's hooks out to several listeners, in order.

    Workers share one thread and are only suspended inside browser calls, which no listener
    makes, so one worker's hooks never interleave with another's.
    """

    listeners: tuple[RunListener, ...]

    def start_run(self, flow: Flow, total: int) -> None:
        for listener in self.listeners:
            listener.start_run(flow, total)

    def start_record(self, record: PlannedRecord) -> None:
        for listener in self.listeners:
            listener.start_record(record)

    def end_record(self, result: RecordResult) -> None:
        for listener in self.listeners:
            listener.end_record(result)

    def end_run(self) -> None:
        for listener in self.listeners:
            listener.end_run()
