"""compute() and explain() on the example model and data, checked by hand."""

from __future__ import annotations

import math
import numpy as np
import pytest
import yaml

from rawan.engine import ComputeError, DataError, Dataset, compute, explain, load_spec, read_data, spec_from_dict
from rawan.engine import output

from .conftest import EXAMPLE_MODEL, ROOT

EXAMPLE_DATA = ROOT / "examples" / "contoh-mini-data.csv"


@pytest.fixture
def mini():
    spec = load_spec("contoh-mini")
    return spec, compute(spec, read_data(EXAMPLE_DATA, spec.tree.indicators))


def test_sarolangun_by_hand(mini):
    _, r = mini
    i = r.region("15.03")
    # k1 = 6 in [0, 8] -> 75; k2 = 2 in [0, 3] -> 66.67; keamanan = mean
    assert r.scores[i, r.col("k1")] == pytest.approx(75)
    assert r.score("keamanan")[i] == pytest.approx((75 + 200 / 3) / 2)
    # p1 = 20 in [0, 40] -> 50; p2 = 1 -> 100; p3 = 60 %, direction -1, range 60..80 -> 100
    assert r.score("penyelenggaraan")[i] == pytest.approx((50 + 100 + 100) / 3)
    # index: keamanan, penyelenggaraan weight 1; kontestasi (c1 = 5 = max -> 100) weight 2
    expected = ((75 + 200 / 3) / 2 + 250 / 3 + 2 * 100) / 4
    assert r.score("indeks")[i] == pytest.approx(expected, abs=1e-12)
    assert r.rank()[i] == 1 and r.category("15.03") == "tinggi"


def test_missing_value_left_out_and_completeness(mini):
    _, r = mini
    i = r.region("15.71")  # k2 missing
    assert math.isnan(r.raw[i, r.indicators.index("k2")])
    assert r.score("keamanan")[i] == pytest.approx(100)  # k1 = 8 = max, k2 left out
    assert r.coverage("keamanan")[i] == 0.5
    assert r.coverage()[i] == pytest.approx(5 / 6)


def test_aggregate_under_min_coverage_is_missing():
    raw = yaml.safe_load(EXAMPLE_MODEL.read_text(encoding="utf-8"))
    raw["methods"]["default"]["min_coverage"] = 0.75
    spec = spec_from_dict(raw)
    r = compute(spec, read_data(EXAMPLE_DATA, spec.tree.indicators))
    i = r.region("15.71")
    assert math.isnan(r.score("keamanan")[i])  # 1 of 2 < 75 %
    assert not math.isnan(r.score("indeks")[i])  # 5 of 6 indicators >= 75 %
    assert r.score("indeks")[i] == pytest.approx(
        (r.score("penyelenggaraan")[i] + 2 * r.score("kontestasi")[i]) / 3)


def test_categories_rule_by_region_level():
    spec = load_spec("ikp-2024")
    rng = np.random.default_rng(0)
    vals = rng.poisson(2.0, size=(11, 61)).astype(float)
    kab = Dataset([f"15.{k:02d}" for k in range(1, 12)], spec.tree.indicators, vals)
    r = compute(spec, kab)
    assert r.region_level == "kabupaten_kota"
    assert list(r.categories["ikp"].cutoffs) == [13.47, 49.33]
    kec = Dataset([f"15.01.{k:02d}" for k in range(1, 12)], spec.tree.indicators, vals)
    r2 = compute(spec, kec)  # kecamatan: the model's stated cut-offs, not this table's mean +/- SD
    assert list(r2.categories["ikp"].cutoffs) == [13.47, 49.33] and r2.reference.kind == "model"
    # the same values score higher against kecamatan goalposts (cap 1) than kab/kota ones (cap 3)
    assert np.all(r2.score("ikp") >= r.score("ikp")) and np.any(r2.score("ikp") > r.score("ikp"))
    other = Dataset([f"R{k}" for k in range(11)], spec.tree.indicators, vals)
    r3 = compute(spec, other)  # not Kemendagri codes: no rule applies, said as a warning
    assert r3.categories == {} and r3.warnings[0].key == "compute.no_category_scheme"
    r4 = compute(spec, other, region_level="provinsi")
    assert list(r4.categories["ikp"].cutoffs) == [21.7, 68.5]


def test_missing_indicator_and_out_of_range_reported_all_at_once():
    spec = load_spec("contoh-mini")
    d = Dataset(["a", "b"], ["k1", "k2", "p1", "p2"], [[1, -1, 0, 2], [0, 0, 0, 0.5]], source="x.csv")
    with pytest.raises(DataError) as e:
        compute(spec, d)
    assert e.value.keys == ["data.indicator_missing", "data.indicator_missing"]
    assert "'p3'" in e.value.render("en")[0] and "x.csv" in e.value.render("en")[0]
    d = Dataset(["a", "b"], spec.tree.indicators, [[1, -1, 0, 2, 101, 0], [0, 0, 0, 0.5, 50, 0]])
    with pytest.raises(DataError) as e:
        compute(spec, d)
    msgs = e.value.render("en")
    assert len(msgs) == 4  # k2 < 0; p2 = 2 and 0.5 not binary; p3 = 101 > 100
    assert any("'a'" in m and "'k2'" in m for m in msgs)


def test_bad_cells_name_file_row_and_column(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("code,k1,k2\n15.01,1,x\n15.01,2,3\n,4,5\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        read_data(p, ["k1", "k2"])
    msgs = e.value.render("id")
    assert any("baris 2" in m and "kolom C (k2)" in m and "'x'" in m for m in msgs)
    assert any("'15.01'" in m and "2, 3" in m for m in msgs)  # duplicate region
    assert any("baris 4" in m for m in msgs)  # empty code


def test_same_inputs_same_bytes(mini, tmp_path):
    spec, r = mini
    again = compute(load_spec("contoh-mini"), read_data(EXAMPLE_DATA, spec.tree.indicators))
    assert output.to_csv(r) == output.to_csv(again)
    assert output.to_json(r) == output.to_json(again)
    assert r.recipe == again.recipe
    assert set(r.recipe) >= {"spec_sha256", "data_sha256", "rawan_version"}


def test_outputs_carry_the_synthetic_mark(mini, tmp_path):
    _, r = mini
    assert r.synthetic
    for suffix in ("csv", "json", "xlsx"):
        path = output.write(r, tmp_path / f"out.{suffix}")
        assert path.stat().st_size > 0
    assert "DATA CONTOH" in (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert "DATA CONTOH" in (tmp_path / "out.json").read_text(encoding="utf-8")
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "out.xlsx")
    assert wb["hasil"]["A1"].value == "code"
    assert any("DATA CONTOH" in str(c.value) for row in wb["resep"].iter_rows() for c in row)


def test_csv_output_columns(mini):
    _, r = mini
    header, rows = output.table(r)
    assert header[:6] == ["code", "name", "indeks", "keamanan", "penyelenggaraan", "kontestasi"]
    assert header[6:] == ["rank", "category", "completeness", "catatan"]
    assert [row[6] for row in rows] == [1, 2, 3, 4, 5]


# ---- explain ----------------------------------------------------------------

def test_contributions_add_up(mini):
    spec, r = mini
    for code in r.codes:
        e = explain(r, code)
        tree = spec.tree
        for a in r.aggregates:
            kids = [c for c in e.contributions if c.parent == a]
            total = e.aggregates[a]
            if not math.isnan(total):
                assert sum(c.to_parent for c in kids) == pytest.approx(total, abs=1e-9), (code, a)
        ind_total = sum(e.of(c).to_index for c in tree.indicators)
        assert ind_total == pytest.approx(e.score, abs=1e-9)


def test_explain_sarolangun(mini):
    _, r = mini
    e = explain(r, "15.03", top=3)
    # arithmetic: contribution of kontestasi to the index = 2 * 100 / 4
    assert e.of("kontestasi").to_parent == pytest.approx(50)
    assert e.of("c1").to_index == pytest.approx(50)
    assert e.top_drivers[0].code == "c1"
    assert len(e.top_drivers) == 3
    assert e.category == "tinggi" and e.cutoff_up is None
    label, cut, margin = e.cutoff_down
    assert (label, cut) == ("sedang", 60.0) and margin == pytest.approx(e.score - 60)


def test_explain_distance_up(mini):
    _, r = mini
    e = explain(r, "15.02")
    assert e.category == "sedang"
    assert e.cutoff_up[0] == "tinggi" and e.cutoff_up[2] == pytest.approx(60 - e.score)


def test_explain_nonlinear_and_min_rules():
    raw = yaml.safe_load(EXAMPLE_MODEL.read_text(encoding="utf-8"))
    raw["hierarchy"][1]["aggregation"] = {"method": "max"}
    raw["hierarchy"][2]["aggregation"] = {"method": "geometric", "zeros": "offset"}
    spec = spec_from_dict(raw)
    r = compute(spec, read_data(EXAMPLE_DATA, spec.tree.indicators))
    e = explain(r, "15.02")
    # max: the whole aggregate goes to the largest child
    k = {c.code: c.to_parent for c in e.contributions if c.parent == "keamanan"}
    assert k["k1"] == pytest.approx(e.aggregates["keamanan"]) and k["k2"] == 0
    p = [c.to_parent for c in e.contributions if c.parent == "penyelenggaraan"]
    assert sum(p) == pytest.approx(e.aggregates["penyelenggaraan"])


def test_unknown_region(mini):
    _, r = mini
    with pytest.raises(DataError) as e:
        explain(r, "99.99")
    assert e.value.keys == ["data.unknown_region"]


def test_data_formats_agree(tmp_path):
    import pandas as pd

    spec = load_spec("contoh-mini")
    df = pd.read_csv(EXAMPLE_DATA)
    df.to_excel(tmp_path / "d.xlsx", index=False)
    df.to_parquet(tmp_path / "d.parquet")
    ref = compute(spec, read_data(EXAMPLE_DATA, spec.tree.indicators))
    for f in ("d.xlsx", "d.parquet"):
        r = compute(spec, read_data(tmp_path / f, spec.tree.indicators))
        np.testing.assert_array_equal(r.scores, ref.scores)
        assert r.recipe["data_sha256"] == ref.recipe["data_sha256"]



def test_method_failing_on_the_data_names_the_indicator():
    raw = yaml.safe_load(EXAMPLE_MODEL.read_text(encoding="utf-8"))
    raw["hierarchy"][4]["kind"] = "score"
    raw["hierarchy"][4]["normalisation"] = {"method": "distance_to_max"}
    spec = spec_from_dict(raw)
    d = Dataset(["a", "b"], spec.tree.indicators, [[-1, 0, 0, 0, 50, 0], [2, 1, 1, 1, 60, 1]])
    with pytest.raises(ComputeError) as e:
        compute(spec, d)
    assert e.value.keys == ["compute.method_failed"] and "'k1'" in e.value.render("en")[0]


def test_infinite_values_refused():
    spec = load_spec("contoh-mini")
    d = Dataset(["a", "b"], spec.tree.indicators, [[np.inf, 0, 0, 0, 50, 0], [2, 1, 1, 1, 60, 1]])
    with pytest.raises(DataError) as e:
        compute(spec, d)
    assert e.value.keys == ["data.not_finite"]


def test_unknown_region_level_refused(mini):
    spec, _ = mini
    with pytest.raises(ComputeError) as e:
        compute(spec, read_data(EXAMPLE_DATA, spec.tree.indicators), region_level="kabupaten")
    assert "kabupaten_kota" in e.value.render("en")[0]


def test_indonesian_decimal_comma(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text('code,a,b\nx,"41,63","1.234,5"\ny,2.5,1.234.567\n', encoding="utf-8")
    d = read_data(p, ["a", "b"])
    np.testing.assert_array_equal(d.values, [[41.63, 1234.5], [2.5, 1234567]])


def test_data_hash_covers_names_and_synthetic_mark():
    a = Dataset(["x"], ["k"], [[1.0]], names=["A"])
    b = Dataset(["x"], ["k"], [[1.0]], names=["B"])
    c = Dataset(["x"], ["k"], [[1.0]], names=["A"], synthetic=True)
    assert len({a.hash, b.hash, c.hash}) == 3
