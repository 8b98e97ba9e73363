"""Django's SQLite backend with the writers queued for SQLite's write lock instead of polling it.

SQLite has one writer at a time; with ``transaction_mode=IMMEDIATE`` every ``atomic()`` block takes
that lock at its ``BEGIN``.  A connection that finds it taken does not wait in a queue: SQLite's
busy handler sleeps and tries again in growing steps (1, 2, 5, 10 ... up to 100 ms), so with twenty
server threads saving at once a writer may sleep through many turns while others arrive after it
and win (a long tail of waits), and a woken writer sleeps on after the lock has long been free.

Here a writer first takes, in this order, and holds from ``BEGIN`` to ``COMMIT``/``ROLLBACK`` (or
the connection's close), exactly the span SQLite holds its write lock:

1. the process's lock for that database file (a ``threading.Lock``): the threads of one server
   process wait on it and are woken as soon as it is free;
2. on POSIX, an exclusive ``flock`` on ``<database>.writelock`` beside the file (opened once per
   process), so the one writer of each process (gunicorn workers, ``rawan worker``) takes turns
   with the others, retried every half millisecond instead of SQLite's long sleeps.

Nothing can wait on these that would not have waited on SQLite's own lock, and a writer that does
not get them within the connection's ``timeout`` gets ``OperationalError("database is locked")``
as it would from SQLite.  Writes outside ``atomic()`` (autocommit) still meet SQLite's busy handler.
"""

from __future__ import annotations

import os
import threading
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

from ...posix import _fcntl

_LOCKS: dict[str, threading.Lock] = {}
_FILES: dict[str, tuple[int, int]] = {}  # database -> (pid, fd of its .writelock): one per process
_GUARD = threading.Lock()
POLL = 0.0005  # seconds between two tries of another process's flock


def write_lock(name) -> threading.Lock:
    """The process's write lock of the database file ``name``."""
    with _GUARD:
        return _LOCKS.setdefault(str(name), threading.Lock())


def lock_path(name) -> str | None:
    """The file whose flock orders the writers of all processes; None for an in-memory database."""
    name = str(name)
    if not name or name.startswith("file:") or ":memory:" in name:
        return None
    return name + ".writelock"


def _lock_fd(name) -> int | None:
    path = lock_path(name)
    if path is None or _fcntl() is None:
        return None
    pid = os.getpid()
    with _GUARD:
        got = _FILES.get(path)
        if got is None or got[0] != pid:  # first use, or a forked child (its own open file)
            _FILES[path] = got = (pid, os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600))
    return got[1]


class DatabaseWrapper(base.DatabaseWrapper):
    _held: threading.Lock | None = None
    _held_fd: int | None = None

    def _start_transaction_under_autocommit(self):
        name = self.settings_dict["NAME"]
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        lock = write_lock(name)
        if not lock.acquire(timeout=timeout):
            raise OperationalError("database is locked")
        self._held = lock
        try:
            fd = _lock_fd(name)
            if fd is not None:
                fcntl = _fcntl()
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() > deadline:
                            raise OperationalError("database is locked") from None
                        time.sleep(POLL)
                self._held_fd = fd
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        fd, self._held_fd = self._held_fd, None
        if fd is not None:
            _fcntl().flock(fd, _fcntl().LOCK_UN)
        lock, self._held = self._held, None
        if lock is not None:
            lock.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            if self.connection is None or not self.connection.in_transaction:  # (a failed COMMIT: the rollback releases)
                self._release()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release()
