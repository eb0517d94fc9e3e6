"""The `edubot` console script."""

from __future__ import annotations


def main() -> None:
    """Console entry point (pyproject `edubot`)."""
    from bot.cli.app import main as cli_main

    cli_main()


def data_argument(argv: list[str]) -> str | None:
    """The file after `--data` (or `--data=FILE`), as `run` will read it; None without one."""
    for index, arg in enumerate(argv):
        if arg == "--data" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--data="):
            return arg.removeprefix("--data=")
    return None
