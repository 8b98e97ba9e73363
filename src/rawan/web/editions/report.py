"""The mapping book (rawan.reports) of a published edition, built once per bundle and language.

The file is kept through Django's storage API (a local folder by default, S3-compatible storage
when configured), so every server process and machine serves the same file; a named lock
(rawan.web.locks) makes one process build it while the others wait.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from ... import __version__
from ..problems import conditional

from ..access import edition_for
from ..locks import named_lock
from .dashboard import lang
from .services import result_of

FORMATS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}
FOLDER = "laporan"


def report_name(sha256: str, lg: str, fmt: str, register: dict | None = None) -> str:
    """The stored book of a bundle in a language; one per state of the mitigation register when
    the book draws on it (``register`` from register_for_book, not empty)."""
    if register and not register.get("empty", True):
        import json

        digest = hashlib.sha256(json.dumps(register, sort_keys=True, default=str).encode()).hexdigest()[:12]
        return f"{FOLDER}/{sha256[:32]}-{lg}-{digest}.{fmt}"
    return f"{FOLDER}/{sha256[:32]}-{lg}.{fmt}"


@require_safe
def report(request, slug, fmt):
    from ...reports import build_report

    edition = edition_for(request.user, slug)
    if fmt not in FORMATS or not edition.is_public or not edition.bundle_sha256:
        raise Http404("no report")
    lg = lang()
    from ..mitigation.services import register_for_book

    register = register_for_book(edition, lg)  # the mitigation register, in the book when it holds anything
    name = report_name(edition.bundle_sha256, lg, fmt, register)  # a book per state of the register
    if not default_storage.exists(name):
        with named_lock(f"report:{name}"):  # one build; the others wait and then find the file
            if not default_storage.exists(name):
                result = result_of(edition)
                with tempfile.TemporaryDirectory(prefix="rawan-report-") as d:
                    path = Path(d) / f"laporan.{fmt}"
                    build_report(result.spec, result, out=path, lang=lg, title=edition.title_in(lg),
                                 date=edition.published_at.date().isoformat() if edition.published_at else None,
                                 register=register)
                    with open(path, "rb") as f:
                        default_storage.save(name, File(f))
    resp = FileResponse(default_storage.open(name, "rb"), content_type=FORMATS[fmt])
    if fmt == "pdf":
        resp["Content-Disposition"] = f'attachment; filename="laporan-{edition.slug}.pdf"'
    # built once per bundle, language and rawan version: the file name is its identity
    return conditional(request, resp, '"' + hashlib.sha256(f"{name}|{__version__}".encode()).hexdigest()[:40] + '"')
