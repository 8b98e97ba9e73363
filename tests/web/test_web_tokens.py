"""API tokens: expiry, revoke, scopes (read / write per edition), the page and the command."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

pytestmark = pytest.mark.django_db
TRAIN = "contoh-latihan-2026"
PUB = "contoh-ikp-2024-jambi"
ENTRY = f"/api/editions/{TRAIN}/entries/15.01"


def _issue(name="op_kerinci", scopes=None, days=90):
    from django.contrib.auth import get_user_model

    from rawan.web.accounts.models import ApiToken
    from tests.web.conftest import USERS

    return ApiToken.issue(get_user_model().objects.get(username=USERS[name]), "t", days=days, scopes=scopes)


def _call(client, method, url, token, doc=None):
    h = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if doc is None:
        return getattr(client, method)(url, **h).status_code
    return getattr(client, method)(url, json.dumps(doc), content_type="application/json", **h).status_code


def test_scopes_per_edition_inside_the_role(as_user):
    c = as_user(None)
    _tok, read = _issue(scopes={TRAIN: "read"})
    _tok, write = _issue(scopes={TRAIN: "write"})
    _tok, every = _issue(scopes={"*": "write"})
    patch = {"values": {"i01": 2}}
    # the access matrix with tokens: (token, method, url) -> status
    cases = [
        (read, "get", ENTRY, None, 200), (read, "patch", ENTRY, patch, 403),
        (read, "get", f"/api/editions/{PUB}/results", None, 404),  # outside the token's editions
        (read, "get", f"/api/editions/{PUB}", None, 404),
        (write, "patch", ENTRY, patch, 200), (write, "get", f"/api/editions/{PUB}/results", None, 404),
        (every, "get", f"/api/editions/{PUB}/results", None, 200), (every, "patch", ENTRY, patch, 200),
        (every, "patch", f"/api/editions/{TRAIN}/entries/15.71", patch, 404),  # the role still decides
    ]
    got = [(_call(c, m, u, t, d)) for t, m, u, d, _ in cases]
    assert got == [code for *_, code in cases]
    listed = json.loads(c.get("/api/editions", HTTP_AUTHORIZATION=f"Bearer {read}").content)["editions"]
    assert [e["slug"] for e in listed] == [TRAIN]


def test_expired_and_revoked_tokens_get_401(as_user):
    from django.utils import timezone

    from rawan.web.accounts.models import ApiToken

    c = as_user(None)
    tok, token = _issue()
    assert _call(c, "get", ENTRY, token) == 200
    ApiToken.objects.filter(pk=tok.pk).update(expires=timezone.now() - timedelta(seconds=1))
    assert _call(c, "get", ENTRY, token) == 401
    tok2, token2 = _issue()
    op = as_user("op_kerinci")
    assert as_user("op_kotajambi").post(f"/akun/token/{tok2.pk}/cabut/").status_code == 404  # not theirs
    assert as_user(None).post(f"/akun/token/{tok2.pk}/cabut/").status_code == 302  # to login
    assert _call(c, "get", ENTRY, token2) == 200
    assert op.post(f"/akun/token/{tok2.pk}/cabut/").status_code == 302
    assert _call(c, "get", ENTRY, token2) == 401
    assert as_user("admin").post(f"/akun/token/{tok.pk}/cabut/").status_code == 302  # an admin may revoke any


def test_token_page_creates_with_scope_and_expiry_and_shows_it_once(as_user):
    from django.utils import timezone

    from rawan.web.accounts.models import ApiToken
    from rawan.web.audit.models import AuditEntry

    op = as_user("op_kerinci")
    r = op.get("/akun/token/")
    assert "no-store" in r["Cache-Control"]
    assert op.post("/akun/token/", {"name": "laptop", "days": "90"}).status_code == 400  # read or write?
    assert op.post("/akun/token/", {"name": "x", "days": "5000", "level": "read"}).status_code == 400
    assert op.post("/akun/token/", {"name": "x", "days": "30", "level": "read", "edition": "tidak-ada"}).status_code == 400
    r = op.post("/akun/token/", {"name": "laptop", "days": "30", "level": "write", "edition": TRAIN})
    assert r.status_code == 302
    page = op.get("/akun/token/")
    assert "no-store" in page["Cache-Control"]
    token = re.search(r"<code>(rwn_[^<]+)</code>", page.content.decode()).group(1)
    assert token not in op.get("/akun/token/").content.decode()  # shown once
    tok = ApiToken.objects.get(digest=ApiToken.digest_of(token))
    assert tok.scopes == {TRAIN: "write"} and tok.name == "laptop"
    assert timedelta(days=29) < tok.expires - timezone.now() <= timedelta(days=30)
    assert AuditEntry.objects.filter(action="rawan.token.created", data__name="laptop").exists()


def test_token_commands(capsys):
    from rawan.cli import main
    from rawan.web.accounts.models import ApiToken

    assert main(["web", "token", "create", "operator.kerinci", "--name", "skrip", "--scope", "read",
                 "--edition", TRAIN, "--days", "7"]) in (0, None)
    token = re.search(r"(rwn_\S+)", capsys.readouterr().out).group(1)
    tok = ApiToken.objects.get(digest=ApiToken.digest_of(token))
    assert tok.scopes == {TRAIN: "read"}
    main(["web", "token", "list", "operator.kerinci"])
    out = capsys.readouterr().out
    assert "skrip" in out and token not in out and "active" in out
    main(["web", "token", "revoke", str(tok.pk)])
    tok.refresh_from_db()
    assert tok.revoked is not None and not tok.usable
