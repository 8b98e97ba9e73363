"""Uncertainty analysis: how much do scores, ranks and classes depend on the recipe?

    from rawan.engine import load_spec, read_data, uncertainty
    ua = uncertainty(spec, data, runs=1000, seed=0)
    ua.table          # per region: nominal score/rank/category, intervals, class stability

The recipe is replayed ``runs`` times with the uncertain inputs of a
:class:`~rawan.engine.runplan.Design` (default: every weight below the index
times U(0.75, 1.25); and min-max or distance-to-max normalisation where both
keep the 0-100 scale), or exactly as a :class:`~rawan.engine.runplan.RunPlan`
says (e.g. read from a file made elsewhere).  Replays are batched
(:mod:`rawan.engine.replay`).  Variance-based sensitivity indices are in
:mod:`rawan.engine.saltelli`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .data import Dataset
from .pipeline import AUTO, Result
from .replay import Replayer
from .runplan import Design, RunPlan

STABLE_SHARE = 0.8  # below this share of runs in its nominal class a region is "unstable"


def quantiles7(x: np.ndarray, probs, axis: int = 0) -> list[np.ndarray]:
    """Quantiles with linear interpolation (Hyndman & Fan type 7, numpy's and R's
    default), written as R computes them, ``(1 - h) * x[lo] + h * x[hi]``, so that
    results agree with COINr to the last bit.  NaN are left out.  One sort for all ``probs``."""
    x = np.array(np.moveaxis(np.asarray(x), axis, -1), dtype=float, order="C")  # one copy
    x.sort(axis=-1)  # in place; NaN sort last
    cnt = np.sum(~np.isnan(x), axis=-1)
    outs = []
    for p in probs:
        out = np.full(cnt.shape, np.nan)
        for c in np.unique(cnt):
            if c == 0:
                continue
            sel = cnt == c
            index = 1.0 + (c - 1) * p
            lo, hi = int(np.floor(index)), int(np.ceil(index))
            h = index - lo
            a = x[..., lo - 1][sel]
            b = x[..., hi - 1][sel]
            out[sel] = np.where(b != a, (1 - h) * a + h * b, a)
        outs.append(out)
    return outs


def quantile7(x: np.ndarray, p: float, axis: int = 0) -> np.ndarray:
    """One quantile of :func:`quantiles7`."""
    return quantiles7(x, [p], axis)[0]


def _nanmean(x: np.ndarray, axis: int = 0) -> np.ndarray:
    if not np.isnan(x).any():
        return x.mean(axis=axis, dtype=np.float64)
    cnt = np.sum(~np.isnan(x), axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(cnt > 0, np.nansum(x, axis=axis, dtype=np.float64) / np.where(cnt > 0, cnt, 1), np.nan)


@dataclass
class UncertaintyResult:
    """The runs of an uncertainty analysis and their summaries.

    ``scores`` and ``ranks`` are (runs, regions) (ranks as float32, exact); ``classes`` (runs, regions)
    index into ``labels`` (-1 = no class), or None when the model has no
    category rule for this region level.
    """

    nominal: Result
    plan: RunPlan
    scores: np.ndarray
    ranks: np.ndarray
    classes: np.ndarray | None
    labels: list[str]
    seed: int | None
    design: Design | None

    @property
    def runs(self) -> int:
        return self.scores.shape[0]

    @property
    def codes(self) -> list[str]:
        return self.nominal.codes

    @property
    def synthetic(self) -> bool:
        return self.nominal.synthetic

    @cached_property
    def nominal_rank(self) -> np.ndarray:
        return self.nominal.rank()

    @cached_property
    def rank_shift(self) -> np.ndarray:
        """Mean absolute rank shift from the nominal ranks, per run (runs,)."""
        return _nanmean(np.abs(self.ranks - self.nominal_rank[None, :]), axis=1)  # float64

    @cached_property
    def shares(self) -> np.ndarray | None:
        """(regions, classes) share of runs in each class."""
        if self.classes is None:
            return None
        k = len(self.labels)
        return np.stack([(self.classes == c).mean(axis=0) for c in range(k)], axis=1)

    @cached_property
    def class_stability(self) -> np.ndarray:
        """Share of runs that keep each region in its nominal class (NaN without classes)."""
        n = len(self.codes)
        if self.classes is None:
            return np.full(n, np.nan)
        nom = self.nominal.categories[self.nominal.index_code].classes
        out = (self.classes == nom[None, :]).mean(axis=0)
        return np.where(nom < 0, np.nan, out)

    def unstable(self, threshold: float = STABLE_SHARE) -> list[str]:
        """Codes of regions whose class holds in fewer than ``threshold`` of the runs."""
        s = self.class_stability
        return [c for c, v in zip(self.codes, s) if not np.isnan(v) and v < threshold]

    def region(self, code: str) -> dict[str, Any]:
        """One region's row of :attr:`table` as a dict (for a region page or a report):
        ``rank``, ``rank_p05``, ``rank_p95``, ``category``, ``class_stability``, ``stable`` ..."""
        i = self.nominal.region(code)
        row = {k: (v.item() if hasattr(v, "item") else v) for k, v in self.table.iloc[i].to_dict().items()}
        cs = row.get("class_stability")
        row["stable"] = None if cs is None or np.isnan(cs) else bool(cs >= STABLE_SHARE)
        row["runs"] = self.runs
        return row

    @cached_property
    def table(self):
        """One row per region (data order): code, name, nominal score/rank/category,
        score_mean/median/p05/p95, rank_mean/median/p05/p95, share_<label> per class,
        class_stability."""
        import pandas as pd

        res = self.nominal
        root = res.index_code
        cat = res.categories.get(root)
        out: dict[str, Any] = {"code": res.codes, "name": res.names or [""] * len(res.codes),
                               "score": res.score(root), "rank": self.nominal_rank}
        if cat is not None:
            out["category"] = [cat.label_of(i) for i in range(len(res.codes))]
        for what, arr in (("score", self.scores), ("rank", self.ranks)):
            out[f"{what}_mean"] = _nanmean(arr, axis=0)
            out[f"{what}_median"], out[f"{what}_p05"], out[f"{what}_p95"] = quantiles7(arr, (0.5, 0.05, 0.95))
        if self.shares is not None:
            for j, lab in enumerate(self.labels):
                out[f"share_{lab}"] = self.shares[:, j]
            out["class_stability"] = self.class_stability
        return pd.DataFrame(out)

    def runs_table(self, what: str = "scores"):
        """Regions x runs (``r_1 ... r_N``) of index scores or ranks, like COINr's tables."""
        import pandas as pd

        arr = {"scores": self.scores, "ranks": self.ranks}[what]
        df = pd.DataFrame(arr.T, columns=[f"r_{i + 1}" for i in range(self.runs)])
        nominal = self.nominal.score(self.nominal.index_code) if what == "scores" else self.nominal_rank
        df.insert(0, "nominal", nominal)
        df.insert(0, "code", self.codes)
        return df


def uncertainty(spec, data: Dataset, *, runs: int = 1000, seed: int = 0,
                design: Design | RunPlan | str | Path | Any = None, region_level: str | None = AUTO,
                chunk: int | None = None, nominal: Result | None = None,
                workers: int | None = None) -> UncertaintyResult:
    """Replay the recipe of ``spec`` on ``data`` ``runs`` times.

    ``design``: a :class:`Design` (sampled with ``seed``), a :class:`RunPlan`, a
    plan table (pandas DataFrame) or the path of a plan file (CSV/XLSX; ``runs`` and
    ``seed`` are then ignored), or None for :meth:`Design.default`.  ``chunk`` caps
    the runs replayed at once (default: temporaries of a few MB, see Replayer.chunk_size);
    ``workers`` threads replay chunks side by side (default: CPUs, at most 2).
    """
    rep = Replayer(spec, data, region_level, nominal=nominal)
    used_design = None
    if isinstance(design, RunPlan):
        plan = design
        seed = None
    elif isinstance(design, (str, Path)):
        plan = RunPlan.read(spec, design)
        seed = None
    elif design is not None and not isinstance(design, Design):  # a DataFrame
        plan = RunPlan.from_frame(spec, design)
        seed = None
    else:
        used_design = design if design is not None else Design.default(spec, rep.X)
        plan = used_design.sample(spec, runs, seed)
    out = rep.replay(plan, chunk=chunk, workers=workers)
    return UncertaintyResult(nominal=rep.nominal, plan=plan, scores=out.scores, ranks=out.ranks,
                             classes=out.classes, labels=out.labels, seed=seed, design=used_design)


def leave_one_out(spec, data: Dataset, *, region_level: str | None = AUTO, nominal: Result | None = None,
                  workers: int | None = None):
    """Leave each indicator out once (its weight 0, all else nominal): how far do ranks and
    classes move?  One row per indicator: ``code, mean_abs_rank_shift, max_abs_rank_shift,
    regions_changing_class`` (the last is empty without categories)."""
    import pandas as pd

    plan = RunPlan.leave_each_out(spec)
    ua = uncertainty(spec, data, design=plan, region_level=region_level, nominal=nominal, workers=workers)
    shift = np.abs(ua.ranks - ua.nominal_rank[None, :])
    out = {"code": list(spec.tree.indicators), "mean_abs_rank_shift": ua.rank_shift,
           "max_abs_rank_shift": np.nanmax(np.where(np.isnan(shift), -np.inf, shift), axis=1)}
    if ua.classes is not None:
        nom = ua.nominal.categories[ua.nominal.index_code].classes
        out["regions_changing_class"] = (ua.classes != nom[None, :]).sum(axis=1)
    return pd.DataFrame(out)
