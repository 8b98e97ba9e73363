"""Batched replays (uncertainty analysis) checked against compute() itself.

Each alternative of a discrete input must give exactly what compute() gives on a
model that makes that choice; zero perturbation must give the nominal result;
regions with identical inputs must never separate.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from rawan.engine import (Dataset, Design, RunPlan, SpecError, WeightDesign, compute, load_spec,
                          read_data, spec_from_dict, uncertainty)
from rawan.engine import methods as M
from rawan.engine.runplan import Choice
from rawan.engine.sensitivity import quantile7

from .conftest import ROOT

EXAMPLE_DATA = ROOT / "examples" / "contoh-mini-data.csv"


@pytest.fixture(scope="module")
def mini():
    spec = load_spec("contoh-mini")
    return spec, read_data(EXAMPLE_DATA, spec.tree.indicators)


def _variant(spec, change) -> object:
    raw = copy.deepcopy(spec.model_dump(mode="json", exclude_none=True))
    change(raw)
    return spec_from_dict(raw)


def _bigger(spec, n=60, seed=1, dup=True) -> Dataset:
    """Random counts for the mini model; region D01 duplicates region D00."""
    rng = np.random.default_rng(seed)
    ind = spec.tree.indicators
    X = rng.poisson(3.0, size=(n, len(ind))).astype(float)
    j = ind.index("p2")
    X[:, j] = rng.integers(0, 2, n)
    X[:, ind.index("p3")] = rng.uniform(50, 90, n)
    if dup:
        X[1] = X[0]
    X[5, 0] = np.nan
    return Dataset(codes=[f"D{i:02d}" for i in range(n)], columns=list(ind), values=X)


def test_zero_perturbation_equals_nominal_bit_for_bit(mini):
    spec, data = mini
    nominal = compute(spec, data)
    for design in (Design(weights=WeightDesign(spread=0.0)), RunPlan.nominal(spec, 9)):
        ua = uncertainty(spec, data, runs=9, design=design)
        assert np.array_equal(ua.scores, np.tile(nominal.score("indeks"), (9, 1)))
        assert np.array_equal(ua.ranks, np.tile(nominal.rank(), (9, 1)))
        assert np.array_equal(ua.classes, np.tile(nominal.categories["indeks"].classes, (9, 1)))
        assert np.all(ua.class_stability == 1.0) and np.all(ua.rank_shift == 0.0)
        assert np.array_equal(ua.table["rank_p05"], nominal.rank())


def test_zero_perturbation_on_bigger_data_with_missing_values(mini):
    spec, _ = mini
    data = _bigger(spec)
    nominal = compute(spec, data)
    ua = uncertainty(spec, data, design=RunPlan.nominal(spec, 4))
    assert np.array_equal(ua.scores, np.tile(nominal.score("indeks"), (4, 1)), equal_nan=True)


def test_identical_regions_never_separate(mini):
    spec, _ = mini
    data = _bigger(spec)
    design = Design(weights=WeightDesign(spread=0.5), normalisation=["nominal", "zscore(mean=50, sd=10)", "rank"],
                    aggregation={2: ["nominal", "geometric(zeros=offset)", "min"]},
                    category=["nominal", "mean_sd", "quantiles"], leave_one_out=True)
    ua = uncertainty(spec, data, runs=400, seed=3, design=design)
    assert np.array_equal(ua.scores[:, 0], ua.scores[:, 1])
    assert np.array_equal(ua.ranks[:, 0], ua.ranks[:, 1])
    assert np.array_equal(ua.classes[:, 0], ua.classes[:, 1])
    assert len(np.unique(ua.ranks[:, 0])) > 1  # they move, together


@pytest.mark.parametrize("label,change", [
    ("zscore(mean=50, sd=10)", lambda r: r["methods"]["default"].update(normalisation={"method": "zscore", "mean": 50, "sd": 10})),
    ("percentile", lambda r: r["methods"]["default"].update(normalisation={"method": "percentile"})),
    ("distance_to_max(scale=100)", lambda r: r["methods"]["default"].update(normalisation={"method": "distance_to_max"})),
])
def test_normalisation_alternative_equals_compute_of_that_model(mini, label, change):
    spec, _ = mini
    data = _bigger(spec)
    plan = Design(weights=None, normalisation=[label]).sample(spec, 2)
    ua = uncertainty(spec, data, design=plan)
    other = compute(_variant(spec, change), data)
    assert np.array_equal(ua.scores[0], other.score("indeks"), equal_nan=True)
    assert np.array_equal(ua.classes[1], other.categories["indeks"].classes)


def test_aggregation_and_imputation_alternatives_equal_compute(mini):
    spec, _ = mini
    data = _bigger(spec)

    def change(r):
        r["methods"]["levels"] = {2: {"aggregation": {"method": "geometric", "zeros": "offset"}}}
        r["methods"]["default"]["imputation"] = {"method": "median"}

    plan = Design(weights=None, imputation=["median"], aggregation={2: ["geometric(zeros=offset)"]}).sample(spec, 1)
    ua = uncertainty(spec, data, design=plan)
    other = compute(_variant(spec, change), data)
    np.testing.assert_array_equal(ua.scores[0], other.score("indeks"))


def test_leave_one_out_equals_the_model_without_that_indicator(mini):
    spec, _ = mini
    data = _bigger(spec)
    table = pd.DataFrame({"leave_out": ["k2", "", "p3"]})
    ua = uncertainty(spec, data, design=table)

    def drop(code):
        def change(r):
            r["hierarchy"] = [n for n in r["hierarchy"] if n["code"] != code]
        return change

    for run, code in ((0, "k2"), (2, "p3")):
        other = compute(_variant(spec, drop(code)), data).score("indeks")
        np.testing.assert_allclose(ua.scores[run], other, rtol=0, atol=1e-12)
    assert np.array_equal(ua.scores[1], compute(spec, data).score("indeks"), equal_nan=True)


def test_category_alternative_equals_compute(mini):
    spec, _ = mini
    data = _bigger(spec, dup=False)

    def change(r):
        r["categories"] = [{"rule": "mean_sd", "k": 0.5, "labels": ["rendah", "sedang", "tinggi"]}]

    ua = uncertainty(spec, data, design=Design(weights=None, category=["mean_sd(k=0.5)"]), runs=1)
    assert np.array_equal(ua.classes[0], compute(_variant(spec, change), data).categories["indeks"].classes)


def test_weights_in_a_plan_equal_compute_with_those_weights(mini):
    spec, data = mini
    table = pd.DataFrame({"k1": ["2"], "p3": ["0,5"], "kontestasi": ["1"]})  # decimal comma accepted

    def change(r):
        for n in r["hierarchy"]:
            n["weight"] = {"k1": 2.0, "p3": 0.5, "kontestasi": 1.0}.get(n["code"], n.get("weight", 1.0))

    ua = uncertainty(spec, data, design=table)
    assert np.array_equal(ua.scores[0], compute(_variant(spec, change), data).score("indeks"))


def test_random_weights_stay_in_their_band_and_are_reproducible(mini):
    spec, data = mini
    a = Design().sample(spec, 500, seed=7)
    b = Design().sample(spec, 500, seed=7)
    assert np.array_equal(a.weights, b.weights)
    w0 = np.array([spec.node(c).weight for c in a.columns])
    ratio = a.weights / w0
    root = a.columns.index("indeks")
    assert np.all(ratio[:, root] == 1.0)
    others = np.delete(ratio, root, axis=1)
    assert others.min() >= 0.75 and others.max() <= 1.25 and others.std() > 0.1


def test_dirichlet_weights_keep_each_parent_total(mini):
    spec, _ = mini
    plan = Design(weights=WeightDesign(distribution="dirichlet", concentration=20)).sample(spec, 300, seed=1)
    cols = plan.columns
    for parent in ("keamanan", "penyelenggaraan", "indeks"):
        kids = [cols.index(c) for c in spec.tree.children[parent]]
        total = sum(spec.node(c).weight for c in spec.tree.children[parent])
        np.testing.assert_allclose(plan.weights[:, kids].sum(axis=1), total)
        assert plan.weights[:, kids].std(axis=0).min() > 0.01


def test_table_columns_and_shares(mini):
    spec, data = mini
    ua = uncertainty(spec, data, runs=300, seed=2)
    t = ua.table
    assert list(t.columns) == ["code", "name", "score", "rank", "category", "score_mean", "score_median",
                               "score_p05", "score_p95", "rank_mean", "rank_median", "rank_p05", "rank_p95",
                               "share_rendah", "share_sedang", "share_tinggi", "class_stability"]
    np.testing.assert_allclose(t[["share_rendah", "share_sedang", "share_tinggi"]].sum(axis=1), 1.0)
    assert np.all(t["rank_p05"] <= t["rank_median"]) and np.all(t["rank_median"] <= t["rank_p95"])
    i = ua.codes.index("15.03")
    assert t["class_stability"][i] == t["share_tinggi"][i]  # nominal class: tinggi


def test_quantile7_is_the_linear_quantile():
    x = np.random.default_rng(0).normal(size=(37, 5))
    for p in (0.05, 0.5, 0.95):
        np.testing.assert_allclose(quantile7(x, p), np.quantile(x, p, axis=0), rtol=0, atol=1e-12)
    y = x.copy()
    y[3, 1] = np.nan
    np.testing.assert_allclose(quantile7(y, 0.3)[1], np.nanquantile(y[:, 1], 0.3), atol=1e-12)


def test_plan_errors_name_row_and_column(mini):
    spec, _ = mini
    bad = pd.DataFrame({"normalisation": ["minmax", "nosuch"], "k1": ["1", "x"], "zz": ["1", "1"]})
    with pytest.raises(SpecError) as e:
        RunPlan.from_frame(spec, bad, source="plan.csv")
    assert "zz" in str(e.value.render("en"))
    with pytest.raises(SpecError) as e:
        RunPlan.from_frame(spec, bad.drop(columns=["zz"]), source="plan.csv")
    text = " ".join(e.value.render("en"))
    assert "row 3" in text and "'k1'" in text and "nosuch" in text


def test_method_combination_failing_is_named(mini):
    spec, _ = mini
    data = _bigger(spec)
    design = Design(weights=None, normalisation=["zscore"], aggregation={2: ["geometric"]})
    with pytest.raises(Exception) as e:
        uncertainty(spec, data, runs=3, design=design)
    assert "geometric" in " ".join(e.value.render("en")) and "zscore" in " ".join(e.value.render("en"))


def test_choice_labels_round_trip():
    c = Choice.of("normalisation", "zscore(mean=50, sd=10)")
    assert c.label == "zscore(mean=50, sd=10)" and Choice.of("normalisation", c.label) == c
    assert Choice.of("normalisation", "n_minmax").label == "minmax(lower=0, upper=100)"
    with pytest.raises(TypeError):
        Choice.of("normalisation", "zscore(nope=1)")


def test_zero_perturbation_exact_on_ikp_2024_with_many_children_and_gaps():
    spec = load_spec("ikp-2024")
    rng = np.random.default_rng(11)
    ind = spec.tree.indicators
    X = rng.poisson(1.5, size=(120, len(ind))).astype(float)
    X[rng.random(X.shape) < 0.02] = np.nan
    X[:3, :40] = np.nan  # under the minimum coverage: index missing for three regions
    data = Dataset(codes=[f"15.{i:02d}" for i in range(1, 121)], columns=list(ind), values=X)
    nominal = compute(spec, data, region_level="kabupaten_kota")
    ua = uncertainty(spec, data, design=RunPlan.nominal(spec, 3), region_level="kabupaten_kota", chunk=2)
    assert np.array_equal(ua.scores, np.tile(nominal.score("ikp"), (3, 1)), equal_nan=True)
    assert np.array_equal(ua.ranks, np.tile(nominal.rank(), (3, 1)), equal_nan=True)
    assert np.array_equal(ua.classes, np.tile(nominal.categories["ikp"].classes, (3, 1)))
    assert np.isnan(nominal.score("ikp")).any()  # the gaps reached the index


def test_pipeline_page_example_is_real_output(mini):
    spec, data = mini
    ua = uncertainty(spec, data, runs=1000, seed=0)
    text = ua.table[["code", "rank", "rank_p05", "rank_p95", "category", "class_stability"]].to_string()
    page = (ROOT / "docs" / "pipeline" / "09-robustness.md").read_text(encoding="utf-8")
    assert text in page


def test_region_summary_for_pages_and_reports(mini):
    spec, data = mini
    ua = uncertainty(spec, data, runs=1000, seed=0)
    r = ua.region("15.02")
    assert r["code"] == "15.02" and r["rank"] == 3.0 and r["category"] == "sedang" and r["runs"] == 1000
    assert r["stable"] is False and r["class_stability"] < 0.8 and "15.02" in ua.unstable()
    assert ua.region("15.03")["stable"] is True
    with pytest.raises(Exception):
        ua.region("99.99")


def test_chunks_and_threads_do_not_change_results(mini):
    spec, _ = mini
    data = _bigger(spec)
    design = Design(normalisation=["nominal", "zscore(mean=50, sd=10)"], category=["nominal", "mean_sd"])
    a = uncertainty(spec, data, runs=300, seed=1, design=design, chunk=7, workers=2)
    b = uncertainty(spec, data, runs=300, seed=1, design=design, chunk=1000, workers=1)
    assert np.array_equal(a.scores, b.scores, equal_nan=True) and np.array_equal(a.classes, b.classes)
    assert np.array_equal(a.ranks, b.ranks, equal_nan=True)


def test_leave_each_indicator_out_once(mini):
    from rawan.engine.sensitivity import leave_one_out

    spec, data = mini
    t = leave_one_out(spec, data).set_index("code")
    assert list(t.index) == spec.tree.indicators
    nominal = compute(spec, data)

    def drop(code):
        def change(r):
            r["hierarchy"] = [n for n in r["hierarchy"] if n["code"] != code]
        return change

    for code in ("k1", "p3"):
        other = compute(_variant(spec, drop(code)), data)
        shift = np.abs(other.rank() - nominal.rank())
        assert t.loc[code, "mean_abs_rank_shift"] == pytest.approx(shift.mean())
        changed = (other.categories["indeks"].classes != nominal.categories["indeks"].classes).sum()
        assert t.loc[code, "regions_changing_class"] == changed


def test_plan_weights_follow_the_one_number_rule(mini):
    """A run plan's weights are read like every other number: "0,5" is 0.5, "1.234" is a named problem."""
    spec, _ = mini
    ok = RunPlan.from_frame(spec, pd.DataFrame({"k1": ["0,5", "2"]}), source="plan.csv")
    col = ok.to_frame()["k1"].astype(float).tolist()
    assert col == [0.5, 2.0]
    with pytest.raises(SpecError) as e:
        RunPlan.from_frame(spec, pd.DataFrame({"k1": ["1", "1.234"]}), source="plan.csv")
    text = " ".join(e.value.render("en"))
    assert "row 3" in text and "1.234" in text and "1234 | 1,234" in text
