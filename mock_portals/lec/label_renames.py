"""The `rename_labels` fault: a page's `<label>` texts changed as a portal update might.

Applied to the rendered page, so it reaches every label of every page in both markups — the
accessible `<label for="first_name">ชื่อ</label>` and the framework's `<label> ชื่อ: </label>` —
and nothing else: field names, ids, `lang` checks and messages keep the old words.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

# A label holding only text: its opening tag, the space before the text, the text, then the
# framework's colon and spaces. A label wrapping other elements (a checkbox) is left alone.
_LABEL = re.compile(r"(<label\b[^>]*>)(\s*)([^<]*?)(\s*:?\s*</label>)")


def rename_labels(page: str, renames: Mapping[str, str]) -> str:
    """`page` with each label whose text is a key of `renames` showing that key's value."""
    wanted = {old.strip(): new.strip() for old, new in renames.items()}

    def relabel(match: re.Match[str]) -> str:
        new = wanted.get(html.unescape(match[3]))
        if new is None:
            return match[0]
        return f"{match[1]}{match[2]}{html.escape(new, quote=False)}{match[4]}"

    return _LABEL.sub(relabel, page)
