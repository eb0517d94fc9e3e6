"""The officer's everyday slips, refused before anything runs: a path that does not exist, a
folder where a file belongs, a folder that is missing, a busy port, a window with no screen.

Each refusal is an `InputError` (exit 2) that says in Thai and English what is wrong and what
to type instead; none of these may end as "internal error" (exit 3).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bot.errors import InputError
from bot.i18n import say_fix

_SHOWN = 12  # files named as examples when a folder was given; more would be noise


def refusal(th: str, en: str, fix_th: str, fix_en: str) -> InputError:
    """An input refusal: what is wrong, then the fix, Thai first."""
    return InputError(say_fix(th, en, fix_th, fix_en))


def require_file(path: Path, what_th: str, what_en: str, pattern: str = "*") -> None:
    """`path` must be an existing, readable file; a folder is answered with the files in it
    (`pattern`)."""
    if path.is_file():
        if not os.access(path, os.R_OK):
            raise refusal(
                f"ไม่มีสิทธิ์อ่าน{what_th} {path}",
                f"The {what_en} {path} cannot be read (no permission).",
                "ปิดไฟล์ในโปรแกรมอื่น หรือคัดลอกไฟล์มาไว้ในโฟลเดอร์ของท่าน",
                "close it in other programs, or copy it into a folder of your own.",
            )
        return
    if path.is_dir():
        found = sorted(p.name for p in path.glob(pattern) if p.is_file())
        examples = ", ".join(found[:_SHOWN]) + (", …" if len(found) > _SHOWN else "")
        raise refusal(
            f"{path} เป็นโฟลเดอร์ ไม่ใช่{what_th}",
            f"{path} is a folder, not a {what_en}.",
            f"ระบุไฟล์หนึ่งในโฟลเดอร์นั้น ({examples}) เช่น {path / found[0]}"
            if found
            else f"ระบุ{what_th}หนึ่งไฟล์",
            f"name one file in it ({examples}), e.g. {path / found[0]}"
            if found
            else f"name one {what_en}.",
        )
    where = path.parent if str(path.parent) != "." else Path.cwd()
    raise refusal(
        f"ไม่พบ{what_th} {path} (ค้นใน {where})",
        f"The {what_en} {path} does not exist (looked in {where}).",
        "ตรวจชื่อไฟล์และโฟลเดอร์ (ใช้ชื่อเต็ม หรือ cd ไปยังโฟลเดอร์ที่มีไฟล์)",
        "check the file and folder names (give the full path, or cd to its folder).",
    )


def require_new_file(path: Path, overwrite: bool) -> None:
    """A file edubot is about to create: its folder must exist, and a file there is kept
    unless the officer said `--overwrite` (a filled workbook lost is a day's work)."""
    if not path.parent.is_dir():
        raise refusal(
            f"ไม่มีโฟลเดอร์ {path.parent} จึงเขียน {path.name} ไม่ได้",
            f"The folder {path.parent} does not exist, so {path.name} cannot be written.",
            f"สร้างโฟลเดอร์ก่อน (mkdir {path.parent}) หรือเลือกโฟลเดอร์ที่มีอยู่",
            f"create it first (mkdir {path.parent}) or choose a folder that exists.",
        )
    if path.is_dir():
        raise refusal(
            f"{path} เป็นโฟลเดอร์",
            f"{path} is a folder.",
            f"ระบุชื่อไฟล์ เช่น {path / 'template.xlsx'}",
            f"give a file name, e.g. {path / 'template.xlsx'}.",
        )
    if path.exists() and not overwrite:
        raise refusal(
            f"มีไฟล์ {path} อยู่แล้ว ไม่ได้เขียนทับ (อาจเป็นไฟล์ที่กรอกข้อมูลไว้)",
            f"{path} already exists and was left as it is (it may hold filled-in data).",
            "ใช้ชื่อไฟล์อื่น หรือเพิ่ม --overwrite ถ้าต้องการแทนที่จริง ๆ",
            "choose another name, or add --overwrite to replace it.",
        )


def port_busy(option: str, port: int, *, forbidden: bool = False) -> InputError:
    """The answer to a port another program (or another `mock serve`) already holds, or one
    below 1024 that only an administrator may open (`forbidden`)."""
    return refusal(
        f"ใช้พอร์ต {port} ไม่ได้ (" + ("ต้องเป็นผู้ดูแลระบบ" if forbidden else "มีโปรแกรมอื่นใช้อยู่") + ")",
        f"Port {port} cannot be used ("
        + ("it needs administrator rights" if forbidden else "another program holds it")
        + ").",
        f"เลือกพอร์ตอื่นด้วย {option} (หรือ {option} 0 ให้เลือกเอง) หรือปิดโปรแกรมที่ใช้พอร์ตนั้น",
        f"choose another with {option} (or {option} 0 for any free port), "
        "or stop the program that holds it.",
    )


def require_display(headed: bool) -> None:
    """`--headed` needs a screen: on Linux without X or Wayland the window cannot open."""
    if not headed or not sys.platform.startswith("linux"):
        return
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    raise refusal(
        "เครื่องนี้ไม่มีหน้าจอให้เปิดหน้าต่างเบราว์เซอร์ (--headed) ยังไม่ได้ส่งอะไร",
        "This session has no display to show the browser window (--headed). Nothing was sent.",
        "รันโดยไม่ใส่ --headed หรือรันในหน้าจอเดสก์ท็อป",
        "run without --headed, or from a desktop session.",
    )
