"""The dry-run wall, https for real portals, and redaction in logs."""

from __future__ import annotations

import pytest

from bot.browser.wall import OriginWall
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


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8000/index.jsp", True),
        ("http://127.0.0.1:8000", True),
        ("http://127.0.0.1:8001/index.jsp", False),  # a tunnel on another port of this machine
        ("http://localhost:8000/", False),  # the same machine, but not the proven origin
        ("https://127.0.0.1:8000/", False),
        ("http://127.0.0.1.evil.example:8000/", False),
        ("https://lec.dla.go.th/index.jsp", False),
        ("ftp://127.0.0.1:8000/", False),
        ("data:text/plain,hi", True),
    ],
)
def test_dry_run_wall_lets_by_only_the_proven_mock_origin(url: str, allowed: bool) -> None:
    assert OriginWall(enforce=True, origins=["http://127.0.0.1:8000"]).allows(url) is allowed


def test_a_dry_run_wall_without_a_proven_mock_lets_nothing_by() -> None:
    assert not OriginWall(enforce=True).allows("http://127.0.0.1:8000/")


def test_wall_open_outside_dry_runs() -> None:
    assert OriginWall(enforce=False).allows("https://lec.dla.go.th/")


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
    assert mask_id("1103702071005") == "1-xxxx-xxxxx-xx-5"


def test_redaction_leaves_phone_numbers_and_dates() -> None:
    assert redact("0812345678 on 05/03/2562") == "0812345678 on 05/03/2562"
