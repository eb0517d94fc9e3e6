"""`edubot doctor`'s line about probes: never probed, passed, pages changed since the pass."""

from __future__ import annotations

from bot.ops.doctor_probe import check_probes


def test_a_portal_never_probed_is_a_warning_naming_the_command() -> None:
    line = check_probes("lec", {})
    assert line.status == "warn" and "edubot probe flows/lec/students.yaml" in line.fix_en


def test_a_passing_probe_on_unchanged_pages_is_ok() -> None:
    entry = {"last_pages": {"/a": "1"}, "passed_pages": {"/a": "1"}, "last_passed": True,
             "passed_at": "2026-12-01T09:00:00"}  # fmt: skip
    line = check_probes("lec", {"lec-students": entry})
    assert line.status == "ok" and "2026-12-01" in line.detail


def test_pages_that_changed_since_the_last_pass_ask_for_a_new_probe() -> None:
    entry = {"last_pages": {"/a": "2"}, "passed_pages": {"/a": "1"}, "last_passed": False,
             "passed_at": "2026-12-01T09:00:00"}  # fmt: skip
    line = check_probes("lec", {"lec-students": entry})
    assert line.status == "warn" and "changed" in line.detail and "again" in line.fix_en
    assert "lec-students (/a)" in line.detail


def test_a_failed_probe_on_the_same_pages_says_to_fix_what_it_reported() -> None:
    entry = {"last_pages": {"/a": "1"}, "passed_pages": {"/a": "1"}, "last_passed": False}
    line = check_probes("esar", {"esar-upload": entry})
    assert line.status == "warn" and "failed" in line.detail
