"""Settings and portal profiles, from config/ + environment + command-line flags."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.bundle import bundle_root, layers_for, merge_over
from bot.errors import ConfigError, SafetyError
from bot.i18n import portal_title, say
from bot.net import is_loopback_url as is_loopback_url  # re-exported

# The folder holding the shipped flows/ and config/: a checkout's own, or the installed package's
# copy (bot/bundle.py); the officer's own folder overrides them (bundle.user_dir()).
PROJECT_ROOT = bundle_root()
DEFAULT_CONFIG_DIR = PROJECT_ROOT / "config"
PORTALS = ("lec", "esar")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Timeouts(_Frozen):
    action_ms: int = Field(15_000, gt=0)
    navigation_ms: int = Field(30_000, gt=0)


class Retries(_Frozen):
    """How long one record is tried (bot/engine/patience.py)."""

    give_up_after_min: float = Field(10.0, gt=0)  # of trying a record, when the portal struggles
    attempts: int = Field(3, ge=1, le=10)  # for a failure with no sign of a struggling portal
    backoff_s: float = Field(1.0, ge=0)
    backoff_max_s: float = Field(60.0, ge=0)


class OutageSettings(_Frozen):
    """When the portal is down: the run's one pause (bot/engine/outage.py)."""

    pause_after_failures: int = Field(6, ge=1)
    probe_first_s: float = Field(5.0, gt=0)
    probe_max_s: float = Field(120.0, gt=0)
    give_up_after_min: float = Field(30.0, gt=0)


class Politeness(_Frozen):
    requests_per_s: float = Field(6.0, ge=0)  # over all workers; 0: no cap


class BrowserSettings(_Frozen):
    # Resource types the flows never need. Fonts are switched off when Chromium starts; the
    # others need a route, which makes Playwright pause every request (bot/browser/launch.py).
    block_resources: tuple[Literal["image", "font", "media", "stylesheet", "script"], ...] = (
        "image",
        "font",
    )
    trace_failures: bool = True  # keep a Playwright trace of each failed record
    # DOM snapshots in a trace (the page at each step) cost ~30% of a record's time, so a first
    # attempt's trace holds the action log and the network only; retries, where the puzzling
    # failures are, hold snapshots too. "always": snapshots on every attempt.
    trace_snapshots: Literal["retries", "always"] = "retries"
    # A fresh tab after this many page loads (0: never), shared among the workers' tabs: a busy
    # renderer keeps ~3 MB of every page uncollected, Playwright ~40 KB, until the tab closes.
    renew_page_every: int = Field(6, ge=0)


class NotifyConfig(_Frozen):
    """Where a failed scheduled run's notice goes; the SMTP password comes from the environment
    (EDUBOT_SMTP_PASSWORD), never from this file."""

    desktop: bool = True
    smtp_host: str | None = None
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_username: str | None = None
    mail_from: str | None = None
    mail_to: tuple[str, ...] = ()


class Settings(_Frozen):
    """Engine settings (config/settings.yaml)."""

    timeouts: Timeouts = Timeouts()
    retries: Retries = Retries()
    outage: OutageSettings = OutageSettings()
    politeness: Politeness = Politeness()
    browser: BrowserSettings = BrowserSettings()
    notify: NotifyConfig = NotifyConfig()


class PortalProfile(_Frozen):
    """One portal's entry in config/portals.yaml."""

    title: str
    url: str
    default_workers: int = Field(1, ge=1)
    max_workers: int = Field(1, ge=1)
    max_upload_mb: float = Field(20.0, gt=0)  # the portal's upload limit, checked before sending


class PortalTarget(_Frozen):
    """Where a run actually goes: a URL, and whether it is a mock on this machine."""

    name: str
    url: str
    is_mock: bool


def _read_yaml(path: Path) -> dict[str, Any]:
    """The file's mapping, with the officer's own file of that name laid over a shipped one.

    A bad value is then named in the officer's file (`layers_for(path)[-1]`): the shipped
    defaults are checked by the tests (tests/unit/config), so that is where it came from.
    """
    merged: dict[str, Any] = {}
    for layer in layers_for(path):
        merged = merge_over(merged, _read_one(layer))
    return merged


def _read_one(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"Config file {path} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"Config file {path} must hold a mapping at the top level.")
    return data


# Settings edubot once had: a file that still names one is told what became of it.
REMOVED_SETTINGS = {
    "browser.headless": "runs are headless; `--headed` shows the window",
    "browser.collect_garbage_every": "a fresh tab every `renew_page_every` loads frees the memory",
}


def _validation_message(path: Path, exc: ValidationError) -> str:
    lines = [f"Config file {path} has bad values:"]
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden" and where in REMOVED_SETTINGS:
            why = REMOVED_SETTINGS[where]
            lines.append(f"  {where}: no longer a setting ({why}); delete the line")
        else:
            lines.append(f"  {where}: {err['msg']} (got {err.get('input')!r})")
    return "\n".join(lines)


def load_settings(config_dir: Path = DEFAULT_CONFIG_DIR) -> Settings:
    """Read config/settings.yaml over the built-in defaults."""
    path = config_dir / "settings.yaml"
    try:
        return Settings.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise ConfigError(_validation_message(layers_for(path)[-1], exc)) from None


def load_portals(config_dir: Path = DEFAULT_CONFIG_DIR) -> dict[str, PortalProfile]:
    """Read config/portals.yaml."""
    path = config_dir / "portals.yaml"
    raw = _read_yaml(path)
    try:
        return {name: PortalProfile.model_validate(raw[name]) for name in PORTALS if name in raw}
    except ValidationError as exc:
        raise ConfigError(_validation_message(layers_for(path)[-1], exc)) from None


def url_override(portal: str, env: Mapping[str, str] | None = None) -> str | None:
    """The portal address from EDUBOT_<PORTAL>_URL, if set."""
    env = os.environ if env is None else env
    value = env.get(f"EDUBOT_{portal.upper()}_URL", "").strip()
    return value.rstrip("/") or None


def check_target(target: PortalTarget, *, dry_run: bool) -> None:
    """Refuse a target that breaks the safety rules (dry runs: a mock; real: https only)."""
    scheme = urlsplit(target.url).scheme
    if scheme not in ("http", "https"):
        raise SafetyError(
            f"Portal address {target.url!r} must start with https:// (or http:// on 127.0.0.1)."
        )
    loopback = is_loopback_url(target.url)
    if dry_run and not loopback:
        raise SafetyError(
            say(
                f"การซ้อม (--dry-run) ใช้ได้เฉพาะระบบจำลองในเครื่องนี้ แต่ {portal_title(target.name)} "
                f"ชี้ไปที่ {target.url} ยังไม่ได้ส่งอะไร",
                f"This is a dry run, but {portal_title(target.name)} points at {target.url}, "
                "which is not on this machine. A dry run only talks to mock portals on 127.0.0.1; "
                f"unset EDUBOT_{target.name.upper()}_URL or point it at `edubot mock serve`. "
                "Nothing was sent.",
            )
        )
    if not loopback and scheme != "https":
        raise SafetyError(
            say(
                f"ระบบจริงต้องใช้ https เท่านั้น ({target.url}) ยังไม่ได้ส่งอะไร",
                f"{portal_title(target.name)} address {target.url} is not https. Real portals are "
                "used only over https with certificate checks; nothing was sent.",
            )
        )
