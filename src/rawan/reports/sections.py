"""Report sections that are about the method and the data rather than single regions:
methodology, strategic issues, recommendations, annex, sources and attribution."""

from __future__ import annotations

import numpy as np

from . import text as T
from .content import Ctx
from .issues import by_organisation, standard_recommendations
from .labels import kind_text, method_text

ANNEX_CHUNK = 10


def _method_line(ctx: Ctx, step: str, code: str) -> str:
    """What the method does, in words (rawan.reports.labels), never its code."""
    r = ctx.tree.resolve(ctx.spec, code, step)
    summary = r.method.summary.get(ctx.lang, r.method.summary.get("id", ""))
    return method_text(step, r.method.name, r.params, ctx.lang, fallback=summary)


def _asm_refs(ctx: Ctx, codes) -> str:
    """Assumption codes as their numbers in the Assumptions list ("A3, A5")."""
    return ", ".join(ctx.asm_number.get(c, c) for c in codes)


def _pct(x: float, lang: str) -> str:
    return T.num(100 * x, lang, 2) + "%"


def methodology(ctx: Ctx, data_name: str) -> dict:
    spec, tree, lang, w, result = ctx.spec, ctx.tree, ctx.lang, ctx.w, ctx.result
    from ..engine import effective_weights

    eff = effective_weights(spec)
    hierarchy = []
    for node in spec.hierarchy:
        agg = node.type == "aggregate"
        weight = T.num(node.weight, lang, 0 if float(node.weight).is_integer() else 2)
        if node.parent is not None:  # the weight given, and the node's effective share of the index
            weight += f" ({_pct(eff[node.code], lang)})"
        hierarchy.append({
            "code": "" if agg else node.code, "name": node.name.get(lang), "depth": len(tree.ancestors(node.code)),
            "type": w["aggregate"] if agg else (kind_text(node.kind, lang) or w["indicator_t"]),
            "weight": weight,
            "direction": "" if agg else ("+1" if node.direction > 0 else "−1"),
            "method": method_text("aggregation", tree.resolve(spec, node.code, "aggregation").method.name, {}, lang)
            if agg else "",
        })
    first = result.indicators[0]
    methods = [T.sentence(lang, "method_imp", m=_method_line(ctx, "imputation", first)),
               T.sentence(lang, "method_norm", m=_method_line(ctx, "normalisation", first)),
               T.sentence(lang, "method_agg", m=_method_line(ctx, "aggregation", ctx.root),
                          cov=T.percent(tree.min_coverage(spec, ctx.root), lang))]
    ind_eff = [eff[c] for c in tree.indicators]
    methods.append(T.sentence(lang, "weights_" + spec.weights_at, lo=_pct(min(ind_eff), lang),
                              hi=_pct(max(ind_eff), lang),
                              asm=f" ({w['assumption_word']} {_asm_refs(ctx, [spec.weights_assumption])})"
                              if spec.weights_assumption else ""))
    methods.append(result.reference.sentence(lang))
    if result.is_subset:
        methods.append(T.sentence(lang, "two_ranks", n=ctx.n, ref=result.reference_size))
    ua = ctx.uncertainty
    if ua is not None:
        methods.append(T.sentence(lang, "robust_method", runs=ua.runs, seed=ua.seed if ua.seed is not None else "-"))
    cutoffs = []
    rule = next(iter(spec.category_rules(result.region_level)), None)
    note = rule.note.get(lang) if rule is not None and rule.note else ""
    for node_code, c in result.categories.items():
        cuts = " · ".join(T.num(x, lang) for x in c.cutoffs)
        line = T.sentence(lang, "cutoff_rule", rule=method_text("classification", c.rule, getattr(c, "params", None),
                                                                lang), level=ctx.level_label, cuts=cuts)
        src = f" [{c.source}]" if c.source else ""
        asm_codes = [x.strip() for x in str(c.assumption).split(",")] if c.assumption else []
        asm = f" ({w['assumption_word']} {_asm_refs(ctx, asm_codes)})" if asm_codes else ""
        cutoffs.append(f"{spec.node(node_code).name.get(lang)}: {line}{src}{asm} {note}".strip())
        if spec.scale is not None:
            lo, hi = spec.scale.min, spec.scale.max
            empty = [lab for k, cut in enumerate(c.cutoffs) for lab in
                     (c.labels[:k + 1] if cut <= lo else c.labels[k + 1:] if cut > hi else [])]
            for lab in dict.fromkeys(empty):
                cutoffs.append(T.sentence(lang, "unreachable", label=T.category_name(lang, lab),
                                          lo=T.num(lo, lang, 0), hi=T.num(hi, lang, 0)))
    for p in result.warnings:  # rules that mislead, said with their reason (outside-scale: above)
        if p.key.startswith("rule.") and p.key != "rule.cut_outside_scale":
            cutoffs.append(f"{w['warning_word']}: {p.render(lang)}")
    assumptions = [{"code": ctx.asm_number[a.code], "text": a.text.get(lang),
                    "reason": a.reason.get(lang) if a.reason else ""} for a in spec.assumptions]
    # the model's source notes are English working notes: shown in the English book only
    sources = [{"id": s.id, "title": s.title_in(lang), "url": s.url or "", "confidence": s.confidence or "",
                "note": (s.note or "") if lang == "en" else ""} for s in spec.sources]
    rec = ctx.recommendations
    if rec is not None:
        for a in rec.assumptions:
            text = a.get("text", {})
            assumptions.append({"code": ctx.asm_number.get(a.get("code", ""), ""),
                                "text": " ".join(str(text.get(lang) or text.get("id", "")).split()), "reason": ""})
        for s in rec.sources:
            title = s.get("title", "")
            title = (title.get(lang) or title.get("id", "")) if isinstance(title, dict) else title
            sources.append({"id": s.get("id", ""), "title": " ".join(str(title).split()),
                            "url": s.get("url", ""), "confidence": s.get("confidence", ""),
                            "note": "" if lang != "en" else " ".join(str(s.get("note", "")).split())})
    cov = ctx.cov
    completeness = T.sentence(lang, "completeness", mean=T.percent(float(np.mean(cov)), lang),
                              k=int(np.sum(cov < 1 - 1e-12)), min=T.percent(float(np.min(cov)), lang))
    data = [T.sentence(lang, "data_file", file=data_name or "-", n=ctx.n, hash=result.recipe["data_sha256"][:16])]
    return {"hierarchy": hierarchy, "methods": methods, "cutoffs": cutoffs, "assumptions": assumptions,
            "sources": sources, "data": data, "completeness": completeness}


def issues(ctx: Ctx) -> dict:
    result, lang = ctx.result, ctx.lang
    col = {c: j for j, c in enumerate(result.indicators)}
    rows = []
    for k, t in enumerate(ctx.strategic, 1):
        dim = next((a for a in ctx.tree.ancestors(t.code) if a in ctx.dim_names), "")
        rows.append({
            "no": str(k), "code": t.code, "name": ctx.ind_names[t.code], "dimension": ctx.dim_names.get(dim, ""),
            "regions": str(t.regions), "share": T.percent(t.share, lang),
            "top": ", ".join(f"{_with_parent(ctx, i)} ({T.raw_value(float(result.raw[i, col[t.code]]), lang)})"
                             for i in t.top)})
    return {"intro": T.sentence(lang, "issues_intro"), "rows": rows}


def recommendations(ctx: Ctx) -> dict:
    rec, lang = ctx.recommendations, ctx.lang
    if rec is None:
        std = standard_recommendations()
        return {"intro": T.sentence(lang, "rec_none"), "items": [],
                "standard": [a.text.get(lang) for a in std.actions.values()],
                "orgs_intro": T.sentence(lang, "rec_orgs_intro"), "orgs": by_organisation(std, lang)}
    items = [{"issue": f"{t.code} {ctx.ind_names[t.code]}",
              "actions": [a.text.get(lang) for a in rec.for_node(ctx.spec, t.code)]} for t in ctx.strategic]
    related: dict[str, list[str]] = {}  # node -> names of this edition's strategic issues under it
    for t in ctx.strategic:
        for node in [t.code, *ctx.tree.ancestors(t.code)]:
            related.setdefault(node, []).append(ctx.ind_names[t.code])
    return {"intro": T.sentence(lang, "rec_intro", file=f"rekomendasi/{rec.file}"),
            "items": [r for r in items if r["actions"]], "standard": [],
            "orgs_intro": T.sentence(lang, "rec_orgs_intro"), "orgs": by_organisation(rec, lang, related)}


def stages(spec, lang: str, events: dict | None = None) -> dict | None:
    """The model's election stages (tahapan) for the stages chapter, or None when it names none.

    Each stage by its name in the model file, the parts of the index the model maps to it (only when
    the model file says so: ``stages[].nodes``) and, with ``events`` (the web app's verified events
    after publication: ``{"counts": {stage: n}, "unstaged": n, "last": date}``), the count per
    stage.  A computed edition has no per-stage score; the chapter says so."""
    if not spec.stages:
        return None
    mapped = any(st.nodes for st in spec.stages)
    intro = [T.sentence(lang, "stages_model", model=spec.id), T.sentence(lang, "stages_mapped" if mapped
                                                                         else "stages_unmapped")]
    if events is None:
        intro.append(T.sentence(lang, "stages_no_events"))
    else:
        total = sum(events.get("counts", {}).values()) + events.get("unstaged", 0)
        unstaged = T.sentence(lang, "stages_unstaged", n=events["unstaged"]) if events.get("unstaged") else ""
        intro.append(T.sentence(lang, "stages_events", total=total, unstaged=unstaged,
                                last=T.long_date(events["last"], lang)) if total
                     else T.sentence(lang, "stages_events_none"))
    w = T.words(lang)
    items = []
    for st in spec.stages:
        lines = []
        if st.nodes:
            lines.append(w["stage_nodes"] + ": " + "; ".join(f"{spec.node(c).name.get(lang)} ({c})" for c in st.nodes))
        if st.voting:
            lines.append(T.sentence(lang, "stage_voting"))
        if events is not None:
            lines.append(T.sentence(lang, "stage_events", n=events.get("counts", {}).get(st.code, 0)))
        items.append({"name": st.name.get(lang), "national": "", "items": lines})
    return {"intro": " ".join(intro), "items": items}


def annex(ctx: Ctx) -> dict:
    result, inds = ctx.result, ctx.result.indicators
    tables = []
    for s0 in range(0, len(inds), ANNEX_CHUNK):
        cols = inds[s0:s0 + ANNEX_CHUNK]
        js = range(s0, s0 + len(cols))
        tables.append({"title": f"{cols[0]}–{cols[-1]}" if len(cols) > 1 else cols[0], "cols": cols,
                       "rows": [[result.codes[i], _with_parent(ctx, i)] + [T.raw_value(float(result.raw[i, j]), ctx.lang)
                                                                   for j in js] for i in ctx.order]})
    return {"intro": T.sentence(ctx.lang, "annex_intro"), "tables": tables}


def _with_parent(ctx: Ctx, i: int) -> str:
    """A kecamatan's or desa's name with its kab/kota ("Koto Baru · Sungai Penuh"): names repeat across a province."""
    p = ctx.maps.parent_of(ctx.result.codes[i], ctx.level)
    return f"{ctx.name(i)} · {p}" if p else ctx.name(i)


def attribution(lang: str) -> list[str]:
    if lang == "id":
        lines = ["Perangkat lunak: rawan (lisensi Apache-2.0); tata letak PDF dengan Typst (lisensi Apache-2.0).",
                 "Huruf: DejaVu Sans (lisensi Bitstream Vera / DejaVu, bebas disematkan), dibawa oleh paket matplotlib."]
    else:
        lines = ["Software: rawan (Apache-2.0 licence); PDF typesetting by Typst (Apache-2.0 licence).",
                 "Font: DejaVu Sans (Bitstream Vera / DejaVu licence, free to embed), shipped with matplotlib."]
    return lines + [T.words(lang)["map_attr"]]
