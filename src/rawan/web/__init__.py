"""The rawan web application (Django): editions, data entry, verification, publishing, dashboard.

Apps, one per domain concept: ``accounts`` (roles, lock-out, API tokens), ``editions`` (mapping
editions, results, published bundles, the public dashboard), ``entry`` (per-region values,
submission and verification) and ``audit`` (the audit log, action codes in one place).
"""


def setup() -> None:
    """Configure Django for code outside a request (CLI, scripts)."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rawan.web.settings")
    import django

    django.setup()


def migrate() -> None:
    """Bring the database up to date: migrations, and the cache table of the database cache."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)  # nothing to do for Redis/Memcached caches
