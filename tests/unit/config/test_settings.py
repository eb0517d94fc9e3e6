"""settings.yaml: unknown keys are refused, and a setting edubot dropped says what became of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.errors import ConfigError


@pytest.mark.parametrize(
    ("line", "told"),
    [
        ("headless: false", "`--headed` shows the window"),
        ("collect_garbage_every: 4", "renew_page_every"),
    ],
)
def test_a_removed_browser_setting_is_refused_with_what_to_do(
    tmp_path: Path, line: str, told: str
) -> None:
    (tmp_path / "settings.yaml").write_text(f"browser:\n  {line}\n", encoding="utf-8")

    with pytest.raises(ConfigError) as refused:
        load_settings(tmp_path)

    message = str(refused.value)
    assert str(tmp_path / "settings.yaml") in message
    assert f"browser.{line.split(':')[0]}: no longer a setting" in message
    assert told in message and "delete the line" in message


def test_a_mistyped_setting_is_refused_as_before(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text("browser:\n  renew_page_evry: 4\n", encoding="utf-8")

    with pytest.raises(ConfigError, match=r"browser\.renew_page_evry: Extra inputs"):
        load_settings(tmp_path)
