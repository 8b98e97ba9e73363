"""The OpenAPI document: every answer has a schema and an example (examples valid against their
schemas), the live answers match them, and the human-readable page is generated from it."""

from __future__ import annotations

import json

import pytest

PUB = "contoh-ikp-2024-jambi"
REAL = "pilkada-2024-jambi"


def _validator(doc: dict, schema: dict):
    import jsonschema_rs

    return jsonschema_rs.validator_for({**schema, "components": doc["components"]})


def _doc(client) -> dict:
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    return json.loads(r.content)


@pytest.mark.django_db
def test_every_answer_has_a_schema_and_a_valid_example(client):
    doc = _doc(client)
    n = 0
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            assert op["responses"], (method, path)
            for status, resp in op["responses"].items():
                content = resp["content"]
                (media, body), = content.items()
                assert media == ("application/problem+json" if status.startswith("4") else "application/json")
                assert "schema" in body and "example" in body, (method, path, status)
                v = _validator(doc, body["schema"])
                assert v.is_valid(body["example"]), list(v.iter_errors(body["example"]))
                n += 1
            if "requestBody" in op:
                body = op["requestBody"]["content"]["application/json"]
                assert _validator(doc, body["schema"]).is_valid(body["example"])
    assert n >= 30


@pytest.mark.django_db
@pytest.mark.parametrize("path, url", [
    ("/api/editions", "/api/editions"), ("/api/editions/{slug}", f"/api/editions/{REAL}"),
    ("/api/editions/{slug}/results", f"/api/editions/{REAL}/results"),
    ("/api/editions/{slug}/results", f"/api/editions/{PUB}/results"),
    ("/api/editions/{slug}/regions", f"/api/editions/{PUB}/regions"),
    ("/api/editions/{slug}/regions/{code}", f"/api/editions/{PUB}/regions/15.01"),
    ("/api/editions/{slug}/regions/{code}", f"/api/editions/{REAL}/regions/15.03"),
    ("/api/health", "/api/health"), ("/api/openapi.json", "/api/openapi.json")])
def test_live_answers_match_their_schema(client, path, url):
    doc = _doc(client)
    r = client.get(url)
    schema = doc["paths"][path]["get"]["responses"][str(r.status_code)]["content"]["application/json"]["schema"]
    v = _validator(doc, schema)
    body = json.loads(r.content)
    assert v.is_valid(body), list(v.iter_errors(body))[:3]


@pytest.mark.django_db
def test_results_carry_stability_where_robustness_exists(client):
    pub = json.loads(client.get(f"/api/editions/{PUB}/results").content)
    assert pub["robustness"] == {"runs": 1000, "stable_share": 0.8, "seed": 2024}
    assert all(0 <= r["stability"]["class_stability"] <= 1 for r in pub["results"])
    real = json.loads(client.get(f"/api/editions/{REAL}/results").content)
    assert real["robustness"] is None and all(r["stability"] is None for r in real["results"])


@pytest.mark.django_db
def test_human_readable_page_is_generated_from_the_document(client):
    doc = _doc(client)
    r = client.get("/api/")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")
    html = r.content.decode()
    assert "<script" not in html.split("<footer")[0] and "http://" not in html.replace("http://127", "")
    for path, methods in doc["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in html
    for name in doc["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    assert "&quot;Kabupaten Sarolangun&quot;" in html or "Kabupaten Sarolangun" in html  # examples shown
    assert "application/problem+json" in html
    assert 'href="/api/"' in client.get("/").content.decode()  # linked from every page's footer


COL = "contoh-tps-pengumpulan-2026"  # TPS edition in collection; the demo PKD's desa below
DESA = "15.01.01.2001"


def _matches(doc: dict, path: str, method: str, r) -> None:
    media = r["Content-Type"].split(";")[0]
    schema = doc["paths"][path][method]["responses"][str(r.status_code)]["content"][media]["schema"]
    v = _validator(doc, schema)
    body = json.loads(r.content)
    assert v.is_valid(body), list(v.iter_errors(body))[:3]


@pytest.mark.django_db
def test_the_tps_collection_endpoints_are_documented_and_answer_as_documented(client, as_user):
    """Issue 17's API: the supervisors' progress, a desa, a TPS, and the PKD's JSON save (applied,
    sent again, conflict, invalid), each live answer valid against its documented schema."""
    import uuid

    from django.contrib.auth import get_user_model

    from rawan.web.accounts.models import ApiToken

    doc = _doc(client)
    base = "/api/tps/editions/{slug}"
    for path, method in [("/api/tps/editions", "get"), (base + "/progress", "get"), (base + "/desa/{code}", "get"),
                         (base + "/desa/{code}/tps/{number}", "get"), (base + "/desa/{code}/tps/{number}", "post")]:
        assert method in doc["paths"][path], path
    assert doc["paths"][base + "/desa/{code}/tps/{number}"]["post"]["security"] == [{"token": []}]
    _matches(doc, "/api/tps/editions", "get", as_user(None).get("/api/tps/editions"))
    _matches(doc, base + "/progress", "get", as_user("panwascam").get(f"/api/tps/editions/{COL}/progress"))
    r = as_user("pkd").get(f"/api/tps/editions/{COL}/progress")
    assert r.status_code == 403 and r["Content-Type"] == "application/problem+json"
    _matches(doc, base + "/desa/{code}", "get", as_user("pkd").get(f"/api/tps/editions/{COL}/desa/{DESA}"))
    _matches(doc, base + "/desa/{code}/tps/{number}", "get", as_user("pkd").get(f"/api/tps/editions/{COL}/desa/{DESA}/tps/1"))

    _, token = ApiToken.issue(get_user_model().objects.get(username="pkd.demo"))
    c = as_user(None)
    url, h = f"/api/tps/editions/{COL}/desa/{DESA}/tps/1", {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    post = base + "/desa/{code}/tps/{number}"

    def save(body, **extra):
        return c.post(url, json.dumps(body), content_type="application/json", **{**h, **extra})

    first = {"save_id": str(uuid.uuid4()), "base_version": 0, "answers": ["i02"], "notes": {"i02": "dua"}}
    r = save(first)
    assert r.status_code == 200 and r.json()["outcome"] == "applied"
    _matches(doc, post, "post", r)
    assert save(first).json()["version"] == r.json()["version"]  # sent again: applied once
    r = save({**first, "save_id": str(uuid.uuid4()), "answers": ["i03"]})  # made on version 0, now 1
    assert r.status_code == 409 and r.json()["outcome"] == "conflict" and r.json()["current"]["answers"] == ["i02"]
    _matches(doc, post, "post", r)
    for bad in ([1, 2], {"save_id": str(uuid.uuid4()), "base_version": -1}, {"save_id": 5, "base_version": 0},
                {"save_id": str(uuid.uuid4()), "base_version": True},
                {"save_id": str(uuid.uuid4()), "base_version": 2**70},
                {"save_id": "not-a-uuid", "base_version": 1},
                {"save_id": str(uuid.uuid4()), "base_version": 1, "answers": "i02"},
                {"save_id": str(uuid.uuid4()), "base_version": 1, "notes": {"i02": 3}},
                {"save_id": str(uuid.uuid4()), "base_version": 1, "answers": ["i99"]}):
        r = save(bad)
        assert r.status_code == 400, (bad, r.content)
        _matches(doc, post, "post", r)
    # the API's writes need the bearer token: a logged-in session cannot be made to write cross-site
    r = as_user("pkd").post(url, json.dumps({**first, "save_id": str(uuid.uuid4()), "base_version": 1}),
                            content_type="text/plain")
    assert r.status_code == 401
    _matches(doc, post, "post", r)


@pytest.mark.django_db
def test_the_tps_outputs_answer_as_documented(client, as_user):
    doc = _doc(client)
    pub, real = "contoh-tps-pilkada-2024-jambi", "tps-pilkada-2024-jambi"
    base = "/api/tps/editions/{slug}"
    _matches(doc, base + "/results", "get", as_user(None).get(f"/api/tps/editions/{pub}/results"))
    _matches(doc, base + "/results", "get", as_user(None).get(f"/api/tps/editions/{real}/results"))
    for q in ("", "?level=kecamatan&within=15.01", "?level=provinsi"):
        _matches(doc, base + "/counts", "get", as_user(None).get(f"/api/tps/editions/{pub}/counts{q}"))
    _matches(doc, base + "/list", "get", as_user("admin").get(f"/api/tps/editions/{pub}/list?variabel=v1"))
    _matches(doc, base + "/list", "get", as_user(None).get(f"/api/tps/editions/{pub}/list"))  # 403 problem
    _matches(doc, base + "/press-release", "get", as_user("admin").get(f"/api/tps/editions/{pub}/press-release?wilayah=15.01"))


def test_every_api_route_is_in_the_document(client):
    """A new /api/ view cannot be left out of /api/openapi.json (the page /api/ describes it)."""
    import re

    from django.urls import get_resolver
    from django.urls.resolvers import RoutePattern, URLResolver

    def routes(patterns, prefix=""):
        for p in patterns:
            text = str(p.pattern)
            if isinstance(p.pattern, RoutePattern):
                text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)
            else:
                text = re.sub(r"\(\?P<(\w+)>[^/]*?\)(?=/|\$|$)", r"{\1}", text).lstrip("^").rstrip("$")
            if isinstance(p, URLResolver):
                yield from routes(p.url_patterns, prefix + text)
            else:
                yield "/" + prefix + text

    api = {r for r in routes(get_resolver().url_patterns) if r.startswith("/api/") and r != "/api/"}
    documented = set(json.loads(client.get("/api/openapi.json").content)["paths"])
    assert api == documented, (api - documented, documented - api)
