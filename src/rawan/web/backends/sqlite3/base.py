"""Django's SQLite backend with the write lock queued inside the process.

SQLite has one writer at a time; with ``transaction_mode=IMMEDIATE`` every ``atomic()`` block takes
that lock at its ``BEGIN``.  A connection that finds it taken does not wait in a queue: SQLite's
busy handler sleeps and tries again in growing steps (1, 2, 5, 10 ... 100 ms), so with twenty server
threads saving at once a writer may sleep through many turns while others arrive after it and win
(a long tail of waits), and a woken writer sleeps on even when the lock has been free for a while.

Here the threads of one server process wait for the write lock on a lock of their own, in the
order the operating system wakes them, and go to SQLite one at a time: the thread holding the
process's lock meets no other writer of this process in SQLite, so it waits only when another
process (a second server process, ``rawan worker``) writes, and then SQLite's busy handler does
as before.  The lock is held from ``BEGIN`` to ``COMMIT``/``ROLLBACK`` (or the connection's
close), exactly the span SQLite itself holds its write lock, so nothing can wait on it that would
not have waited on SQLite; waiting longer than the connection's ``timeout`` raises
``OperationalError("database is locked")`` as SQLite would.
"""

from __future__ import annotations

import threading

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


def write_lock(name: str) -> threading.Lock:
    """The process's write lock of the database file ``name``."""
    with _GUARD:
        return _LOCKS.setdefault(str(name), threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _held: threading.Lock | None = None

    def _start_transaction_under_autocommit(self):
        lock = write_lock(self.settings_dict["NAME"])
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        if not lock.acquire(timeout=timeout):
            raise OperationalError("database is locked")
        self._held = lock
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
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
