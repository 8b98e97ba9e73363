"""Questionnaire imports: one test per problem kind, with small files built here."""

from __future__ import annotations

import numpy as np
import pytest

from rawan.engine import DataError, compute, load_spec, spec_from_dict
from rawan.intake import Limits, import_file, validate_file

from .conftest import EXAMPLE_MODEL
from .intake_helpers import HEADER, ROWS, TinyRegions, write_csv, write_xlsx


@pytest.fixture(scope="module")
def spec():
    return load_spec("contoh-mini")


def keys(problems, severity="error"):
    return [p.key for p in problems if p.severity == severity]


def only(problems, key):
    found = [p for p in problems if p.key == key]
    assert found, f"{key} not in {[p.key for p in problems]}"
    return found


def test_valid_csv_imports_with_provenance(tmp_path, spec):
    f = write_csv(tmp_path / "ok.csv")
    r = import_file(f, spec, user="petugas-kerinci")
    assert r.dataset.codes == ["15.01", "15.02", "15.03"]
    assert r.dataset.values[:, r.dataset.columns.index("p2")].tolist() == [1, 0, 1]
    assert r.dataset.rows == [2, 3, 4]
    assert r.provenance.user == "petugas-kerinci" and r.provenance.kind == "kuesioner"
    import hashlib
    assert r.provenance.sha256 == hashlib.sha256(f.read_bytes()).hexdigest()
    assert r.warnings == []


@pytest.mark.parametrize("encoding,sep,bom", [("utf-8", ",", False), ("utf-8", ";", True), ("cp1252", ";", False)])
def test_csv_encodings_and_delimiters(tmp_path, spec, encoding, sep, bom):
    rows = [list(r) for r in ROWS]
    rows[0][1] = "Kabupaten Kérinci"  # é differs between UTF-8 and cp1252
    f = write_csv(tmp_path / "x.csv", rows=rows, sep=sep, encoding=encoding)
    if bom:
        f.write_bytes(b"\xef\xbb\xbf" + f.read_bytes())
    r = import_file(f, spec)
    assert r.dataset.names[0] == "Kabupaten Kérinci"
    assert r.dataset.codes[0] == "15.01"


def test_decimal_comma(tmp_path, spec):
    rows = [list(r) for r in ROWS]
    rows[0][6] = "80,5"
    rows[1][4] = "1.234"  # 1234 events (Indonesian) or 1.234 (English): a named problem, never a guess
    rows[2][4] = "1.234,0"
    f = write_csv(tmp_path / "x.csv", rows=rows, sep=";")
    probs = validate_file(f, spec)
    assert keys(probs) == ["intake.ambiguous_number"]
    assert probs[0].params["row"] == 3 and probs[0].params["column"] == "E" and probs[0].params["value"] == "1.234"
    assert "--locale" in probs[0].render("en")
    # declared Indonesian: 1.234 is one thousand two hundred thirty-four
    r = import_file(f, spec, locale="id")
    assert r.dataset.values[1, r.dataset.columns.index("p1")] == 1234.0
    # declared English: 1.234 is not a whole number of events
    assert keys(validate_file(f, spec, locale="en")) == ["intake.not_whole_number"]
    rows[1][4] = "1234"
    r = import_file(write_csv(tmp_path / "y.csv", rows=rows, sep=";"), spec)
    assert r.dataset.values[0, r.dataset.columns.index("p3")] == 80.5
    assert r.dataset.values[2, r.dataset.columns.index("p1")] == 1234.0


def test_unknown_region_code(tmp_path, spec):
    rows = [list(r) for r in ROWS]
    rows[1][0] = "15.99"
    rows[2][0] = "abc"
    probs = validate_file(write_csv(tmp_path / "x.csv", rows=rows), spec, regions=TinyRegions())
    (p,) = only(probs, "intake.unknown_region")
    assert p.params | {} == p.params and p.params["row"] == 3 and p.params["value"] == "15.99"
    (q,) = only(probs, "intake.bad_code")
    assert q.params["row"] == 4 and q.params["column"] == "A" and q.params["header"] == "kode"


def test_duplicate_region_code(tmp_path, spec):
    rows = [list(r) for r in ROWS]
    rows[2][0] = "1501"  # same region written without dots
    (p,) = only(validate_file(write_csv(tmp_path / "x.csv", rows=rows), spec), "intake.duplicate_region")
    assert p.params["value"] == "15.01" and p.params["rows"] == "2, 4"


def test_region_outside_scope(tmp_path, spec):
    rows = [list(r) for r in ROWS]
    rows[2][0] = "15.01.01"
    probs = validate_file(write_csv(tmp_path / "x.csv", rows=rows), spec, level="kabupaten_kota", parent="15")
    (p,) = only(probs, "intake.out_of_scope")
    assert p.params["row"] == 4 and "kabupaten_kota" in p.params["expected"]


def test_missing_indicator_column(tmp_path, spec):
    header = [h for h in HEADER if h != "p3"]
    rows = [r[:6] + r[7:] for r in ROWS]
    (p,) = only(validate_file(write_csv(tmp_path / "x.csv", header=header, rows=rows), spec), "intake.missing_column")
    assert p.params["code"] == "p3"


def test_unknown_extra_column_is_a_warning(tmp_path, spec):
    header = HEADER + ["catatan_petugas"]
    rows = [r + ["ok"] for r in ROWS]
    f = write_csv(tmp_path / "x.csv", header=header, rows=rows)
    r = import_file(f, spec)
    (w,) = r.warnings
    assert w.key == "intake.unknown_column" and w.params["column"] == "I"


def test_yes_no_spellings(tmp_path, spec):
    for word, value in [("ya", 1), ("Ya", 1), ("YA", 1), ("y", 1), ("1", 1), ("true", 1), ("TIDAK", 0),
                        ("t", 0), ("0", 0), ("false", 0)]:
        rows = [list(r) for r in ROWS]
        rows[0][5] = word
        r = import_file(write_csv(tmp_path / "x.csv", rows=rows), spec)
        assert r.dataset.values[0, r.dataset.columns.index("p2")] == value, word


def test_wrong_type(tmp_path, spec):
    rows = [list(r) for r in ROWS]
    rows[0][5] = "mungkin"
    rows[1][2] = "banyak"
    rows[2][6] = "tinggi"
    probs = validate_file(write_csv(tmp_path / "x.csv", rows=rows), spec)
    assert sorted(keys(probs)) == ["intake.not_a_number", "intake.not_whole_number", "intake.not_yes_no"]
    p = only(probs, "intake.not_yes_no")[0]
    assert (p.params["row"], p.params["column"], p.params["header"], p.params["value"]) == (2, "F", "p2", "mungkin")
    assert "Ya atau Tidak" in p.render("id") and "Ya (yes)" in p.render("en")


def test_out_of_range(tmp_path, spec):
    rows = [list(r) for r in ROWS]
    rows[0][6] = 120
    rows[1][3] = -1
    rows[2][5] = 2
    probs = validate_file(write_csv(tmp_path / "x.csv", rows=rows), spec)
    assert sorted(keys(probs)) == ["intake.not_whole_number", "intake.not_yes_no", "intake.out_of_range"]
    assert only(probs, "intake.out_of_range")[0].params["expected"] == "[0, 100]"


def test_missing_required_value(tmp_path):
    import yaml

    raw = yaml.safe_load(EXAMPLE_MODEL.read_text(encoding="utf-8"))
    for node in raw["hierarchy"]:
        if node["code"] == "k1":
            node["required"] = True
    spec = spec_from_dict(raw)
    rows = [list(r) for r in ROWS]
    rows[1][2] = ""
    rows[2][3] = ""  # k2 not required: empty is allowed
    (p,) = only(validate_file(write_csv(tmp_path / "x.csv", rows=rows), spec), "intake.required_value")
    assert p.params["row"] == 3 and p.params["code"] == "15.02"
    assert keys(validate_file(write_csv(tmp_path / "y.csv", rows=rows), load_spec("contoh-mini"))) == []


def test_all_problems_collected_and_nothing_returned(tmp_path, spec):
    rows = [list(r) for r in ROWS]
    rows[0][2] = "x"
    rows[1][5] = "?"
    rows[2][0] = ""
    with pytest.raises(DataError) as e:
        import_file(write_csv(tmp_path / "x.csv", rows=rows), spec)
    assert sorted(e.value.keys) == ["intake.empty_code", "intake.not_whole_number", "intake.not_yes_no"]


def test_problem_cap_counts_the_rest(tmp_path, spec):
    rows = [[f"15.{i:02d}", "x", "bad", 0, 1, "Ya", 50, 1] for i in range(1, 31)]
    probs = validate_file(write_csv(tmp_path / "x.csv", rows=rows), spec, limits=Limits(max_problems_per_kind=5))
    assert keys(probs).count("intake.not_whole_number") == 5
    (more,) = only(probs, "intake.more_problems")
    assert more.params["count"] == 25


def test_row_limit(tmp_path, spec):
    f = write_csv(tmp_path / "x.csv")
    assert keys(validate_file(f, spec, limits=Limits(max_rows=2))) == ["intake.too_many_rows"]
    g = write_xlsx(tmp_path / "x.xlsx")
    assert keys(validate_file(g, spec, limits=Limits(max_rows=2))) == ["intake.too_many_rows"]


def test_size_limit(tmp_path, spec):
    f = write_csv(tmp_path / "x.csv")
    (p,) = validate_file(f, spec, limits=Limits(max_bytes=50))
    assert p.key == "intake.too_big" and p.params["limit"] == 50


def test_bad_encoding(tmp_path, spec):
    f = tmp_path / "x.csv"
    f.write_bytes(b"kode,nama\n15.01,\x81\x8d\n")  # bytes undefined in both UTF-8 and cp1252
    assert keys(validate_file(f, spec)) == ["intake.encoding"]


def test_ragged_csv_is_a_clean_error(tmp_path, spec):
    f = tmp_path / "x.csv"
    f.write_text("kode,k1\n15.01,1\n15.02,1,2,3\n", encoding="utf-8")
    (p,) = validate_file(f, spec)
    assert p.key == "intake.unreadable" and "line 3" in p.params["detail"]


def test_unsupported_format_and_missing_file(tmp_path, spec):
    (tmp_path / "x.ods").write_bytes(b"x")
    assert keys(validate_file(tmp_path / "x.ods", spec)) == ["intake.format"]
    assert keys(validate_file(tmp_path / "nope.csv", spec)) == ["intake.file_missing"]


def test_parquet(tmp_path, spec):
    import pandas as pd

    df = pd.DataFrame(ROWS, columns=HEADER)
    df["p2"] = [1, 0, 1]
    df.to_parquet(tmp_path / "x.parquet")
    r = import_file(tmp_path / "x.parquet", spec)
    assert r.dataset.values[:, r.dataset.columns.index("k1")].tolist() == [2, 4, 6]
    df.loc[1, "p3"] = 200
    df.to_parquet(tmp_path / "y.parquet")
    (p,) = validate_file(tmp_path / "y.parquet", spec)
    assert (p.key, p.params["sheet"], p.params["row"], p.params["column"]) == ("intake.out_of_range", "Parquet", 3, "G")


def test_imported_dataset_computes_like_the_engine_reader(tmp_path, spec):
    from rawan.engine import read_data

    from .conftest import ROOT

    src = ROOT / "examples" / "contoh-mini-data.csv"
    a = compute(spec, import_file(src, spec).dataset)
    b = compute(spec, read_data(src, spec.tree.indicators))
    assert np.array_equal(a.scores, b.scores, equal_nan=True)


def test_uploaded_file_is_named_as_the_user_knows_it(tmp_path, spec):
    rows = [list(r) for r in ROWS]
    rows[0][2] = "x"
    f = write_csv(tmp_path / "upload-7f3a.csv", rows=rows)
    (p,) = validate_file(f, spec, name="isian-kerinci.csv")
    assert p.params["file"] == "isian-kerinci.csv" and "isian-kerinci.csv" in p.render("id")
    with pytest.raises(DataError) as e:
        import_file(f, spec, name="isian-kerinci.csv")
    assert e.value.problems[0].params["file"] == "isian-kerinci.csv"
    r = import_file(write_csv(tmp_path / "upload-9.csv"), spec, name="isian.csv")
    assert r.provenance.file == "isian.csv" and r.dataset.source == "isian.csv"


def test_csv_rows_are_records_as_a_spreadsheet_shows_them(tmp_path, spec):
    rows = [list(r) for r in ROWS]
    rows[0][1] = '"Kabupaten\nKerinci"'  # a quoted line break: one record, one spreadsheet row
    rows[1][2] = "x"
    (p,) = [p for p in validate_file(write_csv(tmp_path / "x.csv", rows=rows), spec) if p.severity == "error"]
    assert p.params["row"] == 3 and p.params["column"] == "C"
