"""DATA CONTOH for early warning and mitigation on the published synthetic Jambi edition:
organisations (one webhook), a KPU stakeholder user, events after publication (verified, waiting,
rejected) that raise a few alerts with their reasons, Bawaslu actions, recommendations to several
organisations and some of their follow-up.  Called by ``rawan.web.demo.load_demo``."""

from __future__ import annotations

import datetime as dt
import os

from django.utils import timezone

from ...vocabulary import SYNTHETIC_MARK
from ..editions.models import Edition
from ..entry.models import EventRecord, EventStatus
from .models import Alert, Organisation, Webhook

ORGANISATIONS = [  # code, name, kind, region
    ("bawaslu-prov-jambi", "Bawaslu Provinsi Jambi", "bawaslu-prov", "15"),
    ("polda-jambi", "Polda Jambi", "polri", "15"),
    ("korem-042", "Korem 042/Garuda Putih", "tni", "15"),
    ("kpu-prov-jambi", "KPU Provinsi Jambi", "kpu", "15"),
    ("kesbangpol-jambi", "Kesbangpol Provinsi Jambi", "pemda", "15"),
    ("media-jambi", f"Media lokal Jambi ({SYNTHETIC_MARK})", "media", "15"),
    ("pemantau-jambi", f"Pemantau pemilu Jambi ({SYNTHETIC_MARK})", "masyarakat", "15"),
]
# where the demo's alerts go: a receiver on this machine (`rawan web webhook-receiver`)
DEMO_WEBHOOK = os.environ.get("RAWAN_DEMO_WEBHOOK_URL", "http://127.0.0.1:8099/webhook")
DEMO_WEBHOOK_PORT = 8099
DEMO_SECRET = "contoh-rahasia-webhook-" + "0" * 16

# (days after publication, region, place, indicator, severity, stage, status, description)
EVENTS = [
    (2, "15.03", "15.03.01", "i54", "sedang", "kampanye", "v", "Pembagian uang saat kampanye terbatas"),
    (3, "15.03", "15.03.02", "i54", "sedang", "kampanye", "v", "Laporan warga: amplop berisi uang"),
    (4, "15.03", "", "i54", "berat", "kampanye", "v", "Tim sukses tertangkap tangan membagikan uang"),
    (5, "15.03", "", "i54", "ringan", "kampanye", "v", "Dugaan politik uang, masih ditelusuri"),
    (6, "15.71", "15.71.01", "i53", "sedang", "kampanye", "v", "Bentrok pendukung setelah kampanye akbar"),
    (6, "15.71", "15.71.02", "i53", "berat", "kampanye", "v", "Perusakan posko pemenangan"),
    (8, "15.71", "15.71.03", "i56", "berat", "pungut-hitung", "v", "Sekelompok orang menghalangi pemilih di TPS"),
    (8, "15.06", "", "i49", "ringan", "kampanye", "v", "Hoaks di media sosial tentang jadwal pemungutan"),
    (9, "15.06", "", "i32", "sedang", "pungut-hitung", "v", "PSU di satu TPS karena surat suara tertukar"),
    (9, "15.02", "", "i28", "ringan", "pungut-hitung", "v", "Logistik terlambat dua jam"),
    (10, "15.04", "", "i37", "sedang", "rekapitulasi", "v", "Gugatan hasil diajukan paslon"),
    (10, "15.01", "15.01.01", "i47", "ringan", "kampanye", "p", "Konten SARA di grup percakapan"),
    (11, "15.08", "", "i44", "ringan", "kampanye", "r", "Kampanye di luar jadwal (ternyata kegiatan adat)"),
    (11, "15.72", "", "i54", "sedang", "masa-tenang", "p", "Dugaan serangan fajar"),
]


def load(pub: Edition, users: dict) -> None:
    """Fill the register of ``pub`` (the published synthetic Jambi edition)."""
    from ..mitigation import services as M
    from ..mitigation.models import ActionStatus
    from . import services as S

    orgs = {}
    for code, name, kind, region in ORGANISATIONS:
        orgs[code], _ = Organisation.objects.update_or_create(code=code, defaults={"name": name, "kind": kind,
                                                                                  "region_code": region})
    Webhook.objects.filter(organisation=orgs["bawaslu-prov-jambi"]).delete()
    Webhook.objects.create(organisation=orgs["bawaslu-prov-jambi"], url=DEMO_WEBHOOK,
                           secret=DEMO_SECRET, demo=True)  # disabled when its receiver is not running
    # the edition was published 30 days ago in the demo story: its events come after
    published = timezone.now() - dt.timedelta(days=30)
    Edition.objects.filter(pk=pub.pk).update(published_at=published)
    pub.published_at = published
    spec_levels = {"ringan": 1.0, "sedang": 2.0, "berat": 3.0}
    operator, verifier, admin = users["operator.kerinci"], users["verifikator"], users["admin.provinsi"]
    # alerts also go by e-mail (the console backend in the demo: printed by the process that sends)
    admin.email = "admin.provinsi@contoh.invalid"
    admin.save(update_fields=["email"])
    base = timezone.localdate(published)
    verified = []
    for k, (days, region, place, ind, sev, stage, status, text) in enumerate(EVENTS):
        date = base + dt.timedelta(days=days)
        ev = EventRecord.objects.create(
            edition=pub, after_publication=True, region_code=region, place_code=place, indicator=ind, severity=sev,
            weight=spec_levels[sev], date=date, stage=stage, source=f"Laporan pengawas ({SYNTHETIC_MARK})",
            description=f"{text} ({SYNTHETIC_MARK})", created_by=operator,
            status={"v": EventStatus.VERIFIED, "p": EventStatus.PENDING, "r": EventStatus.REJECTED}[status],
            reviewed_by=verifier if status != "p" else None,
            reviewed_at=published + dt.timedelta(days=days, hours=2, minutes=k) if status != "p" else None,
            review_reason="Kegiatan adat, bukan kampanye" if status == "r" else "")
        if status == "v":
            verified.append(ev.pk)
    for pk in verified:  # evaluated in verification order, as the worker would
        S.evaluate_event(pk)
    alerts = {a.rule_id: a for a in Alert.objects.filter(edition=pub)}
    if "politik-uang-3-dalam-7-hari" in alerts:
        S.move_alert(alerts["politik-uang-3-dalam-7-hari"], "acknowledge",
                     f"Panwascam diminta menelusuri; koordinasi dengan Polres ({SYNTHETIC_MARK})", verifier)
    if "kejadian-kritis" in alerts:
        S.move_alert(alerts["kejadian-kritis"], "escalate",
                     f"Diteruskan ke Bawaslu Provinsi dan Polda ({SYNTHETIC_MARK})", admin)
    today = timezone.localdate()
    money = alerts.get("politik-uang-3-dalam-7-hari")
    M.create_action(pub, admin, region_code="15.03", kind="patroli", title="Patroli pengawasan politik uang",
                    owner_unit="Bawaslu Kabupaten Sarolangun", person="Koordinator Divisi Pencegahan (contoh)",
                    due_date=today + dt.timedelta(days=7), status=ActionStatus.RUNNING, alert=money,
                    note=f"Patroli malam di 3 kecamatan ({SYNTHETIC_MARK})")
    M.create_action(pub, admin, region_code="15.71", kind="posko", title="Posko pengaduan di kecamatan rawan",
                    owner_unit="Bawaslu Kota Jambi", person="Staf pencegahan (contoh)",
                    due_date=today - dt.timedelta(days=3), note=f"Belum dibuka ({SYNTHETIC_MARK})")
    M.create_action(pub, admin, region_code="15.06", kind="koordinasi", title="Rapat koordinasi dengan KPU dan Polres",
                    owner_unit="Bawaslu Kabupaten Tanjung Jabung Barat", person="Ketua (contoh)",
                    due_date=today - dt.timedelta(days=10), status=ActionStatus.DONE,
                    note=f"Selesai; notulen terlampir di arsip ({SYNTHETIC_MARK})")
    recs = [
        ("polda-jambi", "15.03", "i54", money, True,
         "Mohon patroli gabungan di kecamatan dengan laporan politik uang dan pengamanan posko pengaduan."),
        ("polda-jambi", "15.71", "i56", alerts.get("kejadian-kritis"), True,
         "Mohon pengamanan TPS di kelurahan tempat pemilih dihalangi, sampai rekapitulasi selesai."),
        ("korem-042", "15.71", "i53", alerts.get("konflik-pendukung-2-dalam-7-hari"), True,
         "Mohon dukungan pengamanan wilayah setelah bentrok antarpendukung."),
        ("kpu-prov-jambi", "15.02", "i28", None, True,
         "Mohon pemeriksaan jadwal distribusi logistik agar tidak terlambat di hari pemungutan."),
        ("kesbangpol-jambi", "15.03", "i54", None, False,
         "Mohon sosialisasi bahaya politik uang bersama tokoh masyarakat."),
        ("media-jambi", "15.06", "i49", None, True,
         "Mohon pemberitaan klarifikasi jadwal pemungutan untuk meredam hoaks."),
    ]
    made = {}
    for org, region, ind, alert, send, text in recs:
        made[(org, region)] = M.create_recommendation(pub, admin, send=send, organisation=orgs[org], region_code=region,
                                                      indicator=ind, alert=alert, text=f"{text} ({SYNTHETIC_MARK})")
    viewer_polda = users.get("pemantau")
    M.add_follow_up(made[("polda-jambi", "15.03")], viewer_polda, orgs["polda-jambi"],
                    f"Patroli gabungan Polres Sarolangun tiga malam berturut-turut ({SYNTHETIC_MARK})",
                    today - dt.timedelta(days=1))
    M.add_follow_up(made[("media-jambi", "15.06")], None, orgs["media-jambi"],
                    f"Artikel klarifikasi terbit di dua media daring ({SYNTHETIC_MARK})", today - dt.timedelta(days=2))


def enable_demo_webhooks() -> int:
    """``rawan demo`` has started its receiver: the demo's subscriptions (``Webhook.demo``) are
    enabled again and what was dropped while they were disabled is sent (delivery.py disables them
    after a few failed attempts when a server runs without the receiver).  Returns how many
    deliveries were queued again."""
    from django.db import transaction

    from . import jobs
    from .delivery import DEMO_NOTE
    from .models import Delivery, DeliveryStatus

    with transaction.atomic():
        hooks = list(Webhook.objects.select_for_update().filter(demo=True))
        ids = []
        for h in hooks:
            if h.note:
                ids += list(Delivery.objects.filter(webhook=h, status=DeliveryStatus.FAILED,
                                                    last_error=DEMO_NOTE.format(url=h.url)[:300])
                            .values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.PENDING, attempts=0, leased_until=None,
                                                   next_attempt_at=timezone.now(), last_error="")
        Webhook.objects.filter(pk__in=[h.pk for h in hooks]).update(active=True, note="", failing_since=None,
                                                                     failures=0)
        for pk in ids:
            transaction.on_commit(lambda pk=pk: jobs.enqueue(jobs.deliver_webhook_task, pk,
                                                             subject_key=f"webhook:{pk}"))
    return len(ids)
