"""The book of a computed edition draws on the web app's live records: the verified events by stage
(stages chapter) and the counts of the TPS collection linked to it (TPS chapter, with its state)."""

from __future__ import annotations

import re

import pytest
import yaml

PUB = "contoh-ikp-2024-jambi"  # the demo links the published synthetic TPS collection to its book
COLLECTING = "contoh-tps-pengumpulan-2026"


def _html(c, built, slug):
    r = built(c, f"/e/{slug}/unduh/laporan.html")
    assert r.status_code == 200
    return re.sub(r"\s+", " ", b"".join(r.streaming_content).decode())


def test_demo_book_has_stage_counts_and_the_linked_tps_chapter(as_user, built):
    from django.db.models import Count

    from rawan.web.entry.models import EventRecord, EventStatus
    from rawan.web.tps.models import DesaReport

    html = _html(as_user(None), built, PUB)
    ev = dict(EventRecord.objects.filter(edition__slug=PUB, after_publication=True, status=EventStatus.VERIFIED)
              .values_list("stage").annotate(n=Count("id")).order_by())
    assert sum(ev.values()) > 0  # the demo has verified events after publication
    assert "tidak memuat skor per tahapan" in html
    section = html[html.index('id="tahapan"'):html.index('id="tps"')]
    for name, code in (("Kampanye", "kampanye"), ("Pemungutan dan penghitungan suara", "pungut-hitung")):
        part = section[section.index(f"<h3>{name}</h3>"):]
        assert f"{ev.get(code, 0)} kejadian terverifikasi sejak publikasi." in part[:400], name
    n = DesaReport.objects.filter(edition__edition__slug="contoh-tps-pilkada-2024-jambi").count()
    assert f"Pengumpulan data TPS sudah ditutup; semua {n:,} desa/kelurahan melapor".replace(",", ".") in html
    assert "pengumpulan daftar periksa TPS di aplikasi rawan" in html  # its source, in Indonesian


def test_admin_links_a_collection_and_the_book_says_it_is_still_open(as_user, built, settings, tmp_path):
    from rawan.web.editions.models import Edition
    from rawan.web.tps.book import book_tps_for
    from rawan.web.tps.models import DesaReport, ReportStatus

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    url = f"/tps/{COLLECTING}/pengawasan/buku/"
    assert as_user("verifier").post(url, {"edition": PUB}).status_code == 403  # the admin links
    admin = as_user("admin")
    assert admin.post(url, {"edition": "pilkada-2024-jambi"}).status_code == 302  # results-only: refused
    assert book_tps_for(Edition.objects.get(slug="pilkada-2024-jambi")) is None
    assert admin.post(url, {"edition": PUB}).status_code == 302
    pub = book_tps_for(Edition.objects.get(slug=PUB))  # the latest linked collection: the open one
    waiting = DesaReport.objects.filter(edition__edition__slug=COLLECTING, status=ReportStatus.NOT_YET).count()
    assert pub.collection.closed is False and pub.collection.desa_not_reported == waiting > 0
    html = _html(admin, built, PUB)
    assert f"masih berjalan: {waiting:,} dari".replace(",", ".") in html and "masih dapat berubah" in html
    admin.post(url, {"edition": ""})
    assert not Edition.objects.get(slug=PUB).tps_for_book.filter(edition__slug=COLLECTING).exists()


@pytest.mark.parametrize("user,status", [("admin", 200), ("verifier", 200), ("panwascam", 404), ("pkd", 403)])
def test_results_file_download_for_the_cli(as_user, user, status, tmp_path):
    from rawan.reports.tps_chapter import tps_chapter

    r = as_user(user).get(f"/tps/{COLLECTING}/unduh/hasil-tps.yaml")
    assert r.status_code == status
    if status != 200:
        return
    path = tmp_path / "hasil-tps.yaml"
    path.write_bytes(r.content)
    assert yaml.safe_load(r.content)["collection"]["closed"] is False
    ch = tps_chapter(path, "id")  # what rawan report --tps FILE reads
    assert "masih berjalan" in ch["note"] and ch["rows"]
