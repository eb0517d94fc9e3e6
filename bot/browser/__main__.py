"""`python -m bot.browser [--ensure]`: say which browser edubot would use, or install one.

`make browser` runs it with `--ensure`.
"""

from __future__ import annotations

import argparse

from bot.browser.find import ensure_browser, find_browser


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.browser")
    parser.add_argument("--ensure", action="store_true", help="install a browser if none exists")
    ns = parser.parse_args(argv)
    choice = ensure_browser() if ns.ensure else find_browser()
    print(f"edubot: browser: {choice.describe() if choice else 'none found'}")
    return 0 if choice else 1


if __name__ == "__main__":
    raise SystemExit(main())
