"""A free local port for the tests that start a real server (browser, schemathesis, rawan demo...)."""

from __future__ import annotations

import os
import socket


def _span() -> list[int]:
    """The ports this test process may take: RAWAN_TEST_PORTS ("8360-8399") when set, shared out between
    pytest-xdist workers (worker k of n takes every n-th port from the k-th), so two workers never
    pick the same port between checking it and their server binding it."""
    span = os.environ.get("RAWAN_TEST_PORTS")
    if not span:
        return [0]  # any the system gives (it hands out different ones)
    lo, hi = (int(x) for x in span.split("-"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    k = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    return list(range(lo + k % count, hi + 1, count))


def free_port() -> int:
    """A free port of this process's share of RAWAN_TEST_PORTS, else any the system gives."""
    for p in _span():
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", p))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in {os.environ.get('RAWAN_TEST_PORTS')} for this test process")
