"""Decide from its bytes whether an upload is a PDF, without a PDF library.

A sniff, not a parse: the header `%PDF-x.y`, an `%%EOF` near the end, and a `startxref`
offset that points at a cross-reference table or stream inside the file.
"""

from __future__ import annotations

import re

_HEADER = re.compile(rb"%PDF-[12]\.\d")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF")
_TAIL_BYTES = 2048


def looks_like_pdf(data: bytes) -> bool:
    """True when `data` has a PDF header, trailer and a plausible cross-reference offset."""
    if not _HEADER.match(data):
        return False
    tail = data[-_TAIL_BYTES:]
    found = _STARTXREF.findall(tail)
    if not found:
        return False
    offset = int(found[-1])
    if offset >= len(data):
        return False
    target = data[offset : offset + 64].lstrip()
    # A classic table starts with `xref`; a cross-reference stream is an indirect object.
    return target.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj", target) is not None
