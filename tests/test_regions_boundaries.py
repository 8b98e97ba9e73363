"""Boundary import: formats, matching report, repair, clear errors; the consistent Jambi set."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pyogrio
import pytest
import shapely

from rawan.regions import RegionError, build_boundaries, import_boundaries, load_boundaries, load_regions
from rawan.regions.boundaries import read_store
from rawan.regions.importer import read_features


@pytest.fixture
def regions(jambi_data):
    return load_regions(jambi_data)


def test_every_kabkota_and_kecamatan_has_geometry(regions, jambi_boundaries):
    for level in ("kabupaten_kota", "kecamatan"):
        layer = jambi_boundaries.layer(level)
        assert layer.codes == [r.code for r in regions.at_level(level)]
        assert all(g is not None and not g.is_empty and g.is_valid for g in layer.geoms)
    assert len(jambi_boundaries.layer("desa_kelurahan").codes) == 1568
    assert jambi_boundaries.layer("provinsi").codes == ["15"]


def test_shared_borders_stay_shared(jambi_boundaries):
    # every level is a clean coverage after simplification: no gaps or overlaps between neighbours
    for level, layer in jambi_boundaries.layers.items():
        assert shapely.coverage_is_valid(layer.geoms), level
    # and simplification did reduce the drawing
    desa = jambi_boundaries.layer("desa_kelurahan")
    assert shapely.get_num_coordinates(desa.geoms).sum() < 100_000


def test_dissolved_outlines_agree_with_the_kabkota_layer(jambi_data, jambi_boundaries):
    """Stated tolerance: intersection-over-union >= 0.94 for every kab/kota (Kota Jambi's own polygon
    is coarse, SOURCES.md), >= 0.98 for at least 9 of 11; kecamatan median >= 0.95."""
    for level, file, worst, typical in (("kabupaten_kota", "jambi-kabkota.geojson", 0.94, 0.98),
                                        ("kecamatan", "jambi-kecamatan.geojson", 0.65, 0.95)):
        codes, _, geoms, _ = read_features(jambi_data / file)
        layer = jambi_boundaries.layer(level)
        ious = []
        for c, g in zip(codes, geoms):
            d = layer.get(c)
            ious.append(shapely.area(shapely.intersection(d, g)) / shapely.area(shapely.union(d, g)))
        assert min(ious) >= worst, level
        assert np.median(ious) >= typical, level


def test_store_roundtrip(jambi_boundaries, tmp_path):
    path = jambi_boundaries.save(tmp_path / "batas-wilayah.npz")
    assert path.stat().st_size < 2_000_000
    back = read_store(path)
    assert not list(tmp_path.glob(".tmp-*"))  # atomic write left nothing behind
    for level, layer in jambi_boundaries.layers.items():
        assert back.layer(level).codes == layer.codes
        assert shapely.equals_exact(back.layer(level).geoms, layer.geoms, tolerance=0).all()
    assert load_boundaries(path).layer("kecamatan").codes == jambi_boundaries.layer("kecamatan").codes
    assert load_boundaries(tmp_path).layer("provinsi").codes == ["15"]  # a directory holding the store
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(RegionError) as e:
        read_store(tmp_path / "bad.npz")
    assert e.value.keys == ["boundaries.store_unreadable"]


# --- tiny files built here ---------------------------------------------------------------------------
def _square(x, y, d=0.1):
    return shapely.box(x, y, x + d, y + d)


def _kec_features(regions):
    """Two kecamatan of Kerinci as squares sharing an edge, plus one unknown code."""
    return [("15.01.01", "Gunung Raya", _square(101.5, -2.2)), ("15.01.02", "Danau Kerinci", _square(101.6, -2.2)),
            ("15.01.99", "Gunung Raye", _square(101.7, -2.2))]


def _geojson(path, feats, coord=lambda x, y: (x, y), field="code"):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {field: c, "name": n},
         "geometry": json.loads(shapely.to_geojson(shapely.transform(g, lambda a: np.array([coord(*p) for p in a]))))}
        for c, n, g in feats]}
    path.write_text(json.dumps(fc), encoding="utf-8")
    return path


def test_geojson_import_reports_unmatched_and_missing(regions, tmp_path):
    f = _geojson(tmp_path / "kec.geojson", _kec_features(regions))
    rep = import_boundaries(f, regions=regions)
    assert rep.level == "kecamatan" and rep.matched == 2 and rep.features == 3
    assert [u.code for u in rep.unmatched] == ["15.01.99"]
    assert rep.unmatched[0].suggestions[0] == "15.01.01 Gunung Raya"
    assert len(rep.missing) == 16 and "15.01.04" in rep.missing  # the rest of Kerinci's 18 kecamatan
    assert rep.missing_suggestions == {}  # "Gunung Raye" is close to Gunung Raya, which has geometry
    b = rep.boundaries
    assert b.layer("kabupaten_kota").codes == ["15.01"]
    assert abs(b.layer("kabupaten_kota").geoms[0].area - 0.02) < 1e-9  # dissolved from both squares


def test_regions_without_geometry_get_similar_unmatched_features(regions, tmp_path):
    feats = [("15.01.01", "Gunung Raya", _square(101.5, -2.2)),
             ("15.01.44", "Sitinjau Laut", _square(101.6, -2.2))]  # 15.01.04 Sitinjau Laut, mistyped code
    rep = import_boundaries(_geojson(tmp_path / "k.geojson", feats), regions=regions)
    assert rep.missing_suggestions["15.01.04"] == ["15.01.44 Sitinjau Laut"]
    assert "15.01.05" not in rep.missing_suggestions


def test_kabkota_file_reports_missing_kabkota_of_the_province(regions, tmp_path):
    feats = [("15.01", "Kabupaten Kerinci", _square(101.5, -2.2)), ("15.72", "Kota Sungai Penuh", _square(101.6, -2.2))]
    rep = import_boundaries(_geojson(tmp_path / "kab.geojson", feats), regions=regions)
    assert rep.level == "kabupaten_kota" and len(rep.missing) == 9 and "15.71" in rep.missing


def test_invalid_geometry_is_repaired(regions, tmp_path):
    bowtie = shapely.Polygon([(101.5, -2.2), (101.6, -2.1), (101.6, -2.2), (101.5, -2.1)])
    assert not bowtie.is_valid
    f = _geojson(tmp_path / "k.geojson", [("15.01.01", "Gunung Raya", bowtie)])
    rep = import_boundaries(f, regions=regions)
    assert rep.repaired == ["15.01.01"] and rep.boundaries.layer("kecamatan").geoms[0].is_valid


def test_zipped_shapefile_and_geopackage(regions, tmp_path):
    feats = _kec_features(regions)[:2]
    codes = np.array([c for c, _, _ in feats], dtype=object)
    geoms = shapely.to_wkb(np.array([g for _, _, g in feats], dtype=object))
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    pyogrio.raw.write(shp_dir / "kec.shp", geoms, field_data=[codes], fields=["KODE"], geometry_type="Polygon",
                      crs="EPSG:4326", driver="ESRI Shapefile")
    with zipfile.ZipFile(tmp_path / "kec.zip", "w") as z:
        for p in shp_dir.iterdir():
            z.write(p, p.name)
    gpkg = tmp_path / "kec.gpkg"
    pyogrio.raw.write(gpkg, geoms, field_data=[codes], fields=["kode_wilayah"], geometry_type="Polygon",
                      crs="EPSG:4326", driver="GPKG")
    for f, field in ((tmp_path / "kec.zip", "KODE"), (gpkg, None)):
        rep = import_boundaries(f, regions=regions, code_field=field)
        assert rep.matched == 2 and rep.boundaries.layer("kecamatan").codes == ["15.01.01", "15.01.02"], f


def test_broken_geojson_is_a_clear_error(regions, tmp_path):
    f = tmp_path / "rusak.geojson"
    f.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": ', encoding="utf-8")
    with pytest.raises(RegionError) as e:
        import_boundaries(f, regions=regions)
    assert e.value.keys == ["boundaries.unreadable"] and "rusak.geojson" in e.value.render("id")[0]


def test_projected_coordinates_are_refused(regions, tmp_path):
    # UTM 48S-like metres written as if they were lon/lat
    f = _geojson(tmp_path / "utm.geojson", _kec_features(regions)[:2],
                 coord=lambda x, y: (250_000 + (x - 101) * 111_000, 9_750_000 + (y + 2) * 111_000))
    with pytest.raises(RegionError) as e:
        import_boundaries(f, regions=regions)
    assert e.value.keys == ["boundaries.projected"] and "EPSG:4326" in e.value.render("id")[0]


def test_swapped_coordinates_are_refused(regions, tmp_path):
    f = _geojson(tmp_path / "swap.geojson", _kec_features(regions)[:2], coord=lambda x, y: (y, x))
    with pytest.raises(RegionError) as e:
        import_boundaries(f, regions=regions)
    assert e.value.keys == ["boundaries.swapped"] and "tertukar" in e.value.render("id")[0]


def test_codes_matching_nothing_are_refused(regions, tmp_path):
    feats = [("32.01.01", "Bogor", _square(101.5, -2.2)), ("32.01.02", "Cibinong", _square(101.6, -2.2))]
    f = _geojson(tmp_path / "jabar.geojson", feats)
    with pytest.raises(RegionError) as e:
        import_boundaries(f, regions=regions)
    assert e.value.keys == ["boundaries.nothing_matched"]
    msg = e.value.render("id")[0]
    assert "jabar.geojson" in msg and "32.01.01" in msg
    with pytest.raises(RegionError) as e:
        import_boundaries(f, regions=regions, code_field="kode")
    assert e.value.keys == ["boundaries.no_code_field"] and "code, name" in e.value.render("en")[0]


def test_build_keeps_shared_edges_shared():
    # three squares in a row with a slightly overlapping middle one: cleaned, dissolved, still a coverage
    geoms = [_square(101.0, -2.0), shapely.box(101.099, -2.0, 101.2, -1.9), _square(101.2, -2.0)]
    b = build_boundaries(["15.01.01", "15.01.02", "15.01.03"], geoms, "kecamatan")
    g = b.layer("kecamatan").geoms
    assert shapely.coverage_is_valid(g)
    assert shapely.area(shapely.intersection(g[0], g[1])) < 1e-12
    assert abs(b.layer("kabupaten_kota").geoms[0].area - 0.03) < 1e-6


def test_source_file_is_imported_once_and_cached(regions, tmp_path, monkeypatch):
    from rawan.regions import boundaries as B

    monkeypatch.setenv("RAWAN_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.setattr(B, "_MEMO", {})
    src = tmp_path / "src"
    src.mkdir()
    _geojson(src / "jambi-desa.geojson", [("15.01.01.2001", "Lempur", _square(101.5, -2.2)),
                                          ("15.01.01.2002", "X", _square(101.6, -2.2))])
    b = load_boundaries(src)
    assert b.layer("kabupaten_kota").codes == ["15.01"]
    cached = list((tmp_path / "userdata" / "cache").glob("batas-*.npz"))
    assert len(cached) == 1
    monkeypatch.setattr(B, "_MEMO", {})
    monkeypatch.setattr("rawan.regions.importer.import_boundaries", None)  # must not be needed again
    assert load_boundaries(src).layer("kecamatan").codes == ["15.01.01"]
    with pytest.raises(RegionError) as e:
        load_boundaries(tmp_path / "userdata")
    assert e.value.keys == ["boundaries.none_in_dir"]


def test_maps_fall_back_to_tiles_without_boundaries(regions, monkeypatch):
    from rawan.regions import render as R

    monkeypatch.setattr(R, "load_boundaries", lambda path=None, province=None: None)
    svg = R.render_map({"15.01": "tinggi"}, level="kabupaten_kota", regions=regions)
    assert svg.count("<rect data-code=") == 11 and "Peta petak" in svg
