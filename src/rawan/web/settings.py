"""Django settings, all from environment variables read by the strict helpers in ``env.py``.

RAWAN_SECRET_KEY      >= 50 characters; default: a random key kept in the user data directory
RAWAN_DEBUG           1/0 (default 0)
RAWAN_ALLOWED_HOSTS   comma-separated (default 127.0.0.1,localhost)
RAWAN_HTTPS           1 when served over HTTPS (behind a TLS proxy): secure cookies, HSTS, redirect
DATABASE_URL          sqlite:////path.db or postgresql://user:pw@host:5432/db (default: SQLite
                      file rawan.sqlite3 in the user data directory)
RAWAN_SESSION_HOURS   session lifetime (default 8)
RAWAN_MAX_REQUEST_MB  request bodies the server accepts (16); views are tighter (web/bodylimit.py)
RAWAN_CHANNEL_TIMEOUT seconds an idle or slow connection is kept (30); RAWAN_CONNECTION_LIMIT (500)
RAWAN_UPLOAD_QUOTA_MB space all uploads in progress may take in <data dir>/uploads (200)
RAWAN_LOCKOUT_FAILURES / RAWAN_LOCKOUT_MINUTES   failed logins per username before lock-out (5), its length (15)
RAWAN_LOCKOUT_ADDRESS_FAILURES   failed logins per client address before lock-out (20)
RAWAN_TRUSTED_NETWORKS  e.g. 10.20.0.0/16,127.0.0.1: no per-username lock-out from there (accounts/lockout.py)
RAWAN_CACHE_URL       db (default: the database), redis://..., memcached://..., locmem (env.cache)
RAWAN_MEDIA_DIR / RAWAN_S3_BUCKET / RAWAN_S3_ENDPOINT_URL   where files go (env.storages)
"""

from __future__ import annotations

import os
from pathlib import Path

from ..paths import data_dir
from . import env

BASE_DIR = Path(__file__).resolve().parent
# Everything the web app creates (the SQLite file and its WAL, uploads, reports, the secret key)
# is readable by the server's user only: 0600 files, 0700 folders (POSIX; Windows accepts the umask
# and ignores it: the data directory is in the user's own profile folder, see web/posix.py).
os.umask(0o077)
DATA_DIR = data_dir()

SECRET_KEY = env.secret_key(DATA_DIR)
DEBUG = env.env_bool("RAWAN_DEBUG", False)
ALLOWED_HOSTS = env.env_list("RAWAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
HTTPS = env.env_bool("RAWAN_HTTPS", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rawan.web.accounts",
    "rawan.web.audit",
    "rawan.web.editions",
    "rawan.web.entry",
    "rawan.web.warnings",
    "rawan.web.mitigation",
    "rawan.web.panduan",
    "rawan.web.tps",
    "django_tasks",
    "django_tasks_db",
    "rawan.web.tasks",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "rawan.web.editions.pagecache.EarlyPageMiddleware",  # a repeated anonymous page-cache hit, whole
    "rawan.web.problems.ApiMiddleware",  # /api/: every error as problem details (RFC 9457), CORS
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rawan.web.accounts.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rawan.web.accounts.middleware.TokenAuthMiddleware",
    "rawan.web.tps.onetime.MustSetPasswordMiddleware",  # a one-time login sets its own password first
    "rawan.web.refused.RefusedWriteMiddleware",  # 401/403/404/413 on a logged-in write: audit log
    "rawan.web.bodylimit.BodyLimitMiddleware",  # before any view or process_view reads the body
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rawan.web.headers.CachedCSPMiddleware",  # django-csp, its header built once (headers.py)
    "rawan.web.headers.PermissionsPolicyMiddleware",
]

ROOT_URLCONF = "rawan.web.urls"
WSGI_APPLICATION = "rawan.web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"],
    "APP_DIRS": False,
    "OPTIONS": {
        "context_processors": [
            "django.template.context_processors.request",
            "django.template.context_processors.i18n",
            "django.contrib.auth.context_processors.auth",
            "django.contrib.messages.context_processors.messages",
            "rawan.web.accounts.context.role",
        ],
        "loaders": [("django.template.loaders.cached.Loader",
                     ["django.template.loaders.filesystem.Loader"])],
    },
}]

DATABASES = {"default": env.database(os.environ.get("DATABASE_URL"), DATA_DIR)}
env.restrict_sqlite(DATABASES["default"])  # an older install's world-readable file (and WAL): 0600
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared state lives outside the process, so a second server process or machine needs no change:
# the page cache in Django's cache framework, files (reports, uploaded evidence) through the
# storage API, locks in the database (rawan.web.locks).
CACHES = {"default": env.cache(os.environ.get("RAWAN_CACHE_URL"))}
STORAGES = env.storages(DATA_DIR)
# Background work (rawan.web.tasks): Django's Tasks API on the database queue of django-tasks-db,
# run by `rawan worker` processes (any number, on any machine sharing the database).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# E-mail (alerts, returned submissions): SMTP when RAWAN_SMTP_HOST is set, else the console
# backend (the demo: messages are printed by the process that sends them).
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if os.environ.get("RAWAN_SMTP_HOST")
                 else "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("RAWAN_SMTP_HOST", "localhost")
EMAIL_PORT = env.env_int("RAWAN_SMTP_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("RAWAN_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("RAWAN_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env.env_bool("RAWAN_SMTP_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("RAWAN_EMAIL_FROM", "rawan@localhost")
# where links in e-mail and webhook messages point (the address users open)
RAWAN_BASE_URL = os.environ.get("RAWAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Passwords: PBKDF2-SHA256 (Django 5.2: 1,000,000 iterations), at least 12 characters.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend",
                           "rawan.web.tps.onetime.OneTimeBackend"]  # bulk accounts' first login
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Request bodies (web/bodylimit.py): the server's cap, the per-view caps, uploads streamed to disk
MAX_REQUEST_BYTES = env.env_int("RAWAN_MAX_REQUEST_MB", 16, minimum=1) * 1024 * 1024
CHANNEL_TIMEOUT = env.env_int("RAWAN_CHANNEL_TIMEOUT", 30, minimum=1)
CONNECTION_LIMIT = env.env_int("RAWAN_CONNECTION_LIMIT", 500, minimum=10)
UPLOAD_QUOTA_BYTES = env.env_int("RAWAN_UPLOAD_QUOTA_MB", 200, minimum=1) * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["rawan.web.bodylimit.QuotaUploadHandler"]
FILE_UPLOAD_TEMP_DIR = str(env.private_dir(DATA_DIR / "uploads"))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # form fields (files excluded)
DATA_UPLOAD_MAX_NUMBER_FILES = 2

LOCKOUT_FAILURES = env.env_int("RAWAN_LOCKOUT_FAILURES", 5, minimum=1)
LOCKOUT_MINUTES = env.env_int("RAWAN_LOCKOUT_MINUTES", 15, minimum=1)
LOCKOUT_ADDRESS_FAILURES = env.env_int("RAWAN_LOCKOUT_ADDRESS_FAILURES", 20, minimum=1)
LOCKOUT_TRUSTED_NETWORKS = env.env_networks("RAWAN_TRUSTED_NETWORKS")

# Sessions and cookies
SESSION_COOKIE_AGE = env.env_int("RAWAN_SESSION_HOURS", 8, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this server only;
# no inline script (forms.js, map.js, regions.js are files); inline style attributes only (the
# bars of the region page); no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"], "img-src": ["'self'", "data:"], "font-src": ["'self'"],
    "connect-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"], "form-action": ["'self'"]}}
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                      "microphone=(), payment=(), usb=(), interest-cohort=()")
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False  # preloading is the operator's decision (it binds the whole domain)
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith("[")]

# Language: Indonesian first, English available
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "tps" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# 403/404 (and other 4xx) as one line without a traceback; 5xx keep theirs (web/requestlog.py).
# One console handler, on the root logger: Django's and rawan's records are printed once (waitress's
# logging.basicConfig() adds no second handler when the root already has one).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_4xx": {"()": "rawan.web.requestlog.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_4xx"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django": {"level": "WARNING"},
                "django.request": {"filters": ["one_line_4xx"]}},
}
