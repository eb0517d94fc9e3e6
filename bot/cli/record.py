"""`edubot record NAME`: click through a portal once, get a flow that reads like the manual.

A Chrome window opens on the portal (real, or a mock for rehearsal); NAME.yaml is written as
the person works (bot.record). On a real portal a press that confirms, sends or deletes is held
until the person answers at the terminal. Typed values never reach the file, the terminal or a
log: the page script tells only which field changed.

With `--login` the portal's login sub-flow runs first in the same browser (bot.record.login),
so the person starts logged in and the flow begins `run: PORTAL/login`. Once written and
checked, the flow is probed at once on the same portal (`edubot probe`: a made-up child, or
the first record of `--data`, which e-SAR needs: a SAR's PDF cannot be made up), so the person
sees each step resolve, and which lines to edit when one does not; `--no-probe` leaves that
out. Exit codes: 0 when the check and the probe pass, 1 when the probe found a step
that did not resolve, 2 when the flow must be completed first.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from playwright.sync_api import Error as PlaywrightError

from bot import console
from bot.browser.launch import LaunchedBrowser
from bot.browser.mock_proof import prove_mock
from bot.cli.probe_cmd import probe_and_say
from bot.cli.shared import AccountOpt, OverwriteOpt, fail, new_file, refuse, run_dir_named
from bot.config import PortalTarget, check_target, is_loopback_url, load_portals, url_override
from bot.engine.locate import install as install_locating
from bot.engine.pipeline import record_fields, why_stopped
from bot.errors import EdubotError, PortalError
from bot.flow.checks import check_flow
from bot.flow.loader import load_flow
from bot.i18n import say
from bot.log import configure
from bot.net import origin_of
from bot.probe.findings import Finding
from bot.probe.session import ProbeOptions
from bot.record.login import Login, log_in, prepared_login
from bot.record.session import Recorder
from bot.record.writer import unbound_labels, write_flow


def record(
    name: Annotated[str, typer.Argument(help="The flow to write: NAME.yaml (e.g. flows/lec/add)")],
    portal: Annotated[str, typer.Option("--portal", help="lec or esar")] = "lec",
    start: Annotated[
        str | None,
        typer.Option("--start", help="The address to open first (default: the portal's)"),
    ] = None,
    login: Annotated[
        bool,
        typer.Option(
            "--login",
            help="Log in first with the stored login (edubot login); the flow begins with"
            " `run: PORTAL/login`",
        ),
    ] = False,
    account: AccountOpt = None,
    org: Annotated[
        str | None,
        typer.Option("--org", help="The organisation to choose at login (its code or name)"),
    ] = None,
    no_probe: Annotated[
        bool, typer.Option("--no-probe", help="Do not probe the written flow afterwards")
    ] = False,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="The data file the probe walks with: e-SAR's manifest (its PDFs are never"
            " uploaded); LEC's children (default: a made-up child)",
        ),
    ] = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Record a flow by doing the work once in a browser window.

    Example: edubot record flows/lec/add_child --portal lec --login
    """
    if portal not in ("lec", "esar"):
        raise refuse("--portal ต้องเป็น lec หรือ esar", "--portal is lec or esar")
    file = Path(name if name.endswith(".yaml") else f"{name}.yaml")
    new_file(file, overwrite)
    if not has_display():
        raise refuse(
            "edubot record เปิดหน้าต่างเบราว์เซอร์ให้ทำงาน แต่เครื่องนี้ไม่มีหน้าจอ ให้รันจากหน้าจอเดสก์ท็อป",
            "edubot record opens a browser window to work in, and this session has no display; "
            "run it from a desktop session",
        )
    try:
        base = _portal_address(portal, start)
        target = PortalTarget(name=portal, url=base, is_mock=is_loopback_url(base))
        check_target(target, dry_run=False)
        on_mock = _is_mock(target)
    except EdubotError as exc:
        raise fail(exc) from None
    variables = {"org": org} if org else {}
    mock_url = base if on_mock else None
    _say_how(file, on_mock)
    try:
        if login:
            with prepared_login(
                file,
                portal,
                on_mock=on_mock,
                mock_url=mock_url,
                account=account,
                variables=variables,
            ) as logging_in:
                recorder = _record(file, portal, base, start, on_mock, logging_in)
        else:
            recorder = _record(file, portal, base, start, on_mock, None)
    except PortalError as exc:  # the login refused, the portal unreachable: what to do about it
        console.print_error(why_stopped(exc, portal))
        raise typer.Exit(int(exc.exit_code)) from None
    except EdubotError as exc:
        raise fail(exc) from None
    binds = _ask_bindings(unbound_labels(recorder.steps, portal))
    written = write_flow(file.stem, portal, recorder.steps, binds, login=login)
    file.write_text(written.text, encoding="utf-8")
    if not _say_written(file, written.todo, written.unbound):
        raise typer.Exit(2)  # the flow must be completed before it can be probed or run
    if no_probe:
        return
    options = ProbeOptions(
        flow_path=file,
        data_path=data,
        variables=variables,
        account=account,
        run_dir=run_dir_named("probe-%Y%m%d-%H%M%S"),
        dry_run=on_mock,
        mock_url=mock_url,
    )
    raise typer.Exit(_probe(options, portal))


def has_display() -> bool:
    """Can a window open here? (Linux without X or Wayland cannot show one.)"""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def at_a_terminal() -> bool:
    """Can the person be asked (a terminal, not a pipe or a scheduled task)?"""
    return sys.stdin.isatty()


def _portal_address(portal: str, start: str | None) -> str:
    configured = url_override(portal) or load_portals()[portal].url
    if start and not start.startswith(configured.rstrip("/") + "/"):
        return origin_of(start)  # a start elsewhere (a mock's address): its site is the portal
    return configured.rstrip("/")


def _is_mock(target: PortalTarget) -> bool:
    """Only edubot's own mock, proven by its handshake, lets presses through unasked."""
    if not target.is_mock:
        return False
    try:
        prove_mock(target)
    except EdubotError:
        return False
    return True


def _record(
    file: Path, portal: str, base: str, start: str | None, on_mock: bool, login: Login | None
) -> Recorder:
    with LaunchedBrowser(headless=False) as launched:
        assert launched.browser is not None
        if login is not None:
            install_locating(launched.playwright)  # before the context: the login's `label:`
        context = launched.browser.new_context(
            base_url=f"{base}/", locale="th-TH", no_viewport=not launched.headless
        )
        if login is not None:
            console.print_line(say("กำลังเข้าสู่ระบบ…", "Logging in…"))
            home = log_in(context, login)
            start = start or home  # the person starts on the page the login ended on
        recorder: Recorder

        def save() -> None:  # as the person works: a crash loses nothing recorded
            written = write_flow(file.stem, portal, recorder.steps, login=login is not None)
            file.write_text(written.text, encoding="utf-8")

        recorder = Recorder(
            context,
            portal=portal,
            base_url=base,
            hold=not on_mock,
            ask=lambda question: typer.confirm(question, default=False),
            on_change=save,
            tell=console.print_line,
        )
        try:
            recorder.start(start or f"{base}/")
            if not recorder.page.is_closed():  # closed already: nothing to wait for
                recorder.page.wait_for_event("close", timeout=0)
        except KeyboardInterrupt:
            pass  # Ctrl+C ends the recording too
        except PlaywrightError:
            if not recorder.page.is_closed():
                raise
            # the person closed the window while a page was loading: the recording ends
    return recorder


def _ask_bindings(labels: list[str]) -> dict[str, str]:
    """What each field outside the catalogue is filled with; blank leaves a `--var`."""
    if not labels or not at_a_terminal():
        return {}
    binds: dict[str, str] = {}
    for label in labels:
        answer = typer.prompt(
            say(
                f"ช่อง “{label}” ไม่อยู่ในรายการข้อมูล ให้กรอกด้วยอะไร (เช่น record.first_name หรือ "
                "config.school) เว้นว่างเพื่อกำหนดทีหลังด้วย --var",
                f"The field “{label}” is not in the data catalogue: fill it with what (e.g. "
                "record.first_name or config.school)? Blank: a --var to give later",
            ),
            default="",
            show_default=False,
        )
        if answer.strip():
            binds[label] = answer.strip()
    return binds


def _say_how(file: Path, on_mock: bool) -> None:
    console.print_line(
        say(
            f"กำลังบันทึกลง {file}: ทำงานในหน้าต่างที่เปิดขึ้นตามปกติ เลือกข้อความที่ต้องเห็นแล้วกด "
            "Ctrl+Shift+E (หรือปุ่มบนแถบ edubot) ปิดหน้าต่างเมื่อเสร็จ ค่าที่พิมพ์จะไม่ถูกบันทึก",
            f"Recording into {file}: work in the window as usual; select a text the page must "
            "show and press Ctrl+Shift+E (or the edubot bar's button); close the window when "
            "done. Nothing you type is recorded",
        )
    )
    if not on_mock:
        console.print_line(
            say(
                "ระบบจริง: ปุ่มยืนยัน/ส่ง/ลบ จะถามที่หน้าจอนี้ก่อนกดทุกครั้ง",
                "A real portal: a confirm/send/delete press is asked about here first",
            )
        )


def _say_written(file: Path, todo: tuple[str, ...], unbound: tuple[str, ...]) -> bool:
    """Check the written flow and say what is left to do; True when `edubot check` passes."""
    try:
        flow = load_flow(file)
        problems = check_flow(flow, record_fields(flow))
    except EdubotError as exc:
        raise fail(exc) from None
    if problems:
        console.print_problems(problems, say("ต้องแก้ในโฟลว์", "to fix in the flow"))
    for item in todo:
        console.print_line(say(f"ต้องแก้: {item} ({file})", f"to complete: {item} ({file})"))
    if unbound:
        console.print_line(
            say(
                f"ช่องที่ยังไม่ได้ผูก: {', '.join(unbound)} — ให้ค่าด้วย --var field_N=...",
                f"fields still to bind: {', '.join(unbound)} — give them with --var field_N=...",
            )
        )
    console.print_line(say(f"เขียน {file} แล้ว", f"Wrote {file}."))
    return not problems


def _probe(options: ProbeOptions, portal: str) -> int:
    """Probe the written flow on the portal it was recorded on; its exit code (0: it resolves)."""
    file = options.flow_path
    console.print_line(
        say(
            f"ลองโฟลว์ {file} กับระบบด้วย edubot probe (ไม่บันทึกอะไรในระบบ)",
            f"Probing {file} on the portal (edubot probe: nothing is saved there)",
        )
    )
    configure(log_file=options.run_dir / "edubot.log")
    try:
        result = probe_and_say(options)
    except EdubotError as exc:
        console.print_error(str(exc))
        again = f"edubot probe {file}" + (
            f" --data {options.data_path}" if options.data_path else ""
        )
        if options.data_path is None and portal == "esar":
            again += " --data SAR-MANIFEST.xlsx"  # a SAR's PDF cannot be made up
        console.print_line(
            say(
                f"แก้ {file} แล้วลองอีกครั้ง: {again}",
                f"Complete {file}, then try again: {again}",
            )
        )
        return int(exc.exit_code)
    if result.passed:
        return 0
    _say_lines_to_edit(file, [f for f in result.findings if not f.passed])
    return 1


def _say_lines_to_edit(file: Path, failed: list[Finding]) -> None:
    lines = ", ".join(dict.fromkeys(f.where for f in failed)) or str(file)
    console.print_line(
        say(
            f"บางขั้นตอนหาสิ่งที่ต้องใช้ในหน้าไม่พบ แก้บรรทัดเหล่านี้ของโฟลว์: {lines} แล้วลองอีกครั้ง"
            f"ด้วย edubot probe {file}",
            f"Some steps did not resolve; edit these lines of the flow: {lines}, then try again "
            f"with edubot probe {file}",
        )
    )
