"""`bot.i18n`: --lang, then EDUBOT_LANG, then the locale; English unless Thai is asked for."""

from __future__ import annotations

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
