"""Truthful categories: shipped models, misleading-rule warnings, IKP 2024's inferred rule,
effective weights, COINr parity details (min-max order, dat_thresh, iMeta, one weight factor)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from rawan.engine import Dataset, compute, effective_weights, load_spec, spec_from_dict
from rawan.engine import methods as M
from rawan.engine.rules import static_warnings
from rawan.engine.spec import shipped_models

DATA = Path(__file__).parent / "data"


def _zeros_and_events(spec, n=6, seed=3):
    rng = np.random.default_rng(seed)
    values = rng.poisson(1.5, (n, len(spec.tree.indicators))).astype(float)
    values = np.minimum(values, spec.plan.high)  # binary indicators stay 0/1
    values[0] = 0.0  # nothing recorded
    return values


@pytest.mark.parametrize("model", sorted(shipped_models()))
@pytest.mark.parametrize("level", ["provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan"])
def test_nothing_recorded_is_in_the_lowest_class_under_every_shipped_model(model, level):
    spec = load_spec(model)
    values = _zeros_and_events(spec)
    codes = {"provinsi": "1{}", "kabupaten_kota": "15.0{}", "kecamatan": "15.01.0{}",
             "desa_kelurahan": "15.01.01.200{}"}[level]
    cols = list(spec.tree.indicators)
    attrs = {}
    if spec.denominator is not None:
        attrs[spec.denominator.column] = np.array(["25000"] * len(values), dtype=object)
    d = Dataset(codes=[codes.format(i + 1) for i in range(len(values))], columns=cols, values=values,
                attributes=attrs)
    r = compute(spec, d)
    cat = r.categories.get(r.index_code)
    assert cat is not None, f"{model} has no category rule at {level}"
    assert cat.label_of(0) == cat.labels[0], (model, level, r.score(r.index_code)[0], cat.cutoffs)
    # and every region's class is its own: the same row alone gets the same class
    alone = compute(spec, Dataset(codes=d.codes[:1], columns=cols, values=values[:1],
                                  attributes={k: v[:1] for k, v in attrs.items()}))
    if r.reference.kind == "model":
        assert alone.categories[r.index_code].label_of(0) == cat.labels[0]


def _small(rule: dict, normalisation=None):
    return spec_from_dict({
        "id": "t", "title": "t", "scale": {"min": 0, "max": 100},
        "methods": {"default": {"normalisation": normalisation or {"method": "minmax"}}},
        "categories": [dict(rule, labels=["rendah", "sedang", "tinggi"])],
        "hierarchy": [{"code": "idx", "name": "i", "type": "aggregate"},
                      {"code": "a", "parent": "idx", "name": "a", "type": "indicator", "kind": "count",
                       "goalposts": [0, 10]},
                      {"code": "b", "parent": "idx", "name": "b", "type": "indicator", "kind": "count",
                       "goalposts": [0, 10]}]})


def test_mean_sd_on_skewed_scores_warns_negative_cut_and_empty_class():
    # the case: skewed kecamatan scores, mean - 1 SD below 0, rendah empty
    spec = _small({"rule": "mean_sd", "k": 1})
    values = np.array([[0, 0], [0, 1], [1, 0], [1, 1], [0, 0], [2, 1], [10, 10]], dtype=float)
    d = Dataset(codes=[f"15.01.0{i + 1}" for i in range(7)], columns=["a", "b"], values=values)
    r = compute(spec, d)
    cat = r.categories["idx"]
    assert cat.cutoffs[0] < 0
    keys = [w.key for w in r.warnings]
    assert "rule.cut_below_nothing" in keys and "rule.cut_outside_scale" in keys
    assert "rule.empty_class" in keys
    empty = [w for w in r.warnings if w.key == "rule.empty_class"][0]
    assert empty.params["label"] == "rendah" and empty.severity == "warning"
    assert r.reference.kind == "table"
    assert "tabel ini" in r.reference.sentence("id")


def test_sensible_fixed_rule_gives_no_warning():
    spec = _small({"rule": "fixed", "cutoffs": [20, 60]}, {"method": "goalposts"})
    values = np.array([[0, 0], [3, 2], [10, 10]], dtype=float)
    r = compute(spec, Dataset(codes=["15.01.01", "15.01.02", "15.01.03"], columns=["a", "b"], values=values))
    assert r.warnings == [] and r.reference.kind == "model"
    assert list(r.categories["idx"].classes) == [0, 1, 2]


def test_model_check_warns_fixed_cut_at_zero_and_outside_scale():
    spec = _small({"rule": "fixed", "cutoffs": [0, 120]}, {"method": "goalposts"})
    keys = sorted(w.key for w in static_warnings(spec))
    assert keys == ["rule.cut_below_nothing", "rule.cut_outside_scale", "rule.cut_outside_scale"][:len(keys)]
    assert "rule.cut_below_nothing" in keys and "rule.cut_outside_scale" in keys
    for model in shipped_models():
        assert static_warnings(load_spec(model)) == [], model


def _published_provinces():
    with open(DATA / "ikp2024-provinsi.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return np.array([float(r["index"]) for r in rows]), [r["category"] for r in rows]


def test_mean_sd_rule_reproduces_the_34_published_province_classes():
    scores, published = _published_provinces()
    assert len(scores) == 34
    cuts = M.get("classification", "mean_sd").func(scores, k=1.0)
    np.testing.assert_allclose(cuts, [21.67, 68.71], atol=0.01)  # domain.md 3.6 [I]
    labels = ["rendah", "sedang", "tinggi"]
    mine = [labels[c] for c in M.classify(scores, cuts)]
    assert mine == published
    assert (mine.count("tinggi"), mine.count("sedang"), mine.count("rendah")) == (5, 21, 8)


def test_effective_weights_ikp_2024_every_indicator_the_same():
    spec = load_spec("ikp-2024")
    eff = effective_weights(spec)
    ind = spec.tree.indicators
    assert len(ind) == 61
    assert sum(eff[c] for c in ind) == pytest.approx(1.0, abs=1e-12)
    for c in ind:
        assert eff[c] == pytest.approx(1 / 61, rel=1e-12)  # hand computation: equal per indicator
    assert eff["sospol"] == pytest.approx(16 / 61) and eff["partisipasi"] == pytest.approx(6 / 61)
    assert spec.weights_at == "indicators" and spec.weights_assumption == "equal-indicator-weights"


def test_effective_weights_per_level_hand_computation():
    # equal weights at every level of ikp-2024's tree (its earlier default): 8x spread
    raw = load_spec("ikp-2024").model_dump(mode="json")
    raw["weights_at"] = "levels"
    for n in raw["hierarchy"]:
        n["weight"] = 1.0
    spec = spec_from_dict(raw)
    eff = effective_weights(spec)
    ind = spec.tree.indicators
    assert sum(eff[c] for c in ind) == pytest.approx(1.0, abs=1e-12)
    assert eff["i56"] == pytest.approx(1 / 4 * 1 / 2 * 1 / 3)  # partisipasi_pemilih: 4.17 %
    assert eff["i27"] == pytest.approx(1 / 4 * 1 / 5 * 1 / 10)  # pemungutan_suara: 0.5 %
    assert max(eff[c] for c in ind) / min(eff[c] for c in ind) == pytest.approx(25 / 3)


def test_weights_at_indicators_refuses_aggregate_weights():
    from rawan.engine import SpecError

    with pytest.raises(SpecError) as e:
        spec_from_dict({"id": "t", "title": "t", "weights_at": "indicators", "hierarchy": [
            {"code": "idx", "name": "i", "type": "aggregate"},
            {"code": "A", "parent": "idx", "name": "A", "type": "aggregate", "weight": 3},
            {"code": "a", "parent": "A", "name": "a", "type": "indicator"},
            {"code": "b", "parent": "idx", "name": "b", "type": "indicator"}]})
    assert "weight of A" in str(e.value)


# ---- COINr parity ------------------------------------------------------------


def _coinr_minmax(x, l=0.0, u=100.0):
    """COINr's n_minmax, as written in its R source: (x - min) / (max - min) * (u - l) + l."""
    lo, hi = np.nanmin(x), np.nanmax(x)
    return (x - lo) / (hi - lo) * (u - l) + l


def test_minmax_follows_coinr_order_so_last_bit_neighbours_tie():
    # 3.4 and 3.4000000000000004 differ in the last bit; COINr's order maps both to the same double
    x = np.array([[0.0], [3.4], [3.4000000000000004], [13.0]])
    coinr = _coinr_minmax(x[:, 0])
    assert coinr[1] == coinr[2]
    folded = x[:, 0] * (100.0 / 13.0)  # an affine map folded into x * a + b does not tie them
    assert folded[1] != folded[2]
    mine = M.n_minmax(x, np.array([1.0]))[:, 0]
    assert np.array_equal(mine, coinr)
    # the tie survives aggregation and ranks as COINr's rank(-x, ties.method = "min")
    spec = spec_from_dict({"id": "tie", "title": "tie", "hierarchy": [
        {"code": "Index", "name": "Index", "type": "aggregate"},
        {"code": "a", "parent": "Index", "name": "a", "type": "indicator"},
        {"code": "b", "parent": "Index", "name": "b", "type": "indicator", "direction": -1}]})
    d = Dataset(codes=["W", "X", "Y", "Z"], columns=["a", "b"],
                values=np.column_stack([x[:, 0], [13.0, 5.0, 5.0, 0.0]]))
    r = compute(spec, d)
    assert r.score("Index")[1] == r.score("Index")[2]
    assert list(r.rank()) == [4.0, 2.0, 2.0, 1.0]


def test_direction_minus_one_matches_coinr_order():
    x = np.array([[0.1], [0.7], [0.30000000000000004], [1.1]])
    mine = M.n_minmax(x, np.array([-1.0]))[:, 0]
    assert np.array_equal(mine, _coinr_minmax(-x[:, 0]))


def _tree_with_missing(coverage: str, min_cov: float):
    return spec_from_dict({
        "id": "cov", "title": "cov",
        "methods": {"default": {"min_coverage": min_cov}, "coverage": coverage},
        "hierarchy": [{"code": "I", "name": "I", "type": "aggregate"},
                      {"code": "P", "parent": "I", "name": "P", "type": "aggregate"},
                      {"code": "Q", "parent": "I", "name": "Q", "type": "aggregate"},
                      *[{"code": f"p{j}", "parent": "P", "name": "p", "type": "indicator"} for j in range(4)],
                      {"code": "q0", "parent": "Q", "name": "q", "type": "indicator"}]})


def test_dat_thresh_counts_direct_children_as_coinr():
    # P has 1 of 4 indicators (25 %), Q has its 1 of 1; over all indicators I has 2 of 5 (40 %)
    values = np.array([[1.0, np.nan, np.nan, np.nan, 2.0], [1.0, 2.0, 3.0, 4.0, 5.0]])
    d = Dataset(codes=["A", "B"], columns=["p0", "p1", "p2", "p3", "q0"], values=values)
    ind = compute(_tree_with_missing("indicators", 0.5), d)
    ch = compute(_tree_with_missing("children", 0.5), d)
    assert np.isnan(ind.score("I")[0])  # 40 % of indicators < 50 %
    # children: P is missing (25 % < 50 %), so I has 1 of 2 direct children = 50 %: computed from Q
    assert np.isnan(ch.score("P")[0]) and ch.score("I")[0] == ch.score("Q")[0]
    assert ch.coverage("I")[0] == 0.5 and ch.coverage("P")[0] == 0.25
    assert np.array_equal(ch.score("I")[1:], ind.score("I")[1:])


def test_imeta_table_alone_has_no_threshold(tmp_path):
    path = tmp_path / "meta.csv"
    path.write_text("Level,iCode,iName,Direction,Weight,Parent,Type\n"
                    "1,a,a,1,1,P,Indicator\n1,b,b,1,1,P,Indicator\n1,c,c,1,1,P,Indicator\n"
                    "2,P,P,,1,Index,Aggregate\n3,Index,Index,,1,,Aggregate\n", encoding="utf-8")
    spec = load_spec(path)
    d = Dataset(codes=["A", "B", "C"], columns=["a", "b", "c"],
                values=np.array([[1.0, np.nan, np.nan], [2.0, 3.0, 4.0], [0.0, 1.0, 2.0]]))
    r = compute(spec, d)
    assert r.score("Index")[0] == r.score("a")[0]  # 1 of 3 available: COINr still aggregates it


def test_sensitivity_can_vary_all_weights_as_one_input():
    from rawan.engine import Design, WeightDesign

    spec = load_spec("contoh-mini")
    inp = Design(weights=WeightDesign(group="all")).inputs(spec)
    assert list(inp.factors) == ["weights"]
    assert len(inp.factors["weights"]) == len(inp.varied) > 3


# ---- the per-10.000-DPT variant ------------------------------------------------------------------


def _kab_regions():
    from rawan.regions.hierarchy import Region, Regions

    return Regions([Region("15", "Jambi", "Jambi", "provinsi", None, "provinsi")]
                   + [Region(f"15.0{k}", f"Kabupaten K{k}", f"K{k}", "kabupaten_kota", "15", "kabupaten")
                      for k in (1, 2, 3)])


def test_per_dpt_model_divides_counts_by_dpt():
    spec = load_spec("ikp-2024-per-dpt")
    counts = np.zeros((2, 61))
    counts[0, 0] = 3.0
    counts[1, 0] = 3.0
    d = Dataset(codes=["15.01", "15.02"], columns=spec.tree.indicators, values=counts,
                attributes={"dpt": np.array(["30000", "60000"], dtype=object)})
    r = compute(spec, d)
    # 3 events / 30.000 DPT = 1 per 10.000 (the upper goalpost: 100); / 60.000 = 0,5 (50)
    assert r.score("i01")[0] == 100.0 and r.score("i01")[1] == 50.0
    assert r.raw[1, 0] == 0.5
    with pytest.raises(Exception) as e:
        compute(spec, Dataset(codes=["15.01"], columns=spec.tree.indicators, values=counts[:1]))
    assert e.value.keys == ["compute.denominator_missing"]
    with pytest.raises(Exception) as e:
        compute(spec, Dataset(codes=["15.01"], columns=spec.tree.indicators, values=counts[:1],
                              attributes={"dpt": np.array(["0"], dtype=object)}))
    assert e.value.keys == ["compute.denominator_bad"] and "15.01" in e.value.render("en")[0]


def test_per_dpt_template_and_import_carry_the_dpt_column(tmp_path):
    import openpyxl

    from rawan.engine import DataError
    from rawan.intake.api import import_file
    from rawan.intake.template import make_template

    spec = load_spec("ikp-2024-per-dpt")
    regions = _kab_regions()
    out = make_template(spec, regions, level="kabupaten_kota", parent="15", out=tmp_path / "isian.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    assert header[2 + 61].startswith("dpt ")
    for row in range(2, 5):
        for col in range(3, 3 + 61):
            ws.cell(row, col, 1)
    ws.cell(2, 64, 20000)
    ws.cell(3, 64, 40000)
    wb.save(tmp_path / "bad.xlsx")  # the third row has no DPT
    with pytest.raises(DataError) as e:
        import_file(tmp_path / "bad.xlsx", spec, regions=regions)
    assert "intake.bad_denominator" in e.value.keys
    ws.cell(4, 64, 10000)
    wb.save(tmp_path / "good.xlsx")
    data = import_file(tmp_path / "good.xlsx", spec, regions=regions).dataset
    r = compute(spec, data)
    # one event per indicator: 0,5 / 0,25 / 1 per 10.000 DPT
    assert list(r.score("i01")) == [50.0, 25.0, 100.0]
    csv_out = make_template(spec, regions, level="kabupaten_kota", parent="15", out=tmp_path / "isian.csv")
    assert ";dpt;" in csv_out.read_text(encoding="utf-8-sig").splitlines()[0]


def test_count_of_indicators_model_counts_what_occurred():
    spec = load_spec("ikp-2024-jumlah-indikator")
    v = np.zeros((3, 61))
    v[1, :19] = 2.0  # 19 indicators occurred ("19 dari 27 indikator terjadi", on IKP 2024's 61)
    v[2, :40] = 1.0
    v[2, 50] = np.nan
    r = compute(spec, Dataset(codes=["15.01", "15.02", "15.03"], columns=spec.tree.indicators, values=v))
    assert list(r.score("ikp")) == [0.0, 19.0, 40.0]
    assert [r.category(c) for c in r.codes] == ["rendah", "sedang", "tinggi"]
    assert r.reference.kind == "model" and r.warnings == []
    rule = spec.categories[0]
    assert rule.assumption == "count-cutoffs-unpublished"  # Bawaslu's cut-offs are unpublished


def test_model_check_and_compute_say_the_warning_with_its_reason(tmp_path):
    from .conftest import run_rawan

    model = tmp_path / "negatif.yaml"
    model.write_text("""
id: negatif
title: negatif
scale: {min: 0, max: 100}
methods: {default: {normalisation: {method: goalposts}}}
categories:
  - rule: fixed
    cutoffs: [-5, 50]
hierarchy:
  - {code: idx, name: i, type: aggregate}
  - {code: a, parent: idx, name: a, type: indicator, kind: count, goalposts: [0, 4]}
""", encoding="utf-8")
    code, out, err = run_rawan("model", "check", model)
    assert code == 0  # a warning, not an error
    assert "batas terendah -5,00 berada pada atau di bawah skor wilayah tanpa kejadian" in err
    assert "di luar rentang skor" in err
    data = tmp_path / "d.csv"
    data.write_text("code,a\n15.01,0\n15.02,1\n", encoding="utf-8")
    code, out, err = run_rawan("compute", "-m", model, "-d", data, "-o", tmp_path / "o.csv", lang="en")
    assert code == 0 and "class 'low' is empty among the 2 regions" in err
    assert "model's constants" in out


def test_model_reference_read_from_the_model_alone():
    from rawan.engine.reference import model_reference

    assert model_reference(load_spec("ikp-2024"), "kecamatan").kind == "model"
    mini = model_reference(load_spec("contoh-mini"), "kabupaten_kota")
    assert mini.kind == "table" and mini.table_steps == ("normalisation",)
    assert "tabel ini" in mini.sentence("id") and "this table" in mini.sentence("en")


def test_cutoff_warnings_read_in_each_language():
    """The English warning has decimal points and the class in English; the Indonesian one commas."""
    spec = _small({"rule": "fixed", "cutoffs": [0, 120]}, {"method": "goalposts"})
    below = [w for w in static_warnings(spec) if w.key == "rule.cut_below_nothing"]
    assert below
    en, id_ = below[0].render("en"), below[0].render("id")
    assert "0.00" in en and "0,00" not in en and "class 'low'" in en and "rendah" not in en
    assert "0,00" in id_ and "kelas 'rendah'" in id_
