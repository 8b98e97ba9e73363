"""Two server processes sharing one database (a SQLite file in the first pass of `make test`, a
PostgreSQL database in its PostgreSQL pass): a publication or archiving done through one is served
by the other at once, although the other had the page in its cache; both serve the same bundle.
The second server runs gunicorn with two worker processes (`rawan serve --workers 2`)."""

from __future__ import annotations

import hashlib
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from tests.web.ports import free_port

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PUB = "contoh-ikp-2024-jambi"
TRAIN = "contoh-latihan-2026"


def _start(env: dict, *args: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "rawan", "serve", "--port", str(port), *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(base + "/api/health", timeout=2)
            return proc, base
        except OSError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail("server did not start: " + proc.stderr.read().decode()[-2000:])


@pytest.fixture(scope="module")
def servers(tmp_path_factory, django_db_blocker, request):
    from django.db import connection

    data = tmp_path_factory.mktemp("two-servers")
    drop = None
    with django_db_blocker.unblock():
        vendor, s = connection.vendor, connection.settings_dict
    if vendor != "postgresql":  # SQLite: a copy of the demo loaded once per session (tests/web/conftest.py)
        demo = request.getfixturevalue("loaded_demo")
        env, passwords = demo.copy(data), demo.passwords
    else:  # a database of its own, the demo loaded into it
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE",
                                                                 "RAWAN_MEDIA_DIR")}
        env.update(RAWAN_DATA_DIR=str(data), RAWAN_SECRET_KEY="two-servers-" + "t2" * 30, RAWAN_LANG="id")
        import psycopg

        name = f"{s['NAME']}_two"[:63]
        admin = psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], password=s["PASSWORD"],
                                dbname="postgres", autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{name}"

        def drop():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
        out = subprocess.run([sys.executable, "-m", "rawan", "web", "load-demo"], env=env, capture_output=True,
                             text=True, timeout=300, check=True).stdout
        passwords = dict(re.findall(r"^\s+([a-z.]+)\s+(\S+)$", out, re.M))
    a, base_a = _start(env)
    b, base_b = _start(env, "--workers", "2")
    try:
        yield base_a, base_b, passwords
    finally:
        for p in (a, b):
            os.killpg(p.pid, signal.SIGTERM)
        for p in (a, b):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        if drop:
            drop()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class Browser:
    """A logged-in admin over plain HTTP (cookies, CSRF token from the form)."""

    def __init__(self, base: str, username: str, password: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.post("/masuk/", {"username": username, "password": password}, form="/masuk/")

    def _token(self, path: str) -> str:
        html = self.opener.open(self.base + path, timeout=60).read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def post(self, path: str, data: dict, form: str) -> str:
        data = {**data, "csrfmiddlewaretoken": self._token(form)}
        with self.opener.open(self.base + path, urllib.parse.urlencode(data).encode(), timeout=300) as r:
            return r.read().decode()


def test_a_publication_through_one_server_is_served_by_the_other(servers):
    base_a, base_b, passwords = servers
    # server B has the published edition's page in its cache, and the training edition is not public
    status, before = _get(f"{base_b}/e/{PUB}/?r=1")
    assert status == 200 and "Terbit" in before.decode()
    assert _get(f"{base_b}/e/{TRAIN}/")[0] == 404
    admin = Browser(base_a, "admin.provinsi", passwords["admin.provinsi"])
    manage = f"/e/{TRAIN}/kelola/"
    admin.post(f"{manage}aksi/", {"action": "status", "status": "verifikasi"}, form=manage)
    admin.post(f"{manage}aksi/", {"action": "publish", "confirm": "1", "expected": "verifikasi"}, form=manage)
    # B serves it at once (no waiting), with the same bundle as A
    status, page = _get(f"{base_b}/e/{TRAIN}/")
    assert status == 200 and "Terbit" in page.decode()
    api = json.loads(_get(f"{base_b}/api/editions/{TRAIN}")[1])
    assert api["status"] == "terbit" and len(api["bundle_sha256"]) == 64
    bundles = [_get(f"{base}/e/{TRAIN}/unduh/bundel.zip") for base in (base_a, base_b)]
    assert bundles[0] == bundles[1] and hashlib.sha256(bundles[0][1]).hexdigest() == api["bundle_sha256"]
    # archiving through A: B's cached page of the published edition is not served any more
    pub_manage = f"/e/{PUB}/kelola/"
    admin.post(f"{pub_manage}aksi/", {"action": "status", "status": "arsip", "confirm": "1", "expected": "terbit"},
               form=pub_manage)
    for k in range(4):  # every gunicorn worker of B, whichever answers
        status, after = _get(f"{base_b}/e/{PUB}/?r={k}")
        assert status == 200 and "Arsip" in after.decode() and "Terbit" not in after.decode()
    assert _get(f"{base_a}/api/health")[0] == _get(f"{base_b}/api/health")[0] == 200
