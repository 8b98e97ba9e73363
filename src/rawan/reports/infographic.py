"""Media infographics: one 1080x1350 PNG per edition or per region, typeset by typst.

The page is 540 x 675 pt rendered at 144 ppi, so text stays sharp on a phone.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine import Problem, RawanError, Result, explain
from ..vocabulary import SYNTHETIC_COLOUR, SYNTHETIC_MARK
from . import text as T
from .charts import dimension_bars
from .content import _name, _order, _province, _rank_str
from .maps import MapMaker, category_colours, text_on

PPI = 144  # 540 pt x 675 pt -> 1080 x 1350 px


def _cat(lang, colours, label):
    return {"cat": label or "", "category": T.category_name(lang, label), "short": T.category_short(lang, label),
            "colour": colours.get(label, colours[None]), "fg": text_on(colours.get(label, colours[None]))}


def _unstable(result: Result, uncertainty, lang: str) -> tuple[list[str], str]:
    """Codes whose category is unstable under ``uncertainty`` and the sentence naming them."""
    from .content import UNSTABLE_BELOW

    if uncertainty is None:
        return [], T.sentence(lang, "no_robustness_run")
    t = uncertainty.table
    stab = {str(c): float(v) for c, v in zip(t["code"], t["class_stability"])}
    idx = {c: i for i, c in enumerate(result.codes)}
    codes = [result.codes[i] for i in _order(result) if stab.get(result.codes[i], 1.0) < UNSTABLE_BELOW]
    if not codes:
        return [], T.sentence(lang, "all_stable", pct=T.percent(UNSTABLE_BELOW, lang))
    names = ", ".join(f"{_name(result, idx[c])} ({T.percent(stab[c], lang)})" for c in codes)
    return codes, T.sentence(lang, "unstable", n=len(codes), regions=names, pct=T.percent(UNSTABLE_BELOW, lang))


def infographic_data(result: Result, *, maps: MapMaker, region: str | None, lang: str, title: str | None,
                     date: str, uncertainty=None) -> dict:
    spec = result.spec
    tree = spec.tree
    w = T.words(lang)
    colours = category_colours()
    n = len(result.codes)
    root = tree.root
    cat = result.categories.get(root)
    labels = [cat.label_of(i) if cat else None for i in range(n)]
    score = result.score(root)
    rank = result.rank()
    level = result.region_level or ""
    place = _province(result, maps, lang)
    values = {result.codes[i]: labels[i] for i in range(n)}
    unstable, stability = _unstable(result, uncertainty, lang)
    doc = {
        "lang": lang, "w": w, "synthetic": bool(result.synthetic), "mark": SYNTHETIC_MARK, "mark_colour": SYNTHETIC_COLOUR,
        "synthetic_note": w["synthetic_note"], "title": title or w["map_province"],
        "subtitle": spec.title.get(lang), "place": place, "date": T.long_date(date, lang),
        "level_label": w.get(f"level_{level}", ""), "n": str(n),
        "model": f"{spec.id} {spec.version}",
        "assumption_note": w["assumption_note_short"].format(n=len(spec.assumptions)) if spec.assumptions else "",
        "attribution": w["map_attr"], "stability": stability,
    }
    if region is None:
        doc["mode"] = "edition"
        slot = maps.draw(values, level=level, mode="category", width=520, legend_title=w["legend"], unstable=unstable)
        doc["map"] = {"svg": slot.svg or "", "reason": slot.reason or ""}
        doc["counts"] = [{"n": str(labels.count(k)), **_cat(lang, colours, k)} for k in ("tinggi", "sedang", "rendah")]
        doc["top"] = [{"rank": _rank_str(rank[i]), "name": _name(result, i), "score": T.num(score[i], lang),
                       "parent": maps.parent_of(result.codes[i], level),
                       **_cat(lang, colours, labels[i])} for i in _order(result)[:5] if not math.isnan(score[i])]
        return doc
    try:
        i = result.region(region)
    except RawanError:
        raise RawanError(Problem("reports.unknown_region", {"region": region, "n": n})) from None
    e = explain(result, region, top=3)
    dims = tree.children[root]
    means = {d: float(np.nanmean(result.score(d))) if np.any(~np.isnan(result.score(d))) else math.nan for d in dims}
    parent = region.rsplit(".", 1)[0] if "." in region else None
    slot = maps.draw(values, level=level, mode="category", width=520, marked=(region,), marked_label=_name(result, i),
                     parent=parent if level not in ("provinsi", "kabupaten_kota") else None, legend_title=w["legend"],
                     unstable=unstable)
    doc.update({
        "mode": "region", "name": _name(result, i), "code": region,
        "parent": (maps.name_of(parent) or parent) if parent and level not in ("provinsi", "kabupaten_kota") else "",
        "score": T.num(score[i], lang), "rank_line": T.sentence(lang, "rank_of", rank=_rank_str(rank[i]), n=n),
        **_cat(lang, colours, labels[i]),
        "chart": dimension_bars([(spec.node(d).name.get(lang), float(result.score(d)[i]), means[d]) for d in dims],
                                lang),  # one neutral bar colour: a dimension score is not a category
        "drivers": [spec.node(d.code).name.get(lang) for d in e.top_drivers],
        "map": {"svg": slot.svg or "", "reason": slot.reason or ""},
        "completeness": T.percent(float(result.coverage()[i]), lang),
    })
    return doc


def infographic_png(result: Result, *, regions, boundaries=None, region: str | None, lang: str, title: str | None, date: str,
                    name: str = "", uncertainty=None) -> bytes:
    from .pdf import typeset

    maps = MapMaker(regions, lang, result.synthetic, boundaries=boundaries, codes=result.codes)
    data = infographic_data(result, maps=maps, region=region, lang=lang, title=title, date=date,
                            uncertainty=uncertainty)
    pages, _ = typeset("infographic.typ", data, fmt="png", ppi=PPI, name=name)
    return pages[0] if isinstance(pages, list) else pages
