"""A free local port for the tests that start a real server (browser, schemathesis)."""

from __future__ import annotations

import os
import socket


def free_port() -> int:
    """A free port: from RAWAN_TEST_PORTS ("8360-8399") when set, else any the system gives."""
    span = os.environ.get("RAWAN_TEST_PORTS")
    for p in (range(int(span.split("-")[0]), int(span.split("-")[1]) + 1) if span else [0]):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", p))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in {span}")
