"""`edubot doctor`: is this machine ready for an unattended run? Each check is a pure function.

Every check returns `CheckResult`s: ok, fail (with a fix in Thai and English), warn (worth
knowing, not blocking) or skip (does not apply here). The machine's parts are reached through
`Probes`, so tests swap them rather than patching modules; nothing here prints.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from bot.browser.find import BrowserChoice, find_browser
from bot.config import (
    DEFAULT_CONFIG_DIR,
    PORTALS,
    PROJECT_ROOT,
    PortalProfile,
    is_loopback_url,
    load_portals,
    load_settings,
    url_override,
)  # fmt: skip
from bot.errors import EdubotError
from bot.flow.checks import check_flow
from bot.flow.loader import is_part, load_flow
from bot.ops.calendar_file import Calendar, load_deadlines
from bot.probe.memory import recall

__all__ = [
    "CheckResult",
    "Probes",
    "check_browser",
    "check_config",
    "check_deadline_flows",
    "check_flows",
    "check_keyring",
    "check_portal",
    "check_thai_font",
    "keyring_backend",
    "run_checks",
]

PORTAL_TITLES = {"lec": "LEC", "esar": "e-SAR"}
Status = Literal["ok", "fail", "warn", "skip"]
Runner = Callable[[list[str]], subprocess.CompletedProcess[str]]


@dataclass(frozen=True)
class CheckResult:
    """One line of the doctor's answer."""

    name_th: str
    name_en: str
    status: Status
    detail: str = ""  # what was found: a path, a version, an error message
    fix_th: str = ""
    fix_en: str = ""

    @property
    def passed(self) -> bool:
        """False only for a failure; a warning or a skipped check does not fail the doctor."""
        return self.status != "fail"


def run_command(args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run a short local command; a hung one must not hold the doctor up."""
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=20)


def keyring_backend() -> str | None:
    """The name of the keyring backend in use, or None when there is none."""
    # bot.secrets stays the only module that reads or writes the keyring; this only looks at it.
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None
    return f"{type(backend).__module__}.{type(backend).__name__}"


@dataclass(frozen=True)
class Probes:
    """Where the doctor looks; tests give their own."""

    config_dir: Path = DEFAULT_CONFIG_DIR
    flows_dir: Path = PROJECT_ROOT / "flows"
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    platform: str = sys.platform
    find_browser: Callable[[], BrowserChoice | None] = find_browser
    keyring_backend: Callable[[], str | None] = keyring_backend
    run: Runner = run_command
    which: Callable[[str], str | None] = shutil.which
    timeout_s: float = 5.0
    # What this machine remembers of `edubot probe` (bot.probe.memory), by portal and flow.
    probe_memory: Callable[[], Mapping[str, Mapping[str, Mapping[str, Any]]]] = recall


def check_browser(choice: BrowserChoice | None) -> CheckResult:
    """A Chrome or Chromium edubot can launch."""
    name_th, name_en = "เบราว์เซอร์", "browser"
    if choice is None:
        return CheckResult(
            name_th,
            name_en,
            "fail",
            "none found",
            "ติดตั้ง Google Chrome หรือสั่ง make browser (python -m bot.browser --ensure)",
            "install Google Chrome, or run `make browser` (python -m bot.browser --ensure)",
        )
    if choice.executable and not Path(choice.executable).exists():
        return CheckResult(
            name_th,
            name_en,
            "fail",
            f"{choice.executable} does not exist",
            "แก้ EDUBOT_BROWSER ให้ชี้ไปที่โปรแกรม Chrome/Chromium ที่มีอยู่ หรือลบค่านี้ออก",
            "point EDUBOT_BROWSER at an existing Chrome/Chromium, or unset it",
        )
    return CheckResult(name_th, name_en, "ok", choice.describe())


def _env_credentials(env: Mapping[str, str], portal: str) -> bool:
    prefix = f"EDUBOT_{portal.upper()}"
    return bool(env.get(f"{prefix}_USERNAME") and env.get(f"{prefix}_PASSWORD"))


def check_keyring(backend: str | None, env: Mapping[str, str]) -> CheckResult:
    """A keyring for `edubot login`, or credentials in the environment for every portal."""
    name_th, name_en = "ที่เก็บรหัสผ่าน (keyring)", "keyring"
    if backend is not None:
        return CheckResult(name_th, name_en, "ok", backend)
    if all(_env_credentials(env, p) for p in PORTALS):
        return CheckResult(
            name_th, name_en, "ok", "no keyring; credentials come from EDUBOT_*_USERNAME/PASSWORD"
        )
    return CheckResult(
        name_th,
        name_en,
        "fail",
        "no keyring backend on this machine",
        "เครื่องนี้ไม่มี keyring: ตั้งค่า EDUBOT_LEC_USERNAME / EDUBOT_LEC_PASSWORD "
        "(และ EDUBOT_ESAR_USERNAME / EDUBOT_ESAR_PASSWORD) แทน",
        "this machine has no keyring: set EDUBOT_LEC_USERNAME / EDUBOT_LEC_PASSWORD "
        "(and EDUBOT_ESAR_USERNAME / EDUBOT_ESAR_PASSWORD) instead",
    )


def _config_fix(path: Path) -> tuple[str, str]:
    return (f"แก้ไฟล์ {path} ตามข้อความด้านบน", f"correct {path} as the message says")


def check_config(config_dir: Path) -> list[CheckResult]:
    """settings.yaml, portals.yaml (with both portals) and deadlines.yaml load."""
    results = []
    path = config_dir / "settings.yaml"
    try:
        load_settings(config_dir)
        results.append(CheckResult("ค่าตั้ง", "settings", "ok", str(path)))
    except EdubotError as exc:
        results.append(CheckResult("ค่าตั้ง", "settings", "fail", str(exc), *_config_fix(path)))
    path = config_dir / "portals.yaml"
    try:
        missing = [p for p in PORTALS if p not in load_portals(config_dir)]
        if missing:
            results.append(
                CheckResult(
                    "ที่อยู่ระบบ",
                    "portals",
                    "fail",
                    f"{path} has no entry for {', '.join(missing)}",
                    f"เพิ่ม {', '.join(missing)} (title, url) ใน {path}",
                    f"add {', '.join(missing)} (title, url) to {path}",
                )
            )
        else:
            results.append(CheckResult("ที่อยู่ระบบ", "portals", "ok", str(path)))
    except EdubotError as exc:
        results.append(CheckResult("ที่อยู่ระบบ", "portals", "fail", str(exc), *_config_fix(path)))
    path = config_dir / "deadlines.yaml"
    try:
        load_deadlines(path)
        results.append(CheckResult("ปฏิทินกำหนดส่ง", "deadlines", "ok", str(path)))
    except EdubotError as exc:
        results.append(
            CheckResult("ปฏิทินกำหนดส่ง", "deadlines", "fail", str(exc), *_config_fix(path))
        )
    return results


def check_flows(flows_dir: Path) -> list[CheckResult]:
    """Every flow file loads and passes `check_flow`: one ✗ per bad flow, else one ✓."""
    paths = [p for p in sorted(flows_dir.rglob("*.yaml")) if not is_part(p)]  # parts: via users
    if not paths:
        return [
            CheckResult(
                "โฟลว์",
                "flows",
                "fail",
                f"no flows under {flows_dir}",
                "ติดตั้ง edubot ใหม่ (pipx install --force ไฟล์.whl) หรือดึงโครงการให้ครบ (มี flows/)",
                "reinstall edubot (pipx install --force FILE.whl), or use a complete checkout",
            )
        ]
    bad = []
    for path in paths:
        try:
            flow = load_flow(path)
            from bot.engine.pipeline import (
                record_fields,  # the run machinery, only when checking flows
            )

            problems = [str(p) for p in check_flow(flow, record_fields(flow))]  # as `run` does
        except EdubotError as exc:
            problems = [str(exc)]
        if problems:
            bad.append(
                CheckResult(
                    "โฟลว์",
                    f"flow {path.relative_to(flows_dir).as_posix()}",
                    "fail",
                    "\n".join(problems),
                    f"แก้ {path} ตามข้อความด้านบน แล้วตรวจด้วย edubot check",
                    f"correct {path} as the message says, then try `edubot check`",
                )
            )
    if bad:
        return bad
    return [CheckResult("โฟลว์", "flows", "ok", f"{len(paths)} flow(s) under {flows_dir}")]


def check_deadline_flows(calendar: Calendar, project_root: Path) -> CheckResult:
    """The flows that deadlines.yaml names exist (a warning: a step may be done by hand)."""
    named = [s.flow for s in (*calendar.lec.steps, *calendar.sar.steps) if s.flow]
    missing = sorted({f for f in named if not (project_root / f).is_file()})
    name_th, name_en = "โฟลว์ตามปฏิทิน", "deadline flows"
    if not missing:
        return CheckResult(name_th, name_en, "ok", f"{len(named)} flow(s) named, all present")
    return CheckResult(
        name_th,
        name_en,
        "warn",
        f"named in deadlines.yaml but missing: {', '.join(missing)}",
        "ขั้นตอนเหล่านี้ยังตั้งเวลาให้ทำเองไม่ได้ ทำด้วยมือ หรือแก้ชื่อโฟลว์ใน deadlines.yaml",
        "these steps cannot be scheduled yet: do them by hand, or correct the flow in "
        "deadlines.yaml",
    )


def check_thai_font(platform: str, run: Runner, which: Callable[[str], str | None]) -> CheckResult:
    """A Thai font, or screenshots of failures show boxes (Linux only; others ship one)."""
    name_th, name_en = "ฟอนต์ภาษาไทย", "Thai font"
    if not platform.startswith("linux"):
        return CheckResult(name_th, name_en, "skip", f"not checked on {platform}")
    fix_th = "sudo apt-get install fontconfig fonts-thai-tlwg"
    if which("fc-list") is None:
        return CheckResult(
            name_th, name_en, "fail", "fc-list not found (fontconfig)", fix_th, fix_th
        )
    try:
        done = run(["fc-list", ":lang=th", "family"])
    except (OSError, subprocess.SubprocessError) as exc:
        return CheckResult(name_th, name_en, "fail", f"fc-list: {exc}", fix_th, fix_th)
    families = sorted({ln.split(",")[0].strip() for ln in done.stdout.splitlines() if ln.strip()})
    if not families:
        return CheckResult(name_th, name_en, "fail", "no Thai font installed", fix_th, fix_th)
    more = f" (+{len(families) - 1})" if len(families) > 1 else ""
    return CheckResult(name_th, name_en, "ok", f"{families[0]}{more}")


def portal_urls(config_dir: Path, env: Mapping[str, str]) -> dict[str, str]:
    """Each portal's address: EDUBOT_<PORTAL>_URL, else config/portals.yaml."""
    try:
        profiles: dict[str, PortalProfile] = load_portals(config_dir)
    except EdubotError:
        profiles = {}  # check_config reports the broken file
    urls = {}
    for portal in PORTALS:
        url = url_override(portal, env) or (profiles[portal].url if portal in profiles else None)
        if url:
            urls[portal] = url
    return urls


def check_portal(
    portal: str,
    url: str,
    timeout_s: float = 5.0,
    transport: httpx.BaseTransport | None = None,
) -> CheckResult:
    """The portal answers over HTTP(S); certificates are checked, a 5xx answer fails."""
    title = PORTAL_TITLES.get(portal, portal.upper())
    name_th, name_en = f"เชื่อมต่อ {title}", f"{title} reachable"
    variable = f"EDUBOT_{portal.upper()}_URL"
    scheme = urlsplit(url).scheme
    loopback = is_loopback_url(url)
    if scheme not in ("http", "https") or (scheme == "http" and not loopback):
        return CheckResult(
            name_th,
            name_en,
            "fail",
            f"{url} is not https",
            f"ระบบจริงต้องเป็น https:// แก้ {variable} หรือ config/portals.yaml",
            f"real portals are used only over https://; correct {variable} or config/portals.yaml",
        )
    started = time.monotonic()
    try:
        # A proxy may sit between the officer and the portal, never in front of this machine.
        with httpx.Client(
            timeout=timeout_s,
            follow_redirects=True,
            trust_env=not loopback,
            transport=transport,
        ) as client:
            response = client.head(url)
            if response.status_code in (405, 501):  # some servers refuse HEAD
                response = client.get(url)
    except httpx.HTTPError as exc:
        return _unreachable(name_th, name_en, url, variable, exc)
    seconds = time.monotonic() - started
    detail = f"{url}: HTTP {response.status_code} in {seconds:.2f} s"
    if response.status_code >= 500:
        return CheckResult(
            name_th,
            name_en,
            "fail",
            detail,
            "ระบบปลายทางขัดข้อง ลองใหม่ภายหลัง",
            "the portal itself has a fault; try again later",
        )
    return CheckResult(name_th, name_en, "ok", detail)


def _unreachable(
    name_th: str, name_en: str, url: str, variable: str, exc: httpx.HTTPError
) -> CheckResult:
    text = str(exc) or type(exc).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return CheckResult(
            name_th,
            name_en,
            "fail",
            f"{url}: the certificate could not be verified ({text})",
            "ตรวจวันเวลาของเครื่อง และใบรับรองของหน่วยงาน (edubot ไม่ปิดการตรวจใบรับรอง)",
            "check the machine's clock and the organisation's certificates "
            "(edubot never turns certificate checks off)",
        )
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "cannot connect"
    return CheckResult(
        name_th,
        name_en,
        "fail",
        f"{url}: {kind} ({text})",
        f"ตรวจการเชื่อมต่ออินเทอร์เน็ต/VPN และค่า {variable}",
        f"check the network or VPN, and {variable} if it is set",
    )


def run_checks(probes: Probes) -> list[CheckResult]:
    """Every check, in the order an officer would fix things."""
    results = [
        check_browser(probes.find_browser()),
        check_keyring(probes.keyring_backend(), probes.env),
        *check_config(probes.config_dir),
        *check_flows(probes.flows_dir),
    ]
    from bot.ops.install_checks import check_own_folder  # it imports this module

    results += check_own_folder(probes.keyring_backend())  # the officer's own folder
    try:
        calendar = load_deadlines(probes.config_dir / "deadlines.yaml")
        results.append(check_deadline_flows(calendar, probes.flows_dir.parent))
    except EdubotError:
        pass  # check_config already said what is wrong with it
    results.append(check_thai_font(probes.platform, probes.run, probes.which))
    from bot.ops.doctor_probe import check_probes  # it builds on this module's CheckResult

    remembered = probes.probe_memory()
    for portal, url in portal_urls(probes.config_dir, probes.env).items():
        results.append(check_portal(portal, url, probes.timeout_s))
        results.append(check_probes(portal, remembered.get(portal, {})))
    return results
