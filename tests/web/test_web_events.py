"""Event records (kejadian): recorded per region, then summed by severity into indicator values."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
TRAIN = "contoh-latihan-2026"
URL = f"/e/{TRAIN}/entri/15.01/"


def _event(client, **kw):
    data = {"e_indicator": "i01", "e_severity": "berat", "e_date": "2026-03-02", "e_source": "Laporan Panwascam",
            "e_place": "15.01.01", **kw}
    return client.post(URL + "kejadian/", data)


def test_events_fill_indicator_values(as_user):
    from rawan.web.entry.models import EventRecord, Submission

    op = as_user("op_kerinci")
    assert _event(op).status_code == 302
    assert _event(op, e_severity="ringan", e_date="2026-03-05").status_code == 302
    assert _event(op, e_indicator="i02", e_severity="sedang").status_code == 302
    assert EventRecord.objects.filter(edition__slug=TRAIN, region_code="15.01").count() == 3
    # invalid: future date, place outside Kerinci, missing source -> nothing recorded
    _event(op, e_date="2999-01-01")
    _event(op, e_place="15.71.01")
    _event(op, e_source="")
    assert EventRecord.objects.filter(edition__slug=TRAIN, region_code="15.01").count() == 3
    assert op.post(URL + "kejadian/terapkan/").status_code == 302
    sub = Submission.objects.get(edition__slug=TRAIN, region_code="15.01")
    assert sub.values["i01"] == 4.0  # berat 3 + ringan 1 (the model's severity weights)
    assert sub.values["i02"] == 2.0  # sedang 2
    page = op.get(URL).content.decode()
    assert "Laporan Panwascam" in page and "Kejadian dicatat" in page


def test_event_scope(as_user):
    assert _event(as_user("op_kotajambi")).status_code == 404
    assert _event(as_user("viewer")).status_code == 403
    assert _event(as_user("verifier")).status_code == 403
    assert as_user("op_kotajambi").post(URL + "kejadian/terapkan/").status_code == 404
