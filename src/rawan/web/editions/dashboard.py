"""Building blocks of the dashboard pages: result rows, the clickable map, comparisons."""

from __future__ import annotations

import re
import threading

from django.utils.translation import get_language, gettext as _

from .models import Edition, ResultRow
from ...engine.sensitivity import STABLE_SHARE
from ...vocabulary import SYNTHETIC_EXPLANATION, SYNTHETIC_MARK
from .services import ROBUSTNESS_RUNS, dimensions_of, spec_of, stored_robustness

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
            dimension_name: str = "", subtitle: str = "", title: str = "") -> str:
    """The edition's map (SVG from rawan.regions), cached per computation, language and wording.

    On the category map, regions whose category holds in fewer than STABLE_SHARE of the robustness
    replays get a dashed outline, counted in the legend (editions with robustness results only)."""
    from ...regions.render import render_map

    key = (edition.pk, str(edition.computed_at), str(edition.published_at), lang(), mode, dimension, subtitle, title,
           robustness_pending(edition))  # the unstable regions are marked once their figures exist
    with _MAP_LOCK:
        hit = _MAP_CACHE.get(key)
    if hit is not None:
        return hit
    extra: dict = {}
    if dimension:
        values = {r.region_code: (r.dimensions or {}).get(dimension) for r in rows}
        mode = "continuous"
        # one colour scale for every dimension map of the edition: 0-100, not each map's own range
        extra = {"title": title or dimension_name, "legend_title": _("Dimension score"), "value_range": (0.0, 100.0)}
    elif mode == "continuous":
        values = {r.region_code: r.score for r in rows}
    else:
        values = {r.region_code: r.category or None for r in rows}
        unstable = unstable_codes(edition)
        if unstable:  # dashed outline, counted in the legend (as in the book and the infographic)
            extra["unstable"] = unstable
            extra["unstable_label"] = _("Category holds in fewer than %(p)s%% of %(n)s replays") % {
                "p": int(STABLE_SHARE * 100), "n": ROBUSTNESS_RUNS}
        published = no_score_of(edition)
        if published:
            values.update({c: None for c in published})
            extra["no_data_label"] = _("No separate score")
    if title and "title" not in extra:
        extra["title"] = title
    parent = edition.scope_code if edition.level != "provinsi" else None
    svg = render_map(values, level=edition.level, mode=mode, parent=parent, lang=lang(), subtitle=subtitle,
                     synthetic=edition.synthetic, width=720, **extra)  # the page's heading is the title
    with _MAP_LOCK:
        if len(_MAP_CACHE) > 256:
            _MAP_CACHE.clear()
        _MAP_CACHE[key] = svg
    return svg


def no_score_of(edition: Edition) -> dict[str, dict]:
    """Regions a results-only edition shipped with rawan draws as "no separate score" (e.g. the four
    provinces created in 2022 in the national IKP 2024 scores), with their note."""
    pub = _shipped(edition)
    return {n["code"]: n for n in pub.no_score} if pub is not None else {}


def _shipped(edition: Edition):
    """The edition file shipped with rawan whose id is this edition's slug (results-only), or None."""
    if not edition.results_only:
        return None
    from ...intake.published import SHIPPED, load_published

    if not (SHIPPED / f"{edition.slug}.yaml").exists():
        return None
    return load_published(edition.slug)


def _source_name(source: dict) -> str:
    """A source's short name: its title up to the first comma ("Bawaslu RI", "Jambi Independent")."""
    return (source.get("title") or source.get("id") or "").split(",")[0].strip()


def source_text(edition: Edition, lg: str) -> str:
    """Where the figures come from, in the visitor's language when it exists (``source_of``)."""
    return source_of(edition, lg)[0]


def source_of(edition: Edition, lg: str) -> tuple[str, str]:
    """(text, its language) of where the figures come from: the stored text in the visitor's language
    (``source_en`` for English); for English without one, the synthetic explanation for DATA CONTOH
    or the shipped edition file's sources with their English notes (editions stored before
    ``source_en`` existed); else the Indonesian text with "id", which pages say is Indonesian only."""
    text, in_lang = edition.source_in(lg)
    if lg != "en" or in_lang == "en":
        return text, in_lang
    if edition.synthetic:
        return (f"{SYNTHETIC_MARK}: indicator values made by a seeded random generator "
                f"({SYNTHETIC_EXPLANATION['en']}). Region codes and names are real (Kemendagri).", "en")
    pub = _shipped(edition)
    if pub is not None:
        return shipped_source_en(pub), "en"
    return text, "id"


def shipped_source_en(pub) -> str:
    """The English source text of a shipped edition file: publisher, date, each source with its note."""
    parts = []
    for src in pub.sources:
        note = (src.get("note") or {}).get("en", "")
        parts.append(f"{src['title']}{' — ' + note if note else ''}")
    who = ", ".join(x for x in (pub.publisher, pub.date) if x)
    return (who + ". " if who else "") + " · ".join(parts)


def readable_note(edition: Edition, note: str) -> str:
    pub = _shipped(edition)
    if pub is None or not note:
        return note
    names = {src["id"]: _source_name(src) for src in pub.sources if src.get("id")}
    return re.sub(r"[\w.-]+", lambda m: names.get(m.group(0), m.group(0)), note)


def robustness(edition: Edition) -> dict[str, dict] | None:
    """Per region: rank interval and class stability, for editions that have robustness results
    (published computed editions); None for the others (results-only editions have none), and
    None while a worker computes them (the job is queued here if it is not yet: editions.jobs)."""
    if edition.results_only or not edition.bundle_sha256:
        return None
    robust = stored_robustness(edition)
    if robust is None:
        from .jobs import queue_robustness

        queue_robustness(edition)
    return robust


def robustness_pending(edition: Edition) -> bool:
    """A published computed edition whose robustness figures a worker has not stored yet: its pages
    change when they arrive, so they are not put in the page cache (pagecache.NO_PAGE_CACHE)."""
    return bool(edition.bundle_sha256) and not edition.results_only and stored_robustness(edition) is None


def unstable_codes(edition: Edition) -> list[str]:
    robust = robustness(edition)
    if not robust:
        return []
    return sorted(c for c, r in robust.items()
                  if r.get("class_stability") is not None and r["class_stability"] < STABLE_SHARE)


def sees_internal_user(user) -> bool:
    from ..accounts.roles import who

    return who(user).internal


def change_against(edition: Edition, code: str) -> dict | None:
    """The region in the previous edition: score, rank, category, and whether scales differ."""
    prev = edition.previous
    if prev is None:
        return None
    row = prev.results.filter(region_code=code).first()
    if row is None:
        return {"edition": prev, "row": None, "mix_warning": mix_warning(edition, prev)}
    same_scale = bool(prev.model_sha256) and prev.model_sha256 == edition.model_sha256
    return {"edition": prev, "row": row, "same_scale": same_scale, "mix_warning": mix_warning(edition, prev)}


def category_counts(rows: list[ResultRow]) -> list[tuple[str, int]]:
    out = []
    for c in ("tinggi", "sedang", "rendah"):
        n = sum(1 for r in rows if r.category == c)
        out.append((c, n))
    missing = sum(1 for r in rows if not r.category)
    if missing:
        out.append(("", missing))
    return out


def mix_warning(a: Edition, b: Edition) -> str | None:
    """The explicit warning whenever real published figures and DATA CONTOH meet on one page."""
    if a.synthetic == b.synthetic:
        return None
    fake = a if a.synthetic else b
    return _("“%(title)s” is %(mark)s: synthetic values made up for demonstration, not Bawaslu data. "
             "Do not compare it with real published figures or draw conclusions from the difference.") % {
        "title": fake.title_in(lang()), "mark": SYNTHETIC_MARK}


def scale_warning(a: Edition, b: Edition) -> str | None:
    if a.model_sha256 and a.model_sha256 == b.model_sha256:
        return None
    return _("These editions use different scales and category rules: compare ranks and categories, "
             "not the scores themselves.")


# ---- the ranking table: search, category filter, sort (server-side, no script needed) ---------

SEARCH_MAX = 60  # characters of a search (the page cache keys on it)
CATEGORY_FILTERS = ("tinggi", "sedang", "rendah", "kosong")  # kosong = no category
SORT_KEYS = ("peringkat", "wilayah", "skor", "kategori", "stabilitas")  # + dimension codes
CATEGORY_ORDER = {"tinggi": 0, "sedang": 1, "rendah": 2}


def ranking_view(edition: Edition, rows: list[ResultRow], params, robust: dict | None) -> dict:
    """Filter and sort the rows as the query asks; the rank shown is always the engine's (ties
    share the lowest rank), whatever the order on the page."""
    dims = [d for d, _ in dimension_names(edition)]
    q = (params.get("q") or "").strip()[:SEARCH_MAX]
    cat = params.get("kategori") or ""
    cat = cat if cat in CATEGORY_FILTERS else ""
    key = params.get("urut") or "peringkat"
    if key not in SORT_KEYS and key not in dims or (key == "stabilitas" and not robust):
        key = "peringkat"
    desc = params.get("arah") == "turun"
    shown = rows
    if q:
        folded = q.casefold()
        shown = [r for r in shown if folded in r.name.casefold() or r.region_code.startswith(q)]
    if cat:
        shown = [r for r in shown if (r.category or "kosong") == cat]

    def sort_value(r):
        if key == "peringkat":
            v = r.rank
        elif key == "wilayah":
            return (0, r.name.casefold())
        elif key == "skor":
            v = r.score
        elif key == "kategori":
            v = CATEGORY_ORDER.get(r.category)
        elif key == "stabilitas":
            v = (robust.get(r.region_code) or {}).get("class_stability")
        else:
            v = (r.dimensions or {}).get(key)
        return (1, 0) if v is None else (0, v)  # no value: last either way

    present = [r for r in shown if sort_value(r)[0] == 0]
    absent = [r for r in shown if sort_value(r)[0] == 1]
    present.sort(key=lambda r: (sort_value(r)[1], r.region_code), reverse=desc)
    return {"rows": present + absent, "q": q, "kategori": cat, "urut": key, "arah": "turun" if desc else "naik",
            "total": len(rows), "filtered": bool(q or cat)}
