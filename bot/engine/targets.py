"""Where a run goes and as whom: the portal's address (or a mock edubot serves itself), the
credentials, the run lock's account, how many workers, and where requests beside the browser
may go."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from starlette.types import ASGIApp

from bot.browser.wall import OriginWall
from bot.config import PortalTarget, is_loopback_url, load_portals, url_override
from bot.engine.options import RunOptions
from bot.engine.runlock import AccountKey
from bot.net import origin_of
from bot.paths import mock_state_dir
from bot.secrets import Credentials, Secret, load_credentials

DEMO_PASSWORD = "demo"  # the mock portals' demo accounts (README); never a real credential


@contextmanager
def portal_target(portal: str, options: RunOptions) -> Iterator[PortalTarget]:
    """Where this run goes; for a dry run without an address, a mock served in-process."""
    if options.mock_url:
        yield PortalTarget(name=portal, url=options.mock_url, is_mock=True)
        return
    override = url_override(portal)
    if options.dry_run and override is None:
        from mock_portals.serve import serve_in_thread

        app = _mock_app(portal, options.mock_state)
        with serve_in_thread(app) as served:
            yield PortalTarget(name=portal, url=served.url, is_mock=True)
        return
    url = override or load_portals(options.config_dir)[portal].url
    yield PortalTarget(name=portal, url=url, is_mock=options.dry_run)


def in_process_mock(options: RunOptions, portal: str) -> bool:
    """Does this run go to a mock edubot serves itself (so: demo accounts, never a password)?"""
    return bool(options.mock_url) or (options.dry_run and url_override(portal) is None)


def _mock_app(portal: str, name: str | None = None) -> ASGIApp:
    state = mock_state_dir() / (name or portal)
    state.mkdir(parents=True, exist_ok=True)
    if portal == "lec":
        from mock_portals.lec.app import create_app

        return create_app(state)
    from mock_portals.esar.app import create_app as create_esar_app

    return create_esar_app(state)


def target_identity(options: RunOptions, portal: str) -> str:
    """The portal a run goes to, as the journal and the run lock name it: its address, or for a
    mock edubot serves itself (whose port changes every run) the state it serves."""
    if in_process_mock(options, portal):
        return f"in-process-mock:{options.mock_state or portal}"
    return url_override(portal) or load_portals(options.config_dir)[portal].url


def account_key(options: RunOptions, portal: str, creds: Credentials) -> AccountKey:
    """Which run lock a run on this portal with these credentials holds."""
    return AccountKey(portal, target_identity(options, portal), creds.username)


def credentials_for(
    portal: str, options: RunOptions, flow_account: str | None = None
) -> Credentials:
    """The login to use; a dry run (always a mock) gets the demo password, and neither the
    keyring nor a real-portal password variable is even read (the account the flow names,
    e.g. `lgo`, unless `--account` chose)."""
    if options.dry_run or in_process_mock(options, portal):
        username = (
            options.account
            or flow_account
            or flow_account
            or os.environ.get(f"EDUBOT_{portal.upper()}_USERNAME")
            or _DEMO_USERS[portal]
        )
        return Credentials(username, Secret(DEMO_PASSWORD, f"{portal}.password"), "demo")
    return load_credentials(portal, options.account)


_DEMO_USERS = {"lec": "school", "esar": "qa"}


def worker_count(options: RunOptions, target: PortalTarget, records: int) -> int:
    """How many workers: as asked, within the portal's polite cap (mocks on loopback: 8)."""
    profile = load_portals(options.config_dir)[target.name]
    wanted = options.workers or profile.default_workers
    cap = 8 if target.is_mock or is_loopback_url(target.url) else profile.max_workers
    return max(1, min(wanted, cap, records))


def download_rule(dry_run: bool, target: PortalTarget, wall: OriginWall) -> Callable[[str], bool]:
    """Where a request made beside the browser (the snapshot download and each of its
    redirects) may go: a dry run, through the wall to the proven mock only (a refusal trips the
    wall, so the run stops and says why); a real run, to the portal's own origin only (https:
    `check_target` refused anything else)."""
    portal = origin_of(target.url)

    def allowed(url: str) -> bool:
        if not dry_run:
            return origin_of(url) == portal
        if wall.allows(url):
            return True
        wall.blocked.append(url)
        return False

    return allowed
