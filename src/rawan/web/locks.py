"""Named locks that hold across server processes: ``with named_lock("report:<sha>:id:pdf"): ...``.

One build of an expensive, deterministic file at a time (the others wait, then find it built).

* PostgreSQL: a transaction-level advisory lock (``pg_advisory_xact_lock``): held by the database
  for every process on every machine sharing it, released at the end of the block (or when the
  connection dies).  No table row is locked, so publishing and saving are not held up.
* SQLite: the database is one file on one machine, so the lock is an exclusive ``flock`` on a file
  in the data directory beside it (every process on that machine), or a process-wide lock where
  ``fcntl`` does not exist (Windows: one waitress process with threads).
"""

from __future__ import annotations

import hashlib
import threading
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

_THREAD_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


def _key64(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


@contextmanager
def named_lock(name: str):
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [_key64(name)])
            yield
        return
    with _GUARD:
        tlock = _THREAD_LOCKS.setdefault(name, threading.Lock())
    with tlock:  # threads of this process
        try:
            import fcntl
        except ImportError:  # Windows: a single server process
            yield
            return
        folder = Path(settings.DATA_DIR) / "locks"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (hashlib.sha256(name.encode("utf-8")).hexdigest()[:32] + ".lock")
        with open(path, "a") as f:  # other processes on this machine
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)
