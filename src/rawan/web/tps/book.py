"""A TPS collection's counts for the book of an IKP edition, and as a TPS results file.

The counts of the collection (``rawan.tps.count_tps`` over its checklists) go through
``rawan.tps.published.from_counts``: the schema of a published release plus the collection's state
(closed or still open, desa not reported).  The edition book's TPS chapter reads that object
(``rawan.reports.tps_chapter``: one path for releases, files and collections); the admin links a
collection to an edition on its supervision page; supervisors download the same thing as a YAML file
that ``rawan report --tps FILE`` reads.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from ...tps.published import CollectionState, Published, from_counts
from ..access import require_admin, require_tps_supervisor, tps_edition_for
from ..accounts.scope import region_name
from ..editions.models import Edition, Status
from .models import DesaReport, ReportStatus, TpsEdition, TpsStation

CLOSED = (Status.VERIFYING, Status.PUBLISHED, Status.ARCHIVED)  # the collection window has ended


def collection_state(tps: TpsEdition) -> CollectionState:
    """Closed or open, the desa of its list and those not reported yet, the date of the latest save."""
    reports = DesaReport.objects.filter(edition=tps)
    last = [d for d in (reports.aggregate(m=Max("updated_at"))["m"],
                        TpsStation.objects.filter(edition=tps).aggregate(m=Max("saved_at"))["m"]) if d]
    day = max(last).date() if last else (tps.edition.published_at or tps.edition.created_at).date()
    return CollectionState(closed=tps.edition.status in CLOSED, desa=reports.count(),
                           desa_not_reported=reports.filter(status=ReportStatus.NOT_YET).count(),
                           as_of=day.isoformat())


def results_of(tps: TpsEdition) -> Published:
    """The collection's counts in the province (the edition's scope) as a TPS results object."""
    from .results import counts_of

    counts = counts_of(tps)
    ed = tps.edition
    state = collection_state(tps)
    scope = ed.scope_code
    names = {c: (region_name(c, "kabupaten_kota") or c).removeprefix("Kabupaten ")  # as releases write them
             for c in counts.level("kabupaten_kota").codes}
    province = region_name(scope, "provinsi") or scope
    title = {"id": ed.title_in("id"), "en": ed.title_in("en")}
    source = {"id": f"rawan-{ed.slug}", "title": ed.title_in("id"),
              "description": {"id": "pengumpulan daftar periksa TPS di aplikasi rawan",
                              "en": "TPS checklist collection in the rawan web app"}}
    return from_counts(counts, region=scope, region_name=f"Provinsi {province}",
                       publisher=f"Bawaslu Provinsi {province}", date=state.as_of, title=title,
                       model=ed.model_id, collection=state, names=names, source=source)


def book_tps_for(edition: Edition) -> Published | None:
    """The TPS results of the collection linked to ``edition``'s book (the latest linked), or None."""
    tps = (TpsEdition.objects.filter(book_edition=edition, edition__results_only=False)
           .select_related("edition").order_by("-edition__created_at").first())
    return results_of(tps) if tps is not None else None


@require_safe
@login_required
def results_file(request, slug):
    """The collection's TPS results file (YAML) for ``rawan report --tps FILE``: supervisors of the
    whole edition (admin, verifier); a Panwascam or kab/kota operator sees only their region (404)."""
    import yaml

    tps = tps_edition_for(request.user, slug)
    require_tps_supervisor(request.user, tps, tps.edition.scope_code)  # the whole province: admin, verifier
    data = results_of(tps).model_dump(mode="json", exclude_none=True)
    text = "# TPS-rawan counts (rawan): number of TPS per indicator, never a score.\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=110)
    resp = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="hasil-tps-{tps.slug}.yaml"'
    return resp


@never_cache
@login_required
@require_POST
def link_book(request, slug):
    """The admin names the IKP edition whose book carries this collection's TPS chapter (or none).
    Only an edition of the same kind: synthetic with synthetic, real with real."""
    tps = tps_edition_for(request.user, slug)
    require_admin(request.user)
    target = request.POST.get("edition", "").strip()
    edition = None
    if target:
        edition = Edition.objects.filter(slug=target, results_only=False, tps__isnull=True).first()
        if edition is None or edition.synthetic != tps.synthetic:
            messages.error(request, _("Choose a computed edition of the same kind (synthetic or real)."))
            return redirect("tps_supervision", slug=slug)
    old = tps.book_edition.slug if tps.book_edition else None
    tps.book_edition = edition
    tps.save(update_fields=["book_edition"])
    tps.edition.log_action("rawan.tps.book", user=request.user, data={"old": old, "new": target or None})
    messages.success(request, _("The book of %(title)s now carries this collection's TPS chapter.")
                     % {"title": edition.title_in("id")} if edition else _("No book carries this collection now."))
    return redirect("tps_supervision", slug=slug)


def book_choices(tps: TpsEdition) -> list[Edition]:
    """The computed editions this collection's counts may go into (same kind: synthetic or real)."""
    return list(Edition.objects.filter(results_only=False, tps__isnull=True, synthetic=tps.synthetic)
                .order_by("-created_at"))
