"""Guards in front of irreversible steps: `anchor`, and what `edubot check` says of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from bot.errors import FlowError
from bot.flow.checks import guard_warnings
from bot.flow.loader import is_part, load_flow
from tests.e2e.conftest import children, write_children

REPO = Path(__file__).resolve().parents[3]
GUARDS = REPO / "tests" / "fixtures" / "flows" / "guards"


@pytest.mark.parametrize(
    ("name", "line"), [("require_by_absence.yaml", 5), ("when_else_by_absence.yaml", 5)]
)
def test_check_warns_of_a_guard_that_judges_by_absence_before_an_irreversible_step(
    name: str, line: int
) -> None:
    result = CliRunner().invoke(app, ["check", str(GUARDS / name)])
    assert result.exit_code == 0, result.output
    assert f"{name}:{line}:" in result.output
    assert "คำเตือน" in result.output and "judges by absence" in result.output
    assert "anchor:" in result.output  # says the fix


def test_an_anchored_guard_is_not_warned_of() -> None:
    flow = load_flow(GUARDS / "anchored.yaml")
    assert guard_warnings(flow) == []
    when = next(s for s in flow.walk() if s.kind == "when")
    assert [a.text for a in when.condition.anchor or ()] == ["ยังไม่ส่ง", "ฉบับร่าง"]


def test_the_shipped_flows_anchor_every_guard_in_front_of_an_irreversible_step() -> None:
    flows = [p for p in sorted((REPO / "flows").rglob("*.yaml")) if not is_part(p)]
    assert flows
    for path in flows:
        assert guard_warnings(load_flow(path)) == [], path


def test_an_anchor_goes_only_with_visible_or_not_visible(tmp_path: Path) -> None:
    flow = tmp_path / "flows" / "bad.yaml"
    flow.parent.mkdir()
    flow.write_text(
        "name: bad\nportal: lec\nsteps:\n"
        "  - require: {url: '*home*', anchor: {text: x}, message: m}\n",
        encoding="utf-8",
    )
    with pytest.raises(FlowError) as raised:
        load_flow(flow)
    assert "anchor" in str(raised.value) and "bad.yaml:4" in str(raised.value)


def test_check_on_a_guarded_flow_checks_it_and_says_it_has_irreversible_steps(
    tmp_path: Path,
) -> None:
    data = write_children(tmp_path / "kids.xlsx", children(2, seed=5))
    flow = REPO / "flows" / "lec" / "confirm_school.yaml"
    result = CliRunner().invoke(app, ["check", str(flow), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "2 record(s) ready" in result.output
    assert "irreversible steps (lines" in result.output and "--confirm" in result.output


def test_lec_flows_find_state_by_the_pages_words_never_by_a_test_id() -> None:
    """The real LEC carries no `data-testid`: a flow holding on to one would work on the mock
    only. Every LEC flow presses a confirmation only where the page says it is not yet done."""
    for path in sorted((REPO / "flows" / "lec").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert "testid" not in text, path
    for name in ("confirm_school", "lgo_confirm_school", "confirm_lgo", "unconfirm_school"):
        flow = load_flow(REPO / "flows" / "lec" / f"{name}.yaml")
        [guard] = [
            s for s in flow.walk()
            if s.kind == "when" and any(x.kind == "click" and x.irreversible for x in s.steps)
        ]  # fmt: skip
        assert guard.condition.visible is not None and guard.condition.anchor, name
        assert "ยังไม่ยืนยันข้อมูล" in (guard.condition.visible.text or "") or name == (
            "unconfirm_school"
        )
