"""Variance-based sensitivity analysis: Saltelli sampling, Jansen estimators, bootstrap.

    from rawan.engine.saltelli import sensitivity
    sa = sensitivity(spec, data, n=512, seed=0)       # default design, target: mean |rank shift|
    sa.table   # factor, S1, S1_low, S1_high, ST, ST_low, ST_high

Each uncertain input of a :class:`~rawan.engine.runplan.Design` is a *factor*:
a discrete input (normalisation, aggregation at a level, category rule, leave
one out) or the weights of one level (or of one node, ``WeightDesign(group="node")``),
a group of uniform columns switched together.  With two independent uniform
samples A and B (n rows each) and, per factor i, A with factor i's columns
taken from B (A_B^i), the recipe is replayed n (k + 2) times and

    V    = Var(f(A), f(B))
    S_i  = mean(f(B) (f(A_B^i) - f(A))) / V             (first order, Saltelli et al. 2010)
    S_i  = (V - mean((f(B) - f(A_B^i))^2) / 2) / V      (first order, Jansen 1999; first_order="jansen")
    ST_i = mean((f(A) - f(A_B^i))^2) / 2 / V             (total order, Jansen 1999)

(Saltelli et al. 2010, "Variance based sensitivity analysis of model output",
Table 2).  The default first-order form is exactly 0 for an input that cannot
matter (f(A_B^i) = f(A)); Jansen's first-order form then still shows the
sampling noise of V against the mean square, the same for every factor.
Confidence intervals: percentile bootstrap over the n rows.  Plain numpy;
SALib would add a dependency for ~40 lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .data import Dataset
from .errors import Problem, SpecError
from .pipeline import AUTO, Result
from .replay import Replayer
from .runplan import Design

Target = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (scores, ranks) (runs, regions) -> (runs,)


def saltelli_uniforms(width: int, n: int, factors: dict[str, np.ndarray], seed: int = 0) -> np.ndarray:
    """Stacked [A; B; A_B^1; ...; A_B^k]: (n (k + 2), width) uniforms in [0, 1)."""
    rng = np.random.default_rng(seed)
    A = rng.random((n, width))
    B = rng.random((n, width))
    blocks = [A, B]
    for cols in factors.values():
        AB = A.copy()
        AB[:, cols] = B[:, cols]
        blocks.append(AB)
    return np.vstack(blocks)


def jansen(fA: np.ndarray, fB: np.ndarray, fAB: np.ndarray,
           first_order: str = "saltelli2010") -> tuple[np.ndarray, np.ndarray]:
    """First- and total-order indices from outputs f(A), f(B) (..., n) and f(A_B^i) (k, ..., n).

    Reductions run over the last (sample) axis, so ``fA`` may carry extra
    leading axes (e.g. bootstrap replicates).  Total order: Jansen; first order:
    ``"saltelli2010"`` (default) or ``"jansen"``."""
    V = np.var(np.concatenate([fA, fB], axis=-1), axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if first_order == "jansen":
            S1 = (V - 0.5 * np.mean((fB[None] - fAB) ** 2, axis=-1)) / V
        elif first_order == "saltelli2010":
            f0 = np.mean(np.concatenate([fA, fB], axis=-1), axis=-1, keepdims=True)
            S1 = np.mean((fB - f0)[None] * (fAB - fA[None]), axis=-1) / V  # centred: lower variance
        else:
            raise ValueError("first_order must be saltelli2010 or jansen")
        ST = 0.5 * np.mean((fA[None] - fAB) ** 2, axis=-1) / V
    zero = V == 0  # the output never moves: nothing matters
    S1 = np.where(zero, 0.0, S1)
    ST = np.where(zero, 0.0, ST)
    return S1, ST


def bootstrap(fA: np.ndarray, fB: np.ndarray, fAB: np.ndarray, *, replicates: int = 500,
              conf: float = 0.95, seed: int = 0, first_order: str = "saltelli2010") -> tuple[np.ndarray, ...]:
    """Percentile bootstrap intervals of S1 and ST: (S1_low, S1_high, ST_low, ST_high), each (k,)."""
    n = fA.shape[-1]
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(replicates, n))
    S1, ST = jansen(fA[idx], fB[idx], fAB[:, idx], first_order)  # (k, R)
    a = (1 - conf) / 2
    q = lambda x, p: np.quantile(x, p, axis=-1)  # noqa: E731
    return q(S1, a), q(S1, 1 - a), q(ST, a), q(ST, 1 - a)


def _target(spec, nominal: Result, target: str | Target) -> tuple[str, Target]:
    if callable(target):
        return getattr(target, "__name__", "custom"), target
    nominal_rank = nominal.rank()
    if target == "rank_shift":
        def f(scores, ranks):
            return np.nanmean(np.abs(ranks - nominal_rank[None, :]), axis=1)
        return target, f
    what, _, code = target.partition(":")
    if what in ("score", "rank") and code:
        i = nominal.region(code)
        return target, (lambda s, r: s[:, i]) if what == "score" else (lambda s, r: r[:, i])
    raise SpecError(Problem("robust.design", {
        "detail": f"sensitivity target {target!r}: use rank_shift, score:<region code> or rank:<region code>"}))


@dataclass
class SensitivityResult:
    factors: list[str]
    target: str
    n: int
    runs: int
    S1: np.ndarray
    ST: np.ndarray
    S1_low: np.ndarray
    S1_high: np.ndarray
    ST_low: np.ndarray
    ST_high: np.ndarray
    variance: float
    outputs: np.ndarray  # (runs,) target of every run: A, B, then A_B^i blocks
    regions: object = None  # with per_region=True: DataFrame code, S1_<factor>, ST_<factor> (rank of each region)

    @property
    def table(self):
        import pandas as pd

        return pd.DataFrame({"factor": self.factors, "S1": self.S1, "S1_low": self.S1_low,
                             "S1_high": self.S1_high, "ST": self.ST, "ST_low": self.ST_low,
                             "ST_high": self.ST_high})


def sensitivity(spec, data: Dataset, *, n: int = 256, seed: int = 0, design: Design | None = None,
                target: str | Target = "rank_shift", region_level: str | None = AUTO,
                chunk: int | None = None, nominal: Result | None = None, replicates: int = 500,
                conf: float = 0.95, first_order: str = "saltelli2010",
                workers: int | None = None, per_region: bool = False) -> SensitivityResult:
    """First- and total-order sensitivity indices of ``target`` to each factor of ``design``.

    ``target``: ``"rank_shift"`` (mean absolute rank shift from the nominal ranks,
    over regions; default), ``"score:<code>"``, ``"rank:<code>"``, or a function
    ``(scores, ranks) -> (runs,)`` of the index scores and ranks of a batch of runs.
    Costs ``n (k + 2)`` replays for ``k`` factors.  ``per_region=True`` also gives, from the
    same replays, the indices of every region's rank (point estimates, no intervals) in
    ``result.regions``: which input a region's rank depends on.
    """
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise SpecError(Problem("robust.runs", {"runs": n, "min": 2}))
    rep = Replayer(spec, data, region_level, nominal=nominal)
    design = design if design is not None else Design.default(spec, rep.X)
    if design.weights is not None and design.weights.distribution != "uniform":
        raise SpecError(Problem("robust.design", {
            "detail": "sensitivity analysis needs uniform weight factors (Dirichlet weights are for uncertainty only)"}))
    inputs = design.inputs(spec)
    if not inputs.factors:
        raise SpecError(Problem("robust.design", {"detail": "no uncertain input to analyse"}))
    name, f = _target(spec, rep.nominal, target)
    U = saltelli_uniforms(inputs.width, int(n), inputs.factors, seed)
    plan = inputs.plan_from_uniforms(U)
    out = rep.replay(plan, chunk=chunk, workers=workers)
    y = np.asarray(f(out.scores, out.ranks.astype(float)), dtype=float)
    k = len(inputs.factors)
    fA, fB, fAB = y[:n], y[n: 2 * n], y[2 * n:].reshape(k, n)
    S1, ST = jansen(fA, fB, fAB, first_order)
    lo1, hi1, loT, hiT = bootstrap(fA, fB, fAB, replicates=replicates, conf=conf, seed=seed + 1,
                                   first_order=first_order)
    V = float(np.var(np.concatenate([fA, fB])))
    regions = None
    if per_region:
        import pandas as pd

        R = out.ranks.astype(float).T  # (regions, runs)
        R = np.where(np.isnan(R), np.nanmean(R, axis=1, keepdims=True), R)  # a missing rank moves nothing
        r1, rT = jansen(R[:, :n], R[:, n: 2 * n], R[:, 2 * n:].reshape(len(R), k, n).transpose(1, 0, 2),
                        first_order)  # (k, regions)
        cols: dict = {"code": rep.nominal.codes}
        for i, f in enumerate(inputs.factors):
            cols[f"S1_{f}"] = r1[i]
        for i, f in enumerate(inputs.factors):
            cols[f"ST_{f}"] = rT[i]
        regions = pd.DataFrame(cols)
    return SensitivityResult(factors=list(inputs.factors), target=name, n=int(n), runs=len(y), S1=S1, ST=ST,
                             S1_low=lo1, S1_high=hi1, ST_low=loT, ST_high=hiT, variance=V, outputs=y,
                             regions=regions)
