"""`edubot record --login`: log in before the recording starts, in the recording's own context.

The login is the portal's login sub-flow (`run: lec/login`), found by name as `edubot run`
finds it (bot.flows_catalogue), run by the engine's own runner with the officer's stored login
(keyring or environment; a mock's demo account on edubot's mock), as a run or a probe gets it
(bot.engine.targets). It runs in a page of its own before the page script is in the context,
so none of its steps (nor anything typed) is recorded; the session's cookies stay in the
context, and the person starts on the page the login ended on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext

from bot.console import QuietListener
from bot.engine.options import RunOptions
from bot.engine.runlock import holding
from bot.engine.runner import Runner
from bot.engine.session import words_of
from bot.engine.tab import PlaywrightTab
from bot.engine.targets import account_key, credentials_for
from bot.flow.binding import Bindings
from bot.flow.loader import load_flow
from bot.flow.model import Flow
from bot.log import register_secret
from bot.paths import data_dir
from bot.record.writer import write_flow
from bot.secrets import Credentials


@dataclass(frozen=True)
class Login:
    """Who logs in, and with which flow (the recorded flow's first step, alone)."""

    flow: Flow  # its only step: `run: PORTAL/login`
    creds: Credentials
    variables: Mapping[str, str]


@contextmanager
def prepared_login(
    file: Path,
    portal: str,
    *,
    on_mock: bool,
    mock_url: str | None,
    account: str | None,
    variables: Mapping[str, str],
) -> Iterator[Login]:
    """The login to run, its credentials read, holding the account's run lock as a run would
    (a run on the same account meanwhile would be logged out by this session).

    The flow it runs is what the recorded flow will begin with, loaded from a hidden file
    beside it (removed at once), so that `run: PORTAL/login` is resolved exactly as the
    recorded flow's will be: beside it, in its flows folder, then the officer's and edubot's.
    """
    beside = file.with_name(f".{file.stem}.login.yaml")
    beside.write_text(write_flow(file.stem, portal, [], login=True).text, "utf-8")
    try:
        flow = load_flow(beside)  # a FlowError (exit 2) when no login flow is found
    finally:
        beside.unlink(missing_ok=True)
    options = RunOptions(
        flow_path=file,
        data_path=None,
        dry_run=on_mock,  # edubot's mock: its demo account, never a stored password
        mock_url=mock_url,
        account=account,
        variables=dict(variables),
    )
    creds = credentials_for(portal, options, flow.account)
    register_secret(creds.password.reveal())
    with holding(data_dir(), [account_key(options, portal, creds)], flow.name):
        yield Login(flow, creds, dict(variables))


def log_in(context: BrowserContext, login: Login) -> str:
    """Run the login in a page of `context`; the address it ended on (the portal's home).

    A refused login raises the engine's LoginRefused/AccountBlocked (exit 1), its fix said.
    """
    flow = login.flow
    page = context.new_page()
    # The login keeps no artefacts: nothing of it belongs beside the flow being recorded.
    with tempfile.TemporaryDirectory(prefix="edubot-login-") as artefacts:
        try:
            runner = Runner(
                flow=flow,
                tab=PlaywrightTab(page, words=words_of(flow.portal)),
                bindings=Bindings(None, {flow.portal: login.creds}, dict(login.variables)),
                artefacts_dir=Path(artefacts),
                listener=QuietListener(),
            )
            runner.run([])
            return page.url
        finally:
            page.close()
