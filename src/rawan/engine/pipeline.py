"""compute(spec, data) -> Result: scores at every level, ranks, categories, recipe."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import __version__
from . import methods as M
from .codes import infer_region_level
from .data import Dataset
from .errors import ComputeError, DataError, Problem
from .spec import REGION_LEVELS, Spec

KIND_RANGES = {"binary": (0.0, 1.0), "count": (0.0, np.inf), "rate": (0.0, 100.0)}
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
    ranks: np.ndarray  # (n, p) for aggregates
    completeness: np.ndarray  # (n, p) share of an aggregate's indicators with data
    categories: dict[str, Categories]
    region_level: str | None
    recipe: dict[str, str]
    synthetic: bool = False
    warnings: list[Problem] = field(default_factory=list)

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
        return self.ranks[:, self.aggregates.index(code or self.index_code)]

    def coverage(self, code: str | None = None) -> np.ndarray:
        return self.completeness[:, self.aggregates.index(code or self.index_code)]

    def region(self, code: str) -> int:
        try:
            return self.codes.index(code)
        except ValueError:
            raise DataError(Problem("data.unknown_region", {"region": code})) from None

    def category(self, region: str, node: str | None = None) -> str | None:
        cat = self.categories.get(node or self.index_code)
        return None if cat is None else cat.label_of(self.region(region))

    @property
    def region_completeness(self) -> np.ndarray:
        """Share of all indicators with data, per region."""
        return self.coverage(self.index_code)


def _check_ranges(spec: Spec, data: Dataset, X: np.ndarray, indicators: list[str]) -> list[Problem]:
    probs = []
    for j, code in enumerate(indicators):
        node = spec.tree.nodes[code]
        kind = node.kind or "score"
        lo, hi = node.range if node.range is not None else KIND_RANGES.get(kind, (-np.inf, np.inf))
        col = X[:, j]
        for i in np.flatnonzero(np.isinf(col)):
            probs.append(Problem("data.not_finite", {"region": data.codes[i], "code": code,
                                                     "value": f"{col[i]:g}"}))
        col = np.where(np.isinf(col), np.nan, col)
        bad = np.flatnonzero(~np.isnan(col) & ((col < lo) | (col > hi)))
        if kind == "binary":
            bad = np.union1d(bad, np.flatnonzero(~np.isnan(col) & (col != 0) & (col != 1)))
        for i in bad:
            expected = "{0, 1}" if kind == "binary" else f"[{lo:g}, {hi:g}]"
            probs.append(Problem("data.out_of_range", {
                "region": data.codes[i], "code": code, "kind": kind,
                "value": f"{col[i]:g}", "expected": expected}))
    return probs


def _grouped(spec: Spec, codes: list[str], step: str):
    """Indicator codes grouped by their resolved method and parameters, in order."""
    groups: dict[tuple, tuple[M.Method, dict, list[int]]] = {}
    for j, code in enumerate(codes):
        r = spec.tree.resolve(spec, code, step)
        key = (r.method.name, repr(sorted(r.params.items())))
        if key not in groups:
            groups[key] = (r.method, r.params, [])
        groups[key][2].append(j)
    return list(groups.values())


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
    indicators = tree.indicators
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
    X = data.subset(indicators)
    probs = _check_ranges(spec, data, X, indicators)
    if probs:
        raise DataError(probs)
    n, m = X.shape

    # 1. imputation (raw values)
    X_imp = X.copy()
    for method, params, cols in _grouped(spec, indicators, "imputation"):
        if method.name == "none":
            continue
        groups = None
        if method.name == "group_mean":
            by = params.get("by", "")
            if by not in data.attributes:
                raise DataError([Problem("data.group_missing", {"code": indicators[j], "group": by})
                                 for j in cols])
            groups = data.attributes[by]
        X_imp[:, cols] = _run(method, "imputation", [indicators[j] for j in cols],
                              X[:, cols], groups, **params)

    # 2. direction + normalisation
    directions = np.array([tree.nodes[c].direction for c in indicators], dtype=float)
    goalposts = np.array([tree.nodes[c].goalposts or (np.nan, np.nan) for c in indicators], dtype=float)
    Z = np.empty_like(X_imp)
    for method, params, cols in _grouped(spec, indicators, "normalisation"):
        Z[:, cols] = _run(method, "normalisation", [indicators[j] for j in cols],
                          X_imp[:, cols], directions[cols], goalposts[cols], **params)

    # 3. aggregation, bottom-up, with completeness
    aggregates = tree.aggregates
    p = len(aggregates)
    S = np.empty((n, m + p))
    S[:, :m] = Z
    col = {c: j for j, c in enumerate(indicators)}
    col.update({a: m + k for k, a in enumerate(aggregates)})
    avail = (~np.isnan(X_imp)).astype(float)
    member = np.zeros((m, p))
    for k, a in enumerate(aggregates):
        member[[col[c] for c in tree.leaves[a]], k] = 1.0
    completeness = (avail @ member) / member.sum(axis=0)  # counts are exact in float
    for k, a in enumerate(aggregates):
        kids = tree.children[a]
        idx = [col[c] for c in kids]
        w = np.array([tree.nodes[c].weight for c in kids], dtype=float)
        r = tree.resolve(spec, a, "aggregation")
        child = S[:, idx]
        try:
            agg = r.method.func(child, w, **r.params)
        except M.NegativeValues:
            bad = np.flatnonzero(np.any(child < 0, axis=1))
            i = int(bad[0]) if bad.size else 0
            raise ComputeError(Problem("compute.negative_for_mean", {
                "code": a, "method": r.method.name, "region": data.codes[i],
                "value": f"{np.nanmin(child[i]):g}"})) from None
        too_little = completeness[:, k] < tree.min_coverage(spec, a) - 1e-12
        S[:, m + k] = np.where(too_little, np.nan, agg)

    # 4. ranks (descending, ties -> min rank)
    ranks = M.rank_min(S[:, m:].T).T

    # 5. categories
    categories: dict[str, Categories] = {}
    warnings: list[Problem] = []
    rules = spec.category_rules(region_level)
    if spec.categories and not rules:
        warnings.append(Problem("compute.no_category_scheme", {"level": region_level or "-"},
                                severity="warning"))
    for rule in rules:
        method = M.get("classification", rule.rule)
        params = method.bind(rule.params)
        for node in rule.nodes or [tree.root]:
            scores = S[:, col[node]]
            cuts = np.asarray(method.func(scores, **params), dtype=float)
            categories[node] = Categories(
                node=node, rule=rule.rule, params=params, labels=list(rule.labels), cutoffs=cuts,
                classes=M.classify(scores, cuts), source=rule.source, assumption=rule.assumption)

    recipe = {"model": spec.id, "model_version": spec.version, "spec_sha256": spec.hash,
              "data_sha256": data.hash, "rawan_version": __version__,
              "region_level": region_level or ""}
    return Result(spec=spec, codes=list(data.codes), names=data.names, indicators=list(indicators),
                  aggregates=list(aggregates), raw=X_imp, scores=S, ranks=ranks,
                  completeness=completeness, categories=categories, region_level=region_level,
                  recipe=recipe, synthetic=data.synthetic, warnings=warnings)
