"""compute(spec, data) -> Result: scores at every level, ranks, categories, recipe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import methods as M
from .data import Dataset
from .errors import ComputeError, DataError, Problem, register_messages
from .reference import Reference, ReferenceInfo
from .result import Categories, Result  # noqa: F401  (Result is also imported from here)
from .rules import check_cutoffs
from .spec import REGION_LEVELS, Spec

# The values each kind accepts unless the node declares its own ``range``.  A count has a declared
# plausible maximum: 100 million, more than the population of any province, so nothing countable
# in one region exceeds it (a model narrows it per indicator with ``range``); any other number is
# bounded in magnitude, so 1e308 is an error naming the cell, not an index.
COUNT_MAX = 1e8
VALUE_MAX = 1e12
KIND_RANGES = {"binary": (0.0, 1.0), "count": (0.0, COUNT_MAX), "rate": (0.0, 100.0)}
DEFAULT_RANGE = (-VALUE_MAX, VALUE_MAX)

MESSAGES = {
    "compute.no_goalposts": {
        "id": "Indikator '{code}' tidak punya goalpost untuk tingkat wilayah '{level}'; tambahkan di model "
              "(goalposts: {{{level}: [rendah, tinggi]}} atau default).",
        "en": "Indicator '{code}' has no goalposts for region level '{level}'; add them to the model "
              "(goalposts: {{{level}: [low, high]}} or default).",
    },
    "compute.denominator_missing": {
        "id": "Model {model} membagi nilai indikator dengan kolom '{column}' ({name}), tetapi data{file_part} "
              "tidak punya kolom itu.",
        "en": "Model {model} divides indicator values by column '{column}' ({name}), but the data{file_part} "
              "has no such column.",
    },
    "compute.denominator_bad": {
        "id": "Wilayah {region}: kolom '{column}' ({name}) harus angka lebih dari 0, bukan '{value}'.",
        "en": "Region {region}: column '{column}' ({name}) must be a number greater than 0, not '{value}'.",
    },
}
register_messages(MESSAGES)

AUTO = "auto"


@dataclass
class Plan:
    """Everything compute() needs from a spec, resolved once and cached on the spec."""

    indicators: list[str]
    aggregates: list[str]
    directions: np.ndarray
    goalposts: dict[str | None, np.ndarray]  # region level (None = default) -> (m, 2), NaN = none
    low: np.ndarray  # allowed range per indicator (kind / range)
    high: np.ndarray
    binary: np.ndarray  # bool per indicator
    imputation: list[tuple[M.Method, dict, np.ndarray]]
    normalisation: list[tuple[M.Method, dict, np.ndarray]]
    steps: list[tuple[str, np.ndarray, np.ndarray, M.Method, dict, float]]  # per aggregate
    member: np.ndarray  # (m, p) 1 where an indicator lies under an aggregate
    leaf_count: np.ndarray  # (p,)

    @classmethod
    def build(cls, spec: Spec) -> "Plan":
        tree = spec.tree
        ind = tree.indicators
        nodes = [tree.nodes[c] for c in ind]
        kinds = [n.kind or "score" for n in nodes]
        ranges = [n.range if n.range is not None else KIND_RANGES.get(k, DEFAULT_RANGE)
                  for n, k in zip(nodes, kinds)]
        m = len(ind)
        col = {c: j for j, c in enumerate(ind)}
        col.update({a: m + k for k, a in enumerate(tree.aggregates)})
        member = np.zeros((m, len(tree.aggregates)))
        steps = []
        for k, a in enumerate(tree.aggregates):
            member[[col[c] for c in tree.leaves[a]], k] = 1.0
            kids = tree.children[a]
            r = tree.resolve(spec, a, "aggregation")
            steps.append((a, np.array([col[c] for c in kids]),
                          np.array([tree.nodes[c].weight for c in kids], dtype=float),
                          r.method, r.params, tree.min_coverage(spec, a)))
        return cls(
            indicators=list(ind), aggregates=list(tree.aggregates),
            directions=np.array([n.direction for n in nodes], dtype=float),
            goalposts=_goalposts(nodes),
            low=np.array([r[0] for r in ranges], dtype=float),
            high=np.array([r[1] for r in ranges], dtype=float),
            binary=np.array([k == "binary" for k in kinds]),
            imputation=_grouped(spec, ind, "imputation"),
            normalisation=_grouped(spec, ind, "normalisation"),
            steps=steps, member=member, leaf_count=member.sum(axis=0))


def _goalposts(nodes) -> dict[str | None, np.ndarray]:
    """Goalposts per region level; a plain [low, high] pair applies at every level."""
    levels: set[str | None] = {None}
    for n in nodes:
        if isinstance(n.goalposts, dict):
            levels |= {k for k in n.goalposts if k != "default"}
    out = {}
    for lv in levels:
        rows = []
        for n in nodes:
            g = n.goalposts
            if isinstance(g, dict):
                g = g.get(lv) if lv is not None and lv in g else g.get("default")
            rows.append(g if g is not None else (np.nan, np.nan))
        out[lv] = np.array(rows, dtype=float).reshape(len(nodes), 2)
    return out


def goalposts_for(plan: "Plan", region_level: str | None) -> np.ndarray:
    return plan.goalposts.get(region_level, plan.goalposts[None])


def _check_ranges(plan: Plan, spec: Spec, data: Dataset, X: np.ndarray) -> list[Problem]:
    """All values outside their kind's range, or infinite; vectorised, messages only for the bad."""
    lo = np.fmin.reduce(X, axis=0)  # NaN ignored
    hi = np.fmax.reduce(X, axis=0)
    suspect = np.isinf(lo) | np.isinf(hi) | (lo < plan.low) | (hi > plan.high)
    if plan.binary.any():
        B = X[:, plan.binary]
        suspect[plan.binary] |= np.any((B != 0) & (B != 1) & ~np.isnan(B), axis=0)
    if not suspect.any():
        return []
    with np.errstate(invalid="ignore"):
        bad = np.zeros(X.shape, dtype=bool)
        bad[:, suspect] = (np.isinf(X) | (X < plan.low) | (X > plan.high)
                           | (plan.binary & ~np.isnan(X) & (X != 0) & (X != 1)))[:, suspect]
    probs = []
    for i, j in zip(*np.nonzero(bad)):
        code = plan.indicators[j]
        v = X[i, j]
        if np.isinf(v):
            probs.append(Problem("data.not_finite", {"region": data.codes[i], "code": code, "value": f"{v:g}"}))
            continue
        kind = spec.tree.nodes[code].kind or "score"
        expected = "{0, 1}" if kind == "binary" else f"[{plan.low[j]:g}, {plan.high[j]:g}]"
        probs.append(Problem("data.out_of_range", {"region": data.codes[i], "code": code, "kind": kind,
                                                   "value": f"{v:g}", "expected": expected}))
    probs.sort(key=lambda p: (p.params["code"], p.params["region"]))
    return probs


def _grouped(spec: Spec, codes: list[str], step: str):
    """Indicator positions grouped by their resolved method and parameters, in order."""
    groups: dict[tuple, tuple[M.Method, dict, list[int]]] = {}
    for j, code in enumerate(codes):
        r = spec.tree.resolve(spec, code, step)
        key = (r.method.name, repr(sorted(r.params.items())))
        if key not in groups:
            groups[key] = (r.method, r.params, [])
        groups[key][2].append(j)
    out = []
    for method, params, cols in groups.values():
        idx = np.array(cols)
        if len(cols) == len(codes):
            idx = slice(None)  # every column: no gather, no copy
        out.append((method, params, idx))
    return out


def _run(method: M.Method, step: str, codes: list[str], *args, **params):
    """Call a method; a failure on this data becomes a sentence naming the indicators."""
    try:
        return method.func(*args, **params)
    except ValueError as e:
        raise ComputeError(Problem("compute.method_failed", {
            "step": step, "method": method.name, "code": "', '".join(codes), "detail": str(e)})) from None


def _denominator(spec: Spec, data: Dataset) -> np.ndarray | None:
    den = spec.denominator
    if den is None:
        return None
    name = den.name.get("id")
    if den.column in data.columns:
        v = data.values[:, data.columns.index(den.column)]
        shown = [f"{x:g}" for x in v]
    elif den.column in data.attributes:
        from .numbers import parse_numbers

        raw = data.attributes[den.column]
        p = parse_numbers(np.asarray(raw, dtype=object))
        v = np.where(p.ambiguous | p.bad, np.nan, p.values)  # "30.000" without a locale: not a DPT
        shown = [str(x) for x in raw]
    else:
        file_part = f" ({data.source})" if data.source else ""
        raise DataError(Problem("compute.denominator_missing", {
            "model": spec.id, "column": den.column, "name": name, "file_part": file_part}))
    bad = np.flatnonzero(~(v > 0) | ~np.isfinite(v))
    if bad.size:
        raise DataError([Problem("compute.denominator_bad", {
            "region": data.codes[i], "column": den.column, "name": name, "value": shown[i]}) for i in bad[:50]])
    return np.asarray(v, dtype=float)


def coverage_matrix(plan: Plan, available: np.ndarray, mode: str) -> np.ndarray:
    """(n, p) data availability of every aggregate from the indicators' availability (n, m).

    ``indicators``: share of the indicators beneath with data; ``children`` (COINr's dat_thresh):
    share of the direct children with a score, an aggregate child below its threshold counting
    as missing."""
    n, m = available.shape
    if mode != "children":
        # counts of available indicators beneath each aggregate, summed up the tree child by child
        # (whole numbers: exact; one pass over the indicators, then sums of counts)
        cnt = np.empty((n, len(plan.aggregates)), order="F")  # whole columns written and read
        for k, (_a, idx, *_rest) in enumerate(plan.steps):
            acc = cnt[:, k]  # a view: summed in place (no temporary per aggregate)
            acc[...] = 0.0
            for c in idx:
                acc += available[:, c] if c < m else cnt[:, c - m]
        cnt /= plan.leaf_count
        return cnt
    has = np.empty((n, m + len(plan.aggregates)), dtype=bool)
    has[:, :m] = available
    cov = np.empty((n, len(plan.aggregates)))
    for k, (_a, idx, _w, _method, _params, min_cov) in enumerate(plan.steps):
        ch = has[:, idx]
        cov[:, k] = ch.sum(axis=1) / len(idx)
        has[:, m + k] = ch.any(axis=1) & ~(cov[:, k] < min_cov - 1e-12)
    return cov


def _normalise(plan: Plan, X: np.ndarray, region_level: str | None, stored: Reference | None,
               fitted: dict[str, list[float]] | None, table_steps: list[str] | None,
               zero_row: bool = False, out: np.ndarray | None = None) -> np.ndarray:
    """Direction + normalisation of every indicator, into an (n, m) column-major block (``out``)."""
    indicators = plan.indicators
    n, m = X.shape
    S = np.empty((n, m), order="F") if out is None else out
    gp_all = goalposts_for(plan, region_level)
    for method, params, cols in plan.normalisation:
        codes = [indicators[j] for j in np.arange(m)[cols]]
        gp = gp_all[cols]
        if method.name == "goalposts" and np.isnan(gp).any():
            bad = codes[int(np.flatnonzero(np.isnan(gp).any(axis=1))[0])]
            raise ComputeError(Problem("compute.no_goalposts", {"code": bad, "level": region_level or "default"}))
        stats = None
        if method.name in M.TABLE_NORMALISATIONS:
            if method.name not in M.FITTERS:
                if stored is not None or zero_row:
                    if zero_row:
                        raise LookupError(method.name)
                    raise ComputeError(Problem("reference.not_storable", {
                        "step": "normalisation", "method": method.name, "code": "', '".join(codes)}))
                if table_steps is not None:
                    table_steps.append("normalisation")
            elif stored is not None:
                stats = stored.stats(codes)
            elif zero_row:
                if fitted is None:
                    raise LookupError(method.name)
                stats = tuple(np.array([fitted[c][i] for c in codes], dtype=float)[None, :] for i in range(2))
            else:
                stats = M.FITTERS[method.name](X[:, cols])
                if fitted is not None:
                    for k, c in enumerate(codes):
                        fitted[c] = [float(st[0, k]) for st in stats]
                if table_steps is not None:
                    table_steps.append("normalisation")
        if method.name in ("goalposts", "minmax") and isinstance(cols, slice):  # every column: into S
            _run(method, "normalisation", codes, X, plan.directions, gp, stats, S, **params)
            continue
        S[:, cols] = _run(method, "normalisation", codes, X[:, cols], plan.directions[cols], gp, stats, **params)
    return S


def _impute(plan: Plan, data: Dataset, X: np.ndarray, stored: Reference | None,
            fitted: dict[str, float], table_steps: list[str]) -> np.ndarray:
    indicators = plan.indicators
    m = X.shape[1]
    X_imp = X
    for method, params, cols in plan.imputation:
        if method.name == "none":
            continue
        codes = [indicators[j] for j in np.arange(m)[cols]]
        groups = None
        fill = None
        if method.name == "group_mean":
            if stored is not None:
                raise ComputeError(Problem("reference.not_storable", {
                    "step": "imputation", "method": method.name, "code": "', '".join(codes)}))
            by = params.get("by", "")
            if by not in data.attributes:
                raise DataError([Problem("data.group_missing", {"code": c, "group": by}) for c in codes])
            groups = data.attributes[by]
            table_steps.append("imputation")
        elif method.name in M.TABLE_IMPUTATIONS:
            if stored is not None:
                fill = stored.fill(codes)
            else:
                stat = np.nanmean if method.name == "mean" else np.nanmedian
                fill = M._col_stat(stat, X[:, cols])
                table_steps.append("imputation")
                for k, c in enumerate(codes):
                    fitted[c] = float(fill[0, k])
        if X_imp is X:
            X_imp = X.copy()
        X_imp[:, cols] = _run(method, "imputation", codes, X[:, cols], groups, fill, **params)
    return X_imp


def _aggregate(plan: Plan, S: np.ndarray, completeness: np.ndarray, codes: list[str]) -> None:
    """Every aggregate, bottom-up, into S[:, m:] (in place)."""
    m = len(plan.indicators)
    for k, (a, idx, w, method, params, min_cov) in enumerate(plan.steps):
        child = S[:, idx]
        try:
            agg = method.func(child, w, **params)
        except M.NegativeValues:
            bad = np.flatnonzero(np.any(child < 0, axis=1))
            i = int(bad[0]) if bad.size else 0
            raise ComputeError(Problem("compute.negative_for_mean", {
                "code": a, "method": method.name, "region": codes[i],
                "value": f"{np.nanmin(child[i]):g}"})) from None
        agg[completeness[:, k] < min_cov - 1e-12] = np.nan
        S[:, m + k] = agg


def compute_zero_row(spec: Spec, node: str, region_level: str | None, fitted=None) -> float:
    """The score of ``node`` for one region with 0 on every indicator, with the model's constants
    (or the given fitted normalisation stats); LookupError when that depends on the table."""
    plan = spec.plan
    m = len(plan.indicators)
    X = np.zeros((1, m))
    S = np.empty((1, m + len(plan.aggregates)), order="F")
    try:
        S[:, :m] = _normalise(plan, X, region_level, None, fitted, None, zero_row=True)
    except ComputeError:
        raise LookupError(node) from None
    cov = coverage_matrix(plan, np.ones((1, m), dtype=bool), spec.methods.coverage)
    try:
        _aggregate(plan, S, cov, ["0"])
    except ComputeError:  # e.g. a geometric mean of a value below the table's minimum
        raise LookupError(node) from None
    cols = {c: j for j, c in enumerate(plan.indicators + plan.aggregates)}
    return float(S[0, cols[node]])


def compute(spec: Spec, data: Dataset, region_level: str | None = AUTO,
            reference: Reference | None = None) -> Result:
    """Scores at every level of ``spec`` for every region of ``data``.

    ``region_level`` picks the category rules; by default it is read from the
    region codes when they are Kemendagri codes of one level.  ``reference``: a stored
    reference (:class:`~rawan.engine.reference.Reference`) whose bounds, imputation values
    and cut-offs replace what the table would give; without it, the model's constants are
    used where the model states them, and the table where it does not (said in
    ``result.reference``).
    """
    tree = spec.tree
    plan = spec.plan
    indicators = plan.indicators
    missing = [c for c in indicators if c not in data.columns]
    if missing:
        file_part = f" ({data.source})" if data.source else ""
        raise DataError([Problem("data.indicator_missing", {"code": c, "file_part": file_part})
                         for c in missing])
    if not data.codes:
        raise DataError(Problem("data.no_regions"))
    if region_level == AUTO:
        region_level = data.region_level()
    elif region_level is not None and region_level not in REGION_LEVELS:
        raise ComputeError(Problem("compute.bad_region_level", {
            "level": region_level, "known": ", ".join(REGION_LEVELS)}))
    if reference is not None:
        reference.check(spec, region_level)
    X = data.values if data.columns == indicators else data.subset(indicators)  # read only
    probs = _check_ranges(plan, spec, data, X)
    if probs:
        raise DataError(probs)
    n, m = X.shape
    den = _denominator(spec, data)
    if den is not None:
        kinds = spec.denominator.kinds
        cols = [j for j, c in enumerate(indicators) if (tree.nodes[c].kind or "score") in kinds]
        X = X.copy()
        X[:, cols] = X[:, cols] / den[:, None] * spec.denominator.per

    table_steps: list[str] = []
    fitted: dict[str, Any] = {"normalisation": {}, "imputation": {}}
    # 1. imputation (raw values)
    X_imp = _impute(plan, data, X, reference, fitted["imputation"], table_steps)

    # 2. direction + normalisation, into the score matrix (column-major: columns are read and
    #    written whole)
    aggregates = plan.aggregates
    p = len(aggregates)
    S = np.empty((n, m + p), order="F")
    _normalise(plan, X_imp, region_level, reference, fitted["normalisation"], table_steps, out=S[:, :m])

    col_of = {c: m + k for k, c in enumerate(aggregates)}
    col_of.update({c: j for j, c in enumerate(indicators)})

    # 3. aggregation, bottom-up, with completeness
    completeness = coverage_matrix(plan, ~np.isnan(X_imp), spec.methods.coverage)
    _aggregate(plan, S, completeness, data.codes)

    # 4. rank of the index (descending, ties -> min rank); other aggregates on demand
    ranks = {tree.root: M.rank_min(S[:, col_of[tree.root]])}

    # 5. categories
    categories: dict[str, Categories] = {}
    warnings: list[Problem] = []
    rules = spec.category_rules(region_level)
    if spec.categories and not rules:
        warnings.append(Problem("compute.no_category_scheme", {"level": region_level or "-"},
                                severity="warning"))
    col = col_of
    scale = (spec.scale.min, spec.scale.max) if spec.scale else (0.0, 100.0)
    for rule in rules:
        method = M.get("classification", rule.rule)
        params = method.bind(rule.params)
        for node in rule.nodes or [tree.root]:
            scores = S[:, col[node]]
            if reference is not None:
                if node not in reference.cutoffs:
                    raise ComputeError(Problem("reference.missing_entry", {
                        "file": reference.file or reference.name, "what": "batas kelas / cut-offs", "code": node}))
                cuts = np.asarray(reference.cutoffs[node], dtype=float)
            else:
                cuts = np.asarray(method.func(scores, **params), dtype=float)
                if rule.rule in M.TABLE_CLASSIFICATIONS:
                    table_steps.append("kategori / categories")
            categories[node] = Categories(
                node=node, rule=rule.rule, params=params, labels=list(rule.labels), cutoffs=cuts,
                classes=M.classify(scores, cuts), source=rule.source,
                assumption=", ".join(rule.assumption_codes) or None)
            stats = reference.normalisation if reference is not None else fitted["normalisation"]
            if reference is not None:  # a stored reference's floor never changes: computed once
                floors = reference.__dict__.setdefault("_floors", {})
                key = (spec.hash, node, region_level)
                if key not in floors:
                    floors[key] = _floor(spec, node, region_level, stats)
                floor = floors[key]
            else:
                floor = _floor(spec, node, region_level, stats)
            population = (reference.index_scores if reference is not None and node == tree.root
                          else None if reference is not None else scores)
            warnings += check_cutoffs(rule.rule, node, region_level, list(rule.labels), cuts, scale,
                                      floor, population)

    if reference is not None:
        info = ReferenceInfo("stored", reference.name, reference.n_regions)
        ref_rank = reference.rank(S[:, col_of[tree.root]])
    elif table_steps:
        info = ReferenceInfo("table", "", n, tuple(dict.fromkeys(table_steps)))
        ref_rank = None
    else:
        info = ReferenceInfo("model", "", n)
        ref_rank = None
    return Result(spec=spec, data=data, codes=list(data.codes), names=data.names,
                  indicators=list(indicators), aggregates=list(aggregates), raw=X_imp, scores=S,
                  _ranks=ranks, completeness=completeness, categories=categories,
                  region_level=region_level, synthetic=data.synthetic, warnings=warnings,
                  reference=info, reference_rank=ref_rank, stored=reference, fitted=fitted)


def _floor(spec: Spec, node: str, region_level: str | None, stats: dict[str, list[float]]) -> float | None:
    try:
        return compute_zero_row(spec, node, region_level, stats)
    except LookupError:
        return None
