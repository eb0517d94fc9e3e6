"""Which language edubot speaks to the officer: Thai or English, one at a time.

The choice is, in order: a command's `--lang`, `EDUBOT_LANG`, then the locale (`LC_ALL`,
`LC_MESSAGES`, `LANG` — the first one set decides; a value starting with `th` means Thai).
Commands call `use(option)` once at their start; `say(th, en)` then picks the text. `say` is
the one way edubot writes a bilingual message: no `"th (en)"` strings written by hand.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum

__all__ = ["Lang", "lang", "portal_title", "say", "say_fix", "use"]

_PORTAL_TITLES = {"lec": "LEC", "esar": "e-SAR"}


def portal_title(portal: str) -> str:
    """A portal as the officer knows it: `LEC`, `e-SAR` (not the `ESAR` of a variable name)."""
    return _PORTAL_TITLES.get(portal, portal.upper())


class Lang(StrEnum):
    """The two languages edubot speaks."""

    TH = "th"
    EN = "en"


_chosen: Lang | None = None


def _parse(value: str | None) -> Lang | None:
    text = (value or "").strip().lower()
    if text.startswith("th"):
        return Lang.TH
    if text.startswith("en"):
        return Lang.EN
    return None


def lang_from_env(env: Mapping[str, str] | None = None) -> Lang:
    """The language `EDUBOT_LANG` or the locale asks for; English when neither says Thai."""
    env = os.environ if env is None else env
    explicit = _parse(env.get("EDUBOT_LANG"))
    if explicit is not None:
        return explicit
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:  # POSIX: the first locale variable that is set wins, even if it is "C"
            return Lang.TH if value.lower().startswith("th") else Lang.EN
    return Lang.EN


def use(option: Lang | str | None) -> Lang:
    """Make `option` (a command's `--lang`) the language; None goes back to the environment."""
    global _chosen
    _chosen = _parse(option) if option is not None else None
    return lang()


def lang() -> Lang:
    """The language in use now."""
    return _chosen if _chosen is not None else lang_from_env()


def say(th: str, en: str, both: str | None = None) -> str:
    """The Thai or the English text, whichever the officer chose; when no language was chosen
    and the locale is not Thai, both (README promises both): `both` when given (a table cell,
    a label that reads better as `เพิ่ม/added`), else `th (en)`."""
    chosen = both_unless_chosen()
    if chosen is None:
        return f"{th} ({en})" if both is None else both
    return th if chosen is Lang.TH else en


def say_fix(th: str, en: str, fix_th: str = "", fix_en: str = "") -> str:
    """A refusal and what to do about it, as `say` gives it: `… แก้ไข: …` / `… Fix: …`; an
    empty fix leaves its part out."""
    return say(
        f"{th} แก้ไข: {fix_th}" if fix_th else th,
        f"{en} Fix: {fix_en}" if fix_en else en,
    )


def both_unless_chosen() -> Lang | None:
    """For messages printed in both languages by default: the one language asked for — by
    `--lang`, `EDUBOT_LANG` or a Thai locale — or None, meaning print both."""
    if _chosen is not None:
        return _chosen
    explicit = _parse(os.environ.get("EDUBOT_LANG"))
    if explicit is not None:
        return explicit
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return Lang.TH if value.lower().startswith("th") else None
    return None
