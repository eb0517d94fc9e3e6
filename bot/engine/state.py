"""What the actions of one run remember: per record (StepState), per run (RunState, PressLog),
and what every action is handed besides the page and its step (ActionEnv)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.flow.binding import Bindings
from bot.flow.model import Click
from bot.portals.lec.rpt318 import PortalRows


@dataclass
class StepState:
    """What steps of one record leave for later steps and for the report."""

    changed: bool = False  # did the last fill_form change a field?
    cleared: list[str] = field(default_factory=list)  # labels emptied on the officer's dash
    outcome: str | None = None  # set by `mark`
    # The irreversible click this attempt pressed (with its bindings): from the moment it is
    # pressed, a failure means its outcome is unknown and the portal must be read back.
    pressed: tuple[Click, Bindings] | None = None
    screenshots: list[Path] = field(default_factory=list)


class PressLog:
    """Every irreversible click pressed in a run, shared by all its workers: none twice.

    Workers share one thread (bot.engine.workers), so claiming needs no lock.
    """

    def __init__(self) -> None:
        self._pressed: dict[str, bool] = {}  # press -> the portal showed it took effect

    def claim(self, step: Click, b: Bindings) -> bool:
        """Note the press about to happen; False when this very press was made already."""
        key = _press_key(step, b)
        if key in self._pressed:
            return False
        self._pressed[key] = False
        return True

    def settle(self, step: Click, b: Bindings) -> None:
        """The portal showed the press took effect (read back after its answer was lost)."""
        self._pressed[_press_key(step, b)] = True

    def done(self, step: Click, b: Bindings) -> bool:
        return self._pressed.get(_press_key(step, b), False)


def _press_key(step: Click, b: Bindings) -> str:
    """This click on this record: the step, its resolved locator, and the record's values."""
    locator = b.text(step.locator.model_dump_json())
    record = sorted((b.record or {}).items())
    return hashlib.sha256(repr((step.line, locator, record)).encode()).hexdigest()


class Unknown:
    """The snapshot cannot answer (none taken, or a retry)."""


UNKNOWN = Unknown()


@dataclass
class RunState:
    """What a run learns once and every record uses: the portal's snapshot."""

    snapshot: PortalRows | None = None
    snapshot_key: str = "national_id"
    snapshot_columns: frozenset[str] = frozenset()  # the fields the portal's export shows
    trust_snapshot: bool = True  # False on a retry: the record may have changed since
    # Every input record (masked key, values), for preconditions about all of them.
    records: tuple[tuple[str, Mapping[str, str]], ...] = ()
    # What `extract` steps read: a table's rows as cell texts, or one text.
    extracted: dict[str, list[list[str]] | str] = field(default_factory=dict)
    # The officer checked the portal's children the file lacks (--accept-portal-extras).
    accept_portal_extras: bool = False
    # Irreversible clicks pressed so far; one log for all the run's workers.
    presses: PressLog = field(default_factory=PressLog)

    def portal_copy(self, record: Mapping[str, str] | None) -> dict[str, str] | Unknown | None:
        """The portal's row for this record, None when absent, UNKNOWN when we cannot tell."""
        if self.snapshot is None or not self.trust_snapshot or record is None:
            return UNKNOWN
        return self.snapshot.get(record.get(self.snapshot_key, ""))


@dataclass(frozen=True)
class ActionEnv:
    """What an action needs besides the page and the step."""

    bindings: Bindings
    artefacts_dir: Path
    allow_irreversible: bool
    timeout_ms: int
    run: RunState = field(default_factory=RunState)
    # Only requests this returns True for may be made outside the browser (the dry-run wall).
    may_request: Callable[[str], bool] = lambda url: True
    # Also keep each screenshot unmasked beside the masked one (--full-screenshots).
    full_screenshots: bool = False
