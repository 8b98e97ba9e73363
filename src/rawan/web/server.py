"""Several server processes with gunicorn (Linux, macOS): ``rawan serve --workers N``.

Every process is the same stateless Django application (page cache in the cache framework, files
through the storage API, locks in the database), so N processes on one machine, or processes on
several machines behind a reverse proxy, serve the same pages.  Windows has no gunicorn: there
``rawan serve`` runs waitress with ``--threads``.

The settings below are the server's own limits; the reverse proxy in front (docs/deploy.md) adds
its own body-size and timeout limits.
"""

from __future__ import annotations

import os


def gunicorn_options(host: str, port: int, workers: int, threads: int, https: bool) -> dict:
    opts = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",  # threads per process: slow clients do not hold a whole process
        "threads": threads,
        "timeout": 120,  # a worker silent this long (stuck) is killed and replaced
        "graceful_timeout": 30,
        "keepalive": 5,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "max_requests": 20000,  # recycle workers now and then (memory), staggered by the jitter
        "max_requests_jitter": 2000,
        "preload_app": True,  # Django, templates and map boundaries loaded once, shared by the workers
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "rawan",
    }
    if https:  # behind a TLS proxy: trust its X-Forwarded-Proto/For
        opts["forwarded_allow_ips"] = os.environ.get("RAWAN_TRUSTED_PROXY", "127.0.0.1")
    return opts


def run_gunicorn(application, options: dict) -> None:
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for k, v in options.items():
                self.cfg.set(k, v)

        def load(self):
            return application

    connections.close_all()  # no database connection may cross the fork into the workers
    Server().run()
