"""Replay a recipe many times at once: the batched form of :func:`compute`.

Runs that share their discrete choices (imputation, normalisation, aggregation
per level, category rule) are replayed together as arrays with a leading run
axis: the normalised indicators are computed once per (imputation,
normalisation) pair and shared by every run; a weighted arithmetic mean is
accumulated child by child on ``(runs, regions)`` arrays, any other aggregation
method is one call of the registered method on a ``(runs, regions, children)``
array with ``(runs, 1, children)`` weights.  There is no Python loop per run
around normalisation or aggregation; the loop is over groups of runs, chunks
(which bound the memory, and run in up to two threads) and the aggregates of
the hierarchy.

The arithmetic is :func:`compute`'s (the registry's methods; for the arithmetic
mean the same formula with sums in the same child order): with the nominal
recipe, every run gives the nominal scores bit for bit.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from . import methods as M
from .data import Dataset
from .errors import ComputeError, DataError, Problem
from .pipeline import AUTO, Result, _normalise, compute, coverage_matrix, goalposts_for
from .runplan import NOMINAL, Choice, RunPlan
from .spec import Spec

CHUNK_CELLS = 2**18  # (runs x regions x children) per temporary array: ~2 MB, cache-friendly


@dataclass
class Replay:
    """Index scores and classes of every run, in run order."""

    scores: np.ndarray  # (runs, regions)
    ranks: np.ndarray  # (runs, regions) descending, ties at the minimum (float32: exact up to 2^24)
    classes: np.ndarray | None  # (runs, regions) int8 index into labels, -1 = none
    labels: list[str]


def _arithmetic_sequential(children: list[np.ndarray], w: np.ndarray) -> np.ndarray:
    """methods.a_arithmetic for (runs, k) weights, one child at a time.

    The same formula (mean anchored on the smallest available child, missing children
    left out and the weights renormalised) with the sums over children taken in child
    order, as compute() takes them on its column-major arrays: results are identical to
    the last bit, without (runs, regions, children) temporaries.  ``children``: (regions,)
    arrays shared by every run, or (runs, regions)."""
    ref = children[0]
    for c in children[1:]:
        ref = np.fmin(ref, c)  # NaN ignored; order does not matter for a minimum
    ref = np.where(np.isnan(ref), 0.0, ref)
    dev = wsum = None
    for j, c in enumerate(children):
        wj = w[:, j][:, None]  # (runs, 1)
        miss = np.isnan(c)
        if miss.any():
            d = np.where(miss, 0.0, c - ref) * wj
            a = np.where(miss, 0.0, wj)  # a fresh (runs, regions) array
        else:
            d = (c - ref) * wj
            a = wj  # the same value in every region: stays (runs, 1) until a child misses somewhere
        if dev is None:
            dev, wsum = d, a
        else:
            dev += d  # dev is a fresh array of its own: in place is safe
            if wsum.shape == d.shape:
                wsum += a  # a fresh (runs, regions) array by now (never a view of w)
            else:
                wsum = wsum + a
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(wsum > 0, ref + dev / np.where(wsum > 0, wsum, 1.0), np.nan)


class Replayer:
    """Holds one spec and one data set; replays run plans on them."""

    def __init__(self, spec: Spec, data: Dataset, region_level: str | None = AUTO,
                 nominal: Result | None = None):
        self.spec = spec
        self.nominal = nominal if nominal is not None else compute(spec, data, region_level)
        self.data = data
        self.plan = spec.plan
        self.tree = spec.tree
        ind = self.plan.indicators
        self.X = data.values if data.columns == ind else data.subset(ind)
        self.n, self.m = self.X.shape
        self.p = len(self.plan.aggregates)
        self._imputed: dict[Choice, np.ndarray] = {}
        self._normalised: dict[tuple[Choice, Choice], np.ndarray] = {}
        self._coverage: dict[Choice, np.ndarray] = {}
        root = self.tree.root
        self.category = self.nominal.categories.get(root)
        self.labels = list(self.category.labels) if self.category else []
        self.root_col = self.plan.aggregates.index(root)
        self.max_children = max(len(s[1]) for s in self.plan.steps)

    # ---- shared, per discrete choice -----------------------------------
    def imputed(self, choice: Choice) -> np.ndarray:
        if choice.method == NOMINAL:
            return self.nominal.raw
        if choice not in self._imputed:
            method = M.get("imputation", choice.method)
            params = method.bind(choice.kwargs)
            groups = None
            if method.name == "group_mean":
                by = params.get("by", "")
                if by not in self.data.attributes:
                    raise DataError(Problem("data.group_missing", {"code": "*", "group": by}))
                groups = self.data.attributes[by]
            self._imputed[choice] = self._call(method.func, {"imputation": choice}, self.X.copy(), groups, **params)
        return self._imputed[choice]

    def coverage(self, imp: Choice) -> np.ndarray:
        if imp.method == NOMINAL:
            return self.nominal.completeness
        if imp not in self._coverage:
            X = self.imputed(imp)
            self._coverage[imp] = coverage_matrix(self.plan, ~np.isnan(X), self.spec.methods.coverage)
        return self._coverage[imp]

    def normalised(self, imp: Choice, norm: Choice) -> np.ndarray:
        """(regions, indicators) normalised scores, column-major like compute()'s."""
        if imp.method == NOMINAL and norm.method == NOMINAL:
            return self.nominal.scores[:, : self.m]
        key = (imp, norm)
        if key not in self._normalised:
            X = self.imputed(imp)
            S = np.empty((self.n, self.m), order="F")
            plan = self.plan
            level = self.nominal.region_level
            if norm.method == NOMINAL:
                try:
                    S[:] = _normalise(plan, X, level, self.nominal.stored, None, None)
                except ComputeError as e:
                    raise ComputeError(Problem("robust.method_failed", {
                        "combo": f"imputation={imp.label}", "detail": e.render("en")[0]})) from None
            else:
                method = M.get("normalisation", norm.method)
                S[:] = self._call(method.func, {"imputation": imp, "normalisation": norm}, X,
                                  plan.directions, goalposts_for(plan, level), None, **method.bind(norm.kwargs))
            self._normalised[key] = S
        return self._normalised[key]

    @staticmethod
    def _call(func, combo: dict[str, Choice], *args, **kw):
        try:
            return func(*args, **kw)
        except ValueError as e:
            raise ComputeError(Problem("robust.method_failed", {
                "combo": ", ".join(f"{k}={v.label}" for k, v in combo.items()), "detail": str(e)})) from None

    # ---- the batch ------------------------------------------------------
    def chunk_size(self) -> int:
        """Runs per chunk: temporaries of a few MB stay in cache (measured faster than
        large chunks) and bound the memory."""
        return int(max(8, min(4096, CHUNK_CELLS // (self.n * self.max_children))))

    def aggregate(self, S0: np.ndarray, cov: np.ndarray, W: np.ndarray,
                  agg: dict[int, Choice], combo: dict[str, Choice]) -> np.ndarray:
        """Every aggregate of every run in ``W`` (runs, m + p): (p, runs, regions)."""
        B, n, m = W.shape[0], self.n, self.m
        P = np.empty((self.p, B, n))
        for k, (a, idx, _w, method, params, min_cov) in enumerate(self.plan.steps):
            ch = agg.get(self.tree.level[a])
            if ch is not None and ch.method != NOMINAL:
                method = M.get("aggregation", ch.method)
                params = method.bind(ch.kwargs)
            if method.name == "arithmetic":  # the common case, child by child (same sums, less memory)
                P[k] = _arithmetic_sequential([S0[:, c] if c < m else P[c - m] for c in idx], W[:, idx])
                low = cov[:, k] < min_cov - 1e-12
                if low.any():
                    P[k][:, low] = np.nan
                continue
            if np.all(idx < m):
                X = S0[:, idx][None]  # (1, n, k): shared by every run
            else:
                Xk = np.empty((len(idx), B, n))
                for j, c in enumerate(idx):
                    Xk[j] = S0[:, c] if c < m else P[c - m]
                X = Xk.transpose(1, 2, 0)  # (B, n, k), children outermost in memory, as compute()'s
            w = W[:, idx][:, None, :]
            try:
                out = method.func(X, w, **params)
            except ValueError as e:
                detail = f"{a}: {e}"
                raise ComputeError(Problem("robust.method_failed", {
                    "combo": ", ".join(f"{k_}={v.label}" for k_, v in combo.items()) or NOMINAL,
                    "detail": detail})) from None
            P[k] = out
            low = cov[:, k] < min_cov - 1e-12
            if low.any():
                P[k][:, low] = np.nan
        return P

    def classify(self, scores: np.ndarray, rule: Choice) -> np.ndarray:
        """(runs, regions) classes under the nominal rule or an alternative one."""
        cat = self.category
        if rule.method == NOMINAL:
            method, params = M.get("classification", cat.rule), cat.params
        else:
            method = M.get("classification", rule.method)
            params = method.bind(rule.kwargs)
        ncut = len(self.labels) - 1
        if method.name == "fixed":
            cuts = np.asarray(method.func(scores[0], **params), dtype=float)
            self._check_cuts(cuts, ncut, rule)
            return M.classify(scores, cuts).astype(np.int8)
        if method.name == "mean_sd" and not np.isnan(scores).any() and scores.shape[1] >= 2:
            mu = scores.mean(axis=-1)
            sd = scores.std(axis=-1, ddof=1)
            k = params["k"]
            cuts = np.stack([mu - k * sd, mu + k * sd], axis=-1)
            self._check_cuts(cuts[0], ncut, rule)
        else:  # quantiles, jenks, or missing scores: the rule itself, run by run
            cuts = np.stack([np.asarray(method.func(s, **params), dtype=float) for s in scores])
            self._check_cuts(cuts[0], ncut, rule)
        cls = (scores[:, :, None] >= cuts[:, None, :]).sum(axis=-1).astype(np.int8)
        bad = np.isnan(scores) | np.isnan(cuts).any(axis=-1)[:, None]
        cls[bad] = -1
        return cls

    def _check_cuts(self, cuts: np.ndarray, ncut: int, rule: Choice) -> None:
        if cuts.shape[-1] != ncut:
            raise ComputeError(Problem("robust.design", {
                "detail": f"category rule {rule.label} gives {cuts.shape[-1] + 1} classes, the model has {ncut + 1}"}))

    def replay(self, runplan: RunPlan, chunk: int | None = None, workers: int | None = None) -> Replay:
        """Index score, rank and class of every region in every run of ``runplan``.

        ``workers`` threads replay chunks side by side (numpy releases the GIL in its
        array loops); default: the number of CPUs, at most 2.  Every chunk writes its own
        rows, so the results do not depend on ``workers`` or ``chunk``."""
        N = runplan.runs
        chunk = int(chunk) if chunk else self.chunk_size()
        workers = int(workers) if workers else min(2, os.cpu_count() or 1)
        names = list(runplan.picks)
        keys = np.column_stack([runplan.picks[k] for k in names]) if names else np.zeros((N, 1), dtype=np.int64)
        groups, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        scores = np.empty((N, self.n))
        ranks = np.empty((N, self.n), dtype=np.float32)
        want_cls = self.category is not None
        classes = np.empty((N, self.n), dtype=np.int8) if want_cls else None
        W_all = runplan.weights
        tasks = []
        for g, key in enumerate(groups):
            combo = {name: runplan.options[name][int(key[i])] for i, name in enumerate(names)}
            imp = combo.get("imputation", Choice(NOMINAL))
            norm = combo.get("normalisation", Choice(NOMINAL))
            rule = combo.get("category", Choice(NOMINAL))
            agg = {int(name.removeprefix("aggregation_L")): ch for name, ch in combo.items()
                   if name.startswith("aggregation_L")}
            varied = {k: v for k, v in combo.items() if v.method != NOMINAL}
            S0 = self.normalised(imp, norm)  # computed here, once, before any thread starts
            cov = self.coverage(imp)
            runs = np.flatnonzero(inverse == g)
            for start in range(0, len(runs), chunk):
                tasks.append((runs[start: start + chunk], S0, cov, agg, rule, varied))

        def work(task):
            r, S0, cov, agg, rule, varied = task
            W = W_all[r]
            lo = runplan.leave_out[r]
            if np.any(lo >= 0):
                W = W.copy()
                hit = np.flatnonzero(lo >= 0)
                W[hit, lo[hit]] = 0.0
            P = self.aggregate(S0, cov, W, agg, varied)
            idx_scores = P[self.root_col]
            scores[r] = idx_scores
            ranks[r] = M.rank_min(idx_scores)  # per chunk: memory stays bounded
            if want_cls:
                classes[r] = self.classify(idx_scores, rule)

        if workers > 1 and len(tasks) > 1:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for _ in pool.map(work, tasks):  # re-raises the first error
                    pass
        else:
            for task in tasks:
                work(task)
        return Replay(scores=scores, ranks=ranks, classes=classes, labels=self.labels)
