"""Addresses: is a URL on this machine? (Light on imports: the browser module needs it early.)"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback_url(url: str) -> bool:
    """True when `url` points at this machine (127.0.0.0/8, ::1 or localhost)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin_of(url: str) -> str:
    """`scheme://host:port` of a URL, the port always written: what walls compare."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # a port out of range: no origin anything may match
        return ""
    port = port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"
