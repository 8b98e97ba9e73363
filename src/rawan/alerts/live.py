"""A region's live score: its published values plus what verified events since publication add,
computed against the edition's stored reference (bounds, imputation values, cut-offs), so one
event moves only its own region's score and class, and no other region's.

An event adds its severity weight to a count indicator and sets a binary indicator to 1, as the
event records behind the published values did (rawan.intake.events).
"""

from __future__ import annotations

import numpy as np

from ..engine import compute
from ..engine.data import Dataset


class LiveScorer:
    """Published values and reference of one edition; ``live()`` scores regions with additions."""

    def __init__(self, result, name: str = "edisi"):
        if result.data is None:
            raise ValueError("the published result keeps no input data")
        self.spec = result.spec
        self.level = result.region_level
        self.reference = result.stored if result.stored is not None else result.to_reference(name)
        self.indicators = list(result.data.columns)
        self._col = {c: j for j, c in enumerate(self.indicators)}
        self._row = {c: i for i, c in enumerate(result.data.codes)}
        self.codes = list(result.data.codes)
        self.names = list(result.data.names or result.data.codes)
        self.values = np.array(result.data.values, dtype=float)
        self.kinds = {c: (self.spec.tree.nodes[c].kind or "score") for c in self.indicators}
        idx = result.index_code
        self.index_code = idx
        self.base_scores = np.array(result.score(idx), dtype=float)
        cat = result.categories.get(idx)
        self.labels = list(cat.labels) if cat else []
        self.cutoffs = [float(x) for x in cat.cutoffs] if cat else []
        self.base_classes = np.array(cat.classes if cat else np.full(len(self.codes), -1), dtype=int)
        self.slopes = self._slopes()
        self._exact: dict[str, tuple[dict[str, float], float]] = {}  # region -> (additions, live score)

    # ---- screening: skip a computation that cannot reach a cut-off ---------------------------------
    def _slopes(self) -> np.ndarray | None:
        """Per indicator, an upper bound of how much the index can rise per unit of value, when the
        model is linear in its values (goalposts normalisation, no imputation, arithmetic means
        everywhere); None otherwise (every live score is then computed)."""
        from ..engine.pipeline import goalposts_for

        plan = self.spec.plan
        if plan.indicators != self.indicators:
            return None
        if any(getattr(m, "name", m) != "goalposts" for m, _p, _c in plan.normalisation):
            return None
        if any(getattr(m, "name", m) != "none" for m, _p, _c in plan.imputation):
            return None
        if any(getattr(step[3], "name", step[3]) != "arithmetic" for step in plan.steps):
            return None
        m = len(plan.indicators)
        scale = np.full(m, np.nan)
        for _m, params, cols in plan.normalisation:
            scale[cols] = float(params.get("upper", 100.0)) - float(params.get("lower", 0.0))
        gp = goalposts_for(plan, self.level)
        span = gp[:, 1] - gp[:, 0]
        share = np.zeros(m + len(plan.aggregates))
        share[m + plan.aggregates.index(self.index_code)] = 1.0
        for a, kids, w, _meth, _p, _mc in reversed(plan.steps):  # top-down: a parent's share to its children
            share[kids] += share[m + plan.aggregates.index(a)] * w / w.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            slopes = share[:m] * scale / span * (plan.directions > 0)
        return slopes if np.all(np.isfinite(slopes)) else None

    def upper_bound(self, region: str, added: dict[str, float]) -> float | None:
        """An upper bound of the region's live score with ``added``, from its last computed live
        score; None when no bound is known (compute it)."""
        if self.slopes is None:
            return None
        last = self._exact.get(region)
        if last is None:
            i = self._row[region]
            if np.isnan(self.values[i]).any():  # a missing value changes the weights: no linear bound
                return None
            last = ({}, float(self.base_scores[i]))
            self._exact[region] = last
        old, score = last
        if any(added.get(k, 0.0) < v for k, v in old.items()):  # not a growth of the last state: no bound
            return None
        row = self.values[self._row[region]]
        rise = 0.0
        for ind, w in added.items():
            j = self._col.get(ind)
            if j is None:
                continue
            before = old.get(ind, 0.0)
            if self.kinds[ind] == "binary":
                rise += self.slopes[j] if (row[j] + before <= 0 < w) else 0.0
            elif w > before:
                rise += self.slopes[j] * (w - before)
        return score + rise

    def remember(self, region: str, added: dict[str, float], score: float) -> None:
        self._exact[region] = (dict(added), score)

    def has(self, region: str) -> bool:
        return region in self._row

    def baseline(self, region: str) -> tuple[float, int]:
        i = self._row[region]
        return float(self.base_scores[i]), int(self.base_classes[i])

    def label(self, cls: int) -> str:
        return self.labels[cls] if 0 <= cls < len(self.labels) else ""

    def added_values(self, region: str, added: dict[str, float]) -> np.ndarray:
        row = self.values[self._row[region]].copy()
        for ind, w in added.items():
            j = self._col.get(ind)
            if j is None:
                continue
            kind = self.kinds[ind]
            base = row[j] if not np.isnan(row[j]) else 0.0
            if kind == "binary":
                row[j] = 1.0
            elif kind == "count":
                row[j] = base + w
        return row

    def live(self, additions: dict[str, dict[str, float]]) -> dict[str, tuple[float, int]]:
        """{region: (live score, class index)} for the regions given, in one computation.

        ``additions`` maps a region to {indicator: summed severity weight of its new events}."""
        regions = [r for r in additions if r in self._row]
        if not regions:
            return {}
        values = np.vstack([self.added_values(r, additions[r]) for r in regions])
        data = Dataset(codes=regions, columns=self.indicators, values=values,
                       names=[self.names[self._row[r]] for r in regions], source="live")
        res = compute(self.spec, data, region_level=self.level, reference=self.reference)
        scores = res.score(res.index_code)
        cat = res.categories.get(res.index_code)
        out = {}
        for i, r in enumerate(res.codes):
            out[r] = (float(scores[i]), int(cat.classes[i]) if cat is not None else -1)
        return out

    def baseline_count(self, region: str, indicators: tuple[str, ...] = ()) -> float:
        """The summed published value of the (count and binary) indicators of a region: how many
        severity-weighted events its published data holds (the rate rule's baseline)."""
        row = self.values[self._row[region]] if region in self._row else None
        if row is None:
            return 0.0
        cols = [self._col[c] for c in (indicators or self.indicators)
                if c in self._col and self.kinds[c] in ("count", "binary")]
        v = row[cols]
        return float(np.nansum(v)) if len(cols) else 0.0
