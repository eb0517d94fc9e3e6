"""Screenshots that can be shared: a child's data masked, owner-only files."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator as PwLocator
from playwright.sync_api import Page


def safe_name(name: str) -> str:
    """A file name from a flow's screenshot name: no folders, nothing the file system dislikes."""
    # Thai vowel and tone marks are not `\w` (category Mn): kept, or ขั้นพื้นฐาน reads ข_นพ_นฐาน.
    return re.sub(r"[^\w\u0e00-\u0e7f.-]+", "_", name).strip("._") or "screenshot"


# What a shared screenshot hides (issue: evidence that can be shared). Form fields hold a
# child's data on every form; table cells hold it on every list; a national ID may show in any
# text (a portal's message). Buttons keep their words: they say where the page was.
_FORM_FIELDS = (
    "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset])"
    ":not([type=image]), select, textarea, [contenteditable=''], [contenteditable=true]"
)
_NATIONAL_ID_TEXT = re.compile(r"\d(?:[ -]?\d){12}")
MASK_COLOUR = "#FF00FF"


def personal_data_masks(page: Page, element: PwLocator | None = None) -> list[PwLocator]:
    """Locators of what a screenshot must hide: form fields, national IDs, and on a whole page
    every table cell. A receipt of one element (a status row the flow chose) keeps its cells."""
    scope: Page | PwLocator = element if element is not None else page
    masks = [scope.locator(_FORM_FIELDS), scope.get_by_text(_NATIONAL_ID_TEXT)]
    if element is None:
        masks.append(page.locator("td"))
    return masks


def take_screenshot(
    page: Page, path: Path, element: PwLocator | None = None, *, full: bool, timeout: int = 0
) -> Path | None:
    """A screenshot with personal data masked, owner-only; with `full`, also an unmasked copy
    (passwords still masked) beside it as NAME-full.png, which no report embeds.

    Returns the full copy's path, if one was taken.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    passwords = page.locator("input[type=password]")
    shots = [(path, [passwords, *personal_data_masks(page, element)])]
    full_path = path.with_name(f"{path.stem}-full{path.suffix}") if full else None
    if full_path is not None:
        shots.append((full_path, [passwords]))
    for target, masks in shots:
        target.touch(mode=0o600, exist_ok=True)  # owner-only before a byte is written
        target.chmod(0o600)
        if element is not None:
            element.screenshot(
                path=str(target), mask=masks, mask_color=MASK_COLOUR, timeout=timeout or None
            )
        else:
            page.screenshot(path=str(target), full_page=True, mask=masks, mask_color=MASK_COLOUR)
    return full_path
