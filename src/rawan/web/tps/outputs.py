"""The TPS outputs of ``rawan.reports.tps`` in the web app: the list for police, army and KPU
(XLSX, PDF), the maps of the number and share of TPS rawan (with TPS points), and the press-release
draft.  Every number comes from the package's counts of the edition's checklists.

Who: the lists name single TPS with the PKD's notes, so they are for logged-in users (Bawaslu roles
and stakeholder viewers such as Polda and KPU); the maps are public with the counts; the
press-release draft is for Bawaslu's supervisors (panwascam, operator, verifier, admin).
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ...reports.tps import press_release as make_press_release, tps_list, tps_map, write_tps_list
from ...tps.messages import TpsError
from ..access import TPS_SUPERVISORS, tps_edition_for
from ..accounts.roles import PUBLIC, who
from ..editions.dashboard import lang
from .data import checklist_of
from .results import LEVEL_OF, counts_of

CONTENT = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}
MAP_LEVELS = ("kabupaten_kota", "kecamatan", "desa_kelurahan")


@lru_cache(maxsize=4)
def regions_of(scope: str):
    from ...regions import load_regions

    return load_regions(province=scope[:2])


def _collecting(tps):
    if tps.results_only:
        raise Http404("results-only TPS edition: a table as published, no list or map")


@require_GET
@login_required
def police_list(request, slug, fmt):
    """?wilayah=<kab/kota, kecamatan or desa code>&variabel=v7&indikator=i17 -> XLSX or PDF."""
    tps = tps_edition_for(request.user, slug)
    _collecting(tps)
    if who(request.user).role == PUBLIC:
        raise PermissionDenied("login required")
    if fmt not in CONTENT:
        raise Http404("format")
    region = request.GET.get("wilayah", "") or tps.edition.scope_code
    if len(region) not in LEVEL_OF:
        raise Http404("region")
    try:
        lst = tps_list(checklist_of(tps), regions_of(tps.edition.scope_code), region=region,
                       variable=request.GET.get("variabel") or None, indicator=request.GET.get("indikator") or None,
                       lang=lang())
    except TpsError:
        raise Http404("unknown region, variable or indicator") from None
    with tempfile.TemporaryDirectory(prefix="rawan-tps-") as tmp:
        out = Path(tmp) / f"daftar-tps-rawan-{region}.{fmt}"
        write_tps_list(lst, out, lang=lang(), date=timezone.localdate().isoformat())
        body = out.read_bytes()
    resp = HttpResponse(body, content_type=CONTENT[fmt])
    resp["Content-Disposition"] = f'attachment; filename="{tps.slug}-daftar-{region}.{fmt}"'
    return resp


def _map_args(request, tps):
    level = request.GET.get("tingkat", "kabupaten_kota")
    if level not in MAP_LEVELS:
        raise Http404("level")
    parent = request.GET.get("wilayah", "") or tps.edition.scope_code
    value = request.GET.get("nilai", "jumlah")
    if value not in ("jumlah", "persen") or len(parent) not in LEVEL_OF or len(parent) >= {
            "kabupaten_kota": 5, "kecamatan": 8, "desa_kelurahan": 13}[level]:
        raise Http404("map")
    return level, parent, value, request.GET.get("titik") == "1"


def _svg(tps, level, parent, value, points):
    counts = counts_of(tps)
    try:
        return tps_map(counts, level=level, parent=parent, value=value, regions=regions_of(tps.edition.scope_code),
                       lang=lang(), width=720, points=checklist_of(tps) if points else None)
    except TpsError:
        raise Http404("map") from None


@require_GET
def map_page(request, slug):
    tps = tps_edition_for(request.user, slug)
    _collecting(tps)
    level, parent, value, points = _map_args(request, tps)
    w = who(request.user)
    return render(request, "rawan/tps/map.html", {
        "tps": tps, "edition": tps.edition, "synthetic": tps.synthetic, "title": tps.edition.title_in(lang()),
        "svg": _svg(tps, level, parent, value, points), "level": level, "parent": parent, "value": value,
        "points": points, "supervisor": w.role in TPS_SUPERVISORS, "tab": "map"})


@require_GET
def map_svg(request, slug):
    tps = tps_edition_for(request.user, slug)
    _collecting(tps)
    svg = _svg(tps, *_map_args(request, tps))
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


def press_text(tps, region: str) -> str:
    return make_press_release(counts_of(tps), region=region, regions=regions_of(tps.edition.scope_code),
                              lang=lang(), date=timezone.localdate().isoformat())


@require_GET
@login_required
def press_release(request, slug):
    """The press-release draft for a region (?wilayah=, default the edition's scope), to edit."""
    tps = tps_edition_for(request.user, slug)
    _collecting(tps)
    if who(request.user).role not in TPS_SUPERVISORS:
        raise PermissionDenied("Bawaslu supervisors only")
    region = request.GET.get("wilayah", "") or tps.edition.scope_code
    if len(region) not in LEVEL_OF or len(region) == 13:
        raise Http404("region")
    try:
        text = press_text(tps, region)
    except TpsError:
        raise Http404("region") from None
    if request.GET.get("unduh") == "1":
        resp = HttpResponse(text, content_type="text/markdown; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="{tps.slug}-siaran-pers-{region}.md"'
        return resp
    return render(request, "rawan/tps/press.html", {
        "tps": tps, "edition": tps.edition, "synthetic": tps.synthetic, "title": tps.edition.title_in(lang()),
        "text": text, "region": region, "supervisor": True, "tab": "press"})
