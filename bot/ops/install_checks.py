"""`edubot doctor`'s checks of the officer's own folder: copied flows and config overrides.

Kept apart from bot/ops/doctor.py (which calls `check_own_folder` from `run_checks`) so that
the doctor stays small; the catalogue itself is bot/flows_catalogue.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.bundle import OVERRIDABLE_CONFIG
from bot.flows_catalogue import FlowEntry
from bot.ops.doctor import CheckResult, check_flows

NAME_TH, NAME_EN = "โฟลว์ของท่าน", "your flows"


def check_flow_copies(listed: Sequence[FlowEntry], user_flows: Path) -> list[CheckResult]:
    """Which flows run from the officer's folder, and whether edubot's own has changed since
    each was copied (the copy may then miss a fix). Copies that do not load fail."""
    copies = [e for e in listed if e.overridden]
    if not copies:
        return [CheckResult(NAME_TH, NAME_EN, "ok", f"none in {user_flows}: edubot's own run")]
    results = check_flows(user_flows)
    if all(r.status == "ok" for r in results):
        results = []  # each copy gets its own line below
    for entry in copies:
        results.append(_copy_result(entry))
    return results


def _copy_result(entry: FlowEntry) -> CheckResult:
    label_th, label_en = f"{NAME_TH} {entry.name}", f"{NAME_EN}: {entry.name}"
    if entry.shipped is None:
        return CheckResult(label_th, label_en, "ok", f"your own flow: {entry.path}")
    if entry.shipped_changed:
        return CheckResult(
            label_th,
            label_en,
            "warn",
            f"your copy {entry.path} runs instead of edubot's; edubot's own {entry.name} has "
            f"changed since you copied it (from edubot {entry.copied_from_version})",
            f"เทียบไฟล์ของท่านกับ {entry.shipped} แล้วนำส่วนที่แก้ของท่านไปใส่ในฉบับใหม่ "
            f"(`edubot flows copy {entry.name} --overwrite`) หรือลบฉบับของท่านเพื่อใช้ของ edubot",
            f"compare your file with {entry.shipped}, then carry your edits over to the new "
            f"one (edubot flows copy {entry.name} --overwrite), or delete your copy to use "
            "edubot's own",
        )
    if entry.copied_from_version is None:
        return CheckResult(
            label_th,
            label_en,
            "warn",
            f"{entry.path} runs instead of edubot's own {entry.name}; it was not made by "
            "`edubot flows copy`, so whether edubot's own is newer cannot be told",
            f"เทียบกับ {entry.shipped} เป็นครั้งคราว",
            f"compare it with {entry.shipped} now and then",
        )
    return CheckResult(
        label_th,
        label_en,
        "ok",
        f"your copy {entry.path} runs instead of edubot's (edubot's own unchanged since "
        f"{entry.copied_from_version})",
    )


def check_config_overrides(user_dir: Path) -> CheckResult:
    """Which of the officer's files override edubot's defaults (their values are checked with
    the rest of the configuration)."""
    present = [name for name in OVERRIDABLE_CONFIG if (user_dir / name).is_file()]
    detail = (
        f"{', '.join(present)} in {user_dir} over edubot's defaults"
        if present
        else f"edubot's defaults (none of {', '.join(OVERRIDABLE_CONFIG)} in {user_dir})"
    )
    return CheckResult("ค่าตั้งของท่าน", "your settings", "ok", detail)


def check_file_keyring(backend: str | None) -> list[CheckResult]:
    """A warning when passwords sit in keyrings.alt's plaintext file (`--keyring file`): fine
    for a machine only the officer uses, worth knowing anywhere else."""
    if backend is None or not backend.startswith("keyrings.alt.file."):
        return []
    return [
        CheckResult(
            "รหัสผ่านในไฟล์",
            "password file",
            "warn",
            f"{backend}: passwords in a file only you can read, but not encrypted",
            "ใช้เฉพาะเครื่องที่ท่านใช้คนเดียว ผู้ดูแลเครื่องและสำเนาสำรองอ่านไฟล์นี้ได้",
            "keep it to a machine only you use: its administrators and backups can read it",
        )
    ]


def check_own_folder(backend: str | None = None) -> list[CheckResult]:
    """The above, for this machine's officer folder (bot/bundle.py) and keyring backend."""
    from bot.bundle import user_dir, user_flows_dir
    from bot.flows_catalogue import entries

    return [
        check_config_overrides(user_dir()),
        *check_flow_copies(entries(), user_flows_dir()),
        *check_file_keyring(backend),
    ]
