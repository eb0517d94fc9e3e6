"""A whole LEC round in one command: the officer's flows, in order, from one plan file.

A plan (YAML) lists steps — flow, data file, account, variables. Every step is checked before
the first one runs, so a bad file anywhere sends nothing. Steps run in order; the round stops at
the first step that fails, and before the first step with an irreversible action unless the
officer said `--confirm`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.config import PROJECT_ROOT
from bot.engine.options import RunOptions
from bot.engine.pipeline import (
    Prepared,
    account_key,
    credentials_for,
    execute,
    guarded_steps,
    portal_target,
    prepare,
)  # fmt: skip
from bot.engine.records import RunListener
from bot.engine.report import ReportBuilder
from bot.engine.runlock import holding
from bot.errors import ConfigError
from bot.flows_catalogue import find_by_name, flow_name
from bot.paths import data_dir


class RoundStep(BaseModel):
    """One flow of the round."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    flow: str
    data: str | None = None
    account: str | None = None
    vars: dict[str, str] = Field(default_factory=dict)
    label: str = ""


class RoundPlan(BaseModel):
    """A round plan file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    portal: str = "lec"
    steps: tuple[RoundStep, ...] = Field(min_length=1)


# A rehearsed round confirms its schools, and a confirmed school takes no more changes. Its
# in-process mock is its own (`status --dry-run` reads the same one), so that a single flow's
# `run --dry-run` afterwards still finds the schools open.
ROUND_MOCK_STATE = "round-lec"


def load_plan(path: Path) -> RoundPlan:
    """Read a plan file; errors name the file and the entry."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return RoundPlan.model_validate(raw)
    except FileNotFoundError:
        raise ConfigError(f"Round plan {path} does not exist.") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"Round plan {path} is not valid YAML: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"Round plan {path}: `{where}`: {first['msg']}") from None


def resolve_plan_path(base: Path, name: str) -> Path:
    """A path in a plan: relative to the plan's folder, else a flow by its name (`flows/lec/x.yaml`:
    the officer's copy, else edubot's own; bot/flows_catalogue.py)."""
    candidate = base / name
    if candidate.exists():
        return candidate
    flow = flow_name(name) if name.endswith(".yaml") else None
    return (find_by_name(flow) if flow else None) or PROJECT_ROOT / name


@dataclass(frozen=True)
class PlannedStep:
    number: int
    step: RoundStep
    prepared: Prepared

    @property
    def title(self) -> str:
        return self.step.label or self.prepared.flow.name

    @property
    def guarded(self) -> bool:
        return bool(guarded_steps(self.prepared.flow))


def prepare_round(plan_path: Path, base: RunOptions) -> tuple[RoundPlan, list[PlannedStep]]:
    """Check every step of the plan; raise before anything is sent if any is wrong."""
    plan = load_plan(plan_path)
    folder = plan_path.resolve().parent
    steps = []
    for number, step in enumerate(plan.steps, start=1):
        options = replace(
            base,
            flow_path=resolve_plan_path(folder, step.flow),
            data_path=resolve_plan_path(folder, step.data) if step.data else None,
            variables={**base.variables, **step.vars},
            account=step.account,
        )
        # Checked as if confirmed, so that a guarded step's data is checked too; whether it may
        # run is decided by run_round, from the officer's own --confirm.
        prepared = prepare(replace(options, confirm=True))
        prepared = replace(prepared, options=replace(prepared.options, confirm=base.confirm))
        steps.append(PlannedStep(number, step, prepared))
    return plan, steps


@dataclass(frozen=True)
class StepOutcome:
    planned: PlannedStep
    report: ReportBuilder | None  # None: not run (stopped before it)
    run_dir: Path


@contextmanager
def _shared_mock(plan: RoundPlan, base: RunOptions) -> Iterator[str | None]:
    """A dry run's steps share one in-process mock, so each sees what the last one did."""
    if not base.dry_run or base.mock_url:
        yield base.mock_url
        return
    from bot.config import url_override

    if url_override(plan.portal):
        yield None
        return
    with portal_target(plan.portal, base) as target:
        yield target.url


def _round_locks(
    plan: RoundPlan, steps: list[PlannedStep], mock_url: str | None
) -> AbstractContextManager[None]:
    """Hold every account's run lock for the whole round: no other run slips in between two
    steps (say, a scheduled entry between the school's verification and its confirmation)."""
    keys = []
    for planned in steps:
        options = replace(planned.prepared.options, mock_url=mock_url)
        portal = planned.prepared.flow.portal
        keys.append(account_key(options, portal, credentials_for(portal, options)))
    return holding(data_dir(), keys, f"round {plan.name}")


def run_round(
    plan: RoundPlan,
    steps: list[PlannedStep],
    base: RunOptions,
    run_dir: Path,
    listener_for: Callable[[PlannedStep], RunListener],
) -> list[StepOutcome]:
    """Run the checked steps in order; stop at a failure, or before a guarded step without
    `--confirm`."""
    outcomes: list[StepOutcome] = []
    with _shared_mock(plan, base) as mock_url, _round_locks(plan, steps, mock_url):
        for planned in steps:
            step_dir = run_dir / f"{planned.number:02d}-{planned.prepared.flow.name}"
            if planned.guarded and not base.confirm:
                outcomes.append(StepOutcome(planned, None, step_dir))
                break
            prepared = replace(
                planned.prepared, options=replace(planned.prepared.options, mock_url=mock_url)
            )
            report = execute(prepared, listener_for(planned), step_dir)
            report.write()
            outcomes.append(StepOutcome(planned, report, step_dir))
            if report.exit_code():
                break
    return outcomes
