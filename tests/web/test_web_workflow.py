"""Entry -> verification -> publish, the frozen bundle, published real figures, downloads, i18n."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pytest

from rawan.web.tasks import run_pending

pytestmark = pytest.mark.django_db
TRAIN = "contoh-latihan-2026"
PUB = "contoh-ikp-2024-jambi"


def test_invalid_value_saves_nothing_and_names_the_field(as_user):
    from rawan.web.audit.models import AuditEntry
    from rawan.web.entry.models import Submission

    before = Submission.objects.get(edition__slug=TRAIN, region_code="15.01").values
    n_log = AuditEntry.objects.count()
    c = as_user("op_kerinci")
    r = c.post(f"/e/{TRAIN}/entri/15.01/", {"v_i01": "-2", "v_i02": "abc", "v_i03": "4", "action": "submit"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "Paling kecil 0, bukan -2." in page
    assert "“abc” bukan angka" in page
    assert 'aria-invalid="true"' in page
    sub = Submission.objects.get(edition__slug=TRAIN, region_code="15.01")
    assert sub.values == before and sub.status == "draft"
    assert AuditEntry.objects.count() == n_log


def test_full_workflow_publishes_a_reproducible_edition(as_user, tmp_path, empty_queue):
    from rawan.web.editions.models import Edition
    from rawan.web.entry.models import Submission

    op, ver, adm = as_user("op_kerinci"), as_user("verifier"), as_user("admin")
    r = op.post(f"/e/{TRAIN}/entri/15.01/", {"v_i01": "2,5", "action": "submit"})
    assert r.status_code == 400 and "Harus bilangan bulat" in r.content.decode()  # events are counted
    r = op.post(f"/e/{TRAIN}/entri/15.01/", {"v_i01": "1.234", "n_i01": "Laporan Panwascam", "action": "submit"})
    assert r.status_code == 302
    sub = Submission.objects.get(edition__slug=TRAIN, region_code="15.01")
    assert sub.status == "submitted" and sub.values["i01"] == 1234 and sub.values["i02"] is None
    assert sub.notes == {"i01": "Laporan Panwascam"}
    # returned needs a comment; then the operator can edit again
    ver.post(f"/e/{TRAIN}/entri/15.01/verifikasi/", {"action": "return", "comment": ""})
    assert Submission.objects.get(pk=sub.pk).status == "submitted"
    ver.post(f"/e/{TRAIN}/entri/15.01/verifikasi/", {"action": "return", "comment": "i01 tanpa bukti"})
    assert Submission.objects.get(pk=sub.pk).status == "returned"
    assert "i01 tanpa bukti" in op.get(f"/e/{TRAIN}/entri/15.01/").content.decode()
    op.post(f"/e/{TRAIN}/entri/15.01/", {"v_i01": "3", "n_i01": "BA Panwascam", "action": "submit"})
    for code in ("15.01", "15.71"):
        assert ver.post(f"/e/{TRAIN}/entri/{code}/verifikasi/", {"action": "approve"}).status_code == 302
    # audit log of the region: saved, submitted, returned, saved, submitted, approved (old -> new, reason)
    log = adm.get(f"/e/{TRAIN}/entri/15.01/audit/?format=csv").content.decode()
    actions = [row["action"] for row in csv.DictReader(io.StringIO(log))]
    assert actions == ["rawan.submission.approved", "rawan.submission.submitted", "rawan.submission.saved",
                       "rawan.submission.returned", "rawan.submission.submitted", "rawan.submission.saved"]
    assert "i01 tanpa bukti" in log
    # publishing straight from collection is refused; via verification it works
    adm.post(f"/e/{TRAIN}/kelola/aksi/", {"action": "publish", "confirm": "1"})
    assert Edition.objects.get(slug=TRAIN).status == "pengumpulan"
    adm.post(f"/e/{TRAIN}/kelola/aksi/", {"action": "status", "status": "verifikasi", "reason": "selesai"})
    adm.post(f"/e/{TRAIN}/kelola/aksi/", {"action": "compute"})
    assert Edition.objects.get(slug=TRAIN).results.count() == 0  # queued for a worker, not run in the request
    assert run_pending() == 1
    assert Edition.objects.get(slug=TRAIN).results.count() == 11
    r = adm.post(f"/e/{TRAIN}/kelola/aksi/", {"action": "publish"})  # without confirmation: a page first
    assert r.status_code == 302 and r["Location"].startswith(f"/e/{TRAIN}/kelola/konfirmasi/publish/")
    assert Edition.objects.get(slug=TRAIN).status == "verifikasi"
    page = adm.get(r["Location"]).content.decode()
    assert "Terbitkan edisi ini?" in page and 'name="confirm" value="1"' in page
    adm.post(f"/e/{TRAIN}/kelola/aksi/", {"action": "publish", "confirm": "1"})
    ed = Edition.objects.get(slug=TRAIN)
    assert ed.status == "terbit" and ed.bundle_sha256 == hashlib.sha256(bytes(ed.bundle)).hexdigest()
    anon = as_user(None)
    assert anon.get(f"/e/{TRAIN}/").status_code == 200
    z = anon.get(f"/e/{TRAIN}/unduh/bundel.zip")
    assert z.status_code == 200 and hashlib.sha256(z.content).hexdigest() == ed.bundle_sha256
    data = zipfile.ZipFile(io.BytesIO(z.content)).read("data.csv").decode()
    kerinci = next(r for r in csv.DictReader(io.StringIO(data)) if r["code"] == "15.01")
    assert float(kerinci["i01"]) == 3.0 and kerinci["data_contoh"] == "DATA CONTOH"


def test_bundle_recomputed_with_rawan_compute_gives_identical_results(as_user, tmp_path):
    from rawan.cli import main

    z = as_user(None).get(f"/e/{PUB}/unduh/bundel.zip").content
    zipfile.ZipFile(io.BytesIO(z)).extractall(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == digest
    out = tmp_path / "again.csv"
    assert main(["compute", "--model", str(tmp_path / "model.yaml"), "--data", str(tmp_path / "data.csv"),
                 "--level", manifest["level"], "--out", str(out)]) in (0, None)
    assert out.read_bytes() == (tmp_path / "results.csv").read_bytes()
    # and the web ranking shows the same scores and ranks
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    api = json.loads(as_user(None).get(f"/api/editions/{PUB}/results").content)
    for r in api["results"]:
        assert r["rank"] == int(rows[r["code"]]["rank"])
        assert r["score"] == pytest.approx(float(rows[r["code"]]["ikp"]), abs=1e-6)


def test_real_pilkada_2024_scores(as_user):
    api = json.loads(as_user(None).get("/api/editions/pilkada-2024-jambi/results").content)
    got = {r["code"]: (r["rank"], r["score"], r["category"]) for r in api["results"]}
    assert len(got) == 11 and api["synthetic"] is False
    assert got["15.03"] == (1, 26.05, "tinggi")
    assert got["15.71"] == (2, 22.3, "tinggi")
    assert got["15.01"] == got["15.07"] == (9, 6.32, "sedang")
    assert got["15.08"] == (11, 2.3, "rendah")
    page = as_user(None).get("/e/pilkada-2024-jambi/peringkat/").content.decode()
    assert "26,05" in page and "DATA CONTOH" not in page
    assert ">22,3<" in page and ">15<" in page  # as published: no padded zeros
    # region page: change against IKP 2024 (different scale: warning)
    reg = as_user(None).get("/e/pilkada-2024-jambi/wilayah/15.01/").content.decode()
    assert "57,42" in reg and "skala dan aturan kategori yang berbeda" in reg


def test_synthetic_pages_say_data_contoh(as_user):
    c = as_user("admin")
    for url in (f"/e/{PUB}/", f"/e/{PUB}/peringkat/", f"/e/{PUB}/wilayah/15.01/", f"/e/{TRAIN}/",
                f"/e/{TRAIN}/entri/", f"/e/{TRAIN}/entri/15.01/", f"/e/{TRAIN}/kelola/", "/"):
        assert "DATA CONTOH" in c.get(url).content.decode(), url
    assert "DATA CONTOH" in as_user(None).get(f"/e/{PUB}/unduh/hasil.csv").content.decode()


def test_region_page_top_drivers_and_internal_completeness(as_user):
    pub = as_user(None).get(f"/e/{PUB}/wilayah/15.09/").content.decode()
    assert "Pendorong utama" in pub and "Kelengkapan data" not in pub
    internal = as_user("viewer").get(f"/e/{PUB}/wilayah/15.09/").content.decode()
    assert "Kelengkapan data (internal)" in internal


def test_downloads(as_user):
    c = as_user(None)
    rows = list(csv.DictReader(io.StringIO(c.get("/e/pilkada-2024-jambi/unduh/hasil.csv").content.decode())))
    assert [r["code"] for r in rows][:2] == ["15.03", "15.71"] and rows[0]["indeks"] == "26.05"  # the one table shape: index column
    x = c.get(f"/e/{PUB}/unduh/hasil.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    assert c.get("/e/ikp-2024-jambi/unduh/bundel.zip").status_code == 404  # results-only: no bundle


def test_language_switch(as_user):
    c = as_user(None)
    assert "Peringkat" in c.get(f"/e/{PUB}/").content.decode()
    assert c.get("/bahasa/en/?next=/").status_code == 302
    page = c.get(f"/e/{PUB}/").content.decode()
    assert "Ranking" in page and "Peringkat" not in page and 'lang="en"' in page


def test_lockout_after_repeated_failures(as_user, settings):
    c = as_user(None)
    for _ in range(settings.LOCKOUT_FAILURES - 1):
        assert c.post("/masuk/", {"username": "pemantau", "password": "wrong"}).status_code == 401
    assert c.post("/masuk/", {"username": "pemantau", "password": "wrong"}).status_code == 429
    from django.contrib.auth import get_user_model

    u = get_user_model().objects.get(username="pemantau")
    u.set_password("a-correct-password-123")
    u.save()
    r = c.post("/masuk/", {"username": "pemantau", "password": "a-correct-password-123"})
    assert r.status_code == 429 and "dikunci" in r.content.decode()
    from rawan.web.accounts.models import LoginFailure

    LoginFailure.objects.all().delete()
    assert c.post("/masuk/", {"username": "pemantau", "password": "a-correct-password-123"}).status_code == 302


def test_openapi_paths_exist(as_user):
    from django.urls import resolve

    doc = json.loads(as_user(None).get("/api/openapi.json").content)
    assert doc["openapi"].startswith("3.")
    for p, methods in doc["paths"].items():  # each path parameter by its documented example
        for op in methods.values():
            url = p
            for param in op["parameters"]:
                url = url.replace("{" + param["name"] + "}", str(param["schema"]["example"]))
            assert "{" not in url, url
            resolve(url)


def test_dimension_map_and_comparison(as_user):
    import re

    c = as_user(None)
    page = c.get(f"/e/{PUB}/?dimensi=sospol").content.decode()
    assert "Skor dimensi" in page
    shown = re.search(r'data-code="15.09"[^>]*data-value="([^"]+)"', page).group(1)
    api = json.loads(c.get(f"/api/editions/{PUB}/regions/15.09").content)
    assert float(shown.replace(",", ".")) == pytest.approx(api["result"]["dimensions"]["sospol"], abs=0.05)
    assert c.get(f"/e/{PUB}/?dimensi=tidak-ada").status_code == 404
    warn = "skala dan aturan kategori yang berbeda"
    assert warn in c.get("/bandingkan/?a=pilkada-2024-jambi&b=ikp-2024-jambi").content.decode()
    assert warn not in c.get(f"/bandingkan/?a={PUB}&b={PUB}").content.decode()


def test_correction_is_a_new_version_and_the_old_stays_visible(as_user):
    from rawan.web.editions.models import Edition

    adm = as_user("admin")
    r = adm.post(f"/e/{PUB}/kelola/aksi/", {"action": "correct", "reason": "Salah ketik i05 Tebo", "region": "15.09"})
    new = Edition.objects.get(corrects__slug=PUB)
    assert r.status_code == 302 and r["Location"] == f"/e/{new.slug}/kelola/"
    assert (new.version, new.status, new.change_note, new.previous.slug) == (2, "pengumpulan", "Salah ketik i05 Tebo", PUB)
    assert new.model_sha256 == Edition.objects.get(slug=PUB).model_sha256
    assert new.submissions.count() == 11
    anon = as_user(None)
    assert anon.get(f"/e/{PUB}/").status_code == 200  # the published version stays public
    assert anon.get(f"/e/{new.slug}/").status_code == 404  # the correction is internal until published
    regions = json.loads(anon.get(f"/api/editions/{PUB}/regions").content)["regions"]
    assert len(regions) == 11 and all(r["has_result"] for r in regions)


def test_report_of_a_published_edition(as_user, settings, tmp_path, empty_queue):
    from rawan.web.editions.models import Edition
    from rawan.web.editions.report import book_name

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    c = as_user(None)
    r = c.get(f"/e/{PUB}/unduh/laporan.pdf")  # not built yet: queued for a worker, a page says so
    assert r.status_code == 202 and "Laporan sedang disusun" in r.content.decode()
    assert c.get(f"/e/{PUB}/unduh/laporan.pdf").status_code == 202  # asked again: still one job
    assert run_pending() == 1
    r = c.get(f"/e/{PUB}/unduh/laporan.pdf")
    assert r.status_code == 200 and b"".join(r.streaming_content)[:5] == b"%PDF-"
    edition = Edition.objects.get(slug=PUB)
    kept = tmp_path / book_name(edition, "id", "pdf")[0]
    assert kept.read_bytes()[:5] == b"%PDF-"  # kept through the storage API, served from there next time
    assert c.get(f"/e/{PUB}/unduh/laporan.html").status_code == 202 and run_pending() == 1
    html = b"".join(c.get(f"/e/{PUB}/unduh/laporan.html").streaming_content).decode()
    assert "DATA CONTOH" in html and "Kerinci" in html
    # results-only editions have their book too (from the published table): test_web_published_books.py
    assert c.get("/e/contoh-latihan-2026/unduh/laporan.pdf").status_code == 404  # not published: none


def test_preview_explanations_replay_the_previewed_inputs(as_user, empty_queue):
    from rawan.engine import explain
    from rawan.web.editions.models import Edition
    from rawan.web.editions.services import result_of

    adm = as_user("admin")
    adm.post(f"/e/{TRAIN}/kelola/aksi/", {"action": "compute"})  # 9 verified regions
    run_pending()
    as_user("verifier").post(f"/e/{TRAIN}/entri/15.71/verifikasi/", {"action": "approve"})  # now 10, not recomputed
    ed = Edition.objects.get(slug=TRAIN)
    row = ed.results.get(region_code="15.03")
    assert ed.results.count() == 9
    assert explain(result_of(ed), "15.03").score == pytest.approx(row.score, abs=1e-6)


def test_ranking_queries_do_not_grow_with_the_regions(as_user, django_assert_max_num_queries):
    c = as_user("admin")  # logged in: never served from the page cache
    c.get("/e/pilkada-2024-jambi/peringkat/")
    with django_assert_max_num_queries(8):  # session, user, profile, edition, rows; not one per region (11)
        assert c.get("/e/pilkada-2024-jambi/peringkat/").status_code == 200


def test_region_page_rank_range_is_the_reports(as_user):
    """One default seed (2024): the web's rank ranges are those `rawan report --runs 1000` prints."""
    from rawan.engine.sensitivity import quantiles7
    from rawan.reports import robustness
    from rawan.web.editions.models import Edition
    from rawan.web.editions.services import ROBUSTNESS_RUNS, result_of, robustness_of

    edition = Edition.objects.get(slug=PUB)
    web = robustness_of(edition)
    ua = robustness(result_of(edition), runs=ROBUSTNESS_RUNS)
    lo, hi = quantiles7(ua.ranks, [0.05, 0.95])
    assert ua.seed == 2024
    assert {c: (web[c]["rank_low"], web[c]["rank_high"], web[c]["class_stability"]) for c in ua.codes} == {
        c: (int(round(lo[i])), int(round(hi[i])), float(ua.class_stability[i])) for i, c in enumerate(ua.codes)}


def test_region_page_says_how_firm_the_result_is(as_user):
    import re

    from rawan.web.editions.models import Edition
    from rawan.web.editions.services import robustness_of

    rob = robustness_of(Edition.objects.get(slug=PUB))
    assert set(rob) == {f"15.{k:02d}" for k in range(1, 10)} | {"15.71", "15.72"}
    for code, r in rob.items():
        assert 1 <= r["rank_low"] <= r["rank_high"] <= 11 and 0 <= r["class_stability"] <= 1
    page = as_user(None).get(f"/e/{PUB}/wilayah/15.01/").content.decode()
    lo, hi = rob["15.01"]["rank_low"], rob["15.01"]["rank_high"]
    if lo == hi:  # a stable rank is said plainly, never "antara 1 dan 1"
        assert f"tetap di peringkat {lo} " in page and "peringkat antara" not in page
    else:
        m = re.search(r"peringkat antara (\d+) dan (\d+)", page)
        assert m and (int(m.group(1)), int(m.group(2))) == (lo, hi)
