"""A flow that does not fit the page stops the run after its first children, not after hours:
the runner's rule (bot.engine.misfits), driven through a fake tab."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.misfits import MISFITS_BEFORE_STOP, name_to_probe, where_it_failed
from bot.engine.patience import PortalUnavailable
from bot.errors import FlowDoesNotFit, PortalRejected, StepFailed, ValueNotAccepted
from tests.conftest import REPO
from tests.unit.engine.runner_kit import SAVE_EACH, kit, line_of, records, write_flow

NOT_FOUND = "fill label “เลขประจำตัวประชาชน”: no field labelled “เลขประจำตัวประชาชน” (line 12)"
TRIES = 3  # retries.attempts for a failure with no sign of a struggling portal


def test_the_first_children_failing_at_one_step_stop_the_run_naming_the_step(
    tmp_path: Path,
) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    k = kit(tmp_path, flow)
    fill = line_of(flow, "fill", "เลขประจำตัวประชาชน", in_loop=True)
    k.portal.fail(fill, *[StepFailed(NOT_FOUND)] * (TRIES * MISFITS_BEFORE_STOP))

    with pytest.raises(FlowDoesNotFit) as stopped:
        k.runner.run(records(MISFITS_BEFORE_STOP + 2))

    assert k.heard.started == ["k1", "k2", "k3"]  # the fourth child is never tried
    assert k.heard.statuses == ["failed"] * MISFITS_BEFORE_STOP
    said = str(stopped.value)
    assert f"save-each line {fill}" in said
    assert f"edubot probe {flow.path}" in said  # a flow outside the catalogue: by its path
    assert "no field labelled" in said  # the step's own reason, as the last child met it


SUB_FLOW = """\
name: enter
portal: lec
input: {records: student}
# The fake portal fails steps by line number: these lines keep this fill off the lines of
# login.yaml's steps.
#
#
steps:
  - fill: {label: เลขประจำตัวประชาชน, value: "${record.national_id}"}
"""


def test_a_failing_step_in_a_sub_flow_is_named_by_that_flow(tmp_path: Path) -> None:
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "enter.yaml").write_text(SUB_FLOW, encoding="utf-8")
    flow = write_flow(
        tmp_path,
        SAVE_EACH.replace(
            '      - fill: {label: เลขประจำตัวประชาชน, value: "${record.national_id}"}\n',
            "      - run: enter\n",
        ),
    )
    k = kit(tmp_path, flow)
    fill = line_of(flow, "fill", "เลขประจำตัวประชาชน")
    k.portal.fail(fill, *[StepFailed(NOT_FOUND)] * (TRIES * MISFITS_BEFORE_STOP))

    with pytest.raises(FlowDoesNotFit) as stopped:
        k.runner.run(records(4))

    assert f"enter line {fill}" in str(stopped.value)
    assert k.heard.results[0].message.startswith("enter: fill")  # each child's reason says so


def test_once_a_child_passed_later_failures_are_the_childrens_own(tmp_path: Path) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    k = kit(tmp_path, flow)
    fill = line_of(flow, "fill", "เลขประจำตัวประชาชน", in_loop=True)

    def fail_all_after_the_first(result: object) -> None:
        if not k.portal.failures:
            k.portal.fail(fill, *[StepFailed(NOT_FOUND)] * (TRIES * 4))

    k.heard.between = fail_all_after_the_first

    k.runner.run(records(5))

    assert k.heard.statuses == ["added"] + ["failed"] * 4


def test_failures_the_portal_explains_or_at_other_steps_never_stop_the_run(
    tmp_path: Path,
) -> None:
    flow = write_flow(tmp_path, SAVE_EACH)
    k = kit(tmp_path, flow)
    fill = line_of(flow, "fill", "เลขประจำตัวประชาชน", in_loop=True)
    click = line_of(flow, "click", "Save", in_loop=True)
    k.portal.fail(fill, PortalRejected("ไม่สามารถบันทึกข้อมูลได้เนื่องจากข้อมูลซ้ำซ้อน"))
    k.portal.fail(fill, *[StepFailed(NOT_FOUND)] * TRIES)
    k.portal.fail(click, *[StepFailed("click button “Save”: no button named “Save”")] * TRIES)
    k.portal.fail(fill, PortalRejected("ไม่สามารถบันทึกข้อมูลได้เนื่องจากข้อมูลซ้ำซ้อน"))

    k.runner.run(records(5))

    assert k.heard.statuses == ["failed"] * 4 + ["added"]


def test_only_a_failure_with_no_reason_from_the_portal_is_a_misfit() -> None:
    missing = StepFailed(NOT_FOUND)
    missing.flow_line, missing.flow_name = 12, "lec/save"
    assert where_it_failed(missing, None, "lec-students") == ("lec/save", 12)
    missing.flow_name = None
    assert where_it_failed(missing, None, "lec-students") == ("lec-students", 12)
    # The portal answered badly meanwhile (a 5xx page): an outage, not the flow.
    assert where_it_failed(missing, "the portal answered 503", "lec-students") is None
    down = PortalUnavailable("open student/form.do: the portal answered 503")
    down.flow_line = 9
    assert where_it_failed(down, None, "lec-students") is None
    assert where_it_failed(PortalRejected("ข้อมูลซ้ำซ้อน"), None, "lec-students") is None
    assert where_it_failed(StepFailed(NOT_FOUND), None, "lec-students") is None  # no line known
    refused = ValueNotAccepted("no option 'ป.7' (the choices are: ป.1, ป.2)")
    refused.flow_line = 12
    assert where_it_failed(refused, None, "lec-students") is None  # the child's data


def test_the_probe_is_offered_the_flow_by_the_name_it_finds_it_by() -> None:
    shipped = REPO / "flows" / "lec" / "students.yaml"  # edubot's own flows, in a checkout
    assert name_to_probe(str(shipped), "lec-students") == "lec/students"
    assert name_to_probe("/elsewhere/mine.yaml", "mine") == "/elsewhere/mine.yaml"
    assert name_to_probe("", "mine") == "mine"
