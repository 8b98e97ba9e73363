"""Tiny strict readers for settings from environment variables: a wrong value fails loudly.

Every reader raises :class:`ImproperlyConfigured` naming the variable and what it expected,
so a typo such as ``RAWAN_DEBUG=ture`` stops the server instead of being read as "off".
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    v = raw.strip().lower()
    if v in TRUE:
        return True
    if v in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        v = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from None
    if v < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r}: must be at least {minimum}")
    return v


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [x.strip() for x in raw.split(",") if x.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but empty: give a comma-separated list")
    return items


def secret_key(data_dir: Path) -> str:
    """RAWAN_SECRET_KEY (at least 50 characters), else a key kept in the user data directory."""
    raw = os.environ.get("RAWAN_SECRET_KEY")
    if raw is not None:
        if len(raw) < 50 or len(set(raw)) < 5:
            raise ImproperlyConfigured("RAWAN_SECRET_KEY must be at least 50 characters with at least "
                                       "5 different characters (python -c 'import secrets; "
                                       "print(secrets.token_urlsafe(50))')")
        return raw
    path = data_dir / "secret_key"
    if not path.exists():
        tmp = path.with_name("secret_key.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the mode: POSIX; ignored on Windows
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(64))
        os.replace(tmp, path)
    return path.read_text().strip()


def env_networks(name: str) -> list[str]:
    """Comma-separated IP networks (10.0.0.0/8, 127.0.0.1, ::1); empty when unset."""
    import ipaddress

    raw = os.environ.get(name, "")
    out = []
    for item in (x.strip() for x in raw.split(",")):
        if not item:
            continue
        try:
            out.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an IP address or network (e.g. 10.20.0.0/16)") from None
    return out


def restrict_sqlite(db: dict) -> None:
    """chmod 0600 the SQLite file and its -wal/-shm (SQLite gives new WAL files the file's mode).

    POSIX-only (``posix.restrict``): on Windows the file stays in the user's own profile folder."""
    from .posix import POSIX

    if not POSIX:
        return
    if db.get("ENGINE", "").endswith("sqlite3"):
        name = str(db.get("NAME", ""))
        if name and not name.startswith(("file:", ":memory:")):
            for suffix in ("", "-wal", "-shm"):
                p = Path(name + suffix)
                if p.exists() and p.stat().st_mode & 0o077:
                    p.chmod(0o600)  # POSIX only: returned above otherwise


def private_dir(path: Path) -> Path:
    """A folder only the server's user can read (0700 on POSIX; Windows ignores the mode), created when missing."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


# Django's SQLite backend with the process's writers queued on a lock of their own (backends/sqlite3)
SQLITE_ENGINE = "rawan.web.backends.sqlite3"


def database(url: str | None, data_dir: Path) -> dict:
    """Django DATABASES['default'] from DATABASE_URL (sqlite:///path or postgresql://...)."""
    if not url:
        return {"ENGINE": SQLITE_ENGINE, "NAME": str(data_dir / "rawan.sqlite3"),
                "CONN_MAX_AGE": 600,  # one connection per server thread, kept
                "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE",
                            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}}
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = unquote(parts.path)[1:]  # sqlite:///relative.db, sqlite:////absolute.db
        if parts.netloc or not path or path == "/":
            raise ImproperlyConfigured(f"DATABASE_URL={url!r}: sqlite needs a file, e.g. sqlite:////abs/path.db")
        return {"ENGINE": SQLITE_ENGINE, "NAME": path,
                "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"}}
    if scheme in ("postgres", "postgresql"):
        name = unquote(parts.path.lstrip("/"))
        if not name or not parts.hostname:
            raise ImproperlyConfigured(f"DATABASE_URL: PostgreSQL needs a host and a database name, "
                                       f"e.g. postgresql://user:password@127.0.0.1:5432/rawan")
        return {"ENGINE": "django.db.backends.postgresql", "NAME": name,
                "USER": unquote(parts.username or ""), "PASSWORD": unquote(parts.password or ""),
                "HOST": parts.hostname, "PORT": str(parts.port or 5432), "CONN_MAX_AGE": 60}
    raise ImproperlyConfigured(f"DATABASE_URL scheme {scheme!r} is not supported: use sqlite:// or postgresql://")


def cache(url: str | None) -> dict:
    """Django CACHES['default'] from RAWAN_CACHE_URL.

    unset or ``db``          the database (table ``rawan_cache``): shared by every process and machine
                             that shares the database, nothing else to run
    ``redis://host:6379/0``  Redis (needs the ``redis`` package)
    ``memcached://host:11211[,host2:11211]``  Memcached (needs the ``pymemcache`` package)
    ``locmem``               this process only: for a single-process server
    """
    if not url or url.strip().lower() == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "rawan_cache",
                "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4}}
    if url.strip().lower() == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rawan",
                "OPTIONS": {"MAX_ENTRIES": 5000}}
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("redis", "rediss") and parts.hostname:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "memcached" and parts.netloc:
        return {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
                "LOCATION": parts.netloc.split(",")}
    raise ImproperlyConfigured(f"RAWAN_CACHE_URL={url!r}: expected db, locmem, redis://host:6379/0 "
                               "or memcached://host:11211")


def storages(data_dir: Path) -> dict:
    """Django STORAGES: files (reports, uploaded evidence) in a local folder, or S3-compatible storage.

    RAWAN_MEDIA_DIR   the local folder (default: ``media`` in the user data directory)
    RAWAN_S3_BUCKET   when set: django-storages' S3 backend (``pip install django-storages[s3]``);
                      RAWAN_S3_ENDPOINT_URL for S3-compatible services (MinIO, Ceph...), credentials
                      from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY as boto3 reads them
    """
    staticfiles = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    bucket = os.environ.get("RAWAN_S3_BUCKET", "").strip()
    if bucket:
        options = {"bucket_name": bucket, "default_acl": None, "file_overwrite": False,
                   "querystring_auth": True}
        endpoint = os.environ.get("RAWAN_S3_ENDPOINT_URL", "").strip()
        if endpoint:
            options["endpoint_url"] = endpoint
        return {"default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
                "staticfiles": staticfiles}
    media = Path(os.environ.get("RAWAN_MEDIA_DIR") or data_dir / "media")
    return {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                        "OPTIONS": {"location": str(media), "file_permissions_mode": 0o600,
                                    "directory_permissions_mode": 0o700}},
            "staticfiles": staticfiles}
