"""The published report: PDF (typst) and HTML say the same, in order, reproducibly, offline."""

from __future__ import annotations

import io
import math
import re

import numpy as np
import pytest

from rawan import demo
from rawan.engine import Dataset, RawanError, compute, load_spec, read_data
from rawan.reports import build_report, report_content

pypdf = pytest.importorskip("pypdf")
html5lib = pytest.importorskip("html5lib")

DATE = "2024-08-31"
SECTIONS_ID = ["Memahami Pemetaan Kerawanan", "Ringkasan Eksekutif", "Peta Kerawanan", "Peringkat Wilayah", "Dimensi", "Profil Wilayah",
               "Isu Strategis", "Tahapan Pemilihan", "Rekomendasi", "Metodologi", "Lampiran: Nilai Indikator", "Sumber Data dan Lisensi"]


@pytest.fixture(scope="module")
def spec():
    return load_spec("ikp-2024")


@pytest.fixture(scope="module")
def kabkota(spec, tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return demo.build(spec, out)[0]  # the kab/kota file


@pytest.fixture(scope="module")
def result(spec, kabkota):
    return compute(spec, read_data(kabkota, spec.tree.indicators))


@pytest.fixture(scope="module")
def pdf_path(spec, kabkota, tmp_path_factory):
    return build_report(spec, kabkota, out=tmp_path_factory.mktemp("pdf") / "laporan.pdf", date=DATE)


@pytest.fixture(scope="module")
def reader(pdf_path):
    return pypdf.PdfReader(pdf_path)


@pytest.fixture(scope="module")
def page_texts(reader):
    return [p.extract_text() for p in reader.pages]


def _expected_order(result) -> list[str]:
    s = result.score(result.index_code)
    return [result.names[i] for i in sorted(range(len(s)), key=lambda i: (-s[i], result.codes[i]))]


def _outline(reader):
    """[(title, page index, [children (title, page index)])] of the PDF bookmarks."""
    out = []
    items = reader.outline
    for k, item in enumerate(items):
        if isinstance(item, list):
            continue
        kids = items[k + 1] if k + 1 < len(items) and isinstance(items[k + 1], list) else []
        out.append((item.title, reader.get_destination_page_number(item),
                    [(c.title, reader.get_destination_page_number(c)) for c in kids if not isinstance(c, list)]))
    return out


def _text_runs(page) -> list[tuple[str, float]]:
    """(text, printed size in pt) of the text on a PDF page.  typst sets the text of an SVG map glyph by
    glyph; the glyphs are joined back into words (a glyph not right of the last one, as the fill drawn
    over its white halo, starts a new word).  The size is the font size times the text and page matrices."""
    out, cur, size, last_x = [], "", None, None

    def visit(text, cm, tm, _font, fs):
        nonlocal cur, size, last_x
        if not text:
            return
        a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
        c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
        s = round(fs * math.sqrt(abs(a * d - b * c)), 2)
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        new = last_x is not None and x < last_x + 0.01
        last_x = x
        if s != size or new or text[0] in " \n":
            if cur.strip():
                out.append((cur.strip(), size))
            cur, size = "", s
        cur += text

    page.extract_text(visitor_text=visit)
    if cur.strip():
        out.append((cur.strip(), size))
    return out


def _numbers_printed(page, n: int) -> float:
    """The smallest printed size (pt) of the whole numbers on ``page``, which must show each of 1..n."""
    sizes: dict[int, list[float]] = {}
    for t, s in _text_runs(page):
        if t.isdigit() and 1 <= int(t) <= n:
            sizes.setdefault(int(t), []).append(s)
    assert set(sizes) == set(range(1, n + 1)), sorted(set(range(1, n + 1)) - set(sizes))
    return min(min(v) for v in sizes.values())


# ---------------------------------------------------------------- PDF

def test_pdf_has_table_of_contents_and_every_section_in_order(reader, page_texts):
    titles = [t for t, _, _ in _outline(reader)]
    assert titles == SECTIONS_ID
    toc = page_texts[1]
    assert "Daftar Isi" in toc
    positions = [toc.index(t) for t in SECTIONS_ID]
    assert positions == sorted(positions)
    pages = [p for _, p, _ in _outline(reader)]
    assert pages == sorted(pages)
    for title, page, _ in _outline(reader):  # the TOC's page numbers are the real ones
        assert re.search(re.escape(title) + r"[ .\u2060]*" + str(page + 1) + r"\b", toc), title


def test_pdf_one_page_per_region_in_rank_order(reader, page_texts, result):
    sections = {t: (p, kids) for t, p, kids in _outline(reader)}
    start, kids = sections["Profil Wilayah"]
    end = sections["Isu Strategis"][0]
    assert end - start == len(result.codes)  # exactly one page per region
    assert [p for _, p in kids] == list(range(start, end))
    names = [t.split(" (")[0] for t, _ in kids]
    assert names == _expected_order(result)
    for (title, p) in kids:
        assert title.split(" (")[0] in page_texts[p]


def test_pdf_ranking_table_in_rank_order(reader, page_texts, result):
    p = dict((t, p) for t, p, _ in _outline(reader))["Peringkat Wilayah"]
    text = page_texts[p]
    found = [text.index(n) for n in _expected_order(result)]
    assert found == sorted(found)
    # the scores printed next to the names are the computed ones, with a decimal comma
    s = result.score(result.index_code)
    top = int(np.nanargmax(s))
    assert f"{s[top]:.2f}".replace(".", ",") in text
    # the last column gives the page of each region's profile
    kids = dict((t.split(" (")[1].rstrip(")"), page) for t, page in
                {t: (p, k) for t, p, k in _outline(reader)}["Profil Wilayah"][1])
    for code, page in kids.items():
        m = re.search(re.escape(code) + r"\b.*?%\s*(\d+)", text, re.S)
        assert m and int(m.group(1)) == page + 1, code


def test_pdf_marks_synthetic_data_on_every_page(page_texts):
    assert all("DATA CONTOH" in t for t in page_texts)


def test_pdf_states_the_model_assumptions(page_texts, spec):
    """Every assumption is stated in words, numbered (A1, A2, ...), not by its code."""
    text = re.sub(r"\s+", " ", " ".join(page_texts))
    for k, a in enumerate(spec.assumptions, 1):
        assert f"A{k} — " in text
        assert " ".join(a.text.id.split())[:40] in text


def test_pdf_no_text_outside_its_page(reader):
    for k, page in enumerate(reader.pages):
        box = page.mediabox
        w, h = float(box.width), float(box.height)
        bad = []

        def visit(text, cm, tm, font, size, _bad=bad, _w=w, _h=h):
            if not text.strip():
                return
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            if not (-0.5 <= x <= _w and -0.5 <= y <= _h):
                _bad.append((text, x, y))

        page.extract_text(visitor_text=visit)
        assert not bad, f"page {k + 1}: {bad[:3]}"


def test_pdf_fonts_embedded_and_fixed(reader):
    fonts = set()
    for page in reader.pages[:6]:
        for f in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(f.startswith("DejaVuSans") for f in fonts), fonts


def test_pdf_reproducible_without_creation_date(spec, kabkota, pdf_path, tmp_path):
    again = build_report(spec, kabkota, out=tmp_path / "lagi.pdf", date=DATE)
    assert again.read_bytes() == pdf_path.read_bytes()
    assert b"/CreationDate" not in again.read_bytes()


# ---------------------------------------------------------------- HTML

@pytest.fixture(scope="module")
def html_text(spec, kabkota, tmp_path_factory):
    return build_report(spec, kabkota, out=tmp_path_factory.mktemp("html") / "laporan.html",
                        date=DATE).read_text(encoding="utf-8")


def test_html_parses_strictly(html_text):
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html_text)


def test_html_makes_no_external_requests(html_text):
    tree = html5lib.parse(html_text, namespaceHTMLElements=False)
    assert not tree.findall(".//img") and not tree.findall(".//link") and not tree.findall(".//iframe")
    assert not [s for s in tree.findall(".//script") if s.get("src")]
    for el in tree.iter():
        for attr in ("src", "href", "srcset", "data", "poster", "action"):
            v = el.get(attr)
            assert v is None or v.startswith("#"), (el.tag, attr, v)
    for style in tree.findall(".//style"):
        assert "url(" not in (style.text or "") and "@import" not in (style.text or "")
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", html_text)
    assert 'xlink:href="http' not in html_text


def test_html_reproducible(spec, kabkota, html_text, tmp_path):
    again = build_report(spec, kabkota, out=tmp_path / "lagi.html", date=DATE)
    assert again.read_text(encoding="utf-8") == html_text


def test_html_has_every_section_and_one_profile_per_region(html_text, result):
    for title in SECTIONS_ID:
        assert f">{title}</h2>" in html_text
    tree = html5lib.parse(html_text, namespaceHTMLElements=False)
    profiles = [a for a in tree.iter("article") if "profile" in (a.get("class") or "")]
    assert [a.get("id") for a in profiles] == ["r-" + result.codes[result.names.index(n)] for n in _expected_order(result)]
    for a in profiles:
        assert "DATA CONTOH" in "".join(a.itertext())


def test_english_report(spec, kabkota, tmp_path):
    text = build_report(spec, kabkota, out=tmp_path / "report.html", lang="en", date=DATE).read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "Executive Summary" in text and "31 August 2024" in text
    assert ">Ringkasan Eksekutif</h2>" not in text and "Profil Wilayah" not in text


# ---------------------------------------------------------------- content

def test_summary_counts_and_top_regions_match_the_result(spec, kabkota, result):
    c = report_content(spec, kabkota, date=DATE)
    cat = result.categories[result.index_code]
    labels = [cat.label_of(i) for i in range(len(result.codes))]
    assert {x["cat"]: x["n"] for x in c["summary"]["counts"]} == {k: labels.count(k) for k in ("tinggi", "sedang", "rendah")}
    assert [t["name"] for t in c["summary"]["top"]] == _expected_order(result)[:5]
    assert c["synthetic"] and c["date"] == "31 Agustus 2024"


def test_previous_edition_shows_rank_changes(spec, kabkota, result, tmp_path):
    data = read_data(kabkota, spec.tree.indicators)
    values = data.values.copy()
    top = result.region(result.codes[int(np.nanargmax(result.score(result.index_code)))])
    values[top] = 0.0  # last edition the current top region had no events at all
    prev = Dataset(codes=data.codes, columns=data.columns, values=values, names=data.names, synthetic=True)
    c = report_content(spec, kabkota, previous=prev, date=DATE)
    row = c["ranking"]["rows"][0]
    prev_rank = int(compute(spec, prev).rank()[top])
    assert row["prev_rank"] == str(prev_rank) and row["move"] == f"▲{prev_rank - 1}"
    assert "Naik" in c["profiles"][0]["previous"]


def test_previous_edition_must_be_of_the_same_level(spec, kabkota, jambi_data, tmp_path):
    files = demo.build(spec, tmp_path, regions=jambi_data)
    kec = next(f for f in files if "kecamatan" in f.name)
    with pytest.raises(RawanError) as e:
        report_content(spec, kabkota, previous=kec, date=DATE)
    assert "reports.previous_level" in e.value.keys and "jambi-kecamatan.csv" in e.value.render("id")[0]


def test_bad_format_and_date_are_user_errors(spec, kabkota, tmp_path):
    with pytest.raises(RawanError) as e:
        build_report(spec, kabkota, out=tmp_path / "laporan.docx")
    assert e.value.keys == ["reports.format"] and not (tmp_path / "laporan.docx").exists()
    with pytest.raises(RawanError) as e:
        build_report(spec, kabkota, out=tmp_path / "laporan.html", date="31-08-2024")
    assert e.value.keys == ["reports.bad_date"] and not (tmp_path / "laporan.html").exists()


def test_kecamatan_report_names_parents(spec, jambi_data, tmp_path):
    kec = next(f for f in demo.build(spec, tmp_path, regions=jambi_data) if "kecamatan" in f.name)
    c = report_content(spec, kec, regions=jambi_data, date=DATE)
    assert c["place"] == "Provinsi Jambi" and len(c["profiles"]) == 144
    p = next(p for p in c["profiles"] if p["code"].startswith("15.01."))
    assert p["parent"] == "Kabupaten Kerinci"
    assert math.isclose(sum(x["n"] for x in c["summary"]["counts"]), 144)


def test_robustness_adds_rank_ranges_and_class_stability(spec, kabkota, result):
    from rawan.engine import uncertainty

    ua = uncertainty(spec, result.data, runs=200, seed=3, nominal=result)
    c = report_content(spec, kabkota, uncertainty=ua, date=DATE)
    t = ua.table
    assert c["ranking"]["robust"] and any("1000" not in m and "200 kali" in m for m in c["methodology"]["methods"])
    for row, prof in zip(c["ranking"]["rows"], c["profiles"]):
        i = list(t["code"]).index(row["code"])
        lo, hi = int(math.floor(t["rank_p05"][i] + 1e-9)), int(math.ceil(t["rank_p95"][i] - 1e-9))
        assert row["range"] == f"{lo}–{hi}" and prof["robust"]["lo"] == str(lo)
        assert prof["robust"]["stability"] == f"{round(100 * t['class_stability'][i])}%"
    # a number of runs works too, and is reproducible through the seed
    assert report_content(spec, kabkota, uncertainty=200, seed=3, date=DATE)["profiles"] == c["profiles"]


# ---------------------------------------------------------------- maps (the shipped boundaries)

def test_maps_are_vector_graphics_and_carry_the_attribution(spec, kabkota, jambi_data, tmp_path):
    pdf = build_report(spec, kabkota, out=tmp_path / "peta.pdf", regions=jambi_data, date=DATE)
    reader = pypdf.PdfReader(pdf)
    sections = {t: p for t, p, _ in _outline(reader)}
    page = reader.pages[sections["Peta Kerawanan"]]
    text = page.extract_text()
    assert "idn-area-data" in text and "cahyadsn/wilayah_boundaries" in text and "DATA CONTOH" in text

    def images(obj):
        res = obj.get("/Resources") or {}
        out = 0
        for x in (res.get("/XObject") or {}).values():
            x = x.get_object()
            out += 1 if x.get("/Subtype") == "/Image" else images(x)
        return out

    assert images(page) == 0  # the map is drawn with paths, not pasted as a picture
    assert len(page.get_contents().get_data()) > 20_000
    html = build_report(spec, kabkota, out=tmp_path / "peta.html", regions=jambi_data, date=DATE).read_text("utf-8")
    assert html.count("<svg") >= 1 + 4 + 11 + 11  # province, 4 dimensions, 11 locators, 11 bar charts
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # every map's patterns and gradients have ids of their own
    for ref in re.findall(r"url\(#([^)]+)\)", html):
        assert ref in ids


def test_long_tables_repeat_their_header_across_pages(spec, jambi_data, tmp_path):
    kec = next(f for f in demo.build(spec, tmp_path, regions=jambi_data) if "kecamatan" in f.name)
    reader = pypdf.PdfReader(build_report(spec, kec, out=tmp_path / "kec.pdf", date=DATE))
    sections = {t: (p, kids) for t, p, kids in _outline(reader)}

    class Lazy(dict):  # text of the pages looked at only
        def __missing__(self, p):
            self[p] = reader.pages[p].extract_text()
            return self[p]

    texts = Lazy()
    start, end = sections["Peringkat Wilayah"][0], sections["Dimensi"][0]
    assert end - start >= 3  # 144 rows do not fit on one page
    for p in range(start, end):
        assert re.search(r"#\s*Kode\s*Wilayah\s*(Kab/kota\s*)?Skor\s*Kategori", texts[p]), p + 1
    annex, last = sections["Lampiran: Nilai Indikator"][0], sections["Sumber Data dan Lisensi"][0]
    for p in (annex + 1, (annex + last) // 2, last - 1):  # pages inside the annex, not its first
        assert "Kode" in texts[p] and "Wilayah" in texts[p] and re.search(r"i\d\d", texts[p]), p + 1
    # one page per kecamatan
    p0, kids = sections["Profil Wilayah"]
    assert len(kids) == 144 and sections["Isu Strategis"][0] - p0 == 144
    # the kecamatan map names every kecamatan (numbers on the map, a key of names under it, as text)
    m0 = sections["Peta Kerawanan"][0]
    map_text = " ".join(texts[p] for p in range(m0, sections["Peringkat Wilayah"][0]))
    assert "Nomor pada peta" in map_text and "Berbak" in map_text and "Kabupaten Tanjung Jabung Timur" in map_text
    # readable at print size: the numbered map fills a landscape page and every number (1..144) prints
    # at 6 pt or more, the kab/kota names larger; so do the four dimension maps, on the same numbers
    page = reader.pages[m0]
    assert page.mediabox.width > page.mediabox.height
    assert _numbers_printed(page, 144) >= 6.0
    assert min(s for t, s in _text_runs(page) if t == "Sarolangun") >= 7.5
    d0 = sections["Dimensi"][0]
    wide = [p for p in range(d0, sections["Profil Wilayah"][0])
            if reader.pages[p].mediabox.width > reader.pages[p].mediabox.height]
    assert len(wide) == 4
    for p in wide:
        assert _numbers_printed(reader.pages[p], 144) >= 6.0, p + 1
    # the locator map of a profile: the kecamatan names around Berbak print at 6 pt or more
    berbak = next(p for t, p in kids if t.startswith("Berbak"))
    runs = _text_runs(reader.pages[berbak])
    for name in ("Sadu", "Geragai", "Dendang"):
        assert [s for t, s in runs if t == name] and min(s for t, s in runs if t == name) >= 6.0, name
    # a kab/kota column beside the kecamatan names: "Kota Baru" (Kota Jambi) is told from "Koto Baru"
    assert re.search(r"Kota Baru\s*Kota Jambi", " ".join(texts[p] for p in range(start, end)))


def test_longest_region_page_still_fits_one_page(spec, kabkota, result, tmp_path):
    """With the previous edition and robustness lines every region page still holds on one page."""
    from rawan.engine import uncertainty

    ua = uncertainty(spec, result.data, runs=100, seed=1, nominal=result)
    pdf = build_report(spec, result, out=tmp_path / "full.pdf", previous=kabkota, uncertainty=ua, date=DATE)
    reader = pypdf.PdfReader(pdf)
    sections = {t: (p, kids) for t, p, kids in _outline(reader)}
    start, kids = sections["Profil Wilayah"]
    assert sections["Isu Strategis"][0] - start == len(result.codes) == len(kids)
    text = reader.pages[start].extract_text()
    assert "Edisi sebelumnya" in text and "Rentang peringkat" in text


def test_launch_book_parts_framing_orgs_and_sambutan(spec, kabkota, tmp_path):
    """The framing chapter (Pemilu basis by default, Pilkada on request), the foreword from a file and
    the recommendations per organisation of roles.md, tied to this edition's strategic issues."""
    from rawan.reports import report_content

    sambutan = tmp_path / "sambutan.txt"
    sambutan.write_text("# Sambutan Ketua\n\nParagraf pertama.\nmasih paragraf pertama.\n\nParagraf kedua.\n--\nKetua\nBawaslu Provinsi Jambi\n",
                        encoding="utf-8")
    c = report_content(spec, kabkota, date=DATE, sambutan=sambutan)
    assert c["sambutan"] == {"title": "Sambutan Ketua", "paragraphs": ["Paragraf pertama. masih paragraf pertama.",
                                                                        "Paragraf kedua."],
                             "signature": ["Ketua", "Bawaslu Provinsi Jambi"]}
    law = " ".join(p for s in c["framing"]["sections"] for p in s["paragraphs"])
    assert "Nomor 7 Tahun 2017" in law and "Nomor 10 Tahun 2016" not in law
    pil = report_content(spec, kabkota, date=DATE, election="pilkada")
    law = " ".join(p for s in pil["framing"]["sections"] for p in s["paragraphs"])
    assert "Nomor 10 Tahun 2016" in law
    orgs = {o["code"]: o for o in c["recommendations"]["orgs"]}
    assert set(orgs) == {"bawaslu-prov", "bawaslu-kab", "kpu", "polri", "tni", "pemda", "parpol", "media", "masyarakat"}
    assert orgs["bawaslu-kab"]["own"] and not orgs["kpu"]["own"]
    issues = {t["name"] for t in c["issues"]["rows"]}
    related = {x for o in orgs.values() for x in o["issues"]}
    assert related and related <= issues


def _fake_robustness(result, stability: dict[str, float]):
    """An uncertainty result as rawan.engine.uncertainty returns it (its table), with chosen stabilities."""
    from types import SimpleNamespace

    import numpy as np

    rank = result.rank()
    return SimpleNamespace(runs=100, seed=1, table={
        "code": list(result.codes), "rank_p05": np.maximum(rank - 1, 1), "rank_p95": rank + 1,
        "class_stability": np.array([stability.get(c, 1.0) for c in result.codes])})


def test_unstable_categories_where_decisions_are_made(spec, result, tmp_path):
    """A stability column in the ranking, unstable classes dashed on every category map and named in the
    summary and the infographic; without robustness the summary says none was run."""
    from rawan.reports import render_report, report_content
    from rawan.reports.infographic import infographic_data
    from rawan.reports.maps import MapMaker

    weak = result.codes[3]
    ua = _fake_robustness(result, {weak: 0.42})
    c = report_content(spec, result, date=DATE, uncertainty=ua)
    rows = {r["code"]: r for r in c["ranking"]["rows"]}
    assert rows[weak]["stability"] == "42%" and rows[weak]["unstable"] and not rows[result.codes[0]]["unstable"]
    assert any("kurang stabil" in p and result.names[3] in p and "42%" in p for p in c["summary"]["paragraphs"])
    assert 'data-unstable="1"' in c["province_map"]["svg"] and "Kategori kurang stabil (1)" in c["province_map"]["svg"]
    assert all('data-unstable="1"' in p["map"]["svg"] for p in c["profiles"] if p["map"]["svg"])
    doc = infographic_data(result, maps=MapMaker(None, "id", True, codes=result.codes), region=None, lang="id",
                           title=None, date=DATE, uncertainty=ua)
    assert result.names[3] in doc["stability"] and 'data-unstable="1"' in doc["map"]["svg"]
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render_report(spec, result, date=DATE,
                                                                                       uncertainty=ua))).pages)
    assert "Stabilitas" in text and "42% !" in text
    plain = report_content(spec, result, date=DATE)
    assert any("tidak dijalankan" in p for p in plain["summary"]["paragraphs"])
    assert 'data-unstable' not in plain["province_map"]["svg"]


def test_indonesian_book_never_prints_method_or_assumption_codes(spec, page_texts):
    """Assumptions and methods in prose from the model's Indonesian labels, never their codes as spelt
    (equal-indicator-weights, goalposts, arithmetic, otoritas_penyelenggara_pemilu, ...), and typographic
    symbols instead of '+/-' and '->'."""
    from rawan.engine.methods import REGISTRY

    text = re.sub(r"\s+", " ", " ".join(page_texts))
    codes = {a.code for a in spec.assumptions} | {spec.weights_assumption}
    codes |= {n.code for n in spec.hierarchy if n.type == "aggregate" and "_" in n.code}
    codes |= {m for reg in REGISTRY.values() for m in reg if m not in ("median", "min", "max")}
    codes |= {"mitigation-mapping", "organisation-mapping", "minmax-normalisation"}
    found = sorted(c for c in codes if re.search(r"(?<![\w-])" + re.escape(c) + r"(?![\w-])", text))
    assert found == []
    assert "+/-" not in text and " -> " not in text
    assert "±" in text  # the model's rule note, typeset
    assert "asumsi A" in text  # assumptions referred to by their number in the list


# English that leaked into the Indonesian book before (source titles, the recipe's keys); whole words
LEAKED_ENGLISH = ["slide", "slides", "deck", "third-party", "copy", "copies", "commit", "fragments", "pp.", "FAQ",
                  "model_version", "spec_sha256", "data_sha256", "rawan_version", "region_level", "kabupaten_kota",
                  "none", "arithmetic", "minmax", "the", "of", "and", "with"]


def test_indonesian_demo_book_has_no_english_that_leaked_before(spec, page_texts):
    """Sources carry an Indonesian description in the Indonesian book (the English one in the English
    book); the recipe is labelled in the reader's language."""
    text = re.sub(r"\s+", " ", " ".join(page_texts))
    found = sorted(w for w in LEAKED_ENGLISH if re.search(r"(?<![\w/.-])" + re.escape(w) + r"(?![\w/-])", text,
                                                          re.IGNORECASE))
    assert found == []
    assert "bahan paparan, 27 salindia; salinan pihak ketiga" in text and "Versi model" in text


def test_english_book_keeps_the_english_source_descriptions(spec, result):
    from rawan.reports import report_content

    c = report_content(spec, result, date=DATE, lang="en")
    titles = [s["title"] for s in c["methodology"]["sources"]]
    assert "Bawaslu RI, IKP Pemilu dan Pemilihan Serentak 2024 (slide deck, 27 slides; third-party copy)" in titles
    assert ["Region level", "regencies/cities"] in c["recipe"]


def test_dimension_maps_share_one_scale_and_bars_are_not_category_coloured(spec, result):
    from rawan.reports import report_content
    from rawan.regions.palette import CATEGORY_COLOURS, DIMENSION_RAMP

    c = report_content(spec, result, date=DATE)
    legends = [re.findall(r'text-anchor="(?:start|end)" fill="#1A1A1A">([^<]+)<', d["map"]["svg"]) for d in c["dimensions"]]
    assert all(lg[:2] == ["0,0", "100,0"] for lg in legends), legends
    assert all(DIMENSION_RAMP[-1] in d["map"]["svg"] for d in c["dimensions"])
    for p in c["profiles"]:
        assert not any(col in p["chart"] for col in CATEGORY_COLOURS.values())
    assert all("Sumber: " in d["map"]["svg"] for d in c["dimensions"])  # the source and edition line
    assert "Sumber: " in c["province_map"]["svg"]


def test_tps_chapter_in_a_computed_book(spec, result):
    from rawan.engine import RawanError
    from rawan.reports import render_report, report_content

    c = report_content(spec, result, date=DATE, tps="jambi-pilkada-2024")
    assert c["tps"]["rows"][0]["tps"] == "1.834" and "dijumlahkan" in c["tps"]["overlap"]
    assert report_content(spec, result, date=DATE)["tps"] is None
    html = render_report(spec, result, fmt="html", date=DATE, tps="jambi-pilkada-2024").decode()
    assert 'id="tps"' in html and "Pemilih disabilitas terdaftar di DPT" in html
    with pytest.raises(RawanError):
        report_content(spec, result, date=DATE, tps="tidak-ada")


def test_stages_chapter_of_a_computed_book(spec, result, page_texts):
    """The model's own stages (tahapan), named from the model file; ikp-2024 maps no indicator to a
    stage, so the book says it carries no per-stage scores; event counts by stage when given."""
    from rawan.reports import render_report, report_content

    text = re.sub(r"\s+", " ", " ".join(page_texts))
    assert "Tahapan Pemilihan" in text and "tidak memuat skor per tahapan" in text
    for st in spec.stages:
        assert st.name.get("id") in text
    assert "tanpa catatan kejadian" in text  # the CLI book has no event records, and says so
    events = {"counts": {"kampanye": 3, "pungut-hitung": 2}, "unstaged": 1, "last": "2024-11-27"}
    c = report_content(spec, result, date=DATE, lang="en", stage_events=events)
    assert "Verified events recorded since the map's publication: 6 (1 without a stage)" in c["stages"]["intro"]
    by = {s["name"]: s["items"] for s in c["stages"]["items"]}
    assert "3 verified events since publication." in by["Campaign"]
    assert "0 verified events since publication." in by["Nomination"]
    assert any("after the vote" in x for x in by["Voting and counting"])  # the model's voting stage
    html = render_report(spec, result, fmt="html", date=DATE, stage_events=events).decode()
    assert 'id="tahapan"' in html and "3 kejadian terverifikasi sejak publikasi." in html


def test_stages_chapter_names_the_parts_a_model_maps_to_a_stage(tmp_path):
    """Only a model file that maps parts of the index to a stage gets them named; an unknown code is refused."""
    import yaml

    from rawan.reports.sections import stages

    from .conftest import EXAMPLE_MODEL

    raw = yaml.safe_load(EXAMPLE_MODEL.read_text(encoding="utf-8"))
    dims = [n["code"] for n in raw["hierarchy"] if n.get("parent") == raw["hierarchy"][0]["code"]]
    raw["stages"] = [{"code": "kampanye", "name": {"id": "Kampanye", "en": "Campaign"}, "nodes": [dims[0]]},
                     {"code": "pungut-hitung", "name": {"id": "Pungut hitung", "en": "Voting"}}]
    path = tmp_path / "bertahap.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    spec = load_spec(path)
    st = stages(spec, "id")
    assert "memetakan bagian indeks ke tahapan" in st["intro"]
    name = spec.node(dims[0]).name.get("id")
    assert st["items"][0]["items"] == [f"Bagian indeks pada tahapan ini: {name} ({dims[0]})"]
    assert st["items"][1]["items"] == []
    raw["stages"][0]["nodes"] = ["tidak-ada"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RawanError, match="tidak-ada"):
        load_spec(path)
