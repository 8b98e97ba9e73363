"""compute(spec, data) -> Result: scores at every level, ranks, categories, recipe."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from .. import __version__
from . import methods as M
from .codes import infer_region_level, normalise_code
from .data import Dataset
from .errors import ComputeError, DataError, Problem
from .spec import REGION_LEVELS, Spec

# The values each kind accepts unless the node declares its own ``range``.  A count has a declared
# plausible maximum: 100 million, more than the population of any province, so nothing countable
# in one region exceeds it (a model narrows it per indicator with ``range``); any other number is
# bounded in magnitude, so 1e308 is an error naming the cell, not an index.
COUNT_MAX = 1e8
VALUE_MAX = 1e12
KIND_RANGES = {"binary": (0.0, 1.0), "count": (0.0, COUNT_MAX), "rate": (0.0, 100.0)}
DEFAULT_RANGE = (-VALUE_MAX, VALUE_MAX)
AUTO = "auto"


@dataclass
class Categories:
    """Classes of one node's scores under one rule."""

    node: str
    rule: str
    params: dict[str, Any]
    labels: list[str]
    cutoffs: np.ndarray  # ascending; x >= cut goes up
    classes: np.ndarray  # index into labels per region, -1 = no data
    source: str | None = None
    assumption: str | None = None

    def label_of(self, i: int) -> str | None:
        c = int(self.classes[i])
        return None if c < 0 else self.labels[c]


@dataclass
class Result:
    spec: Spec
    codes: list[str]
    names: list[str] | None
    indicators: list[str]
    aggregates: list[str]  # bottom-up order
    raw: np.ndarray  # (n, m) input values after imputation
    scores: np.ndarray  # (n, m + p): normalised indicators, then aggregates
    completeness: np.ndarray  # (n, p) share of an aggregate's indicators with data
    categories: dict[str, Categories]
    region_level: str | None
    data: Dataset | None = None
    synthetic: bool = False
    warnings: list[Problem] = field(default_factory=list)
    _ranks: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @cached_property
    def recipe(self) -> dict[str, str]:
        """What made this result: model, its hash, the data's hash, rawan's version.

        Hashing 83,763 x 61 values takes longer than computing them, so it is done
        when the recipe is first read (every writer reads it), not inside compute().
        """
        return {"model": self.spec.id, "model_version": self.spec.version,
                "spec_sha256": self.spec.hash, "data_sha256": self.data.hash if self.data else "",
                "rawan_version": __version__, "region_level": self.region_level or ""}

    @property
    def index_code(self) -> str:
        return self.spec.tree.root

    @property
    def columns(self) -> list[str]:
        return self.indicators + self.aggregates

    def col(self, code: str) -> int:
        return self.columns.index(code)

    def score(self, code: str) -> np.ndarray:
        return self.scores[:, self.col(code)]

    def rank(self, code: str | None = None) -> np.ndarray:
        """Descending rank of an aggregate's scores (ties share the lowest rank).

        The index is ranked inside compute(); other aggregates when first asked.
        """
        code = code or self.index_code
        if code not in self._ranks:
            self._ranks[code] = M.rank_min(self.score(code))
        return self._ranks[code]

    @property
    def ranks(self) -> np.ndarray:
        """(n, p) ranks of every aggregate, in ``aggregates`` order."""
        return np.column_stack([self.rank(a) for a in self.aggregates])

    def coverage(self, code: str | None = None) -> np.ndarray:
        return self.completeness[:, self.aggregates.index(code or self.index_code)]

    @cached_property
    def _row_of(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.codes)}

    def region(self, code: str) -> int:
        """Row of a region code, written with or without dots (``15.02`` or ``1502``)."""
        row = self._row_of.get(code)
        if row is None:
            row = self._row_of.get(normalise_code(code) or str(code).strip())
        if row is None:
            raise DataError(Problem("data.unknown_region", {"region": code}))
        return row

    def category(self, region: str, node: str | None = None) -> str | None:
        cat = self.categories.get(node or self.index_code)
        return None if cat is None else cat.label_of(self.region(region))

    @property
    def region_completeness(self) -> np.ndarray:
        """Share of all indicators with data, per region."""
        return self.coverage(self.index_code)


@dataclass
class Plan:
    """Everything compute() needs from a spec, resolved once and cached on the spec."""

    indicators: list[str]
    aggregates: list[str]
    directions: np.ndarray
    goalposts: np.ndarray
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
            goalposts=np.array([n.goalposts or (np.nan, np.nan) for n in nodes], dtype=float),
            low=np.array([r[0] for r in ranges], dtype=float),
            high=np.array([r[1] for r in ranges], dtype=float),
            binary=np.array([k == "binary" for k in kinds]),
            imputation=_grouped(spec, ind, "imputation"),
            normalisation=_grouped(spec, ind, "normalisation"),
            steps=steps, member=member, leaf_count=member.sum(axis=0))


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


def compute(spec: Spec, data: Dataset, region_level: str | None = AUTO) -> Result:
    """Scores at every level of ``spec`` for every region of ``data``.

    ``region_level`` picks the category rules; by default it is read from the
    region codes when they are Kemendagri codes of one level.
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
        region_level = infer_region_level(data.codes)
    elif region_level is not None and region_level not in REGION_LEVELS:
        raise ComputeError(Problem("compute.bad_region_level", {
            "level": region_level, "known": ", ".join(REGION_LEVELS)}))
    X = data.values if data.columns == indicators else data.subset(indicators)  # read only
    probs = _check_ranges(plan, spec, data, X)
    if probs:
        raise DataError(probs)
    n, m = X.shape

    # 1. imputation (raw values)
    X_imp = X
    for method, params, cols in plan.imputation:
        if method.name == "none":
            continue
        groups = None
        if method.name == "group_mean":
            by = params.get("by", "")
            if by not in data.attributes:
                raise DataError([Problem("data.group_missing", {"code": indicators[j], "group": by})
                                 for j in np.arange(m)[cols]])
            groups = data.attributes[by]
        if X_imp is X:
            X_imp = X.copy()
        X_imp[:, cols] = _run(method, "imputation", [indicators[j] for j in np.arange(m)[cols]],
                              X[:, cols], groups, **params)

    # 2. direction + normalisation, into the score matrix (column-major: columns are read and
    #    written whole)
    aggregates = plan.aggregates
    p = len(aggregates)
    S = np.empty((n, m + p), order="F")
    for method, params, cols in plan.normalisation:
        S[:, :m][:, cols] = _run(method, "normalisation", [indicators[j] for j in np.arange(m)[cols]],
                                 X_imp[:, cols], plan.directions[cols], plan.goalposts[cols], **params)

    col_of = {c: m + k for k, c in enumerate(aggregates)}
    col_of.update({c: j for j, c in enumerate(indicators)})

    # 3. aggregation, bottom-up, with completeness
    completeness = (~np.isnan(X_imp)).astype(float) @ plan.member / plan.leaf_count  # exact counts
    for k, (a, idx, w, method, params, min_cov) in enumerate(plan.steps):
        child = S[:, idx]
        try:
            agg = method.func(child, w, **params)
        except M.NegativeValues:
            bad = np.flatnonzero(np.any(child < 0, axis=1))
            i = int(bad[0]) if bad.size else 0
            raise ComputeError(Problem("compute.negative_for_mean", {
                "code": a, "method": method.name, "region": data.codes[i],
                "value": f"{np.nanmin(child[i]):g}"})) from None
        agg[completeness[:, k] < min_cov - 1e-12] = np.nan
        S[:, m + k] = agg

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
    for rule in rules:
        method = M.get("classification", rule.rule)
        params = method.bind(rule.params)
        for node in rule.nodes or [tree.root]:
            scores = S[:, col[node]]
            cuts = np.asarray(method.func(scores, **params), dtype=float)
            categories[node] = Categories(
                node=node, rule=rule.rule, params=params, labels=list(rule.labels), cutoffs=cuts,
                classes=M.classify(scores, cuts), source=rule.source, assumption=rule.assumption)

    return Result(spec=spec, data=data, codes=list(data.codes), names=data.names,
                  indicators=list(indicators), aggregates=list(aggregates), raw=X_imp, scores=S,
                  _ranks=ranks, completeness=completeness, categories=categories,
                  region_level=region_level, synthetic=data.synthetic, warnings=warnings)
