"""The Jambi demo for the web app: real published results beside a synthetic computed edition.

* ``ikp-2024-jambi``      results-only: IKP 2024 (Bawaslu RI, Dec 2022) — the figures known for Jambi.
* ``pilkada-2024-jambi``  results-only: Pemetaan Kerawanan Pilkada 2024, Bawaslu Provinsi Jambi
                          (31 Aug 2024) — all 11 kab/kota.  Source: ../shared/docs/domain.md §4.
* ``ikp-2024-provinsi``   results-only: IKP 2024, the 34 province scores (Bawaslu RI, Dec 2022) on a map of
                          Indonesia, from the edition shipped in src/rawan/data/terbit (edition_from_published).
* ``contoh-ikp-2024-jambi``  DATA CONTOH: the ikp-2024 model computed on the synthetic values of
                          ``rawan.demo``, every region verified, published with its bundle.
* ``contoh-ikp-2024-kerinci-kecamatan``  DATA CONTOH: the same model on the kecamatan of Kabupaten Kerinci
                          (15.01), with the synthetic kecamatan values ``rawan demo build`` writes (the
                          model's fixed kecamatan goalposts and cut-offs: the classes equal the
                          province-wide kecamatan book's), published with its bundle.
* ``contoh-ikp-2024-gunung-raya-desa``  DATA CONTOH: the same model on the desa of Kecamatan Gunung Raya
                          (15.01.01), with the synthetic desa values of ``rawan.demo`` (the kecamatan
                          counts split among their desa; the model's fixed desa goalposts and cut-offs),
                          published with its bundle.
* ``contoh-latihan-2026``   DATA CONTOH: the same model in data collection, for trying the workflow
                          (Kerinci a draft, Kota Jambi submitted, the rest verified).
One user per role, with generated passwords returned to the caller (printed once by the CLI).
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from ..demo import JAMBI_KABKOTA, generate, load_desa, load_wilayah
from ..engine.spec import load_spec, resolve_model_path
from ..vocabulary import SYNTHETIC_MARK
from .accounts.models import Profile, Role
from .audit.models import log_action
from .editions.models import Edition, ResultRow, Status
from .editions.services import freeze_model, publish
from .entry.models import Submission, SubmissionStatus

KEC_SCOPE = "15.01"  # the kab/kota whose kecamatan the kecamatan demo edition maps
DESA_SCOPE = "15.01.01"  # the kecamatan (Gunung Raya, Kerinci) whose desa the desa demo edition maps
from .tps import demo as tps_demo

DEMO_SLUGS = (*tps_demo.SLUGS, "ikp-2024-provinsi", "contoh-latihan-2026", "contoh-ikp-2024-gunung-raya-desa", "contoh-ikp-2024-kerinci-kecamatan", "contoh-ikp-2024-jambi", "pilkada-2024-jambi", "ikp-2024-jambi")
USERS = [  # username, role, region, organisation
    ("admin.provinsi", Role.ADMIN, "", "Bawaslu Provinsi Jambi"),
    ("operator.kerinci", Role.OPERATOR, "15.01", "Bawaslu Kabupaten Kerinci"),
    ("operator.kotajambi", Role.OPERATOR, "15.71", "Bawaslu Kota Jambi"),
    ("verifikator", Role.VERIFIER, "", "Bawaslu Provinsi Jambi"),
    ("pemantau", Role.VIEWER, "", "polda-jambi"),  # a stakeholder user of Polda Jambi (warnings/demo.py)
    ("pemantau.kpujambi", Role.VIEWER, "", "kpu-prov-jambi"),  # ... and one of KPU Provinsi Jambi
    *tps_demo.USERS,  # a PKD and a Panwascam for the TPS collection (rawan.web.tps.demo)
]

# Pemetaan Kerawanan Pilkada 2024, Bawaslu Provinsi Jambi, 31 Aug 2024 (domain.md §4.3) [C]
PILKADA_2024 = [  # code, rank, score, category
    ("15.03", 1, 26.05, "tinggi"), ("15.71", 2, 22.3, "tinggi"), ("15.06", 3, 20.73, "sedang"),
    ("15.02", 4, 15.19, "sedang"), ("15.04", 5, 15.0, "sedang"), ("15.09", 6, 10.00, "sedang"),
    ("15.05", 7, 6.91, "sedang"), ("15.72", 8, 6.51, "sedang"), ("15.01", 9, 6.32, "sedang"),
    ("15.07", 9, 6.32, "sedang"), ("15.08", 11, 2.3, "rendah"),
]
PILKADA_SOURCES = [
    "https://jambi.tribunnews.com/2024/09/01/waspada-ini-2-daerah-di-jambi-yang-rawan-saat-pilkada-serentak-2024-versi-ikp-bawaslu?page=all",
    "https://jambiekspres.bacakoran.co/amp/11952/kota-jambi-dan-sarolangun-masuk-kategori-paling-rawan-pada-pilkada-2024",
]
# IKP 2024 (Dec 2022), Jambi (domain.md §4.1-4.2): province 12,03 rendah [C]; the three highest
# kab/kota [C]; their category follows from the 49,33 kab/kota cut-off [I]
IKP_2024 = [("15.04", 1, 61.18), ("15.72", 2, 58.67), ("15.01", 3, 57.42)]
IKP_SOURCES = [
    "https://databoks.katadata.co.id/politik/statistik/a9f30b7fb0fdc06/waspada-ini-10-kabupatenkota-dengan-kerawanan-pemilu-tertinggi",
    "https://alinea.id/amp/daerah/upaya-polri-jaga-kamtibmas-kalimantan-tengah-saat-pemilu-b2iaR9Ppx",
]


def _regions() -> list[list[str]]:
    return [[c, n] for c, n in JAMBI_KABKOTA]


def _results_only_editions(names: dict[str, str]) -> tuple[Edition, Edition]:
    ikp = Edition.objects.create(
        slug="ikp-2024-jambi", status=Status.PUBLISHED, results_only=True, level="kabupaten_kota",
        scope_code="15", regions=_regions(),
        title="IKP Pemilu dan Pemilihan Serentak 2024 — Provinsi Jambi (skor terbit yang diketahui)",
        title_en="IKP 2024 elections — Jambi province (known published scores)",
        source="Bawaslu RI, Indeks Kerawanan Pemilu (IKP) Pemilu dan Pemilihan Serentak 2024, diluncurkan "
               "16 Desember 2022. Skor kab/kota Jambi lainnya tidak dipublikasikan dalam sumber yang tersedia.",
        source_en="Bawaslu RI, Election Vulnerability Index (IKP) for the 2024 simultaneous Pemilu and Pemilihan, "
                  "launched 16 December 2022. Jambi's other kab/kota scores are not published in the available "
                  "sources.",
        source_urls=IKP_SOURCES, confidence="C",
        scale_note="Skala 0-100. Batas kab/kota: tinggi >= 49,33; sedang 13,47-49,32; rendah < 13,47 "
                   "[S: hanya alinea.id]. Kategori tiga kab/kota di bawah disimpulkan dari batas itu [I].",
        scale_note_en="0-100 scale. Kab/kota cut-offs: tinggi >= 49.33; sedang 13.47-49.32; rendah < 13.47 "
                      "[S: alinea.id only]. The category of the three kab/kota below is inferred from them [I].")
    rows = [ResultRow(edition=ikp, region_code="15", name="Provinsi Jambi", level="provinsi", score=12.03,
                      category="rendah", note="[C] pendekatan 1 (input Bawaslu Provinsi), kelima terendah nasional; skor "
                           "pendekatan 2 (agregat kab/kota) Jambi tidak tersedia / [C] approach 1 (Bawaslu Provinsi "
                           "input), fifth lowest nationally; Jambi's approach-2 (kab/kota aggregate) score is "
                           "not available")]
    rows += [ResultRow(edition=ikp, region_code=c, name=names[c], level="kabupaten_kota", score=s, rank=r,
                       category="tinggi",
                       note="[C] skor; [I] kategori disimpulkan dari batas 49,33 / [C] score; [I] category inferred "
                            "from the 49.33 cut-off")
             for c, r, s in IKP_2024]
    ResultRow.objects.bulk_create(rows)
    pil = Edition.objects.create(
        slug="pilkada-2024-jambi", status=Status.PUBLISHED, results_only=True, level="kabupaten_kota",
        scope_code="15", regions=_regions(), previous=ikp,
        title="Pemetaan Kerawanan Pilkada Serentak 2024 — Provinsi Jambi",
        title_en="Pilkada 2024 vulnerability mapping — Jambi province",
        source="Bawaslu Provinsi Jambi, peluncuran Pemetaan Kerawanan Pilkada 2024, 31 Agustus 2024 "
               "(diberitakan sama oleh tribunjambi, jambiekspres, infojambi dan jambiindependent). "
               "Skor per dimensi tidak dipublikasikan.",
        source_en="Bawaslu Provinsi Jambi, launch of the Pilkada Serentak 2024 vulnerability mapping, 31 August 2024 "
                  "(reported alike by tribunjambi, jambiekspres, infojambi and jambiindependent). "
                  "Scores per dimension are not published.",
        source_urls=PILKADA_SOURCES, confidence="C",
        scale_note="Skala pemetaan ini berbeda dengan IKP 2024: 22,3 sudah 'tinggi'. Batas kategorinya "
                   "tidak dipublikasikan; jangan bandingkan skornya dengan edisi lain, bandingkan peringkat "
                   "atau kategori.",
        scale_note_en="This mapping's scale differs from IKP 2024's: 22.3 is already 'tinggi'. Its cut-offs "
                      "are unpublished; compare ranks or categories with other editions, not scores.")
    rows = [ResultRow(edition=pil, region_code="15", name="Provinsi Jambi", level="provinsi", score=41.63,
                      category="sedang", note="[X] tribunjambi, jambiekspres: 41,63; infojambi, radarnesia, "
                                              "jambiindependent: 41,36 / [X] tribunjambi, jambiekspres: 41.63; "
                                              "infojambi, radarnesia, jambiindependent: 41.36")]
    rows += [ResultRow(edition=pil, region_code=c, name=names[c], level="kabupaten_kota", score=s, rank=r,
                       category=cat, note="[C]") for c, r, s, cat in PILKADA_2024]
    ResultRow.objects.bulk_create(rows)
    for e in (ikp, pil):
        log_action("rawan.results.loaded", edition=e, data={"rows": e.results.count(), "source": e.source_urls})
    return ikp, pil


def edition_from_published(pub, slug: str | None = None, *, status: str = Status.PUBLISHED,
                           previous: Edition | None = None) -> Edition:
    """A results-only web edition from a published edition (:mod:`rawan.intake.published`: a
    ``Published``, a shipped edition's name or an edition file): its rows as published, its sources
    and scale note; the figure of the region above (e.g. the province score) as a row of its own,
    every source's value named in the row's note where sources disagree."""
    from ..intake.published import Published, load_published
    from .editions.dashboard import shipped_source_en

    if not isinstance(pub, Published):
        pub = load_published(pub)
    scope = "*" if pub.level == "provinsi" else pub.codes[0].rsplit(".", 1)[0]
    urls = [s_["url"] for s_ in pub.sources if s_.get("url")]
    ed = Edition.objects.create(
        slug=slug or pub.id, status=status, results_only=True, level=pub.level, scope_code=scope,
        regions=[[r.code, r.name] for r in pub.rows], previous=previous,
        title=pub.title_in("id"), title_en=pub.title.get("en", ""),
        source=", ".join(x for x in (pub.publisher, pub.date) if x) + ". "
               + "; ".join(s_["title"] for s_ in pub.sources),
        source_en=shipped_source_en(pub),
        source_urls=urls, confidence="C", scale_note=pub.scale.get("id", ""), scale_note_en=pub.scale.get("en", ""))
    rows = [ResultRow(edition=ed, region_code=r.code, name=r.name, level=pub.level, score=r.score, rank=r.rank,
                      category=r.category or "", dimensions={k: v for k, v in r.dims.items() if v is not None},
                      note=r.note) for r in pub.rows]
    figures: dict[str, list] = {}
    for f in pub.figures:
        figures.setdefault(f.code, []).append(f)
    for code, fs in figures.items():
        f = fs[0]
        tag = f"[{f.confidence}] " if f.confidence else ""
        en = "; ".join(f"{x.score:g}: " + ", ".join(x.sources) for x in fs)
        id_ = "; ".join(f"{x.score:g}".replace(".", ",") + ": " + ", ".join(x.sources) for x in fs)
        note = tag + id_ + (f" / {tag}{en}" if en != id_ else "")  # "Indonesian / English": shown by language
        rows.append(ResultRow(edition=ed, region_code=code, name=f.name or code, level="provinsi", score=f.score,
                              category=f.category or "", note=note))
    ResultRow.objects.bulk_create(rows)
    log_action("rawan.results.loaded", edition=ed, data={"rows": len(rows), "source": urls})
    return ed


def _synthetic(slug: str, title: str, title_en: str, values, indicators, previous=None,
               level: str = "kabupaten_kota", scope: str = "15", regions: list[list[str]] | None = None) -> Edition:
    text = resolve_model_path("ikp-2024").read_text(encoding="utf-8")
    regions = regions or _regions()
    ed = Edition(slug=slug, title=title, title_en=title_en, status=Status.COLLECTING, synthetic=True,
                 level=level, scope_code=scope, regions=regions, previous=previous,
                 source=f"{SYNTHETIC_MARK}: nilai indikator dibuat oleh generator acak berbenih (rawan.demo), "
                        "bukan data Bawaslu. Kode dan nama wilayah asli (Kemendagri).",
                 source_en=f"{SYNTHETIC_MARK}: indicator values made by a seeded random generator (rawan.demo), "
                           "not Bawaslu data. Region codes and names are real (Kemendagri).")
    freeze_model(ed, text, "ikp-2024")
    ed.save()
    ed.log_action("rawan.edition.created", data={"model": "ikp-2024", "synthetic": True})
    subs = []
    for (code, _), row in zip(regions, values):
        subs.append(Submission(edition=ed, region_code=code, status=SubmissionStatus.VERIFIED,
                               values={c: (None if v != v else float(v)) for c, v in zip(indicators, row)},
                               notes={c: SYNTHETIC_MARK for c in indicators[:1]}))
    Submission.objects.bulk_create(subs)
    return ed


def _published_part(slug: str, title: str, title_en: str, regions, values, indicators, level: str,
                    scope: str, previous=None) -> Edition:
    ed = _synthetic(slug, title, title_en, values, indicators, previous=previous, level=level, scope=scope,
                    regions=[[r.code, r.name] for r in regions])
    ed.status = Status.VERIFYING
    ed.save(update_fields=["status"])
    publish(ed)
    return ed


def _lower_level_editions(spec) -> tuple[Edition, Edition]:
    """The kecamatan of KEC_SCOPE, valued exactly as ``rawan demo build`` values them (same regions, seed),
    and the desa of DESA_SCOPE, their kecamatan counts split among the desa by the same generator."""
    kab, kec = load_wilayah()
    demo = generate(spec, kab, kec, desa=load_desa())
    rows = [i for i, r in enumerate(demo.kecamatan) if r.parent == KEC_SCOPE]
    name = dict(JAMBI_KABKOTA)[KEC_SCOPE]
    kec_ed = _published_part(
        "contoh-ikp-2024-kerinci-kecamatan",
        f"{SYNTHETIC_MARK} — IKP 2024 (model rawan) kecamatan {name}, data sintetis",
        f"{SYNTHETIC_MARK} — IKP 2024 (rawan model) kecamatan of {name}, synthetic data",
        [demo.kecamatan[i] for i in rows], demo.kecamatan_values[rows], demo.indicators, "kecamatan", KEC_SCOPE)
    rows = [i for i, r in enumerate(demo.desa) if r.parent == DESA_SCOPE]
    kname = next(r.name for r in demo.kecamatan if r.code == DESA_SCOPE)
    desa_ed = _published_part(
        "contoh-ikp-2024-gunung-raya-desa",
        f"{SYNTHETIC_MARK} — IKP 2024 (model rawan) desa/kelurahan Kecamatan {kname}, {name}, data sintetis",
        f"{SYNTHETIC_MARK} — IKP 2024 (rawan model) villages of Kecamatan {kname}, {name}, synthetic data",
        [demo.desa[i] for i in rows], demo.desa_values[rows], demo.indicators, "desa_kelurahan", DESA_SCOPE)
    return kec_ed, desa_ed


def load_demo(reset: bool = False) -> dict[str, str] | None:
    """Load the demo; returns {username: password} (None when already loaded and not ``reset``)."""
    User = get_user_model()
    if Edition.objects.filter(slug__in=DEMO_SLUGS).exists() and not reset:
        return None
    spec = load_spec("ikp-2024")
    demo = generate(spec)
    names = dict(JAMBI_KABKOTA)
    passwords = {}
    with transaction.atomic():
        Edition.objects.filter(slug__in=DEMO_SLUGS).update(previous=None, corrects=None)
        Edition.objects.filter(corrects__slug__in=DEMO_SLUGS).delete()
        Edition.objects.filter(slug__in=DEMO_SLUGS).delete()
        ikp, pil = _results_only_editions(names)
        edition_from_published("ikp-2024-provinsi")
        pub = _synthetic("contoh-ikp-2024-jambi",
                         f"{SYNTHETIC_MARK} — IKP 2024 (model rawan) Provinsi Jambi, data sintetis",
                         f"{SYNTHETIC_MARK} — IKP 2024 (rawan model) Jambi province, synthetic data",
                         demo.kabkota_values, demo.indicators)  # synthetic: no real "previous edition"
        pub.status = Status.VERIFYING
        pub.save(update_fields=["status"])
        publish(pub)
        _lower_level_editions(spec)
        # a second synthetic round for the entry workflow: other seeds, Kerinci open, Kota Jambi submitted
        demo2 = generate(spec, seed=2026)
        train = _synthetic("contoh-latihan-2026",
                           f"{SYNTHETIC_MARK} — Latihan pengumpulan data 2026, Provinsi Jambi",
                           f"{SYNTHETIC_MARK} — Data collection exercise 2026, Jambi province",
                           demo2.kabkota_values, demo2.indicators, previous=pub)
        Submission.objects.filter(edition=train, region_code="15.01").update(status=SubmissionStatus.DRAFT)
        Submission.objects.filter(edition=train, region_code="15.71").update(status=SubmissionStatus.SUBMITTED)
        tps_demo.load_tps_demo()
        # the published synthetic TPS collection's counts go into the synthetic edition's book (TPS chapter)
        from .tps.models import TpsEdition

        TpsEdition.objects.filter(edition__slug=tps_demo.PUBLISHED).update(book_edition=pub)
        for username, role, region, org in USERS:
            password = secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_active = True
            user.save()
            Profile.objects.update_or_create(user=user, defaults={"role": role, "region_code": region,
                                                                  "organisation": org})
            log_action("rawan.user.created", data={"username": username, "role": role, "region": region})
            passwords[username] = password
        # early warning and mitigation on the published edition (DATA CONTOH)
        from .warnings.demo import load as load_warnings

        load_warnings(pub, {u.username: u for u in User.objects.filter(username__in=[x[0] for x in USERS])})
    return passwords


def new_password() -> str:
    """A random password for a new or reset account (shown once to whoever asked for it)."""
    return secrets.token_urlsafe(12)


def create_user(username: str, role: str, region: str = "", organisation: str = "") -> str:
    """Create (or reset) a user with a role; returns the generated password."""
    from .accounts.scope import check_role_region

    problems = check_role_region(role, region)
    if problems:
        raise ValueError(" ".join(problems))
    User = get_user_model()
    password = new_password()
    with transaction.atomic():
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        Profile.objects.update_or_create(user=user, defaults={"role": role, "region_code": region,
                                                              "organisation": organisation})
        log_action("rawan.user.created", data={"username": username, "role": role, "region": region})
    return password
