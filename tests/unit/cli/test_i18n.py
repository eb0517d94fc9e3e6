"""`bot.i18n`: --lang, then EDUBOT_LANG, then the locale; English unless Thai is asked for."""

from __future__ import annotations

import ast
import re
from itertools import pairwise
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot import i18n
from bot.cli.app import app
from bot.i18n import Lang, lang_from_env, say


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, Lang.EN),
        ({"LANG": "th_TH.UTF-8"}, Lang.TH),
        ({"LANG": "en_US.UTF-8"}, Lang.EN),
        ({"LANG": "th_TH.UTF-8", "LC_ALL": "C"}, Lang.EN),  # LC_ALL wins
        ({"LANG": "C.UTF-8", "LC_MESSAGES": "th_TH"}, Lang.TH),
        ({"LANG": "en_US.UTF-8", "EDUBOT_LANG": "th"}, Lang.TH),
        ({"LANG": "th_TH.UTF-8", "EDUBOT_LANG": "EN"}, Lang.EN),
        ({"LANG": "th_TH.UTF-8", "EDUBOT_LANG": "klingon"}, Lang.TH),  # unknown: ignored
    ],
)
def test_language_from_the_environment(env: dict[str, str], expected: Lang) -> None:
    assert lang_from_env(env) is expected


def test_use_overrides_and_none_goes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDUBOT_LANG", "en")
    assert i18n.use("th") is Lang.TH
    assert say("สวัสดี", "hello") == "สวัสดี"
    assert i18n.use(None) is Lang.EN
    assert say("สวัสดี", "hello") == "hello"


def test_the_lang_option_and_the_environment_reach_the_commands(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = ["deadlines", "--today", "2026-12-01"]
    assert cli.invoke(app, [*today, "--lang", "th"]).output.startswith("งานตามกำหนด")
    assert cli.invoke(app, today).output.startswith("What is due")  # the --lang did not stick
    monkeypatch.setenv("EDUBOT_LANG", "th")
    assert cli.invoke(app, today).output.startswith("งานตามกำหนด")
    assert cli.invoke(app, [*today, "--lang", "fr"]).exit_code == 2


@pytest.mark.parametrize(
    "command",
    [["deadlines"], ["schedule", "add"], ["schedule", "list"], ["schedule", "remove"],
     ["report"], ["login"], ["doctor"]],
)  # fmt: skip
def test_every_new_command_has_an_example_in_its_help(cli: CliRunner, command: list[str]) -> None:
    result = cli.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example: edubot " + command[0] in result.output


def test_both_languages_unless_one_is_chosen_and_a_label_may_join_them_its_own_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("EDUBOT_LANG")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert say("เพิ่ม", "added") == "เพิ่ม (added)"
    assert say("เพิ่ม", "added", both="เพิ่ม/added") == "เพิ่ม/added"
    i18n.use("en")
    assert say("เพิ่ม", "added", both="เพิ่ม/added") == "added"
    i18n.use("th")
    assert say("เพิ่ม", "added", both="เพิ่ม/added") == "เพิ่ม"


# --- one way to write bilingual text: `say`, never a hand-written "ไทย — English" or
# "ไทย (English)" literal ---

BOT = Path(__file__).resolve().parents[3] / "bot"
# Every package is converted; a pattern here would leave its modules out of the scan.
NOT_YET_CONVERTED: tuple[str, ...] = ()
THAI_LETTER = re.compile(r"[\u0e00-\u0e7f]")
ENGLISH_SENTENCE = re.compile(r"[A-Za-z][a-z']+(?:[ ,;:]+[A-Za-z][a-z']+){2,}")
PARENTHESISED = re.compile(r"\(([^()]*)\)")
CODE = re.compile(r"`[^`]*`")  # a command quoted in a Thai text is no English sentence
GLOSS = re.compile(r"[\u0e00-\u0e7f]+/[A-Za-z]+")  # `บรรทัด/line`: a label, not Thai text
# Keyword arguments whose text is bilingual by design: `say`'s own joined form, and Typer's help
# texts, which are built before `--lang` is read and so must serve both readers.
BILINGUAL_KEYWORDS = frozenset({"both", "help"})
# Literals that stay "ไทย (English)" on purpose: (file, how the text starts) → why.
BILINGUAL_ON_PURPOSE: dict[tuple[str, str], str] = {
    ("bot/record/writer.py", "แก้ไข: ข้อความที่หน้านี้"): (
        "the verify text a recorded flow carries until the officer edits that YAML file"
    ),
    ("bot/record/writer.py", "บันทึกด้วย edubot record"): "a recorded flow's `description:`",
    ("bot/record/writer.py", "ย้อนกลับไม่ได้: ตรวจ verify"): "a comment in a recorded flow's YAML",
    ("bot/record/writer.py", "ทีละรายการในไฟล์ข้อมูล"): "a comment in a recorded flow's YAML",
    ("bot/flow/params.py", "params:"): "an example of flow YAML, to be copied into a flow",
    ("bot/data/thai.py", "Use ชาย or หญิง"): "English naming the Thai values a sheet may hold",
    ("bot/probe/report.py", "<!DOCTYPE html>"): "the HTML of a probe report, read by both",
    ("bot/probe/sanitise.py", "\n([known, patterns])"): "JavaScript source, not a message",
}


def _literal_text(node: ast.AST) -> str | None:
    """A string literal's text, an f-string's placeholders as `{}`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
        return "".join(str(part) for part in parts)
    return None


def _name(node: ast.AST) -> str:
    """`th`, `self.message_th` → the last name, for telling a Thai value from an English one."""
    if isinstance(node, ast.FormattedValue):
        node = node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _english_in_parentheses(text: str) -> bool:
    """A Thai text followed by its English in parentheses: "ไม่พบไฟล์ (the file is missing)"."""
    if not THAI_LETTER.search(text):
        return False
    return any(
        len(aside) >= 12
        and not THAI_LETTER.search(GLOSS.sub("", aside))
        and ENGLISH_SENTENCE.search(aside)
        for aside in PARENTHESISED.findall(CODE.sub("", text))
    )


def _joins_thai_and_english(node: ast.AST) -> bool:
    text = _literal_text(node)
    if text is None:
        return False
    if _english_in_parentheses(text):
        return True
    parts = text.split(" — ")
    for left, right in pairwise(parts):
        for thai, english in ((left, right), (right, left)):
            if (
                THAI_LETTER.search(thai)
                and not THAI_LETTER.search(english)
                and ENGLISH_SENTENCE.search(english)
            ):
                return True
    if isinstance(node, ast.JoinedStr):  # f"{th} — {en}": two variables joined by hand
        names = [_name(v) if isinstance(v, ast.FormattedValue) else v for v in node.values]
        seen_thai = seen_dash = False
        for item in names:
            if isinstance(item, str) and (item == "th" or item.endswith("_th")):
                seen_thai = True
            elif isinstance(item, ast.Constant) and " — " in str(item.value) and seen_thai:
                seen_dash = True
            elif isinstance(item, str) and (item == "en" or item.endswith("_en")) and seen_dash:
                return True
    return False


def _on_purpose(filename: str, node: ast.AST) -> bool:
    text = _literal_text(node) or ""
    return any(filename == path and text.startswith(start) for path, start in BILINGUAL_ON_PURPOSE)


def hand_joined_bilingual_literals(source: str, filename: str) -> list[str]:
    """`file:line` of every literal that joins a Thai text and an English sentence with " — "
    or puts the English in parentheses after the Thai. Left alone: docstrings (documentation,
    not messages), `both=` and `help=` arguments, and the texts of BILINGUAL_ON_PURPOSE."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(value) for value in node.values)
        if isinstance(node, ast.Call):
            skip.update(id(k.value) for k in node.keywords if k.arg in BILINGUAL_KEYWORDS)
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))  # a docstring
    return [
        f"{filename}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.expr)
        and id(node) not in skip
        and _joins_thai_and_english(node)
        and not _on_purpose(filename, node)
    ]


def test_the_scan_finds_a_hand_joined_message_and_passes_say() -> None:
    source = (
        '"""Docstring: ไทย — an English sentence here."""\n'
        'A = "ไม่พบไฟล์ — The file does not exist."\n'
        'B = f"ไม่พบ {p} — {p} does not exist."\n'
        'C = f"{th} แก้ไข: {fix_th} — {en} Fix: {fix_en}"\n'
        'D = say("ไม่พบไฟล์", "The file does not exist.")\n'
        'E = f"ระบบปิด {day} — เหลือ {n} วัน"\n'
        'F = "warning: a guard judges by absence. Add `anchor:` — what the page shows"\n'
    )
    assert hand_joined_bilingual_literals(source, "x.py") == ["x.py:2", "x.py:3", "x.py:4"]


def test_the_scan_finds_english_in_parentheses_after_thai() -> None:
    source = (
        '"""Docstring: ไม่พบไฟล์ (the file does not exist)."""\n'
        'A = "ไม่พบไฟล์ (the file does not exist)"\n'
        'B = f"ไม่พบ {p} ({p} does not exist; check the name)"\n'
        'C = say("ไม่พบไฟล์", "The file does not exist.", both="ไม่พบไฟล์ (the file is gone)")\n'
        'D = typer.Option(help="ภาษา (the language to speak)")\n'
        'E = "ติดตั้งก่อน (`pipx inject edubot keyrings.alt`)"\n'
        'F = "เปิดหน้า (บรรทัด/line 3) ในระบบ"\n'
        'G = "Use ชาย or หญิง (or leave it empty)"\n'
        'H = "ระบบปิด (LEC, e-SAR)"\n'
        'I = f"ไม่มีปุ่ม (บรรทัด/line {n}: the popup has no such button)"\n'
        'J = "ติดตั้ง cron ก่อน (ติดตั้งด้วย sudo apt install cron)"\n'
    )
    found = ["x.py:2", "x.py:3", "x.py:8", "x.py:10"]
    assert hand_joined_bilingual_literals(source, "x.py") == found
    in_thai_py = hand_joined_bilingual_literals(source, "bot/data/thai.py")
    assert in_thai_py == [
        where.replace("x.py", "bot/data/thai.py") for where in found if where != "x.py:8"
    ]


def test_bot_writes_bilingual_text_only_through_say() -> None:
    excluded = {path for pattern in NOT_YET_CONVERTED for path in BOT.glob(pattern)}
    scanned = sorted(set(BOT.rglob("*.py")) - excluded)
    assert len(scanned) > 50  # the scan reached the packages, not an empty folder
    found = [
        where
        for path in scanned
        for where in hand_joined_bilingual_literals(
            path.read_text(encoding="utf-8"), str(path.relative_to(BOT.parent))
        )
    ]
    assert not found, "write these with i18n.say(th, en) or say_fix: " + ", ".join(found)


def test_every_text_bilingual_on_purpose_is_still_there() -> None:
    """An entry of BILINGUAL_ON_PURPOSE whose text is gone would silently let a message pass."""
    for path, start in BILINGUAL_ON_PURPOSE:
        tree = ast.parse((BOT.parent / path).read_text(encoding="utf-8"))
        texts = [_literal_text(node) or "" for node in ast.walk(tree)]
        assert any(text.startswith(start) for text in texts), (path, start)
