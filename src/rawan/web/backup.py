"""``rawan web backup`` / ``rawan web restore``: one archive holding everything a server keeps.

The archive (zip) holds:

``database.sqlite3``  SQLite: a copy made with SQLite's online backup API (consistent while the
                      server keeps writing: a plain file copy of a live WAL database is not)
``database.pgdump``   PostgreSQL: ``pg_dump --format=custom`` of one exported snapshot
``bundles/<slug>.zip`` every published bundle, as stored in the database (readable without rawan)
``files/<name>``      every file kept through Django's storage API (reports, uploaded evidence)
``manifest.json``     format, rawan version, time, database engine, the SHA-256 of every member,
                      the published editions with their bundle SHA-256, and the audit log's size
                      and last entry, all read from the same snapshot as the database copy

``restore`` checks every SHA-256 before it touches anything, refuses a database that already holds
data unless told to replace it, puts the database and the files back, applies newer migrations, and
then checks that every published bundle is byte-identical and the audit log complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..engine.errors import Problem, RawanError, register_messages
from .posix import restrict

FORMAT = "rawan-backup-1"
CHUNK = 1 << 20

register_messages({
    "web.backup.tool": {
        "id": "Program {tool} tidak ditemukan: pasang klien PostgreSQL (paket postgresql-client) "
              "dengan versi yang sama atau lebih baru dari server.",
        "en": "The program {tool} was not found: install the PostgreSQL client (package postgresql-client), "
              "the same version as the server or newer.",
    },
    "web.backup.tool_failed": {
        "id": "{tool} gagal: {detail}",
        "en": "{tool} failed: {detail}",
    },
    "web.backup.not_archive": {
        "id": "{file} bukan arsip cadangan rawan (tidak ada manifest.json yang sah).",
        "en": "{file} is not a rawan backup archive (no valid manifest.json).",
    },
    "web.backup.damaged": {
        "id": "{file}: isi {member} tidak cocok dengan SHA-256 di manifest (arsip rusak atau diubah); tidak ada yang dipulihkan.",
        "en": "{file}: {member} does not match its SHA-256 in the manifest (damaged or altered archive); nothing was restored.",
    },
    "web.backup.missing": {
        "id": "{file}: {member} tercantum di manifest tetapi tidak ada di arsip; tidak ada yang dipulihkan.",
        "en": "{file}: {member} is listed in the manifest but absent from the archive; nothing was restored.",
    },
    "web.backup.engine": {
        "id": "{file} adalah cadangan basis data {backup}, tetapi server ini memakai {target}. Pulihkan ke "
              "basis data {backup} (DATABASE_URL), lalu pindahkan datanya jika perlu.",
        "en": "{file} is a backup of a {backup} database but this server uses {target}. Restore it onto a "
              "{backup} database (DATABASE_URL).",
    },
    "web.backup.not_empty": {
        "id": "Basis data tujuan sudah berisi data ({what}). Pulihkan ke basis data kosong, atau tambahkan "
              "--replace untuk menimpanya (hentikan server dahulu).",
        "en": "The target database already holds data ({what}). Restore onto an empty database, or add "
              "--replace to overwrite it (stop the servers first).",
    },
    "web.backup.check": {
        "id": "Pemeriksaan setelah pemulihan gagal: {detail}",
        "en": "The check after restoring failed: {detail}",
    },
})


@dataclass
class Summary:
    path: Path
    engine: str
    editions: list[dict] = field(default_factory=list)  # published: slug, status, bundle_sha256
    audit_entries: int = 0
    files: int = 0


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def _engine() -> str:
    from django.db import connection

    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


# ---- what the snapshot holds (same SQL on both engines) -------------------------------------------

def _facts(cur) -> tuple[list[dict], list[tuple[str, bytes]], int, int | None]:
    cur.execute("SELECT slug, status, bundle_sha256, bundle FROM editions_edition "
                "WHERE bundle IS NOT NULL ORDER BY slug")
    editions, bundles = [], []
    for slug, status, sha, bundle in cur.fetchall():
        data = bytes(bundle)
        if not data:
            continue
        editions.append({"slug": slug, "status": status, "bundle_sha256": sha})
        bundles.append((slug, data))
    cur.execute("SELECT COUNT(*), MAX(id) FROM audit_auditentry")
    n, last = cur.fetchone()
    return editions, bundles, int(n), last


# ---- backup --------------------------------------------------------------------------------------

def _pg_params() -> tuple[dict, dict]:
    from django.conf import settings

    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD", ""), "PGHOST": db.get("HOST") or "127.0.0.1",
           "PGPORT": str(db.get("PORT") or 5432), "PGUSER": db.get("USER", ""), "PGDATABASE": db["NAME"]}
    return db, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise RawanError(Problem("web.backup.tool", {"tool": name}))
    return found


def _run(cmd: list[str], env: dict) -> None:
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        detail = (p.stderr or p.stdout).strip().splitlines()
        raise RawanError(Problem("web.backup.tool_failed", {"tool": Path(cmd[0]).name,
                                                            "detail": detail[-1] if detail else p.returncode}))


def _dump_sqlite(work: Path):
    from django.conf import settings

    target = work / "database.sqlite3"
    src = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # SQLite's online backup API: one consistent snapshot, even while writing
    finally:
        src.close()
    try:
        facts = _facts(dst.cursor())
    finally:
        dst.close()
    return target, facts


def _dump_postgresql(work: Path):
    import psycopg

    db, env = _pg_params()
    target = work / "database.pgdump"
    with psycopg.connect(host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"],
                         password=env["PGPASSWORD"], dbname=env["PGDATABASE"]) as conn:
        with conn.transaction():
            cur = conn.cursor()
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            facts = _facts(cur)  # the same snapshot pg_dump copies
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  f"--snapshot={snapshot}", "--file", str(target)], env)
    return target, facts


def _storage_files(storage, folder: str = ""):
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:  # a local folder not created yet: nothing stored
        return
    for f in sorted(files):
        yield f"{folder}/{f}" if folder else f
    for d in sorted(dirs):
        yield from _storage_files(storage, f"{folder}/{d}" if folder else d)


def backup(out: Path) -> Summary:
    """Write one archive of the database, the published bundles and the stored files to ``out``."""
    from django.core.files.storage import default_storage

    engine = _engine()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rawan-backup-", dir=out.parent) as d:
        work = Path(d)
        dump, (editions, bundles, n_audit, last_audit) = (_dump_postgresql if engine == "postgresql"
                                                          else _dump_sqlite)(work)
        members: dict[str, str] = {}
        partial = work / "archive.zip"
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
            z.write(dump, dump.name)
            members[dump.name] = _sha256_file(dump)
            for slug, data in bundles:
                name = f"bundles/{slug}.zip"
                z.writestr(name, data)
                members[name] = hashlib.sha256(data).hexdigest()
            n_files = 0
            # after the database: a file referenced by the snapshot was saved before it, so it is here
            for name in _storage_files(default_storage):
                h = hashlib.sha256()
                with default_storage.open(name, "rb") as src, z.open(f"files/{name}", "w", force_zip64=True) as dst:
                    for block in iter(lambda: src.read(CHUNK), b""):
                        h.update(block)
                        dst.write(block)
                members[f"files/{name}"] = h.hexdigest()
                n_files += 1
            manifest = {
                "format": FORMAT, "rawan_version": __version__,
                "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "database": {"engine": engine, "member": dump.name},
                "published": editions, "audit": {"entries": n_audit, "last_id": last_audit},
                "members": members,
            }
            z.writestr("manifest.json", json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        restrict(partial, 0o600)  # it holds password hashes and session keys (POSIX; web/posix.py)
        os.replace(partial, out)
    return Summary(out, engine, editions, n_audit, n_files)


def default_name() -> str:
    return datetime.now(timezone.utc).strftime("rawan-backup-%Y%m%dT%H%M%SZ.zip")


# ---- restore -------------------------------------------------------------------------------------

def read_manifest(path: Path) -> dict:
    try:
        with zipfile.ZipFile(path) as z:
            manifest = json.loads(z.read("manifest.json"))
        if manifest.get("format") != FORMAT or not isinstance(manifest.get("members"), dict):
            raise ValueError
        return manifest
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        raise RawanError(Problem("web.backup.not_archive", {"file": Path(path).name})) from None


def verify(path: Path) -> dict:
    """The manifest, after checking every member against its SHA-256 (raises on the first bad one)."""
    manifest = read_manifest(path)
    with zipfile.ZipFile(path) as z:
        present = set(z.namelist())
        for name, sha in manifest["members"].items():
            if name not in present:
                raise RawanError(Problem("web.backup.missing", {"file": Path(path).name, "member": name}))
            h = hashlib.sha256()
            with z.open(name) as f:
                for block in iter(lambda: f.read(CHUNK), b""):
                    h.update(block)
            if h.hexdigest() != sha:
                raise RawanError(Problem("web.backup.damaged", {"file": Path(path).name, "member": name}))
    return manifest


def _holds_data() -> str | None:
    from django.db import connection

    tables = set(connection.introspection.table_names())
    found = []
    for table, what in (("editions_edition", "editions"), ("auth_user", "users")):
        if table in tables:
            with connection.cursor() as cur:
                cur.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (fixed names)
                n = cur.fetchone()[0]
            if n:
                found.append(f"{n} {what}")
    return ", ".join(found) or None


def restore(path: Path, replace: bool = False) -> Summary:
    """Put a backup back: database, stored files; then migrate and check bundles and audit log."""
    from django.core.cache import cache
    from django.core.files.base import File
    from django.core.files.storage import default_storage
    from django.db import connections

    from . import migrate

    path = Path(path)
    manifest = verify(path)
    engine = _engine()
    if manifest["database"]["engine"] != engine:
        raise RawanError(Problem("web.backup.engine", {"file": path.name, "backup": manifest["database"]["engine"],
                                                      "target": engine}))
    held = _holds_data()
    if held and not replace:
        raise RawanError(Problem("web.backup.not_empty", {"what": held}))
    member = manifest["database"]["member"]
    with tempfile.TemporaryDirectory(prefix="rawan-restore-") as d, zipfile.ZipFile(path) as z:
        dump = Path(z.extract(member, d))
        connections.close_all()
        if engine == "postgresql":
            _restore_postgresql(dump)
        else:
            _restore_sqlite(dump)
        n_files = 0
        for name in manifest["members"]:
            if not name.startswith("files/"):
                continue
            stored = name[len("files/"):]
            if default_storage.exists(stored):
                default_storage.delete(stored)
            with z.open(name) as f:
                default_storage.save(stored, File(f, name=stored))
            n_files += 1
    connections.close_all()
    migrate()  # a backup of an older rawan gets this version's migrations
    cache.clear()
    from .editions import pagecache

    pagecache.clear_local()
    summary = Summary(path, engine, manifest["published"], manifest["audit"]["entries"], n_files)
    check(manifest)
    return summary


def _restore_sqlite(dump: Path) -> None:
    from django.conf import settings


    target = Path(settings.DATABASES["default"]["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".restoring")
    shutil.copyfile(dump, tmp)
    restrict(tmp, 0o600)  # POSIX only (web/posix.py)
    for suffix in ("-wal", "-shm"):  # the old database's journal must not be replayed onto the new one
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(tmp, target)


def _restore_postgresql(dump: Path) -> None:
    _db, env = _pg_params()
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--dbname", env["PGDATABASE"], str(dump)], env)


def check(manifest: dict) -> None:
    """Every published bundle of the manifest byte-identical in the database; the audit log complete."""
    from django.db import connection

    with connection.cursor() as cur:
        editions, bundles, n_audit, last = _facts(cur)
    have = dict(bundles)
    problems = []
    for e in manifest["published"]:
        data = have.get(e["slug"])
        if data is None or hashlib.sha256(data).hexdigest() != e["bundle_sha256"]:
            problems.append(f"bundle of {e['slug']}")
    if n_audit < manifest["audit"]["entries"] or (manifest["audit"]["last_id"] or 0) > (last or 0):
        problems.append(f"audit log: {n_audit} entries, {manifest['audit']['entries']} expected")
    if problems:
        raise RawanError(Problem("web.backup.check", {"detail": "; ".join(problems)}))
