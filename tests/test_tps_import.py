"""TPS imports: KPU-style registries and checklists, all or nothing, every problem at its place."""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest

from rawan.cli import main
from rawan.engine.errors import DataError
from rawan.regions import load_regions
from rawan.tps import TpsError, count_tps, load_tps_model
from rawan.tps.checklist_io import import_checklists, make_checklist_template
from rawan.tps.registry_import import import_registry

MODEL = load_tps_model("tps-pilkada-2024")
HEAD = "kode_desa,tps,alamat,dpt,lintang,bujur,lokasi_khusus\n"
GOOD = ["15.04.01.1001,1,Balai Desa,450,-1.6,103.1,tidak", "15.04.01.1001,2,SD 1,300,,,ya",
        "1504012002,TPS 003,Masjid,580,-1.61,103.12,"]


@pytest.fixture(scope="module")
def jambi():
    return load_regions(province="15")


def write(tmp_path, rows, head=HEAD, name="daftar.csv"):
    p = tmp_path / name
    p.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def test_a_good_list_by_codes(tmp_path, jambi):
    res = import_registry(write(tmp_path, GOOD), MODEL, jambi)
    reg = res.registry
    assert len(reg) == 3 and res.matched_by == "kode"
    assert reg.table.column("desa").to_pylist() == ["15.04.01.1001", "15.04.01.1001", "15.04.01.2002"]
    assert reg.table.column("tps").to_pylist() == [1, 2, 3]
    assert reg.table.column("special").to_pylist() == [False, True, False]
    assert np.isnan(reg.column("lat")[1]) and reg.column("lat")[2] == pytest.approx(-1.61)


def test_names_are_matched_with_spelling_variants(tmp_path, jambi):
    d1, d2 = jambi.get("15.07.01.2001"), jambi.get("15.71.01.1001")
    rows = [f"JAMBI,KAB. TANJAB TIMUR,{jambi.get('15.07.01').name.upper()},{d1.name.upper()},001,400",
            f"Prov. Jambi,Kota Jambi,{jambi.get('15.71.01').name},{d2.name},2,300"]
    res = import_registry(write(tmp_path, rows, head="PROVINSI,KABUPATEN,KECAMATAN,KELURAHAN,TPS,DPT\n"), MODEL, jambi)
    assert res.matched_by == "nama"
    assert res.registry.table.column("desa").to_pylist() == ["15.07.01.2001", "15.71.01.1001"]


BAD = [  # (row, the expected problem key, the column letter)
    (",1,,100,,,", "tps.empty_cell", "A"),
    ("15.04.01,1,,100,,,", "tps.bad_desa_code", "A"),
    ("15.04.01.9999,1,,100,,,", "tps.unknown_desa", "A"),
    ("15.04.01.1001,x,,100,,,", "tps.bad_tps_number", "B"),
    ("15.04.01.1001,4,,12.5,,,", "tps.bad_dpt", "D"),
    ("15.04.01.1001,4,,-3,,,", "tps.bad_dpt", "D"),
    ("15.04.01.1001,1,,100,,,", "tps.duplicate_tps", "B"),
    ("15.04.01.1001,4,,100,91,103,", "tps.bad_coordinate", "E"),
    ("15.04.01.1001,4,,100,-1.6,,", "tps.half_coordinate", "E"),
    ("15.04.01.1001,4,,100,,,mungkin", "tps.bad_flag", "G"),
]


@pytest.mark.parametrize("row,key,column", BAD, ids=[b[1] + str(i) for i, b in enumerate(BAD)])
def test_every_bad_row_is_refused_with_its_place(tmp_path, jambi, row, key, column):
    path = write(tmp_path, GOOD + [row])
    with pytest.raises(TpsError) as e:
        import_registry(path, MODEL, jambi)
    problems = [p for p in e.value.problems if p.key == key]
    assert problems, e.value.render("en")
    p = problems[0].params
    assert (p["file"], p["sheet"], p["row"], p["column"]) == ("daftar.csv", "CSV", 5, column)
    assert "baris 5" in problems[0].render("id")
    # nothing written: the command writes its output only when every row is good
    out = tmp_path / "out.parquet"
    assert main(["tps", "import", str(path), "-o", str(out), "--province", "15"]) == 2
    assert not out.exists()


def test_unmatched_names_are_listed_once_each(tmp_path, jambi):
    rows = ["Jambi,Batanghari,Bajubang,Desa Tak Ada,1,100", "Jambi,Batanghari,Bajubang,Desa Tak Ada,2,100",
            "Jambi,Kabupaten Atlantis,X,Y,1,100"]
    with pytest.raises(TpsError) as e:
        import_registry(write(tmp_path, rows, head="provinsi,kabupaten,kecamatan,kelurahan,tps,dpt\n"), MODEL, jambi)
    keys = e.value.keys
    assert keys.count("tps.unmatched_name") == 2 and "tps.unmatched_summary" in keys
    summary = next(p for p in e.value.problems if p.key == "tps.unmatched_summary").render("id")
    assert "'Desa Tak Ada' (baris 2)" in summary and "'Kabupaten Atlantis' (baris 4)" in summary


def test_missing_columns_and_xlsx(tmp_path, jambi):
    with pytest.raises(TpsError) as e:
        import_registry(write(tmp_path, ["15.04.01.1001,1"], head="kode_desa,tps\n"), MODEL, jambi)
    assert e.value.keys == ["tps.missing_column"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kode Desa", "TPS", "DPT"])
    ws.append(["15.04.01.1001", 1, 450])
    ws.append(["15.04.01.1001", 1, 451])
    wb.save(tmp_path / "kpu.xlsx")
    with pytest.raises(TpsError) as e:
        import_registry(tmp_path / "kpu.xlsx", MODEL, jambi)
    p = e.value.problems[0]
    assert p.key == "tps.duplicate_tps" and (p.params["sheet"], p.params["row"], p.params["column"]) == ("Sheet", 3, "B")


# ------------------------------------------------------------------------------------- checklists

@pytest.fixture()
def registry(tmp_path, jambi):
    rows = [f"15.04.01.1001,{k},,400,,," for k in (1, 2, 3)] + ["15.04.02.1001,1,,300,,,"]
    return import_registry(write(tmp_path, rows, name="reg.csv"), MODEL, jambi).registry


def fill(path, answers: dict):
    wb = openpyxl.load_workbook(path)
    ws = wb["Data"]
    for r in range(2, ws.max_row + 1):
        for j in range(6, 6 + 25):
            ws.cell(r, j).value = answers.get((r, j), "tidak")
    wb.save(path)


def test_template_round_trip_counts(tmp_path, jambi, registry):
    t = make_checklist_template(MODEL, registry, jambi, parent="15.04.01", out=tmp_path / "isian.xlsx")
    fill(t, {(2, 6): "ya: 2 pemilih meninggal", (2, 10): "YA", (3, 30): 1})
    res = import_checklists([t], MODEL, registry)
    cl = res.checklist
    assert res.tps == 3 and cl.answered.tolist() == [True, True, True, False]
    counts = count_tps(cl).region("15.04")
    assert counts.rawan == 2 and counts.indicators[0] == 1 and counts.indicators[4] == 1 and counts.indicators[24] == 1
    assert cl.note_of(0, 0) == "2 pemilih meninggal"
    wb = openpyxl.load_workbook(t)
    assert wb["_rawan"].sheet_state == "hidden" and wb["Data"].cell(1, 6).value.startswith("i01")


def test_bad_checklist_cells_are_refused(tmp_path, jambi, registry):
    t = make_checklist_template(MODEL, registry, jambi, parent="15.04.01", out=tmp_path / "isian.xlsx")
    fill(t, {(2, 6): "mungkin", (3, 7): "", (4, 8): "tidak: ada catatan"})
    wb = openpyxl.load_workbook(t)
    wb["Data"].append(["15.04.02.1001", "", "001", "", 300] + ["tidak"] * 25)  # another kecamatan
    wb["Data"].append(["15.04.01.1001", "", "009", "", 300] + ["tidak"] * 25)  # not in the registry
    wb["Data"].append(["15.04.01.1001", "", "001", "", 300] + ["tidak"] * 25)  # TPS 001 twice
    wb.save(t)
    with pytest.raises(TpsError) as e:
        import_checklists([t], MODEL, registry)
    got = {(p.key, p.params.get("row"), p.params.get("column")) for p in e.value.problems}
    assert {("tps.bad_answer", 2, "F"), ("tps.missing_answer", 3, "G"), ("tps.note_without_yes", 4, "H"),
            ("tps.out_of_scope", 5, "A"), ("tps.not_in_registry", 6, "C")} <= got
    assert all(p.params.get("sheet") == "Data" for p in e.value.problems if "sheet" in p.params)
    other = load_tps_model("tps-pemilu-2024")
    with pytest.raises(TpsError) as e:
        import_checklists([t], other, registry)  # a template made for another model
    assert e.value.keys == ["tps.wrong_template"]


def test_long_csv_checklist_and_files_answering_one_tps_twice(tmp_path, jambi, registry):
    lines = ["kode_desa;tps;indikator;jawaban;catatan"]
    for k, code in enumerate(MODEL.indicator_codes):
        lines.append(f"15.04.02.1001;1;{code};{'ya' if k == 24 else 'tidak'};{'sinyal lemah' if k == 24 else ''}")
    p = tmp_path / "periksa.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cl = import_checklists([p], MODEL, registry).checklist
    assert cl.answered.tolist() == [False, False, False, True] and cl.answers[3].sum() == 1
    assert cl.note_of(3, 24) == "sinyal lemah"
    with pytest.raises(TpsError) as e:
        import_checklists([p, p], MODEL, registry)
    assert e.value.keys == ["tps.answered_twice"]
    p.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one answer missing
    with pytest.raises(TpsError) as e:
        import_checklists([p], MODEL, registry)
    assert e.value.keys == ["tps.incomplete_tps"]


def test_cli_round_trip(tmp_path):
    out = tmp_path / "demo"
    assert main(["tps", "demo", "-o", str(out)]) == 0
    reg, cl = out / "daftar-tps.parquet", out / "daftar-periksa.parquet"
    assert main(["tps", "import", str(out / "daftar-tps.csv"), "-o", str(tmp_path / "r.parquet"), "--province", "15"]) == 0
    assert main(["tps", "template", "--tps-list", str(reg), "--parent", "15.04.01", "-o", str(tmp_path / "t.xlsx")]) == 0
    assert main(["tps", "summary", "--tps-list", str(reg), "--checklist", str(cl), "-o", str(tmp_path / "j.csv")]) == 0
    assert "share_rawan" in (tmp_path / "j.csv").read_text() and "bukan skor Bawaslu" in (tmp_path / "j.csv").read_text()
    assert main(["tps", "list", "--tps-list", str(reg), "--checklist", str(cl), "-r", "15.04", "--variable", "v7",
                 "-o", str(tmp_path / "l.xlsx")]) == 0
    assert main(["tps", "map", "--tps-list", str(reg), "--checklist", str(cl), "--level", "kecamatan",
                 "--parent", "15", "-c", "persen", "-o", str(tmp_path / "m.svg")]) == 0
    assert main(["tps", "press-release", "--tps-list", str(reg), "--checklist", str(cl), "-r", "15",
                 "-o", str(tmp_path / "rilis.md")]) == 0
    text = (tmp_path / "rilis.md").read_text()
    assert "DATA CONTOH" in text and "TPS rawan" in text.replace("TPS Rawan", "TPS rawan")


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from .conftest import examples  # noqa: E402

JAMBI_DESA = ["15.04.01.1001", "15.04.01.2002", "15.04.02.1001", "15.07.01.2001", "15.71.01.1001"]


@settings(max_examples=examples(25), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(JAMBI_DESA), st.integers(1, 40), st.integers(0, 600), st.booleans()),
                min_size=1, max_size=30, unique_by=lambda r: (r[0], r[1])))
def test_an_exported_registry_imports_back_the_same(rows):
    import tempfile
    from pathlib import Path

    import pyarrow as pa

    from rawan.tps import Registry
    from rawan.tps.registry_import import registry_frame

    reg = Registry.from_table(pa.table({
        "election": ["pilkada-2024"] * len(rows), "desa": [r[0] for r in rows],
        "tps": pa.array([r[1] for r in rows], pa.int32()), "dpt": pa.array([r[2] for r in rows], pa.int32()),
        "special": [r[3] for r in rows]}))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "daftar.csv"
        registry_frame(reg).to_csv(path, index=False)
        back = import_registry(path, MODEL, load_regions(province="15")).registry
    for c in ("desa", "tps", "dpt", "special"):
        assert back.table.column(c).to_pylist() == reg.table.column(c).to_pylist()


# ------------------------------------------------------------ KPU exports: title rows above the header

KPU_TITLE = ["DAFTAR TEMPAT PEMUNGUTAN SUARA (TPS) PEMILIHAN SERENTAK 2024", "Dicetak: 16 November 2024", ""]


def kpu_rows(jambi):
    d1, d2 = jambi.get("15.07.01.2001"), jambi.get("15.71.01.1001")
    return [["JAMBI", "KAB. TANJAB TIMUR", jambi.get("15.07.01").name.upper(), d1.name.upper(), "TPS 001", 400],
            ["Prov. Jambi", "Kota Jambi", jambi.get("15.71.01").name, d2.name, "002", 300]]


def test_a_csv_with_title_rows_above_the_header(tmp_path, jambi):
    rows = kpu_rows(jambi)
    head = "\n".join(KPU_TITLE) + "\nNo.;Provinsi;Kabupaten/Kota;Kecamatan;Kelurahan/Desa;TPS;Jumlah DPT\n"
    path = write(tmp_path, [";".join(str(v) for v in [k + 1, *r]) for k, r in enumerate(rows)], head=head)
    res = import_registry(path, MODEL, jambi)
    assert res.registry.table.column("desa").to_pylist() == ["15.07.01.2001", "15.71.01.1001"]
    assert res.registry.table.column("dpt").to_pylist() == [400, 300]
    # a bad row is named by its real line: 3 title lines and the header above the data, so the third
    # data row is line 7
    bad = write(tmp_path, [";".join(str(v) for v in [k + 1, *r]) for k, r in enumerate(rows)]
                + ["3;Jambi;Kota Jambi;" + jambi.get("15.71.01").name + ";" + rows[1][3] + ";002;12,5"], head=head)
    with pytest.raises(TpsError) as e:
        import_registry(bad, MODEL, jambi)
    probs = {p.key: p.params for p in e.value.problems}
    assert (probs["tps.bad_dpt"]["row"], probs["tps.bad_dpt"]["column"]) == (7, "G")
    assert (probs["tps.duplicate_tps"]["row"], probs["tps.duplicate_tps"]["first"]) == (7, 6)
    # excel-style padding of the title lines (DAFTAR TPS,,,,,,) is read the same way
    padded = write(tmp_path, [",".join(str(v) for v in [k + 1, *r]) for k, r in enumerate(rows)],
                   head="".join(t + ",,,,,,\n" for t in KPU_TITLE) + "No,PROVINSI,KABUPATEN,KECAMATAN,KELURAHAN,TPS,DPT\n")
    assert len(import_registry(padded, MODEL, jambi).registry) == 2


def test_an_xlsx_with_a_merged_title_above_the_header(tmp_path, jambi):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "TPS"
    ws.append([KPU_TITLE[0]])
    ws.merge_cells("A1:G1")
    ws.append(["Tanggal", "=TODAY()"])
    ws.append([])
    ws.append([])
    ws.append(["No", "Provinsi", "Kabupaten", "Kecamatan", "Kelurahan", "TPS", "DPT"])
    for k, r in enumerate(kpu_rows(jambi)):
        ws.append([k + 1, *r])
    wb.save(tmp_path / "kpu.xlsx")
    res = import_registry(tmp_path / "kpu.xlsx", MODEL, jambi)
    assert res.registry.table.column("desa").to_pylist() == ["15.07.01.2001", "15.71.01.1001"]
    ws.append([3, "Jambi", "Kota Jambi", "X", "Desa Tak Ada", 1, "banyak"])
    wb.save(tmp_path / "kpu.xlsx")
    with pytest.raises(TpsError) as e:
        import_registry(tmp_path / "kpu.xlsx", MODEL, jambi)
    by_key = {p.key: p.params for p in e.value.problems}
    assert (by_key["tps.bad_dpt"]["sheet"], by_key["tps.bad_dpt"]["row"], by_key["tps.bad_dpt"]["column"]) == ("TPS", 8, "G")
    assert "(baris 8)" in next(p for p in e.value.problems if p.key == "tps.unmatched_summary").render("id")
    ws.merge_cells("A8:B8")  # a merged cell among the data is still refused; the merged title is not named
    wb.save(tmp_path / "kpu.xlsx")
    with pytest.raises(TpsError) as e:
        import_registry(tmp_path / "kpu.xlsx", MODEL, jambi)
    assert [p.params["range"] for p in e.value.problems if p.key == "intake.merged_cells"] == ["A8:B8"]


def test_no_header_within_the_first_rows_is_named(tmp_path, jambi):
    rows = [",".join(str(v) for v in r) for r in kpu_rows(jambi)]
    # the header is on line 2: found; with 25 title lines above it, it is not
    import_registry(write(tmp_path, rows, head="DAFTAR TPS\nprovinsi,kabupaten,kecamatan,kelurahan,tps,dpt\n"), MODEL, jambi)
    path = write(tmp_path, rows, head="DAFTAR TPS,,,,,\n" * 25 + "provinsi,kabupaten,kecamatan,kelurahan,tps,dpt\n")
    with pytest.raises(TpsError) as e:
        import_registry(path, MODEL, jambi)
    assert e.value.keys == ["tps.header_not_found"]
    assert "20 baris pertama" in e.value.render("id")[0] and "daftar.csv" in e.value.render("id")[0]
    # title lines narrower than the columns: the file cannot be read as a table, and the missing header is named
    path = write(tmp_path, rows, head="DAFTAR TPS\n" * 25 + "provinsi,kabupaten,kecamatan,kelurahan,tps,dpt\n")
    with pytest.raises(DataError) as e:
        import_registry(path, MODEL, jambi)
    assert e.value.keys[:2] == ["intake.header_not_found", "intake.unreadable"]
    assert main(["tps", "import", str(path), "-o", str(tmp_path / "o.parquet"), "--province", "15"]) == 2
    assert not (tmp_path / "o.parquet").exists()
