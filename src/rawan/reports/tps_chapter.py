"""The TPS chapter of a book: the published TPS-rawan mapping of the same election (rawan.tps).

TPS mapping reports counts, never a score: the number of TPS per indicator, in frequency bands,
with the kab/kota where each occurred most. One TPS can carry several indicators, so the counts
overlap and are never summed (domain.md §5.1); the chapter says so.
"""

from __future__ import annotations

from pathlib import Path

from ..vocabulary import SYNTHETIC_MARK
from . import text as T


def tps_chapter(source, lang: str, names: dict[str, str] | None = None) -> dict | None:
    """The chapter as plain data, or None when there is no TPS mapping.

    ``source``: a shipped release's name (``jambi-pilkada-2024``), a TPS results file exported from the
    web app (its path), or a :class:`rawan.tps.published.Published` (the web app's collection, built
    by ``rawan.tps.published.from_counts``): one path for every kind.  A collection's state (closed
    or still open, desa not reported) is said in the chapter."""
    from ..tps import BAND_LABELS
    from ..tps.published import Published, load_published, published_files

    if not source:
        return None
    if isinstance(source, Published):
        pub = source
    elif str(source) in published_files() or Path(source).is_file():
        pub = load_published(source)
    else:
        return None
    w = T.words(lang)
    text = (lambda t: (t.get(lang) or t.id) if t is not None else "")
    s = pub.summary
    bands = [{"label": BAND_LABELS[b][lang if lang in ("id", "en") else "id"], "n": str(n)} for b, n in s.bands.items()]
    model = pub.tps_model if pub.collection is not None else None
    rows = []
    for r in pub.rows:
        where = [(names or {}).get(c) or a for c, a in zip(r.kabkota, r.kabkota_as_written)] or list(r.kabkota_as_written)
        label = model.indicator(r.indicator).name.get(lang) if model is not None else r.as_written
        rows.append({"rank": str(r.rank), "indicator": label, "tps": T.num(r.tps, lang, 0),
                     "where": ", ".join(where) or "–"})
    note = text(s.note)
    if pub.collection is not None:
        note = " ".join(x for x in (state_sentence(pub.collection, lang), note) if x)
    subtitle = text(pub.title)
    if pub.synthetic and SYNTHETIC_MARK not in subtitle:  # counts of synthetic checklists say so
        subtitle = f"{SYNTHETIC_MARK} — {subtitle}"
    return {"title": w["tps_chapter"], "subtitle": subtitle,
            "intro": T.sentence(lang, "tps_intro", variables=s.variables, indicators=s.indicators_reported,
                                publisher=pub.publisher, date=T.long_date(pub.published, lang)),
            "note": note, "bands": bands, "rows": rows, "overlap": T.sentence(lang, "tps_overlap"),
            "sources": [src.title_in(lang) for src in pub.sources]}


def state_sentence(c, lang: str) -> str:
    """Closed and complete, closed with desa not reported, or still open (the counts may change)."""
    n, k = T.num(c.desa, lang, 0), T.num(c.desa_not_reported, lang, 0)
    day = T.long_date(c.as_of, lang)
    if c.closed:
        return T.sentence(lang, "tps_closed_complete" if c.complete else "tps_closed_missing", n=n, k=k, date=day)
    return T.sentence(lang, "tps_open", n=n, k=k, date=day)
