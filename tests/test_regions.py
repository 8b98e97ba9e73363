"""Region list and hierarchy: the Jambi tree, code shapes, name variants, clear errors."""

from __future__ import annotations

import pytest

from rawan.regions import RegionError, load_regions, name_key


@pytest.fixture
def regions(jambi_data):
    return load_regions(jambi_data)


def test_jambi_loads_as_one_tree(regions):
    assert len(regions) == 1741
    assert [r.code for r in regions.roots()] == ["15"]
    counts = [len(regions.at_level(lv)) for lv in ("provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan")]
    assert counts == [1, 11, 144, 1585]
    # every region reaches the province through existing parents
    for r in regions:
        assert (regions.ancestors(r.code) or [r])[-1].code == "15"
    assert len(regions.descendants("15", level="desa_kelurahan")) == 1585
    assert len(regions.descendants("15")) == 1740


def test_hierarchy_navigation(regions):
    assert regions.get("1501").name == "Kabupaten Kerinci"
    assert regions.get("15.01").name_short == "Kerinci"
    assert [r.code for r in regions.ancestors("1501012001")] == ["15.01.01", "15.01", "15"]
    assert len(regions.children("15.01")) == 18
    assert len(regions.descendants("15.01", level="desa_kelurahan")) == 287
    assert len(regions.at_level("kecamatan", parent="15.72")) == 8
    assert regions.at_level("kabupaten_kota", parent="15.72") == [regions.get("15.72")]
    kab = regions.at_level("kabupaten_kota")
    assert [r.code for r in kab] == sorted(r.code for r in kab)
    assert {r.type for r in kab} == {"kabupaten", "kota"}
    assert regions.get("15.71").type == "kota"
    assert "150101" in regions and "15.01.01" in regions and "15.99" not in regions and "x" not in regions
    assert regions.normalise(1501) == "15.01"
    assert regions.normalise("1501012001") == "15.01.01.2001"


@pytest.mark.parametrize("name,code", [
    ("Batang Hari", "15.04"), ("Batanghari", "15.04"), ("Kabupaten Batang Hari", "15.04"),
    ("Tanjab Barat", "15.06"), ("Tanjabbar", "15.06"), ("Tanjung Jabung Barat", "15.06"),
    ("Tanjab Timur", "15.07"), ("Tanjabtim", "15.07"), ("Kab. Tanjung Jabung Timur", "15.07"),
    ("Muarojambi", "15.05"), ("Muaro Jambi", "15.05"), ("KAB MUARO JAMBI", "15.05"),
    ("Kota Jambi", "15.71"), ("kota sungai penuh", "15.72"), ("Sungai Penuh", "15.72"),
])
def test_find_spelling_variants(regions, name, code):
    hits = regions.find(name, level="kabupaten_kota")
    assert [r.code for r in hits] == [code]


def test_find_prefix_picks_type_and_suggests(regions):
    assert [r.code for r in regions.find("Kota Jambi")] == ["15.71"]
    assert [r.code for r in regions.find("Jambi")] == ["15", "15.71"]
    assert [r.code for r in regions.find("Batin VIII")] == ["15.03.08"]
    assert regions.find("Sarolangon") == []
    assert regions.suggest("Sarolangon", level="kabupaten_kota")[0].code == "15.03"
    assert name_key("Kab. Batang Hari") == name_key("Batanghari")


def test_unknown_code_and_bad_shape_are_clear(regions):
    with pytest.raises(RegionError) as e:
        regions.get("15.99")
    assert "15.99" in e.value.render("id")[0] and "tidak ada" in e.value.render("id")[0]
    with pytest.raises(RegionError) as e:
        regions.normalise("15-01")
    assert e.value.keys == ["regions.invalid_code"]
    with pytest.raises(RegionError):
        regions.at_level("kabupaten")


def test_bad_csv_names_every_row(tmp_path):
    f = tmp_path / "wilayah.csv"
    f.write_text("code,name,name_short,level,type,parent_code\n"
                 "15,Jambi,Jambi,provinsi,provinsi,\n"
                 "1501,Kabupaten Kerinci,Kerinci,kabupaten_kota,kabupaten,15\n"  # no dots: accepted
                 "15.01.01,Gunung Raya,,kabupaten_kota,kecamatan,15.01\n"       # wrong level
                 "15.02.01,Orphan,,kecamatan,kecamatan,15.02\n"                  # parent missing
                 "15.1,Bad,,kecamatan,kecamatan,15\n"                            # bad shape
                 "15.01,Dup,,kabupaten_kota,kabupaten,15\n", encoding="utf-8")   # duplicate
    with pytest.raises(RegionError) as e:
        load_regions(f)
    assert sorted(e.value.keys) == sorted(["regions.bad_level", "regions.bad_parent", "regions.bad_code",
                                           "regions.duplicate"])
    text = "\n".join(e.value.render("id"))
    assert "baris 4" in text and "baris 5" in text and "baris 6" in text and "baris 7" in text


def test_dotless_csv_is_normalised(tmp_path):
    f = tmp_path / "w.csv"
    f.write_text("code,name,level,parent_code\n15,Jambi,provinsi,\n1501,Kabupaten Kerinci,,15\n"
                 "150101,Gunung Raya,,1501\n", encoding="utf-8")
    r = load_regions(f)
    assert r.get("15.01.01").parent == "15.01" and r.get("15.01").type == "kabupaten"


def test_missing_list_says_where_it_looked(tmp_path, monkeypatch):
    with pytest.raises(RegionError) as e:
        load_regions(tmp_path / "nowhere")
    assert e.value.keys == ["regions.not_found"]
    assert str(tmp_path / "nowhere") in e.value.render("id")[0]
    with pytest.raises(RegionError) as e:  # a province that does not exist anywhere
        load_regions(province="99")
    assert e.value.keys == ["regions.not_found"] and "wilayah-indonesia.csv.gz" in e.value.render("en")[0]
    with pytest.raises(RegionError) as e:
        load_regions(province="15.01")
    assert e.value.keys == ["regions.bad_province"]


def test_default_list_is_shipped_and_found_from_any_working_directory(jambi_data, tmp_path, monkeypatch):
    from rawan.regions.defaults import SHIPPED_DIR

    monkeypatch.setenv("RAWAN_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.delenv("RAWAN_SHARED_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    regions = load_regions()
    assert len(regions) == 1741 and regions.source == str(SHIPPED_DIR / "wilayah-indonesia.csv.gz")
    monkeypatch.setenv("RAWAN_SHARED_DATA", str(jambi_data))
    assert load_regions().source.endswith("jambi-wilayah.csv")
