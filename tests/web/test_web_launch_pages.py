"""Public pages for a launch: DATA CONTOH only on synthetic content, real editions first, no
silent mixing of real and synthetic figures, one tie rule on every page, plain rank wording."""

from __future__ import annotations

import re

import pytest

PUB = "contoh-ikp-2024-jambi"
REAL = "pilkada-2024-jambi"
IKP = "ikp-2024-jambi"
BANNER = 'class="contoh"'


def _text(r) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r.content.decode()))


@pytest.mark.django_db
def test_home_lists_real_editions_first_without_a_global_banner(client):
    html = client.get("/").content.decode()
    assert BANNER not in html  # the home page lists real editions: no page-wide DATA CONTOH banner
    cards = re.findall(r'<li><a href="/e/([-\w]+)/"', html)
    real = [c for c in cards if not c.startswith("contoh-")]
    assert set(real) >= {REAL, IKP}
    assert cards.index(real[-1]) < min(cards.index(c) for c in cards if c.startswith("contoh-"))
    # each synthetic card carries the mark itself
    for slug in [c for c in cards if c.startswith("contoh-")]:
        card = html.split(f'href="/e/{slug}/"')[1].split("</li>")[0]
        assert "DATA CONTOH" in card


@pytest.mark.django_db
def test_banner_only_on_synthetic_pages(client):
    assert BANNER in client.get(f"/e/{PUB}/").content.decode()
    for url in (f"/e/{REAL}/", f"/e/{REAL}/peringkat/", f"/e/{REAL}/wilayah/15.03/"):
        html = client.get(url).content.decode()
        assert BANNER not in html and "DATA CONTOH" not in html, url


@pytest.mark.django_db
def test_comparing_real_with_synthetic_warns_explicitly(client):
    mixed = client.get(f"/bandingkan/?a={REAL}&b={PUB}").content.decode()
    assert 'role="alert"' in mixed and "DATA CONTOH" in mixed
    assert BANNER not in mixed  # the synthetic column is marked, not the whole page
    real = client.get(f"/bandingkan/?a={REAL}&b={IKP}").content.decode()
    assert 'role="alert"' not in real and "DATA CONTOH" not in real.split("<table")[1]
    # real editions first in the choice lists
    options = re.findall(r'<option value="([-\w]+)"', mixed.split('id="a"')[1].split("</select>")[0])
    assert options.index(REAL) < options.index(PUB) and options.index(IKP) < options.index(PUB)


@pytest.mark.django_db
def test_no_synthetic_edition_has_a_real_previous_edition_without_a_warning(client):
    from rawan.web.editions.models import Edition

    for e in Edition.objects.filter(previous__isnull=False).select_related("previous"):
        if e.synthetic != e.previous.synthetic:
            pytest.fail(f"{e.slug} has previous {e.previous.slug}")
    # made by hand (an admin's choice): the region page says so in a warning
    pub = Edition.objects.get(slug=PUB)
    pub.previous = Edition.objects.get(slug=IKP)
    pub.save(update_fields=["previous"])
    html = client.get(f"/e/{PUB}/wilayah/15.04/").content.decode()
    assert 'role="alert"' in html and "DATA CONTOH" in html.split('role="alert"')[1][:400]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [f"/e/{REAL}/", f"/e/{REAL}/peringkat/"])
def test_ties_share_the_lowest_rank_on_every_page(client, url):
    """Kerinci and Tanjung Jabung Timur both 6,32: both 9th, Bungo 11th (the engine's rule,
    rank_min), on the map's list as in the ranking, never 9 and 10."""
    text = _text(client.get(url))
    assert re.search(r"\b9\.? Kabupaten Kerinci\b", text)
    assert re.search(r"\b9\.? Kabupaten Tanjung Jabung Timur\b", text)
    assert re.search(r"\b11\.? Kabupaten Bungo\b", text)
    assert not re.search(r"\b10\.? (Kabupaten|Kota) ", text)


def test_engine_and_web_share_the_tie_rule():
    import numpy as np

    from rawan.engine.methods import rank_min

    assert rank_min(np.array([6.32, 26.05, 6.32, 2.3])).tolist() == [2, 1, 2, 4]


@pytest.mark.django_db
def test_stable_rank_is_said_plainly(client, monkeypatch):
    from rawan.web.editions import views

    monkeypatch.setattr(views, "stored_robustness", lambda e: {"15.01": {"rank_low": 1, "rank_high": 1,
                                                                     "class_stability": 1.0}})
    text = _text(client.get(f"/e/{PUB}/wilayah/15.01/"))
    assert "tetap di peringkat 1" in text
    assert "antara 1 dan 1" not in text


def _ranking_names(html: str) -> list[str]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', body)


@pytest.mark.django_db
def test_ranking_search_filter_and_sort_work_without_script(client):
    base = f"/e/{REAL}/peringkat/"
    html = client.get(base).content.decode()
    assert 'name="q"' in html and 'name="kategori"' in html and "<script" not in html.split("<footer")[0]
    assert len(_ranking_names(html)) == 11
    # search by name (any case) or code prefix
    assert _ranking_names(client.get(base + "?q=kota").content.decode()) == [
        "Kota Jambi", "Kota Sungai Penuh"]
    assert _ranking_names(client.get(base + "?q=15.0").content.decode())[0] == "Kabupaten Sarolangun"
    # category filter
    names = _ranking_names(client.get(base + "?kategori=tinggi").content.decode())
    assert names == ["Kabupaten Sarolangun", "Kota Jambi"]
    assert _ranking_names(client.get(base + "?kategori=rendah&q=bungo").content.decode()) == ["Kabupaten Bungo"]
    assert "No region matches" in client.get(base + "?q=zzz", HTTP_ACCEPT_LANGUAGE="en").content.decode() or \
        "Tidak ada wilayah" in client.get(base + "?q=zzz").content.decode()
    # sort by score ascending: lowest first; by name; ranks stay the engine's
    html = client.get(base + "?urut=skor&arah=naik").content.decode()
    assert _ranking_names(html)[0] == "Kabupaten Bungo" and 'aria-sort="ascending"' in html
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert re.search(r'<td class="n">11</td>', first_row)
    names = _ranking_names(client.get(base + "?urut=wilayah").content.decode())
    assert names == sorted(names, key=str.casefold)
    # the headings are links that keep the search and the filter
    html = client.get(base + "?kategori=sedang").content.decode()
    assert "?kategori=sedang&amp;urut=skor&amp;arah=turun" in html
    # unknown values are ignored, never a server error
    assert client.get(base + "?urut=nope&arah=x&kategori=zz&q=" + "x" * 500).status_code == 200


@pytest.mark.django_db
def test_stability_column_where_robustness_exists(client):
    from rawan.web.editions.models import Edition
    from rawan.web.editions.services import robustness_of

    rob = robustness_of(Edition.objects.get(slug=PUB))
    html = client.get(f"/e/{PUB}/peringkat/").content.decode()
    assert "Stabilitas kategori" in html
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    pcts = re.findall(r'<td class="n">(\d+)%', body)
    assert len(pcts) == 11
    assert sorted(int(p) for p in pcts) == sorted(round(r["class_stability"] * 100) for r in rob.values())
    unstable = sum(1 for r in rob.values() if r["class_stability"] < 0.8)
    assert body.count("kurang stabil") == unstable
    # sorting by stability: least stable first
    html = client.get(f"/e/{PUB}/peringkat/?urut=stabilitas").content.decode()
    got = [int(p) for p in re.findall(r'<td class="n">(\d+)%', html.split("<tbody>")[1])]
    assert got == sorted(got)
    # results-only editions say they have none
    html = client.get(f"/e/{REAL}/peringkat/").content.decode()
    assert "Stabilitas kategori" not in html and "tidak ada hasil uji kekokohan" in html


@pytest.mark.django_db
def test_stability_on_the_comparison_and_the_map_list(client, monkeypatch):
    from rawan.web.editions import dashboard

    monkeypatch.setattr(dashboard, "stored_robustness", lambda e: {
        "15.01": {"rank_low": 3, "rank_high": 7, "class_stability": 0.42},
        "15.02": {"rank_low": 2, "rank_high": 2, "class_stability": 1.0}})
    html = client.get(f"/bandingkan/?a={PUB}&b={REAL}").content.decode()
    assert "A: Stabilitas kategori" in html and "B: Stabilitas kategori" not in html
    assert "stabilitas kategorinya tidak diketahui" in html  # the results-only side says it has none
    kerinci = html.split(">Kabupaten Kerinci<")[1].split("</tr>")[0]
    assert "42%" in kerinci and "kurang stabil" in kerinci
    dashboard._MAP_CACHE.clear()
    page = client.get(f"/e/{PUB}/").content.decode()
    items = page.split('class="regionlist"')[1].split("</ul>")[0]
    assert items.count("kurang stabil") == 1 and "kurang stabil" in items.split("Kabupaten Kerinci")[1].split("</li>")[0]
    dashboard._MAP_CACHE.clear()


@pytest.mark.django_db
def test_english_pages_say_where_figures_come_from_in_english(client):
    client.cookies["django_language"] = "en"
    page = _text(client.get(f"/e/{PUB}/"))
    assert "seeded random generator" in page and "nilai indikator dibuat" not in page
    page = _text(client.get(f"/e/{REAL}/"))
    assert "launch of the Pilkada Serentak 2024 vulnerability mapping" in page and "peluncuran" not in page
    compare = client.get(f"/bandingkan/?a={REAL}&b={PUB}").content.decode()
    assert "Pilkada 2024 vulnerability mapping — Jambi province" in compare


@pytest.mark.django_db
def test_source_ids_in_row_notes_are_written_as_source_names(client):
    text = _text(client.get("/e/ikp-2024-provinsi/peringkat/"))
    assert "ikp2024-provinsi" not in text and "Bawaslu RI" in text


@pytest.mark.django_db
def test_results_only_map_page_says_it_has_no_stability(client):
    assert "stabilitas kategorinya tidak diketahui" in client.get(f"/e/{REAL}/").content.decode()
    assert "stabilitas kategorinya tidak diketahui" not in client.get(f"/e/{PUB}/").content.decode()


@pytest.mark.django_db
def test_ranking_says_when_stability_is_still_being_computed(client, monkeypatch):
    from rawan.web.editions import dashboard

    monkeypatch.setattr(dashboard, "stored_robustness", lambda e: None)
    monkeypatch.setattr("rawan.web.editions.jobs.queue_robustness", lambda e: None)
    html = client.get(f"/e/{PUB}/peringkat/").content.decode()
    assert "sedang dihitung" in html and "Stabilitas kategori" not in html.split("<tbody>")[0]
