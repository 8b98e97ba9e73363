"""Events after publication, their review, alerts, the live view and the inbox, through the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from rawan.web.entry.models import EventRecord, EventStatus
from rawan.web.warnings.models import Alert, Notification

SLUG = "contoh-ikp-2024-jambi"


def _report(c, place="15.01", indicator="i56", stage="pungut-hitung", date=None, **extra):
    return c.post(f"/e/{SLUG}/kejadian-terkini/tambah/", {
        "place": place, "indicator": indicator, "severity": "berat", "stage": stage,
        "date": (date or dt.date.today()).isoformat(), "source": "Laporan PKD", "description": "uji", **extra})


def test_reported_event_waits_then_verified_raises_critical_alert(as_user, django_capture_on_commit_callbacks):
    op, ver, viewer = as_user("op_kerinci"), as_user("verifier"), as_user("viewer")
    r = _report(op, place="15.01.01")
    assert r.status_code == 302
    ev = EventRecord.objects.filter(edition__slug=SLUG, after_publication=True).latest("pk")
    assert (ev.status, ev.region_code, ev.place_code, ev.stage) == (EventStatus.PENDING, "15.01", "15.01.01",
                                                                      "pungut-hitung")
    # a viewer sees no pending event, the reporter does
    assert "Laporan PKD" not in viewer.get(f"/e/{SLUG}/kejadian-terkini/").content.decode()
    assert "Laporan PKD" in op.get(f"/e/{SLUG}/kejadian-terkini/").content.decode()
    # an operator cannot verify
    assert op.post(f"/e/{SLUG}/kejadian-terkini/{ev.pk}/periksa/", {"action": "approve"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        r = ver.post(f"/e/{SLUG}/kejadian-terkini/{ev.pk}/periksa/", {"action": "approve"})
    assert r.status_code == 302
    [a] = Alert.objects.filter(edition__slug=SLUG, region_code="15.01")
    assert (a.rule_id, a.region_code, a.kind, a.event_id, a.events) == ("kejadian-kritis", "15.01", "critical",
                                                                         ev.pk, [ev.pk])
    assert a.numbers == {"count": 1, "indicator": "i56"}
    # the verifier and Kerinci's operator are told; Kota Jambi's operator is not
    users = set(Notification.objects.filter(kind="alert", title__contains=a.rule_name, body__contains="i56",
                                            created_at__gte=a.created_at).values_list("user__username", flat=True))
    assert {"verifikator", "operator.kerinci", "admin.provinsi"} <= users and "operator.kotajambi" not in users
    page = ver.get(f"/e/{SLUG}/peringatan/{a.pk}/").content.decode()
    assert "kejadian kritis indikator i56" in page
    # a viewer sees the verified event in the live view, but no alert page
    assert viewer.get(f"/e/{SLUG}/peringatan/").status_code == 403
    live = viewer.get(f"/e/{SLUG}/terkini/")
    assert live.status_code == 200 and "bukan edisi baru" in live.content.decode().lower()


def test_rejection_needs_a_reason_and_tells_the_reporter(as_user, django_capture_on_commit_callbacks):
    op, ver = as_user("op_kerinci"), as_user("verifier")
    n_alerts = Alert.objects.count()
    _report(op)
    ev = EventRecord.objects.filter(edition__slug=SLUG, after_publication=True).latest("pk")
    ver.post(f"/e/{SLUG}/kejadian-terkini/{ev.pk}/periksa/", {"action": "reject"})
    ev.refresh_from_db()
    assert ev.status == EventStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        ver.post(f"/e/{SLUG}/kejadian-terkini/{ev.pk}/periksa/", {"action": "reject", "reason": "duplikat"})
    ev.refresh_from_db()
    assert (ev.status, ev.review_reason) == (EventStatus.REJECTED, "duplikat")
    assert Notification.objects.filter(user__username="operator.kerinci", kind="event.rejected").exists()
    assert Alert.objects.count() == n_alerts


def test_event_outside_the_operators_area_is_refused(as_user):
    op = as_user("op_kerinci")
    n = EventRecord.objects.count()
    r = _report(op, place="15.71")
    assert r.status_code == 302 and EventRecord.objects.count() == n
    assert "Wilayah 15.71 di luar wilayah kerja Anda." in op.get(f"/e/{SLUG}/kejadian-terkini/").content.decode()


def test_live_view_moves_only_the_region_of_the_event(as_user, django_capture_on_commit_callbacks):
    from rawan.web.editions.models import Edition
    from rawan.web.warnings.services import live_rows

    ed = Edition.objects.get(slug=SLUG)
    before = {r["code"]: r for r in live_rows(ed)}
    op, ver = as_user("op_kerinci"), as_user("verifier")
    old = set(EventRecord.objects.values_list("pk", flat=True))
    for k in range(3):
        _report(op, indicator="i54", stage="kampanye")
    with django_capture_on_commit_callbacks(execute=True):
        for ev in EventRecord.objects.filter(after_publication=True).exclude(pk__in=old):
            ver.post(f"/e/{SLUG}/kejadian-terkini/{ev.pk}/periksa/", {"action": "approve"})
    after = {r["code"]: r for r in live_rows(ed)}
    assert after["15.01"]["events"] == 3 and after["15.01"]["by_stage"] == {"kampanye": 3}
    assert after["15.01"]["live_score"] > before["15.01"]["score"]
    assert before["15.01"]["events"] == 0  # the demo's Kerinci event still waits for a verifier
    for code, r in after.items():
        if code != "15.01":
            assert (r["live_score"], r["events"]) == (before[code]["live_score"], before[code]["events"])
    # three vote-buying events in one week: the count rule fired once, at the third
    [a] = Alert.objects.filter(edition=ed, rule_id="politik-uang-3-dalam-7-hari", region_code="15.01")
    ids = sorted(EventRecord.objects.filter(after_publication=True).exclude(pk__in=old).values_list("pk", flat=True))
    assert a.events == ids and a.event_id == ids[2] and a.numbers["count"] == 3


def test_results_only_edition_live_view_shows_events_not_a_score(as_user):
    r = as_user("verifier").get("/e/pilkada-2024-jambi/terkini/")
    assert r.status_code == 200
    assert "bukan skor" in r.content.decode()


def test_anonymous_is_sent_to_login(as_user):
    assert as_user(None).get(f"/e/{SLUG}/terkini/").status_code == 302
