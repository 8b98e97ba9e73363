"""Saves do not queue behind each other: the edition's lock is shared by saves and exclusive for a
status change (``editions.locking``), each region's audit entries go to their own hash-chain lane
(``audit.models``), and on SQLite the writers of one process queue on a lock of their own instead
of SQLite's sleeping busy handler (``backends.sqlite3``)."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from rawan.web.audit.models import AuditEntry, lane_of, log_action
from rawan.web.editions.models import Edition
from rawan.web.entry.models import Submission
from rawan.web.entry.state import lock_for_entry

pytestmark = pytest.mark.django_db
TRAIN = "contoh-latihan-2026"


def _two_open_regions(open_b: bool = True):
    """Two regions of the training edition open for entry (the second one only with ``open_b``:
    writing it would lock its row in this session), in different audit lanes."""
    ed = Edition.objects.get(slug=TRAIN)
    codes = [c for c, _ in ed.regions]
    a = "15.01"
    b = next(c for c in codes if c != a and lane_of(ed, c) != lane_of(ed, a))
    if open_b:
        Submission.objects.filter(edition=ed, region_code=b).update(status="draft")
    return ed, Submission.objects.get(edition=ed, region_code=a), Submission.objects.get(edition=ed, region_code=b)


def _save(sub, value):
    cur = lock_for_entry(sub)
    cur.values = {**cur.values, "i01": value}
    cur.save()
    cur.log_action("rawan.submission.saved", data={"changed": {"i01": [None, value]}, "notes": {}})


class _RolledBack(Exception):
    pass


def _other_session(work):
    """``work()`` on a second database session in another thread, rolled back at the end; on
    PostgreSQL a lock it cannot get within 10 s fails it (instead of hanging the test)."""
    out = {}

    def run():
        other = connections.create_connection("default")
        connections["default"] = other  # this thread's connection
        try:
            with transaction.atomic():
                with other.cursor() as cur:
                    cur.execute("SET LOCAL lock_timeout = '10s'")
                work()
                raise _RolledBack
        except _RolledBack:
            out["done"] = True
        except Exception as e:  # reported to the test
            out["error"] = e
        finally:
            other.close()

    t = threading.Thread(target=run)
    t.start()
    t.join(120)
    return out


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL only: SQLite has one writer at a time (TestSQLiteWriteQueue)")
def test_postgresql_a_save_does_not_wait_for_another_regions_save():
    ed, a, b = _two_open_regions(open_b=False)

    def save_b():
        Submission.objects.filter(pk=b.pk).update(status="draft")
        _save(b, 2.0)

    with transaction.atomic():
        _save(a, 1.0)  # in flight: edition lock (shared), submission row, lane head, all held
        assert _other_session(save_b) == {"done": True}


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL only: SQLite has one writer at a time (TestSQLiteWriteQueue)")
def test_postgresql_a_status_change_waits_for_the_saves_in_flight():
    from rawan.web.editions.locking import lock_exclusive

    ed, a, _b = _two_open_regions()
    with transaction.atomic():
        _save(a, 1.0)
        out = _other_session(lambda: lock_exclusive(ed.pk))
    assert "lock timeout" in str(out.get("error")), out


def _lane_alone(ed, code):
    """The lane an entry of this region takes in a transaction of its own (rolled back after)."""
    try:
        with transaction.atomic():
            raise _RolledBack(log_action("rawan.submission.saved", edition=ed, region_code=code, data={}).lane)
    except _RolledBack as r:
        return r.args[0]


def test_each_region_writes_to_its_own_lane_and_a_transaction_to_one():
    ed, a, b = _two_open_regions()
    la, lb = _lane_alone(ed, a.region_code), _lane_alone(ed, b.region_code)
    assert (la, lb) == (lane_of(ed, a.region_code), lane_of(ed, b.region_code)) and la != lb and la > 0
    assert _lane_alone(None, "") == 0 == lane_of(ed, "") == lane_of(None, "15.01")
    with transaction.atomic():  # an upload of two regions: both entries in the lane of the first
        x = log_action("rawan.submission.imported", edition=ed, region_code=b.region_code, data={})
        y = log_action("rawan.submission.imported", edition=ed, region_code=a.region_code, data={})
        plain = log_action("rawan.user.login")
        assert x.lane == y.lane == plain.lane == lb and y.prev_hash == x.hash and plain.prev_hash == y.hash
    from rawan.web.audit.models import verify_chain

    assert verify_chain()[1] is None
    assert AuditEntry.objects.filter(lane=lb).count() >= 3


class TestSQLiteWriteQueue:
    """The backend itself, on a file of its own (whatever database the suite runs on)."""

    @pytest.fixture
    def wrappers(self, tmp_path):
        from rawan.web.backends.sqlite3.base import DatabaseWrapper

        made = []

        def make():
            s = {**connection.settings_dict, "ENGINE": "rawan.web.backends.sqlite3", "NAME": str(tmp_path / "q.sqlite3"),
                 "OPTIONS": {"timeout": 0.2, "transaction_mode": "IMMEDIATE"}, "TEST": {}}
            w = DatabaseWrapper(s, alias=f"q{len(made)}")
            w.inc_thread_sharing()
            w.ensure_connection()
            made.append(w)
            return w

        yield make
        for w in made:
            w.close()

    @pytest.mark.parametrize("end", ["commit", "rollback", "close"])
    def test_a_second_writer_of_the_process_waits_until_the_first_ends(self, wrappers, end):
        from rawan.web.backends.sqlite3.base import write_lock

        a, b = wrappers(), wrappers()
        a._start_transaction_under_autocommit()
        assert write_lock(a.settings_dict["NAME"]).locked()
        box = {}

        def second():
            try:
                b._start_transaction_under_autocommit()
                box["got"] = True
            except OperationalError as e:
                box["error"] = str(e)

        t = threading.Thread(target=second)
        t.start()
        t.join(60)
        assert box == {"error": "database is locked"}  # its timeout passed while the first held it
        {"commit": a.commit, "rollback": a.rollback, "close": a.close}[end]()
        assert not write_lock(a.settings_dict["NAME"]).locked()
        b._start_transaction_under_autocommit()
        b.rollback()
        assert not write_lock(a.settings_dict["NAME"]).locked()

    def test_another_processes_writer_is_waited_for_on_the_lock_file(self, wrappers):
        """Another process's writer holds the flock beside the database (here: the same file opened
        again, which flock treats as another holder): this process's writer waits for it."""
        import fcntl
        import os

        from rawan.web.backends.sqlite3.base import lock_path

        a = wrappers()
        path = lock_path(a.settings_dict["NAME"])
        a._start_transaction_under_autocommit()  # creates the file
        a.commit()
        assert oct(os.stat(path).st_mode & 0o777) == "0o600"
        other = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(other, fcntl.LOCK_EX)
            with pytest.raises(OperationalError, match="database is locked"):
                a._start_transaction_under_autocommit()
            fcntl.flock(other, fcntl.LOCK_UN)
            a._start_transaction_under_autocommit()
            with pytest.raises(BlockingIOError):  # now this process holds it
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            a.rollback()
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released with the transaction
            fcntl.flock(other, fcntl.LOCK_UN)
        finally:
            os.close(other)
