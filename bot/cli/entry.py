"""The `edubot` console script."""

from __future__ import annotations


def main() -> None:
    """Console entry point (pyproject `edubot`)."""
    from bot.cli.app import main as cli_main

    cli_main()

