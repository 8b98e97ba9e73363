"""Events after publication, their review, alerts, the live view and the inbox, through the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from rawan.web.entry.models import EventRecord, EventStatus
from rawan.web.tasks import run_pending
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
    run_pending()  # rule evaluation is a background job (rawan worker)
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
    run_pending()  # rule evaluation is a background job (rawan worker)
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


def test_rules_copied_editable_in_draft_then_frozen_and_logged(as_user):
    from rawan.web.audit.models import AuditEntry
    from rawan.web.editions.models import Edition, Status
    from rawan.web.editions.services import freeze_model, transition
    from rawan.engine.spec import resolve_model_path
    from rawan.web.warnings.models import EditionRules

    ed = Edition(slug="uji-aturan", title="uji", regions=[["15.01", "Kerinci"]], scope_code="15")
    freeze_model(ed, open(resolve_model_path("ikp-2024"), encoding="utf-8").read(), "ikp-2024")
    ed.save()
    row = EditionRules.objects.get(edition=ed)
    assert "politik-uang-3-dalam-7-hari" in row.text and row.frozen_at is None
    admin, ver = as_user("admin"), as_user("verifier")
    text = row.text.replace("events: 3\n    days: 7", "events: 4\n    days: 7", 1)
    assert ver.post("/e/uji-aturan/aturan-peringatan/", {"text": text}).status_code == 403
    bad = admin.post("/e/uji-aturan/aturan-peringatan/", {"text": text.replace("[i54]", "[i99]", 1)})
    assert "i99" in bad.content.decode() and EditionRules.objects.get(edition=ed).text == row.text
    assert admin.post("/e/uji-aturan/aturan-peringatan/", {"text": text}).status_code == 302
    assert EditionRules.objects.get(edition=ed).text == text
    assert AuditEntry.objects.filter(action="rawan.rules.changed", edition_slug="uji-aturan").count() == 1
    transition(ed, Status.COLLECTING)
    row = EditionRules.objects.get(edition=ed)
    assert row.frozen_at is not None
    assert AuditEntry.objects.filter(action="rawan.rules.frozen", edition_slug="uji-aturan").count() == 1
    assert admin.post("/e/uji-aturan/aturan-peringatan/", {"text": row.text}).status_code == 403
    transition(ed, Status.VERIFYING)  # frozen once, logged once
    assert AuditEntry.objects.filter(action="rawan.rules.frozen", edition_slug="uji-aturan").count() == 1


def test_evaluating_again_raises_nothing_new(as_user, django_capture_on_commit_callbacks, empty_queue):
    from rawan.web.warnings.services import evaluate_event

    op, ver = as_user("op_kerinci"), as_user("verifier")
    _report(op, indicator="i56")
    ev = EventRecord.objects.filter(after_publication=True).latest("pk")
    with django_capture_on_commit_callbacks(execute=True):
        ver.post(f"/e/{SLUG}/kejadian-terkini/{ev.pk}/periksa/", {"action": "approve"})
    run_pending()  # rule evaluation is a background job (rawan worker)
    n = Alert.objects.count()
    for e in EventRecord.objects.filter(edition__slug=SLUG, status=EventStatus.VERIFIED).order_by("reviewed_at", "pk"):
        assert evaluate_event(e.pk) == []  # every verified event replayed: no new alert
    assert Alert.objects.count() == n


def test_import_events_all_or_nothing(as_user, tmp_path):
    op = as_user("op_kerinci")
    n = EventRecord.objects.count()
    bad = tmp_path / "kejadian.csv"
    bad.write_text("kode_wilayah,indikator,tingkat,tanggal,sumber,tahapan\n"
                   "15.01.01,i54,sedang,2026-01-05,PKD,kampanye\n"
                   "15.71,i54,sedang,2026-01-05,PKD,kampanye\n"
                   "15.01,i54,sedang,2026-01-05,PKD,arak-arakan\n", encoding="utf-8")
    with open(bad, "rb") as f:
        op.post(f"/e/{SLUG}/kejadian-terkini/impor/", {"file": f})
    page = op.get(f"/e/{SLUG}/kejadian-terkini/").content.decode()
    assert "kejadian.csv, baris 3: wilayah 15.71 di luar wilayah kerja Anda." in page
    assert "kejadian.csv, baris 4, kolom tahapan: &#x27;arak-arakan&#x27;" in page
    assert EventRecord.objects.count() == n  # nothing half-written
    good = tmp_path / "kejadian2.csv"
    good.write_text("kode_wilayah,indikator,tingkat,tanggal,sumber,tahapan,uraian\n"
                    "15.01.01,i54,sedang,05/01/2026,PKD,kampanye,amplop\n"
                    "15.01,i53,Berat,2026-01-06,PKD,Kampanye,bentrok\n", encoding="utf-8")
    with open(good, "rb") as f:
        assert op.post(f"/e/{SLUG}/kejadian-terkini/impor/", {"file": f}).status_code == 302
    new = list(EventRecord.objects.order_by("-pk")[:2])[::-1]
    assert [(e.region_code, e.place_code, e.indicator, e.severity, e.weight, str(e.date), e.stage, e.status)
            for e in new] == [("15.01", "15.01.01", "i54", "sedang", 2.0, "2026-01-05", "kampanye", "menunggu"),
                              ("15.01", "", "i53", "berat", 3.0, "2026-01-06", "kampanye", "menunggu")]


def test_evidence_is_kept_and_served_to_those_who_see_the_event(as_user, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    op, viewer, ver = as_user("op_kerinci"), as_user("viewer"), as_user("verifier")
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 contoh", content_type="application/pdf")
    _report(op, evidence=pdf)
    ev = EventRecord.objects.latest("pk")
    assert ev.evidence.name.endswith(".pdf")
    url = f"/e/{SLUG}/kejadian-terkini/{ev.pk}/bukti/"
    assert b"".join(op.get(url).streaming_content) == b"%PDF-1.4 contoh"
    assert viewer.get(url).status_code == 404  # not verified yet
    with django_capture_on_commit_callbacks(execute=True):
        ver.post(f"/e/{SLUG}/kejadian-terkini/{ev.pk}/periksa/", {"action": "approve"})
    assert viewer.get(url).status_code == 200
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    n = EventRecord.objects.count()
    _report(op, evidence=exe)
    assert EventRecord.objects.count() == n


def test_alert_moves_need_a_note_and_a_verifier(as_user):
    a = Alert.objects.filter(edition__slug=SLUG, status="terbuka").first()
    ver, op = as_user("verifier"), as_user("op_kotajambi")
    assert op.post(f"/e/{SLUG}/peringatan/{a.pk}/", {"action": "close", "note": "x"}).status_code in (403, 404)
    ver.post(f"/e/{SLUG}/peringatan/{a.pk}/", {"action": "close", "note": ""})
    a.refresh_from_db()
    assert a.status == "terbuka"
    ver.post(f"/e/{SLUG}/peringatan/{a.pk}/", {"action": "acknowledge", "note": "Panwascam diminta cek"})
    ver.post(f"/e/{SLUG}/peringatan/{a.pk}/", {"action": "close", "note": "selesai ditangani"})
    a.refresh_from_db()
    assert a.status == "ditutup" and [(n.old, n.new) for n in a.notes.all()] == [("terbuka", "diketahui"),
                                                                                ("diketahui", "ditutup")]
    # an operator of another kab/kota cannot even see it
    other = Alert.objects.filter(edition__slug=SLUG).exclude(region_code="15.71").first()
    assert as_user("op_kotajambi").get(f"/e/{SLUG}/peringatan/{other.pk}/").status_code == 404


def test_submission_returned_and_waiting_reach_the_inbox(as_user, django_capture_on_commit_callbacks):
    from rawan.web.entry.models import Submission

    ver = as_user("verifier")
    sub = Submission.objects.get(edition__slug="contoh-latihan-2026", region_code="15.71")
    assert sub.status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        r = ver.post("/e/contoh-latihan-2026/entri/15.71/verifikasi/", {"action": "return", "comment": "isi i05"})
    assert r.status_code == 302
    [n] = Notification.objects.filter(kind="submission.returned")
    assert n.user.username == "operator.kotajambi" and n.body == "isi i05"
    op = as_user("op_kotajambi")
    assert "isi i05" in op.get("/kotak-masuk/").content.decode()
    values = {f"v_{c}": "1" for c in sub.values}
    with django_capture_on_commit_callbacks(execute=True):
        op.post("/e/contoh-latihan-2026/entri/15.71/", {**values, "action": "submit"})
    assert set(Notification.objects.filter(kind="submission.waiting").values_list("user__username", flat=True)) \
        == {"verifikator", "admin.provinsi"}


def test_pkd_and_panwascam_report_events_in_their_own_area(db):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from rawan.web.accounts.models import Profile

    def user(name, role, region):
        u = get_user_model().objects.create(username=name)
        Profile.objects.create(user=u, role=role, region_code=region)
        c = Client()
        c.force_login(u)
        return c

    pkd = user("pkd.uji", "pkd", "15.01.01.2001")
    cam = user("panwascam.uji", "panwascam", "15.01.01")
    n = EventRecord.objects.count()
    _report(pkd, place="15.01.01.2001", source="PKD uji")
    ev = EventRecord.objects.latest("pk")
    assert EventRecord.objects.count() == n + 1 and (ev.region_code, ev.place_code) == ("15.01", "15.01.01.2001")
    _report(pkd, place="15.01.01.2002")  # another desa: refused
    assert EventRecord.objects.count() == n + 1
    _report(cam, place="15.01.01.2002", source="Panwascam uji")
    assert EventRecord.objects.count() == n + 2
    page = cam.get(f"/e/{SLUG}/kejadian-terkini/").content.decode()
    assert "PKD uji" in page and "Panwascam uji" in page  # both inside the kecamatan
    other = user("pkd.lain", "pkd", "15.01.02.2001")
    assert "PKD uji" not in other.get(f"/e/{SLUG}/kejadian-terkini/").content.decode()
    assert pkd.post(f"/e/{SLUG}/kejadian-terkini/{ev.pk}/periksa/", {"action": "approve"}).status_code == 403


def test_results_only_edition_records_events_and_counts_them_without_a_score(as_user,
                                                                             django_capture_on_commit_callbacks):
    from rawan.web.editions.models import Edition
    from rawan.web.tasks import run_pending
    from rawan.web.warnings.services import live_rows

    slug = "pilkada-2024-jambi"
    op, ver = as_user("op_kerinci"), as_user("verifier")
    page = op.get(f"/e/{slug}/kejadian-terkini/").content.decode()
    assert "tanpa model" in page and "i54" in page  # the shipped catalogue's indicators
    op.post(f"/e/{slug}/kejadian-terkini/tambah/", {"place": "15.01", "indicator": "i54", "severity": "sedang",
                                                    "stage": "kampanye", "date": "2026-01-05", "source": "PKD"})
    ev = EventRecord.objects.filter(edition__slug=slug).latest("pk")
    with django_capture_on_commit_callbacks(execute=True):
        ver.post(f"/e/{slug}/kejadian-terkini/{ev.pk}/periksa/", {"action": "approve"})
    run_pending()
    rows = {r["code"]: r for r in live_rows(Edition.objects.get(slug=slug))}
    assert rows["15.01"]["events"] == 1 and rows["15.01"]["live_score"] is None
    assert rows["15.01"]["live_category"] == rows["15.01"]["category"]  # the published class, unchanged
    assert not Alert.objects.filter(edition__slug=slug).exists()  # no model: no rules


def test_review_goes_back_only_inside_the_edition(as_user):
    op, ver = as_user("op_kerinci"), as_user("verifier")
    _report(op)
    ev = EventRecord.objects.filter(after_publication=True).latest("pk")
    r = ver.post(f"/e/{SLUG}/kejadian-terkini/{ev.pk}/periksa/", {"action": "reject", "reason": "uji",
                                                                 "next": "https://contoh.invalid/x"})
    assert r["Location"] == f"/e/{SLUG}/kejadian-terkini/?status=menunggu"


def test_alert_page_labels_its_numbers_in_the_reader_language(as_user):
    """The "Numbers" of an alert are labelled rows with rounded figures, never the raw keys
    (baseline_score, live_class ...) of rawan.alerts."""
    from rawan.web.editions.models import Edition

    a = Alert.objects.create(edition=Edition.objects.get(slug=SLUG), rule_id="uji-skor", rule_name="Skor melewati batas",
                             rule_name_en="Score crossed a cut-off", kind="score", region_code="15.71",
                             window="kelas:sedang", numbers={"baseline_score": 10.928962, "live_score": 14.20765,
                                                         "cutoff": 13.47, "baseline_class": "rendah",
                                                         "live_class": "sedang"})
    ver = as_user("verifier")
    page = ver.get(f"/e/{SLUG}/peringatan/{a.pk}/").content.decode()
    for key in ("baseline_score", "live_score", "baseline_class", "live_class", "10,928962", "kelas:", "jendela"):
        assert key not in page
    assert "<dt>Skor terkini</dt><dd>14,21</dd>" in page and "<dt>Kelas terbit</dt><dd>Rawan Rendah</dd>" in page
    assert "skor terkini 14,21 melewati batas 13,47 (Rendah → Sedang; skor terbit 10,93)" in page  # decimal comma
    assert "kategori Rawan Sedang tercapai" in page
    live = ver.get(f"/e/{SLUG}/terkini/15.71/").content.decode()
    assert "kategori Rawan Sedang tercapai" in live and "kelas:" not in live
    ver.get("/bahasa/en/")
    page = ver.get(f"/e/{SLUG}/peringatan/{a.pk}/").content.decode()
    assert "<dt>Live score</dt><dd>14.21</dd>" in page and "live_score" not in page
    assert "live score 14.21 crossed the cut-off 13.47 (Low → Medium; published 10.93)" in page
    assert "category reached: Medium vulnerability" in page and "kelas:" not in page
    assert "<dt>Published class</dt><dd>Low vulnerability</dd>" in page


def test_alerts_reach_the_panwascam_and_pkd_of_the_events_area(as_user, django_capture_on_commit_callbacks,
                                                               mailoutbox):
    """An alert raised by an event in desa 15.01.01.2001 (inside kab/kota 15.01, the edition's region) reaches
    that desa's PKD and its kecamatan's Panwascam (inbox and e-mail) and opens for them; the PKD and
    Panwascam of elsewhere get nothing and a 404, as an operator of another kab/kota does."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from rawan.web.accounts.models import Profile

    def user(name, role, region):
        u = get_user_model().objects.create(username=name, email=f"{name}@contoh.invalid")
        Profile.objects.create(user=u, role=role, region_code=region)
        c = Client()
        c.force_login(u)
        return c

    inside = {"pkd.sini": user("pkd.sini", "pkd", "15.01.01.2001"),
              "panwascam.sini": user("panwascam.sini", "panwascam", "15.01.01")}
    outside = {"pkd.sebelah": user("pkd.sebelah", "pkd", "15.01.01.2002"),
               "panwascam.sebelah": user("panwascam.sebelah", "panwascam", "15.01.02"),
               "pkd.kotajambi": user("pkd.kotajambi", "pkd", "15.71.01.1001")}
    op, ver = as_user("op_kerinci"), as_user("verifier")
    _report(op, place="15.01.01.2001")
    ev = EventRecord.objects.filter(edition__slug=SLUG, after_publication=True).latest("pk")
    assert ev.place_code == "15.01.01.2001"
    with django_capture_on_commit_callbacks(execute=True):
        ver.post(f"/e/{SLUG}/kejadian-terkini/{ev.pk}/periksa/", {"action": "approve"})
    with django_capture_on_commit_callbacks(execute=True):
        run_pending()  # rule evaluation, then (after its commit) the e-mail job
    run_pending()
    [a] = [x for x in Alert.objects.filter(edition__slug=SLUG, region_code="15.01") if ev.pk in x.events]
    told = set(Notification.objects.filter(kind="alert", url__endswith=f"/peringatan/{a.pk}/")
               .values_list("user__username", flat=True))
    assert set(inside) <= told and not told & set(outside)
    assert {"verifikator", "operator.kerinci"} <= told and "operator.kotajambi" not in told
    note = Notification.objects.get(kind="alert", user__username="pkd.sini", url__endswith=f"/peringatan/{a.pk}/")
    assert "kejadian kritis indikator i56" in note.body  # the reason, with its numbers
    mailed = {addr for m in mailoutbox if a.rule_name in m.subject for addr in m.to}
    assert {"pkd.sini@contoh.invalid", "panwascam.sini@contoh.invalid"} <= mailed
    assert not mailed & {f"{n}@contoh.invalid" for n in outside}
    url = f"/e/{SLUG}/peringatan/{a.pk}/"
    assert {n: c.get(url).status_code for n, c in {**inside, **outside}.items()} == {
        "pkd.sini": 200, "panwascam.sini": 200, "pkd.sebelah": 404, "panwascam.sebelah": 404, "pkd.kotajambi": 404}
    assert f"/peringatan/{a.pk}/" in inside["pkd.sini"].get(f"/e/{SLUG}/peringatan/").content.decode()
    assert f"/peringatan/{a.pk}/" not in outside["pkd.sebelah"].get(f"/e/{SLUG}/peringatan/").content.decode()
    assert a.rule_name in inside["pkd.sini"].get("/kotak-masuk/").content.decode()
    # they read it; moving it stays with verifiers and admins
    assert inside["panwascam.sini"].post(url, {"action": "acknowledge", "note": "x"}).status_code == 403


def test_alert_window_of_days_in_words(as_user):
    import datetime as dt

    from rawan.web.editions.models import Edition

    a = Alert.objects.create(edition=Edition.objects.get(slug=SLUG), rule_id="uji-jumlah", rule_name="Jumlah kejadian",
                             rule_name_en="Event count", kind="count", region_code="15.71",
                             window="2026-10-01/2026-10-14", window_start=dt.date(2026, 10, 1),
                             window_end=dt.date(2026, 10, 14), numbers={"count": 3, "threshold": 3})
    ver = as_user("verifier")
    page = ver.get(f"/e/{SLUG}/peringatan/{a.pk}/").content.decode()
    assert "2026-10-01/2026-10-14" not in page
    assert "jendela 1 Oktober 2026 – 14 Oktober 2026" in page
    ver.get("/bahasa/en/")
    page = ver.get(f"/e/{SLUG}/peringatan/{a.pk}/").content.decode()
    assert "window 1 October 2026 – 14 October 2026" in page and "2026-10-01/2026-10-14" not in page


def test_live_view_drawn_rows_are_shared_through_djangos_cache(as_user, monkeypatch):
    """A fresh process (nothing in this process's dictionaries) renders the live view from what another
    process kept in Django's cache: it neither parses the model file, nor reads the published bundle, nor
    builds the live scorer.  A new verified event changes the key, and the page is drawn again."""
    from rawan.web.warnings import events as E
    from rawan.web.warnings import services as S
    from rawan.web.warnings import views as V

    def fresh_process():
        for d in (V._TABLES, S._LIVE, S._SCORERS):
            d.clear()

    ver = as_user("verifier")
    fresh_process()  # (earlier tests' entries in Django's cache were rolled back with their transactions)
    first = ver.get(f"/e/{SLUG}/terkini/")
    assert first.status_code == 200
    fresh_process()

    def refuse(*a, **k):
        raise AssertionError("rebuilt in a fresh process although Django's cache holds it")

    monkeypatch.setattr(S, "scorer_of", refuse)
    monkeypatch.setattr(S, "_live_rows", refuse)
    monkeypatch.setattr(E, "stages_of", refuse)
    again = ver.get(f"/e/{SLUG}/terkini/")
    assert again.status_code == 200
    table = lambda r: r.content.decode().split("<tbody>")[1].split("</tbody>")[0]  # noqa: E731
    assert table(again) == table(first)
    # a verification changes the state: the rows are built again (here: refused, so the page fails)
    EventRecord.objects.create(edition_id=first.context["edition"].pk, region_code="15.02", indicator="i56",
                               severity="berat", weight=3.0, date=dt.date.today(), source="uji",
                               after_publication=True, status=EventStatus.VERIFIED)
    with pytest.raises(AssertionError, match="rebuilt"):
        ver.get(f"/e/{SLUG}/terkini/")
