"""The doctor's line per portal about probes: has a probe of its flows passed on this machine
since the portal's pages last changed? Pages "changed" when the latest probe saw a page
structure (labels, buttons, fields; a hash, no data) other than the last pass saw there."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.ops.doctor import PORTAL_TITLES, CheckResult
from bot.probe.memory import changed_pages

_PROBE_COMMAND = {"lec": "flows/lec/students.yaml", "esar": "flows/esar/upload_sar.yaml"}


def check_probes(portal: str, remembered: Mapping[str, Mapping[str, Any]]) -> CheckResult:
    """`remembered`: this portal's probes by flow name (bot.probe.memory)."""
    title = PORTAL_TITLES.get(portal, portal.upper())
    name_th, name_en = f"ทดลอง {title} (probe)", f"{title} probe"
    command = f"edubot probe {_PROBE_COMMAND.get(portal, 'FLOW')}"
    if not remembered:
        return CheckResult(
            name_th, name_en, "warn", "never probed on this machine",
            f"ก่อนรันกับระบบจริงครั้งแรก สั่ง {command}",
            f"before the first real run, run `{command}`",
        )  # fmt: skip
    changed = {flow: pages for flow, entry in remembered.items() if (pages := changed_pages(entry))}
    failing = [flow for flow, entry in remembered.items() if not entry.get("last_passed")]
    passes = ", ".join(
        f"{flow} {entry['passed_at']}" for flow, entry in sorted(remembered.items())
        if entry.get("passed_at")
    )  # fmt: skip
    if changed:
        return CheckResult(
            name_th, name_en, "warn",
            "the pages changed since the last passing probe: "
            + "; ".join(f"{flow} ({', '.join(pages)})" for flow, pages in sorted(changed.items()))
            + (f" (passed: {passes})" if passes else ""),
            f"หน้าเว็บของระบบเปลี่ยนไป สั่ง {command} อีกครั้งก่อนรันจริง",
            f"the portal's pages changed: run `{command}` again before a real run",
        )  # fmt: skip
    if failing:
        return CheckResult(
            name_th, name_en, "warn", f"the last probe of {', '.join(sorted(failing))} failed",
            f"แก้ตามที่ {command} บอก แล้วสั่งอีกครั้ง",
            f"fix what `{command}` reported, then run it again",
        )  # fmt: skip
    return CheckResult(name_th, name_en, "ok", f"passed, pages unchanged since: {passes}")
