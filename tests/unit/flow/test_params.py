"""Sub-flows with parameters (`run:` + `with:`, `params:`, `${param.NAME}`) and the popup step's
YAML: values land where the part uses them; every mistake names file:line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import FlowError
from bot.flow.loader import is_part, load_flow
from bot.flow.model import Click, Popup, RejectOn, RunFlow, When

FLOWS = Path(__file__).resolve().parents[3] / "flows"

PART = """name: press
portal: lec
params:
  button: the button's name
  row: {about: the row it is in, default: null}
steps:
  - when: {visible: {role: button, name: "${param.button}", within: "${param.row}"}}
    steps:
      - click: {role: button, name: "กด ${param.button}", within: "${param.row}"}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _caller(folder: Path, with_: str) -> Path:
    _write(folder, "press", PART)
    return _write(folder, "outer", f"name: outer\nportal: lec\nsteps:\n  - run: press\n{with_}")


def test_values_land_where_the_part_uses_them(tmp_path: Path) -> None:
    outer = _caller(tmp_path, "    with:\n      button: ยืนยัน\n      row: {testid: school-1}\n")
    run = load_flow(outer).steps[0]
    assert isinstance(run, RunFlow) and run.arguments["button"] == "ยืนยัน"
    when = run.steps[0]
    assert isinstance(when, When) and when.condition.visible is not None
    click = when.steps[0]
    assert isinstance(click, Click) and click.locator.name == "กด ยืนยัน"
    assert click.locator.within is not None and click.locator.within.testid == "school-1"
    assert click.line == 9  # lines are the part's own


def test_a_default_fills_what_the_caller_leaves_out(tmp_path: Path) -> None:
    run = load_flow(_caller(tmp_path, "    with: {button: ยืนยัน}\n")).steps[0]
    assert isinstance(run, RunFlow)
    when = run.steps[0]
    assert isinstance(when, When)
    click = when.steps[0]
    assert isinstance(click, Click) and click.locator.within is None


def test_an_unknown_parameter_names_the_caller_line_and_the_parameters(tmp_path: Path) -> None:
    with pytest.raises(FlowError) as caught:
        load_flow(_caller(tmp_path, "    with: {buton: ยืนยัน}\n"))
    error = caught.value
    assert error.path.endswith("outer.yaml") and error.line == 4
    assert "no parameter `buton`" in error.problem
    assert "did you mean `button`" in error.fix and "button — the button's name" in error.fix


def test_a_missing_parameter_says_what_it_means(tmp_path: Path) -> None:
    with pytest.raises(FlowError) as caught:
        load_flow(_caller(tmp_path, "    with: {row: {testid: x}}\n"))
    assert caught.value.line == 4 and caught.value.path.endswith("outer.yaml")
    assert "needs the parameter `button` (the button's name)" in caught.value.problem
    assert "with: {button: ...}" in caught.value.fix


def test_a_placeholder_the_part_does_not_declare_names_the_part_line(tmp_path: Path) -> None:
    _write(tmp_path, "press", PART.replace("กด ${param.button}", "${param.label}"))
    outer = _write(
        tmp_path, "outer", "name: o\nportal: lec\nsteps:\n  - run: press\n    with: {button: b}\n"
    )
    with pytest.raises(FlowError) as caught:
        load_flow(outer)
    assert caught.value.path.endswith("press.yaml") and caught.value.line == 9
    assert "`${param.label}` is not a parameter" in caught.value.problem
    assert "params:" in caught.value.fix


def test_a_part_run_on_its_own_is_refused_with_the_way_to_run_it(tmp_path: Path) -> None:
    part = _write(tmp_path, "press", PART)
    assert is_part(part)
    with pytest.raises(FlowError) as caught:
        load_flow(part)
    assert "is a part of other flows" in caught.value.problem and "button" in caught.value.problem
    assert "run: press" in caught.value.fix


def test_with_goes_only_on_a_run_step(tmp_path: Path) -> None:
    flow = _write(tmp_path, "f", "name: f\nportal: lec\nsteps:\n  - goto: x\n    with: {a: b}\n")
    with pytest.raises(FlowError, match="unknown key `with`") as caught:
        load_flow(flow)
    assert caught.value.line == 4


def test_a_bad_value_names_the_part_line_and_where_it_was_given(tmp_path: Path) -> None:
    outer = _write(
        tmp_path,
        "outer",
        "name: o\nportal: lec\nsteps:\n  - run: lec/stop_if_locked\n    with: {stop: rnu}\n",
    )
    (tmp_path / "lec").mkdir()
    (tmp_path / "lec" / "stop_if_locked.yaml").write_text(
        (FLOWS / "lec" / "stop_if_locked.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(FlowError) as caught:
        load_flow(outer)
    assert caught.value.path.endswith("stop_if_locked.yaml")
    assert "rnu" in caught.value.problem and "outer.yaml:4" in caught.value.problem


def test_shipped_confirmations_share_one_block_with_their_own_words() -> None:
    clicks = {}
    for name in ("confirm_school", "lgo_confirm_school", "confirm_lgo", "unconfirm_school"):
        [click] = load_flow(FLOWS / "lec" / f"{name}.yaml").irreversible_steps()
        clicks[name] = click
    assert clicks["confirm_school"].expected_dialog == "ยืนยันข้อมูลของสถานศึกษา"
    assert clicks["confirm_lgo"].locator.name == "ยืนยันข้อมูลระดับ อปท."
    unconfirm = clicks["unconfirm_school"]
    assert unconfirm.locator.within is not None
    within = unconfirm.locator.within
    assert (within.role, within.has_text) == ("row", "${config.school}")  # the school's own row
    verify = clicks["lgo_confirm_school"].verify
    assert verify is not None and verify.goto == "student/list.do?school=${config.school}"
    assert is_part(FLOWS / "lec" / "confirm.yaml")


def test_a_locked_school_stops_a_schools_run_but_only_the_lgos_record() -> None:
    def stops(flow: str) -> set[str]:
        return {
            s.stop
            for s in load_flow(FLOWS / "lec" / flow).walk()
            if isinstance(s, RejectOn) and s.locator.text and "ยืนยันข้อมูลแล้ว" in s.locator.text
        }

    assert stops("students.yaml") == {"run"}
    assert stops("lgo_students.yaml") == {"record"}


def test_a_popup_step_reads_like_the_manual(tmp_path: Path) -> None:
    flow = _write(
        tmp_path,
        "f",
        "name: f\nportal: lec\nsteps:\n"
        "  - popup: {expect: บันทึกข้อมูลเรียบร้อย, press: ตกลง, errors: [ไม่สามารถบันทึกข้อมูลได้]}\n"
        "  - popup: บันทึกข้อมูลเรียบร้อย\n",
    )
    full, short = load_flow(flow).steps
    assert isinstance(full, Popup) and full.errors == ("ไม่สามารถบันทึกข้อมูลได้",)
    assert isinstance(short, Popup) and short.expect == ("บันทึกข้อมูลเรียบร้อย",)
    assert short.press == "ตกลง" and short.line == 5


def test_a_popup_without_expected_words_is_told_its_shape(tmp_path: Path) -> None:
    flow = _write(
        tmp_path, "f", "name: f\nportal: lec\nsteps:\n  - popup: {press: ตกลง, errors: [x]}\n"
    )
    with pytest.raises(FlowError) as caught:
        load_flow(flow)
    assert caught.value.line == 4 and "expect" in caught.value.problem
    assert "- popup: {expect: บันทึกข้อมูลเรียบร้อย" in caught.value.fix
