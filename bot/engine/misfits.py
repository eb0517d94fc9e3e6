"""Stop a run whose flow does not fit the portal's page, instead of failing every child.

A field or button the flow names and the page does not show fails a record only after its tries
(~48 s a child with the default settings), and then the next child the same way: an officer's
edited copy of a flow, or a portal that changed its page, would spend hours failing a whole
school. So while no record of the run has passed, the first `MISFITS_BEFORE_STOP` records that
all failed at the same step for no reason the portal gave stop the run (`FlowDoesNotFit`,
exit 1), naming the step; the records not reached are left for the next run. Once one record
passes, the flow fits, and a later failure is that child's own.
"""

from __future__ import annotations

from pathlib import Path

from bot.engine.patience import Kind, classify
from bot.errors import FlowDoesNotFit, PortalError, StepFailed, ValueNotAccepted
from bot.flows_catalogue import catalogue_name
from bot.i18n import say

MISFITS_BEFORE_STOP = 3

Place = tuple[str, int]  # the flow (a sub-flow's name, or the run's flow) and its line


def where_it_failed(failure: PortalError, wire_sign: str | None, flow_name: str) -> Place | None:
    """Where a given-up record's last try failed, when the portal gave no reason (a field or
    button not found, an expectation not met), else None (also for a value the page would not
    take: that is the child's data)."""
    if not isinstance(failure, StepFailed) or failure.flow_line is None:
        return None
    if isinstance(failure, ValueNotAccepted):
        return None
    if classify(failure, wire_sign) is not Kind.UNSURE:
        return None
    return failure.flow_name or flow_name, failure.flow_line


def name_to_probe(flow_path: str, flow_name: str) -> str:
    """What the officer gives `edubot probe`: the flow's name when probe finds it by that name
    (edubot's own flows, the officer's copies), else the file's path."""
    if not flow_path:
        return flow_name
    return catalogue_name(Path(flow_path)) or flow_path


class MisfitWatch:
    """The first records' failures, until one record passes."""

    def __init__(self, flow_name: str, to_probe: str) -> None:
        self.flow_name = flow_name
        self.to_probe = to_probe
        self._places: list[Place | None] | None = []  # None: a record passed

    def record_ended(self, passed: bool, place: Place | None, message: str) -> None:
        """After each record; raises `FlowDoesNotFit` when the first ones all failed at the
        same `place` (None for a failure the portal explained)."""
        if self._places is None:
            return
        if passed:
            self._places = None
            return
        self._places.append(place)
        last = self._places[-MISFITS_BEFORE_STOP:]
        same = last[0]
        if len(last) < MISFITS_BEFORE_STOP or same is None or any(p != same for p in last):
            return
        flow, line = same
        raise FlowDoesNotFit(
            say(
                f"เด็ก {MISFITS_BEFORE_STOP} คนแรกไม่ผ่านที่ขั้นตอนเดียวกัน ({flow} บรรทัด {line}) "
                "โดยระบบไม่ได้แจ้งเหตุผล: โฟลว์อาจไม่ตรงกับหน้าเว็บ จึงหยุดรัน ไม่ส่งข้อมูลใดอีก",
                f"the first {MISFITS_BEFORE_STOP} children all failed at the same step "
                f"({flow} line {line}) with no reason from the portal: the flow may not fit the "
                "page, so the run stops and sends nothing more",
            )
            + f": {message}. "
            + say(
                f"ตรวจโฟลว์กับหน้าเว็บด้วย edubot probe {self.to_probe} แก้แล้วรันอีกครั้ง "
                "ระบบจะทำต่อจากที่ค้างไว้",
                f"check the flow against the portal with `edubot probe {self.to_probe}`, fix "
                "it, and run again; the run goes on where it stopped",
            )
        )
