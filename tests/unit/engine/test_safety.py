"""The dry-run wall, https for real portals, and redaction in logs."""

from __future__ import annotations

import pytest

from bot.browser import LoopbackWall
from bot.config import PortalTarget, check_target, is_loopback_url
from bot.errors import SafetyError
from bot.log import mask_id, redact, register_secret


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000/index.jsp", True),
        ("http://127.5.5.5/", True),
        ("http://localhost:9/", True),
        ("http://[::1]:80/", True),
        ("https://lec.dla.go.th/index.jsp", False),
        ("http://127.0.0.1.evil.example/", False),
        ("http://10.0.0.1/", False),
    ],
)
def test_loopback_detection(url: str, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback
    assert LoopbackWall(enforce=True).allows(url) is loopback


def test_wall_open_outside_dry_runs() -> None:
    assert LoopbackWall(enforce=False).allows("https://lec.dla.go.th/")


def test_dry_run_refuses_a_real_address_before_any_request() -> None:
    target = PortalTarget(name="lec", url="https://lec.dla.go.th", is_mock=True)
    with pytest.raises(SafetyError, match="dry run"):
        check_target(target, dry_run=True)


def test_real_portal_must_be_https() -> None:
    with pytest.raises(SafetyError, match="not https"):
        check_target(
            PortalTarget(name="lec", url="http://lec.dla.go.th", is_mock=False), dry_run=False
        )
    check_target(
        PortalTarget(name="lec", url="https://lec.dla.go.th", is_mock=False), dry_run=False
    )
    check_target(PortalTarget(name="lec", url="http://127.0.0.1:1", is_mock=True), dry_run=True)


def test_redaction_masks_ids_and_registered_secrets() -> None:
    register_secret("s3cret-pass")
    line = redact("login s3cret-pass for 1103702071005 and 1-1037-02071-00-5, G644200000001")
    assert "s3cret-pass" not in line
    assert "1103702071005" not in line and "02071" not in line
    assert "G644200000001" not in line
    assert mask_id("1103702071005") == "1-1037-xxxxx-00-5"


def test_redaction_leaves_phone_numbers_and_dates() -> None:
    assert redact("0812345678 on 05/03/2562") == "0812345678 on 05/03/2562"
