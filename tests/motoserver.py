"""moto server on a free loopback port, quiet, with fake credentials: what the tests and the benchmarks talk to."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Iterator


@contextlib.contextmanager
def running_moto_server() -> Iterator[str]:
    """The endpoint URL of a moto server that runs for the `with` block."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto server's access log
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench-key")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench-secret")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
