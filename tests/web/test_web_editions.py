"""Creating editions (admin), kecamatan scope for operators, the collection window."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def _create(client, **extra):
    data = {"title": "Pemetaan Kerawanan Kecamatan Kerinci 2026", "model": "ikp-2024", "level": "kecamatan",
            "scope": "15.01", **extra}
    return client.post("/edisi/baru/", data)


def test_only_admin_creates_editions(as_user):
    for name, code in (("op_kerinci", 403), ("verifier", 403), ("viewer", 403), (None, 302)):
        assert as_user(name).get("/edisi/baru/").status_code == code
    assert as_user("admin").get("/edisi/baru/").status_code == 200


def test_kecamatan_edition_scopes_operators(as_user, jambi_data):
    from rawan.web.editions.models import Edition

    adm = as_user("admin")
    r = _create(adm)
    assert r.status_code == 302
    ed = Edition.objects.get(title="Pemetaan Kerawanan Kecamatan Kerinci 2026")
    assert ed.status == "draft" and ed.level == "kecamatan" and len(ed.model_sha256) == 64
    codes = [c for c, _ in ed.regions]
    assert codes and all(c.startswith("15.01.") for c in codes)
    adm.post(f"/e/{ed.slug}/kelola/aksi/", {"action": "status", "status": "pengumpulan"})
    first = codes[0]
    assert as_user("op_kerinci").get(f"/e/{ed.slug}/entri/{first}/").status_code == 200
    assert as_user("op_kotajambi").get(f"/e/{ed.slug}/entri/{first}/").status_code == 404
    assert as_user("op_kerinci").post(f"/e/{ed.slug}/entri/{first}/", {"v_i01": "1", "action": "save"}).status_code == 302
    assert "Belum diisi" in as_user("op_kerinci").get(f"/e/{ed.slug}/entri/").content.decode()


def test_bad_model_file_and_window_are_reported(as_user):
    import io

    adm = as_user("admin")
    f = io.BytesIO(b"id: rusak\nhierarchy: []\n")
    f.name = "rusak.yaml"
    r = adm.post("/edisi/baru/", {"title": "X", "model_file": f, "level": "kabupaten_kota", "scope": "15"})
    assert r.status_code == 400 and 'class="error"' in r.content.decode()
    r = _create(adm, window_start="2026-05-02", window_end="2026-05-01")
    assert r.status_code == 400 and "tidak dapat berakhir" in r.content.decode()


def test_collection_window_closes_entry(as_user):
    from rawan.web.editions.models import Edition

    slug = "contoh-latihan-2026"
    yesterday = dt.date.today() - dt.timedelta(days=2)
    Edition.objects.filter(slug=slug).update(window_end=yesterday)
    op = as_user("op_kerinci")
    assert op.post(f"/e/{slug}/entri/15.01/", {"v_i01": "1", "action": "save"}).status_code == 403
    assert "readonly" in op.get(f"/e/{slug}/entri/15.01/").content.decode()
    Edition.objects.filter(slug=slug).update(window_end=None)
    assert op.post(f"/e/{slug}/entri/15.01/", {"v_i01": "1", "action": "save"}).status_code == 302


def test_event_record_template(as_user, jambi_data):
    r = as_user("op_kerinci").get("/e/contoh-latihan-2026/entri/templat.xlsx?jenis=kejadian")
    assert r.status_code == 200 and "kejadian" in r["Content-Disposition"]


def test_an_edition_of_another_province_takes_its_shipped_region_list(as_user):
    """Scope 32 (Jawa Barat): the 27 kab/kota come from the list shipped with rawan."""
    from rawan.web.editions.models import Edition

    r = _create(as_user("admin"), title="IKP Jawa Barat 2026", level="kabupaten_kota", scope="32")
    assert r.status_code == 302
    ed = Edition.objects.get(title="IKP Jawa Barat 2026")
    assert len(ed.regions) == 27 and ["32.73", "Kota Bandung"] in [list(x) for x in ed.regions]
