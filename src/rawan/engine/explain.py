"""Why a region scores what it scores.

Contributions of each child to its aggregate add up to the aggregate:

* arithmetic mean: ``w_i x_i / sum(w)`` (exact);
* weighted sum: ``w_i x_i`` (exact);
* geometric and harmonic means: the aggregate shared in proportion to
  ``w_i x_i`` (children are >= 0 there);
* minimum / maximum: the whole aggregate goes to the child that is the
  minimum / maximum.

A child's contribution to the index is its contribution to its parent times
the parent's share of the index, and so on up the tree, so the indicator
contributions to the index also add up to the index score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .pipeline import Result


@dataclass
class Contribution:
    code: str
    parent: str
    score: float  # the child's own (normalised) score
    weight: float
    to_parent: float  # points of the parent score
    to_index: float  # points of the index score
    effective_weight: float = float("nan")  # the node's share of the index (effective_weights)


@dataclass
class Explanation:
    region: str
    name: str | None
    index: str
    score: float
    rank: float
    category: str | None
    completeness: float
    aggregates: dict[str, float]  # score of every aggregate
    contributions: list[Contribution]  # every node except the root
    top_drivers: list[Contribution]  # indicators by contribution to the index
    cutoff_up: tuple[str, float, float] | None  # (next class, cut-off, points needed)
    cutoff_down: tuple[str, float, float] | None  # (lower class, cut-off, points of margin)
    rank_reference: float = float("nan")  # rank within the reference population
    reference_size: int = 0  # regions in the reference population
    table_size: int = 0  # regions in this table (rank is within it)

    def of(self, code: str) -> Contribution:
        return next(c for c in self.contributions if c.code == code)


def effective_weights(spec) -> dict[str, float]:
    """Each node's share of the index: the product, up the tree, of its weight over the sum of
    its siblings' weights.  Indicator shares add up to 1.  This is the weight an indicator has in
    the index under (weighted) arithmetic means with all data present; with missing data the
    weights of the missing are shared among the others, and geometric or harmonic means weigh
    the same shares in another way."""
    tree = spec.tree
    out = {tree.root: 1.0}
    for a in reversed(tree.aggregates):  # top-down
        kids = tree.children[a]
        total = float(sum(tree.nodes[c].weight for c in kids))
        for c in kids:
            out[c] = out[a] * float(tree.nodes[c].weight) / total
    return out


def _shares(method: str, x: np.ndarray, w: np.ndarray, total: float) -> np.ndarray:
    ok = ~np.isnan(x)
    out = np.zeros_like(x)
    if not ok.any() or np.isnan(total):
        return out
    if method == "arithmetic":
        out[ok] = w[ok] * x[ok] / w[ok].sum()
    elif method == "sum":
        out[ok] = w[ok] * x[ok]
    elif method in ("min", "max"):
        pick = np.flatnonzero(ok)[np.argmin(x[ok]) if method == "min" else np.argmax(x[ok])]
        out[pick] = total
    else:  # geometric, harmonic: proportional allocation
        wx = w[ok] * x[ok]
        s = wx.sum()
        out[ok] = total * wx / s if s > 0 else 0.0
    return out


def explain(result: Result, region: str, top: int = 5) -> Explanation:
    spec = result.spec
    tree = spec.tree
    i = result.region(region)
    row = result.scores[i]
    col = {c: j for j, c in enumerate(result.columns)}
    to_parent: dict[str, float] = {}
    for a in result.aggregates:
        kids = tree.children[a]
        x = np.array([row[col[c]] for c in kids])
        w = np.array([tree.nodes[c].weight for c in kids], dtype=float)
        method = tree.resolve(spec, a, "aggregation").method.name
        for c, s in zip(kids, _shares(method, x, w, row[col[a]])):
            to_parent[c] = float(s)
    # share of the index carried by each node, top-down
    to_index: dict[str, float] = {tree.root: float(row[col[tree.root]])}
    for a in reversed(result.aggregates):
        total = row[col[a]]
        for c in tree.children[a]:
            frac = to_parent[c] / total if total and not np.isnan(total) else 0.0
            to_index[c] = to_index.get(a, 0.0) * frac
    eff = effective_weights(spec)
    contributions = [
        Contribution(code=c, parent=tree.nodes[c].parent, score=float(row[col[c]]),
                     weight=float(tree.nodes[c].weight), to_parent=to_parent.get(c, 0.0),
                     to_index=to_index.get(c, 0.0), effective_weight=eff[c])
        for c in result.columns if c != tree.root
    ]
    drivers = sorted((c for c in contributions if c.code in set(result.indicators) and c.to_index > 0),
                     key=lambda c: (-c.to_index, c.code))[:top]
    score = float(row[col[tree.root]])
    up = down = None
    cat = result.categories.get(tree.root)
    label = None
    if cat is not None and not np.isnan(score):
        k = int(cat.classes[i])
        label = cat.label_of(i)
        if k >= 0 and k < len(cat.cutoffs):
            cut = float(cat.cutoffs[k])
            up = (cat.labels[k + 1], cut, cut - score)
        if k > 0:
            cut = float(cat.cutoffs[k - 1])
            down = (cat.labels[k - 1], cut, score - cut)
    return Explanation(
        region=result.codes[i], name=result.names[i] if result.names else None, index=tree.root, score=score,
        rank=float(result.rank()[i]), category=label, completeness=float(result.coverage()[i]),
        aggregates={a: float(row[col[a]]) for a in result.aggregates},
        contributions=contributions, top_drivers=drivers, cutoff_up=up, cutoff_down=down,
        rank_reference=float(result.rank_in_reference[i]), reference_size=result.reference_size,
        table_size=len(result.codes))
