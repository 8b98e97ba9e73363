"""HTTP for link checkers, caches and other sites: HEAD on every GET view, ETag and Cache-Control
on published frozen content (304 on If-None-Match), CORS on the read-only public API, and every
API error as RFC 9457 problem details (never an HTML page)."""

from __future__ import annotations

import json

import pytest

PUB = "contoh-ikp-2024-jambi"
REAL = "pilkada-2024-jambi"
TRAIN = "contoh-latihan-2026"

GET_VIEWS = [  # (user, url): every kind of GET view, public and internal
    (None, "/"), (None, f"/e/{PUB}/"), (None, f"/e/{PUB}/?dimensi=sospol"), (None, f"/e/{PUB}/peringkat/"),
    (None, f"/e/{PUB}/wilayah/15.01/"), (None, f"/e/{REAL}/"), (None, "/bandingkan/"),
    (None, f"/e/{PUB}/unduh/hasil.csv"), (None, f"/e/{PUB}/unduh/hasil.xlsx"),
    (None, f"/e/{PUB}/unduh/hasil.geojson"), (None, f"/e/{PUB}/unduh/bundel.zip"), (None, "/masuk/"),
    (None, "/api/editions"), (None, f"/api/editions/{PUB}"), (None, f"/api/editions/{PUB}/results"),
    (None, f"/api/editions/{PUB}/regions"), (None, f"/api/editions/{PUB}/regions/15.01"),
    (None, "/api/openapi.json"), (None, "/api/health"), (None, f"/e/{REAL}/unduh/peta.svg"),
    (None, f"/e/{PUB}/unduh/peta.png?dimensi=sospol"), (None, f"/e/{REAL}/sematkan/"),
    ("admin", "/"), ("admin", f"/e/{TRAIN}/"), ("admin", f"/e/{TRAIN}/kelola/"), ("admin", "/pengguna/"),
    ("op_kerinci", f"/e/{TRAIN}/entri/"), ("op_kerinci", f"/e/{TRAIN}/entri/15.01/"),
    ("op_kerinci", f"/api/editions/{TRAIN}/entries/15.01"), ("op_kerinci", "/akun/token/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("user, url", GET_VIEWS)
def test_head_answers_like_get_without_a_body(as_user, user, url):
    c = as_user(user)
    get = c.get(url)
    head = c.head(url)
    assert get.status_code == 200, url
    assert head.status_code == 200, (url, head.status_code)
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [f"/e/{PUB}/", f"/e/{PUB}/peringkat/", f"/e/{REAL}/wilayah/15.03/",
                                 f"/e/{PUB}/unduh/hasil.csv", f"/e/{PUB}/unduh/bundel.zip",
                                 f"/api/editions/{PUB}/results", f"/api/editions/{REAL}/regions/15.71"])
def test_published_content_has_etag_cache_control_and_304(client, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    again = client.get(url)  # from the page cache: the same ETag
    assert again["ETag"] == etag
    nm = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert nm.status_code == 304 and nm.content == b"" and nm["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"x", W/{etag}').status_code == 304


@pytest.mark.django_db
def test_unpublished_and_personal_pages_get_no_public_cache(as_user):
    r = as_user("admin").get(f"/e/{TRAIN}/")
    assert r.status_code == 200 and "public" not in r.get("Cache-Control", "")
    assert "ETag" not in r


@pytest.mark.django_db
def test_bundle_etag_is_its_sha256(client):
    from rawan.web.editions.models import Edition

    sha = Edition.objects.get(slug=PUB).bundle_sha256
    r = client.get(f"/e/{PUB}/unduh/bundel.zip")
    assert r["ETag"] == f'"{sha}"'
    assert client.get(f"/e/{PUB}/unduh/bundel.zip", HTTP_IF_NONE_MATCH=f'"{sha}"').status_code == 304


@pytest.mark.django_db
def test_read_api_allows_other_origins_but_not_the_entry_api(client, as_user):
    r = client.get(f"/api/editions/{PUB}/results", HTTP_ORIGIN="https://koran.example")
    assert r["Access-Control-Allow-Origin"] == "*" and "ETag" in r["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in r
    pre = client.options(f"/api/editions/{PUB}/results", HTTP_ORIGIN="https://koran.example",
                         HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match")
    assert pre.status_code == 204 and "GET" in pre["Access-Control-Allow-Methods"]
    assert "If-None-Match" in pre["Access-Control-Allow-Headers"]
    # errors of the read API too (a page elsewhere can read why)
    assert client.get("/api/editions/no-such", HTTP_ORIGIN="https://x.example")["Access-Control-Allow-Origin"] == "*"
    # the entry API (internal roles, writes with tokens) is not offered to other origins
    e = as_user("op_kerinci").get(f"/api/editions/{TRAIN}/entries/15.01", HTTP_ORIGIN="https://x.example")
    assert e.status_code == 200 and "Access-Control-Allow-Origin" not in e
    pre = client.options(f"/api/editions/{TRAIN}/entries/15.01", HTTP_ORIGIN="https://x.example",
                         HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH")
    assert "Access-Control-Allow-Origin" not in pre
    # the HTML pages are not CORS resources
    assert "Access-Control-Allow-Origin" not in client.get(f"/e/{PUB}/")


def _problem(r, status):
    assert r.status_code == status
    assert r["Content-Type"] == "application/problem+json", r["Content-Type"]
    doc = json.loads(r.content)
    assert doc["status"] == status and doc["type"] == "about:blank" and doc["title"]
    return doc


@pytest.mark.django_db
def test_api_errors_are_problem_details(client, as_user, settings):
    from rawan.web.accounts.models import ApiToken

    # 404: an unknown edition, an unknown region, an unknown API path, a bad code
    _problem(client.get("/api/editions/no-such"), 404)
    _problem(client.get(f"/api/editions/{PUB}/regions/15.99"), 404)
    _problem(client.get("/api/nothing-here"), 404)
    _problem(client.get(f"/api/editions/{PUB}/regions/abc"), 404)
    # 405 with Allow
    r = client.post("/api/editions")
    assert "GET" in _problem(r, 405)["detail"] and "HEAD" in r["Allow"]
    _problem(client.delete(f"/api/editions/{TRAIN}/entries/15.01"), 405)
    # 401: a write without a token, a bad token
    r = as_user("op_kerinci").patch(f"/api/editions/{TRAIN}/entries/15.01", "{}", content_type="application/json")
    assert "bearer token" in _problem(r, 401)["detail"]
    r = client.get("/api/editions", HTTP_AUTHORIZATION="Bearer rwn_nonsense")
    _problem(r, 401)
    assert r["WWW-Authenticate"] == "Bearer"
    # 403: a viewer reading an entry; a read-only token writing
    _problem(as_user("viewer").get(f"/api/editions/{TRAIN}/entries/15.01"), 403)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="operator.kerinci")
    _, raw = ApiToken.issue(user, days=7, scopes={"*": "read"})
    r = client.patch(f"/api/editions/{TRAIN}/entries/15.01", "{}", content_type="application/json",
                     HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert "read scope" in _problem(r, 403)["detail"]
    # 400: a bad document, with the fields extension for invalid values
    _, raw = ApiToken.issue(user, days=7)
    r = client.patch(f"/api/editions/{TRAIN}/entries/15.01", "[1]", content_type="application/json",
                     HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert "JSON object" in _problem(r, 400)["detail"]
    # 413 from the body limit, before any view
    r = client.patch(f"/api/editions/{TRAIN}/entries/15.01", "x" * (70 * 1024), content_type="application/json")
    _problem(r, 413)


@pytest.mark.django_db
def test_guessing_tokens_gets_429_problem_details(client, settings):
    settings.LOCKOUT_ADDRESS_FAILURES = 3
    for _ in range(3):
        _problem(client.get("/api/editions", HTTP_AUTHORIZATION="Bearer rwn_guess"), 401)
    r = client.get("/api/editions", HTTP_AUTHORIZATION="Bearer rwn_guess")
    doc = _problem(r, 429)
    assert int(r["Retry-After"]) > 0 and "try again later" in doc["detail"]
    # without a token the public API still answers (the lock is on token use from that address)
    assert client.get("/api/editions").status_code == 200
