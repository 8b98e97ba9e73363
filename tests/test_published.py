"""Results-only editions: the real published tables become a book, an infographic and maps.

The Jambi table is the 11 rows of Pemetaan Kerawanan Pilkada 2024 as published (domain.md §4.3),
shipped in src/rawan/data/terbit; the national one the 34 IKP 2024 province scores (§4.1).
"""

from __future__ import annotations

import io
import re

import pytest

from rawan.cli import main
from rawan.engine import RawanError
from rawan.intake.published import load_published, looks_published, read_published_table
from rawan.vocabulary import UnknownCategory, read_category

pypdf = pytest.importorskip("pypdf")

JAMBI = [  # name, score as printed in the book, published class
    ("Sarolangun", "26,05", "Rawan Tinggi"), ("Kota Jambi", "22,30", "Rawan Tinggi"),
    ("Tanjung Jabung Barat", "20,73", "Rawan Sedang"), ("Merangin", "15,19", "Rawan Sedang"),
    ("Batanghari", "15,00", "Rawan Sedang"), ("Tebo", "10,00", "Rawan Sedang"),
    ("Muaro Jambi", "6,91", "Rawan Sedang"), ("Kota Sungai Penuh", "6,51", "Rawan Sedang"),
    ("Kerinci", "6,32", "Rawan Sedang"), ("Tanjung Jabung Timur", "6,32", "Rawan Sedang"),
    ("Bungo", "2,30", "Rawan Rendah"),
]


def _text(pdf: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("cell,code", [("Rawan Tinggi", "tinggi"), ("rawan tinggi", "tinggi"), ("TINGGI", "tinggi"),
                                       ("  Rawan   Sedang ", "sedang"), ("rendah", "rendah"), ("Rendah", "rendah"),
                                       ("High vulnerability", "tinggi"), ("rawan_sedang", "sedang"), ("", None)])
def test_one_category_reader(cell, code):
    assert read_category(cell) == code


def test_abbreviations_only_where_declared():
    with pytest.raises(UnknownCategory):
        read_category("RT")
    assert read_category("RT", {"RT": "tinggi"}) == "tinggi"
    assert read_category("rs", {"RS": "Rawan Sedang"}) == "sedang"
    with pytest.raises(UnknownCategory):
        read_category("sangat tinggi")


def test_real_jambi_table_reads_as_published():
    pub = load_published("pilkada-2024-jambi")
    assert pub.level == "kabupaten_kota" and pub.election == "pilkada"
    assert [(r.code, r.score, r.category, r.rank) for r in pub.rows][:2] == [
        ("15.03", 26.05, "tinggi", 1), ("15.71", 22.3, "tinggi", 2)]
    assert [r.rank for r in pub.rows][-3:] == [9, 9, 11]
    assert pub.counts() == {"tinggi": 2, "sedang": 8, "rendah": 1}
    # the province figure: two sources disagree (41,63 and 41,36), both kept with their sources
    assert sorted(f.score for f in pub.figures) == [41.36, 41.63]
    assert {s for f in pub.figures for s in f.sources} >= {"tribunjambi", "infojambi"}


def test_bare_table_ranks_ties_as_computed(tmp_path):
    p = tmp_path / "hasil.csv"
    p.write_text("kode;nama;skor;kategori\n15.01;A;10,5;RT\n15.02;B;10,5;Rawan Sedang\n15.03;C;3;rendah\n",
                 encoding="utf-8")
    with pytest.raises(RawanError) as e:
        read_published_table(p)
    msg = " ".join(e.value.render("id"))
    assert "hasil.csv" in msg and "baris 2" in msg and "kategori" in msg and "RT" in msg
    pub = read_published_table(p, aliases={"RT": "tinggi"})
    assert [(r.code, r.rank, r.category) for r in pub.rows] == [("15.01", 1, "tinggi"), ("15.02", 1, "sedang"),
                                                                ("15.03", 3, "rendah")]
    assert looks_published(p) and not looks_published(p, indicators=("skor",))


def test_bad_score_names_row_and_column(tmp_path):
    p = tmp_path / "hasil.csv"
    p.write_text("code,name,score,category\n15.01,A,sepuluh,tinggi\n", encoding="utf-8")
    with pytest.raises(RawanError) as e:
        read_published_table(p)
    msg = " ".join(e.value.render("en"))
    assert "row 2" in msg and "score" in msg and "sepuluh" in msg


def test_jambi_book_names_every_kabkota_with_class_score_and_sources():
    from rawan.reports import render_published_report

    text = _text(render_published_report("pilkada-2024-jambi", date="2024-08-31"))
    ranking = text[text.index("Peringkat Wilayah # Kode"):]
    for name, score, cat in JAMBI:
        assert re.search(re.escape(name) + r".{0,40}?" + re.escape(score) + r" " + cat, ranking), name
    # the province figure with its sources, both values shown
    assert "41,63" in text and "41,36" in text
    assert "Tribun Jambi" in text and "Jambi Independent" in text
    assert "Sumber tidak sepakat" in text
    # the framing chapter of a Pilkada book, and no stability analysis (said, not hidden)
    assert "Memahami Pemetaan Kerawanan" in text and "Kamtibmas" in text
    assert "Undang-Undang Nomor 10 Tahun 2016" in text and "deteksi dini" in text.lower()
    assert "tidak ada analisis ketahanan" in text


def test_jambi_infographic_lists_every_kabkota(tmp_path):
    from rawan.reports.maps import MapMaker
    from rawan.reports.published import published_infographic_data
    from rawan.reports import render_published_infographic

    pub = load_published("pilkada-2024-jambi")
    doc = published_infographic_data(pub, maps=MapMaker(None, "id", False, codes=pub.codes), lang="id", title=None,
                                     date="2024-08-31")
    listed = {(r["name"].replace("Kabupaten ", ""), r["score"], r["category"]) for r in doc["top"]}
    assert listed == set(JAMBI)
    png = render_published_infographic(pub, date="2024-08-31")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_category_map_of_the_real_table_from_the_cli(tmp_path):
    table = load_published("pilkada-2024-jambi")
    src = tmp_path / "pilkada.csv"
    from rawan.intake.published import SHIPPED

    src.write_bytes((SHIPPED / "pilkada-2024-jambi.csv").read_bytes())
    out = tmp_path / "peta.svg"
    assert main(["map", "--result", str(src), "--column", "category", "--out", str(out)]) in (0, None)
    svg = out.read_text(encoding="utf-8")
    assert svg.count('data-value="tinggi"') == 2 and svg.count('data-value="rendah"') == 1
    # through the edition: each region's title names it, its published class and score
    out2 = tmp_path / "peta2.svg"
    assert main(["map", "--result", "pilkada-2024-jambi", "--out", str(out2)]) in (0, None)
    svg2 = out2.read_text(encoding="utf-8")
    for name, score, cat in JAMBI:
        assert re.search(re.escape(name) + r"[^<]*: " + cat + r" · Skor " + re.escape(score), svg2), name
    assert "sumber: Bawaslu Provinsi Jambi" in svg2 and len(table.rows) == 11


def test_cli_report_without_model_needs_a_published_table(tmp_path, capsys):
    data = tmp_path / "nilai.csv"
    data.write_text("code,name,i01\n15.01,A,1\n", encoding="utf-8")
    rc = main(["report", "--data", str(data), "--out", str(tmp_path / "x.pdf")])
    assert rc not in (0, None)
    assert "--model" in capsys.readouterr().err
    out = tmp_path / "buku.pdf"
    assert main(["report", "--data", "pilkada-2024-jambi", "--out", str(out), "--date", "2024-08-31"]) in (0, None)
    assert out.read_bytes()[:4] == b"%PDF"


def test_national_province_edition_with_papua_split(tmp_path):
    pub = load_published("ikp-2024-provinsi")
    assert len(pub.rows) == 34 and pub.counts() == {"tinggi": 5, "sedang": 21, "rendah": 8}
    assert [n["code"] for n in pub.no_score] == ["93", "94", "95", "96"]
    out = tmp_path / "indonesia.svg"
    assert main(["map", "--result", "ikp-2024-provinsi", "--out", str(out)]) in (0, None)
    svg = out.read_text(encoding="utf-8")
    assert "Tidak ada skor terpisah (4)" in svg
    assert len(re.findall(r'data-code="9[3-6]"[^>]*data-value=""', svg)) == 4
    from rawan.reports import render_published_report

    text = _text(render_published_report(pub, date="2024-08-31"))
    assert "Tidak ada skor terpisah" in text and "pemekaran 2022" in text
    assert "Undang-Undang Nomor 7 Tahun 2017" in text and "Pasal 94" in text
    assert "Tidak ada skor atau kelas tingkat nasional" in text


def test_pilkada_book_has_stages_tps_chapter_and_recommendations_per_organisation():
    from rawan.reports import published_report_content

    c = published_report_content("pilkada-2024-jambi", date="2024-08-31")
    assert [s["name"] for s in c["stages"]["items"]][:2] == ["Pemungutan dan penghitungan suara", "Kampanye"]
    tps = c["tps"]
    assert tps["rows"][0]["tps"] == "1.834" and "Kabupaten Kerinci" in tps["rows"][0]["where"]
    assert "tidak boleh dijumlahkan" in tps["overlap"]
    assert {o["code"] for o in c["recommendations"]["orgs"]} >= {"kpu", "polri", "media"}
    # the national edition has no stages and no TPS mapping: no empty chapters
    n = published_report_content("ikp-2024-provinsi", date="2024-08-31")
    assert n["stages"] is None and n["tps"] is None


def test_published_book_of_one_kabkota_through_parent():
    from rawan.reports import published_report_content

    c = published_report_content("pilkada-2024-jambi", date="2024-08-31", parent="15.03")
    assert [r["code"] for r in c["ranking"]["rows"]] == ["15.03"] and c["ranking"]["rows"][0]["rank"] == "1"
    with pytest.raises(RawanError):
        published_report_content("pilkada-2024-jambi", parent="16.01")


def test_mitigation_register_goes_into_the_book():
    """The web app's register (rawan.web.mitigation.services.register_for_book) shown per organisation and
    region with the organisation's own follow-up; an empty register leaves the model's mapping alone."""
    import datetime

    from rawan.reports import published_report_content, render_published_report

    reg = {"empty": False, "recommendations": [{"organisation": "Polres Sarolangun", "kind": "Polda / Polres", "regions": [
        {"code": "15.03", "name": "Kabupaten Sarolangun", "items": [
            {"text": "Patroli bersama di TPS rawan", "indicator": "", "indicator_name": "", "tps": "",
             "follow_up": [{"date": datetime.date(2024, 11, 20), "text": "Patroli dilaksanakan di 12 TPS"}]}]}]}],
        "actions": [{"code": "15.71", "name": "Kota Jambi", "items": [
            {"title": "Posko pengaduan", "owner": "Bawaslu Kota Jambi", "status": "Selesai", "due": datetime.date(2024, 11, 1)}]}]}
    text = _text(render_published_report("pilkada-2024-jambi", date="2024-08-31", register=reg))
    assert "Register mitigasi" in text and "Polres Sarolangun" in text
    assert "Tindak lanjut 2024-11-20: Patroli dilaksanakan di 12 TPS" in text and "Posko pengaduan" in text
    assert published_report_content("pilkada-2024-jambi", register={"empty": True})["register"] is None


def test_english_book_is_english():
    from rawan.reports import render_published_report

    text = _text(render_published_report("pilkada-2024-jambi", lang="en", date="2024-08-31"))
    assert "Understanding the Vulnerability Mapping" in text and "Law No. 10 of 2016" in text
    assert "Sources disagree" in text and "High vulnerability" in text
    for word in ("Rawan Tinggi", "Memahami", "Sumber tidak sepakat", "Tahapan", "Rekomendasi", "tidak ada skor"):
        assert word not in text, word
