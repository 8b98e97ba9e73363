"""The published Jambi Pilkada 2024 TPS figures (domain.md 5.4), kept as released."""

from __future__ import annotations

import re

from rawan.regions import load_regions
from rawan.tps.published import load_published, published_files


def test_jambi_release_as_published():
    pub = load_published("jambi-pilkada-2024")
    assert "jambi-pilkada-2024" in published_files()
    assert (pub.publisher, pub.published, pub.region) == ("Bawaslu Provinsi Jambi", "2024-11-23", "15")
    assert [(r.indicator, r.tps) for r in pub.rows] == [
        ("i05", 1834), ("i01", 1348), ("i02", 1272), ("i04", 704), ("i25", 576), ("i03", 319), ("i24", 287)]
    assert pub.summary.bands == {"paling_banyak": 5, "banyak": 9, "tidak_banyak": 10}
    assert sum(pub.summary.bands.values()) == pub.summary.indicators_reported == 24
    assert not pub.has_region_counts  # names only: a table, never a choropleth
    assert all(s.url for s in pub.sources)


def test_named_kabkota_codes_match_the_names_as_written():
    regions = load_regions(province="15")
    for row in load_published("jambi-pilkada-2024").rows:
        for code, written in zip(row.kabkota, row.kabkota_as_written):
            assert [r.code for r in regions.find(written, level="kabupaten_kota")] == [code], written


def test_cli_shows_the_release_as_a_table(capsys):
    from rawan.cli import main

    assert main(["tps", "summary", "--published", "jambi-pilkada-2024"]) == 0
    out = capsys.readouterr().out
    assert "1.834" in out and "Kerinci" in out and "jambilink" in out


def test_collection_counts_become_a_results_file_the_book_reads(tmp_path):
    """The web app's TPS collection exports its counts in the schema of a release (a TPS results file)
    with its state; the book's TPS chapter reads it through the same path as a release."""
    from rawan.demo.tps import jambi_pilkada
    from rawan.reports.tps_chapter import tps_chapter
    from rawan.tps import count_tps
    from rawan.tps.published import CollectionState, from_counts, load_published, write_published

    _reg, checklist = jambi_pilkada(n_tps=1500, coordinates=False)
    counts = count_tps(checklist)
    names = {r.code: r.name for r in load_regions(province="15").at_level("kabupaten_kota")}
    state = CollectionState(closed=False, desa=1585, desa_not_reported=12, as_of="2024-11-14")
    pub = from_counts(counts, region="15", region_name="Provinsi Jambi", publisher="Bawaslu Provinsi Jambi",
                      date="2024-11-14", title={"id": "Pengumpulan TPS rawan", "en": "TPS collection"},
                      model="tps-pilkada-2024", collection=state, names=names)
    reg = counts.region("15")
    j = counts.model.indicator_codes.index(pub.rows[0].indicator)
    assert pub.rows[0].tps == int(reg.indicators[j]) == max(int(x) for x in reg.indicators)  # the largest first
    assert [r.tps for r in pub.rows] == sorted((r.tps for r in pub.rows), reverse=True)
    assert pub.summary.indicators_reported == sum(1 for x in reg.indicators if x > 0) == len(pub.rows)
    assert pub.synthetic and pub.summary.desa_reported_at_least == 1585 - 12
    top = counts.top(pub.rows[0].indicator, level="kabupaten_kota", within="15", n=5)
    assert pub.rows[0].kabkota == [c for c, _ in top] and pub.rows[0].kabkota_as_written[0] == names[top[0][0]]
    path = write_published(pub, tmp_path / "hasil-tps.yaml")
    again = load_published(path)
    assert again == pub
    open_ch = tps_chapter(path, "id")
    assert open_ch["subtitle"] == "DATA CONTOH — Pengumpulan TPS rawan"  # synthetic checklists say so
    assert "masih berjalan: 12 dari 1.585 desa/kelurahan belum melapor" in open_ch["note"]
    assert open_ch["rows"][0]["tps"] == f"{pub.rows[0].tps:,}".replace(",", ".")
    closed = pub.model_copy(update={"collection": CollectionState(closed=True, desa=1585, desa_not_reported=0,
                                                                  as_of="2024-11-15")})
    ch = tps_chapter(closed, "en")
    assert "collection is closed; all 1,585 desa/kelurahan reported" in ch["note"]
    assert ch["rows"][0]["indicator"] == counts.model.indicator(pub.rows[0].indicator).name.get("en")


def test_report_cli_takes_a_tps_results_file(tmp_path):
    """rawan report --tps FILE: the TPS chapter from an exported results file; an unknown name is refused."""
    import pypdf

    from rawan import demo
    from rawan.cli import main
    from rawan.engine import load_spec
    from rawan.tps.published import CollectionState, from_counts, write_published
    from rawan.demo.tps import jambi_pilkada
    from rawan.tps import count_tps

    counts = count_tps(jambi_pilkada(n_tps=800, coordinates=False)[1])
    pub = from_counts(counts, region="15", region_name="Provinsi Jambi", publisher="Bawaslu Provinsi Jambi",
                      date="2024-11-15", title={"id": "Pengumpulan TPS rawan", "en": "TPS collection"},
                      model="tps-pilkada-2024", collection=CollectionState(closed=True, desa=1585,
                                                                           desa_not_reported=3, as_of="2024-11-15"))
    tps = write_published(pub, tmp_path / "hasil-tps.yaml")
    data = demo.build(load_spec("ikp-2024"), tmp_path)[0]
    out = tmp_path / "buku.pdf"
    assert main(["report", "-m", "ikp-2024", "-d", str(data), "--date", "2024-08-31", "--tps", str(tps),
                 "-o", str(out)]) in (0, None)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    assert "TPS Rawan" in text and "3 dari 1.585 desa/kelurahan tidak melapor" in re.sub(r"\s+", " ", text)
    assert main(["report", "-m", "ikp-2024", "-d", str(data), "--tps", "tidak-ada", "-o", str(out)]) not in (0, None)
