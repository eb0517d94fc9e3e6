"""Thai text on any terminal: edubot's output streams write UTF-8.

On Windows, Python writes to a console window in Unicode, but output that is redirected (a
scheduled task's log, `edubot doctor > doctor.txt`, a pipe into another program) takes the
machine's ANSI code page: cp874 on a Thai Windows (Thai letters, but no ✓, ✗ or —), cp1252 on
an English one (no Thai at all). Printing then fails with UnicodeEncodeError, an "internal
error" on the officer's screen. Elsewhere a C or POSIX locale does the same with ASCII.

`use_utf8_output` switches such a stream to UTF-8, which every program that reads edubot's
output (Notepad, PowerShell 7, a browser showing a log) decodes. A stream that is UTF-8
already, or is no text stream with `reconfigure` (a test's capture), is left as it is.
"""

from __future__ import annotations

import codecs
import sys
from typing import TextIO


def is_utf8(encoding: str | None) -> bool:
    if not encoding:
        return False
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def use_utf8_output(*streams: TextIO) -> None:
    """Make `streams` (default: stdout and stderr) write UTF-8 when they write something else."""
    for stream in streams or (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if stream is None or reconfigure is None or is_utf8(getattr(stream, "encoding", None)):
            continue
        try:
            stream.flush()
            # "replace": a stray character never stops a run; it would only print as "?".
            reconfigure(encoding="utf-8", errors="replace")
        except (OSError, ValueError):  # a closed or detached stream: nothing to print to
            continue
