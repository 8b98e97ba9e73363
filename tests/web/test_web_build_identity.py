"""The public page cache is keyed by the installation's build identity (rawan.web.build): a code
update without a version bump (a `git pull` on a server, an edited template) never serves a page the
old code drew, and every process of one installation computes the same identity."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PUB = "contoh-ikp-2024-jambi"


def _tree(root: Path) -> Path:
    (root / "web" / "templates").mkdir(parents=True)
    (root / "web" / "locale" / "en").mkdir(parents=True)
    (root / "web" / "static").mkdir(parents=True)
    (root / "web" / "__pycache__").mkdir(parents=True)
    (root / "__init__.py").write_text("__version__ = '0.1.0'\n")
    (root / "web" / "views.py").write_text("def view(): return 1\n")
    (root / "web" / "templates" / "page.html").write_text("<h1>Peta</h1>\n")
    (root / "web" / "locale" / "en" / "django.mo").write_bytes(b"\xde\x12\x04\x95catalogue")
    (root / "web" / "static" / "app.js").write_text("console.log(1)\n")
    return root


def test_the_identity_follows_every_served_file_and_nothing_else(tmp_path):
    from rawan.web.build import tree_identity

    root = _tree(tmp_path / "rawan")
    first = tree_identity(root)
    assert first == tree_identity(root) and len(first) == 64
    # bytecode and a fresh modification time are not a change of what is served
    (root / "web" / "__pycache__" / "views.cpython-311.pyc").write_bytes(b"bytecode")
    (root / "web" / "views.cpython-311.pyc").write_bytes(b"bytecode")
    (root / "web" / "templates" / "page.html").touch()
    assert tree_identity(root) == first
    seen, before = {first}, first
    for rel, data in [("web/templates/page.html", b"<h1>Peta rawan</h1>\n"),  # a template edited
                      ("web/locale/en/django.mo", b"\xde\x12\x04\x95catalogue 2"),  # a catalogue recompiled
                      ("web/static/app.js", b"console.log(2)\n"),  # a static file
                      ("web/views.py", b"def view(): return 2\n"),  # the code
                      ("web/static/new.css", b"a{}")]:  # a file added
        (root / rel).write_bytes(data)
        now = tree_identity(root)
        assert now not in seen, rel
        seen.add(now)
        before, last = now if rel != "web/static/new.css" else before, now
    (root / "web" / "static" / "new.css").unlink()  # removed again: the identity of the files as they were
    assert tree_identity(root) == before != last
    # a file moved to another folder with the same bytes is a change too
    (root / "web" / "templates" / "page.html").rename(root / "web" / "static" / "page.html")
    assert tree_identity(root) not in seen


def test_the_identity_is_computed_once_per_process():
    from rawan.web import build

    build.build_id.cache_clear()
    calls = []
    real = build.tree_identity
    try:
        build.tree_identity = lambda root: calls.append(root) or real(root)
        assert build.build_id() == build.build_id() == build.build_id()
        assert calls == [build.PACKAGE]
    finally:
        build.tree_identity = real
        build.build_id.cache_clear()


@pytest.mark.slow
def test_every_process_of_one_installation_computes_the_same_identity():
    from rawan.web.build import build_id

    code = "from rawan.web.build import build_id; print(build_id())"
    others = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
              for _ in range(2)}
    assert others == {build_id()}


@pytest.mark.django_db
def test_a_code_update_without_a_version_bump_never_serves_the_old_page(as_user, monkeypatch):
    """The shared cache holds a page drawn by the old code (here: bytes put under its key); a
    process of the same build serves it, a process started after an update renders afresh."""
    from django.core.cache import cache

    from rawan.web.editions import pagecache

    anon = as_user(None)
    body = anon.get(f"/e/{PUB}/peringkat/").content
    assert b"<html" in body
    keys = list(pagecache._LOCAL)
    assert len(keys) == 1
    entry = cache.get(keys[0])
    cache.set(keys[0], (b"halaman lama / old page", entry[1], {}), pagecache.TIMEOUT)
    pagecache.clear_local()  # another process of the same installation: the shared entry is served
    assert anon.get(f"/e/{PUB}/peringkat/").content == b"halaman lama / old page"

    pagecache.clear_local()  # a process started after `git pull` (templates changed, same version)
    monkeypatch.setattr(pagecache, "build_id", lambda: "0123456789abcdef")
    fresh = anon.get(f"/e/{PUB}/peringkat/")
    assert fresh.status_code == 200 and fresh.content == body
    assert cache.get(keys[0])[0] == b"halaman lama / old page"  # the old entry is simply never asked for
