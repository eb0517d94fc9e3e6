"""A checked SAR manifest entry as the values an e-SAR flow binds (`${record.sha256}`, …)."""

from __future__ import annotations

from pathlib import Path

from bot.portals.esar.checks import resolve_pdf
from bot.portals.esar.files import sha256_of
from bot.portals.esar.manifest import SarEntry

SAR_RECORD_FIELDS = (
    "school_code", "school_name", "academic_year", "level", "pdf", "file_name", "size", "sha256",
)  # fmt: skip


def sar_key(entry: SarEntry) -> str:
    """One upload slot on e-SAR: school × academic year × level."""
    return f"{entry.school_code}/{entry.academic_year}/{entry.level}"


def sar_portal_values(entry: SarEntry, manifest_dir: Path) -> dict[str, str]:
    """The entry's values for a flow; call only after the entry passed its checks."""
    pdf = resolve_pdf(entry, manifest_dir)
    if pdf is None:  # check_entries refuses these first; this guards a caller that did not
        raise ValueError(f"{entry.pdf!r} lies outside the manifest's folder")
    return {
        "school_code": entry.school_code,
        "school_name": entry.school_name,
        "academic_year": str(entry.academic_year),
        "level": entry.level,
        "pdf": str(pdf),
        "file_name": pdf.name,
        "size": str(pdf.stat().st_size),
        "sha256": sha256_of(pdf),
    }
