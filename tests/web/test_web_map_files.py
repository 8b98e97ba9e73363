"""Map PNG and SVG downloads per edition and dimension, with the source and edition line; the
embeddable map view, the only view another site may frame; unstable classes dotted on the map."""

from __future__ import annotations

import re

import pytest

PUB = "contoh-ikp-2024-jambi"
REAL = "pilkada-2024-jambi"
KEC = "contoh-ikp-2024-kerinci-kecamatan"
TRAIN = "contoh-latihan-2026"


@pytest.mark.django_db
@pytest.mark.parametrize("slug, query", [(PUB, ""), (PUB, "?dimensi=sospol"), (REAL, ""), (KEC, "")])
def test_svg_download_names_source_and_edition(client, slug, query):
    from rawan.web.editions.models import Edition

    e = Edition.objects.get(slug=slug)
    r = client.get(f"/e/{slug}/unduh/peta.svg{query}")
    assert r.status_code == 200 and r["Content-Type"].startswith("image/svg+xml")
    name = f"peta-{slug}{'-sospol' if query else ''}.svg"
    assert r["Content-Disposition"] == f'attachment; filename="{name}"'
    svg = r.content.decode()
    text = re.sub(r"\s+", " ", " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))
    assert "Sumber:" in text and "Edisi:" in text and "rawan" in text
    assert e.title.split(" ")[0] in text
    assert svg.count("data-code=") >= len(e.regions) - 2  # every region of the edition drawn
    if e.synthetic:
        assert "DATA CONTOH" in text
    else:
        assert "Bawaslu Provinsi Jambi" in text and "DATA CONTOH" not in svg
    if query:
        assert "Sosial Politik" in text or "sosial" in text.lower()


@pytest.mark.django_db
def test_png_download_is_a_png_and_cached(client):
    r = client.get(f"/e/{REAL}/unduh/peta.png")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert r.content[:8] == b"\x89PNG\r\n\x1a\n" and len(r.content) > 20_000
    assert client.get(f"/e/{REAL}/unduh/peta.png", HTTP_IF_NONE_MATCH=r["ETag"]).status_code == 304


@pytest.mark.django_db
def test_map_downloads_refuse_unknown_things(client):
    assert client.get(f"/e/{PUB}/unduh/peta.gif").status_code == 404
    assert client.get(f"/e/{PUB}/unduh/peta.svg?dimensi=nope").status_code == 404
    assert client.get(f"/e/{TRAIN}/unduh/peta.svg").status_code == 404  # not public
    assert client.get(f"/e/{PUB}/unduh/peta.svg", REQUEST_METHOD="POST").status_code == 405


@pytest.mark.django_db
def test_only_the_embed_view_may_be_framed(client):
    r = client.get(f"/e/{REAL}/sematkan/")
    assert r.status_code == 200
    assert "X-Frame-Options" not in r
    assert "frame-ancestors *" in r["Content-Security-Policy"]
    html = r.content.decode()
    assert "<svg" in html and "<header" not in html and "<script" not in html
    assert 'target="_blank"' in html
    # again from the page cache: still frameable
    assert "X-Frame-Options" not in client.get(f"/e/{REAL}/sematkan/")
    for url in ("/", f"/e/{REAL}/", f"/e/{REAL}/peringkat/", f"/e/{REAL}/wilayah/15.03/", "/masuk/",
                f"/e/{REAL}/unduh/peta.svg", "/bandingkan/"):
        r = client.get(url)
        assert r["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in r["Content-Security-Policy"], url
    assert client.get(f"/e/{TRAIN}/sematkan/").status_code == 404


@pytest.mark.django_db
def test_edition_page_offers_the_map_files_and_embed_code(client):
    html = client.get(f"/e/{PUB}/?dimensi=sospol").content.decode()
    assert f"/e/{PUB}/unduh/peta.png?dimensi=sospol" in html and f"/e/{PUB}/unduh/peta.svg?dimensi=sospol" in html
    assert f"/e/{PUB}/sematkan/?dimensi=sospol" in html and "&lt;iframe" in html


@pytest.mark.django_db
def test_unstable_classes_are_dotted_on_the_category_map(client, monkeypatch):
    from rawan.web.editions import dashboard

    monkeypatch.setattr(dashboard, "stored_robustness", lambda e: {
        "15.01": {"rank_low": 1, "rank_high": 4, "class_stability": 0.42},
        "15.02": {"rank_low": 2, "rank_high": 2, "class_stability": 1.0}})
    dashboard._MAP_CACHE.clear()
    svg = client.get(f"/e/{PUB}/unduh/peta.svg").content.decode()
    assert "kurang dari 80%" in svg  # the legend entry
    assert dashboard.unstable_codes(__import__("rawan.web.editions.models", fromlist=["Edition"])
                                    .Edition.objects.get(slug=PUB)) == ["15.01"]
    dashboard._MAP_CACHE.clear()
    # results-only editions have no robustness results: nothing dotted
    svg = client.get(f"/e/{REAL}/unduh/peta.svg").content.decode()
    assert "kurang dari 80%" not in svg
