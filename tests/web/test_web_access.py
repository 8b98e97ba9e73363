"""Exact status codes per view around named users (access rules in rawan/web/access.py)."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.django_db

TRAIN = "contoh-latihan-2026"  # in data collection: Kerinci draft, Kota Jambi submitted
PUB = "contoh-ikp-2024-jambi"  # synthetic, published
ALL = ["admin", "op_kerinci", "op_kotajambi", "verifier", "viewer", None]


def codes(as_user, method, url, data=None):
    out = {}
    for name in ALL:
        c = as_user(name)
        r = c.get(url) if method == "get" else c.post(url, data or {})
        out[name] = r.status_code
    return out


def test_entry_form_read(as_user):
    assert codes(as_user, "get", f"/e/{TRAIN}/entri/15.01/") == {
        "admin": 200, "op_kerinci": 200, "op_kotajambi": 404, "verifier": 200, "viewer": 403, None: 302}
    assert codes(as_user, "get", f"/e/{TRAIN}/entri/15.71/") == {
        "admin": 200, "op_kerinci": 404, "op_kotajambi": 200, "verifier": 200, "viewer": 403, None: 302}


def test_entry_form_write(as_user):
    data = {"v_i01": "2", "action": "save"}
    got = codes(as_user, "post", f"/e/{TRAIN}/entri/15.01/", data)
    # operator of Kota Jambi writing Kerinci's draft: 404; verifier and viewer: 403; anonymous: login
    assert got == {"admin": 302, "op_kerinci": 302, "op_kotajambi": 404, "verifier": 403, "viewer": 403, None: 302}
    # Kota Jambi is submitted (not open): even its own operator cannot write
    assert as_user("op_kotajambi").post(f"/e/{TRAIN}/entri/15.71/", data).status_code == 403


def test_unknown_region_is_404(as_user):
    assert as_user("admin").get(f"/e/{TRAIN}/entri/15.99/").status_code == 404
    assert as_user(None).get(f"/e/{PUB}/wilayah/15.99/").status_code == 404


def test_verify(as_user):
    url = f"/e/{TRAIN}/entri/15.71/verifikasi/"
    assert as_user("viewer").post(url, {"action": "approve"}).status_code == 403
    assert as_user("op_kotajambi").post(url, {"action": "approve"}).status_code == 403
    assert as_user(None).post(url, {"action": "approve"}).status_code == 302
    assert as_user("verifier").post(url, {"action": "approve"}).status_code == 302
    from rawan.web.entry.models import Submission

    assert Submission.objects.get(edition__slug=TRAIN, region_code="15.71").status == "verified"
    # nothing left to verify: a second approval (or a return racing it) changes nothing and logs nothing
    from rawan.web.audit.models import AuditEntry

    n = AuditEntry.objects.count()
    r = as_user("verifier").post(url, {"action": "return", "comment": "late"}, follow=True)
    assert r.status_code == 200 and "sudah ditangani" in r.content.decode()
    assert Submission.objects.get(edition__slug=TRAIN, region_code="15.71").status == "verified"
    assert AuditEntry.objects.count() == n


def test_manage(as_user):
    assert codes(as_user, "get", f"/e/{TRAIN}/kelola/") == {
        "admin": 200, "op_kerinci": 403, "op_kotajambi": 403, "verifier": 403, "viewer": 403, None: 302}
    assert as_user("verifier").post(f"/e/{TRAIN}/kelola/aksi/", {"action": "publish"}).status_code == 403


def test_edition_visibility(as_user):
    # in data collection: internal only (results there come from verified data only)
    assert codes(as_user, "get", f"/e/{TRAIN}/") == {
        "admin": 200, "op_kerinci": 200, "op_kotajambi": 200, "verifier": 200, "viewer": 200, None: 404}
    from rawan.web.editions.models import Edition

    Edition.objects.filter(slug=TRAIN).update(status="draft")  # drafts: admin and verifier only
    assert codes(as_user, "get", f"/e/{TRAIN}/") == {
        "admin": 200, "op_kerinci": 404, "op_kotajambi": 404, "verifier": 200, "viewer": 404, None: 404}
    for slug in (PUB, "pilkada-2024-jambi", "ikp-2024-jambi"):
        assert set(codes(as_user, "get", f"/e/{slug}/").values()) == {200}
        assert set(codes(as_user, "get", f"/e/{slug}/peringkat/").values()) == {200}


def test_anonymous_sees_published_only(as_user):
    from rawan.web.editions.models import Edition

    home = as_user(None).get("/").content.decode()
    for e in Edition.objects.filter(tps__isnull=True):
        assert (f"/e/{e.slug}/" in home) == e.is_public, e.slug
    for e in Edition.objects.filter(tps__isnull=False):  # TPS editions: their own pages, never /e/
        assert (f"/tps/{e.slug}/" in home) == e.is_public and f"/e/{e.slug}/" not in home, e.slug
    api = json.loads(as_user(None).get("/api/editions").content)
    assert {e["status"] for e in api["editions"]} == {"terbit"}
    assert as_user(None).get(f"/api/editions/{TRAIN}").status_code == 404
    assert as_user(None).get(f"/api/editions/{TRAIN}/results").status_code == 404
    assert as_user(None).get(f"/e/{TRAIN}/unduh/hasil.csv").status_code == 404


def test_viewer_sees_verification_stage_but_no_drafts(as_user):
    from rawan.web.editions.models import Edition

    Edition.objects.filter(slug=TRAIN).update(status="verifikasi")
    assert as_user("viewer").get(f"/e/{TRAIN}/").status_code == 200
    assert as_user("viewer").get(f"/e/{TRAIN}/entri/").status_code == 403
    assert as_user(None).get(f"/e/{TRAIN}/").status_code == 404


def test_audit_pages(as_user):
    url = f"/e/{TRAIN}/entri/15.01/audit/"
    assert codes(as_user, "get", url) == {
        "admin": 200, "op_kerinci": 200, "op_kotajambi": 404, "verifier": 200, "viewer": 403, None: 302}
    assert codes(as_user, "get", f"/e/{TRAIN}/audit.csv") == {
        "admin": 200, "op_kerinci": 403, "op_kotajambi": 403, "verifier": 200, "viewer": 403, None: 302}


def _token(name):
    from django.contrib.auth import get_user_model

    from rawan.web.accounts.models import ApiToken
    from tests.web.conftest import USERS

    return ApiToken.issue(get_user_model().objects.get(username=USERS[name]))[1]


def test_api_writes_need_a_token(as_user):
    url = f"/api/editions/{TRAIN}/entries/15.01"
    body = json.dumps({"values": {"i01": 3}})
    c = as_user(None)

    def put(token=None, client=c, payload=body):
        h = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        return client.patch(url, payload, content_type="application/json", **h).status_code

    assert put(_token("op_kerinci")) == 200
    assert put(_token("op_kotajambi")) == 404
    assert put(_token("viewer")) == 403
    assert put(_token("verifier")) == 403
    assert put("rwn_not-a-token") == 401
    assert put(client=as_user("op_kerinci")) == 401  # a session is not enough for writes
    assert put(_token("op_kerinci"), payload=json.dumps({"values": {"i01": -1}})) == 400
    assert as_user("op_kerinci").get(url).status_code == 200
    assert as_user("op_kotajambi").get(url).status_code == 404
    assert as_user(None).get(url).status_code == 404  # the edition is not public


def test_token_page_shows_a_new_token_once(as_user):
    from rawan.web.accounts.models import ApiToken

    c = as_user("op_kerinci")
    assert c.post("/akun/token/", {"name": "laptop", "days": "90", "level": "write"}).status_code == 302
    page = c.get("/akun/token/").content.decode()
    token = re.search(r"<code>(rwn_[^<]+)</code>", page).group(1)
    assert ApiToken.objects.get(digest=ApiToken.digest_of(token)).name == "laptop"
    assert token not in c.get("/akun/token/").content.decode()
    assert as_user(None).get("/akun/token/").status_code == 302


def test_admin_creates_users(as_user):
    from django.contrib.auth import get_user_model

    for name, code in (("op_kerinci", 403), ("verifier", 403), ("viewer", 403), (None, 302)):
        assert as_user(name).get("/pengguna/").status_code == code
    adm = as_user("admin")
    r = adm.post("/pengguna/", {"username": "operator.tebo", "role": "operator", "region": "15.09"})
    assert r.status_code == 302 and r["Location"] == "/pengguna/"  # POST/redirect/GET
    page = adm.get("/pengguna/").content.decode()
    password = re.search(r"<code>([^<]+)</code>", page).group(1)
    assert password not in adm.get("/pengguna/").content.decode()  # shown once
    u = get_user_model().objects.get(username="operator.tebo")
    assert u.check_password(password) and u.profile.role == "operator" and u.profile.region_code == "15.09"
    assert adm.post("/pengguna/", {"username": "operator.tebo", "role": "operator", "region": "15.09"}).status_code == 400
    assert adm.post("/pengguna/", {"username": "x y", "role": "viewer"}).status_code == 400
    assert adm.post("/pengguna/", {"username": "op2", "role": "operator"}).status_code == 400  # needs a region


def test_new_views_of_issue_15(as_user):
    """Confirmation pages, the region search, token pages and token revocation, by named user."""
    from rawan.web.accounts.models import ApiToken

    for step in ("publish", "archive", "draft"):
        assert codes(as_user, "get", f"/e/{TRAIN}/kelola/konfirmasi/{step}/") == {
            "admin": 200, "op_kerinci": 403, "op_kotajambi": 403, "verifier": 403, "viewer": 403, None: 302}
    assert codes(as_user, "get", "/pengguna/wilayah/?q=jambi") == {
        "admin": 200, "op_kerinci": 403, "op_kotajambi": 403, "verifier": 403, "viewer": 403, None: 302}
    assert codes(as_user, "get", "/akun/token/") == {
        "admin": 200, "op_kerinci": 200, "op_kotajambi": 200, "verifier": 200, "viewer": 200, None: 302}
    tok_pk = ApiToken.objects.get(digest=ApiToken.digest_of(_token("op_kerinci"))).pk
    got = {}
    for name in ("op_kotajambi", "verifier", "viewer", None, "op_kerinci"):  # the owner last: it revokes
        got[name] = as_user(name).post(f"/akun/token/{tok_pk}/cabut/").status_code
    assert got == {"op_kotajambi": 404, "verifier": 404, "viewer": 404, None: 302, "op_kerinci": 302}
    assert ApiToken.objects.get(pk=tok_pk).revoked is not None


@pytest.mark.django_db
def test_data_entry_links_only_for_users_who_may_enter(as_user):
    """The "Data entry" tab and the home page's link appear only where the page behind them opens:
    never for a PKD/Panwascam (TPS collection only), nor for an operator on an edition outside
    their kab/kota (Kota Jambi's operator on the Kerinci kecamatan edition got a 403 from the tab)."""
    import re

    def entry_links(c, url):
        return re.findall(r'href="(/e/[^"]+/entri/)"', c.get(url).content.decode())

    kerinci = "/e/contoh-ikp-2024-kerinci-kecamatan/"
    assert entry_links(as_user("op_kerinci"), kerinci) == [f"{kerinci}entri/"]
    assert entry_links(as_user("op_kotajambi"), kerinci) == []
    for name in ("pkd", "panwascam"):
        c = as_user(name)
        assert entry_links(c, kerinci) == [] and entry_links(c, "/") == [], name
    for name in ("admin", "verifier", "op_kerinci", "op_kotajambi"):
        c = as_user(name)
        for link in entry_links(c, "/") + entry_links(c, "/e/contoh-ikp-2024-jambi/"):
            assert c.get(link).status_code == 200, (name, link)


@pytest.mark.django_db
def test_edition_tabs_never_lead_a_logged_in_user_to_a_403(as_user):
    """Every tab of an edition page opens for the user it is shown to (the viewer "pemantau" was
    shown Data entry and Alerts, both 403)."""
    import re

    for name in ("admin", "verifier", "op_kerinci", "op_kotajambi", "viewer", "pkd", "panwascam"):
        c = as_user(name)
        for slug in ("contoh-ikp-2024-jambi", "contoh-ikp-2024-kerinci-kecamatan", "contoh-latihan-2026"):
            html = c.get(f"/e/{slug}/").content.decode()
            nav = re.search(r'<nav class="tabs".*?</nav>', html, flags=re.S).group(0)
            tabs = re.findall(r'href="([^"]+)"', nav)
            assert len(tabs) >= 3, (name, slug, tabs)
            for link in tabs:
                assert c.get(link).status_code == 200, (name, link)
