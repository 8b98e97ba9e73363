"""The content of a report as plain data (strings, numbers, SVG), in one language.

Both renderers (typst for PDF, HTML) lay out this same structure, so the two
formats say the same thing.  Everything is computed here; the templates only
place it.  This module holds what is about the regions (summary, maps,
ranking, dimensions, profiles); :mod:`.sections` the rest (methodology,
strategic issues, recommendations, annex, sources).
"""

from __future__ import annotations

import math
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..engine import Result, explain
from ..vocabulary import SYNTHETIC_COLOUR, SYNTHETIC_MARK
from . import text as T
from .charts import dimension_bars
from .issues import Recommendations, strategic_issues
from .labels import typeset_strings
from .maps import MapMaker, category_colours, text_on

TOP_N = 5
UNSTABLE_BELOW = 0.8
# The book promises its smallest map text in print.  The profile's locator map is drawn 320 px wide
# into a 6.6 cm column (0.585 pt/px): its names, kept at 11 px (no smaller fallback), print at 6.4 pt.
LOCATOR_WIDTH = 320
LOCATOR_LABEL = 11.0
# A map that numbers its regions (kecamatan, desa: too many to name) fills a landscape page of its own
# (A4, 1.5 cm margins, under its heading), its numbered key in the text of the next page.  The 144
# kecamatan map (800 x 612 px) prints ~210 mm wide (0.75 pt/px): its numbers, kept at 10 px, print at
# ~7.2 pt (6.5 pt on a dimension map, under its longer heading), the kab/kota names at 11 px at ~8 pt
# (tests/test_reports.py measures them in the PDF).
NUMBER_SIZE = 10.0


def _rank_str(r: float) -> str:
    return "–" if math.isnan(r) else str(int(r))


def _name(result: Result, i: int) -> str:
    return result.names[i] if result.names and result.names[i] else result.codes[i]


def _order(result: Result) -> list[int]:
    """Rows in rank order (ties by code, no score last)."""
    rank = result.rank()
    return sorted(range(len(result.codes)),
                  key=lambda i: (math.isnan(rank[i]), 0 if math.isnan(rank[i]) else rank[i], result.codes[i]))


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


def _slot(slot) -> dict:
    return {"svg": slot.svg or "", "reason": slot.reason or ""}


def book_map(maps: MapMaker, values: dict, **kw) -> dict:
    """A full-width map of the book: names and numbers at their fixed print sizes; a numbered map
    (``wide``: printed on a landscape page of its own) comes with its key as text."""
    key: list = []
    slot = _slot(maps.draw(values, label_size=11.0, number_size=NUMBER_SIZE, fixed_size=True, key_out=key, **kw))
    slot["key"] = [{"n": "" if n is None else str(n), "name": name, "head": n is None} for n, name in key]
    slot["wide"] = bool(key)
    return slot


class Ctx:
    """What every section needs: the result, its words, and values computed once."""

    def __init__(self, result: Result, lang: str, maps: MapMaker, previous: Result | None,
                 recommendations: Recommendations | None, uncertainty: Any):
        self.result = result
        self.spec = spec = result.spec
        self.tree = tree = spec.tree
        self.lang = lang
        self.w = T.words(lang)
        self.maps = maps
        self.previous = previous
        self.recommendations = recommendations
        self.uncertainty = uncertainty
        self.colours = category_colours()
        self.n = len(result.codes)
        self.level = result.region_level or ""
        self.level_label = self.w.get(f"level_{self.level}", self.w["region"].lower())
        self.root = tree.root
        self.dims = list(tree.children[tree.root])
        self.dim_names = {d: spec.node(d).name.get(lang) for d in self.dims}
        self.ind_names = {c: spec.node(c).name.get(lang) for c in result.indicators}
        self.score = result.score(tree.root)
        self.rank = result.rank()
        self.ref_rank = result.rank_in_reference
        self.cat = result.categories.get(tree.root)
        self.labels = [self.cat.label_of(i) if self.cat else None for i in range(self.n)]
        self.order = _order(result)
        self.place = _province(result, maps, lang)
        self.cov = result.coverage()
        rec_asm = [a.get("code", "") for a in (recommendations.assumptions if recommendations else [])]
        # assumptions are numbered A1, A2, ... in the book: their codes are slugs, never printed
        self.asm_number = {c: f"A{k}" for k, c in enumerate([a.code for a in spec.assumptions] + rec_asm, 1)}

    def name(self, i: int) -> str:
        return _name(self.result, i)

    def num(self, x: float, nd: int = 2) -> str:
        return T.num(x, self.lang, nd)

    def cat_cell(self, label: str | None) -> dict:
        """How a category is shown: label, short label, background and text colours."""
        if self.cat is None:
            bg = self.colours[None]
            return {"cat": "", "category": self.w["no_category"], "short": "–", "colour": bg, "fg": text_on(bg)}
        bg = self.colours.get(label, self.colours[None])
        return {"cat": label or "", "category": T.category_name(self.lang, label),
                "short": T.category_short(self.lang, label), "colour": bg, "fg": text_on(bg)}

    @cached_property
    def explanations(self):
        return [explain(self.result, c, top=TOP_N) for c in self.result.codes]

    @cached_property
    def dim_means(self) -> dict[str, float]:
        out = {}
        for d in self.dims:
            s = self.result.score(d)
            out[d] = float(np.nanmean(s)) if np.any(~np.isnan(s)) else math.nan
        return out

    @cached_property
    def strategic(self):
        return strategic_issues(self.result)

    @cached_property
    def cat_values(self) -> dict:
        return {self.result.codes[i]: self.labels[i] for i in range(self.n)}

    @cached_property
    def previous_rows(self) -> dict[str, tuple[float, float, str | None]]:
        """code -> (score, rank, category) in the previous edition."""
        prev = self.previous
        if prev is None:
            return {}
        root = prev.spec.tree.root
        pcat = prev.categories.get(root)
        s, r = prev.score(root), prev.rank()
        return {c: (float(s[i]), float(r[i]), pcat.label_of(i) if pcat else None) for i, c in enumerate(prev.codes)}

    @cached_property
    def robust(self) -> dict[str, dict]:
        """code -> 5%-95% rank interval and class stability (rawan.engine.uncertainty)."""
        if self.uncertainty is None:
            return {}
        t = self.uncertainty.table
        stab = t["class_stability"] if "class_stability" in t else [math.nan] * len(t)
        out = {}
        for code, lo, hi, st in zip(t["code"], t["rank_p05"], t["rank_p95"], stab):
            out[str(code)] = {"lo": "–" if math.isnan(lo) else _rank_str(float(np.floor(lo + 1e-9))),
                              "hi": "–" if math.isnan(hi) else _rank_str(float(np.ceil(hi - 1e-9))),
                              "stability": T.percent(float(st), self.lang), "value": float(st)}
        return out

    @cached_property
    def unstable(self) -> list[str]:
        """Codes whose category holds in fewer than UNSTABLE_BELOW of the robustness runs (rank order)."""
        rb = self.robust
        return [self.result.codes[i] for i in self.order
                if self.result.codes[i] in rb and not math.isnan(rb[self.result.codes[i]]["value"])
                and rb[self.result.codes[i]]["value"] < UNSTABLE_BELOW]


# ---------------------------------------------------------------- sections about regions

def summary(ctx: Ctx) -> dict:
    lang, w, n = ctx.lang, ctx.w, ctx.n
    count = {k: ctx.labels.count(k) for k in ("tinggi", "sedang", "rendah")}
    nodata = int(np.sum(np.isnan(ctx.score)))
    counts = []
    if ctx.cat is not None:
        counts = [{"n": count[k], "share": T.percent(count[k] / n, lang), **ctx.cat_cell(k)}
                  for k in ("tinggi", "sedang", "rendah")]
        if nodata:
            counts.append({"n": nodata, "share": T.percent(nodata / n, lang), **ctx.cat_cell(None)})
    top = [{"rank": _rank_str(ctx.rank[i]), "name": ctx.name(i), "code": ctx.result.codes[i],
            "parent": ctx.maps.parent_of(ctx.result.codes[i], ctx.level),
            "score": ctx.num(ctx.score[i]), **ctx.cat_cell(ctx.labels[i])}
           for i in ctx.order[:TOP_N] if not math.isnan(ctx.score[i])]
    # mean contribution of each indicator to the index, over the regions with a score
    inds = ctx.result.indicators
    col = {c: j for j, c in enumerate(inds)}
    contrib = np.zeros(len(inds))
    scored = [e for e in ctx.explanations if not math.isnan(e.score)]
    for e in scored:
        for c in e.contributions:
            if c.code in col:
                contrib[col[c.code]] += c.to_index
    contrib /= max(len(scored), 1)
    drivers = [{"code": inds[j], "name": ctx.ind_names[inds[j]], "value": ctx.num(contrib[j])}
               for j in sorted(range(len(inds)), key=lambda j: (-contrib[j], j))[:TOP_N] if contrib[j] > 0]
    means = ctx.dim_means
    best = max(ctx.dims, key=lambda d: (np.nan_to_num(means[d], nan=-1), -ctx.dims.index(d)))
    paragraphs = [
        T.sentence(lang, "counts", n=n, level=ctx.level_label, tinggi=count["tinggi"], sedang=count["sedang"],
                   rendah=count["rendah"], nodata=T.sentence(lang, "nodata", k=nodata) if nodata else "")
        if ctx.cat is not None else T.sentence(lang, "no_rule", n=n, level=ctx.level_label),
        T.sentence(lang, "top", regions=", ".join(f"{t['name']} ({t['score']})" for t in top[:3])),
        T.sentence(lang, "dim", dim=ctx.dim_names[best], score=ctx.num(means[best])),
    ]
    if drivers:
        paragraphs.append(T.sentence(lang, "drivers", indicators="; ".join(d["name"] for d in drivers[:3])))
    paragraphs.append(stability_sentence(ctx))
    if ctx.level == "kabupaten_kota":  # the province figure: its approach, or why there is none
        paragraphs.append(T.sentence(lang, "province_not_computed"))
    return {"paragraphs": paragraphs, "counts": counts, "top": top, "drivers": drivers}


def stability_sentence(ctx: Ctx) -> str:
    """Which regions' categories are unstable under the robustness analysis, or that none was run."""
    lang = ctx.lang
    if not ctx.robust:
        return T.sentence(lang, "no_robustness_run")
    idx = {c: i for i, c in enumerate(ctx.result.codes)}
    if not ctx.unstable:
        return T.sentence(lang, "all_stable", pct=T.percent(UNSTABLE_BELOW, lang))
    names = ", ".join(f"{ctx.name(idx[c])} ({ctx.robust[c]['stability']})" for c in ctx.unstable)
    return T.sentence(lang, "unstable", n=len(ctx.unstable), regions=names, pct=T.percent(UNSTABLE_BELOW, lang))


def province_map(ctx: Ctx) -> dict:
    return book_map(ctx.maps, ctx.cat_values, level=ctx.level, mode="category", title=ctx.w["map_province"],
                    subtitle=ctx.place, legend_title=ctx.w["legend"], unstable=ctx.unstable)


def ranking(ctx: Ctx) -> dict:
    result, robust, prev = ctx.result, ctx.robust, ctx.previous_rows
    rows = []
    for i in ctx.order:
        c = result.codes[i]
        row = {"rank": _rank_str(ctx.rank[i]), "code": c, "name": ctx.name(i), "score": ctx.num(ctx.score[i]),
               "parent": ctx.maps.parent_of(c, ctx.level),
               "dims": [ctx.num(result.score(d)[i]) for d in ctx.dims],
               "completeness": T.percent(float(ctx.cov[i]), ctx.lang), **ctx.cat_cell(ctx.labels[i])}
        if robust:
            rb = robust.get(c)
            row["range"] = f"{rb['lo']}–{rb['hi']}" if rb else "–"
            row["stability"] = rb["stability"] if rb else "–"
            row["unstable"] = c in ctx.unstable
        if ctx.previous is not None:
            p = prev.get(c)
            row["prev_rank"] = _rank_str(p[1]) if p else "–"
            row["move"] = _move(ctx.rank[i], p[1] if p else math.nan)
        rows.append(row)
    return {"dims": [{"code": d, "name": ctx.dim_names[d]} for d in ctx.dims], "rows": rows,
            "previous": ctx.previous is not None, "robust": bool(robust),
            "parent_col": ctx.level in ("kecamatan", "desa_kelurahan")}


def dimensions(ctx: Ctx) -> list[dict]:
    """One map per dimension, all on one colour scale (the model's score scale, else the range of every
    dimension score) and one ramp that is not the category colours."""
    result, out = ctx.result, []
    if ctx.spec.scale is not None:
        scale = (float(ctx.spec.scale.min), float(ctx.spec.scale.max))
    else:
        allv = np.concatenate([result.score(d) for d in ctx.dims]) if ctx.dims else np.array([])
        allv = allv[~np.isnan(allv)]
        scale = (float(allv.min()), float(allv.max())) if len(allv) else None
    for d in ctx.dims:
        s, dr = result.score(d), result.rank(d)
        best = sorted((i for i in range(ctx.n) if not math.isnan(s[i])), key=lambda i: (dr[i], result.codes[i]))
        values = {result.codes[i]: (None if math.isnan(s[i]) else float(s[i])) for i in range(ctx.n)}
        out.append({
            "code": d, "name": ctx.dim_names[d], "intro": T.sentence(ctx.lang, "dim_intro", dim=ctx.dim_names[d]),
            "mean": ctx.num(ctx.dim_means[d]),
            "map": book_map(ctx.maps, values, level=ctx.level, mode="continuous", title=ctx.dim_names[d],
                            subtitle=ctx.place, legend_title=ctx.w["score"], value_range=scale, ramp="dimension"),
            "top": [{"rank": _rank_str(dr[i]), "name": ctx.name(i), "score": ctx.num(s[i]),
                     "parent": ctx.maps.parent_of(result.codes[i], ctx.level)} for i in best[:TOP_N]],
        })
    return out


def _cut_lines(ctx: Ctx, e) -> list[str]:
    """How far the score is from the next cut-offs; a cut-off outside the model's scale is unreachable."""
    w, spec = ctx.w, ctx.spec
    if e.category is None:
        return []
    lo, hi = (spec.scale.min, spec.scale.max) if spec.scale else (-math.inf, math.inf)
    lines = []
    if e.cutoff_up and e.cutoff_up[1] > hi:
        lines.append(w["top_reachable"])
    elif e.cutoff_up:
        lines.append(w["to_up"].format(label=T.category_name(ctx.lang, e.cutoff_up[0]),
                                       gap=ctx.num(e.cutoff_up[2]), cut=ctx.num(e.cutoff_up[1])))
    else:
        lines.append(w["top_class"])
    if e.cutoff_down and e.cutoff_down[1] > lo:
        lines.append(w["to_down"].format(label=T.category_name(ctx.lang, e.cutoff_down[0]),
                                         gap=ctx.num(e.cutoff_down[2]), cut=ctx.num(e.cutoff_down[1])))
    return lines


def profiles(ctx: Ctx) -> list[dict]:
    result, lang, w, dims = ctx.result, ctx.lang, ctx.w, ctx.dims
    subdims = [a for d in dims for a in ctx.tree.children[d] if ctx.tree.nodes[a].type == "aggregate"]
    col = {c: j for j, c in enumerate(result.indicators)}
    out = []
    for i in ctx.order:
        e = ctx.explanations[i]
        c = result.codes[i]
        parent = c.rsplit(".", 1)[0] if "." in c else ""
        parent_name = ((ctx.maps.name_of(parent) or parent)
                       if parent and ctx.level not in ("provinsi", "kabupaten_kota") else "")
        label = ctx.labels[i]
        locator = ctx.maps.draw(ctx.cat_values, level=ctx.level, mode="category", marked=(c,), width=LOCATOR_WIDTH,
                                parent=parent if parent_name else None, title=ctx.name(i),
                                subtitle=parent_name or ctx.place, legend_title=w["legend"], marked_label=ctx.name(i),
                                unstable=ctx.unstable, label_size=LOCATOR_LABEL, fixed_size=True)
        missing = [code for code, j in col.items() if math.isnan(result.raw[i, j])]
        prof = {
            "code": c, "name": ctx.name(i), "parent": parent_name, "score": ctx.num(ctx.score[i]),
            "rank_line": (T.sentence(lang, "rank_of_both", rank=_rank_str(ctx.rank[i]), n=ctx.n,
                                     ref_rank=_rank_str(ctx.ref_rank[i]), ref=result.reference_size)
                          if result.is_subset else T.sentence(lang, "rank_of", rank=_rank_str(ctx.rank[i]), n=ctx.n)),
            **ctx.cat_cell(label),
            "chart": dimension_bars([(ctx.dim_names[d], float(result.score(d)[i]), ctx.dim_means[d]) for d in dims],
                                    lang),  # one neutral bar colour: a dimension score is not a category
            "map": _slot(locator),
            "breakdown": [{"name": ctx.spec.node(a).name.get(lang), "score": ctx.num(result.score(a)[i]),
                           "rank": _rank_str(result.rank(a)[i]), "depth": 0 if a in ctx.dim_names else 1}
                          for d in dims for a in [d, *(x for x in subdims if ctx.tree.nodes[x].parent == d)]],
            "drivers": [{"code": dv.code, "name": ctx.ind_names[dv.code],
                         "value": T.raw_value(float(result.raw[i, col[dv.code]]), lang),
                         "score": ctx.num(dv.score), "contribution": ctx.num(dv.to_index)}
                        for dv in e.top_drivers],
            "cut_lines": _cut_lines(ctx, e),
            "completeness": T.percent(float(ctx.cov[i]), lang),
            "missing": ", ".join(missing) if missing else w["none"],
            "previous": None, "robust": ctx.robust.get(c),
        }
        if ctx.previous is not None:
            p = ctx.previous_rows.get(c)
            prof["previous"] = (T.sentence(lang, "prev_line", score=ctx.num(p[0]), rank=_rank_str(p[1]),
                                           category=T.category_name(lang, p[2])) + " "
                                + _move_text(ctx.rank[i], p[1], lang) if p else T.sentence(lang, "prev_missing"))
        out.append(prof)
    return out


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


# ---------------------------------------------------------------- the whole report

def build_content(result: Result, *, lang: str = "id", title: str | None = None, date: str,
                  maps: MapMaker, previous: Result | None = None,
                  recommendations: Recommendations | None = None,
                  uncertainty: Any = None, data_name: str = "") -> dict:
    from . import sections

    ctx = Ctx(result, lang, maps, previous, recommendations, uncertainty)
    w, spec = ctx.w, ctx.spec
    maps.source_line = T.sentence(lang, "map_source", title=title or w["report"], model=f"{spec.id} {spec.version}",
                                  data=data_name or "-", date=T.long_date(date, lang))
    method = sections.methodology(ctx, data_name)
    n_asm = len(method["assumptions"])
    return typeset_strings({
        "lang": lang, "w": w, "synthetic": bool(result.synthetic), "mark": SYNTHETIC_MARK, "mark_colour": SYNTHETIC_COLOUR,
        "synthetic_note": w["synthetic_note"],
        "title": title or w["report"], "subtitle": spec.title.get(lang), "place": ctx.place,
        "level_label": ctx.level_label, "date": T.long_date(date, lang), "n": str(ctx.n),
        "model": {"id": spec.id, "version": spec.version},
        "assumption_note": w["assumption_note"].format(n=n_asm) if n_asm else "",
        "produced_by": w["produced_by"].format(version=__version__),
        "recipe": T.recipe_rows(result.recipe, lang),
        "summary": summary(ctx),
        "province_map": province_map(ctx),
        "methodology": method,
        "ranking": ranking(ctx), "dimensions": dimensions(ctx), "profiles": profiles(ctx),
        "issues": sections.issues(ctx),
        "recommendations": sections.recommendations(ctx),
        "annex": sections.annex(ctx),
        "attribution": sections.attribution(lang),
        "previous_note": w["previous_note"] if previous is not None else "",
        "robust": bool(ctx.robust),
    })


def data_label(path: Path | str | None) -> str:
    return Path(path).name if path else ""
