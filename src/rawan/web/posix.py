"""The calls only POSIX systems (Linux, macOS) have, in one place, each with the fallback Windows gets.

A Windows laptop runs ``rawan demo`` / ``rawan serve`` (waitress, one process with threads) and the
task worker as a second process; nothing on those paths may need ``fcntl``, ``os.fork``, POSIX
signals or file modes.  What each guard does where it is not POSIX:

* :func:`restrict` (``chmod 0600`` / ``0700``): POSIX-only.  On Windows ``chmod`` only toggles the
  read-only flag, so it is skipped; the files live in the user's own profile folder
  (``%LOCALAPPDATA%\\rawan``), which Windows already keeps to that user.  ``os.umask`` and the
  ``mode`` of ``os.open``/``mkdir`` are accepted and ignored there, which is as safe. A ``chmod`` to a mode
  that keeps the owner's write bit (0644 for shipped map files, 0666 & ~umask for exported lists)
  only clears the read-only flag on Windows, so those calls elsewhere need no guard.
* :func:`file_lock` (one holder at a time across processes on this machine): ``fcntl.flock`` on
  POSIX, ``msvcrt.locking`` on Windows, and where neither exists only the threads of this process
  are serialised (the named lock of ``locks.py`` holds a thread lock around it).
* :func:`can_fork`: ``rawan serve --workers N`` (gunicorn forks) needs ``os.fork``; without it the
  command says so and one waitress process with threads serves instead.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

POSIX = os.name == "posix"


def can_fork() -> bool:
    return POSIX and hasattr(os, "fork")


def restrict(path: Path, mode: int) -> bool:
    """chmod ``path`` to ``mode`` on POSIX; on Windows nothing (see the module note).  True when done."""
    if not POSIX:
        return False
    os.chmod(path, mode)
    return True


def _fcntl():
    try:
        import fcntl
    except ImportError:
        return None
    return fcntl


def _msvcrt():
    try:
        import msvcrt
    except ImportError:
        return None
    return msvcrt


@contextmanager
def file_lock(path: Path):
    """An exclusive lock on ``path`` (created when missing) held by this process for the block.

    POSIX: ``flock``.  Windows: ``msvcrt.locking`` on the file's first byte, retried until free.
    Neither (another platform, or both made unavailable): no cross-process lock; callers hold a
    thread lock around it, so one process's threads still take turns."""
    fcntl = _fcntl()
    msvcrt = None if fcntl is not None else _msvcrt()
    if fcntl is None and msvcrt is None:
        yield "thread"
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as f:
        if fcntl is not None:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield "flock"
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)
            return
        f.seek(0)
        while True:
            try:
                msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)  # waits ~10 s, then OSError: try again
                break
            except OSError:
                time.sleep(0.05)
        try:
            yield "msvcrt"
        finally:
            f.seek(0)
            msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
