"""One registry of named methods on numeric arrays.

Every method of every pipeline step is registered here with its parameters and
their defaults, and is found by name from a methodology file.  The layers:

* normalisation: ``f(X, directions, goalposts, **params)``; ``X`` is
  ``(..., regions, indicators)``, reduced over the regions axis (-2);
* imputation: ``f(X, groups, **params)`` with the same shape;
* aggregation: ``f(X, weights, **params)``; ``X`` is ``(..., regions, children)``,
  reduced over the last axis; missing children (NaN) are left out and the
  weights of the others renormalised;
* classification: ``f(scores, **params) -> cut-offs`` (ascending); a value at or
  above a cut-off goes to the higher class.

NaN means "no data" everywhere.  Functions never print and never read settings.
"""

from __future__ import annotations

import inspect
import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

STEPS = ("normalisation", "imputation", "aggregation", "classification")


class NegativeValues(ValueError):
    """The data holds negative values where the method needs values >= 0."""


@dataclass(frozen=True)
class Method:
    step: str
    name: str
    func: Callable[..., Any]
    params: dict[str, Any]  # allowed parameters with their defaults
    summary: dict[str, str]  # one line, id/en

    def bind(self, params: dict[str, Any]) -> dict[str, Any]:
        """Defaults overlaid with ``params``; unknown names raise ``TypeError``."""
        unknown = sorted(set(params) - set(self.params))
        if unknown:
            raise TypeError(
                f"unknown parameter(s) {', '.join(unknown)}; allowed: "
                + (", ".join(sorted(self.params)) or "none")
            )
        out = dict(self.params)
        out.update(params)
        return out


REGISTRY: dict[str, dict[str, Method]] = {step: {} for step in STEPS}


def register(step: str, name: str, summary_id: str, summary_en: str):
    """Register ``func`` as method ``name`` of ``step``.

    Its keyword-only arguments with defaults are the method's parameters.
    """

    def deco(func):
        sig = inspect.signature(func)
        params = {
            p.name: p.default
            for p in sig.parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        }
        REGISTRY[step][name] = Method(step, name, func, params, {"id": summary_id, "en": summary_en})
        return func

    return deco


_PROBE_X = np.array([[1.0, 4.0], [1.0, 2.0], [1.0, 3.0]])  # a constant column and a varying one


def check_params(step: str, name: str, params: dict[str, Any]) -> str | None:
    """Why these parameter values are wrong (a sentence), or None: a dry run on a tiny array."""
    method = get(step, name)
    try:
        bound = method.bind(params)
        if step == "normalisation":
            gp = np.array([[0.0, 10.0], [0.0, 10.0]])
            method.func(_PROBE_X, np.array([1.0, -1.0]), gp, **bound)
        elif step == "imputation":
            if name != "group_mean":
                method.func(_PROBE_X, None, **bound)
        elif step == "aggregation":
            method.func(_PROBE_X, np.array([1.0, 1.0]), **bound)
        else:
            method.func(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), **bound)
    except (TypeError, ValueError) as e:
        return str(e)
    return None


def get(step: str, name: str) -> Method:
    try:
        return REGISTRY[step][name]
    except KeyError:
        raise KeyError(f"unknown {step} method {name!r}") from None


def names(step: str) -> list[str]:
    return sorted(REGISTRY[step])


# --------------------------------------------------------------------------
# helpers


def _col_stat(fn, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        return fn(X, axis=-2, keepdims=True)


def apply_direction(X: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """x' = direction * x (COINr's convention: direction first, then normalise)."""
    return X * np.asarray(directions, dtype=float)


# --------------------------------------------------------------------------
# normalisation


@register("normalisation", "minmax",
          "Min-maks ke [lower, upper] antar wilayah; kolom konstan mendapat nilai 'constant'",
          "Min-max to [lower, upper] across regions; a constant column gets 'constant'")
def n_minmax(X, directions, goalposts=None, stats=None, out=None, *, lower=0.0, upper=100.0, constant="lower"):
    """COINr's order of operations: x' = direction * x, then
    ``(x' - min) / (max - min) * (upper - lower) + lower``, so that values COINr ties, rawan ties.

    ``stats``: the raw (min, max) per indicator of a stored reference instead of this table's.
    ``out``: an array of X's shape to write into (the engine's score matrix), or None.
    """
    fill = {"lower": lower, "upper": upper, "mid": (lower + upper) / 2.0, "missing": np.nan}
    if constant not in fill:
        raise ValueError("constant must be one of lower, mid, upper, missing")
    if not lower < upper:
        raise ValueError("lower must be less than upper")
    d = np.asarray(directions, dtype=float)
    if stats is None:
        stats = fit_minmax(X)
    raw_lo, raw_hi = stats
    lo = np.where(d < 0, -raw_hi, raw_lo)  # bounds of the direction-applied values (exact)
    hi = np.where(d < 0, -raw_lo, raw_hi)
    span = hi - lo
    flat = ~(span > 0)
    X = np.asarray(X)
    if np.broadcast_shapes(X.shape, d.shape, lo.shape) != X.shape or X.dtype != np.float64:
        Xd = apply_direction(X, d)
        with np.errstate(invalid="ignore", divide="ignore"):
            res = (Xd - lo) / np.where(flat, 1.0, span) * (upper - lower) + lower
        res = np.where(flat & ~np.isnan(X), fill[constant], res)
        if out is not None:
            out[...] = res
            return out
        return res
    # the usual case: the same operations in the same order, in place on one array
    res = np.multiply(X, d, out=out) if out is not None else X * d
    with np.errstate(invalid="ignore", divide="ignore"):
        res -= lo
        res /= np.where(flat, 1.0, span)
        res *= upper - lower
        res += lower
    if flat.any():  # constant columns (rare): 'constant' where a value is given
        np.copyto(res, fill[constant], where=np.broadcast_to(flat, res.shape) & ~np.isnan(X))
    return res


def fit_minmax(X):
    """Raw (min, max) per indicator over the regions axis; NaN ignored."""
    return (np.fmin.reduce(X, axis=-2, keepdims=True), np.fmax.reduce(X, axis=-2, keepdims=True))


@register("normalisation", "goalposts",
          "Skala [lower, upper] terhadap goalposts tiap indikator [rendah, tinggi]; di luar goalposts dipotong",
          "Scale to [lower, upper] against each indicator's goalposts [low, high]; values outside are clipped")
def n_goalposts(X, directions, goalposts=None, stats=None, out=None, *, lower=0.0, upper=100.0, clip=True):
    """``out``: an array of X's shape to write into (the engine's score matrix), or None."""
    if not lower < upper:
        raise ValueError("lower must be less than upper")
    if goalposts is None:
        raise ValueError("goalposts normalisation needs goalposts on every indicator")
    gp = np.asarray(goalposts, dtype=float)
    g_lo, g_hi = gp[..., 0], gp[..., 1]
    d = np.asarray(directions, dtype=float)
    span = g_hi - g_lo
    with np.errstate(invalid="ignore", divide="ignore"):
        if np.all(d > 0):  # the usual case: one array (fresh, or out), then in place
            frac = np.subtract(X, g_lo, out=out) if out is not None else X - g_lo
            frac /= span
        else:
            frac = np.where(d > 0, (X - g_lo) / span, (g_hi - X) / span)
    if clip:
        np.clip(frac, 0.0, 1.0, out=frac)
    frac *= upper - lower
    frac += lower
    if out is not None and frac is not out:
        out[...] = frac
        return out
    return frac


@register("normalisation", "zscore",
          "Skor-z dengan rata-rata 'mean' dan simpangan baku 'sd' (SD sampel, n-1)",
          "z-score with the given 'mean' and 'sd' (sample SD, n-1)")
def n_zscore(X, directions, goalposts=None, stats=None, *, mean=0.0, sd=1.0):
    if not sd > 0:
        raise ValueError("sd must be greater than 0")
    d = np.asarray(directions, dtype=float)
    Xd = apply_direction(X, d)
    if stats is None:
        stats = fit_zscore(X)
    raw_mu, s = stats
    mu = raw_mu * d
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (Xd - mu) / np.where(s > 0, s, 1.0)
    z = np.where((s > 0) | np.isnan(Xd), z, 0.0)  # constant column: all at the mean
    return z * sd + mean


def fit_zscore(X):
    """Raw (mean, sample SD) per indicator over the regions axis; NaN ignored."""
    mu = _col_stat(np.nanmean, X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        s = np.nanstd(X, axis=-2, ddof=1, keepdims=True)
    return (mu, s)


def _average_ranks_ascending(X):
    """Ranks (1 = smallest) along axis -2, ties averaged, NaN kept NaN."""
    X = np.asarray(X, dtype=float)
    moved = np.moveaxis(X, -2, -1)  # (..., m, n)
    out = np.full(moved.shape, np.nan)
    flat_in = moved.reshape(-1, moved.shape[-1])
    flat_out = out.reshape(-1, moved.shape[-1])
    for i, row in enumerate(flat_in):
        ok = ~np.isnan(row)
        v = row[ok]
        if v.size == 0:
            continue
        sorted_v = np.sort(v)
        left = np.searchsorted(sorted_v, v, side="left")
        right = np.searchsorted(sorted_v, v, side="right")
        flat_out[i, ok] = (left + right + 1) / 2.0
    return np.moveaxis(out, -1, -2)


@register("normalisation", "rank",
          "Peringkat menaik (1 = terendah), nilai sama mendapat rata-rata peringkat",
          "Ascending rank (1 = lowest), ties get the average rank")
def n_rank(X, directions, goalposts=None, stats=None):
    return _average_ranks_ascending(apply_direction(X, directions))


@register("normalisation", "percentile",
          "Peringkat persentil 0-100: 100 * (peringkat rata-rata - 1) / (n - 1)",
          "Percentile rank 0-100: 100 * (average rank - 1) / (n - 1)")
def n_percentile(X, directions, goalposts=None, stats=None):
    r = _average_ranks_ascending(apply_direction(X, directions))
    n = np.sum(~np.isnan(X), axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = 100.0 * (r - 1.0) / (n - 1.0)
    return np.where(n == 1, np.where(np.isnan(r), np.nan, 100.0), out)


@register("normalisation", "distance_to_max",
          "Rasio terhadap wilayah teratas: 'scale' * x / maks(x); untuk arah -1: 'scale' * min(x) / x",
          "Ratio to the leader: 'scale' * x / max(x); for direction -1: 'scale' * min(x) / x")
def n_distance_to_max(X, directions, goalposts=None, stats=None, *, scale=100.0):
    X = np.asarray(X, dtype=float)
    if np.any(X[~np.isnan(X)] < 0):
        raise NegativeValues("distance_to_max needs values >= 0")
    d = np.broadcast_to(np.asarray(directions, dtype=float), X.shape)
    lo, hi = fit_minmax(X) if stats is None else stats
    with np.errstate(invalid="ignore", divide="ignore"):
        up = np.where(hi > 0, X / np.where(hi > 0, hi, 1.0), 0.0)  # all zero: no distance to close
        down = np.where(X > 0, lo / np.where(X > 0, X, 1.0), 1.0)
    out = scale * np.where(d > 0, up, down)
    return np.where(np.isnan(X), np.nan, out)


@register("normalisation", "occurred",
          "Terjadi atau tidak: 1 bila nilai > 'threshold', selain itu 0 (untuk aturan jumlah indikator yang terjadi)",
          "Occurred or not: 1 when the value is > 'threshold', else 0 (for the count-of-indicators rule)")
def n_occurred(X, directions, goalposts=None, stats=None, *, threshold=0.0):
    X = np.asarray(X, dtype=float)
    d = np.asarray(directions, dtype=float)
    with np.errstate(invalid="ignore"):
        hit = np.where(d < 0, X < threshold, X > threshold)
    return np.where(np.isnan(X), np.nan, hit.astype(float))


# Normalisations that read the table: what they read, so that a stored reference can hold it.
# Methods that read the whole distribution (rank, percentile) cannot use a stored reference.
FITTERS = {"minmax": fit_minmax, "zscore": fit_zscore, "distance_to_max": fit_minmax}
TABLE_NORMALISATIONS = {"minmax", "zscore", "distance_to_max", "rank", "percentile"}
TABLE_IMPUTATIONS = {"mean", "median", "group_mean"}
TABLE_CLASSIFICATIONS = {"mean_sd", "quantiles", "jenks"}


@register("normalisation", "none", "Tanpa normalisasi (arah tetap diterapkan)",
          "No normalisation (direction still applied)")
def n_none(X, directions, goalposts=None, stats=None):
    return apply_direction(X, directions)


# --------------------------------------------------------------------------
# imputation (on raw values, before normalisation)


@register("imputation", "none",
          "Tanpa imputasi: nilai kosong dikeluarkan dari agregasi",
          "No imputation: missing values are left out of the aggregation")
def i_none(X, groups=None, fill=None):
    return X


@register("imputation", "mean", "Rata-rata indikator antar wilayah",
          "Mean of the indicator across regions")
def i_mean(X, groups=None, fill=None):
    return np.where(np.isnan(X), _col_stat(np.nanmean, X) if fill is None else fill, X)


@register("imputation", "median", "Median indikator antar wilayah",
          "Median of the indicator across regions")
def i_median(X, groups=None, fill=None):
    return np.where(np.isnan(X), _col_stat(np.nanmedian, X) if fill is None else fill, X)


@register("imputation", "zero", "Nol (tidak ada kejadian)", "Zero (no events)")
def i_zero(X, groups=None, fill=None):
    return np.where(np.isnan(X), 0.0, X)


@register("imputation", "group_mean",
          "Rata-rata indikator dalam kelompok wilayah (atribut 'by')",
          "Mean of the indicator within the region's group (attribute 'by')")
def i_group_mean(X, groups=None, fill=None, *, by=""):
    if groups is None:
        raise ValueError("group_mean imputation needs the group attribute 'by'")
    groups = np.asarray(groups)
    out = X.copy()
    for g in np.unique(groups):
        rows = groups == g
        sub = X[..., rows, :]
        out[..., rows, :] = np.where(np.isnan(sub), _col_stat(np.nanmean, sub), sub)
    return out


# --------------------------------------------------------------------------
# aggregation (children on the last axis)


def _weights(X, w):
    avail = ~np.isnan(X)
    return avail * np.asarray(w, dtype=float), avail


def _rowsum(A):
    """Sum over the last axis one child at a time, in child order: the same bits whatever the
    memory layout or the number of regions (numpy's own sum may pair terms differently)."""
    A = np.asarray(A, dtype=float)
    if A.shape[-1] == 0:
        return np.zeros(A.shape[:-1])
    out = np.array(A[..., 0], dtype=float, copy=True)
    for j in range(1, A.shape[-1]):
        out += A[..., j]
    return out


def _anchor(X):
    """The smallest available child per row (0 where none): every mean is computed
    relative to it, so children that are all equal give exactly their value."""
    ref = np.fmin.reduce(X, axis=-1, keepdims=True)  # NaN ignored; all NaN -> NaN
    return np.where(np.isnan(ref), 0.0, ref)


@register("aggregation", "arithmetic", "Rata-rata aritmetika berbobot",
          "Weighted arithmetic mean")
def a_arithmetic(X, w):
    """Weighted mean anchored on the smallest available child; the sums over children are
    taken one child at a time, in child order, so a region's score never depends on the
    memory layout or on how many other regions are in the table."""
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    ref = _anchor(X)[..., 0]
    dev = wsum = None
    any_missing = bool(np.isnan(ref).any()) or bool(np.isnan(X).any())
    for j in range(X.shape[-1]):
        c = X[..., j]
        wj = w[..., j]
        miss = np.isnan(c) if any_missing else None
        if miss is not None and miss.any():
            d = np.where(miss, 0.0, c - ref) * wj
            a = np.where(miss, 0.0, wj)
        else:  # the same values without the masks
            d = c - ref
            d *= wj
            a = wj
        if dev is None:
            dev = d
        else:
            dev += d  # dev is a fresh array of this call's own
        wsum = a if wsum is None else wsum + a
    if dev is None:
        return np.full(X.shape[:-1], np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(wsum > 0, ref + dev / np.where(wsum > 0, wsum, 1.0), np.nan)


@register("aggregation", "geometric",
          "Rata-rata geometrik berbobot; anak bernilai 0 membuat hasil 0 (zeros: zero), "
          "atau dihitung pada x + offset lalu dikurangi offset (zeros: offset)",
          "Weighted geometric mean; a child at 0 makes it 0 (zeros: zero), "
          "or it is computed on x + offset, minus offset (zeros: offset)")
def a_geometric(X, w, *, zeros="zero", offset=1.0):
    if zeros not in ("zero", "offset"):
        raise ValueError("zeros must be 'zero' or 'offset'")
    if not offset > 0:
        raise ValueError("offset must be greater than 0")
    wa, avail = _weights(X, w)
    wsum = _rowsum(wa)
    shift = offset if zeros == "offset" else 0.0
    Y = np.where(avail, X + shift, np.nan)
    if np.any(Y < 0):
        raise NegativeValues("negative values")
    ref = _anchor(Y)
    safe_ref = np.where(ref > 0, ref, 1.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        logs = np.where(avail & (Y > 0), np.log(np.where(Y > 0, Y, 1.0)) - np.log(safe_ref), 0.0)
        mean_log = _rowsum(wa * logs) / np.where(wsum > 0, wsum, 1.0)
        g = safe_ref[..., 0] * np.exp(mean_log)
        # a tiny (subnormal) smallest child makes exp() overflow: then in log space throughout
        g = np.where(np.isfinite(g), g, np.exp(np.log(safe_ref[..., 0]) + mean_log))
    has_zero = np.any(avail & (Y == 0), axis=-1)
    g = np.where(has_zero, 0.0, g) - shift
    return np.where(wsum > 0, g, np.nan)


@register("aggregation", "harmonic",
          "Rata-rata harmonik berbobot; anak bernilai 0 membuat hasil 0",
          "Weighted harmonic mean; a child at 0 makes it 0")
def a_harmonic(X, w):
    wa, avail = _weights(X, w)
    if np.any(X[avail] < 0):
        raise NegativeValues("negative values")
    wsum = _rowsum(wa)
    ref = _anchor(X)
    safe_ref = np.where(ref > 0, ref, 1.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(avail & (X > 0), safe_ref / np.where(X > 0, X, 1.0), 0.0)  # <= 1
        h = safe_ref[..., 0] * (wsum / _rowsum(wa * ratio))
    has_zero = np.any(avail & (X == 0), axis=-1)
    return np.where(wsum > 0, np.where(has_zero, 0.0, h), np.nan)


@register("aggregation", "sum", "Jumlah berbobot (anak kosong dihitung 0)",
          "Weighted sum (missing children count as 0)")
def a_sum(X, w):
    wa, avail = _weights(X, w)
    s = _rowsum(np.where(avail, X, 0.0) * wa)
    return np.where(avail.any(-1), s, np.nan)


@register("aggregation", "min", "Minimum nilai anak (bobot diabaikan)",
          "Minimum of the children (weights ignored)")
def a_min(X, w):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        return np.nanmin(X, axis=-1)


@register("aggregation", "max", "Maksimum nilai anak (bobot diabaikan)",
          "Maximum of the children (weights ignored)")
def a_max(X, w):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        return np.nanmax(X, axis=-1)


# --------------------------------------------------------------------------
# classification: scores -> ascending cut-offs


@register("classification", "fixed", "Batas tetap (cutoffs) dari sumber terbitan",
          "Fixed cut-offs, as published")
def c_fixed(scores, *, cutoffs=()):
    cuts = np.asarray(cutoffs, dtype=float)
    if cuts.ndim != 1 or cuts.size == 0 or np.any(np.diff(cuts) <= 0):
        raise ValueError("cutoffs must be a non-empty ascending list of numbers")
    return cuts


@register("classification", "mean_sd",
          "Rata-rata ± k × simpangan baku (SD sampel) dari skor wilayah",
          "Mean ± k × standard deviation (sample SD) of the region scores")
def c_mean_sd(scores, *, k=1.0):
    if not k > 0:
        raise ValueError("k must be greater than 0")
    v = scores[~np.isnan(scores)]
    if v.size < 2:
        return np.array([np.nan, np.nan])
    m, s = v.mean(), v.std(ddof=1)
    return np.array([m - k * s, m + k * s])


@register("classification", "quantiles",
          "Kuantil skor wilayah (probs, default sepertiga)",
          "Quantiles of the region scores (probs, thirds by default)")
def c_quantiles(scores, *, probs=(1 / 3, 2 / 3)):
    p = np.asarray(probs, dtype=float)
    if p.ndim != 1 or p.size == 0 or np.any(np.diff(p) <= 0) or p[0] <= 0 or p[-1] >= 1:
        raise ValueError("probs must be an ascending list of numbers strictly between 0 and 1")
    v = scores[~np.isnan(scores)]
    if v.size == 0:
        return np.full(len(probs), np.nan)
    return np.quantile(v, np.asarray(probs, dtype=float))


JENKS_MAX_VALUES = 5000


@register("classification", "jenks",
          "Natural breaks Jenks (Fisher, optimal) dengan n_classes kelas",
          "Jenks natural breaks (Fisher's optimal method) into n_classes classes")
def c_jenks(scores, *, n_classes=3):
    v = np.sort(scores[~np.isnan(scores)])
    k = int(n_classes)
    if k < 2 or k != n_classes:
        raise ValueError("n_classes must be a whole number, at least 2")
    if v.size > JENKS_MAX_VALUES:  # documented: evenly spaced order statistics
        v = v[np.linspace(0, v.size - 1, JENKS_MAX_VALUES).round().astype(int)]
    n = v.size
    if n < k:
        return np.full(k - 1, np.nan)
    return _fisher_jenks_breaks(v, k)


def _fisher_jenks_breaks(v: np.ndarray, k: int) -> np.ndarray:
    """Exact optimal partition of sorted ``v`` into ``k`` classes (min within SS).

    Returns the k-1 cut-offs: the first value of each upper class, so that
    ``x >= cut`` puts x in the higher class.
    """
    n = v.size
    c1 = np.concatenate([[0.0], np.cumsum(v)])
    c2 = np.concatenate([[0.0], np.cumsum(v * v)])

    def ssd(i, j):  # within SS of v[i:j], vectorised over i
        cnt = j - i
        s = c1[j] - c1[i]
        return (c2[j] - c2[i]) - s * s / cnt

    inf = np.inf
    cost = np.full((k + 1, n + 1), inf)
    back = np.zeros((k + 1, n + 1), dtype=int)
    cost[0, 0] = 0.0
    idx = np.arange(n + 1)
    for c in range(1, k + 1):
        for j in range(c, n + 1):
            i = idx[c - 1 : j]  # last class is v[i:j]
            cand = cost[c - 1, i] + ssd(i, j)
            b = int(np.argmin(cand))
            cost[c, j] = cand[b]
            back[c, j] = i[b]
    cuts = []
    j = n
    for c in range(k, 1, -1):
        i = back[c, j]
        cuts.append(v[i])
        j = i
    return np.array(cuts[::-1], dtype=float)


def classify(scores: np.ndarray, cutoffs: np.ndarray) -> np.ndarray:
    """Class index 0..len(cutoffs) per score (``x >= cut`` goes up); -1 when NaN."""
    scores = np.asarray(scores, dtype=float)
    if np.any(np.isnan(cutoffs)):
        return np.full(scores.shape, -1)
    cls = np.searchsorted(np.asarray(cutoffs), scores, side="right")
    return np.where(np.isnan(scores), -1, cls)


# --------------------------------------------------------------------------
# ranking


def rank_min(scores: np.ndarray) -> np.ndarray:
    """Descending rank, ties share the lowest rank number (COINr's "min"); NaN stays NaN.

    Works along the last axis, for all rows at once: one stable sort per row, then
    each run of equal values takes the position of its first member.
    """
    x = np.asarray(scores, dtype=float)
    if x.shape[-1] == 0:
        return x.copy()
    nan = np.isnan(x)
    key = np.where(nan, np.inf, -x)  # NaN sorts last
    order = np.argsort(key, axis=-1, kind="stable")
    sk = np.take_along_axis(key, order, axis=-1)
    pos = np.broadcast_to(np.arange(x.shape[-1]), x.shape)
    new_run = np.ones(x.shape, dtype=bool)
    new_run[..., 1:] = sk[..., 1:] != sk[..., :-1]
    first = np.maximum.accumulate(np.where(new_run, pos, 0), axis=-1)
    ranks = np.empty(x.shape)
    np.put_along_axis(ranks, order, (first + 1).astype(float), axis=-1)
    ranks[nan] = np.nan
    return ranks
