"""Public results of TPS editions: the counts table in Bawaslu's format (indicators with the
number of TPS where each applies, in the three bands, with the kab/kota named most), TPS rawan and
their share per region, the police list, maps and the press-release draft, all computed by
``rawan.tps`` from the edition's registry and checklists.  Counts of TPS, never a score."""

from __future__ import annotations

import csv
import io
import threading

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ...tps.counts import LEVEL_LABELS, count_tps
from ...tps.model import BAND_LABELS, BANDS
from ...vocabulary import synthetic_note
from ..access import TPS_SUPERVISORS, tps_edition_for, tps_editions
from ..accounts.models import Role
from ..accounts.roles import who
from ..accounts.scope import region_name
from ..editions.dashboard import lang
from ..spreadsheet import csv_row
from .data import checklist_of
from .models import TpsEdition
from .services import model_of

_COUNTS: dict[tuple, object] = {}
_LOCK = threading.Lock()
LEVEL_OF = {2: "provinsi", 5: "kabupaten_kota", 8: "kecamatan", 13: "desa_kelurahan"}
CHILD = {"provinsi": "kabupaten_kota", "kabupaten_kota": "kecamatan", "kecamatan": "desa_kelurahan"}


def counts_of(tps: TpsEdition):
    """The package's counts of the edition (kept per process for a published edition, whose
    checklists no longer change; recomputed for one in collection)."""
    ed = tps.edition
    key = (ed.pk, str(ed.published_at)) if ed.is_public else None
    if key is not None:
        with _LOCK:
            hit = _COUNTS.get(key)
        if hit is not None:
            return hit
    counts = count_tps(checklist_of(tps))
    if key is not None:
        with _LOCK:
            if len(_COUNTS) > 16:
                _COUNTS.clear()
            _COUNTS[key] = counts
    return counts


def _name(code: str) -> str:
    return region_name(code, LEVEL_OF.get(len(code), "")) or code


def bawaslu_table(tps: TpsEdition, code: str, language: str) -> dict:
    """The counts of region ``code`` as Bawaslu reports them: per band, the indicators (largest
    first) with their number of TPS and the sub-regions named most."""
    counts = counts_of(tps)
    model = counts.model
    reg = counts.region(code)
    bands = counts.bands(code)
    child = CHILD.get(reg.level)
    rows = []
    for j, ind in enumerate(model.indicators):
        top = counts.top(ind.code, level=child, within=code, n=5) if child and reg.indicators[j] else []
        rows.append({"code": ind.code, "name": ind.name.get(language), "n": int(reg.indicators[j]),
                     "band": bands[j], "variable": model.variable(ind.variable).name.get(language),
                     "top": [{"code": c, "name": _name(c), "n": n} for c, n in top]})
    groups = [{"band": b, "label": BAND_LABELS[b][language],
               "rows": sorted([r for r in rows if r["band"] == b], key=lambda r: (-r["n"], r["code"]))}
              for b in BANDS]
    sub = []
    if child:
        lc = counts.level(child)
        for r in lc.select(code):
            sub.append({"code": lc.codes[r], "name": _name(lc.codes[r]), "n_tps": int(lc.n_tps[r]),
                        "reported": int(lc.n_reported[r]), "rawan": int(lc.rawan[r]),
                        "share": float(lc.share[r]) if lc.n_tps[r] else None})
    return {"code": code, "name": _name(code), "level": reg.level, "n_tps": reg.n_tps, "reported": reg.n_reported,
            "n_desa": reg.n_desa, "desa_reported": reg.n_desa_reported, "rawan": reg.rawan,
            "share": reg.share if reg.n_tps else None, "groups": groups, "zero": [r for r in rows if not r["n"]],
            "at_least": [{"k": k + 1, "n": int(v)} for k, v in enumerate(reg.at_least)],
            "child_level": child, "child_label": LEVEL_LABELS[child][language] if child else "", "sub": sub,
            "rule": model.rules.tps_rawan.text.get(language),
            "band_rule": {"code": model.rules.bands.assumption,
                          "text": model.assumption(model.rules.bands.assumption).text.get(language)}}


def _region(request, tps: TpsEdition) -> str:
    code = request.GET.get("wilayah", "") or tps.edition.scope_code
    if len(code) not in LEVEL_OF or len(code) == 13:
        raise Http404("region")
    return code


@require_GET
def tps_home(request):
    eds = list(tps_editions(request.user))
    return render(request, "rawan/tps/home.html", {"editions": eds, "synthetic": any(e.synthetic for e in eds),
                                                   "title": _("TPS rawan")})


@require_GET
def edition_page(request, slug):
    tps = tps_edition_for(request.user, slug)
    w = who(request.user)
    ctx = {"tps": tps, "edition": tps.edition, "synthetic": tps.synthetic, "title": tps.edition.title_in(lang()),
           "note": synthetic_note(lang()) if tps.synthetic else ""}
    if w.role == Role.PKD and not tps.results_only:
        ctx["own_desa"] = w.region
    ctx["supervisor"] = w.role in TPS_SUPERVISORS and not tps.results_only
    if tps.results_only:
        ctx["published"] = tps.published
        note = (tps.published.get("summary") or {}).get("note") or {}
        ctx["summary_note"] = note.get(lang()) or note.get("id", "")
        return render(request, "rawan/tps/published.html", ctx)
    code = _region(request, tps)
    try:
        ctx["table"] = bawaslu_table(tps, code, lang())
    except Exception as e:  # a region of another province, or without TPS
        from ...tps.messages import TpsError

        if isinstance(e, TpsError):
            raise Http404("region") from None
        raise
    return render(request, "rawan/tps/edition.html", ctx)


@require_GET
def counts_csv(request, slug):
    """The counts of every region of a level (``?tingkat=``, default kab/kota) as CSV."""
    tps = tps_edition_for(request.user, slug)
    if tps.results_only:
        raise Http404("results-only")
    level = request.GET.get("tingkat", "kabupaten_kota")
    if level not in LEVEL_LABELS:
        raise Http404("level")
    table = counts_of(tps).to_table(level, within=None)
    cols = table.column_names
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(csv_row(cols))
    data = [table.column(c).to_pylist() for c in cols]
    w.writerows(csv_row(list(r)) for r in zip(*data))
    if tps.synthetic:
        w.writerow(csv_row([synthetic_note("id")]))
    resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{tps.slug}-rekap-{level}.csv"'
    return resp
