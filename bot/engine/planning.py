"""Plan a run: load and check the flow, read and check its data, refuse what cannot be sent.

Everything that can be refused is refused here, before a browser opens or a request is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.config import Settings, load_portals, load_settings
from bot.data.inputs import require_file
from bot.data.problems import Problem, has_errors
from bot.data.readers import read_students
from bot.data.records import ALL_FIELDS
from bot.data.tables import read_table
from bot.engine.options import RunOptions
from bot.engine.records import PlannedRecord
from bot.errors import DataError, FlowError, InputError, SafetyError
from bot.flow.checks import check_flow
from bot.flow.loader import load_flow
from bot.flow.model import Click, Flow, InputSpec
from bot.i18n import say
from bot.log import mask_id


@dataclass(frozen=True)
class Prepared:
    """A run that passed every check and may now touch a portal."""

    options: RunOptions
    flow: Flow
    records: tuple[PlannedRecord, ...]
    settings: Settings
    warnings: tuple[object, ...] = ()
    term: str = "-"  # the LEC round in effect ("2569-2"), part of the journal's identity


def _refuse(data_path: Path, problems: Sequence[Problem]) -> DataError:
    errors = sum(1 for p in problems if p.severity == "error")
    return DataError(
        say(
            f"ไฟล์ {data_path} มีข้อผิดพลาด {errors} จุด ยังไม่ได้ส่งข้อมูลใด ๆ แก้ไขแล้วรันใหม่",
            f"{data_path} has {errors} problem(s); nothing was sent. Fix them and run again "
            f"(`edubot check` writes a copy of the file with each bad cell marked).",
        ),
        tuple(problems),
    )


def plan_sar_records(
    manifest_path: Path, max_bytes: int
) -> tuple[tuple[PlannedRecord, ...], tuple[object, ...]]:
    """Read and check a SAR manifest; refuse it whole when any entry has an error."""
    # Loaded here, not at the top: pypdf and the SAR checks cost a student run ~0.15 s to start.
    from bot.portals.esar.checks import check_manifest
    from bot.portals.esar.manifest import read_manifest
    from bot.portals.esar.records import sar_key, sar_portal_values

    manifest = read_manifest(manifest_path)
    problems = check_manifest(manifest, max_bytes=max_bytes)
    if has_errors(problems):
        raise _refuse(manifest_path, problems)
    records = tuple(
        PlannedRecord(
            index=i,
            key=sar_key(entry),
            masked_key=sar_key(entry),  # school codes are public, not personal data
            values=sar_portal_values(entry, manifest.folder),
            sheet=entry.origin.sheet,
            row=entry.origin.row or 0,
        )
        for i, entry in enumerate(manifest.entries, start=1)
    )
    return records, tuple(p for p in problems if p.severity != "error")


def plan_table_records(
    data_path: Path, spec: InputSpec
) -> tuple[tuple[PlannedRecord, ...], tuple[object, ...]]:
    """Read a table the flow declares (buildings, basic data); refuse it whole on any problem."""
    assert spec.columns is not None  # InputSpec guarantees it for tables
    rows, problems = read_table(data_path, spec.columns, spec.key)
    if problems:
        raise _refuse(data_path, problems)
    records = tuple(
        PlannedRecord(
            index=i,
            key=row.values[spec.key],
            masked_key=row.values[spec.key],  # building names, school codes: not personal
            values=row.values,
            sheet=row.sheet,
            row=row.row,
        )
        for i, row in enumerate(rows, start=1)
    )
    return records, ()


def plan_records(
    data_path: Path, show_personal: bool = False
) -> tuple[tuple[PlannedRecord, ...], tuple[object, ...]]:
    """Read the data file; refuse it whole when any row has an error."""
    table = read_students(data_path, show_personal=show_personal)
    if table.has_errors:
        raise _refuse(data_path, table.problems)
    records = tuple(
        PlannedRecord(
            index=i,
            key=row.student.key,
            masked_key=mask_id(row.student.key),
            values=row.student.as_portal_values(),
            sheet=row.sheet,
            row=row.row,
        )
        for i, row in enumerate(table.rows, start=1)
    )
    warnings = tuple(p for p in table.problems if p.severity != "error")
    return records, warnings


def prepare(options: RunOptions, *, only_checking: bool = False) -> Prepared:
    """Load and check everything; raise InputError before any browser opens.

    `only_checking` (`edubot check`): nothing will run, so irreversible steps are no reason to
    refuse; the flow and its data are checked all the same.
    """
    flow = load_flow(options.flow_path)
    problems = check_flow(flow, record_fields(flow))
    if problems:
        raise FlowProblems(problems)
    _require_vars(flow, options)
    records: tuple[PlannedRecord, ...] = ()
    warnings: tuple[object, ...] = ()
    if flow.input is not None:
        if options.data_path is None:
            raise InputError(
                say(
                    f"โฟลว์ {flow.path} กรอกข้อมูลจากไฟล์ ระบุไฟล์ด้วย --data FILE",
                    f"Flow {flow.path} enters records: give the data file with --data FILE.",
                )
            )
        require_file(options.data_path, "ไฟล์ข้อมูล", "data file", "*.xlsx")
        if flow.input.records == "table":
            records, warnings = plan_table_records(options.data_path, flow.input)
        elif flow.input.records == "sar":
            max_mb = load_portals(options.config_dir)["esar"].max_upload_mb
            records, warnings = plan_sar_records(options.data_path, int(max_mb * 1024 * 1024))
        else:
            records, warnings = plan_records(options.data_path, options.show_personal)
    guarded = guarded_steps(flow)
    if guarded and not options.dry_run and not options.confirm and not only_checking:
        lines = ", ".join(f"line {s.line}" for s in guarded)
        raise SafetyError(
            say(
                f"ขั้นตอนที่ย้อนกลับไม่ได้ ({lines}) ในระบบจริงต้องสั่งด้วย --confirm ซ้อมด้วย --dry-run ก่อน",
                f"{flow.path} has irreversible steps ({lines}); on a real portal they run only "
                "with --confirm. Rehearse with --dry-run first. Nothing was sent.",
            )
        )
    settings = load_settings(options.config_dir)
    return Prepared(options, flow, records, settings, warnings, current_term(options.config_dir))


def current_term(config_dir: Path, today: date | None = None) -> str:
    """The LEC round in effect today per config/deadlines.yaml ("2569-2"); "-" without one."""
    from bot.ops.calendar_file import load_deadlines
    from bot.ops.deadlines import current_lec_round

    path = config_dir / "deadlines.yaml"
    if not path.is_file():
        return "-"
    lec_round = current_lec_round(load_deadlines(path), today or date.today())
    return lec_round.id if lec_round else "-"


def _require_vars(flow: Flow, options: RunOptions) -> None:
    """The `--var` values the flow declares it needs, asked for before anything logs in."""
    missing = [name for name in flow.vars if not options.variables.get(name)]
    if missing:
        wanted = " ".join(f"--var {name}=..." for name in missing)
        raise InputError(
            say(
                f"โฟลว์ {flow.path} ต้องระบุ {wanted} (เช่น รหัส อปท. --var org=6400101) ยังไม่ได้ส่งอะไร",
                f"Flow {flow.path} needs {wanted} (e.g. the LGO code: --var org=6400101). "
                "Nothing was sent.",
            )
        )


def record_fields(flow: Flow) -> list[str] | None:
    """The fields `${record.…}` may name in this flow, or None when it takes no records."""
    if flow.input is None:
        return None
    if flow.input.records == "sar":
        from bot.portals.esar.records import SAR_RECORD_FIELDS

        return list(SAR_RECORD_FIELDS)
    if flow.input.records == "table":
        return list(flow.input.columns or {})
    return [f.key for f in ALL_FIELDS]


class FlowProblems(InputError):
    """Several problems in one flow, each a FlowError naming file:line."""

    def __init__(self, problems: Sequence[FlowError]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)


def guarded_steps(flow: Flow) -> list[Click]:
    """The flow's irreversible steps (confirm, submit), sub-flows included."""
    return flow.irreversible_steps()
