"""The mitigation register through the pages: Bawaslu actions, recommendations, the stakeholders'
follow-up, the dashboard, the bulk drawing, the book's view, and who sees what."""

from __future__ import annotations

import datetime as dt

import pytest

from rawan.web.mitigation.models import Action, FollowUp, Recommendation, RecommendationStatus
from rawan.web.warnings.models import Organisation

SLUG = "contoh-ikp-2024-jambi"


@pytest.fixture
def orgs(db):
    """The demo's organisations (the demo viewer "pemantau" works for Polda Jambi), with the demo's
    recommendations set aside so each test counts its own."""
    Recommendation.objects.all().delete()
    Action.objects.all().delete()
    return Organisation.objects.get(code="polda-jambi"), Organisation.objects.get(code="kpu-prov-jambi")


def _rec(c, org, region="15.71", text="Patroli gabungan", send="1"):
    return c.post(f"/e/{SLUG}/mitigasi/rekomendasi/baru/", {"region": region, "organisation": [org.pk],
                                                             "text": text, "send": send})


def test_polda_viewer_sees_polda_recommendations_only_sent_ones(as_user, orgs, django_capture_on_commit_callbacks):
    polda, kpu = orgs
    admin, viewer = as_user("admin"), as_user("viewer")  # the demo viewer works for "Polda Jambi"
    with django_capture_on_commit_callbacks(execute=True):
        _rec(admin, polda, text="Untuk Polda: patroli di TPS rawan")
        _rec(admin, kpu, text="Untuk KPU: logistik tepat waktu")
        _rec(admin, polda, text="Draf untuk Polda", send="")
    assert Recommendation.objects.filter(status=RecommendationStatus.SENT).count() == 2
    page = viewer.get(f"/e/{SLUG}/mitigasi/").content.decode()
    assert "Untuk Polda: patroli" in page and "Untuk KPU" not in page and "Draf untuk Polda" not in page
    kpu_rec = Recommendation.objects.get(organisation=kpu)
    draft = Recommendation.objects.get(text="Draf untuk Polda")
    mine = Recommendation.objects.get(text__startswith="Untuk Polda")
    assert viewer.get(f"/e/{SLUG}/mitigasi/rekomendasi/{kpu_rec.pk}/").status_code == 404
    assert viewer.get(f"/e/{SLUG}/mitigasi/rekomendasi/{draft.pk}/").status_code == 404
    assert viewer.get(f"/e/{SLUG}/mitigasi/rekomendasi/{mine.pk}/").status_code == 200
    # the viewer was told in the inbox; the draft told nobody
    from rawan.web.warnings.models import Notification

    assert Notification.objects.filter(user__username="pemantau", kind="recommendation",
                                       body="Untuk Polda: patroli di TPS rawan").count() == 1
    assert not Notification.objects.filter(body="Draf untuk Polda").exists()
    # follow-up by the organisation's own user; never by another organisation's, nor on KPU's
    r = viewer.post(f"/e/{SLUG}/mitigasi/rekomendasi/{mine.pk}/", {"action": "follow_up", "text": "Patroli 3 malam",
                                                                   "date": dt.date.today().isoformat()})
    assert r.status_code == 302 and FollowUp.objects.get(recommendation=mine).text == "Patroli 3 malam"
    assert viewer.post(f"/e/{SLUG}/mitigasi/rekomendasi/{kpu_rec.pk}/",
                       {"action": "follow_up", "text": "x", "date": "2024-01-01"}).status_code == 404
    # a viewer cannot send or write the register, nor see alerts or pending events
    assert viewer.post(f"/e/{SLUG}/mitigasi/rekomendasi/{mine.pk}/", {"action": "send"}).status_code == 403
    assert viewer.post(f"/e/{SLUG}/mitigasi/tindakan/baru/", {}).status_code == 403
    # the dashboard counts it as followed up
    page = as_user("admin").get(f"/e/{SLUG}/mitigasi/").content.decode()
    assert "Patroli 3 malam" not in page  # follow-up text is on the recommendation page, the count here
    from rawan.web.mitigation.services import dashboard
    from rawan.web.editions.models import Edition

    d = dashboard(Edition.objects.get(slug=SLUG))
    assert [r.pk for r in d["with_follow"]] == [mine.pk] and [r.pk for r in d["without_follow"]] == [kpu_rec.pk]
    assert [r.pk for r in d["drafts"]] == [draft.pk]


def test_viewer_without_organisation_and_public_see_no_register(as_user, orgs):
    from django.contrib.auth import get_user_model

    from rawan.web.accounts.models import Profile

    u = get_user_model().objects.create(username="pemantau.umum")
    Profile.objects.create(user=u, role="viewer")
    from django.test import Client

    c = Client()
    c.force_login(u)
    assert c.get(f"/e/{SLUG}/mitigasi/").status_code == 403
    assert as_user(None).get(f"/e/{SLUG}/mitigasi/").status_code == 302


def test_actions_overdue_and_coverage(as_user, orgs):
    from rawan.web.editions.models import Edition
    from rawan.web.mitigation.services import dashboard

    ed = Edition.objects.get(slug=SLUG)
    high = list(ed.results.filter(level=ed.level, category="tinggi").values_list("region_code", flat=True))
    assert high, "the demo edition has a rawan-tinggi region"
    admin, op = as_user("admin"), as_user("op_kerinci")
    assert dashboard(ed)["uncovered"] == [(c, ed.region_names()[c]) for c in high]
    r = admin.post(f"/e/{SLUG}/mitigasi/tindakan/baru/", {
        "region": high[0], "kind": "patroli", "owner_unit": "Bawaslu Kab", "person": "Budi",
        "due_date": (dt.date.today() - dt.timedelta(days=1)).isoformat()})
    assert r.status_code == 302
    d = dashboard(ed)
    assert high[0] not in [c for c, _n in d["uncovered"]]
    assert [a.region_code for a in d["overdue"]] == [high[0]] and len(d["open_actions"]) == 1
    a = Action.objects.get()
    admin.post(f"/e/{SLUG}/mitigasi/tindakan/{a.pk}/", {"status": "selesai", "note": "selesai"})
    assert dashboard(ed)["overdue"] == []
    # an operator cannot add an action outside Kerinci
    op.post(f"/e/{SLUG}/mitigasi/tindakan/baru/", {"region": "15.71", "kind": "patroli", "owner_unit": "x",
                                                   "person": "y", "due_date": "2030-01-01"})
    assert Action.objects.count() == 1


def test_bulk_drawing_from_the_mapping_and_the_book_view(as_user, orgs, django_capture_on_commit_callbacks):
    from rawan.web.editions.models import Edition
    from rawan.web.mitigation.services import register_for_book

    ed = Edition.objects.get(slug=SLUG)
    admin = as_user("admin")
    assert as_user("verifier").post(f"/e/{SLUG}/mitigasi/rekomendasi/massal/", {}).status_code == 403
    admin.post(f"/e/{SLUG}/mitigasi/rekomendasi/massal/", {"due_date": "2030-01-01"})
    n_act, n_rec = Action.objects.count(), Recommendation.objects.count()
    assert n_act > 0 and n_rec > 0
    assert set(Recommendation.objects.values_list("status", flat=True)) == {"draf"}
    # drawn again: nothing twice
    admin.post(f"/e/{SLUG}/mitigasi/rekomendasi/massal/", {"due_date": "2030-01-01"})
    assert (Action.objects.count(), Recommendation.objects.count()) == (n_act, n_rec)
    # only the rawan-tinggi regions
    high = set(ed.results.filter(level=ed.level, category="tinggi").values_list("region_code", flat=True))
    assert set(Recommendation.objects.values_list("region_code", flat=True)) <= high
    assert register_for_book(ed)["recommendations"] == []  # drafts are not in the book
    rec = Recommendation.objects.filter(organisation__code="polda-jambi").first()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/e/{SLUG}/mitigasi/rekomendasi/{rec.pk}/", {"action": "send"})
    book = register_for_book(ed)
    [org] = book["recommendations"]
    assert org["organisation"] == "Polda Jambi" and org["regions"][0]["code"] == rec.region_code
    assert org["regions"][0]["items"][0]["text"] == rec.text


def test_after_the_vote_compares_classes_with_verified_outcomes(as_user):
    from rawan.web.editions.models import Edition
    from rawan.web.mitigation.services import after_vote

    ed = Edition.objects.get(slug=SLUG)
    d = after_vote(ed)
    rows = {r["code"]: r for r in d["rows"]}
    assert d["voting_stages"] == ["pungut-hitung"] and d["outcomes"] == {"psu": ("i32",), "sengketa": ("i37", "i38")}
    # the demo's verified events: PSU in Tanjung Jabung Barat (voting stage), a result dispute in
    # Tebo (tabulation stage), voters obstructed at a TPS in Kota Jambi, late logistics in Merangin
    assert (rows["15.06"]["psu"], rows["15.06"]["voting"]) == (1, 1)
    assert (rows["15.04"]["sengketa"], rows["15.04"]["voting"]) == (1, 0)
    assert rows["15.71"]["voting"] == 1 and rows["15.02"]["voting"] == 1
    assert rows["15.72"]["voting"] == 0  # its event waits for a verifier: not counted
    for r in d["rows"]:
        happened = r["voting"] + r["psu"] + r["sengketa"] > 0
        expected = {("tinggi", True): "sesuai-terjadi", ("tinggi", False): "tidak-terjadi",
                    ("rendah", True): "terlewat", ("rendah", False): "sesuai-tenang",
                    ("sedang", True): "sedang-terjadi", ("sedang", False): "sedang-tenang"}[(r["category"], happened)]
        assert r["verdict"] == expected
    assert sum(d["tally"].values()) == len(d["rows"]) == 11
    page = as_user("verifier").get(f"/e/{SLUG}/pasca-pemungutan/").content.decode()
    assert "pencegahan mungkin berhasil" in page
    assert as_user("viewer").get(f"/e/{SLUG}/pasca-pemungutan/").status_code == 403


def test_tps_links_coverage_and_recommendations_per_tps(as_user, orgs, django_capture_on_commit_callbacks):
    from rawan.web.editions.models import Edition, Status
    from rawan.web.entry.models import EventRecord
    from rawan.web.mitigation.services import dashboard
    from rawan.web.tps.models import TpsEdition, TpsStation

    ed = Edition.objects.get(slug=SLUG)
    high = ed.results.filter(level=ed.level, category="tinggi").values_list("region_code", flat=True)[0]
    tps_base = Edition.objects.create(slug="uji-tps-2026", title="uji TPS", status=Status.COLLECTING, scope_code="15")
    tps_ed = TpsEdition.objects.create(edition=tps_base, election="pilkada-2026")
    desa = f"{high}.01.2001"
    st = [TpsStation.objects.create(edition=tps_ed, desa_code=desa, kecamatan_code=f"{high}.01", kabkota_code=high,
                                    number=k, answers=["v1"] if k < 3 else []) for k in (1, 2, 3)]
    d = dashboard(ed)
    assert d["tps_edition"] == tps_ed and d["tps_rawan"] >= 2
    assert {s.pk for s in d["tps_uncovered"]} >= {st[0].pk, st[1].pk}
    admin = as_user("admin")
    # an event at a TPS of the registry is linked to it
    admin.post(f"/e/{SLUG}/kejadian-terkini/tambah/", {
        "place": desa, "tps": "TPS 002", "indicator": "i56", "severity": "berat", "stage": "pungut-hitung",
        "date": "2026-01-05", "source": "PTPS"})
    ev = EventRecord.objects.latest("pk")
    assert (ev.tps_id, ev.tps_code, ev.region_code) == (st[1].pk, "TPS 002", high)
    # one recommendation per TPS rawan of the region, each linked; then those TPS are covered
    polda, _kpu = orgs
    admin.post(f"/e/{SLUG}/mitigasi/rekomendasi/baru/", {"region": high, "organisation": [polda.pk],
                                                         "text": "Pengamanan TPS", "per_tps": "1"})
    recs = Recommendation.objects.filter(text="Pengamanan TPS")
    assert {r.tps_id for r in recs} >= {st[0].pk, st[1].pk} and st[2].pk not in {r.tps_id for r in recs}
    assert not {s.pk for s in dashboard(ed)["tps_uncovered"]} & {st[0].pk, st[1].pk}


def test_real_edition_register_never_counts_synthetic_tps(as_user, orgs):
    """The demo's training TPS collection is DATA CONTOH: the register of a real (published Bawaslu)
    edition must not list its TPS rawan, while the synthetic edition may."""
    from rawan.web.editions.models import Edition, Status
    from rawan.web.mitigation.services import dashboard
    from rawan.web.tps.models import TpsEdition, TpsStation

    fake = Edition.objects.create(slug="uji-tps-contoh", title="DATA CONTOH uji TPS", status=Status.COLLECTING,
                                  scope_code="15", synthetic=True)
    tps_ed = TpsEdition.objects.create(edition=fake, election="pilkada-2026")
    TpsStation.objects.create(edition=tps_ed, desa_code="15.71.01.1001", kecamatan_code="15.71.01",
                              kabkota_code="15.71", number=1, answers=["v1"])
    real = Edition.objects.filter(synthetic=False, scope_code__startswith="15").exclude(tps__isnull=False).first()
    assert real is not None
    d = dashboard(real)
    assert d["tps_edition"] != tps_ed and all(s.edition_id != fake.pk for s in d["tps_uncovered"])
    assert dashboard(Edition.objects.get(slug=SLUG))["tps_edition"] == tps_ed
    page = as_user("admin").get(f"/e/{real.slug}/mitigasi/").content.decode()
    assert "DATA CONTOH uji TPS" not in page
