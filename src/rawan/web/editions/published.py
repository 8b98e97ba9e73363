"""A results-only web edition as the reports' :class:`rawan.intake.published.Published`, so the web
app serves the same book and infographic as ``rawan report`` on the published table.

An edition whose slug is the id of an edition shipped with rawan (``src/rawan/data/terbit``: the
Pilkada 2024 Jambi mapping, the national IKP 2024 province scores) uses that file: its sources,
the province figures with their sources, the regions without a separate score, the election (the
legal basis the book cites).  Any other results-only edition is read from its stored rows and
source fields.
"""

from __future__ import annotations

import hashlib
import json

from ... import __version__
from .models import Edition


def published_of(edition: Edition):
    from ...intake.published import SHIPPED, Figure, Published, PublishedRow, load_published

    if (SHIPPED / f"{edition.slug}.yaml").exists():
        return load_published(edition.slug)
    rows = [PublishedRow(code=r.region_code, name=r.name, score=r.score, category=r.category or None, rank=r.rank,
                         dims=dict(r.dimensions or {}), note=r.note)
            for r in edition.results.filter(level=edition.level).order_by("rank", "region_code")]
    sources = [{"id": "s1", "title": edition.source, "url": (edition.source_urls or [""])[0],
                "confidence": edition.confidence, "note": {}}] if edition.source else []
    sources += [{"id": f"s{k}", "title": u, "url": u, "confidence": "", "note": {}}
                for k, u in enumerate(edition.source_urls[1:], 2)]
    figures = [Figure(code=r.region_code, score=r.score, category=r.category or None,
                      sources=[s["id"] for s in sources[:1]], approach={"id": r.note, "en": r.note} if r.note else {},
                      name=r.name)
               for r in edition.results.exclude(level=edition.level)]
    text = f"{edition.slug} {edition.title}".lower()
    return Published(
        id=edition.slug, title={"id": edition.title, "en": edition.title_en or edition.title}, level=edition.level,
        rows=rows, sources=sources, figures=figures,
        scale={"id": edition.scale_note, "en": edition.scale_note_en or edition.scale_note} if edition.scale_note else {},
        publisher="", date=edition.published_at.date().isoformat() if edition.published_at else "",
        election="pilkada" if "pilkada" in text else "pemilu", synthetic=edition.synthetic,
        sha256=identity(edition, shipped=False))


def identity(edition: Edition, shipped: bool | None = None) -> str:
    """What a results-only edition's book depends on: its stored rows and source fields, the shipped
    file when there is one, and the rawan version (a newer rawan may write a better book)."""
    from ...intake.published import SHIPPED

    rows = list(edition.results.order_by("region_code").values_list(
        "region_code", "name", "level", "score", "rank", "category", "note", "dimensions"))
    doc = [edition.slug, edition.title, edition.title_en, edition.source, edition.source_en, edition.source_urls, edition.confidence,
           edition.scale_note, edition.scale_note_en, str(edition.published_at), rows, __version__]
    if shipped is None:
        shipped = (SHIPPED / f"{edition.slug}.yaml").exists()
    if shipped:
        for suffix in (".yaml", ".csv"):
            p = SHIPPED / f"{edition.slug}{suffix}"
            doc.append(hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "")
    return hashlib.sha256(json.dumps(doc, default=str, ensure_ascii=False).encode("utf-8")).hexdigest()
