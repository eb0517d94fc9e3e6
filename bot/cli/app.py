"""The `edubot` command: the Typer app, every command registered on it here, and `main`.

The commands are plain functions in their own modules (`run`, `round`, `demo`, `deadlines`,
`schedule`, `admin`, `privacy`), which import `bot.cli.shared` and never this module: imports
go one way, from here down.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from bot import console, i18n
from bot.cli import (
    admin,
    deadlines,
    demo,
    flows_cmd,
    privacy,
    probe_cmd,
    record,
    run,
    schedule,
    schedule_checks,
    system,
)
from bot.cli import round as round_cmd  # not to hide the built-in round
from bot.errors import ExitCode
from bot.log import redact
from bot.text_streams import use_utf8_output


class _LangAnywhere(TyperGroup):
    """The one `--lang`, declared on the app, is taken wherever the officer types it:
    `edubot --lang th deadlines` and `edubot deadlines --lang th` mean the same."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer's own click Context
        return super().parse_args(ctx, lang_first(args))


def lang_first(args: list[str]) -> list[str]:
    """`args` with every `--lang X` / `--lang=X` moved before the command (up to a `--`)."""
    end = args.index("--") if "--" in args else len(args)
    head, rest, moved = args[:end], args[end:], []
    kept: list[str] = []
    index = 0
    while index < len(head):
        arg = head[index]
        if arg == "--lang" and index + 1 < len(head):
            moved += head[index : index + 2]
            index += 2
            continue
        if arg.startswith("--lang="):
            moved.append(arg)
        else:
            kept.append(arg)
        index += 1
    return moved + kept + rest


app = typer.Typer(
    cls=_LangAnywhere,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a local may hold a password
    add_completion=False,
    help="edubot — กรอกข้อมูล LEC และส่ง SAR ให้อัตโนมัติ (LEC records and e-SAR uploads, automated).",
)


@app.callback()
def _setup(
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="th or en, before or after the command; default: EDUBOT_LANG, else Thai on a"
            " Thai locale, else both",
        ),
    ] = None,
) -> None:
    """edubot — LEC records and e-SAR uploads for Thai local-government education officers."""
    os.umask(0o077)  # everything edubot creates (runs, logs, journal) is the officer's alone
    if lang is not None and lang not in ("th", "en"):
        raise typer.BadParameter("--lang is th or en")
    i18n.use(lang)  # None: back to EDUBOT_LANG / the locale (each command starts afresh)


app.command("run")(run.run)
app.command("check")(run.check)
app.command("round")(round_cmd.round_command)
app.command("status")(round_cmd.status)
app.command("demo")(demo.demo)
app.command("deadlines")(deadlines.deadlines)
app.command("report")(admin.report)
app.command("login")(admin.login)
app.command("doctor")(admin.doctor_command)
app.command("purge")(privacy.purge_command)
app.command("record")(record.record)
app.command("probe")(probe_cmd.probe)

mock_app = typer.Typer(no_args_is_help=True, help="Mock portals for rehearsal and tests.")
mock_app.command("serve")(admin.mock_serve)
app.add_typer(mock_app, name="mock")

template_app = typer.Typer(no_args_is_help=True, help="Write input templates (Thai headers).")
template_app.command("students")(run.template_students)
template_app.command("sar")(run.template_sar)
app.add_typer(template_app, name="template")

schedule_app = typer.Typer(
    no_args_is_help=True,
    help="ตั้งเวลาให้ edubot ทำงานเอง (cron / Task Scheduler) · Scheduled, unattended runs.",
)
schedule_app.command("add")(schedule.schedule_add)
schedule_app.command("list")(schedule.schedule_list)
schedule_app.command("remove")(schedule.schedule_remove)
schedule_checks.register(schedule_app, lambda: system.scheduler_factory())  # probe, test
app.add_typer(schedule_app, name="schedule")
flows_cmd.register(app)  # `edubot flows list|copy`, `edubot config path`


def main() -> None:
    """Console entry point (pyproject `edubot`); an unexpected error exits 3 without a
    traceback full of locals."""
    use_utf8_output()  # Thai on a redirected Windows console too (bot/text_streams.py)
    os.umask(0o077)  # everything edubot writes is the officer's alone
    try:
        app()
    except SystemExit:
        raise
    except Exception as exc:  # pragma: no cover - last resort
        console.print_error(f"internal error: {redact(f'{type(exc).__name__}: {exc}')}")
        sys.exit(int(ExitCode.INTERNAL))
