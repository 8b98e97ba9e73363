"""Peer reference: COINr 1.1.14's uncertainty analysis of its ASEM example (N = 100).

Every run's plan (normalisation, weight set) is replayed from COINr's own files;
rawan must give every run's index score to 1e-9, every rank exactly, and the
rank statistics (mean, median, 5th and 95th percentile) exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rawan.engine import RunPlan, load_spec, read_data, uncertainty

RUNS = [f"r_{i}" for i in range(1, 101)]


@pytest.fixture(scope="module")
def coinr_plan():
    from .conftest import TEST_DATA

    d = TEST_DATA / "coinr"
    spec = load_spec(d / "input_iMeta.csv")
    data = read_data(d / "input_iData_complete.csv", spec.tree.indicators, locale="en")
    params = pd.read_csv(d / "sa_UA_N100_params.csv", dtype=str, keep_default_na=False)
    sets = pd.read_csv(d / "sa_UA_N100_weightsets.csv", dtype=str, keep_default_na=False)
    table = params.merge(sets, on="weight_set", how="left").drop(columns=["weight_set"])
    return d, spec, data, table


@pytest.fixture(scope="module")
def replayed(coinr_plan):
    d, spec, data, table = coinr_plan
    return uncertainty(spec, data, design=table)


def _ref(d, name, codes):
    ref = pd.read_csv(d / name).set_index("uCode")
    return ref, [codes.index(c) for c in ref.index]


def test_plan_read_as_coinr_made_it(coinr_plan):
    d, spec, _, table = coinr_plan
    plan = RunPlan.from_frame(spec, table)
    assert plan.runs == 100
    assert [c.label for c in plan.options["normalisation"]] == ["zscore(mean=0, sd=1)", "minmax(lower=0, upper=100)"]
    assert np.sum(plan.picks["normalisation"] == 1) == 45  # n_minmax in 45 runs
    j = plan.columns.index("Goods")
    assert plan.weights[0, j] == 0.94829089497216046  # run 1 uses weight set 19: its Goods weight, exactly


def test_every_run_score_matches_coinr(replayed, coinr_plan):
    d = coinr_plan[0]
    ref, order = _ref(d, "sa_UA_N100_scores.csv", replayed.codes)
    mine = replayed.scores[:, order].T
    np.testing.assert_allclose(mine, ref[RUNS].to_numpy(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(replayed.table["score"].to_numpy()[order], ref["Nominal"], rtol=0, atol=1e-9)


def test_every_run_rank_matches_coinr(replayed, coinr_plan):
    d = coinr_plan[0]
    ref, order = _ref(d, "sa_UA_N100_ranks.csv", replayed.codes)
    assert np.array_equal(replayed.ranks[:, order].T, ref[RUNS].to_numpy(dtype=float))
    assert np.array_equal(replayed.table["rank"].to_numpy()[order], ref["Nominal"].to_numpy(dtype=float))


def test_rank_statistics_match_coinr_exactly(replayed, coinr_plan):
    d = coinr_plan[0]
    ref, order = _ref(d, "sa_UA_N100_rankstats.csv", replayed.codes)
    tab = replayed.table.iloc[order]
    for mine, theirs in (("rank", "Nominal"), ("rank_mean", "Mean"), ("rank_median", "Median"),
                         ("rank_p05", "Q5"), ("rank_p95", "Q95")):
        assert np.array_equal(tab[mine].to_numpy(), ref[theirs].to_numpy(dtype=float)), mine


def test_plan_file_replays_the_same(coinr_plan, replayed, tmp_path):
    d, spec, data, table = coinr_plan
    path = tmp_path / "plan.csv"
    RunPlan.from_frame(spec, table).to_frame().to_csv(path, index=False, float_format="%.17g")
    again = uncertainty(spec, data, design=path, chunk=7)  # small chunks: same numbers
    assert np.array_equal(again.scores, replayed.scores)
