"""A class that means the same in any table: goalposts, stored references, restriction.

Property: for random data and any subset, a result against goalposts or a stored reference,
restricted to the subset, equals the result computed for the subset alone with the same
reference, bit for bit, classes and ranks within the reference included.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rawan.engine import ComputeError, Dataset, Reference, compute, load_spec, spec_from_dict
from rawan.engine.errors import DataError

from .conftest import examples


def _spec(normalisation: dict, rule: dict, imputation: dict | None = None, coverage: str = "indicators",
          aggregation: str = "arithmetic"):
    hierarchy = [{"code": "idx", "name": "Indeks", "type": "aggregate"},
                 {"code": "A", "parent": "idx", "name": "A", "type": "aggregate", "weight": 2},
                 {"code": "B", "parent": "idx", "name": "B", "type": "aggregate"}]
    for j in range(9):  # 9 children under A: more than numpy's 8-way unrolled sums
        parent = "A" if j < 9 - 3 else "B"
        hierarchy.append({"code": f"x{j}", "parent": parent, "name": f"x{j}", "type": "indicator",
                          "kind": "count", "goalposts": [0, 5 + j], "direction": -1 if j == 4 else 1})
    for j in range(9, 12):
        hierarchy.append({"code": f"x{j}", "parent": "A", "name": f"x{j}", "type": "indicator",
                          "kind": "count", "goalposts": {"default": [0, 3], "kecamatan": [0, 2]}})
    return spec_from_dict({
        "id": "uji", "title": "uji", "scale": {"min": 0, "max": 100},
        "methods": {"default": {"normalisation": normalisation, "imputation": imputation or {"method": "none"},
                                "aggregation": {"method": aggregation}, "min_coverage": 0.5},
                    "coverage": coverage},
        "categories": [dict(rule, labels=["rendah", "sedang", "tinggi"])],
        "hierarchy": hierarchy})


GOALPOSTS = {"method": "goalposts", "lower": 0, "upper": 100}
MINMAX = {"method": "minmax", "lower": 0, "upper": 100}
FIXED = {"rule": "fixed", "cutoffs": [20, 50]}
MEAN_SD = {"rule": "mean_sd", "k": 1}


def _data(values: np.ndarray, kab: list[int]) -> Dataset:
    codes = [f"15.{k:02d}.{i + 1:02d}" for i, k in enumerate(kab)]
    cols = [f"x{j}" for j in range(values.shape[1])]
    return Dataset(codes=codes, columns=cols, values=values, names=[f"Kec {c}" for c in codes])


def _take(d: Dataset, rows) -> Dataset:
    return Dataset(codes=[d.codes[i] for i in rows], columns=d.columns, values=d.values[rows],
                   names=[d.names[i] for i in rows])


def _same(a, b, ranks: bool = True):
    assert a.codes == b.codes
    assert np.array_equal(a.scores, b.scores, equal_nan=True)  # bit for bit (NaN where NaN)
    assert np.array_equal(a.completeness, b.completeness)
    for node, cat in a.categories.items():
        assert np.array_equal(cat.cutoffs, b.categories[node].cutoffs, equal_nan=True)  # NaN: no index anywhere
        assert np.array_equal(cat.classes, b.categories[node].classes)
    if ranks:  # a stored reference fixes the ranking population too
        assert np.array_equal(a.rank_in_reference, b.rank_in_reference, equal_nan=True)


table = st.integers(min_value=2, max_value=40).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.one_of(st.integers(0, 12).map(float), st.just(float("nan")),
                                st.floats(0, 12, allow_nan=False).map(lambda v: round(v, 3))),
                      min_size=12, max_size=12), min_size=n, max_size=n),
    st.lists(st.integers(1, 3), min_size=n, max_size=n),
    st.lists(st.booleans(), min_size=n, max_size=n)))


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table, st.sampled_from(["indicators", "children"]),
       st.sampled_from(["arithmetic", "geometric", "harmonic", "sum"]))
def test_goalposts_result_is_subset_invariant(t, coverage, aggregation):
    rows, kab, keep = t
    d = _data(np.array(rows, dtype=float), kab)
    sub = [i for i, k in enumerate(keep) if k] or [0]
    spec = _spec(GOALPOSTS, FIXED, coverage=coverage, aggregation=aggregation)
    full = compute(spec, d, region_level="kecamatan")
    assert full.reference.kind == "model"
    alone = compute(spec, _take(d, sub), region_level="kecamatan")
    part = full.restrict(rows=np.array(sub))
    _same(part, alone, ranks=False)
    assert np.array_equal(part.rank(), alone.rank(), equal_nan=True)  # rank within the subset


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table, st.sampled_from([None, {"method": "mean"}, {"method": "median"}]))
def test_stored_reference_result_is_subset_invariant(t, imputation):
    rows, kab, keep = t
    d = _data(np.array(rows, dtype=float), kab)
    sub = [i for i, k in enumerate(keep) if k] or [0]
    spec = _spec(MINMAX, MEAN_SD, imputation)
    full = compute(spec, d, region_level="kecamatan")
    assert full.reference.kind == "table" and "normalisation" in full.reference.table_steps
    ref = full.to_reference("provinsi")
    again = compute(spec, d, region_level="kecamatan", reference=ref)
    _same(again, full)  # the reference reproduces its own run exactly
    assert np.array_equal(again.rank_in_reference, full.rank(), equal_nan=True)
    alone = compute(spec, _take(d, sub), region_level="kecamatan", reference=ref)
    assert alone.reference.kind == "stored" and alone.reference.n_regions == len(d.codes)
    _same(full.restrict(rows=np.array(sub)), alone)
    # --parent is restriction: the regions under a kab/kota, against the same reference
    parent = d.codes[sub[0]].rsplit(".", 1)[0]
    under = [i for i, c in enumerate(d.codes) if c.startswith(parent + ".")]
    _same(full.restrict(parent), compute(spec, _take(d, under), region_level="kecamatan", reference=ref))


def test_reference_file_round_trip(tmp_path):
    rng = np.random.default_rng(5)
    d = _data(rng.poisson(2.0, (30, 12)).astype(float), [1] * 10 + [2] * 20)
    spec = _spec(MINMAX, MEAN_SD)
    full = compute(spec, d, region_level="kecamatan")
    path = full.to_reference("Jambi, 30 kecamatan").save(tmp_path / "ref.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "rawan-reference/1" and doc["n_regions"] == 30
    assert set(doc["normalisation"]) == {f"x{j}" for j in range(12)}
    ref = Reference.load(path)
    part = compute(spec, _take(d, range(10)), region_level="kecamatan", reference=ref)
    _same(part, full.restrict("15.01"))
    # rank within the reference ("7 of 30") and within the subset, both kept
    assert part.reference_size == 30 and len(part.codes) == 10
    assert np.array_equal(part.rank_in_reference, full.rank()[:10])
    assert part.rank().max() <= 10


def test_reference_refuses_another_model_or_level(tmp_path):
    d = _data(np.ones((4, 12)), [1, 1, 2, 2])
    ref = compute(_spec(MINMAX, MEAN_SD), d, region_level="kecamatan").to_reference("r")
    with pytest.raises(ComputeError) as e:
        compute(_spec(GOALPOSTS, FIXED), d, region_level="kecamatan", reference=ref)
    assert e.value.keys == ["reference.model"]
    with pytest.raises(ComputeError) as e:
        compute(_spec(MINMAX, MEAN_SD), d, region_level="desa_kelurahan", reference=ref)
    assert e.value.keys == ["reference.level"]
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(ComputeError) as e:
        Reference.load(bad)
    assert e.value.keys == ["reference.file"]
    with pytest.raises(DataError) as e:
        compute(_spec(MINMAX, MEAN_SD), d, region_level="kecamatan").restrict("15.09")
    assert e.value.keys == ["reference.unknown_parent"]


def test_rank_normalisation_cannot_use_a_stored_reference():
    d = _data(np.arange(48, dtype=float).reshape(4, 12), [1, 1, 2, 2])
    spec = _spec({"method": "rank"}, FIXED)
    full = compute(spec, d, region_level="kecamatan")
    with pytest.raises(ComputeError) as e:
        compute(spec, d, region_level="kecamatan", reference=full.to_reference("r"))
    assert e.value.keys == ["reference.not_storable"]


def test_goalposts_per_region_level():
    d = _data(np.full((2, 12), 2.0), [1, 1])
    spec = _spec(GOALPOSTS, FIXED)
    kec = compute(spec, d, region_level="kecamatan")
    other = compute(spec, d, region_level="desa_kelurahan")
    assert kec.score("x10")[0] == 100.0  # kecamatan goalposts [0, 2]
    assert other.score("x10")[0] == pytest.approx(200 / 3)  # default [0, 3]


# ---- the CLI and the report: the Kerinci kecamatan class the same in every book ----------------


def test_cli_parent_reference_and_kerinci_book_agree(jambi_data, tmp_path):
    import csv as _csv

    from rawan import demo

    from .test_cli import rawan

    spec = load_spec("ikp-2024")
    files = demo.build(spec, tmp_path, regions=jambi_data)
    kec = files[1]
    rows = list(_csv.reader(open(kec, encoding="utf-8")))
    kerinci = tmp_path / "kerinci.csv"
    with open(kerinci, "w", encoding="utf-8", newline="") as f:
        _csv.writer(f, lineterminator="\n").writerows([rows[0]] + [r for r in rows[1:] if r[0].startswith("15.01.")])

    def table(path):
        with open(path, encoding="utf-8") as f:
            return {r["code"]: r for r in _csv.DictReader(f)}

    ref = tmp_path / "jambi.ref.json"
    code, out, err = rawan("compute", "-m", "ikp-2024", "-d", kec, "-o", tmp_path / "all.csv",
                           "--save-reference", ref)
    assert code == 0, err
    assert ref.exists() and "--reference" in out
    assert "konstanta model" in out  # the reference is said on the output
    code, out, err = rawan("compute", "-m", "ikp-2024", "-d", kec, "-o", tmp_path / "parent.csv", "--parent", "15.01")
    assert code == 0, err
    code, out, err = rawan("compute", "-m", "ikp-2024", "-d", kerinci, "-o", tmp_path / "alone.csv")
    assert code == 0, err
    code, out, err = rawan("compute", "-m", "ikp-2024", "-d", kerinci, "-o", tmp_path / "stored.csv",
                           "--reference", ref)
    assert code == 0, err
    assert "referensi tersimpan" in out
    whole, parent, alone, stored = (table(tmp_path / f) for f in ("all.csv", "parent.csv", "alone.csv", "stored.csv"))
    assert set(parent) == set(alone) == set(stored) and len(parent) == 18
    for c in parent:
        assert whole[c]["ikp"] == parent[c]["ikp"] == alone[c]["ikp"] == stored[c]["ikp"], c
        assert whole[c]["category"] == parent[c]["category"] == alone[c]["category"] == stored[c]["category"], c
        # both ranks, said which is which: within the table and within the reference
        assert parent[c]["rank_reference"] == stored[c]["rank_reference"] == whole[c]["rank"], c
        assert int(parent[c]["rank"]) <= 18
    assert "rank_reference" not in next(iter(alone.values()))
    # nothing recorded: rendah in every book
    values = {r[0]: r[3:] for r in rows[1:]}
    for c, row in whole.items():
        if all(v in ("", "0") for v in values[c]):
            assert row["category"] == "rendah", c
    # the report of the regions under 15.01 classes them as the province-wide book
    code, out, err = rawan("report", "-m", "ikp-2024", "-d", kec, "--parent", "15.01", "-o", tmp_path / "k.html",
                           "--date", "2024-09-01", "--boundaries", "tiles", "--regions", jambi_data)
    assert code == 0, err
    page = (tmp_path / "k.html").read_text(encoding="utf-8")
    assert "dalam referensi" in page and "dari 144" in page
    assert "Bobot (efektif)" in page and "1,64%" in page
