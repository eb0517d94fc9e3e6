"""Every shipped configuration loads, and every flow it names exists and is a valid flow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.cli.demo import write_demo_round
from bot.config import DEFAULT_CONFIG_DIR, PROJECT_ROOT, load_portals, load_settings
from bot.engine.round import load_plan, resolve_plan_path
from bot.flow.loader import load_flow
from bot.ops.calendar_file import load_deadlines


def _flows_named(value: Any) -> Iterator[str]:
    """Every `flow:` anywhere in a loaded configuration."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "flow" and isinstance(item, str):
                yield item
            else:
                yield from _flows_named(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flows_named(item)


def test_every_shipped_config_loads() -> None:
    assert load_settings(DEFAULT_CONFIG_DIR) is not None
    assert set(load_portals(DEFAULT_CONFIG_DIR)) >= {"lec", "esar"}
    assert load_deadlines(DEFAULT_CONFIG_DIR / "deadlines.yaml") is not None


DEADLINE_FLOWS = sorted(
    set(_flows_named(load_deadlines(DEFAULT_CONFIG_DIR / "deadlines.yaml").model_dump()))
)


def test_the_deadlines_name_flows_of_both_portals() -> None:
    assert any(f.startswith("flows/lec/") for f in DEADLINE_FLOWS)
    assert any(f.startswith("flows/esar/") for f in DEADLINE_FLOWS)


@pytest.mark.parametrize("flow", DEADLINE_FLOWS)
def test_every_flow_the_deadlines_name_is_a_valid_flow(flow: str) -> None:
    loaded = load_flow(PROJECT_ROOT / flow)
    assert loaded.steps


def test_every_flow_of_the_demo_round_plan_is_a_valid_flow(tmp_path: Path) -> None:
    plan_path = write_demo_round(tmp_path / "round", children_per_school=1)
    plan = load_plan(plan_path)
    for step in plan.steps:
        assert load_flow(resolve_plan_path(plan_path.parent, step.flow)).steps
