"""What a browser context may load: the dry-run wall and the blocked resource types.

In a dry run every request passes `OriginWall`, which lets through only the mock origins the
handshake proved (`bot.browser.mock_proof`). `asset_pattern` picks out, by file extension, the
URLs of resource types the settings block, so that only those come back to Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.net import origin_of


class OriginWall:
    """Decides which browser requests may leave: in a dry run, only those to the mock origins
    the handshake proved (`bot.browser.mock_proof`) — not merely any address on this machine,
    where a tunnel to the real portal may listen too."""

    def __init__(self, enforce: bool, origins: Iterable[str] = ()) -> None:
        self.enforce = enforce
        self.origins = frozenset(origin_of(o) for o in origins)
        self.blocked: list[str] = []

    def allows(self, url: str) -> bool:
        if not self.enforce or url.startswith(("data:", "blob:", "about:")):
            return True
        return url.startswith(("http:", "https:")) and origin_of(url) in self.origins


# What each blockable resource type looks like in a URL, for a route that sees only those.
_EXTENSIONS = {
    "image": ("png", "jpe?g", "gif", "webp", "svg", "ico", "bmp", "avif"),
    "font": ("woff2?", "ttf", "otf", "eot"),
    "media": ("mp3", "mp4", "m4a", "webm", "ogg", "wav", "avi", "mov"),
    "stylesheet": ("css",),
    "script": ("js", "mjs"),
}


def asset_pattern(resource_types: frozenset[str]) -> re.Pattern[str]:
    """A URL pattern for the files of these resource types (by extension, before any query)."""
    known = sorted(t for t in resource_types if t in _EXTENSIONS)  # config checked the names
    extensions = "|".join(e for t in known for e in _EXTENSIONS[t])
    return re.compile(rf"\.(?:{extensions})(?:[?#]|$)", re.IGNORECASE)
