"""`edubot flows list|copy` and `edubot config path`: the shipped flows and configuration, and
the officer's own folder that overrides them (bot/flows_catalogue.py, bot/bundle.py).

`register(app)` adds both sub-commands to the `edubot` app; nothing here imports the app.
"""

from __future__ import annotations

from typing import Annotated

import typer

from bot import console
from bot.errors import ExitCode
from bot.i18n import say

flows_app = typer.Typer(
    no_args_is_help=True,
    help="โฟลว์ที่มากับ edubot และฉบับของท่านเอง · The shipped flows and your own copies.",
)
config_app = typer.Typer(
    no_args_is_help=True,
    help="ไฟล์ค่าตั้งของ edubot · Where edubot's configuration is.",
)


def register(app: typer.Typer) -> None:
    app.add_typer(flows_app, name="flows")
    app.add_typer(config_app, name="config")


@flows_app.command("list")
def flows_list() -> None:
    """List the flows by name, with what each does; `*` marks your own copy.

    Example: edubot flows list
    """
    from bot.flows_catalogue import entries

    listed = entries()
    width = max((len(e.name) for e in listed), default=0)
    for entry in listed:
        mark = "*" if entry.overridden else " "
        console.print_line(f"{mark} {entry.name.ljust(width)}  {entry.description}")
        if entry.overridden:
            console.print_line(
                " " * (width + 4) + say(f"ฉบับของท่าน: {entry.path}", f"your copy: {entry.path}")
            )
    console.print_line(
        say(
            "สั่งทำงานด้วยชื่อ เช่น edubot run lec/students --data children.xlsx · "
            "คัดลอกมาแก้ไขด้วย edubot flows copy ชื่อโฟลว์",
            "run one by name, e.g. edubot run lec/students --data children.xlsx; "
            "copy one to edit with edubot flows copy NAME",
        )
    )


@flows_app.command("copy")
def flows_copy(
    name: Annotated[str, typer.Argument(help="The flow's name, e.g. lec/student_form")],
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace your copy with edubot's current one")
    ] = False,
) -> None:
    """Copy one of edubot's flows into your flows folder; your copy then runs in its place
    (also where other flows run it). Delete the copy to go back to edubot's own.

    Example: edubot flows copy lec/student_form
    """
    from bot.flows_catalogue import AlreadyCopied, UnknownFlow, copy_flow, entries

    try:
        target = copy_flow(name, overwrite=overwrite)
    except UnknownFlow:
        names = ", ".join(e.name for e in entries() if e.shipped is not None)
        console.print_error(
            say(
                f"ไม่มีโฟลว์ชื่อ {name} ในโฟลว์ของ edubot มีดังนี้: {names}",
                f"edubot has no flow named {name}; its flows are: {names}",
            )
        )
        raise typer.Exit(int(ExitCode.BAD_INPUT)) from None
    except AlreadyCopied as exc:
        console.print_error(
            say(
                f"มีฉบับของท่านอยู่แล้ว: {exc} — แก้ไขไฟล์นั้นได้เลย หรือสั่งใหม่พร้อม --overwrite "
                "เพื่อเริ่มจากฉบับของ edubot (ของเดิมจะถูกแทนที่)",
                f"you already have a copy: {exc}. Edit it, or add --overwrite to start again "
                "from edubot's own (your edits are replaced)",
            )
        )
        raise typer.Exit(int(ExitCode.BAD_INPUT)) from None
    except OSError as exc:
        console.print_error(
            say(
                f"คัดลอกไม่ได้: {exc} — ตรวจสิทธิ์ของโฟลเดอร์",
                f"could not copy: {exc}; check the folder's permissions",
            )
        )
        raise typer.Exit(int(ExitCode.BAD_INPUT)) from None
    console.print_line(
        say(
            f"คัดลอกแล้ว: {target} — แก้ไขไฟล์นี้ได้ edubot จะใช้ฉบับนี้แทนโฟลว์ {name} ของ edubot "
            "(ตรวจด้วย edubot check ก่อนใช้งานจริง)",
            f"copied to {target}; edit it there: edubot runs it in place of its own {name} "
            "(try `edubot check` before a real run)",
        )
    )


@config_app.command("path")
def config_path() -> None:
    """Say where edubot's configuration is: your own folder (your files override edubot's
    defaults key by key) and edubot's defaults.

    Example: edubot config path
    """
    from bot.bundle import OVERRIDABLE_CONFIG, bundled_config_dir, user_dir, user_flows_dir

    own = user_dir()
    console.print_line(say(f"โฟลเดอร์ของท่าน: {own}", f"your folder: {own}"))
    for name in OVERRIDABLE_CONFIG:
        path = own / name
        state = say("มี", "present") if path.is_file() else say("ไม่มี", "absent")
        console.print_line(f"  {path}  ({state})")
    console.print_line(f"  {user_flows_dir()}")
    from bot.paths import data_dir

    console.print_line(
        say(f"ข้อมูลของ edubot (การรัน บันทึก): {data_dir()}", f"edubot's data (runs): {data_dir()}")
    )
    shipped = bundled_config_dir()
    console.print_line(say(f"ค่าตั้งต้นของ edubot: {shipped}", f"edubot's defaults: {shipped}"))
    console.print_line(
        say(
            "สร้างไฟล์ชื่อเดียวกันในโฟลเดอร์ของท่าน ใส่เฉพาะค่าที่ต้องการเปลี่ยน เช่น deadlines.yaml "
            "ที่มีแค่ lec: rounds: ของรอบนี้ (อย่าแก้ไฟล์ของ edubot: จะหายเมื่ออัปเดต)",
            "put a file of the same name in your folder with only the keys to change, e.g. a "
            "deadlines.yaml with this term's lec: rounds: (edubot's own files are replaced on "
            "upgrade)",
        )
    )
