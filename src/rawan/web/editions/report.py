"""The mapping book (rawan.reports) of a published edition, built once per bundle and language.

The file is kept through Django's storage API (a local folder by default, S3-compatible storage
when configured), so every server process and machine serves the same file; a named lock
(rawan.web.locks) makes one process build it while the others wait.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from ... import __version__
from ..problems import conditional

from ..access import edition_for
from ..locks import named_lock
from .dashboard import lang
from .published import identity, published_of
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


def _keep(name: str, build) -> None:
    """Build a file once and keep it through the storage API (the others wait and then find it)."""
    if not default_storage.exists(name):
        with named_lock(f"report:{name}"):
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(build()))


def _serve(request, name: str, ctype: str, filename: str | None):
    resp = FileResponse(default_storage.open(name, "rb"), content_type=ctype)
    if filename:
        resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    # built once per identity (bundle or published rows), language and state: the name is its identity
    return conditional(request, resp, '"' + hashlib.sha256(f"{name}|{__version__}".encode()).hexdigest()[:40] + '"')


def _date(edition) -> str | None:
    return edition.published_at.date().isoformat() if edition.published_at else None


@require_safe
def report(request, slug, fmt):
    """The mapping book (PDF or HTML) of a published edition: computed editions from their frozen
    result, results-only editions (real published tables) from their published rows and sources."""
    from ...reports import build_report, render_published_report

    edition = edition_for(request.user, slug)
    if fmt not in FORMATS or not edition.is_public or not (edition.bundle_sha256 or edition.results_only):
        raise Http404("no report")
    if edition.results_only and not edition.results.exists():
        raise Http404("no results")
    lg = lang()
    from ..mitigation.services import register_for_book

    register = register_for_book(edition, lg)  # the mitigation register, in the book when it holds anything
    if edition.results_only:
        pub = published_of(edition)
        name = report_name("terbit-" + identity(edition), lg, fmt, register)
        _keep(name, lambda: render_published_report(pub, fmt=fmt, lang=lg, title=edition.title_in(lg),
                                                    date=_date(edition), register=register,
                                                    name=f"laporan-{edition.slug}.{fmt}"))
    else:
        name = report_name(edition.bundle_sha256, lg, fmt, register)  # a book per state of the register

        def build() -> bytes:
            result = result_of(edition)
            with tempfile.TemporaryDirectory(prefix="rawan-report-") as d:
                path = Path(d) / f"laporan.{fmt}"
                build_report(result.spec, result, out=path, lang=lg, title=edition.title_in(lg),
                             date=_date(edition), register=register)
                return path.read_bytes()
        _keep(name, build)
    return _serve(request, name, FORMATS[fmt], f"laporan-{edition.slug}.pdf" if fmt == "pdf" else None)


@require_safe
def infographic(request, slug):
    """The 1080x1350 infographic (PNG) of a published edition: map, count per category, top regions;
    unstable categories marked where robustness results exist (computed editions)."""
    from ...reports import render_infographic, render_published_infographic
    from .services import ROBUSTNESS_RUNS

    edition = edition_for(request.user, slug)
    if not edition.is_public or not (edition.bundle_sha256 or edition.results_only) or not edition.results.exists():
        raise Http404("no infographic")
    lg = lang()
    if edition.results_only:
        name = f"{FOLDER}/infografik-terbit-{identity(edition)[:32]}-{lg}.png"
        _keep(name, lambda: render_published_infographic(published_of(edition), lang=lg, title=edition.title_in(lg),
                                                         date=_date(edition), name="infografik.png"))
    else:
        name = f"{FOLDER}/infografik-{edition.bundle_sha256[:32]}-{lg}.png"

        def build() -> bytes:
            from ...demo import DEFAULT_SEED

            result = result_of(edition)
            return render_infographic(result.spec, result, lang=lg, title=edition.title_in(lg), date=_date(edition),
                                      level=edition.level, name="infografik.png", uncertainty=ROBUSTNESS_RUNS,
                                      seed=DEFAULT_SEED)
        _keep(name, build)
    return _serve(request, name, "image/png", f"infografik-{edition.slug}.png")
