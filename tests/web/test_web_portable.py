"""The paths a Windows user reaches work without POSIX-only calls (web/posix.py).

``fcntl`` and ``msvcrt`` are made unimportable and ``os.fork`` is removed (as on Windows, where the
first two are respectively absent/present and fork does not exist); a fake ``msvcrt`` shows that the
Windows file lock is taken and released.  The whole ``rawan demo --no-serve`` under the same
conditions, in its own process, is in tests/test_demo_command.py (slow tier).
"""

from __future__ import annotations

import os
import sys
import threading
import time
import types

import pytest

from rawan.cli import main
from rawan.web import env, locks, posix


@pytest.fixture
def no_posix(monkeypatch):
    monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl -> ImportError
    monkeypatch.setitem(sys.modules, "msvcrt", None)
    monkeypatch.delattr(os, "fork", raising=False)
    return monkeypatch


def test_named_lock_without_fcntl_still_serialises_threads(no_posix, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    # the lock of a laptop (SQLite): on PostgreSQL named_lock takes an advisory lock instead, which
    # this test's threads (no database connection of their own) cannot reach
    monkeypatch.setattr(locks, "connection", types.SimpleNamespace(vendor="sqlite"))
    with pytest.raises(ImportError):
        import fcntl  # noqa: F401
    with posix.file_lock(tmp_path / "x.lock") as kind:
        assert kind == "thread"
    inside, most = [0], [0]

    def work():
        with locks.named_lock("report:abc"):
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            time.sleep(0.02)
            inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1  # never two holders at once


def test_windows_file_lock_takes_and_releases_msvcrt_lock(monkeypatch, tmp_path):
    calls = []
    fake = types.SimpleNamespace(LK_LOCK=2, LK_UNLCK=0,
                                 locking=lambda fd, mode, n: calls.append((mode, n)))
    monkeypatch.setitem(sys.modules, "fcntl", None)
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    with posix.file_lock(tmp_path / "locks" / "a.lock") as kind:
        assert kind == "msvcrt" and calls == [(2, 1)]
    assert calls == [(2, 1), (0, 1)] and (tmp_path / "locks" / "a.lock").is_file()


def test_file_lock_uses_flock_on_posix(tmp_path):
    if os.name != "posix":
        pytest.skip("POSIX only")
    with posix.file_lock(tmp_path / "b.lock") as kind:
        assert kind == "flock"


def test_permissions_are_posix_only(monkeypatch, tmp_path):
    db = tmp_path / "rawan.sqlite3"
    db.write_bytes(b"")
    db.chmod(0o644)
    monkeypatch.setattr(posix, "POSIX", False)  # as on Windows: chmod would only toggle read-only
    env.restrict_sqlite({"ENGINE": "django.db.backends.sqlite3", "NAME": str(db)})
    assert db.stat().st_mode & 0o777 == 0o644 and posix.restrict(db, 0o600) is False
    monkeypatch.setattr(posix, "POSIX", True)
    env.restrict_sqlite({"ENGINE": "django.db.backends.sqlite3", "NAME": str(db)})
    assert db.stat().st_mode & 0o777 == 0o600


def test_several_server_processes_refused_without_fork(no_posix, capsys):
    assert posix.can_fork() is False
    assert main(["serve", "--workers", "2", "--port", "8449"]) == 2
    err = capsys.readouterr().err
    assert "--workers" in err and "--threads" in err
