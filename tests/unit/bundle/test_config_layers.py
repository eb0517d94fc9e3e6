"""The shipped configuration, and the officer's own files over it key by key."""

from __future__ import annotations

import importlib.resources
from datetime import date
from pathlib import Path

import pytest

from bot import bundle
from bot.config import DEFAULT_CONFIG_DIR, load_portals, load_settings
from bot.errors import ConfigError
from bot.ops.calendar_file import load_deadlines


def own(name: str, text: str) -> Path:
    path = bundle.user_config_file(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_merge_over_merges_mappings_and_replaces_lists() -> None:
    base = {"a": {"x": 1, "y": 2}, "rounds": [1, 2], "k": "v"}
    merged = bundle.merge_over(base, {"a": {"y": 3}, "rounds": [9]})
    assert merged == {"a": {"x": 1, "y": 3}, "rounds": [9], "k": "v"}
    assert base["a"] == {"x": 1, "y": 2}  # the shipped values are not changed in place


def test_the_officers_settings_override_one_key_and_keep_the_rest() -> None:
    shipped = load_settings()
    own("settings.yaml", "timeouts:\n  navigation_ms: 90000\n")
    settings = load_settings()
    assert settings.timeouts.navigation_ms == 90000
    assert settings.timeouts.action_ms == shipped.timeouts.action_ms
    assert settings.retries == shipped.retries


def test_an_explicit_config_folder_is_taken_as_it_is(tmp_path: Path) -> None:
    own("settings.yaml", "timeouts:\n  navigation_ms: 90000\n")
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "settings.yaml").write_text("timeouts:\n  action_ms: 5000\n", encoding="utf-8")
    settings = load_settings(folder)
    assert settings.timeouts.action_ms == 5000
    assert settings.timeouts.navigation_ms == 30_000  # the built-in default, not the officer's


def test_a_bad_value_is_named_in_the_officers_file() -> None:
    path = own("portals.yaml", "lec:\n  max_workers: 0\n")
    with pytest.raises(ConfigError) as caught:
        load_portals()
    assert str(path) in str(caught.value)
    assert "max_workers" in str(caught.value)


def test_the_officers_portal_address_keeps_the_shipped_title() -> None:
    own("portals.yaml", "lec:\n  url: https://lec.example.go.th\n")
    lec = load_portals()["lec"]
    assert lec.url == "https://lec.example.go.th"
    assert "LEC" in lec.title


def test_this_terms_rounds_replace_the_shipped_examples() -> None:
    own(
        "deadlines.yaml",
        "lec:\n  rounds:\n"
        "    - {id: '2570-1', academic_year: 2570, term: 1,"
        " opens: 2027-06-01, closes: 2027-06-30}\n",
    )
    calendar = load_deadlines(DEFAULT_CONFIG_DIR / "deadlines.yaml")
    assert [r.id for r in calendar.lec.rounds] == ["2570-1"]
    assert calendar.lec.rounds[0].closes == date(2027, 6, 30)
    assert calendar.lec.steps  # the shipped steps stay


def test_invalid_yaml_in_the_officers_file_is_named() -> None:
    path = own("deadlines.yaml", "lec: [unclosed\n")
    with pytest.raises(ConfigError) as caught:
        load_deadlines(DEFAULT_CONFIG_DIR / "deadlines.yaml")
    assert str(path) in str(caught.value)


def test_user_dir_follows_edubot_config_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDUBOT_CONFIG_DIR", str(tmp_path / "elsewhere"))
    assert bundle.user_dir() == tmp_path / "elsewhere"
    assert bundle.user_flows_dir() == tmp_path / "elsewhere" / "flows"


def test_an_installed_bundle_is_preferred_to_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = tmp_path / "site-packages" / "bot"
    (installed / "_bundled" / "flows").mkdir(parents=True)
    monkeypatch.setattr(importlib.resources, "files", lambda package: installed)
    assert bundle.bundle_root() == installed / "_bundled"


def test_in_a_checkout_the_checkouts_own_folders_are_used() -> None:
    checkout = Path(__file__).resolve().parents[3]
    assert bundle.bundle_root() == checkout
    assert bundle.bundled_config_dir() == checkout / "config"
