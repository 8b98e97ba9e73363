"""Known answers, computed by hand, for every registered method."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rawan.engine import methods as M

nan = np.nan


def norm(name, x, direction=1, goalposts=None, **params):
    X = np.asarray(x, dtype=float).reshape(-1, 1)
    gp = None if goalposts is None else np.asarray([goalposts], dtype=float)
    return M.get("normalisation", name).func(X, np.array([direction]), gp, **params)[:, 0]


def agg(name, rows, w, **params):
    return M.get("aggregation", name).func(np.asarray(rows, dtype=float), np.asarray(w, dtype=float), **params)


def close(a, b):
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=0, atol=1e-12,
                               equal_nan=True)


# ---- normalisation ---------------------------------------------------------

def test_minmax_known_answers():
    close(norm("minmax", [1, 2, 3]), [0, 50, 100])
    close(norm("minmax", [1, 2, 3], direction=-1), [100, 50, 0])
    close(norm("minmax", [1, 2, 3], lower=1, upper=10), [1, 5.5, 10])
    close(norm("minmax", [1, nan, 3]), [0, nan, 100])


def test_minmax_constant_column_rule():
    close(norm("minmax", [4, 4, nan]), [0, 0, nan])
    close(norm("minmax", [4, 4], constant="mid"), [50, 50])
    close(norm("minmax", [4, 4], constant="upper"), [100, 100])
    close(norm("minmax", [4, 4], constant="missing"), [nan, nan])


def test_goalposts_known_answers_and_clipping():
    close(norm("goalposts", [0, 5, 10, 15, -5], goalposts=(0, 10)), [0, 50, 100, 100, 0])
    close(norm("goalposts", [0, 5, 10], direction=-1, goalposts=(0, 10)), [100, 50, 0])
    close(norm("goalposts", [15], goalposts=(0, 10), clip=False), [150])


def test_zscore_known_answers():
    close(norm("zscore", [1, 2, 3]), [-1, 0, 1])  # sample SD of 1,2,3 is 1
    close(norm("zscore", [1, 2, 3], mean=10, sd=2), [8, 10, 12])
    close(norm("zscore", [1, 2, 3], direction=-1), [1, 0, -1])
    z = norm("zscore", [3.0, 7.0, 1.0, 9.0, 4.0], mean=5, sd=3)
    assert math.isclose(z.mean(), 5, abs_tol=1e-12) and math.isclose(z.std(ddof=1), 3, abs_tol=1e-12)


def test_rank_and_percentile_average_ties():
    close(norm("rank", [10, 20, 20, 30]), [1, 2.5, 2.5, 4])
    close(norm("rank", [10, 20, 30], direction=-1), [3, 2, 1])
    close(norm("percentile", [10, 20, 20, 30]), [0, 50, 50, 100])
    close(norm("percentile", [5, nan, 7]), [0, nan, 100])


def test_distance_to_max():
    close(norm("distance_to_max", [0, 5, 10]), [0, 50, 100])
    close(norm("distance_to_max", [2, 4, 8], direction=-1), [100, 50, 25])
    with pytest.raises(ValueError):
        norm("distance_to_max", [-1, 2])


def test_none_applies_direction_only():
    close(norm("none", [1, 2]), [1, 2])
    close(norm("none", [1, 2], direction=-1), [-1, -2])


# ---- imputation ------------------------------------------------------------

def imp(name, x, groups=None, **params):
    X = np.asarray(x, dtype=float).reshape(-1, 1)
    return M.get("imputation", name).func(X, groups, **params)[:, 0]


def test_imputation_known_answers():
    close(imp("none", [1, nan, 3]), [1, nan, 3])
    close(imp("mean", [1, nan, 3]), [1, 2, 3])
    close(imp("median", [1, nan, 2, 10]), [1, 2, 2, 10])
    close(imp("zero", [1, nan]), [1, 0])
    close(imp("group_mean", [1, nan, 3, 5, nan], groups=np.array(list("aabbb")), by="g"), [1, 1, 3, 5, 4])


# ---- aggregation -----------------------------------------------------------

def test_arithmetic_weighted_and_missing_left_out():
    close(agg("arithmetic", [[10, 20]], [1, 3]), [17.5])
    close(agg("arithmetic", [[10, nan]], [1, 3]), [10])  # weights renormalised over available
    close(agg("arithmetic", [[nan, nan]], [1, 1]), [nan])


def test_geometric_rule_for_zeros():
    close(agg("geometric", [[4, 16]], [1, 1]), [8])
    close(agg("geometric", [[4, 16]], [1, 3]), [2 ** 3.5])
    close(agg("geometric", [[0, 16]], [1, 1]), [0])  # zero rule: a zero child makes it 0
    close(agg("geometric", [[0, 8]], [1, 1], zeros="offset", offset=1), [2])  # sqrt(1*9) - 1
    with pytest.raises(ValueError):
        agg("geometric", [[-1, 4]], [1, 1])


def test_harmonic_sum_min_max():
    close(agg("harmonic", [[2, 6]], [1, 1]), [3])
    close(agg("harmonic", [[0, 6]], [1, 1]), [0])
    close(agg("sum", [[1, 2]], [2, 3]), [8])
    close(agg("sum", [[1, nan]], [2, 3]), [2])
    close(agg("min", [[5, 2, nan]], [1, 1, 1]), [2])
    close(agg("max", [[5, 2, nan]], [1, 1, 1]), [5])


def test_geometric_not_above_arithmetic():
    rng = np.random.default_rng(1)
    X = rng.uniform(0.1, 100, size=(200, 5))
    w = rng.uniform(0.1, 3, size=5)
    assert np.all(agg("geometric", X, w) <= agg("arithmetic", X, w) + 1e-9)
    assert np.all(agg("harmonic", X, w) <= agg("geometric", X, w) + 1e-9)


def test_aggregation_batches_over_leading_axes():
    X = np.array([[[1, 3]], [[5, 7]]], dtype=float)  # (runs, regions, children)
    close(agg("arithmetic", X, [1, 1]).ravel(), [2, 6])


# ---- classification and ranking ---------------------------------------------

def test_fixed_cutoffs_value_on_cut_goes_up():
    cuts = M.get("classification", "fixed").func(np.array([]), cutoffs=[13.47, 49.33])
    close(M.classify(np.array([13.46, 13.47, 49.32, 49.33, 100, nan]), cuts), [0, 1, 1, 2, 2, -1])
    with pytest.raises(ValueError):
        M.get("classification", "fixed").func(np.array([]), cutoffs=[5, 1])


def test_mean_sd_reproduces_published_province_rule():
    x = np.array([1, 2, 3, 4, 5, nan], dtype=float)
    sd = math.sqrt(2.5)
    close(M.get("classification", "mean_sd").func(x, k=1), [3 - sd, 3 + sd])
    close(M.get("classification", "mean_sd").func(x, k=0.5), [3 - sd / 2, 3 + sd / 2])


def test_quantiles():
    close(M.get("classification", "quantiles").func(np.arange(1.0, 7.0)), np.quantile(np.arange(1.0, 7.0), [1 / 3, 2 / 3]))
    close(M.get("classification", "quantiles").func(np.array([0.0, 10.0]), probs=[0.5]), [5])


def test_jenks_finds_obvious_groups():
    x = np.array([1, 2, 3, 10, 11, 12, 30, 31, 32], dtype=float)
    close(M.get("classification", "jenks").func(x, n_classes=3), [10, 30])
    close(M.get("classification", "jenks").func(np.array([1, 1.5, 9, 9.5]), n_classes=2), [9])


def test_jenks_is_optimal_against_brute_force():
    rng = np.random.default_rng(7)
    x = np.sort(rng.uniform(0, 100, 12))

    def ssd(parts):
        return sum(((p - p.mean()) ** 2).sum() for p in parts)

    best = min(((i, j) for i in range(1, 11) for j in range(i + 1, 12)),
               key=lambda ij: ssd([x[: ij[0]], x[ij[0]: ij[1]], x[ij[1]:]]))
    close(M.get("classification", "jenks").func(x, n_classes=3), [x[best[0]], x[best[1]]])


def test_rank_min_descending_ties_share_lowest():
    close(M.rank_min(np.array([10, 20, 20, 5, nan])), [3, 1, 1, 4, nan])


def test_every_method_has_bilingual_summary():
    for step in M.STEPS:
        for m in M.REGISTRY[step].values():
            assert m.summary["id"] and m.summary["en"], (step, m.name)


def test_unknown_parameter_is_refused():
    with pytest.raises(TypeError, match="allowed: constant, lower, upper"):
        M.get("normalisation", "minmax").bind({"lowr": 1})
