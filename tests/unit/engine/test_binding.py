"""Placeholders resolve to record, config and secret values; secrets stay wrapped."""

from __future__ import annotations

import pytest

from bot.flow.binding import BindingError, Bindings
from bot.secrets import Credentials, Secret

CREDS = {"lec": Credentials("school", Secret("hunter2-pw", "lec.password"), "test")}


def bindings() -> Bindings:
    return Bindings({"first_name": "สมชาย", "national_id": "1103702071005"}, CREDS, {"org": "X"})


def test_record_and_config_values_are_substituted() -> None:
    b = bindings()
    assert b.text("student/list.do?q=${record.national_id}") == "student/list.do?q=1103702071005"
    assert b.text("${config.org}") == "X"
    assert b.text("no placeholders") == "no placeholders"


def test_password_resolves_to_a_secret_only_in_fill_values() -> None:
    value = bindings().fill_value("${secret.lec.password}")
    assert isinstance(value, Secret)
    assert value.reveal() == "hunter2-pw"
    assert "hunter2" not in f"{value} {value!r} {value:>20}"


def test_username_is_not_secret() -> None:
    assert bindings().fill_value("${secret.lec.username}") == "school"


def test_secret_outside_a_fill_value_is_refused() -> None:
    with pytest.raises(BindingError, match="only in a `fill` value"):
        bindings().text("${secret.lec.password}")


def test_secret_mixed_into_text_is_refused_without_revealing_it() -> None:
    with pytest.raises(BindingError) as caught:
        bindings().fill_value("pw=${secret.lec.password}")
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("${record.nope}", "no field 'nope'"),
        ("${config.nope}", "--var nope=VALUE"),
        ("${secret.esar.password}", "no credentials were loaded for 'esar'"),
        ("${secret.lec.pin}", "`username` or `password`"),
        ("${env.HOME}", "placeholders start with"),
    ],
)
def test_unknown_references_explain_themselves(template: str, words: str) -> None:
    with pytest.raises(BindingError, match=words.replace("(", r"\(").replace("$", r"\$")):
        bindings().fill_value(template)


def test_record_outside_a_loop_is_refused() -> None:
    with pytest.raises(BindingError, match="outside `for_each: record`"):
        Bindings(None, CREDS).text("${record.first_name}")
