"""Pages read in one language: the English pages hold no Indonesian sentence words and the
Indonesian pages no English ones (names, codes, glossary words and what users typed excepted).

The word lists are the offenders a crawl of the demo found (every page of the nav and one click
below, as each demo user, in both languages): bilingual inbox messages ("Peringatan / Alert: ..."),
alert windows as keys ("kelas:sedang"), statuses as stored values ("terbuka → diketahui"), edition
titles and notes in Indonesian on English pages, the English half of a bilingual note on Indonesian
pages.  A text marked ``lang="id"`` on an English page (a source available in Indonesian only)
is said to be Indonesian and is not counted."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

SLUG = "contoh-ikp-2024-jambi"
# Indonesian words that are never glossary words or names, as they appear in sentences
INDONESIAN = {"yang", "dan", "dari", "dengan", "untuk", "dalam", "tidak", "belum", "sudah", "oleh", "pada",
              "atau", "kejadian", "terverifikasi", "sintetis", "diketahui", "jendela", "kelas", "terbuka",
              "ditutup", "dieskalasi", "skor", "peringatan", "edisi", "unduh", "simpan", "kembali", "dikembalikan",
              "menunggu", "verifikasi", "tersedia", "terendah", "disimpulkan", "batas", "kategori", "terbit",
              "ringan", "berat"}
ENGLISH = {"the", "and", "of", "with", "for", "from", "events", "verified", "window", "published", "score",
           "edition", "region", "download", "save", "back", "alert", "live", "threshold", "category",
           "vulnerability", "inferred", "available", "nationally", "waiting", "returned", "crossed"}


class _Text(HTMLParser):
    """Visible text and the text of title/aria-label/placeholder/alt; not scripts, styles, code,
    form values, or an element whose lang differs from the page's."""

    SKIP = {"script", "style", "code", "kbd", "pre", "textarea", "option", "svg"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"}

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang, self.stack, self.out, self.off = page_lang, [], [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.VOID:
            if not self.off:
                self.out += [a[k] for k in ("title", "aria-label", "placeholder", "alt") if a.get(k)]
            return
        other = tag != "html" and a.get("lang") not in (None, self.page_lang)
        hide = tag in self.SKIP or other
        self.stack.append((tag, hide))
        self.off += hide
        if not self.off:
            self.out += [a[k] for k in ("title", "aria-label", "placeholder", "alt") if a.get(k)]

    def handle_endtag(self, tag):
        while self.stack:
            t, hide = self.stack.pop()
            self.off -= hide
            if t == tag:
                break

    def handle_data(self, data):
        if not self.off:
            self.out.append(data)


def _typed_by_users() -> list[str]:
    """What users wrote (notes, titles, sources, addresses): content, not the interface."""
    from rawan.web.entry.models import EventRecord
    from rawan.web.mitigation.models import Action, Recommendation
    from rawan.web.tps.models import TpsStation
    from rawan.web.warnings.models import AlertNote

    texts = list(AlertNote.objects.values_list("note", flat=True))
    for model, fields in ((Action, ("title", "owner_unit", "person")), (Recommendation, ("text",)),
                          (EventRecord, ("source", "description"))):
        for row in model.objects.values_list(*fields):
            texts += list(row)
    texts += list(TpsStation.objects.exclude(address="").values_list("address", flat=True).distinct()[:5000])
    return sorted({" ".join(t.split()) for t in texts if t and t.strip()}, key=len, reverse=True)


def _words(html: str, lang: str, typed: list[str]) -> list[str]:
    p = _Text(lang)
    p.feed(html)
    text = " ".join(" ".join(t.split()) for t in p.out)
    for t in typed:
        text = text.replace(t, " ")
    text = text.replace("DATA CONTOH", " ")
    text = re.sub(r"https?://\S+", " ", text)  # addresses of sources
    text = re.sub(r'"[^"]{1,80}"|“[^”]{1,80}”', " ", text)  # a term quoted as Bawaslu says it, e.g. "banyak terjadi"
    bad = INDONESIAN if lang == "en" else ENGLISH
    return sorted({w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in bad})


@pytest.fixture
def alert_with_history(as_user):
    """An alert raised (its inbox message) and acknowledged (its history), as the demo's worker does."""
    from django.contrib.auth import get_user_model

    from rawan.web.editions.models import Edition
    from rawan.web.warnings import services as S
    from rawan.web.warnings.models import Alert

    a = Alert.objects.create(edition=Edition.objects.get(slug=SLUG), rule_id="uji-skor", rule_name="Skor melewati batas",
                             rule_name_en="Score crossed a cut-off", kind="score", region_code="15.71",
                             window="kelas:sedang", numbers={"baseline_score": 10.9, "live_score": 14.2,
                                                             "cutoff": 13.47, "baseline_class": "rendah",
                                                             "live_class": "sedang"})
    S._announce(a)
    S.move_alert(a, "acknowledge", "uji", get_user_model().objects.get(username="verifikator"))
    return a


PAGES = [
    (None, ["/", "/bandingkan/", f"/e/{SLUG}/", f"/e/{SLUG}/peringkat/", "/e/ikp-2024-jambi/",
            "/e/ikp-2024-jambi/peringkat/", "/e/ikp-2024-jambi/wilayah/15.04/", "/e/pilkada-2024-jambi/",
            "/tps/contoh-tps-pilkada-2024-jambi/"]),
    ("verifier", ["/kotak-masuk/", f"/e/{SLUG}/peringatan/", "{alert}", f"/e/{SLUG}/terkini/15.71/", "/akun/token/"]),
    ("admin", [f"/e/{SLUG}/kelola/", "/kotak-masuk/"]),
    ("pkd", ["/tps/contoh-tps-pengumpulan-2026/desa/15.01.01.2001/tps/1/"]),
]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_pages_speak_one_language(as_user, alert_with_history, lang):
    typed = _typed_by_users()
    found = {}
    for who, urls in PAGES:
        c = as_user(who)
        c.cookies["django_language"] = lang
        for url in urls:
            url = url.format(alert=f"/e/{SLUG}/peringatan/{alert_with_history.pk}/")
            r = c.get(url)
            assert r.status_code == 200, (who, url, r.status_code)
            words = _words(r.content.decode(), lang, typed)
            if words:
                found[f"{who or 'anonymous'} {url}"] = words
    assert not found, f"{'Indonesian' if lang == 'en' else 'English'} words on {lang} pages: {found}"
