"""The build identity of this installation: a hash of every file of the ``rawan`` package.

The public page cache (``editions/pagecache.py``) is shared by every server process and lives for a
week; its keys hold this identity beside the edition's state, so a code update — a ``git pull`` on a
server, a reinstalled wheel, an edited template, a recompiled catalogue, a new static file — makes
new keys at once, even without a version bump, and no page drawn by the old code is served again.

The identity is the SHA-256 of every file under the package folder (its relative path and its
bytes): Python modules, templates, static files, translation catalogues, shipped models and region
data; ``__pycache__`` folders and ``*.pyc`` files are left out (they follow the sources, and each
process may write its own).  The content, not the files' times, so every process of one
installation, and the app servers of several machines installed from the same release, compute the
same identity and share the cache entries.  It is computed once per process, on first use:
``rawan serve`` asks for it before the first visitor (``cli/web.py``, ``warm_server``; the package is
a few MB: a few tens of milliseconds), so gunicorn's preloaded workers inherit it.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # src/rawan (or site-packages/rawan)
SKIPPED_DIRS = {"__pycache__"}
SKIPPED_SUFFIXES = (".pyc", ".pyo")


def tree_identity(root: Path) -> str:
    """SHA-256 (hex) over the relative path and the bytes of every file under ``root``, in a fixed
    order; the same bytes give the same identity wherever and whenever they were installed."""
    h = hashlib.sha256()
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in names:
            if not name.endswith(SKIPPED_SUFFIXES) and not name.startswith("."):
                files.append(Path(folder, name))
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        rel = path.relative_to(root).as_posix().encode("utf-8")
        try:
            data = path.read_bytes()
        except OSError:  # a file removed while walking (an update under way): part of the identity
            data = b"\0missing"
        h.update(len(rel).to_bytes(4, "big") + rel + len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


@cache
def build_id() -> str:
    """This installation's identity (first 16 hex digits of :func:`tree_identity` of the package),
    computed once per process."""
    return tree_identity(PACKAGE)[:16]
