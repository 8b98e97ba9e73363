"""Tasks for the worker tests (tests/web/worker_cli.py enqueues them in another database)."""

from __future__ import annotations

import time
from pathlib import Path

from rawan.web import tasks


@tasks.background(max_attempts=3, lease_seconds=6, retry_delay=0, label="count slowly")
def count_slowly(n: int, delay: float, marks: str) -> dict:
    """n steps of ``delay`` seconds; each step leaves a file in ``marks`` (the test sees it run)."""
    folder = Path(marks)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"step-{i}").write_text("x")
        tasks.progress(i, n, f"langkah {i}")
        time.sleep(delay)
    tasks.progress(n, n, "selesai")
    runs = len(list(folder.glob("finished-*")))
    (folder / f"finished-{runs}").write_text("x")
    return {"n": n}


@tasks.background(max_attempts=2, lease_seconds=6, retry_delay=0, label="always fails")
def always_fails(message: str) -> None:
    raise RuntimeError(message)


@tasks.background(max_attempts=5, lease_seconds=6, retry_delay=0, label="fails at once")
def fails_at_once(message: str) -> None:
    raise tasks.Fail(message)


@tasks.background(max_attempts=3, lease_seconds=6, retry_delay=0, label="fails then works")
def fails_then_works(marks: str) -> str:
    folder = Path(marks)
    folder.mkdir(parents=True, exist_ok=True)
    tried = len(list(folder.glob("try-*")))
    (folder / f"try-{tried}").write_text("x")
    if tried == 0:
        raise ConnectionError("receiver down")
    return "ok"
