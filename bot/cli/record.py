"""`edubot record NAME`: click through a portal once, get a flow that reads like the manual.

A Chrome window opens on the portal (real, or a mock for rehearsal); NAME.yaml is written as
the person works (bot.record). On a real portal a press that confirms, sends or deletes is held
until the person answers at the terminal. Typed values never reach the file, the terminal or a
log: the page script tells only which field changed.
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
from bot.cli.shared import OverwriteOpt, fail, new_file, refuse
from bot.config import PortalTarget, check_target, is_loopback_url, load_portals, url_override
from bot.engine.pipeline import record_fields
from bot.errors import EdubotError
from bot.flow.checks import check_flow
from bot.flow.loader import load_flow
from bot.i18n import say
from bot.net import origin_of
from bot.record.session import Recorder
from bot.record.writer import unbound_labels, write_flow


def record(
    name: Annotated[str, typer.Argument(help="The flow to write: NAME.yaml (e.g. flows/lec/add)")],
    portal: Annotated[str, typer.Option("--portal", help="lec or esar")] = "lec",
    start: Annotated[
        str | None,
        typer.Option("--start", help="The address to open first (default: the portal's)"),
    ] = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Record a flow by doing the work once in a browser window.

    Example: edubot record flows/lec/add_child --portal lec
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
    _say_how(file, on_mock)
    recorder = _record(file, portal, base, start or f"{base}/", on_mock)
    binds = _ask_bindings(unbound_labels(recorder.steps, portal))
    written = write_flow(file.stem, portal, recorder.steps, binds)
    file.write_text(written.text, encoding="utf-8")
    _say_written(file, written.todo, written.unbound)


def has_display() -> bool:
    """Can a window open here? (Linux without X or Wayland cannot show one.)"""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


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


def _record(file: Path, portal: str, base: str, start: str, on_mock: bool) -> Recorder:
    with LaunchedBrowser(headless=False) as launched:
        assert launched.browser is not None
        context = launched.browser.new_context(
            base_url=f"{base}/", locale="th-TH", no_viewport=not launched.headless
        )
        recorder: Recorder

        def save() -> None:  # as the person works: a crash loses nothing recorded
            file.write_text(write_flow(file.stem, portal, recorder.steps).text, encoding="utf-8")

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
            recorder.start(start)
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
    if not labels or not sys.stdin.isatty():
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


def _say_written(file: Path, todo: tuple[str, ...], unbound: tuple[str, ...]) -> None:
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
    console.print_line(
        say(
            f"เขียน {file} แล้ว ตรวจด้วย: edubot check {file} --data FILE แล้วลองกับระบบจำลองหรือ "
            "edubot probe",
            f"Wrote {file}. Check it: edubot check {file} --data FILE, then try it on the mock "
            "or with edubot probe",
        )
    )
