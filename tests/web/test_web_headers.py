"""Content-Security-Policy (no inline script anywhere), Permissions-Policy, no-store on pages that
show secrets, and files only the server's user can read."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys

import pytest

TRAIN = "contoh-latihan-2026"
PUB = "contoh-ikp-2024-jambi"
PAGES = [  # (user, url, method, data)
    (None, "/", "get", None), (None, f"/e/{PUB}/", "get", None), (None, f"/e/{PUB}/peringkat/", "get", None),
    (None, f"/e/{PUB}/wilayah/15.01/", "get", None), (None, "/masuk/", "get", None),
    ("op_kerinci", f"/e/{TRAIN}/entri/15.01/", "post", {"v_i01": "abc"}),  # with its error summary
    ("op_kerinci", f"/e/{TRAIN}/entri/unggah/", "get", None), ("admin", "/pengguna/", "get", None),
    ("admin", f"/e/{TRAIN}/kelola/", "get", None), ("admin", f"/e/{PUB}/kelola/konfirmasi/archive/", "get", None),
    ("op_kerinci", "/akun/token/", "get", None), ("verifier", f"/e/{TRAIN}/entri/", "get", None),
]


@pytest.mark.django_db
@pytest.mark.parametrize("user, url, method, data", PAGES)
def test_pages_carry_csp_and_no_inline_script(as_user, user, url, method, data):
    r = getattr(as_user(user), method)(url, data or {})
    assert r.status_code in (200, 400)
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "camera=()" in r["Permissions-Policy"] and "geolocation=()" in r["Permissions-Policy"]
    html = r.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert all('src="' in attrs and not body.strip() for attrs, body in scripts), scripts
    assert not re.search(r"\son[a-z]+=", html), re.search(r"\son[a-z]+=.{0,40}", html).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("user, url", [("admin", "/pengguna/"), ("op_kerinci", "/akun/token/")])
def test_pages_with_secrets_are_never_stored(as_user, user, url):
    assert "no-store" in as_user(user).get(url)["Cache-Control"]


@pytest.mark.slow  # child processes
def test_database_wal_and_files_are_private(tmp_path):
    """A fresh install: the SQLite file, its WAL, the secret key, the upload folder; and an older
    install's world-readable file is made private at start."""
    code = ("import rawan.web as w; w.setup(); w.migrate(); "
            "from django.db import connection; c = connection.cursor(); "
            "c.execute('CREATE TABLE IF NOT EXISTS t (x)'); c.execute('INSERT INTO t VALUES (1)')")
    env = {**os.environ, "RAWAN_DATA_DIR": str(tmp_path / "fresh"), "RAWAN_CACHE_URL": "locmem"}
    for k in ("DATABASE_URL", "RAWAN_SECRET_KEY", "DJANGO_SETTINGS_MODULE"):
        env.pop(k, None)
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=300)
    fresh = tmp_path / "fresh"
    files = [p for p in fresh.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"rawan.sqlite3", "secret_key"}
    for p in files + [p for p in fresh.rglob("*") if p.is_dir()]:
        assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, (p, oct(p.stat().st_mode))
    old = tmp_path / "old"
    old.mkdir()
    for name in ("rawan.sqlite3", "rawan.sqlite3-wal"):
        (old / name).write_bytes(b"")
        (old / name).chmod(0o644)
    env["RAWAN_DATA_DIR"] = str(old)
    subprocess.run([sys.executable, "-c", "import rawan.web as w; w.setup()"], env=env, check=True, timeout=120)
    assert {stat.S_IMODE((old / n).stat().st_mode) for n in ("rawan.sqlite3", "rawan.sqlite3-wal")} == {0o600}


@pytest.mark.django_db
def test_pages_name_an_icon_so_browsers_ask_for_no_missing_favicon(as_user, client):
    """Without a <link rel="icon"> every browser asks for /favicon.ico, a 404 (a console error and a
    "Not Found" log line) on every page; the empty data: icon is allowed by img-src."""
    assert client.get("/favicon.ico").status_code == 404
    for url in ("/", f"/e/{PUB}/", "/panduan/", "/masuk/"):
        html = client.get(url).content.decode()
        assert re.search(r'<link rel="icon" href="data:,">', html), url
    csp = client.get("/")["Content-Security-Policy"]
    assert "data:" in csp.split("img-src")[1].split(";")[0]


@pytest.mark.django_db
def test_the_cached_csp_header_is_django_csps_and_overrides_still_apply(client, rf):
    from csp.decorators import csp_update
    from csp.utils import build_policy
    from django.http import HttpResponse

    from rawan.web.headers import CachedCSPMiddleware

    r = client.get("/")
    assert r["Content-Security-Policy"] == build_policy()  # the same string django-csp builds
    assert client.get("/").get("Content-Security-Policy") == r["Content-Security-Policy"]
    # a view that changes the policy (django-csp's decorator) still gets its own header
    view = csp_update({"img-src": ["https://tiles.example"]})(lambda request: HttpResponse("x"))
    mw = CachedCSPMiddleware(view)
    resp = mw(rf.get("/x"))
    assert "https://tiles.example" in resp["Content-Security-Policy"]
    assert "https://tiles.example" not in r["Content-Security-Policy"]
