"""The web demo serves real maps below kab/kota: published DATA CONTOH kecamatan and desa editions;
an administrator can create a desa/kelurahan edition."""

from __future__ import annotations

import re

import numpy as np
import pytest

pytestmark = pytest.mark.django_db

KEC_SLUG = "contoh-ikp-2024-kerinci-kecamatan"
DESA_SLUG = "contoh-ikp-2024-gunung-raya-desa"


def test_demo_holds_a_published_kecamatan_edition_of_kerinci():
    from rawan.regions import load_regions
    from rawan.web.editions.models import Edition, Status

    ed = Edition.objects.get(slug=KEC_SLUG)
    kec = [r.code for r in load_regions(province="15").at_level("kecamatan", parent="15.01")]
    assert ed.status == Status.PUBLISHED and ed.synthetic and ed.bundle_sha256
    assert ed.level == "kecamatan" and ed.scope_code == "15.01"
    assert sorted(c for c, _ in ed.regions) == sorted(kec) and len(kec) > 10
    assert sorted(ed.results.values_list("region_code", flat=True)) == sorted(kec)


def test_kecamatan_map_page_draws_one_path_per_kecamatan(as_user):
    from rawan.regions import load_regions

    kec = sorted(r.code for r in load_regions(province="15").at_level("kecamatan", parent="15.01"))
    for who in (None, "viewer"):
        r = as_user(who).get(f"/e/{KEC_SLUG}/")
        assert r.status_code == 200
        page = r.content.decode()
        svg = page[page.index("<svg"):page.index("</svg>")]
        assert sorted(re.findall(r'<path data-code="([\d.]+)"', svg)) == kec  # real boundaries, not tiles
        assert "Peta petak" not in svg and "DATA CONTOH" in page


def test_kecamatan_classes_equal_the_province_wide_kecamatan_book():
    """The edition's values are those ``rawan demo build`` writes; with the model's fixed goalposts and
    cut-offs each kecamatan's class is the one it has among all 144 kecamatan of Jambi."""
    from rawan import demo
    from rawan.engine import Dataset, compute, load_spec
    from rawan.web.editions.models import Edition

    spec = load_spec("ikp-2024")
    d = demo.generate(spec, *demo.load_wilayah())
    data = Dataset(codes=[r.code for r in d.kecamatan], columns=d.indicators, values=d.kecamatan_values,
                   names=[r.name for r in d.kecamatan], synthetic=True)
    book = compute(spec, data, region_level="kecamatan")
    cat = book.categories[book.index_code]
    root = book.col(book.index_code)
    want = {c: (cat.label_of(i), book.scores[i, root]) for i, c in enumerate(book.codes) if c.startswith("15.01.")}
    rows = {r.region_code: r for r in Edition.objects.get(slug=KEC_SLUG).results.all()}
    assert set(rows) == set(want)
    assert {c: r.category for c, r in rows.items()} == {c: w[0] for c, w in want.items()}
    assert len({r.category for r in rows.values()}) > 1  # a map with more than one class
    assert np.allclose([rows[c].score for c in sorted(want)], [want[c][1] for c in sorted(want)], atol=1e-5)


def _desa_of(parent):
    from rawan.regions import load_regions

    return sorted(r.code for r in load_regions(province="15").at_level("desa_kelurahan", parent=parent))


def test_desa_edition_is_published_and_maps_each_desa(as_user):
    from rawan.web.editions.models import Edition, Status

    ed = Edition.objects.get(slug=DESA_SLUG)
    desa = _desa_of("15.01.01")
    assert ed.status == Status.PUBLISHED and ed.synthetic and ed.bundle_sha256
    assert ed.level == "desa_kelurahan" and ed.scope_code == "15.01.01" and len(desa) == 12
    assert sorted(ed.results.values_list("region_code", flat=True)) == desa
    r = as_user(None).get(f"/e/{DESA_SLUG}/")
    assert r.status_code == 200
    page = r.content.decode()
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert sorted(re.findall(r'<path data-code="([\d.]+)"', svg)) == desa and "Peta petak" not in svg
    assert "DATA CONTOH" in page
    assert as_user(None).get(f"/e/{DESA_SLUG}/wilayah/{desa[0]}/").status_code == 200


def test_desa_classes_equal_the_province_wide_desa_book():
    """Desa values are the kecamatan counts split among their desa; with the model's fixed desa goalposts
    and cut-offs each desa's class is the one it has among all desa of Jambi."""
    from rawan import demo
    from rawan.engine import Dataset, compute, load_spec
    from rawan.web.editions.models import Edition

    spec = load_spec("ikp-2024")
    kab, kec = demo.load_wilayah()
    d = demo.generate(spec, kab, kec, desa=demo.load_desa())
    data = Dataset(codes=[r.code for r in d.desa], columns=d.indicators, values=d.desa_values,
                   names=[r.name for r in d.desa], synthetic=True)
    book = compute(spec, data, region_level="desa_kelurahan")
    cat = book.categories[book.index_code]
    want = {c: cat.label_of(i) for i, c in enumerate(book.codes) if c.startswith("15.01.01.")}
    rows = {r.region_code: r.category for r in Edition.objects.get(slug=DESA_SLUG).results.all()}
    assert rows == want and all(rows.values())


def test_admin_creates_a_desa_edition_of_one_kecamatan(as_user):
    from rawan.web.editions.models import Edition

    adm = as_user("admin")
    data = {"title": "Pemetaan Kerawanan Desa Gunung Raya 2026", "model": "ikp-2024",
            "level": "desa_kelurahan", "scope": "15.01.01"}
    assert adm.post("/edisi/baru/", data).status_code == 302
    ed = Edition.objects.get(title=data["title"])
    assert ed.level == "desa_kelurahan" and sorted(c for c, _ in ed.regions) == _desa_of("15.01.01")
    bad = adm.post("/edisi/baru/", {**data, "title": "Salah", "scope": "15.01.99"})
    assert bad.status_code == 400 and not Edition.objects.filter(title="Salah").exists()
