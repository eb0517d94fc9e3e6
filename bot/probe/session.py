"""A probe from the command line's options to its result: checks first, then one browser.

As for `edubot run`, everything refusable is refused before a browser opens (a bad flow, a
bad data file, a missing `--var`: exit 2). Then the probe logs in with the officer's stored
login (keyring or environment), holding the account's run lock as a run would, and walks the
flow with the data's first record, or a made-up child when no file is given.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from bot.browser.launch import BrowserSession
from bot.config import DEFAULT_CONFIG_DIR, load_settings
from bot.data.demo import demo_students
from bot.engine.locate import install as install_locating
from bot.engine.options import RunOptions
from bot.engine.pipeline import download_rule, enter_portal, prepare, record_fields
from bot.engine.session import commands_of
from bot.errors import InputError
from bot.flow.binding import Bindings
from bot.flow.checks import check_flow
from bot.flow.loader import load_flow
from bot.flow.model import Flow
from bot.i18n import say
from bot.probe.capture import Capture, personal_values_of
from bot.probe.findings import Finding
from bot.probe.guard import RequestGuard
from bot.probe.walk import Walk


@dataclass(frozen=True)
class ProbeOptions:
    """What the officer asked `edubot probe` for."""

    flow_path: Path
    data_path: Path | None = None
    variables: Mapping[str, str] = field(default_factory=dict)
    account: str | None = None
    capture_dir: Path | None = None
    run_dir: Path = Path(".")
    headless: bool = True
    dry_run: bool = False  # against edubot's own mock (served in-process unless EDUBOT_*_URL)
    mock_url: str | None = None  # a mock already served (the one `edubot record` worked on)
    config_dir: Path = DEFAULT_CONFIG_DIR


@dataclass(frozen=True)
class PreparedProbe:
    options: ProbeOptions
    flow: Flow
    record: Mapping[str, str] | None
    record_said: tuple[str, str]  # which record, Thai and English (its key masked)


@dataclass
class ProbeResult:
    """Everything the report says."""

    flow: Flow
    target: str
    record_said: tuple[str, str]
    findings: list[Finding]
    stopped: list[str]  # requests the guard aborted ("POST /path")
    let_through: list[str]  # the login's own posts
    reads: list[str]  # posts of commands that only read ("POST /student/student.do cmd=list")
    page_hashes: dict[str, str]  # path -> hash of the page's structure (no data)
    captured: list[dict[str, object]]
    seconds: float

    @property
    def passed(self) -> bool:
        return not self.stopped and all(f.passed for f in self.findings)


def _guarded(guard: RequestGuard, rule: Callable[[str], bool]) -> Callable[[str], bool]:
    """A download beside the browser (routes never see it) meets the guard, then the rule."""
    return lambda url: guard.admits_beside(url) and rule(url)


def prepare_probe(options: ProbeOptions) -> PreparedProbe:
    """Load and check the flow and its data; InputError (exit 2) before any browser opens.

    With a data file, `edubot run`'s own preparation reads and checks it (a file `run` would
    refuse is refused here too); the probe walks with its first record.
    """
    _require_empty_capture(options.capture_dir)
    flow = load_flow(options.flow_path)
    problems = check_flow(flow, record_fields(flow))
    if problems:
        raise InputError("\n".join(str(problem) for problem in problems))
    missing = [name for name in flow.vars if not options.variables.get(name)]
    if missing:
        wanted = " ".join(f"--var {name}=..." for name in missing)
        raise InputError(
            say(
                f"โฟลว์ {flow.path} ต้องระบุ {wanted} ยังไม่ได้ส่งอะไร",
                f"Flow {flow.path} needs {wanted}. Nothing was sent.",
            )
        )
    if flow.input is None:
        return PreparedProbe(options, flow, None, ("ไม่มี", "none"))
    if options.data_path is None:
        made_up = ("ข้อมูลเด็กสมมุติ", "a made-up child")
        return PreparedProbe(options, flow, made_up_record(flow), made_up)
    checked = prepare(
        RunOptions(
            flow_path=options.flow_path,
            data_path=options.data_path,
            config_dir=options.config_dir,
            variables=dict(options.variables),
        ),
        only_checking=True,  # nothing will be pressed: irreversible steps are no reason to refuse
    )
    if not checked.records:
        raise InputError(
            say(
                f"ไม่พบรายการใดใน {options.data_path} ใส่อย่างน้อยหนึ่งแถว หรือไม่ต้องระบุ --data "
                "เพื่อใช้ข้อมูลสมมุติ",
                f"{options.data_path} holds no records; give a file with at least one row, or no "
                "--data for a made-up record.",
            )
        )
    first = checked.records[0]
    row = first.row or first.index
    said = (
        f"{options.data_path.name} แถว {row} ({first.masked_key})",
        f"{options.data_path.name} row {row} ({first.masked_key})",
    )
    return PreparedProbe(options, flow, first.values, said)


def _require_empty_capture(folder: Path | None) -> None:
    """A capture goes into a new or empty folder: pages of two probes never mix."""
    if folder is not None and folder.exists() and any(folder.iterdir()):
        raise InputError(
            say(
                f"โฟลเดอร์ {folder} มีไฟล์อยู่แล้ว ระบุโฟลเดอร์ใหม่หรือโฟลเดอร์ว่างให้ --capture",
                f"{folder} is not empty: give --capture a new or empty folder, so that pages of "
                "two probes never mix.",
            )
        )


def made_up_record(flow: Flow) -> dict[str, str]:
    """A record no one has, to walk a flow with when no data file is given."""
    assert flow.input is not None
    if flow.input.records == "table":
        return {key: "ตัวอย่าง" for key in flow.input.columns or {}}
    if flow.input.records == "sar":
        raise InputError(
            say(
                f"โฟลว์ {flow.path} ส่งไฟล์ SAR ระบุไฟล์ด้วย --data (probe ไม่อัปโหลดอะไร)",
                f"{flow.path} uploads SAR files: give the manifest with --data FILE (nothing is "
                "uploaded by a probe).",
            )
        )
    child = demo_students(1, seed=2026, school_grades=["ประถมศึกษาปีที่ 1"])[0]
    return dict(child.as_portal_values())


def run_probe(prepared: PreparedProbe) -> ProbeResult:
    """Log in, walk the flow, and say what was found; nothing but the login is sent."""
    options, flow = prepared.options, prepared.flow
    started = time.monotonic()
    run_options = RunOptions(
        flow_path=options.flow_path,
        data_path=options.data_path,
        dry_run=options.dry_run,
        config_dir=options.config_dir,
        variables=dict(options.variables),
        account=options.account,
        mock_url=options.mock_url,
    )
    settings = load_settings(options.config_dir)
    guard = RequestGuard(commands_of(flow.portal))
    known = personal_values_of([dict(prepared.record)] if prepared.record else [])
    capture = Capture(options.capture_dir, known)
    with ExitStack() as stack:
        target, mock_origins, creds = enter_portal(stack, flow, run_options)
        session = stack.enter_context(
            BrowserSession(
                headless=options.headless,
                dry_run=options.dry_run,
                block_resources=settings.browser.block_resources,
                action_timeout_ms=settings.timeouts.action_ms,
                navigation_timeout_ms=settings.timeouts.navigation_ms,
                mock_origins=mock_origins,
            )
        )
        install_locating(session.playwright)  # before the context: `label:` needs the engine
        context = session.new_context(target.url)
        stack.callback(context.close)
        guard.install(context)
        walk = Walk(
            page=context.new_page(),
            flow=flow,
            bindings=Bindings(None, {flow.portal: creds}, dict(options.variables)),
            record=prepared.record,
            guard=guard,
            capture=capture,
            artefacts_dir=options.run_dir,
            timeout_ms=settings.timeouts.action_ms,
            may_request=_guarded(guard, download_rule(options.dry_run, target, session.wall)),
            commands=guard.commands,
        )
        findings = walk.run()
    return ProbeResult(
        flow=flow,
        target=target.url,
        record_said=prepared.record_said,
        findings=findings,
        stopped=list(guard.stopped),
        let_through=list(guard.let_through),
        reads=list(guard.reads),
        page_hashes=capture.shapes.digests(),
        captured=list(capture.pages),
        seconds=time.monotonic() - started,
    )
