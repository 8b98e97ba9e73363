"""Choropleth maps: one element per region, right colours in the PNG, legend, marks, errors."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import shapely
from shapely.ops import polylabel

from rawan.regions import CATEGORY_COLOURS, RegionError, load_regions, render_map, render_map_png
from rawan.regions.palette import hex_to_rgb

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def regions(jambi_data):
    return load_regions(jambi_data)


def _elements(svg: str):
    root = ET.fromstring(svg)
    return root, [e for e in root.iter() if "data-code" in e.attrib]


KAB_VALUES = {"15.01": "tinggi", "15.02": "sedang", "15.03": "rendah", "15.04": None, "15.05": "tinggi",
              "15.06": "sedang", "15.07": "rendah", "15.08": "rendah", "15.09": "sedang", "15.71": "tinggi",
              "15.72": "rendah"}


def test_kabkota_svg_one_element_per_region(regions, jambi_boundaries):
    svg = render_map(KAB_VALUES, level="kabupaten_kota", regions=regions, boundaries=jambi_boundaries,
                     title="Uji", synthetic=True)
    root, els = _elements(svg)
    assert sorted(e.get("data-code") for e in els) == sorted(KAB_VALUES)
    by = {e.get("data-code"): e for e in els}
    assert by["15.01"].get("fill") == CATEGORY_COLOURS["tinggi"]
    assert re.fullmatch(r"url\(#rawan-[0-9a-f]{8}-nodata\)", by["15.04"].get("fill"))
    assert by["15.04"].get("data-value") == ""
    assert by["15.71"].get("data-name") == "Kota Jambi"
    assert by["15.01"].find(f"{SVG}title").text == "Kabupaten Kerinci (15.01): Rawan Tinggi"
    assert "DATA CONTOH" in svg and "idn-area-data (fityannugroho), ODbL 1.0" in svg
    assert "cahyadsn/wilayah_boundaries, MIT" in svg
    assert "Rawan Tinggi (3)" in svg and "Tidak ada data (1)" in svg and " km</text>" in svg
    # self-contained: no external references, no stylesheet, no web fonts
    assert not re.search(r"(?:href|src)=", svg) and "<style" not in svg and "@font-face" not in svg
    assert all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", svg))
    assert len(svg.encode()) < 100_000
    for cut in ("Tanjung Jabung Barat", "Kota Sungai Penuh", "Kota Jambi"):  # labels
        assert f">{cut}</text>" in svg


def test_not_synthetic_has_no_mark_and_english(regions, jambi_boundaries):
    svg = render_map(KAB_VALUES, level="kabupaten_kota", regions=regions, boundaries=jambi_boundaries, lang="en")
    assert "DATA CONTOH" not in svg
    assert "High vulnerability (3)" in svg and "No data (1)" in svg and "Region codes &amp; names" in svg


def test_desa_map_draws_every_desa_with_geometry(regions, jambi_boundaries):
    values = {r.code: "rendah" for r in regions.at_level("desa_kelurahan")}
    svg = render_map(values, level="desa_kelurahan", regions=regions, boundaries=jambi_boundaries)
    _, els = _elements(svg)
    codes = [e.get("data-code") for e in els]
    assert len(codes) == len(set(codes)) == 1568
    assert "15.09.04.1009" not in codes  # one of the 17 Tebo desa without a polygon
    assert "17 wilayah tanpa batas wilayah" in svg
    assert len(svg.encode()) < 1_000_000


def test_drill_down_kecamatan_of_one_kabupaten(regions, jambi_boundaries):
    kec = regions.at_level("kecamatan", parent="15.01")
    values = {r.code: float(i) for i, r in enumerate(kec)}
    svg = render_map(values, level="kecamatan", parent="1501", mode="continuous", regions=regions,
                     boundaries=jambi_boundaries)
    _, els = _elements(svg)
    assert sorted(e.get("data-code") for e in els) == [r.code for r in kec]
    assert {e.get("data-code"): e.get("data-value") for e in els}[kec[2].code] == "2"
    assert "Kabupaten Kerinci" in svg and re.search(r'id="rawan-[0-9a-f]{8}-ramp"', svg)
    assert re.search(r">0,0</text>", svg) and re.search(r">17,0</text>", svg)  # legend ends, decimal comma


def test_marked_regions_get_overlay_and_legend(regions, jambi_boundaries):
    svg = render_map(KAB_VALUES, level="kabupaten_kota", regions=regions, boundaries=jambi_boundaries,
                     marked=["1502", "15.03"], marked_label="Stabil < 80% simulasi")
    assert len(re.findall(r'fill="url\(#rawan-[0-9a-f]{8}-marked\)"', svg)) >= 2
    assert "Stabil &lt; 80% simulasi" in svg
    plain = render_map(KAB_VALUES, level="kabupaten_kota", regions=regions, boundaries=jambi_boundaries)
    assert "-marked)" not in plain
    ids = re.findall(r'id="([^"]+)"', svg) + re.findall(r'id="([^"]+)"', plain)
    assert len(ids) == len(set(ids))  # two maps inline in one page do not clash


def test_tile_grid_fallback(regions):
    svg = render_map(KAB_VALUES, level="kabupaten_kota", regions=regions, boundaries="tiles", synthetic=True)
    _, els = _elements(svg)
    assert sorted(e.get("data-code") for e in els) == sorted(KAB_VALUES)
    assert all(e.tag == f"{SVG}rect" for e in els)
    assert "Peta petak" in svg and ">15.71</text>" in svg and "DATA CONTOH" in svg
    xs = {e.get("data-code"): float(e.get("x")) for e in els}
    assert xs["15.01"] < xs["15.04"] < xs["15.07"]  # west to east kept


def test_tile_grid_without_region_list():
    from rawan.regions.render import _items

    items = _items({"15.01": "tinggi"}, "kabupaten_kota", None, None, "id", "category")
    assert len(items) == 11 and items[0].name == "Kerinci" and items[0].value == "tinggi"


def test_bad_values_are_clear(regions, jambi_boundaries):
    with pytest.raises(RegionError) as e:
        render_map({"15.01": "parah"}, level="kabupaten_kota", regions=regions, boundaries=jambi_boundaries)
    assert e.value.keys == ["map.bad_category"] and "15.01" in e.value.render("id")[0]
    with pytest.raises(RegionError) as e:
        render_map({"16.01": "tinggi"}, level="kabupaten_kota", regions=regions, boundaries=jambi_boundaries)
    assert e.value.keys == ["map.no_match"]
    with pytest.raises(RegionError) as e:
        render_map({"15.01": "x"}, level="kabupaten_kota", mode="continuous", regions=regions,
                   boundaries=jambi_boundaries)
    assert e.value.keys == ["map.bad_score"]


def _interior_point_away_from_label(geom):
    """A point well inside the region, as far as possible from its label (at the polylabel)."""
    label = polylabel(geom if geom.geom_type == "Polygon" else max(geom.geoms, key=lambda p: p.area))
    inner = geom.buffer(-0.04)
    xmin, ymin, xmax, ymax = inner.bounds
    grid = shapely.points(*np.meshgrid(np.linspace(xmin, xmax, 40), np.linspace(ymin, ymax, 40)))
    inside = grid[shapely.contains(inner, grid)]
    return max(inside, key=lambda p: p.distance(label))


def test_png_shows_category_colours_inside_regions(regions, jambi_boundaries, tmp_path):
    from PIL import Image

    from rawan.regions.svgpaths import Frame

    values = {c: v or "rendah" for c, v in KAB_VALUES.items()}
    scale = 1.5
    out = render_map_png(values, out=tmp_path / "m.png", level="kabupaten_kota", regions=regions,
                         boundaries=jambi_boundaries, scale=scale, width=800)
    img = Image.open(io.BytesIO(out.read_bytes())).convert("RGB")
    svg = render_map(values, level="kabupaten_kota", regions=regions, boundaries=jambi_boundaries, width=800)
    root = ET.fromstring(svg)
    assert img.size[0] == round(800 * scale)
    assert abs(img.size[1] - round(float(root.get("height")) * scale)) <= 1
    frame = Frame.from_attr(root.get("data-frame"))
    layer = jambi_boundaries.layer("kabupaten_kota")
    for code in ("15.02", "15.03", "15.05"):  # sedang, rendah, tinggi
        p = _interior_point_away_from_label(layer.get(code))
        x, y = frame.xy(p.x, p.y)
        got = np.array(img.getpixel((int(x * scale), int(y * scale)))) / 255
        assert np.abs(got - hex_to_rgb(CATEGORY_COLOURS[values[code]])).max() < 0.03, code


def test_kabkota_labels_inside_and_not_overlapping(regions, jambi_boundaries):
    from rawan.regions.labels import _overlaps, _project, place_labels
    from rawan.regions.svgpaths import Frame

    layer = jambi_boundaries.layer("kabupaten_kota")
    frame = Frame.fit(shapely.total_bounds(layer.geoms), 768, 730, 16, 48)
    items = [(c, regions.get(c).name if c in ("15.71", "15.72") else regions.get(c).name_short, g)
             for c, g in zip(layer.codes, layer.geoms)]
    labels = {lab.code: lab for lab in place_labels(items, frame, size=11)}
    assert set(labels) == set(layer.codes)
    boxes = [lab.box(pad=0) for lab in labels.values()]
    assert not any(_overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    for code, lab in labels.items():
        poly = _project(layer.get(code), frame)
        if lab.anchor_x is None:  # inside: the text box lies (almost) within its own kab/kota
            box = shapely.box(*lab.box(pad=0))
            assert box.difference(poly).area <= 0.12 * box.area, code
        else:  # outside, with a leader line from a point inside the region
            assert poly.contains(shapely.Point(lab.anchor_x, lab.anchor_y)), code
    inside = [c for c, lab in labels.items() if lab.anchor_x is None]
    assert len(inside) >= 9  # every kabupaten; the two small cities may need a leader line


def test_tile_layout_from_centroids_keeps_relative_positions():
    from rawan.regions import tile_layout

    rng = np.random.default_rng(7)
    pts = {f"32.{i:02d}": (float(x), float(y)) for i, (x, y) in enumerate(rng.uniform(0, 10, (27, 2)), start=1)}
    cells = tile_layout(list(pts), centroids=pts)
    assert len(set(cells.values())) == len(pts)  # one region per tile
    west, east = min(pts, key=lambda c: pts[c][0]), max(pts, key=lambda c: pts[c][0])
    north, south = max(pts, key=lambda c: pts[c][1]), min(pts, key=lambda c: pts[c][1])
    assert cells[west][0] < cells[east][0] and cells[north][1] < cells[south][1]
    # without positions: a block in code order
    block = tile_layout(["32.01", "32.02", "32.03"])
    assert block == {"32.01": (0, 0), "32.02": (1, 0), "32.03": (2, 0)}


def test_stored_outlines_draw_the_same_map_as_dissolving_on_the_fly(regions, jambi_boundaries):
    from rawan.regions.boundaries import Boundaries, Layer

    bare = Boundaries({lv: Layer(lv, layer.codes, layer.geoms) for lv, layer in jambi_boundaries.layers.items()})
    assert not bare.layer("desa_kelurahan").outlines and jambi_boundaries.layer("desa_kelurahan").outlines
    values = {r.code: "sedang" for r in regions.at_level("desa_kelurahan", parent="15.72")}
    for parent in ("15.72", None):
        a = render_map(values, level="desa_kelurahan", parent=parent, regions=regions, boundaries=jambi_boundaries)
        b = render_map(values, level="desa_kelurahan", parent=parent, regions=regions, boundaries=bare)
        assert a == b, parent


def test_cartography_for_a_launch(jambi_boundaries):
    """Enclaves and neighbours of a drill-down drawn in grey (Kota Sungai Penuh inside Kerinci), regions
    without boundaries counted in the legend with their classes, a small marked city ringed, the source
    line on the map, and the dimension ramp that is not the category colours."""
    from rawan.regions import load_regions
    from rawan.regions.palette import CATEGORY_COLOURS, DIMENSION_RAMP

    regions = load_regions(province="15")
    desa = [r.code for r in regions.at_level("desa_kelurahan", parent="15.01")]
    svg = render_map({c: "sedang" for c in desa}, level="desa_kelurahan", parent="15.01", regions=regions,
                     boundaries=jambi_boundaries, source_line="Sumber: uji")
    assert 'data-context-code="15.72"' in svg and "Wilayah sekitar" in svg and "Sumber: uji" in svg
    every = {r.code: "tinggi" for r in regions.at_level("desa_kelurahan")}
    svg = render_map(every, level="desa_kelurahan", regions=regions, boundaries=jambi_boundaries)
    n_missing = len(every) - len(re.findall(r'<path data-code=', svg))
    assert n_missing == 17
    assert f"Tanpa batas wilayah, tidak tergambar (17)" in svg and "Rawan Tinggi 17" in svg
    assert f"Rawan Tinggi ({len(every)})" in svg  # the legend counts every desa, drawn or not
    svg = render_map({"15.71": "tinggi"}, level="kabupaten_kota", marked=["15.71"], width=300, regions=regions,
                     boundaries=jambi_boundaries)
    assert 'data-small-marked="15.71"' in svg
    svg = render_map({"15.01": 10.0, "15.02": 20.0}, level="kabupaten_kota", mode="continuous", ramp="dimension",
                     value_range=(0, 100), regions=regions, boundaries=jambi_boundaries)
    assert DIMENSION_RAMP[-1] in svg and not set(CATEGORY_COLOURS.values()) & set(re.findall(r'fill="(#[0-9A-F]{6})"', svg))


def test_numbered_map_fixed_sizes_and_key_given_out(regions, jambi_boundaries):
    """A page that promises a print size asks for fixed label sizes: every region number and name is
    drawn at exactly the asked size (no smaller fallback), and the key can be handed to the page."""
    kec = regions.at_level("kecamatan")
    values = {r.code: "sedang" for r in kec}
    key: list = []
    svg = render_map(values, level="kecamatan", regions=regions, boundaries=jambi_boundaries,
                     label_size=11.0, number_size=10.0, fixed_size=True, key_out=key)
    numbers = re.findall(r'<text [^>]*font-size="([\d.]+)"[^>]*data-key="([^"]+)"', svg)
    assert sorted(c for _, c in numbers) == sorted(r.code for r in kec)  # every kecamatan numbered
    assert {float(s) for s, _ in numbers} == {10.0}
    names = [(s, t) for s, t in re.findall(r'<text [^>]*font-size="([\d.]+)" text-anchor="middle" '
                                           r'fill="#1A1A1A">([^<]+)</text>', svg) if not t[0].isdigit()]  # not the scale
    assert "Tanjung Jabung Timur" in {t for _, t in names}
    assert {float(s) for s, _ in names} == {11.0}
    # the key went to the caller: groups by kab/kota, one numbered line per kecamatan, not in the SVG
    assert "Nomor pada peta" not in svg
    heads = [name for n, name in key if n is None]
    assert len(heads) == 11 and "Kabupaten Tanjung Jabung Timur" in heads
    assert [n for n, _ in key if n is not None] == list(range(1, len(kec) + 1))
    assert any(name == "Berbak" for _, name in key)
    # without fixed sizes the default map may set a number smaller to fit it (7 px, then 85 %)
    svg = render_map(values, level="kecamatan", regions=regions, boundaries=jambi_boundaries)
    sizes = {float(s) for s in re.findall(r'font-size="([\d.]+)"[^>]*data-key=', svg)}
    assert max(sizes) == 7.0 and "Nomor pada peta" in svg
