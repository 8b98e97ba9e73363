"""Parts of the reports: strategic issues, recommendations file, charts, infographics, CLI."""

from __future__ import annotations

import io

import numpy as np
import pytest

from rawan import demo
from rawan.engine import Dataset, RawanError, compute, load_spec
from rawan.reports import build_infographic, build_infographics
from rawan.reports.charts import dimension_bars
from rawan.reports.issues import RECOMMENDATIONS_DIR, load_recommendations, strategic_issues
from rawan.reports.text import num

from .conftest import EXAMPLE_MODEL
from .test_cli import rawan

DATE = "2024-08-31"


@pytest.fixture(scope="module")
def mini():
    return load_spec(EXAMPLE_MODEL)


def _mini_data(mini, values, synthetic=False):
    codes = [f"15.0{k}" for k in range(1, len(values) + 1)]
    return Dataset(codes=codes, columns=mini.tree.indicators, values=np.array(values, dtype=float),
                   names=[f"Wilayah {c}" for c in codes], synthetic=synthetic)


def test_strategic_issues_by_number_of_regions_with_occurrences(mini):
    # columns: k1 k2 p1 p2 p3 (turnout, a rate: never an "occurrence") c1 (never occurs)
    data = _mini_data(mini, [[1, 0, 4, 1, 80, 0],
                             [2, 0, 0, 1, 70, 0],
                             [3, 5, 0, 0, 60, 0],
                             [0, np.nan, 1, 1, 50, 0]])
    issues = strategic_issues(compute(mini, data))
    # p2 and k1 both occur in 3 regions; p2's mean min-max score (75) beats k1's (50)
    assert [(t.code, t.regions) for t in issues] == [("p2", 3), ("k1", 3), ("p1", 2), ("k2", 1)]
    assert issues[1].share == 0.75
    assert [data.codes[i] for i in issues[1].top] == ["15.03", "15.02", "15.01"]  # highest values first
    assert "p3" not in [t.code for t in issues] and "c1" not in [t.code for t in issues]


def test_ties_broken_by_mean_indicator_score(mini):
    data = _mini_data(mini, [[0, 9, 0, 0, 80, 0],
                             [1, 0, 0, 0, 70, 0],
                             [1, 1, 0, 0, 60, 0]])
    issues = strategic_issues(compute(mini, data))
    # k1 and k2 both occur in 2 regions; min-max scores k1 (0, 100, 100) mean 66.7,
    # k2 (100, 0, 11.1) mean 37.0: k1 first; and the reverse when k2's mean is higher
    assert [t.code for t in issues] == ["k1", "k2"]
    data = _mini_data(mini, [[1, 9, 0, 0, 80, 0],
                             [0, 8, 0, 0, 70, 0],
                             [2, 0, 0, 0, 60, 0]])
    # k2 (100, 88.9, 0) mean 63.0 > k1 (50, 0, 100) mean 50
    assert [t.code for t in strategic_issues(compute(mini, data))] == ["k2", "k1"]


def test_shipped_recommendations_cover_every_indicator_of_ikp_2024():
    spec = load_spec("ikp-2024")
    rec = load_recommendations(RECOMMENDATIONS_DIR / "ikp-2024.yaml", spec)
    assert len(rec.actions) == 6  # Bawaslu's standard mitigation list
    for code in spec.tree.indicators:
        assert rec.for_node(spec, code), code
    # an indicator's own entry wins over its sub-dimension's
    assert [a.id for a in rec.for_node(spec, "i54")][0] == "patroli"
    assert [a.id for a in rec.for_node(spec, "i55")] == rec.issues["kampanye_calon"]
    assert rec.assumptions and rec.assumptions[0]["code"] == "mitigation-mapping"


def test_recommendations_file_errors_name_file_and_key(mini, tmp_path):
    bad = tmp_path / "contoh-mini.yaml"
    bad.write_text("actions:\n  - id: patroli\n    text: Patroli\nissues:\n  k9: [patroli]\n  k1: [ronda]\n",
                   encoding="utf-8")
    with pytest.raises(RawanError) as e:
        load_recommendations(bad, mini)
    msgs = e.value.render("id")
    assert e.value.keys == ["reports.recommendations_node", "reports.recommendations_unknown_action"]
    assert "contoh-mini.yaml" in msgs[0] and "'k9'" in msgs[0] and "'ronda'" in msgs[1]


def test_dimension_bars_are_stable_and_escape_labels():
    svg = dimension_bars([("A & B", 50.0, 25.0), ("C", float("nan"), float("nan"))], "id")
    assert svg == dimension_bars([("A & B", 50.0, 25.0), ("C", float("nan"), float("nan"))], "id")
    assert "A &amp; B" in svg and ">50,0<" in svg and svg.count("<rect") == 3  # 2 backgrounds + 1 bar


def test_numbers_use_decimal_comma_in_indonesian():
    assert num(1234.5, "id") == "1.234,50" and num(1234.5, "en") == "1,234.50" and num(float("nan"), "id") == "–"


# ---------------------------------------------------------------- infographics

@pytest.fixture(scope="module")
def kabkota(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return demo.build(load_spec("ikp-2024"), out)[0]


def test_edition_infographic_is_1080_by_1350_and_reproducible(kabkota, tmp_path):
    from PIL import Image

    a = build_infographic("ikp-2024", kabkota, out=tmp_path / "a.png", date=DATE)
    b = build_infographic("ikp-2024", kabkota, out=tmp_path / "b.png", date=DATE)
    assert a.read_bytes() == b.read_bytes()
    img = Image.open(io.BytesIO(a.read_bytes()))
    assert img.size == (1080, 1350)
    # the red DATA CONTOH band sits under the header
    assert img.convert("RGB").getpixel((540, 250)) == (0xb4, 0x23, 0x18) or \
        any(img.convert("RGB").getpixel((20, y)) == (0xb4, 0x23, 0x18) for y in range(150, 400))


def test_one_infographic_per_region(kabkota, tmp_path):
    paths = build_infographics("ikp-2024", kabkota, out_dir=tmp_path, date=DATE)
    assert len(paths) == 12 and paths[0].name == "infografik.png"
    assert {p.name for p in paths[1:]} == {f"infografik-{c}.png" for c, _ in demo.JAMBI_KABKOTA}


def test_unknown_region_is_a_user_error(kabkota, tmp_path):
    with pytest.raises(RawanError) as e:
        build_infographic("ikp-2024", kabkota, out=tmp_path / "x.png", region="15.99", date=DATE)
    assert e.value.keys == ["reports.unknown_region"] and not (tmp_path / "x.png").exists()


# ---------------------------------------------------------------- CLI

def test_cli_report_and_infographic(kabkota, tmp_path):
    code, out, err = rawan("report", "-m", "ikp-2024", "-d", str(kabkota), "-o", str(tmp_path / "l.html"),
                           "--date", DATE)
    assert code == 0 and "l.html" in out and (tmp_path / "l.html").exists()
    code, out, err = rawan("infographic", "-m", "ikp-2024", "-d", str(kabkota), "-o", str(tmp_path / "i.png"),
                           "--region", "15.71", "--date", DATE, "--lang", "en")
    assert code == 0 and "Wrote:" in out and "DATA CONTOH" in out and "rests on 9 rawan model assumptions" in out


def test_cli_bad_suffix_exits_2_in_the_users_language(kabkota, tmp_path):
    code, out, err = rawan("report", "-m", "ikp-2024", "-d", str(kabkota), "-o", str(tmp_path / "l.docx"), "--lang", "en")
    assert code == 2 and "Unknown report format for l.docx" in err


def test_report_of_a_model_without_category_rules(mini, tmp_path):
    from rawan.engine import spec_from_dict
    from rawan.reports import build_report, report_content

    raw = mini.model_dump(mode="json", exclude_none=True)
    raw["categories"] = []
    spec = spec_from_dict(raw)
    data = _mini_data(mini, [[1, 0, 4, 1, 80, 0], [2, 0, 0, 1, 70, 3], [3, 5, 0, 0, 60, 1]])
    c = report_content(spec, data, date=DATE)
    assert c["summary"]["counts"] == [] and "tidak punya aturan kategori" in c["summary"]["paragraphs"][0]
    assert all(p["category"] == "Tanpa kategori" for p in c["profiles"])
    # contoh-mini has no recommendations file: the standard list, without the issue mapping
    assert c["recommendations"]["items"] == [] and len(c["recommendations"]["standard"]) == 6
    assert build_report(spec, data, out=tmp_path / "r.pdf", date=DATE).stat().st_size > 0


def test_typst_reports_no_warnings(kabkota):
    """No unknown font, missing glyph or layout warning from typst, in both languages."""
    from rawan.reports import report_content
    from rawan.reports.pdf import typeset

    for lang in ("id", "en"):
        _, warnings = typeset("report.typ", report_content("ikp-2024", kabkota, lang=lang, date=DATE))
        assert warnings == []


def test_cutoffs_outside_the_scale_are_called_unreachable(mini):
    from rawan.engine import spec_from_dict
    from rawan.reports import report_content

    data = _mini_data(mini, [[1, 0, 4, 1, 80, 0], [2, 0, 0, 1, 70, 3], [3, 5, 0, 0, 60, 1]])
    assert not any("luar skala" in c for c in report_content(mini, data, date=DATE)["methodology"]["cutoffs"])
    raw = mini.model_dump(mode="json", exclude_none=True)
    raw["categories"][0]["cutoffs"] = [-5, 60]
    cuts = report_content(spec_from_dict(raw), data, date=DATE)["methodology"]["cutoffs"]
    assert [c for c in cuts if "luar skala" in c] == [
        "Sebuah batas berada di luar skala skor 0–100, jadi tidak ada wilayah yang dapat masuk kategori "
        "Rawan Rendah pada edisi ini."]


def test_render_to_bytes_for_the_web_app(kabkota, tmp_path):
    from rawan.reports import build_report, render_infographic, render_report

    html = render_report("ikp-2024", kabkota, fmt="html", date=DATE)
    assert html == build_report("ikp-2024", kabkota, out=tmp_path / "r.html", date=DATE).read_bytes()
    assert render_report("ikp-2024", kabkota, fmt="pdf", date=DATE).startswith(b"%PDF-")
    assert render_infographic("ikp-2024", kabkota, region="15.01", date=DATE).startswith(b"\x89PNG")
    with pytest.raises(RawanError) as e:
        render_report("ikp-2024", kabkota, fmt="docx")
    assert e.value.keys == ["reports.format"]


KABKOTA_CATEGORIES = {f"15.{k:02d}": "sedang" for k in range(1, 10)} | {"15.71": "tinggi", "15.72": "rendah"}


def test_report_maps_use_the_default_boundaries_without_regions_option(jambi_data):
    from rawan.reports.maps import MapMaker

    slot = MapMaker(None, "id", True).draw(KABKOTA_CATEGORIES, level="kabupaten_kota", mode="category")
    assert slot.svg is not None and slot.svg.count("data-code=") == 11
    assert "Peta petak" not in slot.svg  # drawn from the boundaries, not the tile grid


def test_report_maps_of_another_province_use_its_shipped_kabkota_boundaries_and_tiles_below():
    from rawan.regions import load_regions
    from rawan.reports.maps import MapMaker

    jabar = load_regions(province="32")
    kab = {r.code: "sedang" for r in jabar.at_level("kabupaten_kota")}
    maps = MapMaker(None, "id", True, codes=list(kab))
    assert maps.name_of("32.73") == "Kota Bandung"
    slot = maps.draw(kab, level="kabupaten_kota", mode="category")
    assert slot.svg.count("<path data-code=") == 27 and "Peta petak" not in slot.svg
    # no kecamatan boundaries of Jawa Barat are shipped: the tile grid, saying so
    kec = {r.code: "rendah" for r in jabar.at_level("kecamatan", parent="32.73")}
    slot = MapMaker(None, "id", True, codes=list(kec)).draw(kec, level="kecamatan", mode="category", parent="32.73")
    assert slot.svg.count("<rect data-code=") == len(kec) == 30 and "Peta petak" in slot.svg
