"""The mapping book (rawan.reports) of a published edition, built once per bundle and language."""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import FileResponse, Http404

from ..access import edition_for
from .dashboard import lang
from .services import result_of

_LOCK = threading.Lock()
FORMATS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


def report(request, slug, fmt):
    from ...reports import build_report

    edition = edition_for(request.user, slug)
    if fmt not in FORMATS or not edition.is_public or not edition.bundle_sha256:
        raise Http404("no report")
    lg = lang()
    folder = settings.DATA_DIR / "laporan"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{edition.bundle_sha256[:32]}-{lg}.{fmt}"
    with _LOCK:  # one build at a time; later requests read the file
        if not path.exists():
            result = result_of(edition)
            build_report(result.spec, result,
                         out=path, lang=lg, title=edition.title_in(lg),
                         date=edition.published_at.date().isoformat() if edition.published_at else None)
    resp = FileResponse(open(path, "rb"), content_type=FORMATS[fmt])
    if fmt == "pdf":
        resp["Content-Disposition"] = f'attachment; filename="laporan-{edition.slug}.pdf"'
    return resp
