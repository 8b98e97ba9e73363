"""The edition's lock: shared by the writes made inside its state, exclusive for a change of it.

An operator's save, a verifier's decision, a PKD's checklist depend on the edition's status and
collection window, read inside their transaction.  They must not be applied after a change of that
state (publication, closing, a new window) that they did not see, but they need not wait for each
other: each takes the edition's lock **shared**; a status or window change takes it **exclusively**
(it waits for the writes in flight to commit, and writes that start meanwhile wait for it, then
read the new state and are refused).

* PostgreSQL: a transaction-level advisory lock (``pg_advisory_xact_lock_shared`` /
  ``pg_advisory_xact_lock``), held in memory until the transaction ends.  Unlike ``SELECT ... FOR
  UPDATE`` on the edition's row (which made every save of an edition wait for the one before it)
  shared holders do not exclude each other, and unlike ``FOR SHARE`` no multixact is written per
  save.  The state is read by a statement issued *after* the lock is granted: a statement's
  snapshot is taken when it starts, so a read in the same statement as the lock could see the
  status from before a change that committed while it waited.
* SQLite: every transaction (``BEGIN IMMEDIATE``) already holds the whole database's write lock;
  nothing more is taken.

Lock order, everywhere: the edition's lock, then rows (the edition's, submissions, TPS), last the
audit log's chain head (held for the shortest time).
"""

from __future__ import annotations

from django.db import connection

from ..locks import _key64
from .models import Edition

STATE_FIELDS = ("id", "status", "window_start", "window_end")


def edition_key(edition_id: int) -> int:
    return _key64(f"edition:{edition_id}")


def lock_shared(edition_id: int) -> Edition:
    """Inside a transaction: the edition's state (``STATE_FIELDS`` only), read under the shared lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock_shared(%s)", [edition_key(edition_id)])
            cur.execute(_STATE_SQL, [edition_id])
            row = cur.fetchone()
        if row is None:
            raise Edition.DoesNotExist(edition_id)
        return Edition(id=edition_id, status=row[0], window_start=row[1], window_end=row[2])
    return Edition.objects.only(*STATE_FIELDS).get(pk=edition_id)


_STATE_SQL = f"SELECT status, window_start, window_end FROM {Edition._meta.db_table} WHERE id = %s"


def lock_exclusive(edition_id: int) -> None:
    """Inside a transaction, before the edition's status or window changes: waits for the shared
    holders in flight; those that start meanwhile wait for this transaction to end."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [edition_key(edition_id)])
