"""rawan regions show / import-boundaries and rawan map, run in-process as a user would."""

from __future__ import annotations

import re

import pytest

from rawan.cli import State, main


@pytest.fixture(autouse=True)
def _lang(monkeypatch, tmp_path):
    monkeypatch.setattr(State, "lang", "id")
    monkeypatch.setenv("RAWAN_DATA_DIR", str(tmp_path / "userdata"))


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_regions_show_tree_with_counts(capsys, jambi_data):
    code, out, _ = run(capsys, "regions", "show", "1501", "--regions", jambi_data)
    assert code == 0
    assert "15.01 Kabupaten Kerinci (18 kecamatan, 287 desa/kel)" in out
    assert "15.01.01 Gunung Raya (12 desa/kel)" in out
    code, out, _ = run(capsys, "regions", "show", "--regions", jambi_data, "--lang", "en")
    assert "15 Jambi (11 regencies/cities, 144 districts, 1585 villages)" in out


def test_regions_show_unknown_code(capsys, jambi_data):
    code, _, err = run(capsys, "regions", "show", "15.99", "--regions", jambi_data)
    assert code == 2 and "15.99" in err and "tidak ada dalam daftar wilayah" in err


def test_import_boundaries_then_map(capsys, jambi_data, tmp_path):
    store = tmp_path / "kec.npz"
    code, out, err = run(capsys, "regions", "import-boundaries", jambi_data / "jambi-kecamatan.geojson",
                         "--regions", jambi_data, "--out", store)
    assert code == 0, err
    assert "144 dari 144 fitur cocok (tingkat kecamatan)" in out and store.exists()
    assert "kabupaten_kota (11)" in out
    res = tmp_path / "hasil.csv"
    res.write_text("code,name,ikp,category\n15.01.01,Gunung Raya,71.5,tinggi\n15.01.02,Danau Kerinci,40,sedang\n",
                   encoding="utf-8")
    svg = tmp_path / "peta.svg"
    code, out, err = run(capsys, "map", "--result", res, "--out", svg, "--parent", "1501",
                         "--boundaries", store, "--regions", jambi_data)
    assert code == 0, err
    text = svg.read_text(encoding="utf-8")
    assert len(re.findall(r'data-code="15\.01\.\d\d"', text)) == 18
    assert 'data-code="15.01.01" data-name="Gunung Raya" data-value="tinggi"' in text
    assert "DATA CONTOH" not in text
    png = tmp_path / "skor.png"
    code, out, err = run(capsys, "map", "--result", res, "-c", "ikp", "-o", png, "--parent", "15.01",
                         "--boundaries", store, "--regions", jambi_data, "--scale", "1")
    assert code == 0, err and "continuous" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_map_of_a_synthetic_result_says_data_contoh(capsys, jambi_data, tmp_path):
    res = tmp_path / "hasil-kabkota.csv"
    rows = ["code,name,ikp,category,catatan"] + [f"15.0{i},X,{i * 10},{c},DATA CONTOH — data sintetis"
                                                 for i, c in zip(range(1, 10), ["tinggi", "sedang", "rendah"] * 3)]
    res.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out_svg = tmp_path / "m.svg"
    code, out, err = run(capsys, "map", "--result", res, "-o", out_svg, "--boundaries", "tiles", "--regions", jambi_data)
    assert code == 0, err
    text = out_svg.read_text(encoding="utf-8")
    assert "DATA CONTOH" in text and text.count("<rect data-code=") == 11  # 15.71, 15.72 without data
    assert "Tidak ada data (2)" in text


def test_map_errors_name_the_place(capsys, jambi_data, tmp_path):
    res = tmp_path / "r.csv"
    res.write_text("code,category\n15.01,tinggi\n15-02,sedang\n", encoding="utf-8")
    code, _, err = run(capsys, "map", "--result", res, "-o", tmp_path / "m.svg", "--regions", jambi_data)
    assert code == 2 and "r.csv, baris 3, kolom code" in err
    res.write_text("code,category\n15.01,tinggi\n", encoding="utf-8")
    code, _, err = run(capsys, "map", "--result", res, "-c", "skor", "-o", tmp_path / "m.svg", "--regions", jambi_data)
    assert code == 2 and "tidak punya kolom 'skor'" in err
    code, _, err = run(capsys, "map", "--result", res, "-o", tmp_path / "m.pdf", "--regions", jambi_data,
                       "--boundaries", "tiles")
    assert code == 2 and "m.pdf" in err
    assert not (tmp_path / "m.svg").exists() and not (tmp_path / "m.pdf").exists()


def test_map_index_column_alias(capsys, jambi_data, tmp_path):
    res = tmp_path / "hasil.csv"
    res.write_text("code,name,ikp,sospol,rank,category\n15.01,Kerinci,61.5,40,1,tinggi\n"
                   "15.02,Merangin,20.25,10,2,rendah\n", encoding="utf-8")
    out = tmp_path / "m.svg"
    code, text, err = run(capsys, "map", "--result", res, "-c", "index", "-o", out, "--boundaries", "tiles",
                          "--regions", jambi_data)
    assert code == 0, err
    svg = out.read_text(encoding="utf-8")
    assert 'data-code="15.01" data-name="Kabupaten Kerinci" data-value="61.5"' in svg and ">Skor</text>" in svg


def test_import_report_lists_unmatched_with_suggestions(capsys, jambi_data, tmp_path):
    import json

    square = lambda x: [[[x, -2.2], [x + 0.1, -2.2], [x + 0.1, -2.1], [x, -2.1], [x, -2.2]]]  # noqa: E731
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kode": "15.01.01", "nama": "Gunung Raya"},
         "geometry": {"type": "Polygon", "coordinates": square(101.5)}},
        {"type": "Feature", "properties": {"kode": "15.01.44", "nama": "Sitinjau Laut"},
         "geometry": {"type": "Polygon", "coordinates": square(101.6)}}]}
    f = tmp_path / "kec.geojson"
    f.write_text(json.dumps(fc), encoding="utf-8")
    code, out, err = run(capsys, "regions", "import-boundaries", f, "--regions", jambi_data,
                         "--out", tmp_path / "b.npz")
    assert code == 0, err
    assert "1 dari 2 fitur cocok" in out
    assert "15.01.44" in err and "15.01.04 Sitinjau Laut" in err  # unmatched table suggests the region
    assert "15.01.04 Sitinjau Laut tanpa geometri; mungkin fitur: 15.01.44 Sitinjau Laut" in err
