"""TPS editions: exact status codes per view around named users (access rules in rawan/web/access.py).

pkd = PKD of desa 15.01.01.2001 (Gunung Raya, Kerinci); panwascam = Panwascam of kecamatan 15.01.01;
op_kerinci = Bawaslu Kabupaten Kerinci (15.01); op_kotajambi = Bawaslu Kota Jambi (15.71).
"""

from __future__ import annotations

import json
import uuid

import pytest

pytestmark = pytest.mark.django_db

COL = "contoh-tps-pengumpulan-2026"  # in collection, window open
PUB = "contoh-tps-pilkada-2024-jambi"  # synthetic, published
A = "15.01.01.2001"  # the demo PKD's desa
B = "15.01.01.2002"  # another desa of the same kecamatan
C = "15.01.02.2001"  # a desa of another kecamatan of Kerinci
J = "15.71.01.1001"  # a kelurahan of Kota Jambi
ALL = ["admin", "op_kerinci", "op_kotajambi", "verifier", "viewer", "pkd", "panwascam", None]


def codes(as_user, method, url, data=None, names=ALL):
    out = {}
    for name in names:
        c = as_user(name)
        r = c.get(url) if method == "get" else c.post(url, data or {})
        out[name] = r.status_code
    return out


def save_data(base=0, **answers):
    d = {"save_id": str(uuid.uuid4()), "base_version": str(base)}
    for code, note in answers.items():
        d[f"a_{code}"] = "1"
        d[f"n_{code}"] = note
    return d


def test_desa_page_read(as_user):
    assert codes(as_user, "get", f"/tps/{COL}/desa/{A}/") == {
        "admin": 200, "op_kerinci": 200, "op_kotajambi": 404, "verifier": 200, "viewer": 403,
        "pkd": 200, "panwascam": 200, None: 302}
    # the PKD of desa A cannot read desa B of the same kecamatan; Panwascam only their kecamatan
    assert codes(as_user, "get", f"/tps/{COL}/desa/{B}/", names=["pkd", "panwascam"]) == {"pkd": 404, "panwascam": 200}
    assert codes(as_user, "get", f"/tps/{COL}/desa/{C}/", names=["pkd", "panwascam", "op_kerinci"]) == {
        "pkd": 404, "panwascam": 404, "op_kerinci": 200}
    assert as_user("admin").get(f"/tps/{COL}/desa/15.01.01.9999/").status_code == 404


def test_checklist_read_and_write(as_user):
    assert codes(as_user, "get", f"/tps/{COL}/desa/{A}/tps/1/") == {
        "admin": 200, "op_kerinci": 200, "op_kotajambi": 404, "verifier": 200, "viewer": 403,
        "pkd": 200, "panwascam": 200, None: 302}
    got = {}
    for name in ALL:  # a fresh save each (a repeated save_id would be the same save)
        got[name] = as_user(name).post(f"/tps/{COL}/desa/{A}/tps/1/", save_data(base=99)).status_code
    # writers: the desa's PKD and the admin (a stale base: a conflict, still a redirect); supervisors
    # and viewers: 403; another kab/kota's operator: 404; anonymous: login
    assert got == {"admin": 302, "op_kerinci": 403, "op_kotajambi": 404, "verifier": 403, "viewer": 403,
                   "pkd": 302, "panwascam": 403, None: 302}
    # the PKD of desa A writing desa B: 404, and nothing is written there
    assert as_user("pkd").post(f"/tps/{COL}/desa/{B}/tps/1/", save_data()).status_code == 404
    from rawan.web.tps.models import TpsSave

    assert not TpsSave.objects.filter(station__desa_code=B).exists()
    assert as_user("pkd").get(f"/tps/{COL}/desa/{A}/tps/99/").status_code == 404


def test_tidak_ada_and_return(as_user):
    assert codes(as_user, "post", f"/tps/{COL}/desa/{B}/tidak-ada/",
                 names=["pkd", "panwascam", "op_kerinci", "viewer", None]) == {
        "pkd": 404, "panwascam": 403, "op_kerinci": 403, "viewer": 403, None: 302}
    url = f"/tps/{COL}/desa/{A}/kembalikan/"
    assert codes(as_user, "post", url, {"comment": "x"}, names=["pkd", "viewer", "op_kotajambi", None]) == {
        "pkd": 403, "viewer": 403, "op_kotajambi": 404, None: 302}
    assert as_user("panwascam").post(f"/tps/{COL}/desa/{C}/kembalikan/", {"comment": "x"}).status_code == 404


def test_supervision(as_user):
    assert codes(as_user, "get", f"/tps/{COL}/pengawasan/") == {
        "admin": 200, "op_kerinci": 200, "op_kotajambi": 200, "verifier": 200, "viewer": 403,
        "pkd": 403, "panwascam": 200, None: 302}
    assert codes(as_user, "post", f"/tps/{COL}/pengawasan/jendela/", {"action": "close"},
                 names=["panwascam", "op_kerinci", "verifier", "pkd", None]) == {
        "panwascam": 403, "op_kerinci": 403, "verifier": 403, "pkd": 403, None: 302}
    assert codes(as_user, "get", f"/api/tps/editions/{COL}/progress", names=["pkd", "panwascam", "viewer", None]) == {
        "pkd": 403, "panwascam": 200, "viewer": 403, None: 404}


def test_panwascam_sees_only_their_kecamatan(as_user):
    doc = as_user("panwascam").get(f"/api/tps/editions/{COL}/progress").json()
    assert [r["code"] for r in doc["kecamatan"]] == ["15.01.01"]
    assert doc["total"]["n"] == 12  # the 12 desa of Gunung Raya
    page = as_user("panwascam").get(f"/tps/{COL}/pengawasan/?status=belum").content.decode()
    assert A in page and C not in page and J not in page
    assert len({r["code"] for r in as_user("op_kerinci").get(f"/api/tps/editions/{COL}/progress").json()["kabupaten_kota"]}) == 1


def test_anonymous_sees_only_published_results(as_user):
    anon = as_user(None)
    assert anon.get(f"/tps/{PUB}/").status_code == 200
    real = anon.get("/tps/tps-pilkada-2024-jambi/").content.decode()  # Bawaslu Jambi's figures, as released
    assert "1834" in real and "Kerinci, Bungo, Tanjabtim, Merangin, Sarolangun" in real and "DATA CONTOH" not in real
    assert anon.get(f"/tps/{COL}/").status_code == 404
    assert anon.get(f"/api/tps/editions/{COL}/results").status_code == 404
    assert anon.get(f"/api/tps/editions/{PUB}/results").status_code == 200
    assert anon.get(f"/tps/{PUB}/desa/{A}/").status_code == 302
    assert anon.get(f"/api/tps/editions/{COL}/desa/{A}").status_code == 404  # not visible to the public
    slugs = [e["slug"] for e in anon.get("/api/tps/editions").json()["editions"]]
    assert COL not in slugs and PUB in slugs
    # the index editions' list and pages never show a TPS edition
    assert f"/e/{PUB}/" not in anon.get("/").content.decode()
    assert anon.get(f"/e/{PUB}/").status_code == 404
    assert all(e["slug"] != PUB for e in anon.get("/api/editions").json()["editions"])


def test_api_token_writes_own_desa_only(as_user):
    from django.contrib.auth import get_user_model

    from rawan.web.accounts.models import ApiToken

    _, token = ApiToken.issue(get_user_model().objects.get(username="pkd.demo"))
    c = as_user(None)
    h = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {"save_id": str(uuid.uuid4()), "base_version": 0, "answers": ["i02"], "notes": {"i02": "dua"}}
    r = c.post(f"/api/tps/editions/{COL}/desa/{B}/tps/1", json.dumps(body), content_type="application/json", **h)
    assert r.status_code == 404
    r = c.post(f"/api/tps/editions/{COL}/desa/{A}/tps/1", json.dumps(body), content_type="application/json", **h)
    assert r.status_code == 200 and r.json()["outcome"] == "applied" and r.json()["version"] == 1
    bad = {**body, "save_id": str(uuid.uuid4()), "answers": ["i99"]}
    r = c.post(f"/api/tps/editions/{COL}/desa/{A}/tps/1", json.dumps(bad), content_type="application/json", **h)
    assert r.status_code == 400 and "i99" in r.json()["error"]


def test_alert_pages_per_user(as_user):
    """The early-warning alerts of the published index edition (kab/kota regions): an alert raised by an
    event in desa A (Kerinci) opens for the admin, the verifier, Kerinci's operator, A's PKD and its
    kecamatan's Panwascam; an alert from events in desa C (another kecamatan) not for those two."""
    import datetime as dt

    from rawan.web.editions.models import Edition
    from rawan.web.entry.models import EventRecord, EventStatus
    from rawan.web.warnings.models import Alert

    ed = Edition.objects.get(slug="contoh-ikp-2024-jambi")

    def alert(place, window):
        ev = EventRecord.objects.create(edition=ed, region_code="15.01", place_code=place, indicator="i56",
                                        severity="berat", weight=3.0, date=dt.date(2026, 3, 2), source="uji",
                                        after_publication=True, status=EventStatus.VERIFIED)
        return Alert.objects.create(edition=ed, rule_id="kejadian-kritis", rule_name="Kejadian kritis", kind="critical",
                                    region_code="15.01", window=window, events=[ev.pk],
                                    numbers={"count": 1, "indicator": "i56"})

    in_a, in_c = alert(A, "uji-a"), alert(C, "uji-c")
    base = "/e/contoh-ikp-2024-jambi/peringatan/"
    assert codes(as_user, "get", f"{base}{in_a.pk}/") == {
        "admin": 200, "op_kerinci": 200, "op_kotajambi": 404, "verifier": 200, "viewer": 403,
        "pkd": 200, "panwascam": 200, None: 302}
    assert codes(as_user, "get", f"{base}{in_c.pk}/", names=["pkd", "panwascam", "op_kerinci"]) == {
        "pkd": 404, "panwascam": 404, "op_kerinci": 200}
    assert codes(as_user, "get", base, names=["pkd", "panwascam", "viewer", None]) == {
        "pkd": 200, "panwascam": 200, "viewer": 403, None: 302}
    listed = as_user("pkd").get(base).content.decode()
    assert f"{base}{in_a.pk}/" in listed and f"{base}{in_c.pk}/" not in listed
    # reading is all they may do: moving an alert is the verifier's and the admin's
    assert codes(as_user, "post", f"{base}{in_a.pk}/", {"action": "close", "note": "x"},
                 names=["pkd", "panwascam", "op_kerinci", "verifier"]) == {
        "pkd": 403, "panwascam": 403, "op_kerinci": 403, "verifier": 302}
