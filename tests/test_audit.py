"""Statistical audit: known answers on designed data."""

from __future__ import annotations

import numpy as np
import pytest

from rawan.engine import Dataset, load_spec, read_data, spec_from_dict
from rawan.engine.audit import audit, cronbach_alpha, corr_matrix, pca_first_share, pearson

from .conftest import ROOT

EXAMPLE_DATA = ROOT / "examples" / "contoh-mini-data.csv"


def test_cronbach_alpha_by_hand():
    X = np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 5.0], [4.0, 4.0]])
    # item variances 5/3, 5/3; row sums 3, 5, 8, 8 -> variance 6; alpha = 2 * (1 - (10/3) / 6)
    assert cronbach_alpha(X) == pytest.approx(2 * (1 - (10 / 3) / 6))
    same = np.column_stack([np.arange(10.0)] * 3)
    assert cronbach_alpha(same) == pytest.approx(1.0)


def test_pca_share_and_correlations():
    rng = np.random.default_rng(0)
    x = rng.normal(size=200)
    assert pca_first_share(np.column_stack([x, 2 * x + 1, -x])) == pytest.approx(1.0)
    ind = rng.normal(size=(5000, 4))
    assert pca_first_share(ind) < 0.3
    R = corr_matrix(ind)
    np.testing.assert_allclose(R, np.corrcoef(ind, rowvar=False), atol=1e-12)
    y = x.copy()
    y[::7] = np.nan
    assert pearson(x, y) == pytest.approx(1.0)
    assert np.isnan(pearson(x, np.ones_like(x)))


def _designed():
    """d1 = (a, b, c): a and b move together, c against them; d2 = (e, f, g, h): f duplicates e,
    g is almost always 0, h is missing in 40% of the regions; t has direction -1."""
    nodes = [{"code": "idx", "name": "Index", "type": "aggregate"},
             {"code": "d1", "parent": "idx", "name": "D1", "type": "aggregate"},
             {"code": "d2", "parent": "idx", "name": "D2", "type": "aggregate"}]
    for c, parent in (("a", "d1"), ("b", "d1"), ("c", "d1"), ("t", "d1"), ("e", "d2"), ("f", "d2"),
                      ("g", "d2"), ("h", "d2")):
        nodes.append({"code": c, "parent": parent, "name": c, "type": "indicator",
                      "direction": -1 if c == "t" else 1})
    spec = spec_from_dict({"id": "audit-test", "title": "audit test", "hierarchy": nodes})
    rng = np.random.default_rng(4)
    n = 60
    base = rng.normal(size=n)
    e = rng.normal(size=n)
    h = rng.normal(size=n)
    h[rng.permutation(n)[:24]] = np.nan
    cols = {"a": base + rng.normal(0, 0.6, n), "b": base + rng.normal(0, 0.6, n),
            "c": -base + rng.normal(0, 0.6, n), "t": -base + rng.normal(0, 0.6, n),
            "e": e, "f": e.copy(), "g": np.r_[1.0, np.zeros(n - 1)], "h": h}
    X = np.column_stack([cols[c] for c in spec.tree.indicators])
    return spec, Dataset(codes=[f"R{i:02d}" for i in range(n)], columns=list(spec.tree.indicators), values=X)


def test_audit_flags_the_designed_problems():
    spec, data = _designed()
    rep = audit(spec, data)
    flags = {(f["code"], f["flag"]) for f in rep.flags}
    assert ("e", "near_duplicate") in flags and ("f", "near_duplicate") in flags
    assert ("c", "negative_correlation") in flags
    assert ("g", "near_constant") in flags
    assert ("h", "many_missing") in flags
    assert not {f for f in flags if f[0] in ("a", "b", "t")}  # direction -1 applied before correlating
    assert not {f for f in flags if f[0] == "h" and f[1] != "many_missing"}
    ind = rep.indicators.set_index("code")
    assert ind.loc["e", "near_duplicates"] == "f"
    assert ind.loc["h", "share_missing"] == pytest.approx(0.4)
    assert ind.loc["t", "r_parent"] > 0.5 and ind.loc["c", "r_parent"] < 0
    agg = rep.aggregates.set_index("code")
    assert set(agg.index) == {"d1", "d2", "idx"} and agg.loc["d1", "children"] == 4
    pairs = rep.correlations
    assert pairs[(pairs["a"] == "e") & (pairs["b"] == "f")]["r"].iloc[0] == pytest.approx(1.0)
    assert len(pairs[pairs["parent"] == "idx"]) == 1  # the one pair of dimensions


def test_audit_on_the_example_runs_clean():
    spec = load_spec("contoh-mini")
    rep = audit(spec, read_data(EXAMPLE_DATA, spec.tree.indicators))
    assert list(rep.indicators["code"]) == spec.tree.indicators
    assert set(rep.aggregates["code"]) == set(spec.tree.aggregates)
