"""The mapping book (rawan.reports) of a published edition, built once per bundle and language.

A worker builds the book and the infographic (editions.jobs: build_report, build_infographic);
until the file is there, its URL answers 202 with a page showing the build's progress, which
reloads itself.  The file is kept through Django's storage API (a local folder by default, S3-compatible storage
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


def report_name(sha256: str, lg: str, fmt: str, register: dict | None = None, live: dict | None = None) -> str:
    """The stored book of a bundle in a language; one per state of what the book draws on besides
    the bundle: the mitigation register (``register`` from register_for_book, when not empty) and
    ``live``, the verified events by stage and the linked TPS collection's counts (book_extras)."""
    state = {}
    if register and not register.get("empty", True):
        state["register"] = register
    state.update({k: v for k, v in (live or {}).items() if v})
    if state:
        import json

        payload = state["register"] if list(state) == ["register"] else state  # register only: as before
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:12]
        return f"{FOLDER}/{sha256[:32]}-{lg}-{digest}.{fmt}"
    return f"{FOLDER}/{sha256[:32]}-{lg}.{fmt}"


def stage_events(edition) -> dict | None:
    """Verified events after publication by stage, for the stages chapter of a computed edition's book
    (None when the edition's model names no stages)."""
    from django.db.models import Count, Max

    from ..entry.models import EventRecord, EventStatus
    from .services import spec_of

    spec = spec_of(edition)
    if spec is None or not spec.stages:
        return None
    qs = EventRecord.objects.filter(edition=edition, after_publication=True, status=EventStatus.VERIFIED)
    counts = {st or "": n for st, n in qs.values_list("stage").annotate(n=Count("id")).order_by()}
    last = qs.aggregate(m=Max("date"))["m"]
    unstaged = counts.pop("", 0)
    return {"counts": counts, "unstaged": unstaged, "last": last.isoformat() if last else ""}


def book_extras(edition) -> dict:
    """What a computed edition's book draws on besides its bundle: events by stage and the TPS results
    of the collection linked to it (rawan.web.tps.book), each None when there is none."""
    from ..tps.book import book_tps_for

    tps = book_tps_for(edition)
    return {"stage_events": stage_events(edition), "tps": tps}


def _live_state(extras: dict) -> dict:
    """The part of the extras that names the stored book (no events and no linked collection: none)."""
    se, tps = extras.get("stage_events"), extras.get("tps")
    return {"stage_events": se if se and (se["counts"] or se["unstaged"]) else None,
            "tps": tps.model_dump(mode="json") if tps is not None else None}


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


def book_name(edition, lg: str, fmt: str) -> tuple[str, dict, dict]:
    """The stored book's name, the mitigation register it holds and (computed editions) its extras
    (report_name: one book per identity, language and state of what it draws on)."""
    from ..mitigation.services import register_for_book

    register = register_for_book(edition, lg)  # the mitigation register, in the book when it holds anything
    if edition.results_only:
        return report_name("terbit-" + identity(edition), lg, fmt, register), register, {}
    extras = book_extras(edition)
    return report_name(edition.bundle_sha256, lg, fmt, register, _live_state(extras)), register, extras


def infographic_name(edition, lg: str) -> str:
    if edition.results_only:
        return f"{FOLDER}/infografik-terbit-{identity(edition)[:32]}-{lg}.png"
    return f"{FOLDER}/infografik-{edition.bundle_sha256[:32]}-{lg}.png"


def ensure_report(edition, lg: str, fmt: str) -> str:
    """Build the book (PDF or HTML) of a published edition into storage unless it is there; returns
    its name.  Computed editions from their frozen result, results-only editions (real published
    tables) from their published rows and sources.  Run by a worker (editions.jobs.build_report)."""
    from ...reports import build_report, render_published_report

    name, register, extras = book_name(edition, lg, fmt)
    if edition.results_only:
        pub = published_of(edition)
        _keep(name, lambda: render_published_report(pub, fmt=fmt, lang=lg, title=edition.title_in(lg),
                                                    date=_date(edition), register=register,
                                                    name=f"laporan-{edition.slug}.{fmt}"))
        return name

    def build() -> bytes:
        result = result_of(edition)
        with tempfile.TemporaryDirectory(prefix="rawan-report-") as d:
            path = Path(d) / f"laporan.{fmt}"
            build_report(result.spec, result, out=path, lang=lg, title=edition.title_in(lg),
                         date=_date(edition), register=register, tps=extras.get("tps"),
                         stage_events=extras.get("stage_events"))
            return path.read_bytes()
    _keep(name, build)
    return name


def ensure_infographic(edition, lg: str) -> str:
    """Build the infographic of a published edition into storage unless it is there (a worker:
    editions.jobs.build_infographic)."""
    from ...reports import render_infographic, render_published_infographic
    from .services import ROBUSTNESS_RUNS

    name = infographic_name(edition, lg)
    if edition.results_only:
        _keep(name, lambda: render_published_infographic(published_of(edition), lang=lg, title=edition.title_in(lg),
                                                         date=_date(edition), name="infografik.png"))
        return name

    def build() -> bytes:
        from ...demo import DEFAULT_SEED

        result = result_of(edition)
        return render_infographic(result.spec, result, lang=lg, title=edition.title_in(lg), date=_date(edition),
                                  level=edition.level, name="infografik.png", uncertainty=ROBUSTNESS_RUNS,
                                  seed=DEFAULT_SEED)
    _keep(name, build)
    return name


def _published_file(request, slug):
    edition = edition_for(request.user, slug)
    if not edition.is_public or not (edition.bundle_sha256 or edition.results_only):
        return None
    if edition.results_only and not edition.results.exists():
        return None
    return edition


def _wait(request, edition, task, args: tuple, name: str, label: str):
    """The file is not built yet: queue its build (once) and show its progress (202)."""
    from django.shortcuts import render

    from .. import tasks
    from ..tasks.views import alive_workers

    job = tasks.enqueue_once(task, *args, subject=f"file:{name}", label=label)
    return render(request, "rawan/report_wait.html", {
        "edition": edition, "synthetic": edition.synthetic, "job": job, "workers": alive_workers(),
        "refresh": True}, status=202)


@require_safe
def report(request, slug, fmt):
    """The mapping book (PDF or HTML) of a published edition if it is built; else its build is
    queued for a worker and a page shows its progress until the file is there."""
    from django.utils.translation import gettext as _

    from .jobs import build_report

    edition = _published_file(request, slug)
    if fmt not in FORMATS or edition is None:
        raise Http404("no report")
    lg = lang()
    name, _register, _extras = book_name(edition, lg, fmt)
    if not default_storage.exists(name):
        return _wait(request, edition, build_report, (edition.pk, lg, fmt), name,
                     _("Report %(fmt)s of %(title)s") % {"fmt": fmt.upper(), "title": edition.title_in(lg)})
    return _serve(request, name, FORMATS[fmt], f"laporan-{edition.slug}.pdf" if fmt == "pdf" else None)


@require_safe
def infographic(request, slug):
    """The 1080x1350 infographic (PNG) of a published edition: map, count per category, top regions;
    unstable categories marked where robustness results exist (computed editions).  Built by a
    worker like the book."""
    from django.utils.translation import gettext as _

    from .jobs import build_infographic

    edition = _published_file(request, slug)
    if edition is None or not edition.results.exists():
        raise Http404("no infographic")
    lg = lang()
    name = infographic_name(edition, lg)
    if not default_storage.exists(name):
        return _wait(request, edition, build_infographic, (edition.pk, lg), name,
                     _("Infographic of %(title)s") % {"title": edition.title_in(lg)})
    return _serve(request, name, "image/png", f"infografik-{edition.slug}.png")
