"""Dashboard pages: editions, the province map, ranking, region page, comparison, downloads."""

from __future__ import annotations

import io
import json
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

import numpy as np

from ...engine import explain, output
from ...vocabulary import SYNTHETIC_MARK, synthetic_note
from ..access import edition_for, entry_regions, is_internal, region_for, sees_internal, visible_editions
from . import dashboard as D
from ..spreadsheet import append_row, csv_row
from .models import Edition
from ..problems import conditional
from .pagecache import NO_PAGE_CACHE, frozen_public
from .services import ROBUSTNESS_RUNS, result_of, spec_of, stored_robustness
from .downloads import csv_excel_id, source_lines, source_text
from .table import result_table, table_rows


@require_safe
def home(request):
    from ..access import tps_editions

    # real editions first (newest first within each group); DATA CONTOH is marked on each synthetic
    # card, never as a banner over a page that also lists real editions
    editions = sorted(visible_editions(request.user), key=lambda e: e.synthetic)
    return render(request, "rawan/home.html", {
        "tps": list(tps_editions(request.user)),
        "published": [e for e in editions if e.is_public],
        "internal": [e for e in editions if not e.is_public],
    })


def _base(request, edition: Edition) -> dict:
    return {"edition": edition, "synthetic": edition.synthetic, "internal": sees_internal(request.user, edition),
            "can_enter": bool(entry_regions(request.user, edition)),  # the Data entry tab: never a link to a 403
            "sees_alerts": is_internal(request.user),  # the Alerts tab: Bawaslu users (not a viewer)
            "title": edition.title_in(D.lang()), "reference_note": _reference_note(edition)}


def _reference_note(edition: Edition) -> str:
    """What the edition's scale and classes are computed against, said on every page of it."""
    import json

    from ...engine.reference import ReferenceInfo, model_reference

    spec = spec_of(edition) if not edition.results_only else None
    if spec is None:
        return ""
    if edition.reference_json:
        doc = json.loads(edition.reference_json)
        return ReferenceInfo("stored", str(doc.get("name", "")), int(doc.get("n_regions", 0))).sentence(D.lang())
    return model_reference(spec, edition.level).sentence(D.lang())


@require_safe
@frozen_public(params=("dimensi",))
def edition_map(request, slug):
    edition = edition_for(request.user, slug)
    rows = D.rows_of(edition)
    dims = D.dimension_names(edition)
    dim = request.GET.get("dimensi") or None
    if dim and dim not in dict(dims):
        raise Http404("dimension")
    ctx = _base(request, edition)
    ctx.update(rows=rows, counts=D.category_counts(rows), province=D.province_row(edition), dims=dims,
               unstable=set(D.unstable_codes(edition)),
               dimension=dim, dimension_name=dict(dims).get(dim),
               map_svg=D.map_svg(edition, rows, dimension=dim, dimension_name=dict(dims).get(dim, "")) if rows else "")
    return _pending_robustness(edition, render(request, "rawan/edition_map.html", ctx))


def _pending_robustness(edition, resp):
    """A page drawn before the worker stored the robustness figures is not put in the page cache."""
    if D.robustness_pending(edition):
        resp[NO_PAGE_CACHE] = "1"
    return resp


DEFAULT_DESC = {"skor"}  # columns whose first click sorts from the highest (dimensions too)


@require_safe
@frozen_public(params=("q", "kategori", "urut", "arah"))
def edition_ranking(request, slug):
    edition = edition_for(request.user, slug)
    rows = D.rows_of(edition)
    robust = D.robustness(edition)
    dims = D.dimension_names(edition)
    view = D.ranking_view(edition, rows, request.GET, robust)
    base = {k: view[k] for k in ("q", "kategori") if view[k]}
    columns = [("peringkat", _("Rank"), "#"), ("wilayah", _("Region"), None), ("skor", _("Score"), None),
               ("kategori", _("Category"), None)]
    if robust:
        columns.append(("stabilitas", _("Category stability"), None))
    columns += [(d, n, None) for d, n in dims]
    heads = []
    for key, label, short in columns:
        first = "turun" if key in DEFAULT_DESC or key in dict(dims) else "naik"
        current = view["urut"] == key
        nxt = ("naik" if view["arah"] == "turun" else "turun") if current else first
        heads.append({"key": key, "label": label, "short": short, "numeric": key not in ("wilayah", "kategori"),
                      "sort": ("descending" if view["arah"] == "turun" else "ascending") if current else None,
                      "href": "?" + urlencode({**base, "urut": key, "arah": nxt})})
    ctx = _base(request, edition)
    ctx.update(view, rows=view["rows"], all_rows=rows, dims=dims, province=D.province_row(edition), heads=heads,
               robust=robust, categories=[(c, c) for c in D.CATEGORY_FILTERS],
               robust_pending=not robust and D.robustness_pending(edition),
               stable_share=D.STABLE_SHARE, robust_runs=ROBUSTNESS_RUNS)
    return _pending_robustness(edition, render(request, "rawan/edition_ranking.html", ctx))


@require_safe
@frozen_public
def region_page(request, slug, code):
    edition = edition_for(request.user, slug)
    name = region_for(edition, code)
    row = edition.results.filter(region_code=code).first()
    ctx = _base(request, edition)
    ctx.update(code=code, name=name, row=row, dims=D.dimension_names(edition),
               n_regions=edition.results.filter(level=edition.level).count(),
               change=D.change_against(edition, code))
    result = result_of(edition) if row is not None else None
    if result is not None and code in result.codes:
        ex = explain(result, code, top=5)
        spec = spec_of(edition)
        lang = D.lang()
        ctx["drivers"] = [{"code": c.code, "name": spec.tree.nodes[c.code].name.get(lang),
                           "parent": spec.tree.nodes[c.parent].name.get(lang), "score": c.score,
                           "to_index": c.to_index} for c in ex.top_drivers if c.to_index > 0]
        ctx["cutoff_up"], ctx["cutoff_down"] = ex.cutoff_up, ex.cutoff_down
        ctx["assumptions"] = [a.text.get(lang) for a in spec.assumptions]
        # what the scale and class were computed against, the rules that mislead, and the
        # weight each indicator really has in the index
        if result.is_subset:
            ctx["rank_reference"] = ex.rank_reference
            ctx["reference_size"] = ex.reference_size
        ctx["rule_warnings"] = [w.render(lang) for w in result.warnings if w.key.startswith("rule.")]
        weights = [{"code": c.code, "name": spec.tree.nodes[c.code].name.get(lang),
                    "parent": spec.tree.nodes[c.parent].name.get(lang), "weight": c.effective_weight}
                   for c in ex.contributions if c.code in spec.tree.nodes and spec.tree.nodes[c.code].type == "indicator"]
        ctx["effective_weights"] = weights
        ctx["weights_per_indicator"] = spec.weights_at == "indicators"
        ctx["weight_range"] = (min(w["weight"] for w in weights), max(w["weight"] for w in weights))
        robust = stored_robustness(edition)
        ctx["robust"] = robust.get(code) if robust else None
        ctx["robust_runs"] = ROBUSTNESS_RUNS
        if robust is None and edition.bundle_sha256:  # computed once per bundle by a worker
            from .jobs import queue_robustness

            queue_robustness(edition)
            ctx["robust_pending"] = True
    resp = render(request, "rawan/region.html", ctx)
    if ctx.get("robust_pending"):
        resp[NO_PAGE_CACHE] = "1"  # the page gains its robustness figures when the worker is done
    return resp


@require_safe
def compare(request):
    editions = sorted(visible_editions(request.user).filter(results__isnull=False).distinct(),
                      key=lambda e: e.synthetic)  # real editions first
    by_slug = {e.slug: e for e in editions}
    a, b = by_slug.get(request.GET.get("a", "")), by_slug.get(request.GET.get("b", ""))
    table = []
    warning = None
    robust_a = D.robustness(a) if a else None
    robust_b = D.robustness(b) if b else None
    if a and b:
        ra = {r.region_code: r for r in D.rows_of(a)}
        rb = {r.region_code: r for r in D.rows_of(b)}
        names = {**b.region_names(), **a.region_names()}
        for code in sorted(set(ra) | set(rb)):
            table.append({"code": code, "name": names.get(code, code), "a": ra.get(code), "b": rb.get(code),
                          "sa": (robust_a or {}).get(code), "sb": (robust_b or {}).get(code)})
        warning = D.scale_warning(a, b)
    return render(request, "rawan/compare.html", {
        "editions": editions, "a": a, "b": b, "table": table, "warning": warning,
        "mix_warning": D.mix_warning(a, b) if a and b else None,
        "robust_a": bool(robust_a), "robust_b": bool(robust_b), "stable_share": D.STABLE_SHARE,
        # the page-wide DATA CONTOH banner only when everything shown is synthetic; a mixed
        # comparison marks the synthetic column and says so in a warning
        "synthetic": bool(a and b and a.synthetic and b.synthetic)})


# ---- downloads ---------------------------------------------------------------------------------

def _public_rows(request, slug):
    edition = edition_for(request.user, slug)
    if not edition.is_public and not sees_internal(request.user, edition):
        raise Http404("not published")
    return edition, D.rows_of(edition)


@require_safe
@frozen_public
def download_csv(request, slug):
    edition, _ = _public_rows(request, slug)
    header, cols = result_table(edition)
    cols = [np.array(csv_row(c.tolist()), dtype=object) if c.dtype == object else c for c in cols]
    resp = HttpResponse(output.csv_bytes(header, cols), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{edition.slug}.csv"'
    return resp


@require_safe
@frozen_public
def download_csv_excel(request, slug):
    """The same table for Excel set to Indonesian: ';' between fields, decimal comma."""
    edition, _rows = _public_rows(request, slug)
    header, cols = result_table(edition)
    resp = HttpResponse(csv_excel_id(header, cols), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{edition.slug}-excel.csv"'
    return resp


@require_safe
@frozen_public
def download_sources(request, slug):
    """Source, attribution and how to read the downloads: the file beside the CSVs."""
    edition, _rows = _public_rows(request, slug)
    resp = HttpResponse(source_text(request, edition), content_type="text/plain; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{edition.slug}-sumber.txt"'
    return resp


@require_safe
@frozen_public
def download_xlsx(request, slug):
    from openpyxl import Workbook

    edition, _ = _public_rows(request, slug)
    header, cols = result_table(edition)
    wb = Workbook()
    ws = wb.active
    ws.title = "hasil"
    append_row(ws, header)
    for line in table_rows(header, cols):
        append_row(ws, line)
    info = wb.create_sheet("sumber")  # the sumber.txt lines: source, attribution, how to read
    for label, text in source_lines(request, edition):
        append_row(info, [label, text])
    buf = io.BytesIO()
    wb.save(buf)
    resp = HttpResponse(buf.getvalue(),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="{edition.slug}.xlsx"'
    return resp


@require_safe
@frozen_public
def download_geojson(request, slug):
    from ...regions.boundaries import load_boundaries

    edition, _ = _public_rows(request, slug)
    b = load_boundaries(province=edition.scope_code.split(".")[0])  # the edition's province (regions.defaults)
    if b is None or not b.has(edition.level):
        raise Http404("no boundaries")
    import shapely

    layer = b.layer(edition.level)
    header, cols = result_table(edition)
    features = []
    for line in table_rows(header, cols):
        props = dict(zip(header, line))
        g = layer.get(props["code"])
        if g is None:
            continue
        if edition.synthetic:
            props["catatan"] = SYNTHETIC_MARK
        features.append({"type": "Feature", "properties": props,
                         "geometry": json.loads(shapely.to_geojson(shapely.set_precision(g, 1e-5)))})
    doc = {"type": "FeatureCollection", "name": edition.slug, "features": features}
    resp = HttpResponse(json.dumps(doc, ensure_ascii=False), content_type="application/geo+json")
    resp["Content-Disposition"] = f'attachment; filename="{edition.slug}.geojson"'
    return resp


@require_safe
def download_bundle(request, slug):
    edition = edition_for(request.user, slug)
    full = Edition.objects.filter(pk=edition.pk).values_list("bundle", flat=True).first()
    if not edition.is_public or not full:
        raise Http404("no bundle")
    resp = HttpResponse(bytes(full), content_type="application/zip")
    resp["Content-Disposition"] = f'attachment; filename="{edition.slug}-bundle.zip"'
    resp["X-Content-SHA256"] = edition.bundle_sha256
    return conditional(request, resp, f'"{edition.bundle_sha256}"')  # frozen: its hash is its ETag
