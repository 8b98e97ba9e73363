"""Creating a user: the role is chosen explicitly (no default), the region comes from a server-side
search, and role and region are checked as a pair (nothing silently dropped)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def _users():
    from django.contrib.auth import get_user_model

    return set(get_user_model().objects.values_list("username", flat=True))


def test_the_form_has_no_default_role(as_user):
    page = as_user("admin").get("/pengguna/").content.decode()
    select = page[page.index('<select id="role"'):page.index("</select>", page.index('<select id="role"'))]
    assert '<option value="" selected>— pilih peran —</option>' in select and select.count(" selected") == 1
    assert 'name="role" required' in select


@pytest.mark.parametrize("post, message", [
    ({"username": "baru"}, "Pilih peran"),  # the role left untouched: no user, certainly no admin
    ({"username": "baru", "role": "admin", "region": "15.01"}, "kosongkan wilayah"),
    ({"username": "baru", "role": "viewer", "region": "15.01"}, "kosongkan wilayah"),
    ({"username": "baru", "role": "operator"}, "Operator memerlukan kab/kota"),
    ({"username": "baru", "role": "operator", "region": "99.99"}, "99.99 bukan kode kab/kota"),
    ({"username": "baru", "role": "operator", "region": "15.01.01"}, "bukan kode kab/kota"),  # a kecamatan
    ({"username": "baru", "role": "viewer", "organisation": "o" * 201}, "paling banyak 200 karakter"),
])
def test_role_and_region_are_checked_as_a_pair(as_user, post, message):
    before = _users()
    r = as_user("admin").post("/pengguna/", post)
    assert r.status_code == 400 and message in r.content.decode()
    assert _users() == before
    assert f'value="{post["username"]}"' in r.content.decode()  # what was typed stays


def test_operator_created_with_the_region_picked_from_the_list(as_user):
    from django.contrib.auth import get_user_model

    r = as_user("admin").post("/pengguna/", {"username": "operator.tebo", "role": "operator",
                                            "region": "15.09 Kabupaten Tebo"})
    assert r.status_code == 302
    p = get_user_model().objects.get(username="operator.tebo").profile
    assert (p.role, p.region_code) == ("operator", "15.09")


def test_region_search_is_server_side_and_admin_only(as_user):
    url = "/pengguna/wilayah/"
    for name, code in (("op_kerinci", 403), ("verifier", 403), ("viewer", 403), (None, 302)):
        assert as_user(name).get(url, {"q": "ker"}).status_code == code
    adm = as_user("admin")
    hits = json.loads(adm.get(url, {"q": "kerinci"}).content)["regions"]
    assert {"code": "15.01", "name": "Kabupaten Kerinci"} in hits
    assert json.loads(adm.get(url, {"q": "15.7"}).content)["regions"][0]["code"].startswith("15.7")
    many = json.loads(adm.get(url, {"q": "kabupaten"}).content)["regions"]
    assert 0 < len(many) <= 20
    assert json.loads(adm.get(url, {"q": ""}).content)["regions"] == []
    # a desa is one of ~83,000 (roles.md: a PKD's region): found by the engine's level name
    desa = json.loads(adm.get(url, {"q": "15.01.01.", "tingkat": "desa_kelurahan"}).content)["regions"]
    assert desa and all(h["code"].startswith("15.01.01.") and h["code"].count(".") == 3 for h in desa)
    for bad in ("desa", "planet"):  # an unknown level finds nothing, never a server error
        r = adm.get(url, {"q": "kerinci", "tingkat": bad})
        assert r.status_code == 200 and json.loads(r.content)["regions"] == []
