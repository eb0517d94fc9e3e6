"""The officer's everyday commands around the runs: `report`, `login`, `doctor`, and
`mock serve` for rehearsals.
"""

from __future__ import annotations

import contextlib
import errno
import json
import signal
import threading
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from bot import console, i18n
from bot.cli import system
from bot.cli.shared import ConfigOpt, fail, refuse
from bot.data.inputs import port_busy
from bot.engine.report_html import write_report_html
from bot.errors import CredentialsError, EdubotError
from bot.i18n import say
from bot.ops.doctor import CheckResult, keyring_backend, run_checks
from bot.ops.purge import REPORT_FILE, latest_run
from bot.paths import default_runs_dir, mock_state_dir
from bot.secrets import store_credentials
from mock_portals.esar.app import create_app as create_esar
from mock_portals.lec.app import create_app as create_lec
from mock_portals.lec.markup import MarkupSettingError, configured_markup
from mock_portals.serve import serve_in_thread


def report(
    run_dir: Annotated[
        Path | None, typer.Argument(help="A run directory (default: the latest run)")
    ] = None,
    no_open: Annotated[
        bool, typer.Option("--no-open", help="Only write report.html and print its path")
    ] = False,
) -> None:
    """Write a run's report.html from its report.json and open it in the browser.

    Example: edubot report demo-run
    """
    if run_dir is not None and run_dir.is_file():
        run_dir = run_dir.parent  # the officer pointed at report.json itself
    directory = run_dir or latest_run(default_runs_dir())  # the run `edubot purge` would take
    if directory is None:
        raise refuse(
            f"ยังไม่มีการรันใน {default_runs_dir()} ระบุโฟลเดอร์ของการรัน เช่น edubot report demo-run",
            f"No runs under {default_runs_dir()}; name a run directory: edubot report demo-run",
        )
    source = directory / REPORT_FILE
    try:
        data: Any = json.loads(source.read_text(encoding="utf-8"))
    except OSError:
        if run_dir is None:  # the latest run, as `purge` would take it, stopped without one
            raise refuse(
                f"การรันล่าสุด {directory} ไม่มี {REPORT_FILE} (หยุดก่อนเขียนรายงาน หรือเป็นรอบ"
                " ซึ่งมีรายงานในโฟลเดอร์ของแต่ละขั้นตอน) ระบุโฟลเดอร์ของการรัน เช่น edubot report demo-run",
                f"The latest run, {directory}, holds no {REPORT_FILE} (it stopped before writing"
                " one, or it is a round, whose steps each keep theirs in a folder); name a run"
                " directory: edubot report demo-run",
            ) from None
        raise refuse(f"ไม่พบ {source}", f"{source} does not exist.") from None
    except ValueError as exc:
        raise refuse(f"อ่าน {source} ไม่ได้: {exc}", f"{source} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise refuse(f"{source} ไม่ใช่รายงานของ edubot", f"{source} is not an edubot report.")
    try:
        html = write_report_html(data, directory)
    except EdubotError as exc:
        raise fail(exc) from None
    console.print_line(say(f"รายงาน: {html}", f"Report: {html}"))
    if not no_open and not system.open_in_browser(html.absolute().as_uri()):
        console.print_line(say("เปิดไฟล์นี้ในเบราว์เซอร์ได้เลย", "Open that file in a browser."))


class Portal(StrEnum):
    """The portals edubot logs in to."""

    LEC = "lec"
    ESAR = "esar"


def _no_keyring(portal: Portal) -> typer.Exit:
    prefix = f"EDUBOT_{portal.value.upper()}"
    return refuse(
        f"เครื่องนี้ไม่มี keyring จึงเก็บรหัสผ่านไม่ได้ ให้ตั้งค่า {prefix}_USERNAME และ {prefix}_PASSWORD แทน",
        f"This machine has no keyring backend, so edubot cannot store the password. Set "
        f"{prefix}_USERNAME and {prefix}_PASSWORD instead.",
    )


def login(
    portal: Annotated[Portal, typer.Argument(help="lec or esar")],
    username: Annotated[
        str | None, typer.Option("--username", help="Asked for when not given")
    ] = None,
) -> None:
    """Store a portal's username and password in the system keyring (the password is hidden).

    Example: edubot login lec
    """
    if keyring_backend() is None:
        raise _no_keyring(portal)
    name = i18n.portal_title(portal.value)
    user = username or str(typer.prompt(say(f"ชื่อผู้ใช้ {name}", f"{name} username")))
    password = str(
        typer.prompt(
            say(f"รหัสผ่าน {name} (ไม่แสดงขณะพิมพ์)", f"{name} password (not shown)"),
            hide_input=True,
            confirmation_prompt=say("พิมพ์รหัสผ่านอีกครั้ง", "Repeat the password"),
        )
    )
    try:
        store_credentials(portal.value, user.strip(), password)
    except CredentialsError:
        raise _no_keyring(portal) from None
    console.print_line(
        say(
            f"เก็บชื่อผู้ใช้และรหัสผ่าน {name} ของ {user.strip()} ใน keyring แล้ว",
            f"Stored the {name} login of {user.strip()} in the keyring.",
        )
    )


_MARKS = {"ok": "✓", "fail": "✗", "warn": "!", "skip": "–"}


def doctor_lines(results: list[CheckResult]) -> list[str]:
    """One line per check, its fix under each failure or warning, a summary last."""
    lines = []
    for r in results:
        first, *rest = (r.detail or "").splitlines() or [""]
        lines.append(f"{_MARKS[r.status]} {say(r.name_th, r.name_en)}: {first}".rstrip(": "))
        lines += [f"    {ln}" for ln in rest]
        if r.status in ("fail", "warn") and (r.fix_th or r.fix_en):
            lines.append("    " + say(f"วิธีแก้: {r.fix_th}", f"fix: {r.fix_en}"))
    failed = sum(1 for r in results if not r.passed)
    lines.append(
        say(f"ไม่ผ่าน {failed} รายการ", f"{failed} check(s) failed")
        if failed
        else say("พร้อมใช้งาน", "All checks passed.")
    )
    return lines


def doctor_command(config: ConfigOpt = None) -> None:
    """Check that this machine is ready: browser, keyring, config, flows, Thai font, portals.

    Example: edubot doctor
    """
    probes = system.doctor_probes()
    if config is not None:
        probes = replace(probes, config_dir=config)
    results = run_checks(probes)
    for line in doctor_lines(results):
        console.print_line(line)
    raise typer.Exit(0 if all(r.passed for r in results) else 1)


def mock_serve(
    lec_port: Annotated[int, typer.Option("--lec-port", help="0 = any free port")] = 0,
    esar_port: Annotated[int, typer.Option("--esar-port", help="0 = any free port")] = 0,
    state_dir: Annotated[Path | None, typer.Option("--state-dir")] = None,
    markup: Annotated[
        str | None,
        typer.Option(
            "--markup",
            help="The mock LEC's pages: accessible or framework (default: $EDUBOT_LEC_MARKUP,"
            " else accessible)",
        ),
    ] = None,
) -> None:
    """Serve the mock LEC and e-SAR portals on 127.0.0.1 until Ctrl-C.

    Example: edubot mock serve --lec-port 8001 --esar-port 8002 --markup framework
    """
    try:
        lec_markup = configured_markup(markup)
    except MarkupSettingError as exc:
        raise typer.BadParameter(str(exc), param_hint="--markup") from exc
    base = state_dir or mock_state_dir()
    (base / "lec").mkdir(parents=True, exist_ok=True)
    (base / "esar").mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.ExitStack() as stack:
        lec = _serve_on(stack, create_lec(base / "lec", markup=lec_markup), lec_port, "--lec-port")
        esar = _serve_on(stack, create_esar(base / "esar"), esar_port, "--esar-port")
        print(f"lec {lec.url}", flush=True)
        print(f"esar {esar.url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            wait_until_stopped(stop)


def wait_until_stopped(stop: threading.Event, poll_s: float = 0.5) -> None:
    """Return once `stop` is set (SIGTERM) or Ctrl-C raises KeyboardInterrupt.

    In short waits: on Windows a wait without a timeout cannot be interrupted by Ctrl-C before
    Python 3.14 (Lock.acquire), so the officer could only close the window.
    """
    while not stop.wait(poll_s):
        pass


def _serve_on(stack: contextlib.ExitStack, asgi: Any, port: int, option: str) -> Any:
    """Serve one mock; a port already taken is the officer's to change, said as such."""
    try:
        return stack.enter_context(serve_in_thread(asgi, port))
    except OSError as exc:
        if exc.errno not in _PORT_TAKEN:
            raise
        raise fail(port_busy(option, port, forbidden=exc.errno == errno.EACCES)) from None


# Windows refuses a port it keeps for itself (Hyper-V, WSL reserve ranges) with its own code,
# WSAEACCES (10013), not EACCES: held by the system, said like a port another program holds.
_PORT_TAKEN = {errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEACCES", 10013)}
