"""Statistical audit of an index, in the style of the JRC/OECD handbook and COINr.

    from rawan.engine.audit import audit
    rep = audit(spec, data)
    rep.indicators    # per indicator: missing, spread, correlation with parent / dimension / index, flags
    rep.aggregates    # per aggregate: children, Cronbach's alpha, PCA first-component share
    rep.correlations  # sibling pairs at every level, and near-duplicate indicator pairs anywhere
    rep.flags         # one dict per flag: code, flag, detail

Everything is computed on the nominal result: normalised indicator scores
(direction applied, so "higher = more vulnerable" everywhere) and aggregate
scores.  Correlations are Pearson over the regions where both values exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .data import Dataset
from .pipeline import AUTO, Result, compute

NEAR_DUPLICATE = 0.9  # |r| above this: two indicators say the same thing
MANY_MISSING = 0.2  # share of regions without a value
NEAR_CONSTANT = 0.95  # share of regions holding the most common value

FLAGS = {
    "negative_correlation": "correlates negatively with its parent or dimension (r < 0)",
    "near_duplicate": f"|r| > {NEAR_DUPLICATE} with another indicator",
    "near_constant": f"one value in >= {NEAR_CONSTANT:.0%} of the regions with data (almost no variance)",
    "many_missing": f"missing in > {MANY_MISSING:.0%} of the regions",
    "low_alpha": "Cronbach's alpha < 0.5: the children hardly move together",
}


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson r over pairs where both exist; NaN when fewer than 3 pairs or no spread."""
    ok = ~(np.isnan(x) | np.isnan(y))
    if ok.sum() < 3:
        return np.nan
    a, b = x[ok] - x[ok].mean(), y[ok] - y[ok].mean()
    den = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / den) if den > 0 else np.nan


def corr_matrix(X: np.ndarray) -> np.ndarray:
    """Pairwise-complete Pearson correlations of the columns of X."""
    k = X.shape[1]
    if not np.isnan(X).any():
        Z = X - X.mean(axis=0)
        s = np.sqrt((Z * Z).sum(axis=0))
        with np.errstate(invalid="ignore", divide="ignore"):
            R = (Z.T @ Z) / np.outer(s, s)
        R[:, s == 0] = np.nan
        R[s == 0, :] = np.nan
        return R
    R = np.full((k, k), np.nan)
    for i in range(k):
        for j in range(i, k):
            R[i, j] = R[j, i] = pearson(X[:, i], X[:, j])
    return R


def cronbach_alpha(X: np.ndarray) -> float:
    """k / (k - 1) * (1 - sum of item variances / variance of the sum), complete rows only."""
    X = X[~np.isnan(X).any(axis=1)]
    k = X.shape[1]
    if k < 2 or X.shape[0] < 3:
        return np.nan
    total = X.sum(axis=1).var(ddof=1)
    if total == 0:
        return np.nan
    return float(k / (k - 1) * (1 - X.var(axis=0, ddof=1).sum() / total))


def pca_first_share(X: np.ndarray) -> float:
    """Share of the variance of the standardised columns carried by the first principal component."""
    X = X[~np.isnan(X).any(axis=1)]
    sd = X.std(axis=0, ddof=1) if X.shape[0] > 1 else np.zeros(X.shape[1])
    X = X[:, sd > 0]
    if X.shape[1] < 2 or X.shape[0] < 3:
        return np.nan
    R = np.corrcoef(X, rowvar=False)
    ev = np.linalg.eigvalsh(R)
    return float(ev[-1] / ev.sum())


def mode_share(x: np.ndarray) -> float:
    v = x[~np.isnan(x)]
    if v.size == 0:
        return np.nan
    _, counts = np.unique(v, return_counts=True)
    return float(counts.max() / v.size)


@dataclass
class AuditReport:
    indicators: object  # pandas DataFrame
    aggregates: object
    correlations: object
    flags: list[dict] = field(default_factory=list)


def audit(spec, data: Dataset, *, nominal: Result | None = None, region_level: str | None = AUTO,
          near_duplicate: float = NEAR_DUPLICATE, many_missing: float = MANY_MISSING,
          near_constant: float = NEAR_CONSTANT) -> AuditReport:
    import pandas as pd

    res = nominal if nominal is not None else compute(spec, data, region_level)
    tree = spec.tree
    root = tree.root
    m = len(res.indicators)
    X_in = data.values if data.columns == res.indicators else data.subset(res.indicators)  # before imputation
    S = res.scores
    col = {c: j for j, c in enumerate(res.columns)}

    def dimension_of(code: str) -> str | None:
        chain = [code] + tree.ancestors(code)
        return chain[-2] if len(chain) >= 2 and chain[-1] == root else None

    flags: list[dict] = []
    R = corr_matrix(S[:, :m])
    rows = []
    for j, c in enumerate(res.indicators):
        parent = tree.nodes[c].parent
        dim = dimension_of(c)
        x = S[:, j]
        miss = float(np.isnan(X_in[:, j]).mean())
        raw = X_in[:, j]
        r_parent = pearson(x, S[:, col[parent]])
        r_dim = pearson(x, S[:, col[dim]]) if dim and dim != parent else r_parent
        r_index = pearson(x, S[:, col[root]])
        dups = [res.indicators[i] for i in np.flatnonzero(np.abs(np.nan_to_num(R[j])) > near_duplicate) if i != j]
        ms = mode_share(raw)
        mine = []
        if (r_parent < 0) or (r_dim < 0):
            mine.append("negative_correlation")
        if dups:
            mine.append("near_duplicate")
        if not np.isnan(ms) and ms >= near_constant:
            mine.append("near_constant")
        if miss > many_missing:
            mine.append("many_missing")
        for fl in mine:
            detail = {"negative_correlation": f"r(parent {parent}) = {r_parent:.2f}, r(dimension {dim}) = {r_dim:.2f}",
                      "near_duplicate": "with " + ", ".join(dups),
                      "near_constant": f"most common value in {ms:.0%} of regions",
                      "many_missing": f"{miss:.0%} missing"}[fl]
            flags.append({"code": c, "flag": fl, "detail": detail})
        v = raw[~np.isnan(raw)]
        rows.append({"code": c, "parent": parent, "dimension": dim, "share_missing": miss,
                     "mean": float(v.mean()) if v.size else np.nan,
                     "sd": float(v.std(ddof=1)) if v.size > 1 else np.nan,
                     "share_most_common": ms,
                     "r_parent": r_parent, "r_dimension": r_dim, "r_index": r_index,
                     "near_duplicates": ";".join(dups), "flags": ";".join(mine)})
    ind = pd.DataFrame(rows)

    agg_rows, pairs = [], []
    for a in res.aggregates:
        kids = tree.children[a]
        Xk = S[:, [col[c] for c in kids]]
        alpha = cronbach_alpha(Xk)
        parent = tree.nodes[a].parent
        mine = []
        if not np.isnan(alpha) and alpha < 0.5:
            mine.append("low_alpha")
            flags.append({"code": a, "flag": "low_alpha", "detail": f"alpha = {alpha:.2f} over {len(kids)} children"})
        if parent is not None and pearson(S[:, col[a]], S[:, col[parent]]) < 0:
            mine.append("negative_correlation")
            flags.append({"code": a, "flag": "negative_correlation", "detail": f"with parent {parent}"})
        agg_rows.append({"code": a, "level": tree.level[a], "parent": parent, "children": len(kids),
                         "cronbach_alpha": alpha, "pca_first_share": pca_first_share(Xk),
                         "r_parent": pearson(S[:, col[a]], S[:, col[parent]]) if parent else np.nan,
                         "r_index": pearson(S[:, col[a]], S[:, col[root]]) if a != root else 1.0,
                         "flags": ";".join(mine)})
        Rk = corr_matrix(Xk)
        for i in range(len(kids)):
            for j2 in range(i + 1, len(kids)):
                pairs.append({"a": kids[i], "b": kids[j2], "parent": a, "kind": "siblings", "r": Rk[i, j2]})
    seen = {(p["a"], p["b"]) for p in pairs}
    for i in range(m):
        for j2 in range(i + 1, m):
            a_, b_ = res.indicators[i], res.indicators[j2]
            if abs(np.nan_to_num(R[i, j2])) > near_duplicate and (a_, b_) not in seen:
                pairs.append({"a": a_, "b": b_, "parent": "", "kind": "near_duplicate", "r": R[i, j2]})
    return AuditReport(indicators=ind, aggregates=pd.DataFrame(agg_rows),
                       correlations=pd.DataFrame(pairs, columns=["a", "b", "parent", "kind", "r"]), flags=flags)
