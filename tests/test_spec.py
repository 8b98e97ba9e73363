"""Methodology files: loading, validation (every problem at once), COINr iMeta tables."""

from __future__ import annotations

import copy

import pytest
import yaml

from rawan.engine import SpecError, load_spec, spec_from_dict
from rawan.engine.spec import shipped_models

from .conftest import EXAMPLE_MODEL


def base() -> dict:
    return yaml.safe_load(EXAMPLE_MODEL.read_text(encoding="utf-8"))


def problems(raw: dict) -> list:
    with pytest.raises(SpecError) as exc:
        spec_from_dict(raw)
    return exc.value.problems


def test_example_model_loads():
    spec = load_spec("contoh-mini")
    t = spec.tree
    assert t.root == "indeks"
    assert t.indicators == ["k1", "k2", "p1", "p2", "p3", "c1"]
    assert t.aggregates[-1] == "indeks" and t.level["indeks"] == 3 and t.level["keamanan"] == 2
    assert t.leaves["penyelenggaraan"] == ["p1", "p2", "p3"]


def test_every_problem_reported_at_once_naming_codes():
    raw = base()
    h = raw["hierarchy"]
    h.append(copy.deepcopy(h[-1]))  # duplicate c1
    h.append({"code": "x1", "parent": "nowhere", "name": "x", "type": "indicator"})
    h.append({"code": "a", "parent": "b", "name": "a", "type": "aggregate"})
    h.append({"code": "b", "parent": "a", "name": "b", "type": "aggregate"})
    h.append({"code": "empty", "parent": "indeks", "name": "e", "type": "aggregate"})
    h[1]["weight"] = 0
    h[2]["weight"] = -2
    raw["methods"]["default"]["aggregation"] = {"method": "median_of_means"}
    probs = problems(raw)
    keys = [p.key for p in probs]
    assert keys.count("spec.duplicate_code") == 1
    assert "spec.unknown_parent" in keys
    assert "spec.cycle" in keys
    assert "spec.weight_not_positive" in keys and keys.count("spec.weight_not_positive") == 2
    assert "spec.unknown_method" in keys
    assert "spec.aggregate_without_children" in keys
    text = " ".join(p.render("en") for p in probs)
    for code in ("'c1'", "'x1'", "'nowhere'", "a -> b -> a", "'keamanan'", "'penyelenggaraan'",
                 "median_of_means", "'empty'"):
        assert code in text or code.replace("a -> b -> a", "b -> a -> b") in text, code
    # Indonesian by default
    assert "tidak ada dalam hierarki" in " ".join(p.render() for p in probs)


def test_schema_errors_name_the_node():
    raw = base()
    raw["hierarchy"][4]["type"] = "indikator"
    raw["hierarchy"][5]["direction"] = "up"
    probs = problems(raw)
    text = " ".join(p.render("en") for p in probs)
    assert "('k1')" in text and "('k2')" in text


def test_unknown_method_params_and_category_problems():
    raw = base()
    raw["methods"]["default"]["normalisation"] = {"method": "minmax", "lowr": 0}
    raw["categories"] = [{"rule": "fixed", "cutoffs": [30, 60], "labels": ["rendah", "tinggi"]},
                         {"rule": "natural", "labels": ["a"]},
                         {"rule": "mean_sd", "k": 1, "region_level": "kampung", "source": "nope",
                          "nodes": ["ghost"]}]
    keys = [p.key for p in problems(raw)]
    assert "spec.bad_method_params" in keys
    assert keys.count("spec.bad_category") == 2  # label count, bad region level
    assert "spec.unknown_method" in keys  # 'natural'
    assert "spec.unknown_source" in keys and "spec.unknown_node" in keys


def test_unknown_assumption_and_many_roots():
    raw = base()
    raw["hierarchy"][0]["assumptions"] = ["not-declared"]
    raw["hierarchy"].append({"code": "root2", "name": "r", "type": "aggregate"})
    raw["hierarchy"].append({"code": "z", "parent": "root2", "name": "z", "type": "indicator"})
    keys = [p.key for p in problems(raw)]
    assert "spec.unknown_assumption" in keys and "spec.many_roots" in keys


def test_per_node_and_per_level_overrides_resolve_in_order():
    raw = base()
    raw["methods"]["levels"] = {3: {"aggregation": {"method": "geometric"}}}
    raw["hierarchy"][4]["normalisation"] = {"method": "rank"}
    raw["hierarchy"][1]["aggregation"] = {"method": "max"}
    spec = spec_from_dict(raw)
    t = spec.tree
    assert t.resolve(spec, "indeks", "aggregation").method.name == "geometric"  # level 3 (the index)
    assert t.resolve(spec, "keamanan", "aggregation").method.name == "max"  # node override
    assert t.resolve(spec, "penyelenggaraan", "aggregation").method.name == "arithmetic"  # default
    assert t.resolve(spec, "k1", "normalisation").method.name == "rank"
    assert t.resolve(spec, "k2", "normalisation").params == {"lower": 0, "upper": 100, "constant": "lower"}


def test_spec_hash_is_stable_and_sensitive():
    a = load_spec("contoh-mini")
    b = load_spec("contoh-mini")
    assert a.hash == b.hash
    raw = base()
    raw["hierarchy"][3]["weight"] = 3
    assert spec_from_dict(raw).hash != a.hash


def test_unknown_model_and_bad_yaml(tmp_path):
    with pytest.raises(SpecError) as e:
        load_spec("no-such-model")
    assert "ikp-2024" in e.value.render("en")[0]
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(SpecError) as e:
        load_spec(bad)
    assert e.value.keys == ["spec.yaml"]


def test_shipped_models_are_valid():
    assert {"ikp-2024", "contoh-mini"} <= set(shipped_models())
    for name in shipped_models():
        load_spec(name)


def test_ikp_2024_structure_as_in_domain():
    spec = load_spec("ikp-2024")
    t = spec.tree
    assert t.root == "ikp"
    dims = t.children["ikp"]
    assert dims == ["sospol", "penyelenggaraan", "kontestasi", "partisipasi"]
    assert [len(t.leaves[d]) for d in dims] == [16, 24, 15, 6]
    assert sum(len(t.children[d]) for d in dims) == 12
    assert t.indicators == [f"i{k:02d}" for k in range(1, 62)]
    assert spec.node("i01").name.id == "Kekerasan berbau SARA"
    assert spec.node("i61").name.en == "Mobilisation against holding the election"
    cuts = {c.region_level: c for c in spec.categories}
    assert cuts["provinsi"].params["cutoffs"] == [21.7, 68.5]
    assert cuts["kabupaten_kota"].params["cutoffs"] == [13.47, 49.33]
    assert cuts["kecamatan"].rule == "fixed" and cuts["desa_kelurahan"].rule == "fixed"
    assert cuts["kecamatan"].assumption == "fixed-cutoffs-lower-levels"
    codes = {a.code for a in spec.assumptions}
    assert {"equal-indicator-weights", "severity-unpublished", "kabkota-cutoffs-single-source",
            "goalposts-normalisation", "count-goalposts", "goalpost-scale-for-published-cutoffs"} <= codes
    # goalposts on every indicator, for every region level: a region's score depends on its own data
    for c in t.indicators:
        assert set(spec.node(c).goalposts) == {"provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan", "default"}
        assert t.resolve(spec, c, "normalisation").method.name == "goalposts"


def test_imeta_table_csv_and_xlsx(tmp_path):
    import openpyxl

    rows = [["Level", "iCode", "iName", "Direction", "Weight", "Parent", "Type"],
            [1, "a", "A", 1, 1, "P", "Indicator"],
            [1, "b", "B", -1, 2, "P", "Indicator"],
            [2, "P", "Pillar", 1, 1, "Index", "Aggregate"],
            [3, "Index", "Index", 1, 1, "", "Aggregate"],
            ["", "grp", "Group", "", "", "", "Group"]]
    csv_path = tmp_path / "meta.csv"
    csv_path.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    spec = load_spec(csv_path)
    assert spec.tree.indicators == ["a", "b"] and spec.node("b").direction == -1
    assert spec.node("b").weight == 2
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    xlsx = tmp_path / "meta.xlsx"
    wb.save(xlsx)
    from_xlsx = load_spec(xlsx)
    assert from_xlsx.tree.indicators == ["a", "b"] and from_xlsx.node("b").direction == -1
    assert from_xlsx.model_dump(exclude={"id", "title"}) == spec.model_dump(exclude={"id", "title"})


def test_imeta_wrong_level_and_missing_columns(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("Level,iCode,iName,Direction,Weight,Parent,Type\n"
                 "1,a,A,1,1,Index,Indicator\n3,Index,I,1,1,,Aggregate\n", encoding="utf-8")
    with pytest.raises(SpecError) as e:
        load_spec(p)
    assert e.value.keys == ["spec.bad_level"] and "'Index'" in e.value.render("en")[0]
    p.write_text("iCode,iName\na,A\n", encoding="utf-8")
    with pytest.raises(SpecError) as e:
        load_spec(p)
    assert e.value.keys == ["spec.table_columns"]


def test_yaml_with_hierarchy_table(tmp_path):
    (tmp_path / "meta.csv").write_text(
        "Level,iCode,iName,Direction,Weight,Parent,Type\n1,a,A,1,1,Index,Indicator\n"
        "1,b,B,1,1,Index,Indicator\n2,Index,I,1,1,,Aggregate\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text(
        "id: t\nversion: 1\ntitle: T\nhierarchy: meta.csv\n"
        "methods: {default: {aggregation: {method: geometric}}}\n", encoding="utf-8")
    spec = load_spec(tmp_path / "m.yaml")
    assert spec.version == "1"
    assert spec.tree.resolve(spec, "Index", "aggregation").method.name == "geometric"


def test_parameter_values_checked_at_load():
    raw = base()
    raw["methods"]["levels"] = {2: {"aggregation": {"method": "geometric", "zeros": "skip"}}}
    raw["hierarchy"][4]["normalisation"] = {"method": "minmax", "constant": "middle"}
    raw["hierarchy"][5]["normalisation"] = {"method": "zscore", "sd": 0}
    raw["categories"] = [{"rule": "quantiles", "probs": [0.7, 0.3], "labels": ["a", "b", "c"]}]
    probs = problems(raw)
    assert [p.key for p in probs] == ["spec.bad_method_params"] * 4
    text = " ".join(p.render("en") for p in probs)
    assert "zeros" in text and "constant" in text and "sd" in text and "probs" in text


def test_settings_that_would_do_nothing_are_errors():
    raw = base()
    raw["hierarchy"][1]["normalisation"] = {"method": "rank"}  # aggregate
    raw["hierarchy"][4]["aggregation"] = {"method": "max"}  # indicator
    raw["methods"]["levels"] = {2: {"imputation": {"method": "mean"}}}
    probs = problems(raw)
    assert [p.key for p in probs] == ["spec.misplaced_setting"] * 3
    assert "'keamanan'" in probs[0].render("en") and "'k1'" in probs[1].render("en")


def test_two_rules_for_the_same_node_and_level():
    raw = base()
    raw["categories"].append({"rule": "mean_sd", "k": 1})
    probs = problems(raw)
    assert [p.key for p in probs] == ["spec.bad_category"]
