"""TPS models, tables and counts: known answers and a property test against an independent count."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rawan.engine.spec import shipped_models
from rawan.tps import (BANDS, BandRule, Checklist, Registry, TpsError, band_indicators, count_tps,
                       load_tps_model, shipped_tps_models)
from rawan.tps.counts import NATION

from .conftest import examples

PILKADA = load_tps_model("tps-pilkada-2024")
PEMILU = load_tps_model("tps-pemilu-2024")

# a small region tree: 2 provinces, kab/kota, kecamatan, desa (fixed-width Kemendagri shapes)
DESA = ["11.01.01.2001", "11.01.01.2002", "11.01.02.2001", "11.71.01.1001",
        "15.01.01.2001", "15.01.01.2002", "15.01.02.1001", "15.71.01.1001", "15.71.01.1002"]


def registry(rows: list[tuple[int, int, int]], election="pilkada-2024") -> Registry:
    """rows: (desa position, tps number, dpt)."""
    return Registry.from_table(pa.table({
        "election": [election] * len(rows), "desa": [DESA[d] for d, _, _ in rows],
        "tps": pa.array([t for _, t, _ in rows], pa.int32()), "dpt": pa.array([v for *_, v in rows], pa.int32()),
    }))


def test_models_shape_and_named_rules():
    assert set(shipped_tps_models()) == {"tps-pilkada-2024", "tps-pemilu-2024"}
    assert not any(m.startswith("tps-") for m in shipped_models())  # not IKP methodologies
    assert (len(PILKADA.variables), len(PILKADA.indicators)) == (8, 25)
    assert (len(PEMILU.variables), len(PEMILU.indicators)) == (7, 22)
    assert PILKADA.rules.tps_rawan.min_indicators == 1
    assert PILKADA.rules.tps_rawan.name.id == "TPS rawan"
    assert PILKADA.compiled_list.confidence == "I"  # the combined list is compiled, and says so
    assert PILKADA.assumption(PILKADA.rules.bands.assumption).text.id.startswith("Asumsi rawan")
    assert PILKADA.indicator("i05").name.id == "Pemilih disabilitas yang terdaftar di DPT"
    assert list(np.bincount(PILKADA.variable_index)) == [6, 3, 1, 1, 2, 3, 7, 2]
    assert list(np.bincount(PEMILU.variable_index)) == [4, 2, 2, 2, 4, 6, 2]


def test_band_rule_is_configurable_and_checked():
    rule = PILKADA.rules.bands
    # Bawaslu Jambi's 23 Nov 2024 figures (domain.md 5.4): 5 "paling banyak" under the 30% rule
    jambi = np.array([1834, 1348, 1272, 704, 576, 319, 287])
    assert band_indicators(jambi, rule) == [BANDS[0]] * 5 + [BANDS[1]] * 2
    assert band_indicators(np.array([100, 0, 1]), rule) == [BANDS[0], None, BANDS[2]]
    by_rank = BandRule(method="rank", counts=(1, 1), assumption=rule.assumption)
    assert band_indicators(np.array([5, 7, 7, 0, 1]), by_rank) == [BANDS[2], BANDS[0], BANDS[1], None, BANDS[2]]
    assert PILKADA.with_bands(by_rank).rules.bands.method == "rank"
    with pytest.raises(TpsError):
        PILKADA.with_bands({"method": "share_of_max", "cuts": [0.05, 0.3], "assumption": rule.assumption})
    with pytest.raises(TpsError):
        PILKADA.with_bands({"method": "rank", "counts": [5, 9], "assumption": "not-defined"})


def test_known_counts_several_variables_count_once():
    reg = registry([(4, 1, 500), (4, 2, 400), (6, 1, 300), (7, 1, 200)])
    cl = Checklist.empty(PILKADA, reg)
    j = {c: k for k, c in enumerate(PILKADA.indicator_codes)}
    # TPS 1 of 15.01.01.2001: three indicators of two variables (i01, i02 of v1; i25 of v8)
    cl.answers[0, [j["i01"], j["i02"], j["i25"]]] = True
    cl.answered[:3] = True  # 15.71.01.1001 did not report
    counts = count_tps(cl)
    prov = counts.region("15")
    assert (prov.n_tps, prov.n_reported, prov.dpt, prov.rawan) == (4, 3, 1400, 1)
    assert prov.indicators[j["i01"]] == prov.indicators[j["i02"]] == prov.indicators[j["i25"]] == 1
    assert prov.variables.tolist() == [1, 0, 0, 0, 0, 0, 0, 1]
    assert prov.at_least.tolist() == [1, 1, 0, 0, 0, 0, 0, 0]
    assert (prov.n_desa, prov.n_desa_reported) == (3, 2)
    assert prov.share == pytest.approx(0.25)
    assert counts.region("15.71").rawan == 0 and counts.region("15.71").n_reported == 0
    assert counts.top("i01", within="15") == [("15.01", 1)]
    assert counts.level("nasional").codes == [NATION]
    t = counts.to_table("kecamatan", within="15.01")
    assert t.column("code").to_pylist() == ["15.01.01", "15.01.02"]
    assert t.column("tps_rawan").to_pylist() == [1, 0]


def test_registry_refuses_duplicates_and_bad_codes():
    with pytest.raises(TpsError) as e:
        registry([(0, 1, 10), (0, 1, 20)])
    assert e.value.keys == ["tps.registry_duplicate"]
    assert "TPS 001" in e.value.render("id")[0]
    with pytest.raises(TpsError) as e:
        Registry.from_table(pa.table({"election": ["x"], "desa": ["15.01"], "tps": pa.array([1], pa.int32()),
                                      "dpt": pa.array([1], pa.int32())}))
    assert e.value.keys == ["tps.registry_bad_desa"]


def test_checklist_table_round_trip_and_refusals():
    reg = registry([(0, 1, 100), (0, 2, 100), (3, 1, 100)])
    rows = {"election": [], "desa": [], "tps": [], "indicator": [], "answer": [], "note": []}
    for d, t in ((DESA[0], 1), (DESA[3], 1)):
        for k, code in enumerate(PILKADA.indicator_codes):
            rows["election"].append("pilkada-2024"); rows["desa"].append(d); rows["tps"].append(t)
            rows["indicator"].append(code); rows["answer"].append(k % 7 == 0)
            rows["note"].append("catatan" if k % 7 == 0 else None)
    table = pa.table(rows)
    cl = Checklist.from_table(PILKADA, reg, table)
    assert cl.answered.tolist() == [True, False, True]
    assert cl.answers.sum() == 2 * 4
    back = cl.to_table()
    assert back.num_rows == 50 and back.column("answer").to_pylist() == table.column("answer").to_pylist()
    assert back.column("note").to_pylist() == table.column("note").to_pylist()
    bad = table.set_column(1, "desa", pa.array([DESA[1]] + rows["desa"][1:]))
    with pytest.raises(TpsError) as e:
        Checklist.from_table(PILKADA, reg, bad)
    assert e.value.keys == ["tps.checklist_unknown_tps"]
    with pytest.raises(TpsError) as e:
        Checklist.from_table(PILKADA, reg, pa.concat_tables([table, table.slice(0, 1)]))
    assert e.value.keys == ["tps.checklist_duplicate"]


# ---------------------------------------------------------------- property: an independent count

LEVEL_OF_PARTS = {4: "desa_kelurahan", 3: "kecamatan", 2: "kabupaten_kota", 1: "provinsi"}


def independent(reg_rows, answers, answered, model):
    """Counts by plain Python loops over TPS (no numpy, no sorting)."""
    var_of = [i.variable for i in model.indicators]
    out: dict[str, dict] = {}
    for (d, _t, dpt), yes, rep in zip(reg_rows, answers, answered):
        code = DESA[d]
        parts = code.split(".")
        regions = [".".join(parts[:k]) for k in (1, 2, 3, 4)] + [NATION]
        yes = [bool(y) and rep for y in yes]
        variables = {var_of[k] for k, y in enumerate(yes) if y}
        for r in regions:
            c = out.setdefault(r, {"n_tps": 0, "reported": 0, "dpt": 0, "rawan": 0,
                                   "ind": [0] * len(yes), "var": {}, "ge": [0] * len(model.variables)})
            c["n_tps"] += 1
            c["reported"] += int(rep)
            c["dpt"] += dpt
            c["rawan"] += int(sum(yes) >= 1)
            for k, y in enumerate(yes):
                c["ind"][k] += int(y)
            for v in variables:
                c["var"][v] = c["var"].get(v, 0) + 1
            for k in range(len(model.variables)):
                c["ge"][k] += int(len(variables) >= k + 1)
    return out


@st.composite
def registries(draw):
    keys = draw(st.lists(st.tuples(st.integers(0, len(DESA) - 1), st.integers(1, 12)), min_size=1,
                         max_size=40, unique=True))
    rows = [(d, t, draw(st.integers(0, 600))) for d, t in keys]
    model = draw(st.sampled_from([PILKADA, PEMILU]))
    n_ind = len(model.indicators)
    answers = [draw(st.lists(st.booleans(), min_size=n_ind, max_size=n_ind)) for _ in rows]
    answered = [draw(st.booleans()) for _ in rows]
    return rows, answers, answered, model


@settings(max_examples=examples(80), deadline=None)
@given(registries())
def test_counts_equal_an_independent_count_at_every_level(case):
    rows, answers, answered, model = case
    reg = registry(rows)
    # the registry sorts its rows: place each drawn TPS by (desa, tps)
    at = reg.rows_of([DESA[d] for d, _, _ in rows], [t for _, t, _ in rows])
    assert (at >= 0).all()
    cl = Checklist.empty(model, reg)
    cl.answers[at] = np.array(answers, dtype=bool) & np.array(answered, dtype=bool)[:, None]
    cl.answered[at] = answered
    # the same answers through the table form (what the database and the files hold)
    cl = Checklist.from_table(model, reg, cl.to_table()) if cl.answered.any() else cl
    counts = count_tps(cl)
    want = independent(rows, answers, answered, model)
    seen = 0
    for level in ("desa_kelurahan", "kecamatan", "kabupaten_kota", "provinsi", "nasional"):
        lc = counts.level(level)
        assert sorted(c for c in want if (c == NATION) == (level == "nasional")
                      and (c == NATION or LEVEL_OF_PARTS[c.count(".") + 1] == level)) == lc.codes
        for i, code in enumerate(lc.codes):
            w = want[code]
            assert (lc.n_tps[i], lc.n_reported[i], lc.dpt[i], lc.rawan[i]) == (
                w["n_tps"], w["reported"], w["dpt"], w["rawan"])
            assert lc.indicators[i].tolist() == w["ind"]
            assert lc.variables[i].tolist() == [w["var"].get(v, 0) for v in model.variable_codes]
            assert lc.at_least[i].tolist() == w["ge"]
            # a TPS rawan counts once however many indicators it meets: never more than its TPS
            assert lc.rawan[i] <= lc.n_tps[i] and lc.rawan[i] == lc.at_least[i][0]
            seen += 1
    assert seen == len(want)
