"""The entry API: PUT replaces the whole submission only when the document names everything;
PATCH changes only what it names; strict types (``"submit": "no"`` is refused, not a submit)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db
TRAIN = "contoh-latihan-2026"
URL = f"/api/editions/{TRAIN}/entries/15.01"


@pytest.fixture
def call(as_user):
    from django.contrib.auth import get_user_model

    from rawan.web.accounts.models import ApiToken

    token = ApiToken.issue(get_user_model().objects.get(username="operator.kerinci"))[1]
    c = as_user(None)

    def go(method, doc):
        body = doc if isinstance(doc, (str, bytes)) else json.dumps(doc)
        r = getattr(c, method)(URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
        return r.status_code, json.loads(r.content)

    return go


def _sub():
    from rawan.web.entry.models import Submission

    return Submission.objects.get(edition__slug=TRAIN, region_code="15.01")


def test_patch_changes_only_what_it_names(call):
    from rawan.web.audit.models import AuditEntry

    before = _sub()
    old_values, old_notes = dict(before.values), dict(before.notes)
    status, doc = call("patch", {"values": {"i02": 4}, "notes": {"i02": "BA Panwascam"}})
    assert status == 200
    after = _sub()
    assert after.values == {**old_values, "i02": 4.0}
    assert after.notes == {**old_notes, "i02": "BA Panwascam"} and after.status == "draft"
    log = AuditEntry.objects.filter(edition__slug=TRAIN, region_code="15.01").order_by("-id").first()
    assert log.data["changed"] == {"i02": [old_values.get("i02"), 4.0]}
    assert log.data["notes"] == {"i02": [None, "BA Panwascam"]}
    # a note-only change is logged with its old and new text, not as {}
    call("patch", {"notes": {"i02": "BA Panwascam Gunung Kerinci"}})
    log = AuditEntry.objects.filter(edition__slug=TRAIN, region_code="15.01").order_by("-id").first()
    assert log.data["changed"] == {} and log.data["notes"] == {"i02": ["BA Panwascam", "BA Panwascam Gunung Kerinci"]}
    call("patch", {"notes": {"i02": None}})
    assert "i02" not in _sub().notes


def test_put_needs_the_whole_document(call):
    from rawan.web.editions.models import Edition
    from rawan.web.editions.services import spec_of

    before = _sub()
    status, doc = call("put", {"values": {"i01": 3}, "notes": {"i01": "BA"}, "submit": False})
    assert status == 400 and "PUT replaces the whole submission" in doc["detail"] and "i02" in doc["detail"]
    assert _sub().values == before.values and _sub().notes == before.notes  # nothing nulled
    indicators = spec_of(Edition.objects.get(slug=TRAIN)).tree.indicators
    whole = {c: None for c in indicators} | {"i01": 3}
    assert call("put", {"values": whole})[0] == 400  # notes missing: PUT must say "{}"
    status, doc = call("put", {"values": whole, "notes": {}})
    assert status == 200 and _sub().values == {c: (3.0 if c == "i01" else None) for c in indicators}
    assert _sub().notes == {}


@pytest.mark.parametrize("doc", [
    {"values": {"i01": 3}, "submit": "no"}, {"values": {"i01": 3}, "submit": 0}, {"values": {"i01": 3}, "submit": "false"},
    {"values": {"i01": True}}, {"values": {"i01": [3]}}, {"values": [3]}, {"notes": {"i01": 5}},
    {"notes": {"i01": "x" * 1001}}, {"values": {"zz9": 1}}, {"valeus": {"i01": 3}}, "[1]", "{not json",
])
def test_strict_documents_are_refused_and_save_nothing(call, doc):
    before = _sub()
    status, body = call("patch", doc)
    assert status == 400 and "nothing saved" in body["detail"]
    after = _sub()
    assert (after.values, after.notes, after.status) == (before.values, before.notes, before.status)


def test_submit_true_submits_and_then_writes_are_closed(call):
    assert call("patch", {"values": {"i01": 2}, "submit": True})[0] == 200
    assert _sub().status == "submitted"
    assert call("patch", {"values": {"i01": 5}})[0] == 403  # submitted: not open for entry
    assert _sub().values["i01"] == 2.0


def test_1e308_and_implausible_counts_are_refused_by_form_and_api(call, as_user):
    before = _sub()
    for text in ("1e308", "100000001"):
        status, body = call("patch", {"values": {"i01": text}})
        assert status == 400 and "i01" in body["fields"]
        r = as_user("op_kerinci").post(f"/e/{TRAIN}/entri/15.01/", {"v_i01": text, "action": "save"})
        assert r.status_code == 400
    assert call("patch", {"values": {"i01": 1e308}})[0] == 400
    assert _sub().values == before.values
