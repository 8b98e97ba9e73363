"""The region data shipped with rawan and the one discovery path (rawan.regions.defaults)."""

from __future__ import annotations

import gzip
import shutil

import openpyxl
import pytest

from rawan.cli import State, main
from rawan.regions import default_province, load_boundaries, load_regions
from rawan.regions.defaults import SHIPPED_DIR, places


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.setattr(State, "lang", "id")
    monkeypatch.setenv("RAWAN_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.delenv("RAWAN_SHARED_DATA", raising=False)


def test_shipped_files_licences_and_attribution():
    names = {p.relative_to(SHIPPED_DIR).as_posix() for p in SHIPPED_DIR.rglob("*") if p.is_file()}
    assert {"wilayah-indonesia.csv.gz", "batas-15.npz", "batas-indonesia.npz", "SOURCES.md",
            "licenses/ODbL-1.0_idn-area-data.md", "licenses/MIT_cahyadsn-wilayah_boundaries.txt"} <= names
    sources = (SHIPPED_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert ("Kode & nama wilayah: idn-area-data (fityannugroho), ODbL 1.0. "
            "Batas wilayah: cahyadsn/wilayah_boundaries, MIT.") in sources
    # small: the package stays under 3 MB of region data
    assert sum((SHIPPED_DIR / n).stat().st_size for n in names) < 3_000_000


def test_shipped_national_list_counts():
    everything = load_regions(SHIPPED_DIR / "wilayah-indonesia.csv.gz")
    counts = {lv: len(everything.at_level(lv)) for lv in ("provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan")}
    assert counts == {"provinsi": 38, "kabupaten_kota": 514, "kecamatan": 7285, "desa_kelurahan": 83762}
    with gzip.open(SHIPPED_DIR / "wilayah-indonesia.csv.gz", "rt", encoding="utf-8") as f:
        assert f.readline().strip() == "code,name,name_short,level,type,parent_code,has_boundary"


def test_shipped_boundaries_cover_jambi_at_every_level_and_every_kabkota_of_indonesia():
    jambi = load_boundaries(province="15")
    assert {lv: len(layer.codes) for lv, layer in jambi.layers.items()} == {
        "provinsi": 1, "kabupaten_kota": 11, "kecamatan": 144, "desa_kelurahan": 1568}
    regions = load_regions()
    for prov in regions.roots():
        assert prov.code == "15"
    everywhere = load_regions(SHIPPED_DIR / "wilayah-indonesia.csv.gz")
    for p in everywhere.roots():  # every province: its kab/kota map is drawn from real boundaries
        b = load_boundaries(province=p.code)
        want = [r.code for r in everywhere.at_level("kabupaten_kota", parent=p.code)]
        assert b.layer("kabupaten_kota").codes == want, p.code
        assert b.layer("provinsi").codes == [p.code]
        assert all(g.is_valid and g.area > 0 for g in b.layer("kabupaten_kota").geoms), p.code


def test_default_province_is_jambi_and_any_province_can_be_chosen(capsys):
    assert default_province() == "15"
    assert [p.kind for p in places()] == ["user", "shipped"]
    jabar = load_regions(province="32")
    assert len(jabar.at_level("kabupaten_kota")) == 27 and jabar.get("32.73").name == "Kota Bandung"
    assert load_regions(province=32).codes == jabar.codes  # an int is a province code too
    assert main(["regions", "show", "--province", "32"]) == 0
    out = capsys.readouterr().out
    assert "32 Jawa Barat" in out and "Kota Bandung" in out
    assert main(["regions", "show", "3273"]) == 0  # the province of the code asked for
    assert "Kota Bandung" in capsys.readouterr().out


def test_precedence_env_then_user_dir_then_shipped(jambi_data, tmp_path, monkeypatch):
    # the user data directory (rawan data fetch) wins over the shipped list ...
    user = tmp_path / "userdata" / "wilayah"
    user.mkdir(parents=True)
    (user / "jambi-wilayah.csv").write_text(
        "code,name,level,parent_code\n15,Jambi,provinsi,\n15.01,Kabupaten Kerinci Saja,kabupaten_kota,15\n",
        encoding="utf-8")
    assert load_regions().get("15.01").name == "Kabupaten Kerinci Saja" and len(load_regions()) == 2
    # ... but only for the province it holds: Jawa Barat still comes from the shipped data
    assert load_regions(province="32").source.endswith("wilayah-indonesia.csv.gz")
    # $RAWAN_SHARED_DATA wins over both
    monkeypatch.setenv("RAWAN_SHARED_DATA", str(jambi_data))
    assert [p.kind for p in places()] == ["env", "user", "shipped"]
    assert len(load_regions()) == 1741 and load_regions().source.endswith("jambi-wilayah.csv")
    # a user's own province becomes the default province
    monkeypatch.delenv("RAWAN_SHARED_DATA")
    shutil.rmtree(user)
    user.mkdir()
    (user / "jambi-wilayah.csv").write_text(
        "code,name,level,parent_code\n32,Jawa Barat,provinsi,\n32.73,Kota Bandung,kabupaten_kota,32\n", encoding="utf-8")
    assert default_province() == "32" and load_regions().codes == ["32", "32.73"]


def test_boundaries_imported_by_the_user_win_for_their_province(tmp_path, jambi_data, capsys):
    assert main(["regions", "import-boundaries", str(jambi_data / "jambi-kecamatan.geojson")]) == 0
    capsys.readouterr()
    b = load_boundaries()
    assert b.source == "jambi-kecamatan.geojson" and not b.has("desa_kelurahan")
    assert load_boundaries(province="32").has("kabupaten_kota")  # other provinces: still shipped


def test_import_and_validate_check_codes_against_the_default_list(tmp_path, capsys):
    """A template made for Jambi with an unknown code (15.99) is refused without --regions."""
    t = tmp_path / "isian.xlsx"
    assert main(["template", "--model", "contoh-mini", "--level", "kabupaten_kota", "--out", str(t)]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(t)
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    first_value = next(i for i, h in enumerate(header, start=1) if h not in ("code", "kode", "name", "nama"))
    last = ws.max_row
    for r in range(2, last + 1):
        for c in range(first_value, len(header) + 1):
            ws.cell(r, c).value = (r + c) % 2  # 0/1: a number, and a valid yes/no
    good = tmp_path / "good.xlsx"
    wb.save(good)
    out = tmp_path / "data.parquet"
    assert main(["validate", str(good), "--model", "contoh-mini", "--no-copy"]) == 0
    assert main(["import", str(good), "--model", "contoh-mini", "--out", str(out)]) == 0
    out.unlink()
    capsys.readouterr()
    ws.cell(last, 1).value = "15.99"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    assert main(["validate", str(bad), "--model", "contoh-mini", "--no-copy"]) == 2
    assert "15.99" in capsys.readouterr().out
    assert main(["import", str(bad), "--model", "contoh-mini", "--out", str(out)]) == 2
    assert not out.exists()
    # the same file checked against another province's list: every code is unknown there
    assert main(["validate", str(good), "--model", "contoh-mini", "--no-copy", "--province", "32"]) == 2


def test_map_of_another_province_is_drawn_from_shipped_boundaries(tmp_path, capsys):
    jabar = load_regions(province="32")
    res = tmp_path / "hasil.csv"
    rows = ["code,category"] + [f"{r.code},{('tinggi', 'sedang', 'rendah')[i % 3]}"
                                for i, r in enumerate(jabar.at_level("kabupaten_kota"))]
    res.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "peta.svg"
    assert main(["map", "--result", str(res), "--out", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    assert svg.count("<path data-code=") == 27 and "Peta petak" not in svg
    assert 'data-name="Kota Bandung"' in svg


def test_a_quick_test_cannot_start_a_process():
    import subprocess
    import sys

    with pytest.raises(AssertionError, match="mark it @pytest.mark.slow"):
        subprocess.run([sys.executable, "-c", "pass"])


def test_a_map_of_several_provinces_is_a_map_of_indonesia(tmp_path, capsys):
    """Province scores (as IKP 2024 publishes them) draw on the shipped national boundaries."""
    from rawan.regions import render_map

    everywhere = load_regions(province="*")
    provinces = [r.code for r in everywhere.roots()]
    assert len(provinces) == 38
    values = {c: ("tinggi", "sedang", "rendah")[i % 3] for i, c in enumerate(provinces[:34])}
    svg = render_map(values, level="provinsi")
    assert svg.count("<path data-code=") == 38 and "Peta petak" not in svg  # 4 without a value: no data
    assert 'data-name="Jambi"' in svg and 'data-name="Papua Pegunungan"' in svg
    res = tmp_path / "provinsi.csv"
    res.write_text("code,category\n" + "".join(f"{c},{v}\n" for c, v in values.items()), encoding="utf-8")
    assert main(["map", "--result", str(res), "--out", str(tmp_path / "indonesia.svg")]) == 0
    assert (tmp_path / "indonesia.svg").read_text(encoding="utf-8").count("<path data-code=") == 38
    kab = render_map({"11.01": "tinggi", "32.73": "rendah"}, level="kabupaten_kota")
    assert kab.count("<path data-code=") == 514
