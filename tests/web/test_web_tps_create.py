"""A TPS edition from a KPU-style list in the web app (admin): all or nothing, problems named by row
and column; then the window opens, the PKD saves, the admin closes and publishes."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

GOOD = ("kode_desa;tps;dpt;alamat\n15.01.01.2001;1;250;Balai Desa\n15.01.01.2001;2;310;SD Negeri 1\n"
        "15.01.01.2002;1;400;Masjid Raya\n")
BAD = "kode_desa;tps;dpt\n15.01.01.2001;1;dua ratus\n15.01.01.9999;1;100\n15.01.01.2001;1;120\n"


def _post(client, data: str, slug="uji-tps-kerinci", name="dpt.csv"):
    return client.post("/tps/baru/", {"slug": slug, "title": "Uji TPS", "model": "tps-pilkada-2024",
                                      "province": "15", "registry": SimpleUploadedFile(name, data.encode())})


def test_bad_list_creates_nothing_and_names_the_place(as_user):
    from rawan.web.editions.models import Edition

    r = _post(as_user("admin"), BAD)
    text = r.content.decode()
    assert r.status_code == 400 and "dpt.csv" in text and "dua ratus" in text and "15.01.01.9999" in text
    assert not Edition.objects.filter(slug="uji-tps-kerinci").exists()
    assert _post(as_user("op_kerinci"), GOOD).status_code == 403
    assert as_user(None).get("/tps/baru/").status_code == 302


def test_list_to_published_counts(as_user):
    from rawan.web.tps.models import DesaReport, TpsStation

    admin = as_user("admin")
    r = _post(admin, GOOD)
    assert r.status_code == 302 and r.url == "/tps/uji-tps-kerinci/pengawasan/"
    assert TpsStation.objects.filter(edition__edition__slug="uji-tps-kerinci").count() == 3
    assert DesaReport.objects.filter(edition__edition__slug="uji-tps-kerinci").count() == 2
    url = "/tps/uji-tps-kerinci/desa/15.01.01.2001/tps/1/"
    save = {"save_id": str(uuid.uuid4()), "base_version": "0", "a_i17": "1", "n_i17": "jalan putus"}
    assert as_user("pkd").post(url, save).status_code == 404  # a draft: PKD do not see it yet
    assert as_user(None).get("/tps/uji-tps-kerinci/").status_code == 404
    admin.post("/tps/uji-tps-kerinci/pengawasan/jendela/", {"action": "open", "start": "", "end": ""})
    assert as_user("pkd").post(url, save).status_code == 302
    admin.post("/tps/uji-tps-kerinci/pengawasan/jendela/", {"action": "close"})
    admin.post("/tps/uji-tps-kerinci/pengawasan/jendela/", {"action": "publish"})
    doc = as_user(None).get("/api/tps/editions/uji-tps-kerinci/results").json()
    assert doc["status"] == "terbit" and doc["counts"]["rawan"] == 1 and doc["counts"]["n_tps"] == 3
    rows = {r["code"]: r["n"] for g in doc["counts"]["groups"] for r in g["rows"]}
    assert rows == {"i17": 1}
