"""The published Jambi Pilkada 2024 TPS figures (domain.md 5.4), kept as released."""

from __future__ import annotations

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
