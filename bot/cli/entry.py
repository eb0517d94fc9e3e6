"""The `edubot` console script: a `run` starts its browser before the rest of edubot loads.

Typer, rich, pydantic and the run machinery take most of a second to import; Playwright's
driver and Chromium take about as long to start, mostly in processes of their own. So a `run`
that will want a headless browser starts it first, on this thread (Playwright's sync API
belongs to the thread that starts it), while a helper thread imports the command line and
reads and checks the `--data` file (`prefetch_students`). `run` picks the browser up with
`take_early_browser`; anything else (help, other commands, a run refused before it opens a
page) leaves it to be closed on the way out, unused.
"""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.browser.launch import LaunchedBrowser

_early: LaunchedBrowser | None = None


def main() -> None:
    """Console entry point (pyproject `edubot`)."""
    global _early
    if wants_early_browser(sys.argv[1:]):
        loading = threading.Thread(
            target=_import_cli,
            args=(data_argument(sys.argv[1:]),),
            name="edubot-import",
            daemon=True,
        )
        loading.start()
        _early = _launch()
        loading.join()
    from bot.cli.app import main as cli_main

    try:
        cli_main()
    finally:
        unused = take_early_browser()
        if unused is not None:
            unused.__exit__(None, None, None)


def wants_early_browser(argv: list[str]) -> bool:
    """`edubot [--lang L] run …` without a window, and not just asking for help."""
    command = list(argv)
    while command and command[0].startswith("--lang"):
        command = command[1:] if "=" in command[0] else command[2:]
    return command[:1] == ["run"] and not {"--headed", "--help", "-h"} & set(command)


def take_early_browser() -> LaunchedBrowser | None:
    """The browser `main` started for this run, handed over once (None when there is none)."""
    global _early
    launched, _early = _early, None
    return launched


def _launch() -> LaunchedBrowser | None:
    from bot.browser.launch import LaunchedBrowser

    launched = LaunchedBrowser(headless=True)
    try:
        launched.__enter__()
    except Exception:
        # No browser yet is not an error here: `run` checks the data first and, when it gets
        # that far, starts one itself and reports why it cannot.
        return None
    return launched


def data_argument(argv: list[str]) -> str | None:
    """The file after `--data` (or `--data=FILE`), as `run` will read it; None without one."""
    for index, arg in enumerate(argv):
        if arg == "--data" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--data="):
            return arg.removeprefix("--data=")
    return None


def _import_cli(data: str | None) -> None:
    import bot.cli.app
    import bot.engine.pipeline  # noqa: F401  (what `run` calls first)

    if data:  # read and check the workbook while the browser starts
        from pathlib import Path

        from bot.data.readers import prefetch_students

        prefetch_students(Path(data))
