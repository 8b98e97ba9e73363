"""Building blocks of the dashboard pages: result rows, the clickable map, comparisons."""

from __future__ import annotations

import threading

from django.utils.translation import get_language, gettext as _

from .models import Edition, ResultRow
from .services import dimensions_of, spec_of

_MAP_CACHE: dict[tuple, str] = {}
_MAP_LOCK = threading.Lock()


def lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def rows_of(edition: Edition) -> list[ResultRow]:
    # through the related manager, so row.edition is this instance (no query per row)
    return list(edition.results.filter(level=edition.level).order_by("rank", "region_code"))


def province_row(edition: Edition) -> ResultRow | None:
    return edition.results.filter(region_code=edition.scope_code).first()


def dimension_names(edition: Edition) -> list[tuple[str, str]]:
    spec = spec_of(edition)
    if spec is None:
        return []
    return [(d, spec.tree.nodes[d].name.get(lang())) for d in dimensions_of(spec)]


def map_svg(edition: Edition, rows: list[ResultRow], mode: str = "category", dimension: str | None = None,
            dimension_name: str = "") -> str:
    """The edition's map (SVG from rawan.regions), cached per computation and language."""
    from ...regions.render import render_map

    key = (edition.pk, str(edition.computed_at), str(edition.published_at), lang(), mode, dimension)
    with _MAP_LOCK:
        hit = _MAP_CACHE.get(key)
    if hit is not None:
        return hit
    if dimension:
        values = {r.region_code: (r.dimensions or {}).get(dimension) for r in rows}
        mode = "continuous"
    elif mode == "continuous":
        values = {r.region_code: r.score for r in rows}
    else:
        values = {r.region_code: r.category or None for r in rows}
    parent = edition.scope_code if edition.level != "provinsi" else None
    extra = {"title": dimension_name, "legend_title": _("Dimension score")} if dimension else {}
    svg = render_map(values, level=edition.level, mode=mode, parent=parent, lang=lang(),
                     synthetic=edition.synthetic, width=720, **extra)  # the page's heading is the title
    with _MAP_LOCK:
        if len(_MAP_CACHE) > 256:
            _MAP_CACHE.clear()
        _MAP_CACHE[key] = svg
    return svg


def change_against(edition: Edition, code: str) -> dict | None:
    """The region in the previous edition: score, rank, category, and whether scales differ."""
    prev = edition.previous
    if prev is None:
        return None
    row = prev.results.filter(region_code=code).first()
    if row is None:
        return {"edition": prev, "row": None}
    same_scale = bool(prev.model_sha256) and prev.model_sha256 == edition.model_sha256
    return {"edition": prev, "row": row, "same_scale": same_scale}


def category_counts(rows: list[ResultRow]) -> list[tuple[str, int]]:
    out = []
    for c in ("tinggi", "sedang", "rendah"):
        n = sum(1 for r in rows if r.category == c)
        out.append((c, n))
    missing = sum(1 for r in rows if not r.category)
    if missing:
        out.append(("", missing))
    return out


def scale_warning(a: Edition, b: Edition) -> str | None:
    if a.model_sha256 and a.model_sha256 == b.model_sha256:
        return None
    return _("These editions use different scales and category rules: compare ranks and categories, "
             "not the scores themselves.")
