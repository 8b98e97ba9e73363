"""Properties of ``compute`` on random hierarchies and random data (hypothesis).

Every test draws a methodology (1-4 aggregate levels, 1-5 children per
aggregate, random positive weights, directions +-1, kinds score/count) and a
data table with missing values, then checks a property that must hold for
every methodology and every table: bounds, invariances under permutation,
scaling and reversal, the effect of an empty region, inequalities between the
means, and agreement with a plain re-implementation of each step.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rawan.engine import Dataset, compute, spec_from_dict

from .conftest import examples

nan = np.nan
TOL = 1e-9

SETTINGS = settings(max_examples=examples(60), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

MEANS = ("arithmetic", "geometric", "harmonic", "min", "max")
# every choice of a mean, as a node-level override ({method, params})
MEAN_CHOICES = ({"method": "arithmetic"}, {"method": "geometric"},
                {"method": "geometric", "zeros": "offset"}, {"method": "harmonic"},
                {"method": "min"}, {"method": "max"})
SIGNED_CHOICES = ({"method": "arithmetic"}, {"method": "min"}, {"method": "max"})  # for data < 0


# --------------------------------------------------------------------------
# strategies


@st.composite
def hierarchies(draw, aggregations=None, equal_weights=False, max_levels=4, max_nodes=30):
    """A random valid hierarchy (list of node dicts, shuffled).

    ``aggregations``: choices drawn per aggregate as a node override; None = no override.
    """
    levels = draw(st.integers(1, max_levels))
    nodes: list[dict] = []
    count = {"a": 0, "i": 0}
    common_w = draw(st.floats(0.1, 10.0))

    def weight():
        return common_w if equal_weights else draw(st.floats(0.1, 10.0))

    def add_indicator(parent):
        code = f"i{count['i']}"
        count["i"] += 1
        nodes.append({"code": code, "name": code, "type": "indicator", "parent": parent,
                      "weight": weight(), "direction": draw(st.sampled_from([1, -1])),
                      "kind": draw(st.sampled_from(["score", "count"]))})

    def add_aggregate(parent, depth_left):
        code = f"A{count['a']}"
        count["a"] += 1
        node = {"code": code, "name": {"id": code, "en": code}, "type": "aggregate"}
        if parent is not None:
            node["parent"] = parent
            node["weight"] = weight()
        if aggregations is not None:
            node["aggregation"] = dict(draw(st.sampled_from(aggregations)))
        nodes.append(node)
        for c in range(draw(st.integers(1, 5))):
            # the first child goes down, so the tree has exactly `levels` aggregate levels
            if depth_left > 1 and (c == 0 or (len(nodes) < max_nodes and draw(st.booleans()))):
                add_aggregate(code, depth_left - 1)
            else:
                add_indicator(code)

    add_aggregate(None, levels)
    return draw(st.permutations(nodes))


def grid_values(lo=-1000, hi=1000):
    """Numbers on a 0.01 grid: ties, and spans never tiny next to the values."""
    return st.integers(lo * 100, hi * 100).map(lambda k: k / 100.0)


def any_values():
    return st.one_of(grid_values(), st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False))


@st.composite
def tables(draw, hierarchy, values=None, min_regions=1, max_regions=10):
    """(codes, columns, values) for the indicators of ``hierarchy``, with ~25% missing.

    Count indicators get non-negative values.  Columns come in a random order.
    """
    inds = [n for n in hierarchy if n["type"] == "indicator"]
    n = draw(st.integers(min_regions, max_regions))
    v = values if values is not None else any_values()
    elements = st.one_of(v, v, v, st.just(nan))
    X = draw(hnp.arrays(np.float64, (n, len(inds)), elements=elements))
    for j, node in enumerate(inds):
        if node["kind"] == "count":
            X[:, j] = np.abs(X[:, j])
    order = draw(st.permutations(range(len(inds))))
    columns = [inds[j]["code"] for j in order]
    return [f"R{i:03d}" for i in range(n)], columns, X[:, order]


def make_spec(hierarchy, normalisation, aggregation="arithmetic", min_coverage=0.5, categories=()):
    return spec_from_dict({
        "id": "prop", "version": "1", "title": "property test",
        "methods": {"default": {"normalisation": dict(normalisation), "imputation": {"method": "none"},
                                "aggregation": {"method": aggregation}, "min_coverage": min_coverage}},
        "categories": [dict(c) for c in categories],
        "hierarchy": [dict(n) for n in hierarchy],
    })


def run(spec, codes, columns, X):
    return compute(spec, Dataset(list(codes), list(columns), np.array(X, dtype=float)), region_level=None)


@st.composite
def minmax_bounds(draw, allow_negative=True):
    lower = draw(st.floats(-100.0 if allow_negative else 0.0, 100.0))
    upper = lower + draw(st.floats(0.5, 200.0))
    return lower, upper


@st.composite
def category_rules(draw, aggregates, lo, hi):
    """A rule for the index, sometimes one more for another aggregate."""
    def rule():
        name = draw(st.sampled_from(["fixed", "quantiles", "mean_sd", "jenks"]))
        if name == "fixed":
            a = draw(st.floats(0.05, 0.5))
            b = draw(st.floats(0.55, 0.95))
            return {"rule": "fixed", "cutoffs": [lo + a * (hi - lo), lo + b * (hi - lo)]}
        return {"rule": name}
    rules = [rule()]
    others = [a for a in aggregates if a != "A0"]
    if others and draw(st.booleans()):
        rules.append({**rule(), "nodes": [draw(st.sampled_from(others))]})
    return rules


# --------------------------------------------------------------------------
# plain re-implementations (independent of spec.tree)


def children_of(hierarchy):
    ch = {n["code"]: [] for n in hierarchy}
    for n in hierarchy:
        if n.get("parent"):
            ch[n["parent"]].append(n["code"])
    return ch


def leaves_of(hierarchy):
    ch = children_of(hierarchy)

    def leaves(c):
        return [c] if not ch[c] else [x for k in ch[c] for x in leaves(k)]
    return {n["code"]: leaves(n["code"]) for n in hierarchy if n["type"] == "aggregate"}


def ref_aggregate(method, v, w, zeros="zero", offset=1.0):
    """One region, one aggregate: ``v`` the children's scores (NaN = missing)."""
    ok = ~np.isnan(v)
    v, w = v[ok], w[ok]
    if v.size == 0:
        return nan
    if method == "arithmetic":
        return float(np.sum(w * v) / np.sum(w))
    if method == "sum":
        return float(np.sum(w * v))
    if method == "min":
        return float(v.min())
    if method == "max":
        return float(v.max())
    if method == "geometric":
        shift = offset if zeros == "offset" else 0.0
        if np.any(v + shift == 0):
            return -shift
        return float(np.exp(np.sum(w * np.log(v + shift)) / np.sum(w)) - shift)
    if method == "harmonic":
        if np.any(v == 0):
            return 0.0
        with np.errstate(over="ignore"):  # w / subnormal v -> inf -> 0, as the engine does
            return float(np.sum(w) / np.sum(w / v))
    raise AssertionError(method)


def flat_columns(X):
    """Columns whose present values are all equal (or that have none)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        return ~(np.nanmax(X, axis=0) > np.nanmin(X, axis=0))


def same(a, b):
    """Identical bytes, every NaN counting as one value (its sign and payload ignored)."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    if a.dtype.kind == "f":
        a, b = np.where(np.isnan(a), nan, a), np.where(np.isnan(b), nan, b)
    if a.tobytes() != b.tobytes():
        diff = np.flatnonzero((a != b) & ~(np.isnan(a) & np.isnan(b)) if a.dtype.kind == "f" else a != b)
        raise AssertionError(f"{diff.size} of {a.size} differ; first at flat index {diff[:5]}: "
                             f"{a.ravel()[diff[:5]]} != {b.ravel()[diff[:5]]}")


def near_tie(s, tol=1e-9):
    """Regions whose score is within ``tol`` of another region's, without being equal."""
    d = np.abs(s[:, None] - s[None, :])
    return np.any((d > 0) & (d <= tol * (1 + np.abs(s[:, None]))), axis=1)


def assert_same_results(r1, rows1, r2, rows2, exact=True, order_kept=True):
    """``r1`` on ``rows1`` gives the same results as ``r2`` on ``rows2``.

    ``exact``: scores compared bit for bit; otherwise to 1e-12, with ranks compared
    only away from near-ties.  ``order_kept``: the regions with data are in the same
    order, so sums over them (mean_sd cut-offs) are bit-exact too.  Where the
    cut-offs may move by rounding, a score at a cut-off may change class.
    """
    same(r1.completeness[rows1], r2.completeness[rows2])
    same(r1.raw[rows1], r2.raw[rows2])
    if exact:
        same(r1.scores[rows1], r2.scores[rows2])
        same(r1.ranks[rows1], r2.ranks[rows2])
    else:
        same(np.isnan(r1.scores[rows1]), np.isnan(r2.scores[rows2]))
        np.testing.assert_allclose(r1.scores[rows1], r2.scores[rows2], rtol=1e-12, atol=1e-12)
        for k, a in enumerate(r2.aggregates):
            ok = ~near_tie(r2.score(a)[rows2])
            same(r1.ranks[rows1, k][ok], r2.ranks[rows2, k][ok])
    assert r1.categories.keys() == r2.categories.keys()
    for node, c1 in r1.categories.items():
        c2 = r2.categories[node]
        cl1, cl2 = c1.classes[rows1], c2.classes[rows2]
        if exact and (order_kept or c1.rule != "mean_sd"):
            same(c1.cutoffs, c2.cutoffs)
            same(cl1, cl2)
            for i, j in zip(rows1, rows2):
                assert c1.label_of(i) == c2.label_of(j)
        else:
            np.testing.assert_allclose(c1.cutoffs, c2.cutoffs, rtol=1e-12, atol=1e-9, equal_nan=True)
            scores = r2.score(node)[rows2]
            near = np.zeros(scores.shape, bool)
            for c in c2.cutoffs[~np.isnan(c2.cutoffs)]:
                near |= np.abs(scores - c) <= 1e-9 * (1 + abs(c))
            same(cl1[~near], cl2[~near])


# --------------------------------------------------------------------------
# bounds


@SETTINGS
@given(st.data())
def test_minmax_scores_stay_in_bounds_for_every_mean(data):
    h = data.draw(hierarchies(aggregations=MEAN_CHOICES), label="hierarchy")
    lo, hi = data.draw(minmax_bounds(allow_negative=False), label="bounds")
    constant = data.draw(st.sampled_from(["lower", "mid", "upper"]))
    min_cov = data.draw(st.sampled_from([0.0, 0.3, 0.5, 1.0]))
    codes, cols, X = data.draw(tables(h), label="table")
    spec = make_spec(h, {"method": "minmax", "lower": lo, "upper": hi, "constant": constant},
                     min_coverage=min_cov)
    r = run(spec, codes, cols, X)
    S = r.scores
    assert not np.any(np.isinf(S))
    ok = ~np.isnan(S)
    assert np.all(S[ok] >= lo - TOL), (lo, S[ok].min())
    assert np.all(S[ok] <= hi + TOL), (hi, S[ok].max())
    # an indicator has a score exactly where it has data
    raw = Dataset(codes, cols, X).subset(r.indicators)
    same(np.isnan(r.scores[:, :len(r.indicators)]), np.isnan(raw))


@SETTINGS
@given(st.data())
def test_minmax_negative_lower_bound_in_bounds_for_signed_means(data):
    h = data.draw(hierarchies(aggregations=SIGNED_CHOICES), label="hierarchy")
    lo, hi = data.draw(minmax_bounds(allow_negative=True), label="bounds")
    codes, cols, X = data.draw(tables(h), label="table")
    r = run(make_spec(h, {"method": "minmax", "lower": lo, "upper": hi}, min_coverage=0.0),
            codes, cols, X)
    S = r.scores[~np.isnan(r.scores)]
    assert np.all((S >= lo - TOL) & (S <= hi + TOL))


@SETTINGS
@given(st.data())
def test_zscore_finite_exactly_where_there_is_enough_data(data):
    h = data.draw(hierarchies(aggregations=SIGNED_CHOICES), label="hierarchy")
    mean = data.draw(st.floats(-50, 50))
    sd = data.draw(st.floats(0.1, 20))
    min_cov = data.draw(st.sampled_from([0.0, 0.3, 0.5, 1.0]))
    codes, cols, X = data.draw(tables(h), label="table")
    r = run(make_spec(h, {"method": "zscore", "mean": mean, "sd": sd}, min_coverage=min_cov),
            codes, cols, X)
    assert not np.any(np.isinf(r.scores))
    m = len(r.indicators)
    raw = Dataset(codes, cols, X).subset(r.indicators)
    same(np.isfinite(r.scores[:, :m]), ~np.isnan(raw))
    # z = (d*x - mean) / sample SD, rescaled; a constant column sits at the mean
    nodes = {n["code"]: n for n in h}
    for j, code in enumerate(r.indicators):
        x = nodes[code]["direction"] * raw[:, j][~np.isnan(raw[:, j])]
        if x.size == 0:
            continue
        s = np.std(x, ddof=1) if x.size > 1 else 0.0
        z = (x - x.mean()) / s if s > 0 else np.zeros_like(x)
        np.testing.assert_allclose(r.score(code)[~np.isnan(raw[:, j])], z * sd + mean,
                                   rtol=1e-9, atol=1e-9 * (sd + abs(mean)))
    # an aggregate is NaN exactly when coverage is too low or no child has a score
    ch = children_of(h)
    leaves = leaves_of(h)
    for a in r.aggregates:
        cov = np.mean(~np.isnan(raw[:, [r.indicators.index(c) for c in leaves[a]]]), axis=1)
        np.testing.assert_allclose(r.coverage(a), cov, rtol=0, atol=1e-15)
        kids = np.column_stack([r.score(c) for c in ch[a]])
        expect_nan = (cov < min_cov - 1e-12) | np.all(np.isnan(kids), axis=1)
        same(np.isnan(r.score(a)), expect_nan)


# --------------------------------------------------------------------------
# invariances


@SETTINGS
@given(st.data())
def test_permuting_regions_permutes_every_result(data):
    norm = data.draw(st.sampled_from(["minmax", "zscore", "rank", "percentile"]))
    aggs = SIGNED_CHOICES if norm == "zscore" else MEAN_CHOICES
    h = data.draw(hierarchies(aggregations=aggs), label="hierarchy")
    codes, cols, X = data.draw(tables(h), label="table")
    aggregates = [n["code"] for n in h if n["type"] == "aggregate"]
    rules = data.draw(category_rules(aggregates, 0.0, 100.0), label="categories")
    min_cov = data.draw(st.sampled_from([0.0, 0.5, 1.0]))
    spec = make_spec(h, {"method": norm}, min_coverage=min_cov, categories=rules)
    perm = np.array(data.draw(st.permutations(range(len(codes))), label="perm"))
    r1 = run(spec, codes, cols, X)
    r2 = run(spec, [codes[i] for i in perm], cols, X[perm])
    assert r2.codes == [r1.codes[i] for i in perm]
    # min-max, ranks and percentiles use no sums across regions, so results are bit-exact;
    # z-scores (and mean_sd cut-offs) use sums, whose rounding depends on the order of the regions
    assert_same_results(r1, perm, r2, np.arange(len(codes)), exact=norm != "zscore", order_kept=False)


@SETTINGS
@given(st.data())
def test_region_with_no_data_changes_nothing_else(data):
    norm = data.draw(st.sampled_from(["minmax", "zscore", "rank", "percentile"]))
    aggs = SIGNED_CHOICES if norm == "zscore" else MEAN_CHOICES
    h = data.draw(hierarchies(aggregations=aggs), label="hierarchy")
    aggregates = [n["code"] for n in h if n["type"] == "aggregate"]
    rules = data.draw(category_rules(aggregates, 0.0, 100.0), label="categories")
    min_cov = data.draw(st.sampled_from([0.0, 0.5, 1.0]))
    spec = make_spec(h, {"method": norm}, min_coverage=min_cov, categories=rules)
    # from 2 regions up: the step from 1 region to 2 is the explicit test below
    codes, cols, X = data.draw(tables(h, min_regions=2), label="table")
    at = data.draw(st.integers(0, len(codes)), label="insert at")
    codes2 = codes[:at] + ["EMPTY"] + codes[at:]
    X2 = np.insert(X, at, nan, axis=0)
    r1 = run(spec, codes, cols, X)
    r2 = run(spec, codes2, cols, X2)
    others = np.array([i for i in range(len(codes2)) if i != at])
    # z-scores: numpy's nanstd rounds differently once a NaN is added, so to 1e-12 only
    assert_same_results(r1, np.arange(len(codes)), r2, others, exact=norm != "zscore")
    assert np.all(np.isnan(r2.scores[at]))
    assert np.all(np.isnan(r2.ranks[at]))
    assert np.all(r2.completeness[at] == 0)
    for node, c2 in r2.categories.items():
        assert c2.classes[at] == -1 and r2.category("EMPTY", node) is None


def test_region_with_no_data_next_to_a_single_region_changes_nothing():
    """The 1 -> 2 regions case of the property above (found by it), pinned down.

    KNOWN ENGINE BUG (fails today): the weighted arithmetic mean sums its numerator
    with einsum and its denominator with sum; einsum's order of summation depends on
    the memory layout of the children (a 1-row array vs an F-ordered n-row one), so
    the index of R1 moves by one ulp when an empty region is added.
    """
    h = [{"code": "A0", "name": "A0", "type": "aggregate"}] + [
        {"code": f"i{k}", "name": f"i{k}", "type": "indicator", "parent": "A0", "weight": w}
        for k, w in enumerate([1, 1, 1, 1.1, 0.1])]
    spec = make_spec(h, {"method": "rank"}, min_coverage=0.0)
    cols = [f"i{k}" for k in range(5)]
    r1 = run(spec, ["R1"], cols, np.zeros((1, 5)))
    r2 = run(spec, ["EMPTY", "R1"], cols, np.vstack([np.full((1, 5), nan), np.zeros((1, 5))]))
    assert r2.score("A0")[1].hex() == r1.score("A0")[0].hex()


@SETTINGS
@given(st.data())
def test_reversing_every_direction_mirrors_minmax_scores(data):
    h = data.draw(hierarchies(), label="hierarchy")  # arithmetic everywhere
    lo, hi = data.draw(minmax_bounds(), label="bounds")
    constant = data.draw(st.sampled_from(["lower", "mid", "upper"]))
    codes, cols, X = data.draw(tables(h, values=grid_values()), label="table")
    # counts stay counts: reversing the direction is a methodology change, not a data change
    flipped = [{**n, "direction": -n["direction"]} if n["type"] == "indicator" else n for n in h]
    norm = {"method": "minmax", "lower": lo, "upper": hi, "constant": constant}
    r1 = run(make_spec(h, norm, min_coverage=0.0), codes, cols, X)
    r2 = run(make_spec(flipped, norm, min_coverage=0.0), codes, cols, X)
    m = len(r1.indicators)
    flat = flat_columns(r1.raw)
    atol = 1e-8 * (hi - lo)
    s1, s2 = r1.scores[:, :m], r2.scores[:, :m]
    np.testing.assert_allclose(s2[:, ~flat], lo + hi - s1[:, ~flat], rtol=0, atol=atol)
    same(s2[:, flat], s1[:, flat])  # a constant column gets the same fill either way
    if constant == "mid" or not flat.any():
        # the weighted arithmetic mean is affine, so aggregates mirror too
        np.testing.assert_allclose(r2.scores[:, m:], lo + hi - r1.scores[:, m:], rtol=0, atol=atol)


@SETTINGS
@given(st.data())
def test_reversing_every_direction_negates_zscores(data):
    h = data.draw(hierarchies(), label="hierarchy")
    codes, cols, X = data.draw(tables(h), label="table")
    sd = data.draw(st.floats(0.1, 20))
    flipped = [{**n, "direction": -n["direction"]} if n["type"] == "indicator" else n for n in h]
    norm = {"method": "zscore", "mean": 0.0, "sd": sd}
    r1 = run(make_spec(h, norm), codes, cols, X)
    r2 = run(make_spec(flipped, norm), codes, cols, X)
    m = len(r1.indicators)
    same(r2.scores[:, :m], -r1.scores[:, :m] + 0.0)  # + 0.0: -0.0 -> 0.0
    np.testing.assert_allclose(r2.scores[:, m:], -r1.scores[:, m:], rtol=1e-9, atol=1e-9)


@SETTINGS
@given(st.data())
def test_rescaling_an_indicator_leaves_scores_unchanged(data):
    norm = data.draw(st.sampled_from(["minmax", "zscore", "rank", "percentile"]))
    aggs = SIGNED_CHOICES if norm == "zscore" else MEAN_CHOICES
    h = data.draw(hierarchies(aggregations=aggs), label="hierarchy")
    codes, cols, X = data.draw(tables(h, values=grid_values()), label="table")
    which = data.draw(st.lists(st.integers(0, len(cols) - 1), min_size=1, unique=True), label="columns")
    power_of_two = data.draw(st.booleans())
    if power_of_two:
        c = 2.0 ** data.draw(st.integers(-10, 10))
    else:
        c = data.draw(st.floats(1e-3, 1e3))
    Y = X.copy()
    Y[:, which] *= c
    spec = make_spec(h, {"method": norm})
    r1 = run(spec, codes, cols, X)
    r2 = run(spec, codes, cols, Y)
    if power_of_two or norm in ("rank", "percentile"):
        same(r2.scores, r1.scores)  # exact: scaling by 2^k is exact; ranks only see the order
    else:
        same(np.isnan(r2.scores), np.isnan(r1.scores))
        np.testing.assert_allclose(r2.scores, r1.scores, rtol=1e-9, atol=1e-7, equal_nan=True)
    same(r2.ranks[np.isnan(r1.ranks)], r1.ranks[np.isnan(r1.ranks)])


@SETTINGS
@given(st.data())
def test_compute_is_deterministic_and_leaves_its_input_alone(data):
    h = data.draw(hierarchies(aggregations=MEAN_CHOICES), label="hierarchy")
    codes, cols, X = data.draw(tables(h), label="table")
    aggregates = [n["code"] for n in h if n["type"] == "aggregate"]
    rules = data.draw(category_rules(aggregates, 0.0, 100.0), label="categories")
    spec = make_spec(h, {"method": "minmax"}, categories=rules)
    ds = Dataset(list(codes), list(cols), X.copy())
    r1 = compute(spec, ds, region_level=None)
    same(ds.values, X)
    r2 = compute(spec, ds, region_level=None)
    r3 = run(make_spec(h, {"method": "minmax"}, categories=rules), codes, cols, X.copy())
    for r in (r2, r3):
        same(r.scores, r1.scores)
        same(r.ranks, r1.ranks)
        same(r.completeness, r1.completeness)
        assert r.recipe == r1.recipe
        for node, c in r1.categories.items():
            same(r.categories[node].cutoffs, c.cutoffs)
            same(r.categories[node].classes, c.classes)


# --------------------------------------------------------------------------
# the means


@SETTINGS
@given(st.data())
def test_equal_weights_arithmetic_one_level_is_the_plain_mean(data):
    h = data.draw(hierarchies(equal_weights=True, max_levels=1), label="hierarchy")
    min_cov = data.draw(st.sampled_from([0.0, 0.3, 0.5, 1.0]))
    norm = data.draw(st.sampled_from([{"method": "minmax"}, {"method": "zscore"}, {"method": "rank"}]))
    codes, cols, X = data.draw(tables(h), label="table")
    r = run(make_spec(h, norm, min_coverage=min_cov), codes, cols, X)
    m = len(r.indicators)
    Z = r.scores[:, :m]
    have = ~np.isnan(Z)
    expect = np.full(len(codes), nan)
    rows = have.any(axis=1) & (have.mean(axis=1) >= min_cov - 1e-12)
    expect[rows] = np.nanmean(Z[rows], axis=1)
    np.testing.assert_allclose(r.score("A0"), expect, rtol=1e-12, atol=1e-12, equal_nan=True)
    same(np.isnan(r.score("A0")), np.isnan(expect))


@pytest.mark.parametrize("method", MEANS)
@settings(max_examples=examples(60), deadline=None)
@given(weights=st.lists(st.floats(0.1, 10.0), min_size=1, max_size=5),
       value=grid_values(0, 100), regions=st.integers(1, 3))
@example(weights=[0.1, 2.6, 0.2], value=60.0, regions=1)
def test_mean_of_identical_children_is_exactly_that_value(method, weights, value, regions):
    """Every mean of children that all score v is v, so a region whose indicators all
    sit on a fixed cut-off is classed at (not below) the cut-off.

    KNOWN ENGINE BUG (fails today for arithmetic, geometric and harmonic): e.g. the
    weighted arithmetic mean of [60, 60, 60] with weights [0.1, 2.6, 0.2] is
    59.99999999999999 (numerator and denominator rounded differently), so with
    cutoffs [30, 60] the region is 'sedang' instead of 'tinggi'.
    """
    h = [{"code": "A0", "name": "A0", "type": "aggregate"}] + [
        {"code": f"i{k}", "name": f"i{k}", "type": "indicator", "parent": "A0", "weight": w}
        for k, w in enumerate(weights)]
    spec = make_spec(h, {"method": "none"}, aggregation=method,
                     categories=[{"rule": "fixed", "cutoffs": [value, value + 10.0]}])
    r = run(spec, [f"R{i}" for i in range(regions)], [n["code"] for n in h[1:]],
            np.full((regions, len(weights)), value))
    assert [v.hex() for v in r.score("A0")] == [value.hex()] * regions
    assert [r.category(c) for c in r.codes] == ["sedang"] * regions


@SETTINGS
@given(st.data())
def test_power_mean_inequality_holds_at_every_node(data):
    """min <= harmonic <= geometric <= arithmetic <= max, with the same method at every node."""
    h = data.draw(hierarchies(), label="hierarchy")
    lo, hi = data.draw(minmax_bounds(allow_negative=False), label="bounds")
    min_cov = data.draw(st.sampled_from([0.0, 0.5, 1.0]))
    codes, cols, X = data.draw(tables(h), label="table")
    norm = {"method": "minmax", "lower": lo, "upper": hi}
    res = {a: run(make_spec(h, norm, aggregation=a, min_coverage=min_cov), codes, cols, X)
           for a in ("min", "harmonic", "geometric", "arithmetic", "max")}
    m = len(res["min"].indicators)
    order = [res[a].scores[:, m:] for a in ("min", "harmonic", "geometric", "arithmetic", "max")]
    for a in order[1:]:
        same(np.isnan(a), np.isnan(order[0]))
    ok = ~np.isnan(order[0])
    for small, big in zip(order, order[1:]):
        assert np.all(small[ok] <= big[ok] + 1e-9 * (1 + np.abs(big[ok])))
    # every mean of a single child is that child (where coverage lets it through)
    for a in res["min"].aggregates:
        kids = children_of(h)[a]
        if len(kids) == 1:
            for r in res.values():
                ok = ~np.isnan(r.score(a))
                np.testing.assert_allclose(r.score(a)[ok], r.score(kids[0])[ok], rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("method", MEANS + ("sum",))
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_aggregate_matches_a_plain_reimplementation(method, data):
    """Each aggregate from its children's scores, node by node; minmax from the raw data."""
    h = data.draw(hierarchies(), label="hierarchy")
    lo, hi = data.draw(minmax_bounds(allow_negative=method not in ("geometric", "harmonic")),
                       label="bounds")
    constant = data.draw(st.sampled_from(["lower", "mid", "upper"]))
    min_cov = data.draw(st.sampled_from([0.0, 0.3, 0.5, 1.0]))
    codes, cols, X = data.draw(tables(h, values=grid_values()), label="table")
    r = run(make_spec(h, {"method": "minmax", "lower": lo, "upper": hi, "constant": constant},
                      aggregation=method, min_coverage=min_cov), codes, cols, X)
    fill = {"lower": lo, "mid": (lo + hi) / 2, "upper": hi}[constant]
    nodes = {n["code"]: n for n in h}
    raw = Dataset(codes, cols, X).subset(r.indicators)
    # min-max, direction first, a constant column -> the 'constant' fill
    for j, code in enumerate(r.indicators):
        x = nodes[code]["direction"] * raw[:, j]
        if np.all(np.isnan(x)):
            same(r.score(code), x)
            continue
        a, b = np.nanmin(x), np.nanmax(x)
        expect = np.full_like(x, fill) if b == a else lo + (hi - lo) * (x - a) / (b - a)
        expect[np.isnan(x)] = nan
        np.testing.assert_allclose(r.score(code), expect, rtol=0, atol=1e-9 * (hi - lo), equal_nan=True)
    ch = children_of(h)
    leaves = leaves_of(h)
    for a in r.aggregates:
        w = np.array([nodes[c]["weight"] for c in ch[a]])
        kids = np.column_stack([r.score(c) for c in ch[a]])
        cov = np.mean(~np.isnan(raw[:, [r.indicators.index(c) for c in leaves[a]]]), axis=1)
        expect = np.array([ref_aggregate(method, kids[i], w) for i in range(len(codes))])
        expect[cov < min_cov - 1e-12] = nan
        np.testing.assert_allclose(r.score(a), expect, rtol=1e-10, atol=1e-9, equal_nan=True)
        # ranks: 1 + number of regions strictly above; NaN stays NaN
        s = r.score(a)
        rk = np.array([nan if np.isnan(v) else 1 + np.sum(s[~np.isnan(s)] > v) for v in s], dtype=float)
        same(r.rank(a), rk)
