"""The TPS chapter of a book: the published TPS-rawan mapping of the same election (rawan.tps).

TPS mapping reports counts, never a score: the number of TPS per indicator, in frequency bands,
with the kab/kota where each occurred most. One TPS can carry several indicators, so the counts
overlap and are never summed (domain.md §5.1); the chapter says so.
"""

from __future__ import annotations

from . import text as T


def tps_chapter(name: str, lang: str, names: dict[str, str] | None = None) -> dict | None:
    """The chapter as plain data, or None when no TPS mapping of that name exists."""
    from ..tps import BAND_LABELS
    from ..tps.published import load_published, published_files

    if not name or name not in published_files():
        return None
    pub = load_published(name)
    w = T.words(lang)
    text = (lambda t: (t.get(lang) or t.id) if t is not None else "")
    s = pub.summary
    bands = [{"label": BAND_LABELS[b][lang if lang in ("id", "en") else "id"], "n": str(n)} for b, n in s.bands.items()]
    rows = []
    for r in pub.rows:
        where = [(names or {}).get(c) or a for c, a in zip(r.kabkota, r.kabkota_as_written)] or list(r.kabkota_as_written)
        rows.append({"rank": str(r.rank), "indicator": r.as_written, "tps": T.num(r.tps, lang, 0),
                     "where": ", ".join(where) or "–"})
    return {"title": w["tps_chapter"], "subtitle": text(pub.title),
            "intro": T.sentence(lang, "tps_intro", variables=s.variables, indicators=s.indicators_reported,
                                publisher=pub.publisher, date=T.long_date(pub.published, lang)),
            "note": text(s.note), "bands": bands, "rows": rows, "overlap": T.sentence(lang, "tps_overlap"),
            "sources": [src.title_in(lang) for src in pub.sources]}
