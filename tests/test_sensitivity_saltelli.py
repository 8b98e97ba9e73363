"""Variance-based sensitivity indices: the estimators on a known function, and designed cases."""

from __future__ import annotations

import numpy as np
import pytest

from rawan.engine import Design, SpecError, WeightDesign, load_spec, read_data
from rawan.engine.saltelli import jansen, saltelli_uniforms, sensitivity

from .conftest import ROOT

EXAMPLE_DATA = ROOT / "examples" / "contoh-mini-data.csv"


def _ishigami(U):
    x = -np.pi + 2 * np.pi * U
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


@pytest.mark.parametrize("first_order", ["saltelli2010", "jansen"])
def test_estimators_recover_the_ishigami_indices(first_order):
    # analytic values: S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)
    n = 20000
    U = saltelli_uniforms(3, n, {f"x{i}": np.array([i]) for i in range(3)}, seed=1)
    y = _ishigami(U)
    S1, ST = jansen(y[:n], y[n:2 * n], y[2 * n:].reshape(3, n), first_order)
    np.testing.assert_allclose(S1, [0.3139, 0.4424, 0.0], atol=0.03)
    np.testing.assert_allclose(ST, [0.5576, 0.4424, 0.2437], atol=0.03)


def test_saltelli_matrices_switch_only_the_factor_columns():
    U = saltelli_uniforms(4, 5, {"a": np.array([0, 1]), "b": np.array([3])}, seed=0)
    A, B, AB1, AB2 = U[:5], U[5:10], U[10:15], U[15:20]
    assert np.array_equal(AB1[:, :2], B[:, :2]) and np.array_equal(AB1[:, 2:], A[:, 2:])
    assert np.array_equal(AB2[:, 3], B[:, 3]) and np.array_equal(AB2[:, :3], A[:, :3])


@pytest.fixture(scope="module")
def mini():
    spec = load_spec("contoh-mini")
    return spec, read_data(EXAMPLE_DATA, spec.tree.indicators)


def test_an_input_that_cannot_matter_gets_zero(mini):
    # 'kontestasi' has one child (c1): c1's weight is renormalised away and cannot matter
    spec, data = mini
    design = Design(weights=WeightDesign(spread=0.5, group="node"), normalisation=["nominal", "zscore(mean=50, sd=10)"])
    sa = sensitivity(spec, data, n=256, seed=3, design=design, target="score:15.03")
    t = sa.table.set_index("factor")
    assert t.loc["weight_c1", "ST"] == 0.0 and t.loc["weight_c1", "S1"] == 0.0
    assert t.loc["weight_c1", "ST_high"] == 0.0
    assert t.loc["normalisation", "ST"] > 0.8  # and the one that matters dominates
    assert t.loc["normalisation", "S1_low"] <= t.loc["normalisation", "S1"] <= t.loc["normalisation", "S1_high"]
    jan = sensitivity(spec, data, n=256, seed=3, design=design, target="score:15.03", first_order="jansen")
    tj = jan.table.set_index("factor")
    assert tj.loc["weight_c1", "S1_low"] <= 0.0 <= tj.loc["weight_c1", "S1_high"]  # Jansen's form: noise only


def test_rank_target_of_a_region_whose_rank_cannot_move(mini):
    spec, data = mini
    design = Design(weights=WeightDesign(spread=0.1))
    sa = sensitivity(spec, data, n=64, seed=0, design=design, target="rank:15.03")  # always first
    assert np.all(sa.outputs == 1.0)
    assert np.all(sa.S1 == 0.0) and np.all(sa.ST == 0.0)


def test_runs_and_reproducibility(mini):
    spec, data = mini
    a = sensitivity(spec, data, n=32, seed=5)
    b = sensitivity(spec, data, n=32, seed=5)
    k = len(a.factors)
    assert a.runs == 32 * (k + 2) and np.array_equal(a.outputs, b.outputs)
    assert a.factors == ["weights_L1", "weights_L2", "normalisation"]  # the default design


def test_bad_target_and_dirichlet_refused(mini):
    spec, data = mini
    with pytest.raises(SpecError):
        sensitivity(spec, data, n=8, target="nope")
    with pytest.raises(SpecError):
        sensitivity(spec, data, n=8, design=Design(weights=WeightDesign(distribution="dirichlet")))


def test_per_region_indices_agree_with_a_single_region_target(mini):
    spec, data = mini
    all_regions = sensitivity(spec, data, n=128, seed=2, per_region=True).regions.set_index("code")
    one = sensitivity(spec, data, n=128, seed=2, target="rank:15.02")
    for f, s1, st in zip(one.factors, one.S1, one.ST):
        assert all_regions.loc["15.02", f"S1_{f}"] == pytest.approx(s1, abs=1e-12)
        assert all_regions.loc["15.02", f"ST_{f}"] == pytest.approx(st, abs=1e-12)
    assert (all_regions.loc["15.03"].to_numpy() == 0).all()  # always first: nothing moves it
