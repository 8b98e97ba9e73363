"""The TPS part of the web demo (``rawan web load-demo``):

* ``contoh-tps-pilkada-2024-jambi``  DATA CONTOH, published: the synthetic Jambi registry and
  checklists of ``rawan.tps.synthetic`` (every desa reported), counts, lists, maps, press release.
* ``contoh-tps-pengumpulan-2026``    DATA CONTOH, in collection (window open): the same registry with
  another seed; some desa reported, some said "tidak ada", the rest not yet.  The demo PKD
  (``pkd.demo``) has desa 15.01.01.2001 not yet reported; ``panwascam.demo`` supervises its kecamatan.
* ``tps-pilkada-2024-jambi``         real, published, results-only: Bawaslu Provinsi Jambi's figures
  of 23 Nov 2024 as ``rawan.tps.published`` packages them, with sources.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone

from ...vocabulary import SYNTHETIC_MARK
from ..accounts.models import Role
from ..audit.models import log_action
from ..editions.models import Edition, Status
from .data import store_registry
from .models import DesaReport, ReportStatus, TpsEdition, TpsStation
from .services import freeze_tps_model

PUBLISHED = "contoh-tps-pilkada-2024-jambi"
COLLECTING = "contoh-tps-pengumpulan-2026"
REAL = "tps-pilkada-2024-jambi"
SLUGS = (PUBLISHED, COLLECTING, REAL)
PKD_DESA = "15.01.01.2001"  # the demo PKD's desa (Kecamatan Gunung Raya, Kerinci): not reported yet
PANWASCAM_KEC = "15.01.01"
USERS = [("pkd.demo", Role.PKD, PKD_DESA, f"PKD ({SYNTHETIC_MARK})"),
         ("panwascam.demo", Role.PANWASCAM, PANWASCAM_KEC, f"Panwascam Gunung Raya ({SYNTHETIC_MARK})")]


def _edition(slug, title, title_en, status, *, synthetic=True, results_only=False, **kw) -> TpsEdition:
    ed = Edition(slug=slug, title=title, title_en=title_en, status=status, synthetic=synthetic,
                 results_only=results_only, level="desa_kelurahan", scope_code="15", regions=[], **kw)
    freeze_tps_model(ed, "tps-pilkada-2024")
    ed.save()
    ed.log_action("rawan.edition.created", data={"model": "tps-pilkada-2024", "synthetic": synthetic, "kind": "tps"})
    return TpsEdition.objects.create(edition=ed, election="pilkada-2024")


def _names() -> dict[str, str]:
    from ...regions import load_regions

    return {r.code: r.name for r in load_regions().at_level("desa_kelurahan") if r.code.startswith("15.")}


def load_tps_demo() -> None:
    """Create the three TPS demo editions (the caller deletes old ones and holds the transaction)."""
    from ...demo.tps import jambi_pilkada, synthetic_checklist

    names = _names()
    registry, checklist = jambi_pilkada()
    src = (f"{SYNTHETIC_MARK}: TPS dan jawaban daftar periksa dibuat oleh generator acak berbenih "
           "(rawan.demo.tps), bukan data KPU atau Bawaslu. Kode dan nama desa asli (Kemendagri).")
    src_en = (f"{SYNTHETIC_MARK}: TPS and checklist answers made by a seeded random generator (rawan.demo.tps), "
              "not KPU or Bawaslu data. Desa codes and names are real (Kemendagri).")
    pub = _edition(PUBLISHED, f"{SYNTHETIC_MARK} — Pemetaan TPS rawan Pilkada 2024, Provinsi Jambi",
                   f"{SYNTHETIC_MARK} — Vulnerable polling stations, Pilkada 2024, Jambi province",
                   Status.PUBLISHED, source=src, source_en=src_en, published_at=timezone.now())
    store_registry(pub, registry, names, checklist)
    DesaReport.objects.filter(edition=pub).update(status=ReportStatus.REPORTED)
    none = set(TpsStation.objects.filter(edition=pub).exclude(answers=[]).values_list("desa_code", flat=True))
    DesaReport.objects.filter(edition=pub).exclude(desa_code__in=none).update(status=ReportStatus.NONE)

    today = timezone.localdate()
    col = _edition(COLLECTING, f"{SYNTHETIC_MARK} — Latihan pengumpulan TPS rawan 2026, Provinsi Jambi",
                   f"{SYNTHETIC_MARK} — TPS collection exercise 2026, Jambi province", Status.COLLECTING,
                   source=src, source_en=src_en, window_start=today - dt.timedelta(days=1), window_end=today + dt.timedelta(days=5))
    from ...tps.model import load_tps_model

    part = synthetic_checklist(load_tps_model("tps-pilkada-2024"), registry, seed=2026, reported_share=0.55)
    # a desa whose TPS have no "ya" reported "tidak ada" with the one button; the demo PKD's desa waits
    answered = part.answered.copy()
    desa = np.asarray(registry.table.column("desa").to_pylist(), dtype=object)
    answered[desa == PKD_DESA] = False
    part.answered = answered
    part.answers = part.answers & answered[:, None]
    store_registry(col, registry, names, part)
    reported = set(TpsStation.objects.filter(edition=col, version__gt=0).values_list("desa_code", flat=True))
    with_yes = set(TpsStation.objects.filter(edition=col, version__gt=0).exclude(answers=[])
                   .values_list("desa_code", flat=True))
    DesaReport.objects.filter(edition=col, desa_code__in=with_yes).update(status=ReportStatus.REPORTED)
    quiet = reported - with_yes
    TpsStation.objects.filter(edition=col, desa_code__in=quiet).update(version=0)  # said "tidak ada" instead
    DesaReport.objects.filter(edition=col, desa_code__in=quiet).update(status=ReportStatus.NONE)
    _real_edition()


def _real_edition() -> TpsEdition:
    """Bawaslu Provinsi Jambi's published figures, as ``rawan.tps.published`` packages them."""
    from ...tps.published import load_published

    pub = load_published("jambi-pilkada-2024")
    urls = [s.url for s in pub.sources if s.url]
    tps = _edition(REAL, pub.title.get("id"), pub.title.get("en"), Status.PUBLISHED, synthetic=False,
                   results_only=True, confidence=pub.confidence, source_urls=urls, published_at=timezone.now(),
                   source=f"{pub.publisher}, {pub.published}. " + (pub.summary.note.get("id") if pub.summary.note else ""),
                   source_en=f"{pub.publisher}, {pub.published}. " + (pub.summary.note.get("en") if pub.summary.note else ""))
    tps.published = pub.model_dump(mode="json")
    tps.save(update_fields=["published"])
    log_action("rawan.results.loaded", edition=tps.edition, data={"rows": len(pub.rows), "source": urls})
    return tps
