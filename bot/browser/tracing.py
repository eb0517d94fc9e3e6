"""A Playwright trace of each record attempt, kept only for a failed record."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext


class ContextTracer:
    """A Playwright trace per record attempt; only a failed record's is kept.

    A kept trace holds that attempt alone: a trace's network log runs from its start, so one
    trace over the run would carry the login POST — the password — into every kept file. The
    runner also discards the attempt's trace before logging in again.

    First attempts (no DOM snapshots) share one trace session cut into chunks, one per attempt:
    starting and stopping a session for each record cost ~10 % of a record's time
    (benchmarks/README.md). A chunk holds only the calls made while it was open, and a session
    without snapshots records no network log (Playwright's recorder runs only for snapshots), so
    nothing from before the chunk — another child, a login — reaches a kept chunk. An attempt
    with snapshots gets a session of its own, started and stopped around it, as before.
    """

    def __init__(self, context: BrowserContext, *, snapshots_from_attempt: int = 2) -> None:
        self._tracing = context.tracing
        self._snapshots_from = snapshots_from_attempt
        self._open = False
        self._chunking = False  # the session of first attempts is started, cut into chunks

    def begin(self, attempt: int) -> None:
        self.discard()
        # No screencast: it costs Chromium CPU on every record, and the failure screenshot is
        # taken apart. DOM snapshots only from `snapshots_from_attempt` on: Playwright copies the
        # whole page before and after every action, ~30% of a record's time on a 57-field form.
        if attempt >= self._snapshots_from:
            if self._chunking:
                self._tracing.stop()
                self._chunking = False
            self._tracing.start(snapshots=True, screenshots=False, sources=False)
        elif self._chunking:
            self._tracing.start_chunk()
        else:
            self._tracing.start(snapshots=False, screenshots=False, sources=False)
            self._chunking = True
        self._open = True

    def discard(self) -> None:
        if self._open:
            self._stop(path=None)

    def keep(self, path: Path) -> Path | None:
        if not self._open:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        self._stop(path=str(path))
        path.chmod(0o600)
        return path

    def _stop(self, path: str | None) -> None:
        self._open = False
        if self._chunking:
            self._tracing.stop_chunk(path=path)
        else:  # a snapshot session's network log spans its chunks: it ends with its attempt
            self._tracing.stop(path=path)
