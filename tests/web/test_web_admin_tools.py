"""Admin and operator tools: delete a wrong event record, manage users, edit edition settings.

Exact status codes per named user, as in test_web_access.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db

TRAIN = "contoh-latihan-2026"  # in data collection: Kerinci draft, Kota Jambi submitted
PUB = "contoh-ikp-2024-jambi"  # synthetic, published
ALL = ["admin", "op_kerinci", "op_kotajambi", "verifier", "viewer", None]


def _make_event(code="15.01", indicator="i01"):
    from rawan.web.editions.models import Edition
    from rawan.web.entry.models import EventRecord

    return EventRecord.objects.create(edition=Edition.objects.get(slug=TRAIN), region_code=code, indicator=indicator,
                                      severity="berat", weight=3.0, date=dt.date(2026, 3, 2), source="Laporan Panwascam")


def _delete_url(ev):
    return f"/e/{TRAIN}/entri/{ev.region_code}/kejadian/{ev.pk}/hapus/"


def test_delete_event_status_per_user(as_user):
    from rawan.web.entry.models import EventRecord

    got = {}
    for name in ALL:
        ev = _make_event()
        r = as_user(name).post(_delete_url(ev), {"reason": "salah input"})
        got[name] = r.status_code
        if name is None:
            assert "/masuk/" in r["Location"]
        assert EventRecord.objects.filter(pk=ev.pk).exists() == (name not in ("admin", "op_kerinci"))
    assert got == {"admin": 302, "op_kerinci": 302, "op_kotajambi": 404, "verifier": 403, "viewer": 403, None: 302}
    # GET is not allowed; an unknown event id is 404; an event of another region by this URL is 404
    ev = _make_event()
    assert as_user("op_kerinci").get(_delete_url(ev)).status_code == 405
    assert as_user("op_kerinci").post(f"/e/{TRAIN}/entri/15.01/kejadian/999999/hapus/").status_code == 404
    other = _make_event(code="15.71")
    assert as_user("op_kerinci").post(f"/e/{TRAIN}/entri/15.01/kejadian/{other.pk}/hapus/").status_code == 404
    assert EventRecord.objects.filter(pk=other.pk).exists()


def test_delete_event_needs_csrf(as_user):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from rawan.web.entry.models import EventRecord

    c = Client(enforce_csrf_checks=True)
    c.force_login(get_user_model().objects.get(username="operator.kerinci"))
    ev = _make_event()
    assert c.post(_delete_url(ev)).status_code == 403
    assert EventRecord.objects.filter(pk=ev.pk).exists()


def test_delete_event_refused_when_not_editable(as_user):
    from rawan.web.entry.models import EventRecord, Submission

    ev = _make_event(code="15.71")  # Kota Jambi is submitted: not editable
    assert Submission.objects.get(edition__slug=TRAIN, region_code="15.71").status == "submitted"
    assert as_user("op_kotajambi").post(_delete_url(ev)).status_code == 403
    assert as_user("admin").post(_delete_url(ev)).status_code == 403
    assert EventRecord.objects.filter(pk=ev.pk).exists()


def test_delete_event_logged_values_unchanged(as_user):
    from rawan.web.audit.models import AuditEntry
    from rawan.web.entry.models import Submission

    op = as_user("op_kerinci")
    url = f"/e/{TRAIN}/entri/15.01/"
    ev = _make_event()
    assert op.post(url + "kejadian/terapkan/").status_code == 302
    sub = Submission.objects.get(edition__slug=TRAIN, region_code="15.01")
    filled = sub.values["i01"]
    page = op.get(url).content.decode()
    assert f'action="{_delete_url(ev)}"' in page and 'for="del_reason_%d"' % ev.pk in page
    assert "Isi nilai indikator dari kejadian" in page
    r = op.post(_delete_url(ev), {"reason": "tanggal salah"}, follow=True)
    assert r.status_code == 200
    assert "Kejadian dihapus" in r.content.decode()
    sub.refresh_from_db()
    assert sub.values["i01"] == filled  # not silently changed
    entry = AuditEntry.objects.filter(action="rawan.event.deleted").latest("id")
    assert entry.region_code == "15.01" and entry.username == "operator.kerinci"
    assert entry.data["old"]["id"] == ev.pk and entry.data["old"]["indicator"] == "i01"
    assert entry.data["old"]["source"] == "Laporan Panwascam" and entry.data["new"] == "deleted"
    assert entry.data["reason"] == "tanggal salah"
