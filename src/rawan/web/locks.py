"""Named locks that hold across server processes: ``with named_lock("report:<sha>:id:pdf"): ...``.

One build of an expensive, deterministic file at a time (the others wait, then find it built).

* PostgreSQL: a transaction-level advisory lock (``pg_advisory_xact_lock``): held by the database
  for every process on every machine sharing it, released at the end of the block (or when the
  connection dies).  No table row is locked, so publishing and saving are not held up.
* SQLite: the database is one file on one machine, so the lock is an exclusive file lock on a file
  in the data directory beside it (every process on that machine): ``flock`` on POSIX,
  ``msvcrt.locking`` on Windows (``posix.file_lock``), and a process-wide thread lock always.
"""

from __future__ import annotations

import hashlib
import threading
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from .posix import file_lock

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
        folder = Path(settings.DATA_DIR) / "locks"
        path = folder / (hashlib.sha256(name.encode("utf-8")).hexdigest()[:32] + ".lock")
        with file_lock(path):  # other processes on this machine
            yield
