"""`--capture DIR`: every page the probe visited, as HTML and a screenshot, safe to send.

Each page is kept once, when the walk leaves it (so it is as settled as the flow saw it):
`NN-PATH.html` with personal data shaped (`sanitise`), `NN-PATH.png` with the same elements
masked and every metadata chunk of the PNG dropped, and `pages.json` listing them with the
flow line that was on the page and the address (its query values shaped). The structure hash
of the pages goes into the probe's result for `edubot doctor`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from bot.data.fields import personal_values
from bot.probe.findings import shown_path
from bot.probe.sanitise import MASK_ATTRIBUTE, UNMARK_JS, sanitised, shape

MASK_COLOUR = "#FF00FF"
# The chunks a PNG needs to show its picture; any other (text, time, EXIF) is dropped.
_CRITICAL_CHUNKS = (b"IHDR", b"PLTE", b"IDAT", b"IEND")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def strip_png_metadata(data: bytes) -> bytes:
    """The PNG with only the chunks of its picture (no text, time or EXIF chunks)."""
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG")
    out, at = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        if kind in _CRITICAL_CHUNKS:
            out.append(data[at:end])
        at = end
    return b"".join(out)


def shaped_address(url: str) -> str:
    """A page's path and query, each query value shaped (`?q=1409900123454` → `?q=9999…`)."""
    parts = urlsplit(url)
    query = urlencode([(k, shape(v)) for k, v in parse_qsl(parts.query, keep_blank_values=True)])
    return parts.path + (f"?{query}" if query else "")


def _file_stem(number: int, url: str) -> str:
    path = urlsplit(url).path.strip("/") or "index"
    return f"{number:02d}-" + (re.sub(r"[^A-Za-z0-9._-]+", "_", path)[:60] or "page")


@dataclass
class PageShapes:
    """What the walk learnt of the pages it visited, with or without a capture folder."""

    # "path" or "path cmd=goCreate" (the read command that opened it) -> sorted structure
    structures: dict[str, list[str]] = field(default_factory=dict)

    def digests(self) -> dict[str, str]:
        """Each visited page's structure (labels, buttons, fields; no data) as a hash, by path."""
        return {
            path: hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]
            for path, lines in sorted(self.structures.items())
        }


@dataclass
class Capture:
    """Keeps each visited page, shaped and masked; with no folder, only its structure."""

    folder: Path | None
    known: tuple[str, ...] = ()  # personal values to look for on every page
    shapes: PageShapes = field(default_factory=PageShapes)
    pages: list[dict[str, Any]] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)  # paths of pages that could not be kept

    def keep(self, page: Page, line: int, flow_file: str, opened_by: str = "") -> None:
        """Keep the page as it is now (once per visit; the walk calls this as it leaves).

        `opened_by` is the read command that opened it ("cmd=goCreate"), if one did: pages are
        known by their path and that command, since one URL may serve a list and its form."""
        if page.url in ("", "about:blank"):
            return
        path = urlsplit(page.url).path or "/"
        try:
            result = sanitised(page, self.known)
            self.shapes.structures[f"{path} {opened_by}".strip()] = list(result["structure"])
            if self.folder is not None:
                self._write(page, result, line, flow_file, opened_by)
        except PlaywrightError:  # the page went away while being read: it is not kept
            self.missed.append(path)
        finally:
            with contextlib.suppress(PlaywrightError):
                page.evaluate(UNMARK_JS)

    def _write(
        self, page: Page, result: dict[str, Any], line: int, flow_file: str, opened_by: str
    ) -> None:
        assert self.folder is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = _file_stem(len(self.pages) + 1, page.url)
        html_path, png_path = self.folder / f"{stem}.html", self.folder / f"{stem}.png"
        html_path.write_text(str(result["html"]), encoding="utf-8")
        picture = page.screenshot(
            full_page=True, mask=[page.locator(f"[{MASK_ATTRIBUTE}]")], mask_color=MASK_COLOUR
        )
        png_path.write_bytes(strip_png_metadata(picture))
        self.pages.append(
            {
                "html": html_path.name,
                "screenshot": png_path.name,
                "address": shaped_address(page.url),
                "opened_by": opened_by,  # the read command pressed to open it ("" when none)
                "flow": shown_path(flow_file),
                "line": line,
                "masked_elements": int(result["marked"]),
            }
        )
        (self.folder / "pages.json").write_text(
            json.dumps({"pages": self.pages}, ensure_ascii=False, indent=2), encoding="utf-8"
        )


def personal_values_of(rows: Iterable[dict[str, str]]) -> tuple[str, ...]:
    """Every value of the rows worth looking for on a page: names, phones, addresses, IDs."""
    found: set[str] = set()
    for row in rows:
        found.update(personal_values(row))
        found.update(v for k, v in row.items() if k in ("national_id", "birth_date") and v)
    return tuple(sorted(found))
