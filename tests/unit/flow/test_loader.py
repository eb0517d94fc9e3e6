"""Loader errors: each numbered broken flow fails at the line and with the words it promises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.errors import FlowError
from bot.flow.checks import check_flow
from bot.flow.loader import is_part, load_flow
from bot.flow.model import Click, Expect, Fill, FillForm, ForEach, Goto, RunFlow, When

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "flows"
FLOWS = Path(__file__).resolve().parents[3] / "flows"
# Parts (flows with parameters, e.g. lec/confirm) are loaded through the flows that run them.
RUNNABLE = [p for p in sorted(FLOWS.rglob("*.yaml")) if not is_part(p)]


def _expectations(path: Path) -> tuple[int, str]:
    text = path.read_text(encoding="utf-8")
    line = re.search(r"# expect-line: (\d+)", text)
    words = re.search(r"# expect: (.+)", text)
    assert line and words, f"{path.name} lacks its expect comments"
    return int(line.group(1)), words.group(1).strip()


@pytest.mark.parametrize("path", sorted((FIXTURES / "broken").glob("*.yaml")), ids=lambda p: p.name)
def test_broken_flow_names_file_line_and_problem(path: Path) -> None:
    line, words = _expectations(path)
    with pytest.raises(FlowError) as caught:
        load_flow(path)
    error = caught.value
    assert error.path == str(path)
    assert error.line == line, str(error)
    assert words in str(error)
    assert error.fix, "every flow error says how to fix it"


@pytest.mark.parametrize("path", sorted((FIXTURES / "checks").glob("*.yaml")), ids=lambda p: p.name)
def test_flow_checks_refuse_unsafe_or_unknown_placeholders(path: Path) -> None:
    line, words = _expectations(path)
    flow = load_flow(path)
    problems = check_flow(flow, ["first_name", "last_name", "national_id"])
    assert problems, f"{path.name} should fail its checks"
    assert problems[0].line == line
    assert words in str(problems[0])


def test_shorthands_become_full_steps(tmp_path: Path) -> None:
    flow_file = tmp_path / "f.yaml"
    flow_file.write_text(
        "name: f\nportal: lec\nsteps:\n"
        "  - goto: index.jsp\n"
        "  - click: Sign in\n"
        "  - expect: บันทึกข้อมูลเรียบร้อย\n"
        "  - fill: {label: ชื่อ, value: x}\n"
        "  - fill_form: {ชื่อ: a, นามสกุล: b}\n"
        "  - when: {text: ไม่พบข้อมูล}\n"
        "    steps: [{mark: added}]\n"
        "    else: [{mark: unchanged}]\n",
        encoding="utf-8",
    )
    steps = load_flow(flow_file).steps
    assert isinstance(steps[0], Goto) and steps[0].path == "index.jsp"
    assert isinstance(steps[1], Click) and steps[1].locator.text == "Sign in"
    assert isinstance(steps[2], Expect) and steps[2].visible and steps[2].visible.text
    assert isinstance(steps[3], Fill) and steps[3].locator.label == "ชื่อ"
    assert isinstance(steps[4], FillForm) and steps[4].fields == {"ชื่อ": "a", "นามสกุล": "b"}
    assert isinstance(steps[5], When) and len(steps[5].otherwise) == 1
    assert [s.line for s in steps] == [4, 5, 6, 7, 8, 9]


def test_shipped_flows_load_and_pass_their_checks() -> None:
    from bot.engine.pipeline import record_fields

    for path in RUNNABLE:
        flow = load_flow(path)
        assert check_flow(flow, record_fields(flow)) == [], path


def test_students_flow_inlines_its_subflows() -> None:
    flow = load_flow(FLOWS / "lec" / "students.yaml")
    runs = [s for s in flow.walk() if isinstance(s, RunFlow)]
    assert {r.flow for r in runs} >= {"lec/login", "lec/student_form", "lec/save"}
    assert all(r.steps for r in runs)
    assert any(isinstance(s, ForEach) for s in flow.steps)


def test_student_form_fills_every_field_with_its_contract_label() -> None:
    from bot.data.records import STUDENT_FIELDS

    form = load_flow(FLOWS / "lec" / "student_form.yaml").steps[0]
    assert isinstance(form, FillForm)
    expected = {f.form_label: f"${{record.{f.key}}}" for f in STUDENT_FIELDS}
    assert form.fields == expected


def test_subflow_error_names_the_subflow_file(tmp_path: Path) -> None:
    (tmp_path / "inner.yaml").write_text(
        "name: inner\nportal: lec\nsteps:\n  - click: {role: buton}\n", encoding="utf-8"
    )
    (tmp_path / "outer.yaml").write_text(
        "name: outer\nportal: lec\nsteps:\n  - run: inner\n", encoding="utf-8"
    )
    with pytest.raises(FlowError) as caught:
        load_flow(tmp_path / "outer.yaml")
    assert caught.value.path.endswith("inner.yaml") and caught.value.line == 4


def test_subflow_cycle_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: a\nportal: lec\nsteps:\n  - run: b\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("name: b\nportal: lec\nsteps:\n  - run: a\n", encoding="utf-8")
    with pytest.raises(FlowError, match="loop"):
        load_flow(tmp_path / "a.yaml")


def _with_lines(node: object) -> object:
    """A parsed flow with every line the loader noted, for comparing two parses."""
    from bot.flow.yaml_lines import _LineList, _LineMap

    if isinstance(node, _LineMap):
        return (node.line, node.key_lines, {k: _with_lines(v) for k, v in node.items()})
    if isinstance(node, _LineList):
        return (node.item_lines, [_with_lines(v) for v in node])
    return node


@pytest.mark.parametrize(
    "path",
    sorted([*FLOWS.rglob("*.yaml"), *FIXTURES.rglob("*.yaml")]),
    ids=lambda p: str(p.relative_to(p.parents[2])),
)
def test_libyaml_reads_every_flow_as_the_line_exact_loader_does(path: Path) -> None:
    """Steps and fields are found by the lines the loader notes; the fast parser must agree."""
    import yaml

    from bot.flow.yaml_lines import _DuplicateKey, _FastLineLoader, _LineLoader

    assert _FastLineLoader.__mro__[1] is yaml.CSafeLoader  # libyaml is there, else this is moot
    text = path.read_text(encoding="utf-8")
    try:
        exact = _with_lines(yaml.load(text, Loader=_LineLoader))
    except (yaml.YAMLError, _DuplicateKey):
        with pytest.raises((yaml.YAMLError, _DuplicateKey)):
            yaml.load(text, Loader=_FastLineLoader)
        return
    assert _with_lines(yaml.load(text, Loader=_FastLineLoader)) == exact


def test_an_irreversible_click_without_its_read_back_is_told_the_shape_to_write() -> None:
    with pytest.raises(FlowError) as caught:
        load_flow(FIXTURES / "broken" / "016_irreversible_without_verify.yaml")
    assert "verify: {goto: school/home.do" in caught.value.fix
    assert "dialog: {accept: ยืนยันข้อมูล}" in caught.value.fix


def test_every_shipped_irreversible_click_reads_back_and_names_its_dialog() -> None:
    clicks = [
        step
        for path in RUNNABLE
        for step in load_flow(path).walk()
        if isinstance(step, Click) and step.irreversible
    ]
    assert len(clicks) >= 6  # four LEC confirmations, e-SAR's submit and its replace request
    assert all(c.verify is not None and c.expected_dialog for c in clicks)
