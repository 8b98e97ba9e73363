"""Edition state changes: confirmation pages, idempotent publish / archive / correction, the audit
log's old -> new, corrections that reopen chosen regions, compute never touching a published edition."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pytest

pytestmark = pytest.mark.django_db
TRAIN = "contoh-latihan-2026"
PUB = "contoh-ikp-2024-jambi"
ACT = "/e/{}/kelola/aksi/"


def _status_log(slug):
    from rawan.web.audit.models import AuditEntry

    return [(e.action, e.data.get("old"), e.data.get("new")) for e in
            AuditEntry.objects.filter(edition__slug=slug, action__in=("rawan.edition.status",
                                                                      "rawan.edition.published")).order_by("id")]


def test_archive_and_back_to_draft_need_a_confirmation(as_user):
    from rawan.web.editions.models import Edition

    adm = as_user("admin")
    r = adm.post(ACT.format(TRAIN), {"action": "status", "status": "draft", "reason": "salah model"})
    assert r.status_code == 302 and "/kelola/konfirmasi/draft/" in r["Location"]
    assert Edition.objects.get(slug=TRAIN).status == "pengumpulan"
    page = adm.get(r["Location"]).content.decode()
    assert "Kembalikan edisi ini ke draf?" in page and 'value="salah model"' in page
    r = adm.post(ACT.format(PUB), {"action": "status", "status": "arsip"})
    assert "/kelola/konfirmasi/archive/" in r["Location"] and Edition.objects.get(slug=PUB).status == "terbit"
    assert adm.get(f"/e/{PUB}/kelola/konfirmasi/nope/").status_code == 404
    for name, code in (("verifier", 403), ("op_kerinci", 403), ("viewer", 403)):
        assert as_user(name).get(f"/e/{PUB}/kelola/konfirmasi/archive/").status_code == code
    assert as_user(None).get(f"/e/{PUB}/kelola/konfirmasi/archive/").status_code == 302  # to login
    adm.post(ACT.format(PUB), {"action": "status", "status": "arsip", "confirm": "1", "expected": "terbit"})
    adm.post(ACT.format(PUB), {"action": "status", "status": "arsip", "confirm": "1", "expected": "terbit"})
    assert Edition.objects.get(slug=PUB).status == "arsip"
    assert _status_log(PUB)[-1] == ("rawan.edition.status", "terbit", "arsip")
    assert [a for a, *_ in _status_log(PUB)].count("rawan.edition.status") == 1  # the second click: nothing


def test_stale_page_cannot_apply_a_step_to_a_state_nobody_saw(as_user):
    from rawan.web.editions.models import Edition

    adm = as_user("admin")
    adm.post(ACT.format(TRAIN), {"action": "status", "status": "verifikasi", "expected": "pengumpulan"})
    # a second admin's page still shows "pengumpulan" and asks for draft: refused
    adm.post(ACT.format(TRAIN), {"action": "status", "status": "draft", "expected": "pengumpulan", "confirm": "1"})
    assert Edition.objects.get(slug=TRAIN).status == "verifikasi"
    assert _status_log(TRAIN) == [("rawan.edition.status", "pengumpulan", "verifikasi")]


def test_publish_twice_publishes_once_and_the_bundle_never_changes(as_user):
    from rawan.web.editions.models import Edition
    from rawan.web.editions.services import publish
    from rawan.web.entry.models import Submission

    Submission.objects.filter(edition__slug=TRAIN).update(status="verified")
    adm = as_user("admin")
    adm.post(ACT.format(TRAIN), {"action": "status", "status": "verifikasi"})
    adm.post(ACT.format(TRAIN), {"action": "publish", "confirm": "1"})
    ed = Edition.objects.get(slug=TRAIN)
    sha, when = ed.bundle_sha256, ed.published_at
    r = adm.post(ACT.format(TRAIN), {"action": "publish", "confirm": "1"}, follow=True)
    assert "sudah terbit" in r.content.decode()
    assert publish(Edition.objects.get(slug=TRAIN)) is False
    ed = Edition.objects.get(slug=TRAIN)
    assert (ed.bundle_sha256, ed.published_at) == (sha, when)
    assert _status_log(TRAIN) == [("rawan.edition.status", "pengumpulan", "verifikasi"),
                                  ("rawan.edition.published", "verifikasi", "terbit")]


def test_compute_never_rewrites_a_published_edition_and_results_only_gives_no_500(as_user):
    from rawan.web.editions.models import Edition

    adm = as_user("admin")
    before = list(Edition.objects.get(slug=PUB).results.values_list("region_code", "score", "rank"))
    computed = Edition.objects.get(slug=PUB).computed_at
    r = adm.post(ACT.format(PUB), {"action": "compute"}, follow=True)
    assert r.status_code == 200 and "tidak diizinkan" in r.content.decode()
    ed = Edition.objects.get(slug=PUB)
    assert list(ed.results.values_list("region_code", "score", "rank")) == before and ed.computed_at == computed
    r = adm.post(ACT.format("pilkada-2024-jambi"), {"action": "compute"}, follow=True)
    assert r.status_code == 200 and "tidak diizinkan" in r.content.decode()


def test_correction_reopens_chosen_regions_and_publishes_a_new_version_beside_the_old(as_user, tmp_path):
    from rawan.cli import main
    from rawan.web.audit.models import AuditEntry
    from rawan.web.editions.models import Edition
    from rawan.web.entry.models import Submission

    adm, op, ver = as_user("admin"), as_user("op_kerinci"), as_user("verifier")
    old = Edition.objects.get(slug=PUB)
    old_bundle = bytes(old.bundle)
    # a reason and at least one region are required
    adm.post(ACT.format(PUB), {"action": "correct", "reason": "i01 Kerinci salah ketik"})
    adm.post(ACT.format(PUB), {"action": "correct", "region": "15.01"})
    assert not Edition.objects.filter(corrects=old).exists()
    r = adm.post(ACT.format(PUB), {"action": "correct", "reason": "i01 Kerinci salah ketik", "region": "15.01"})
    new = Edition.objects.get(corrects=old)
    r2 = adm.post(ACT.format(PUB), {"action": "correct", "reason": "klik kedua", "region": "15.02"})
    assert r2["Location"] == r["Location"] == f"/e/{new.slug}/kelola/"
    assert Edition.objects.filter(corrects=old).count() == 1 and not Edition.objects.filter(slug__endswith="-b").exists()
    subs = {s.region_code: s for s in new.submissions.all()}
    assert subs["15.01"].status == "returned" and subs["15.01"].comment == "i01 Kerinci salah ketik"
    assert {c for c, s in subs.items() if s.status == "verified"} == {c for c, _ in old.regions} - {"15.01"}
    assert AuditEntry.objects.filter(edition=new, region_code="15.01", action="rawan.submission.reopened").exists()
    # the operator sees the reason, corrects and submits; the verifier approves; the admin publishes
    assert "i01 Kerinci salah ketik" in op.get(f"/e/{new.slug}/entri/15.01/").content.decode()
    values = {k: ("" if v is None else f"{v:g}") for k, v in subs["15.01"].values.items()}
    values["i01"] = str(int(values["i01"] or 0) + 7)
    r = op.post(f"/e/{new.slug}/entri/15.01/", {**{f"v_{k}": v for k, v in values.items()}, "action": "submit"})
    assert r.status_code == 302
    assert op.post(f"/e/{new.slug}/entri/15.02/", {"v_i01": "1"}).status_code == 404  # not their kab/kota
    assert ver.post(f"/e/{new.slug}/entri/15.01/verifikasi/", {"action": "approve"}).status_code == 302
    adm.post(ACT.format(new.slug), {"action": "status", "status": "verifikasi"})
    adm.post(ACT.format(new.slug), {"action": "publish", "confirm": "1"})
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.status == "terbit" and old.status == "terbit" and bytes(old.bundle) == old_bundle
    assert new.bundle_sha256 != old.bundle_sha256 and new.version == 2
    # both bundles reproduce their results with `rawan compute`
    for ed in (old, new):
        d = tmp_path / ed.slug
        zipfile.ZipFile(io.BytesIO(bytes(ed.bundle))).extractall(d)
        m = json.loads((d / "manifest.json").read_text())
        assert main(["compute", "--model", str(d / "model.yaml"), "--data", str(d / "data.csv"),
                     "--level", m["level"], "--out", str(d / "again.csv")]) in (0, None)
        assert (d / "again.csv").read_bytes() == (d / "results.csv").read_bytes()
    data = {r["code"]: r for r in csv.DictReader(io.StringIO((tmp_path / new.slug / "data.csv").read_text()))}
    assert float(data["15.01"]["i01"]) == float(values["i01"])
    assert hashlib.sha256(bytes(new.bundle)).hexdigest() == new.bundle_sha256
