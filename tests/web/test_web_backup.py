"""`rawan web backup` / `rawan web restore`: a real server data directory (SQLite file, or a
PostgreSQL database when RAWAN_TEST_POSTGRES_URL is set) backed up, restored onto a fresh one, and
compared: every published bundle byte-identical, identical API answers, the audit log complete;
a backup taken while another process keeps writing restores to a consistent database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    # the servers here get their own databases; the PostgreSQL pass of `make test` (DATABASE_URL set)
    # would only repeat the SQLite case, and the PostgreSQL case already ran in the first pass
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs in the first pass of make test"),
]
PG_PREFIX = os.environ.get("RAWAN_TEST_PG_PREFIX", "rawan_test_")  # names of the databases made here

SNAPSHOT = r"""
import hashlib, json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rawan.web.settings")
import django; django.setup()
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.test import Client
from rawan.web.audit.models import AuditEntry
from rawan.web.editions.models import Edition
from rawan.web.entry.models import Submission
out = {"bundles": {e.slug: hashlib.sha256(bytes(e.bundle)).hexdigest() + ":" + e.bundle_sha256
                   for e in Edition.objects.exclude(bundle=None)},
       "audit": [[a.id, a.when.isoformat(), a.username, a.action, a.region_code, a.data,
                  a.edition.slug if a.edition_id else None] for a in AuditEntry.objects.order_by("id")],
       "submissions": {f"{s.edition.slug}/{s.region_code}": [s.status, s.values, s.notes]
                       for s in Submission.objects.select_related("edition")},
       "files": {}, "api": {}}
try:
    out["files"] = {n: hashlib.sha256(default_storage.open("laporan/" + n).read()).hexdigest()
                    for n in default_storage.listdir("laporan")[1]}
except FileNotFoundError:
    pass
anon, admin = Client(), Client()
admin.force_login(get_user_model().objects.get(username="admin.provinsi"))
urls = ["/api/editions"] + [f"/api/editions/{e.slug}/results" for e in Edition.objects.all()]
urls += ["/api/editions/contoh-ikp-2024-jambi/regions/15.01", "/api/editions/contoh-latihan-2026/entries/15.71"]
for who, c in (("anon", anon), ("admin", admin)):
    for u in urls:
        r = c.get(u)
        out["api"][f"{who} {u}"] = [r.status_code, json.loads(r.content)]
print(json.dumps(out, sort_keys=True))
"""

WRITER = r"""
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rawan.web.settings")
import django; django.setup()
from django.db import transaction
from rawan.web.entry.models import Submission
counter = sys.argv[1]
subs = list(Submission.objects.filter(edition__slug="contoh-latihan-2026").order_by("region_code"))
stop = time.monotonic() + float(sys.argv[2])
n = 0
while time.monotonic() < stop:
    s = subs[n % len(subs)]
    n += 1
    with transaction.atomic():  # the value and its audit entry together, or neither
        s.values = {**s.values, "i01": float(n)}
        s.save(update_fields=["values"])
        s.log_action("rawan.submission.saved", data={"changed": {"i01": [None, float(n)]}, "write": n})
    with open(counter, "w") as f:
        f.write(str(n))
"""


def _env(data: Path, database_url: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE",
                                                             "RAWAN_MEDIA_DIR")}
    env.update(RAWAN_DATA_DIR=str(data), RAWAN_SECRET_KEY="backup-test-" + "b8" * 30, RAWAN_LANG="en",
               RAWAN_ALLOWED_HOSTS="testserver", COLUMNS="200")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _rawan(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    p = subprocess.run([sys.executable, "-m", "rawan", *args], env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert p.returncode == 0, p.stdout + p.stderr
    return p


def _load_demo(env: dict, loaded_demo) -> None:
    """`rawan web load-demo` into the server of ``env``: on SQLite a copy of the data folder it
    loaded once this session (tests/web/conftest.py), on PostgreSQL the command itself."""
    if env.get("DATABASE_URL"):
        _rawan(env, "web", "load-demo")
    else:
        shutil.copytree(loaded_demo.folder, env["RAWAN_DATA_DIR"], dirs_exist_ok=True)


def _snapshot(env: dict) -> dict:
    p = subprocess.run([sys.executable, "-c", SNAPSHOT], env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout)


def _pg_url(name: str) -> str:
    base = os.environ["RAWAN_TEST_POSTGRES_URL"]
    return base.rsplit("/", 1)[0] + "/" + name


def _pg_recreate(name: str) -> str:
    import psycopg

    with psycopg.connect(os.environ["RAWAN_TEST_POSTGRES_URL"], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return _pg_url(name)


def _pg_drop(name: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["RAWAN_TEST_POSTGRES_URL"], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not os.environ.get("RAWAN_TEST_POSTGRES_URL"), reason="needs RAWAN_TEST_POSTGRES_URL (set by .ci/run)"))]


@pytest.fixture(params=ENGINES)
def two_servers(request, tmp_path):
    """(env of a loaded server, env of a fresh empty one), on the engine of the parameter."""
    if request.param == "sqlite":
        yield _env(tmp_path / "a"), _env(tmp_path / "b")
        return
    names = [f"{PG_PREFIX}backup_{os.getpid()}_{x}" for x in "ab"]
    urls = [_pg_recreate(n) for n in names]
    yield _env(tmp_path / "a", urls[0]), _env(tmp_path / "b", urls[1])
    for n in names:
        _pg_drop(n)


def test_restore_onto_a_fresh_database_gives_identical_bundles_api_and_audit_log(two_servers, tmp_path, loaded_demo):
    a, b = two_servers
    _load_demo(a, loaded_demo)
    # a stored file (the mapping book, kept through the storage API) must come back too
    report = _rawan(a, "report", "--help")  # noqa: F841  (the CLI works in this environment)
    media = Path(a["RAWAN_DATA_DIR"]) / "media" / "laporan"
    media.mkdir(parents=True)
    (media / "contoh.html").write_text("<p>laporan contoh</p>")
    before = _snapshot(a)
    assert before["bundles"] and before["audit"] and before["files"]
    archive = tmp_path / "cadangan.zip"
    out = _rawan(a, "web", "backup", "--out", str(archive)).stdout
    assert "Backup written" in out and oct(archive.stat().st_mode & 0o777) == "0o600"
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    assert {e["slug"] for e in manifest["published"]} == set(before["bundles"])
    assert manifest["audit"]["entries"] == len(before["audit"])
    assert "files/laporan/contoh.html" in manifest["members"]
    out = _rawan(b, "web", "restore", str(archive)).stdout
    assert "byte-identical" in out
    after = _snapshot(b)
    assert after["bundles"] == before["bundles"]
    assert after["api"] == before["api"]
    assert after["audit"] == before["audit"]
    assert after["submissions"] == before["submissions"]
    assert after["files"] == before["files"]
    # the bundles in the archive are the published ones, readable without rawan
    with zipfile.ZipFile(archive) as z:
        for slug, shas in before["bundles"].items():
            import hashlib

            assert hashlib.sha256(z.read(f"bundles/{slug}.zip")).hexdigest() == shas.split(":")[0]
    # restoring again onto the now-filled database needs --replace
    p = _rawan(b, "web", "restore", str(archive), check=False)
    assert p.returncode == 2 and "--replace" in p.stderr
    assert _rawan(b, "web", "restore", str(archive), "--replace").returncode == 0


def test_a_damaged_archive_restores_nothing(tmp_path, loaded_demo):
    a, b = _env(tmp_path / "a"), _env(tmp_path / "b")
    _load_demo(a, loaded_demo)
    archive = tmp_path / "cadangan.zip"
    _rawan(a, "web", "backup", "--out", str(archive))
    bad = tmp_path / "rusak.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("bundles/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.writestr(info.filename, data)
    p = _rawan(b, "web", "restore", str(bad), check=False)
    assert p.returncode == 2 and "does not match its SHA-256" in p.stderr and "bundles/" in p.stderr
    assert not (Path(b["RAWAN_DATA_DIR"]) / "rawan.sqlite3").exists() or \
        _rawan(b, "web", "restore", str(archive)).returncode == 0  # nothing was restored: still empty
    p = _rawan(b, "web", "restore", str(tmp_path / "cadangan.zip.missing"), check=False)
    assert p.returncode == 2 and "not a rawan backup archive" in p.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_backup_taken_while_writing_restores_consistently(engine, tmp_path, loaded_demo):
    names = []
    if engine == "sqlite":
        a = _env(tmp_path / "a")
    else:
        names = [f"{PG_PREFIX}backup_{os.getpid()}_w{x}" for x in range(3)]
        a = _env(tmp_path / "a", _pg_recreate(names[0]))
    try:
        _load_demo(a, loaded_demo)
        counter = tmp_path / "written"
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(counter), "25"], env=a,
                                  stderr=subprocess.PIPE, text=True)
        try:
            archives = []
            for k in range(2):
                while not counter.exists():
                    time.sleep(0.05)
                time.sleep(1.0)
                committed = int(counter.read_text() or 0)  # committed before this backup began
                archive = tmp_path / f"while-{k}.zip"
                _rawan(a, "web", "backup", "--out", str(archive))
                archives.append((archive, committed))
        finally:
            writer.wait(timeout=120)
        assert writer.returncode == 0, writer.stderr.read()[-2000:]
        for k, (archive, committed) in enumerate(archives):
            if engine == "sqlite":
                b = _env(tmp_path / f"b{k}")
            else:
                b = _env(tmp_path / f"b{k}", _pg_recreate(names[k + 1]))
            _rawan(b, "web", "restore", str(archive))
            snap = _snapshot(b)
            writes = [e for e in snap["audit"] if e[5].get("write")]
            numbers = sorted(e[5]["write"] for e in writes)
            assert numbers == list(range(1, len(numbers) + 1))  # no gap: whole transactions only
            assert len(numbers) >= committed  # nothing committed before the backup began is lost
            last = {}
            for e in writes:
                last[e[4]] = e[5]["write"]
            for code, n in last.items():  # every value agrees with its last audit entry
                assert snap["submissions"][f"contoh-latihan-2026/{code}"][1]["i01"] == float(n)
    finally:
        for n in names:
            _pg_drop(n)
