"""Every indicator value is bounded by the model: a count has a declared plausible maximum and
no kind accepts 1e308 (the engine, the web form and the API alike)."""

from __future__ import annotations

import pytest

from rawan.engine import DataError, Dataset, compute, load_spec
from rawan.engine.pipeline import COUNT_MAX, VALUE_MAX, Plan


def test_kinds_have_finite_bounds():
    spec = load_spec("contoh-mini")
    plan = Plan.build(spec)
    kinds = {c: spec.tree.nodes[c].kind or "score" for c in plan.indicators}
    for j, c in enumerate(plan.indicators):
        assert plan.high[j] <= max(COUNT_MAX, VALUE_MAX) and plan.low[j] >= -VALUE_MAX, (c, kinds[c])
        if kinds[c] == "count":
            assert plan.high[j] == COUNT_MAX


def test_1e308_is_refused_naming_the_cell():
    spec = load_spec("contoh-mini")
    ind = spec.tree.indicators
    k1 = ind.index("k1")
    rows = [[0.0] * len(ind), [0.0] * len(ind)]
    rows[0][k1] = 1e308
    with pytest.raises(DataError) as e:
        compute(spec, Dataset(["a", "b"], ind, rows, source="x.csv"))
    (msg,) = [m for m in e.value.render("en") if "'k1'" in m]
    assert "'a'" in msg and "1e+308" in msg
