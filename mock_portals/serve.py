"""Serve an ASGI app with uvicorn on loopback, in a background thread or in the foreground."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from starlette.types import ASGIApp

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class ServedApp:
    """A running server: its base URL (no trailing slash) and the port it bound."""

    url: str
    port: int


class _ThreadServer(uvicorn.Server):
    # uvicorn installs signal handlers by default; a server in a thread must not.
    def install_signal_handlers(self) -> None:
        pass


def _bind(port: int) -> socket.socket:
    # IPPROTO_TCP explicitly: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose proto
    # says TCP, and with Nagle on, every keep-alive response stalls 40 ms on a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((LOOPBACK, port))
    except OSError:
        sock.close()  # a busy port is said by the caller; the socket must not linger
        raise
    return sock


def _config(app: ASGIApp) -> uvicorn.Config:
    return uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")


@contextmanager
def serve_in_thread(app: ASGIApp, port: int = 0) -> Iterator[ServedApp]:
    """Serve `app` on 127.0.0.1:`port` (0 = any free port) until the block ends."""
    sock = _bind(port)
    server = _ThreadServer(_config(app))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    started = threading.Event()
    while not server.started and thread.is_alive():
        started.wait(0.01)  # polling uvicorn's own flag: it offers no event to wait on
    if not thread.is_alive():
        raise RuntimeError(f"mock server on {LOOPBACK}:{port} did not start")
    bound = sock.getsockname()[1]
    try:
        yield ServedApp(url=f"http://{LOOPBACK}:{bound}", port=bound)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
