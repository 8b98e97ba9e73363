"""The content of a report as plain data (strings, numbers, SVG), in one language.

Both renderers (typst for PDF, HTML) lay out this same structure, so the two
formats say the same thing.  Everything is computed here; the templates only
place it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..engine import Result, explain
from ..engine.data import SYNTHETIC_MARK
from . import text as T
from .charts import dimension_bars
from .issues import Recommendations, standard_actions, strategic_issues
from .maps import MapMaker, category_colours, text_on

ANNEX_CHUNK = 10
TOP_N = 5


def _name(result: Result, i: int) -> str:
    return result.names[i] if result.names and result.names[i] else result.codes[i]


def _order(result: Result) -> list[int]:
    rank = result.rank()
    return sorted(range(len(result.codes)),
                  key=lambda i: (math.isnan(rank[i]), 0 if math.isnan(rank[i]) else rank[i], result.codes[i]))


def _rank_str(r: float) -> str:
    return "–" if math.isnan(r) else str(int(r))


def _province(result: Result, maps: MapMaker, lang: str) -> str:
    top = sorted({c.split(".")[0] for c in result.codes})
    if len(top) != 1:
        return ""
    name = maps.name_of(top[0])
    if name is None:
        return ""
    if result.region_level == "provinsi":
        return "Indonesia"
    return f"Provinsi {name}" if lang == "id" else f"{name} Province"


def build_content(result: Result, *, lang: str = "id", title: str | None = None, date: str,
                  maps: MapMaker, previous: Result | None = None,
                  recommendations: Recommendations | None = None,
                  uncertainty: Any = None, data_name: str = "") -> dict:
    spec = result.spec
    tree = spec.tree
    w = T.words(lang)
    colours = category_colours()
    n = len(result.codes)
    level = result.region_level or ""
    level_label = w.get(f"level_{level}", w["region"].lower())
    root = tree.root
    dims = list(tree.children[root])
    dim_names = {d: spec.node(d).name.get(lang) for d in dims}
    ind_names = {c: spec.node(c).name.get(lang) for c in result.indicators}
    score = result.score(root)
    rank = result.rank()
    cat = result.categories.get(root)
    labels = [cat.label_of(i) if cat else None for i in range(n)]
    order = _order(result)
    explanations = [explain(result, c, top=TOP_N) for c in result.codes]
    place = _province(result, maps, lang)

    def cat_cell(label):
        if cat is None:
            return {"cat": "", "category": w["no_category"], "short": "–", "colour": colours[None],
                    "fg": text_on(colours[None])}
        return {"cat": label or "", "category": T.category_name(lang, label), "short": T.category_short(lang, label),
                "colour": colours.get(label, colours[None]), "fg": text_on(colours.get(label, colours[None]))}

    # ---- executive summary -------------------------------------------------
    count = {k: labels.count(k) for k in ("tinggi", "sedang", "rendah")}
    nodata = int(np.sum(np.isnan(score)))
    counts = [{"n": count[k], "share": T.percent(count[k] / n, lang), **cat_cell(k)} for k in ("tinggi", "sedang", "rendah")]
    if nodata:
        counts.append({"n": nodata, "share": T.percent(nodata / n, lang), **cat_cell(None)})
    if cat is None:
        counts = []
    top = [{"rank": _rank_str(rank[i]), "name": _name(result, i), "code": result.codes[i],
            "score": T.num(score[i], lang), **cat_cell(labels[i])} for i in order[:TOP_N] if not math.isnan(score[i])]
    contrib = np.zeros(len(result.indicators))
    scored = 0
    for e in explanations:
        if math.isnan(e.score):
            continue
        scored += 1
        for c in e.contributions:
            if c.code in ind_names:
                contrib[result.indicators.index(c.code)] += c.to_index
    contrib /= max(scored, 1)
    drivers = [{"code": result.indicators[j], "name": ind_names[result.indicators[j]],
                "value": T.num(contrib[j], lang)}
               for j in sorted(range(len(contrib)), key=lambda j: (-contrib[j], j))[:TOP_N] if contrib[j] > 0]
    dim_means = {d: float(np.nanmean(result.score(d))) if np.any(~np.isnan(result.score(d))) else math.nan
                 for d in dims}
    best_dim = max(dims, key=lambda d: (np.nan_to_num(dim_means[d], nan=-1), -dims.index(d)))
    paragraphs = [
        T.sentence(lang, "counts", n=n, level=level_label, tinggi=count["tinggi"], sedang=count["sedang"],
                   rendah=count["rendah"], nodata=T.sentence(lang, "nodata", k=nodata) if nodata else "")
        if cat is not None else T.sentence(lang, "no_rule", n=n, level=level_label),
        T.sentence(lang, "top", regions=", ".join(f"{t['name']} ({t['score']})" for t in top[:3])),
        T.sentence(lang, "dim", dim=dim_names[best_dim], score=T.num(dim_means[best_dim], lang)),
    ]
    if drivers:
        paragraphs.append(T.sentence(lang, "drivers", indicators="; ".join(d["name"] for d in drivers[:3])))

    # ---- maps ---------------------------------------------------------------
    cat_values = {result.codes[i]: labels[i] for i in range(n)}
    province_map = maps.draw(cat_values, level=level, mode="category",
                             title=w["map_province"], subtitle=place, legend_title=w["legend"])

    # ---- methodology --------------------------------------------------------
    def depth(c):
        return len(tree.ancestors(c))

    hierarchy = []
    for node in spec.hierarchy:
        c = node.code
        agg = node.type == "aggregate"
        hierarchy.append({
            "code": c, "name": node.name.get(lang), "depth": depth(c),
            "type": w["aggregate"] if agg else (node.kind or w["indicator_t"]),
            "weight": T.num(node.weight, lang, 2 if not float(node.weight).is_integer() else 0),
            "direction": "" if agg else ("+1" if node.direction > 0 else "−1"),
            "method": tree.resolve(spec, c, "aggregation").method.name if agg else "",
        })
    d = spec.methods.default

    def mname(step, code):
        r = tree.resolve(spec, code, step)
        params = ", ".join(f"{k}={v}" for k, v in sorted(r.params.items()))
        return f"{r.method.name}" + (f" ({params})" if params else "") + f" — {r.method.summary.get(lang, r.method.summary.get('id', ''))}"

    first_ind = result.indicators[0]
    robust_note = (T.sentence(lang, "robust_method", runs=uncertainty.runs, seed=uncertainty.seed
                              if uncertainty.seed is not None else "-") if uncertainty is not None else "")
    methods = [T.sentence(lang, "method_imp", m=mname("imputation", first_ind)),
               T.sentence(lang, "method_norm", m=mname("normalisation", first_ind)),
               T.sentence(lang, "method_agg", m=mname("aggregation", root),
                          cov=T.percent(tree.min_coverage(spec, root), lang))]
    if robust_note:
        methods.append(robust_note)
    cutoffs = []
    for node_code, c in result.categories.items():
        cuts = " · ".join(T.num(x, lang) for x in c.cutoffs)
        line = T.sentence(lang, "cutoff_rule", rule=c.rule, level=level_label, cuts=cuts)
        rule = next((r for r in spec.category_rules(result.region_level)), None)
        note = rule.note.get(lang) if rule is not None and rule.note else ""
        src = f" [{c.source}]" if c.source else ""
        asm = f" ({w['assumptions']}: {c.assumption})" if c.assumption else ""
        cutoffs.append(f"{spec.node(node_code).name.get(lang)}: {line}{src}{asm} {note}".strip())
    assumptions = [{"code": a.code, "text": a.text.get(lang), "reason": a.reason.get(lang) if a.reason else ""}
                   for a in spec.assumptions]
    if recommendations is not None:
        for a in recommendations.assumptions:
            t_ = a.get("text", {})
            assumptions.append({"code": a.get("code", ""), "text": t_.get(lang) or t_.get("id", ""), "reason": ""})
    sources = [{"id": s.id, "title": s.title, "url": s.url or "", "confidence": s.confidence or "", "note": s.note or ""}
               for s in spec.sources]
    if recommendations is not None:
        for s in recommendations.sources:
            sources.append({"id": s.get("id", ""), "title": " ".join(str(s.get("title", "")).split()),
                            "url": s.get("url", ""), "confidence": s.get("confidence", ""),
                            "note": " ".join(str(s.get("note", "")).split())})
    cov = result.coverage()
    incomplete = int(np.sum(cov < 1 - 1e-12))
    completeness = T.sentence(lang, "completeness", mean=T.percent(float(np.mean(cov)), lang), k=incomplete,
                              min=T.percent(float(np.min(cov)), lang))
    data_lines = [T.sentence(lang, "data_file", file=data_name or "-", n=n, hash=result.recipe["data_sha256"][:16])]

    # ---- ranking ------------------------------------------------------------
    robust = _robustness(uncertainty, lang)
    prev_row = {}
    if previous is not None:
        pr = previous.rank()
        pcat = previous.categories.get(previous.spec.tree.root)
        for i, c in enumerate(previous.codes):
            prev_row[c] = (float(previous.score(previous.spec.tree.root)[i]), float(pr[i]),
                           pcat.label_of(i) if pcat else None)
    rows = []
    for i in order:
        c = result.codes[i]
        row = {"rank": _rank_str(rank[i]), "code": c, "name": _name(result, i), "score": T.num(score[i], lang),
               "dims": [T.num(result.score(d)[i], lang) for d in dims],
               "completeness": T.percent(float(cov[i]), lang), **cat_cell(labels[i])}
        if robust:
            rb = robust.get(c)
            row["range"] = f"{rb['lo']}–{rb['hi']}" if rb else "–"
        if previous is not None:
            p = prev_row.get(c)
            row["prev_rank"] = _rank_str(p[1]) if p else "–"
            row["move"] = _move(rank[i], p[1] if p else math.nan)
        rows.append(row)
    ranking = {"dims": [{"code": d, "name": dim_names[d]} for d in dims], "rows": rows,
               "previous": previous is not None, "robust": bool(robust)}

    # ---- dimensions ---------------------------------------------------------
    dimensions = []
    for d in dims:
        s = result.score(d)
        dr = result.rank(d)
        idx = sorted((i for i in range(n) if not math.isnan(s[i])), key=lambda i: (dr[i], result.codes[i]))
        dimensions.append({
            "code": d, "name": dim_names[d], "intro": T.sentence(lang, "dim_intro", dim=dim_names[d]),
            "mean": T.num(dim_means[d], lang),
            "map": _slot(maps.draw({result.codes[i]: (None if math.isnan(s[i]) else float(s[i])) for i in range(n)},
                                   level=level, mode="continuous", title=dim_names[d], subtitle=place,
                                   legend_title=w["score"])),
            "top": [{"rank": _rank_str(dr[i]), "name": _name(result, i), "score": T.num(s[i], lang)} for i in idx[:TOP_N]],
        })

    # ---- region profiles ----------------------------------------------------
    subdims = [a for d in dims for a in tree.children[d] if tree.nodes[a].type == "aggregate"]
    profiles = []
    for i in order:
        e = explanations[i]
        c = result.codes[i]
        parent = c.rsplit(".", 1)[0] if "." in c else ""
        parent_name = (maps.name_of(parent) or parent) if parent and level not in ("provinsi", "kabupaten_kota") else ""
        chart = dimension_bars([(dim_names[d], float(result.score(d)[i]), dim_means[d]) for d in dims], lang,
                               colour=colours.get(labels[i], colours[None]))
        cut_lines = []
        lo_scale, hi_scale = (spec.scale.min, spec.scale.max) if spec.scale else (-math.inf, math.inf)
        if e.category is not None:
            if e.cutoff_up and e.cutoff_up[1] > hi_scale:
                cut_lines.append(w["top_reachable"])
            elif e.cutoff_up:
                cut_lines.append(w["to_up"].format(label=T.category_name(lang, e.cutoff_up[0]),
                                                   gap=T.num(e.cutoff_up[2], lang), cut=T.num(e.cutoff_up[1], lang)))
            else:
                cut_lines.append(w["top_class"])
            if e.cutoff_down and e.cutoff_down[1] > lo_scale:
                cut_lines.append(w["to_down"].format(label=T.category_name(lang, e.cutoff_down[0]),
                                                     gap=T.num(e.cutoff_down[2], lang), cut=T.num(e.cutoff_down[1], lang)))
        locator = maps.draw(cat_values, level=level, mode="category", marked=(c,), width=420,
                            parent=parent if parent_name else None, title=_name(result, i),
                            subtitle=parent_name or place, legend_title=w["legend"], marked_label=_name(result, i))
        missing = [result.indicators[j] for j in range(len(result.indicators)) if math.isnan(result.raw[i, j])]
        prof = {
            "code": c, "name": _name(result, i), "parent": parent_name, "score": T.num(score[i], lang),
            "rank_line": T.sentence(lang, "rank_of", rank=_rank_str(rank[i]), n=n), **cat_cell(labels[i]),
            "chart": chart, "map": _slot(locator),
            "dims": [{"name": dim_names[d], "score": T.num(result.score(d)[i], lang),
                      "rank": _rank_str(result.rank(d)[i])} for d in dims],
            "subdims": [{"name": spec.node(a).name.get(lang), "score": T.num(result.score(a)[i], lang),
                         "rank": _rank_str(result.rank(a)[i])} for a in subdims],
            "drivers": [{"code": dv.code, "name": ind_names[dv.code],
                         "value": T.raw_value(float(result.raw[i, result.indicators.index(dv.code)]), lang),
                         "score": T.num(dv.score, lang), "contribution": T.num(dv.to_index, lang)}
                        for dv in e.top_drivers],
            "cut_lines": cut_lines,
            "completeness": T.percent(float(cov[i]), lang),
            "missing": ", ".join(missing) if missing else w["none"],
            "previous": None, "robust": robust.get(c),
        }
        if previous is not None:
            p = prev_row.get(c)
            prof["previous"] = (T.sentence(lang, "prev_line", score=T.num(p[0], lang), rank=_rank_str(p[1]),
                                           category=T.category_name(lang, p[2])) + " " + _move_text(rank[i], p[1], lang)
                                if p else T.sentence(lang, "prev_missing"))
        profiles.append(prof)

    # ---- strategic issues and recommendations -------------------------------
    issues = strategic_issues(result)
    issue_rows = []
    for k, t_ in enumerate(issues, 1):
        dim = next((a for a in tree.ancestors(t_.code) if a in dims), "")
        issue_rows.append({
            "no": str(k), "code": t_.code, "name": ind_names[t_.code], "dimension": dim_names.get(dim, ""),
            "regions": str(t_.regions), "share": T.percent(t_.share, lang),
            "top": ", ".join(f"{_name(result, i)} ({T.raw_value(float(result.raw[i, result.indicators.index(t_.code)]), lang)})"
                             for i in t_.top)})
    if recommendations is not None:
        rec_items = [{"issue": f"{t_.code} {ind_names[t_.code]}",
                      "actions": [a.text.get(lang) for a in recommendations.for_node(spec, t_.code)]}
                     for t_ in issues]
        rec = {"intro": T.sentence(lang, "rec_intro", file=f"rekomendasi/{recommendations.file}"),
               "items": [r for r in rec_items if r["actions"]], "standard": []}
    else:
        rec = {"intro": T.sentence(lang, "rec_none"), "items": [],
               "standard": [a.text.get(lang) for a in standard_actions()]}

    # ---- annex --------------------------------------------------------------
    tables = []
    inds = result.indicators
    for s0 in range(0, len(inds), ANNEX_CHUNK):
        cols = inds[s0:s0 + ANNEX_CHUNK]
        js = [inds.index(c) for c in cols]
        tables.append({"title": f"{cols[0]}–{cols[-1]}" if len(cols) > 1 else cols[0], "cols": cols,
                       "rows": [[result.codes[i], _name(result, i)] +
                                [T.raw_value(float(result.raw[i, j]), lang) for j in js] for i in order]})

    recipe = [[k, v] for k, v in result.recipe.items()]
    return {
        "lang": lang, "w": w, "synthetic": bool(result.synthetic), "mark": SYNTHETIC_MARK,
        "synthetic_note": w["synthetic_note"],
        "title": title or w["report"], "subtitle": spec.title.get(lang), "place": place,
        "level_label": level_label, "date": T.long_date(date, lang), "n": str(n),
        "model": {"id": spec.id, "version": spec.version},
        "assumption_note": w["assumption_note"].format(codes=", ".join(a["code"] for a in assumptions)) if assumptions else "",
        "produced_by": w["produced_by"].format(version=__version__),
        "recipe": recipe,
        "summary": {"paragraphs": paragraphs, "counts": counts, "top": top, "drivers": drivers},
        "province_map": _slot(province_map),
        "methodology": {"hierarchy": hierarchy, "methods": methods, "cutoffs": cutoffs, "assumptions": assumptions,
                        "sources": sources, "data": data_lines, "completeness": completeness},
        "ranking": ranking, "dimensions": dimensions, "profiles": profiles,
        "issues": {"intro": T.sentence(lang, "issues_intro"), "rows": issue_rows},
        "recommendations": rec,
        "annex": {"intro": T.sentence(lang, "annex_intro"), "tables": tables},
        "attribution": _attribution(lang, maps),
        "previous_note": w["previous_note"] if previous is not None else "",
        "robust": bool(robust),
    }


def _slot(slot) -> dict:
    if isinstance(slot, dict):
        return slot
    return {"svg": slot.svg or "", "reason": slot.reason or ""}


def _move(now: float, before: float) -> str:
    if math.isnan(now) or math.isnan(before):
        return ""
    d = int(before - now)
    return "▲" + str(d) if d > 0 else ("▼" + str(-d) if d < 0 else "=")


def _move_text(now: float, before: float, lang: str) -> str:
    if math.isnan(now) or math.isnan(before):
        return ""
    d = int(before - now)
    if lang == "id":
        return f"Naik {d} peringkat." if d > 0 else (f"Turun {-d} peringkat." if d < 0 else "Peringkat tetap.")
    return f"Up {d} places." if d > 0 else (f"Down {-d} places." if d < 0 else "Same rank.")


def _robustness(uncertainty: Any, lang: str) -> dict[str, dict]:
    """Per region: 5%-95% rank interval and class stability from rawan.engine.uncertainty."""
    if uncertainty is None:
        return {}
    t = uncertainty.table
    out = {}
    for code, lo, hi, stab in zip(t["code"], t["rank_p05"], t["rank_p95"],
                                  t["class_stability"] if "class_stability" in t else [math.nan] * len(t)):
        out[str(code)] = {"lo": _rank_str(float(np.floor(lo + 1e-9))) if not math.isnan(lo) else "–",
                          "hi": _rank_str(float(np.ceil(hi - 1e-9))) if not math.isnan(hi) else "–",
                          "stability": T.percent(float(stab), lang)}
    return out


def _attribution(lang: str, maps: MapMaker) -> list[str]:
    lines = []
    if lang == "id":
        lines.append("Perangkat lunak: rawan (lisensi Apache-2.0); tata letak PDF dengan Typst (lisensi Apache-2.0).")
        lines.append("Huruf: DejaVu Sans (lisensi Bitstream Vera / DejaVu, bebas disematkan), dibawa oleh paket matplotlib.")
    else:
        lines.append("Software: rawan (Apache-2.0 licence); PDF typesetting by Typst (Apache-2.0 licence).")
        lines.append("Font: DejaVu Sans (Bitstream Vera / DejaVu licence, free to embed), shipped with matplotlib.")
    lines.append(T.words(lang)["map_attr"])
    return lines


def data_label(path: Path | str | None) -> str:
    return Path(path).name if path else ""
