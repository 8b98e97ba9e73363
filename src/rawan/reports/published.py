"""The book, infographic and maps of a results-only edition (published scores and categories,
no indicator data): :class:`rawan.intake.published.Published`.

    from rawan.intake.published import load_published
    pub = load_published("pilkada-2024-jambi")
    pdf = render_published_report(pub, fmt="pdf")

The book names every region with its published class and score and the sources; the province
figure shows its source, or says that none was published; figures that disagree are all shown
with their sources.  A results-only edition has no indicator data, so no robustness analysis:
the book says so where a computed book shows the stability column.
"""

from __future__ import annotations

from .. import __version__
from ..intake.published import Published
from ..vocabulary import SYNTHETIC_COLOUR, SYNTHETIC_MARK
from . import text as T
from .maps import MapMaker, category_colours, text_on
from .tps_chapter import tps_chapter

TOP_N = 5
ALL_IN_INFOGRAPHIC = 12  # up to this many regions, the infographic lists every one (a province's kab/kota)


def _cat(lang: str, label: str | None) -> dict:
    colours = category_colours()
    bg = colours.get(label, colours[None])
    return {"cat": label or "", "category": T.category_name(lang, label), "short": T.category_short(lang, label),
            "colour": bg, "fg": text_on(bg)}


def _place(pub: Published, maps: MapMaker, lang: str) -> str:
    if pub.level == "provinsi":
        return "Indonesia"
    tops = {c.split(".")[0] for c in pub.codes}
    if len(tops) != 1:
        return ""
    name = maps.name_of(tops.pop())
    if name is None:
        return ""
    return f"Provinsi {name}" if lang == "id" else f"{name} Province"


def _source_line(pub: Published, ids: list[str], lang: str) -> str:
    parts = []
    for sid in ids:
        s = pub.source(sid)
        parts.append(s["title"] if s else sid)
    return "; ".join(parts)


def _row_sources(pub: Published, note: str) -> str:
    """A row's source cell: source ids are shown as the short id; free text as given."""
    return note


def _name(pub: Published, row, maps: MapMaker) -> str:
    return row.name or maps.name_of(row.code) or row.code


def figures(pub: Published, lang: str) -> dict:
    """The figure of the region above the table (e.g. the province), each with its sources; where
    sources disagree every figure is listed; where none was published, a sentence says so."""
    w = T.words(lang)
    items = []
    for f in pub.figures:
        items.append({"name": f.name or f.code, "score": T.num(f.score, lang) if f.score is not None else "–",
                      "approach": f.approach.get(lang) or f.approach.get("id", ""),
                      "sources": _source_line(pub, f.sources, lang), "confidence": f.confidence,
                      **_cat(lang, f.category)})
    scores = {f.score for f in pub.figures if f.score is not None}
    if not items:
        note = T.sentence(lang, "figure_none", level=w.get(f"level_above_{pub.level}", w["level_above"]))
    elif len(scores) > 1:
        note = T.sentence(lang, "figure_conflict", scores=" / ".join(T.num(s, lang) for s in sorted(scores, reverse=True)))
    else:
        note = ""
    for it, f in zip(items, pub.figures):
        if f.category is None:
            it["category"] = w["no_class_published"]
    return {"items": items, "note": note}


class PublishedBook:
    """Everything a results-only book or infographic shows, computed once."""

    def __init__(self, pub: Published, *, lang: str, maps: MapMaker, date: str, title: str | None = None):
        self.pub, self.lang, self.maps, self.date = pub, lang, maps, date
        self.w = T.words(lang)
        self.title = title or pub.title_in(lang) or self.w["report"]
        self.place = _place(pub, maps, lang)
        self.level_label = self.w.get(f"level_{pub.level}", pub.level)
        self.no_score = {n["code"]: n for n in pub.no_score}
        self.no_score_label = self.w["no_separate_score"] if self.no_score else None

    def row_name(self, row) -> str:
        return _name(self.pub, row, self.maps)

    def cat_values(self) -> dict:
        return self.pub.map_values("category")

    def category_map(self, width: int = 800, marked=(), marked_label=None, parent=None) -> dict:
        s = self.maps.draw(self.cat_values(), level=self.pub.level, mode="category", title=self.w["map_province"],
                           subtitle=self.map_subtitle(), legend_title=self.w["legend"], width=width, marked=marked,
                           marked_label=marked_label, parent=parent, no_data_label=self.no_score_label,
                           tips=self.tips())
        return {"svg": s.svg or "", "reason": s.reason or ""}

    def tips(self) -> dict:
        """code -> "Skor 26,05" (and the no-score note): the published score in each region's tooltip."""
        out = {r.code: f"{self.w['score']} {T.num(r.score, self.lang)}" for r in self.pub.rows if r.score is not None}
        for c in self.no_score:
            out[c] = self.w["no_separate_score"]
        return out

    def score_map(self) -> dict:
        s = self.maps.draw(self.pub.map_values("score"), level=self.pub.level, mode="continuous", title=self.w["map_score"],
                           subtitle=self.map_subtitle(), legend_title=self.w["score"],
                           no_data_label=self.no_score_label)
        return {"svg": s.svg or "", "reason": s.reason or ""}

    def map_subtitle(self) -> str:
        """The source and edition line every exported map carries."""
        who = ", ".join(x for x in (self.pub.publisher, T.long_date(self.pub.date, self.lang) if _iso(self.pub.date)
                                    else self.pub.date) if x)
        return " — ".join(x for x in (self.pub.title_in(self.lang), f"{self.w['source_word']}: {who}" if who else "") if x)

    def counts(self) -> list[dict]:
        c = self.pub.counts()
        n = len(self.pub.rows)
        out = [{"n": str(c.get(k, 0)), "share": T.percent(c.get(k, 0) / n, self.lang) if n else "–", **_cat(self.lang, k)}
               for k in ("tinggi", "sedang", "rendah")]
        if c.get(None):
            out.append({"n": str(c[None]), "share": T.percent(c[None] / n, self.lang), **_cat(self.lang, None)})
        return out

    def top(self, k: int = TOP_N) -> list[dict]:
        return [{"rank": str(r.rank) if r.rank else "–", "name": self.row_name(r), "code": r.code,
                 "parent": self.maps.parent_of(r.code, self.pub.level),
                 "score": T.num(r.score, self.lang), **_cat(self.lang, r.category)}
                for r in self.pub.rows[:k] if r.score is not None]

    def summary(self) -> list[str]:
        lang, c = self.lang, self.pub.counts()
        out = [T.sentence(lang, "pub_intro", title=self.pub.title_in(lang), publisher=self.pub.publisher or "–"),
               T.sentence(lang, "counts", n=len(self.pub.rows), level=self.level_label, tinggi=c.get("tinggi", 0),
                          sedang=c.get("sedang", 0), rendah=c.get("rendah", 0), nodata="")]
        tinggi = [f"{self.row_name(r)} ({T.num(r.score, lang)})" for r in self.pub.rows if r.category == "tinggi"]
        if tinggi:
            out.append(T.sentence(lang, "pub_high", regions=", ".join(tinggi)))
        if self.no_score:
            out.append(next(iter(self.no_score.values()))["note"].get(lang, ""))
        out.append(T.sentence(lang, "no_robustness"))
        return [p for p in out if p]

    def ranking(self) -> dict:
        dims = [{"code": d["code"], "name": d["name"].get(self.lang) or d["name"].get("id") or d["code"]}
                for d in self.pub.dimensions]
        below = self.pub.level in ("kecamatan", "desa_kelurahan")
        rows = []
        for r in self.pub.rows:
            rows.append({"rank": str(r.rank) if r.rank else "–", "code": r.code, "name": self.row_name(r),
                         "parent": self.maps.parent_of(r.code, self.pub.level) if below else "",
                         "score": T.num(r.score, self.lang),
                         "dims": [T.num(r.dims.get(d["code"]), self.lang) for d in dims],
                         "source": r.note, **_cat(self.lang, r.category)})
        for code, n in self.no_score.items():
            rows.append({"rank": "–", "code": code, "name": self.maps.name_of(code) or code, "parent": "",
                         "score": "–", "dims": ["–" for _ in dims], "source": self.w["no_separate_score"],
                         **_cat(self.lang, None), "category": self.w["no_separate_score"], "short": "–"})
        return {"dims": dims, "rows": rows, "parent_col": below}

    def dimension_maps(self) -> list[dict]:
        """One map per published dimension, all on one shared 0-100 scale (not the category colours)."""
        out = []
        for d in self.pub.dimensions:
            vals = {r.code: r.dims.get(d["code"]) for r in self.pub.rows}
            name = d["name"].get(self.lang) or d["name"].get("id") or d["code"]
            s = self.maps.draw(vals, level=self.pub.level, mode="continuous", title=name,
                               subtitle=self.map_subtitle(), legend_title=self.w["score"], value_range=self.dim_scale())
            out.append({"name": name, "map": {"svg": s.svg or "", "reason": s.reason or ""}})
        return out

    def dim_scale(self) -> tuple[float, float]:
        vals = [v for r in self.pub.rows for v in r.dims.values() if v is not None]
        return (min(0.0, min(vals)), max(100.0, max(vals))) if vals else (0.0, 100.0)

    def recommendations(self) -> dict:
        """Recommendations per organisation (roles.md) from the shipped recommendations file; a
        results-only edition has no indicator data, so none is tied to this edition's issues."""
        from .issues import by_organisation, standard_recommendations

        return {"intro": T.sentence(self.lang, "rec_published"), "items": [], "standard": [],
                "orgs_intro": T.sentence(self.lang, "rec_orgs_intro"),
                "orgs": by_organisation(standard_recommendations(), self.lang)}

    def stages(self) -> dict | None:
        if not self.pub.stages:
            return None
        pick = (lambda t: t.get(self.lang) or t.get("id", ""))
        return {"intro": T.sentence(self.lang, "stages_intro"),
                "items": [{"name": pick(st["name"]), "national": pick(st["national"]) if st["national"] else "",
                           "items": [pick(i) for i in st["items"]]} for st in self.pub.stages]}

    def sources(self) -> list[dict]:
        return [{**s, "note": s["note"].get(self.lang) or s["note"].get("id", "") if isinstance(s.get("note"), dict)
                 else s.get("note") or ""} for s in self.pub.sources]


def _iso(s: str) -> bool:
    import re

    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", s or ""))


def published_content(pub: Published, *, lang: str, maps: MapMaker, date: str, title: str | None = None,
                      framing: dict | None = None, sambutan: dict | None = None) -> dict:
    """The results-only book as plain data (what PDF and HTML show)."""
    b = PublishedBook(pub, lang=lang, maps=maps, date=date, title=title)
    w = b.w
    return {
        "lang": lang, "w": w, "results_only": True, "synthetic": bool(pub.synthetic), "mark": SYNTHETIC_MARK,
        "mark_colour": SYNTHETIC_COLOUR, "synthetic_note": w["synthetic_note"],
        "title": b.title, "subtitle": ", ".join(x for x in (pub.publisher, T.long_date(pub.date, lang) if _iso(pub.date)
                                                            else pub.date) if x),
        "place": b.place, "level_label": b.level_label, "date": T.long_date(date, lang), "n": str(len(pub.rows)),
        "model": {"id": pub.id, "version": w["results_only_short"]},
        "results_note": T.sentence(lang, "results_only_note"),
        "scale_note": pub.scale.get(lang) or pub.scale.get("id", ""),
        "produced_by": w["produced_by"].format(version=__version__),
        "summary": {"paragraphs": b.summary(), "counts": b.counts(), "top": b.top()},
        "figures": figures(pub, lang),
        "category_map": b.category_map(), "score_map": b.score_map(),
        "ranking": b.ranking(), "dimension_maps": b.dimension_maps(),
        "stability_note": T.sentence(lang, "no_robustness"),
        "sources": b.sources(),
        "recommendations": b.recommendations(),
        "stages": b.stages(),
        "tps": tps_chapter(pub.tps, lang, {r.code: b.row_name(r) for r in pub.rows}),
        "data_line": T.sentence(lang, "pub_data", file=pub.file or pub.id, n=len(pub.rows), hash=pub.sha256[:16]),
        "framing": framing, "sambutan": sambutan,
        "attribution": _attribution(lang),
    }


def _attribution(lang: str) -> list[str]:
    from .sections import attribution

    return attribution(lang)


def published_infographic_data(pub: Published, *, maps: MapMaker, lang: str, title: str | None, date: str) -> dict:
    """The edition infographic of a results-only edition (map, count per category, top regions)."""
    b = PublishedBook(pub, lang=lang, maps=maps, date=date, title=title)
    w = b.w
    slot = b.category_map(width=520)
    return {
        "lang": lang, "w": w, "synthetic": bool(pub.synthetic), "mark": SYNTHETIC_MARK, "mark_colour": SYNTHETIC_COLOUR,
        "synthetic_note": w["synthetic_note"], "title": title or pub.title_in(lang) or w["map_province"],
        "subtitle": b.map_subtitle(), "place": b.place, "date": T.long_date(date, lang),
        "level_label": b.level_label, "n": str(len(pub.rows)), "model": w["results_only_short"],
        "assumption_note": "", "attribution": w["map_attr"],
        "mode": "edition", "map": slot, "counts": [{**c} for c in b.counts()[:3]],
        "top": b.top(len(pub.rows) if len(pub.rows) <= ALL_IN_INFOGRAPHIC else TOP_N),
        "stability": T.sentence(lang, "no_robustness"),
    }
