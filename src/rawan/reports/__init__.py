"""Published reports: the mapping book (PDF via typst, self-contained HTML) and infographics (PNG).

    from rawan.reports import build_report, build_infographic
    build_report("ikp-2024", "jambi-kabkota.csv", out=Path("laporan.pdf"))
    build_infographic("ikp-2024", "jambi-kabkota.csv", out=Path("ikp.png"), boundaries="tiles")

``regions`` is a region list (a CSV, or a folder holding it) and ``boundaries`` the boundaries
(a stored .npz, a GeoJSON/GPKG/zipped Shapefile, a folder holding one, or "tiles"); each
defaults to the default ones of the data's province (see rawan.reports.maps).

The same inputs give byte-identical HTML and PNG, and a PDF without any
creation date (so byte-identical too).  The report date defaults to
SOURCE_DATE_EPOCH when set, else today (UTC); pass ``date`` to fix it.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from pathlib import Path
from typing import Any

from ..engine import Dataset, Problem, RawanError, Reference, Result, Spec, compute, load_spec, read_data
from ..demo import DEFAULT_SEED  # one default seed, the demo's (2024), as in every command
from ..engine.spec import resolve_model_path
from . import messages  # noqa: F401  (registers the messages)
from .content import build_content, data_label
from .issues import find_recommendations, load_recommendations
from .maps import MapMaker

__all__ = ["build_infographic", "build_infographics", "build_published_infographic", "build_published_report",
           "build_report", "prepare", "published_report_content", "render_infographic",
           "render_published_infographic", "render_published_report", "render_report", "report_content"]


def _date(date: str | None) -> str:
    if date is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        day = (_dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc) if epoch and epoch.isdigit()
               else _dt.datetime.now(_dt.timezone.utc))
        return day.date().isoformat()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise RawanError(Problem("reports.bad_date", {"date": date}))
    try:
        _dt.date.fromisoformat(date)
    except ValueError:
        raise RawanError(Problem("reports.bad_date", {"date": date})) from None
    return date


def _spec(spec: Spec | str | Path) -> tuple[Spec, Path | None]:
    if isinstance(spec, Spec):
        return spec, None
    return load_spec(spec), resolve_model_path(spec)


def _result(spec: Spec, data: Dataset | Result | str | Path, level: str | None, reference=None,
            parent: str | None = None) -> tuple[Result, str]:
    """A result from loose inputs: against ``reference`` (a Reference or its file) when given, and
    restricted to the regions under ``parent`` (scored and classed as in the whole table)."""
    if isinstance(data, Result):
        result = data
    else:
        if not isinstance(data, Dataset):
            data = read_data(data, spec.tree.indicators)
        if reference is not None and not isinstance(reference, Reference):
            reference = Reference.load(reference)
        result = compute(spec, data, region_level=level or "auto", reference=reference)
    if parent:
        result = result.restrict(parent)
    return result, data_label(result.data.source if result.data else None)


def prepare(spec, data, *, previous=None, level: str | None = None, reference=None, parent: str | None = None):
    """(spec, result, previous result, data file name, model path) from the loose inputs.

    ``reference``: a stored reference (or its file); ``parent``: only the regions under this code,
    scored and classed against the whole table's (or the stored) reference."""
    spec, model_path = _spec(spec)
    result, name = _result(spec, data, level, reference, parent)
    prev = None
    if previous is not None:
        prev, pname = _result(spec, previous, level, reference, parent)
        if prev.region_level != result.region_level:
            raise RawanError(Problem("reports.previous_level", {
                "file": pname or "-", "level": prev.region_level or "-", "current": result.region_level or "-"}))
    return spec, result, prev, name, model_path


def report_content(spec, data, *, regions=None, boundaries=None, previous=None, lang: str = "id",
                   title: str | None = None,
                   date: str | None = None, recommendations: str | Path | None = None,
                   uncertainty: Any = None, seed: int = DEFAULT_SEED, level: str | None = None, reference=None,
                   parent: str | None = None, sambutan=None, election: str = "pemilu",
                   register: dict | None = None, tps=None, stage_events: dict | None = None) -> dict:
    """The report as plain data (what both PDF and HTML show).

    ``stage_events``: verified events after publication by stage (the web app's event records:
    ``{"counts": {stage: n}, "unstaged": n, "last": "YYYY-MM-DD"}``) for the stages chapter.

    ``register``: the edition's mitigation register as the web app keeps it
    (``rawan.web.mitigation.services.register_for_book``): when it holds sent recommendations or
    actions, the recommendations chapter shows them per organisation and region, with follow-up.

    ``uncertainty``: an UncertaintyResult, or a number of runs to make one (0/None: no robustness).
    ``reference`` / ``parent``: see :func:`prepare`.
    """
    spec, result, prev, name, model_path = prepare(spec, data, previous=previous, level=level,
                                                   reference=reference, parent=parent)
    rec_path = Path(recommendations) if recommendations else find_recommendations(spec, model_path)
    rec = load_recommendations(rec_path, spec) if rec_path else None
    maps = MapMaker(regions, lang, result.synthetic, boundaries=boundaries, codes=result.codes)
    if isinstance(uncertainty, int) and not isinstance(uncertainty, bool):
        uncertainty = robustness(result, runs=uncertainty, seed=seed) if uncertainty > 0 else None
    from . import sections
    from .framing import framing, read_sambutan

    content = build_content(result, lang=lang, title=title, date=_date(date), maps=maps, previous=prev,
                            recommendations=rec, uncertainty=uncertainty, data_name=name)
    content["framing"] = framing(election, lang)
    content["sambutan"] = read_sambutan(sambutan, lang) if sambutan else None
    content["register"] = register_content(register)
    content["tps"] = _tps(tps, lang)
    content["stages"] = sections.stages(spec, lang, stage_events)
    return content


def _tps(source, lang: str) -> dict | None:
    """The TPS chapter (rawan.reports.tps_chapter) of ``source``: a published TPS-rawan mapping's name
    (rawan.tps.published), a TPS results file exported from the web app, or a Published (the web
    app's collection); None without one."""
    if not source:
        return None
    from ..tps.published import Published, published_files
    from .tps_chapter import tps_chapter

    if not isinstance(source, Published) and str(source) not in published_files() and not Path(source).is_file():
        raise RawanError(Problem("reports.tps_unknown", {"name": str(source),
                                                         "known": ", ".join(published_files()) or "-"}))
    return tps_chapter(source, lang, None)


def register_content(register: dict | None) -> dict | None:
    """The mitigation register for the book (dates as text), or None when it holds nothing."""
    if not register or register.get("empty", True):
        return None

    def plain(x):
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items()}
        if isinstance(x, list):
            return [plain(v) for v in x]
        if x is None or isinstance(x, (str, int, float, bool)):
            return "" if x is None else x
        return str(x)  # dates

    return plain({"recommendations": register.get("recommendations", []), "actions": register.get("actions", [])})


def robustness(result: Result, *, runs: int = 1000, seed: int = DEFAULT_SEED):
    """Rank intervals and class stability (rawan.engine.uncertainty, its default design)."""
    from ..engine import uncertainty as run_uncertainty

    return run_uncertainty(result.spec, result.data, runs=runs, seed=seed, region_level=result.region_level,
                           nominal=result)


def _write(out: Path, data: bytes) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)  # never a half-written report
    return out


def render_report(spec: Spec | str | Path, data: Dataset | Result | str | Path, *, fmt: str = "pdf",
                  regions: str | Path | None = None, boundaries: str | Path | None = None,
                  previous: Dataset | Result | str | Path | None = None,
                  lang: str = "id", title: str | None = None, date: str | None = None,
                  recommendations: str | Path | None = None, uncertainty: Any = None, seed: int = DEFAULT_SEED,
                  level: str | None = None, tagged: bool = False, name: str = "", reference=None,
                  parent: str | None = None, sambutan=None, election: str = "pemilu",
                  register: dict | None = None, tps=None, stage_events: dict | None = None) -> bytes:
    """The report as bytes, ``fmt`` "pdf" or "html" (for a web response); see :func:`build_report`."""
    if fmt not in ("pdf", "html"):
        raise RawanError(Problem("reports.format", {"file": name or f"<{fmt}>"}))
    content = report_content(spec, data, regions=regions, boundaries=boundaries, previous=previous, lang=lang,
                             title=title, date=date,
                             recommendations=recommendations, uncertainty=uncertainty, seed=seed, level=level,
                             reference=reference, parent=parent, sambutan=sambutan, election=election,
                             register=register, tps=tps, stage_events=stage_events)
    if fmt == "pdf":
        from .pdf import typeset

        return typeset("report.typ", content, name=name, tagged=tagged)[0]
    from .html import render_html

    return render_html(content).encode("utf-8")


def build_report(spec: Spec | str | Path, data: Dataset | Result | str | Path, *, out: Path,
                 regions: str | Path | None = None, boundaries: str | Path | None = None,
                  previous: Dataset | Result | str | Path | None = None,
                 lang: str = "id", title: str | None = None, date: str | None = None,
                 recommendations: str | Path | None = None, uncertainty: Any = None, seed: int = DEFAULT_SEED,
                 level: str | None = None, tagged: bool = False, reference=None,
                 parent: str | None = None, sambutan=None, election: str = "pemilu",
                 register: dict | None = None, tps=None, stage_events: dict | None = None) -> Path:
    """Write the report of an edition to ``out``; the format follows the suffix (.pdf or .html).

    ``uncertainty``: an UncertaintyResult or a number of runs (with ``seed``) adds rank
    intervals and class stability to the region pages.  ``tagged``: an accessible (tagged) PDF.
    """
    out = Path(out)
    fmt = {".pdf": "pdf", ".html": "html", ".htm": "html"}.get(out.suffix.lower())
    if fmt is None:
        raise RawanError(Problem("reports.format", {"file": out.name}))
    return _write(out, render_report(spec, data, fmt=fmt, regions=regions, boundaries=boundaries,
                                     previous=previous, lang=lang,
                                     title=title, date=date, recommendations=recommendations,
                                     uncertainty=uncertainty, seed=seed, level=level, tagged=tagged, name=out.name,
                                     reference=reference, parent=parent, sambutan=sambutan, election=election,
                                     register=register, tps=tps, stage_events=stage_events))


def render_infographic(spec: Spec | str | Path, data: Dataset | Result | str | Path, *,
                       regions: str | Path | None = None, boundaries: str | Path | None = None,
                      region: str | None = None, lang: str = "id",
                       title: str | None = None, date: str | None = None, level: str | None = None,
                       name: str = "", uncertainty: Any = None, seed: int = DEFAULT_SEED) -> bytes:
    """A 1080x1350 PNG as bytes: the edition (map, count per category, top regions) or one ``region``.

    ``uncertainty`` (an UncertaintyResult or a number of runs): unstable categories marked on the
    map and named under it."""
    from .infographic import infographic_png

    spec, result, _, _, _ = prepare(spec, data, level=level)
    if isinstance(uncertainty, int) and not isinstance(uncertainty, bool):
        uncertainty = robustness(result, runs=uncertainty, seed=seed) if uncertainty > 0 else None
    return infographic_png(result, regions=regions, boundaries=boundaries, region=region, lang=lang, title=title,
                           date=_date(date), name=name, uncertainty=uncertainty)


def build_infographic(spec: Spec | str | Path, data: Dataset | Result | str | Path, *, out: Path,
                      regions: str | Path | None = None, boundaries: str | Path | None = None,
                      region: str | None = None, lang: str = "id",
                      title: str | None = None, date: str | None = None, level: str | None = None,
                      uncertainty: Any = None, seed: int = DEFAULT_SEED) -> Path:
    """Write a 1080x1350 PNG: the edition (map, count per category, top regions) or one ``region``."""
    out = Path(out)
    if out.suffix.lower() != ".png":
        raise RawanError(Problem("reports.infographic_format", {"file": out.name}))
    return _write(out, render_infographic(spec, data, regions=regions, boundaries=boundaries, region=region,
                                          lang=lang, title=title,
                                          date=date, level=level, name=out.name, uncertainty=uncertainty,
                                          seed=seed))


def build_infographics(spec: Spec | str | Path, data: Dataset | Result | str | Path, *, out_dir: Path,
                       regions: str | Path | None = None, boundaries: str | Path | None = None,
                       lang: str = "id", title: str | None = None,
                       date: str | None = None, level: str | None = None) -> list[Path]:
    """The edition's PNG (``infografik.png``) and one per region (``infografik-<code>.png``) in ``out_dir``."""
    spec, result, _, _, _ = prepare(spec, data, level=level)
    maps = MapMaker(regions, lang, result.synthetic, boundaries=boundaries, codes=result.codes)
    day = _date(date)
    out_dir = Path(out_dir)
    return _each_infographic(result, maps, lang, title, day, out_dir)


def _each_infographic(result, maps, lang, title, day, out_dir) -> list[Path]:
    from .infographic import PPI, infographic_data
    from .pdf import typeset

    paths = []
    for code in [None, *result.codes]:
        name = "infografik.png" if code is None else f"infografik-{code}.png"
        doc = infographic_data(result, maps=maps, region=code, lang=lang, title=title, date=day)
        pages, _ = typeset("infographic.typ", doc, fmt="png", ppi=PPI, name=name)
        paths.append(_write(out_dir / name, pages[0] if isinstance(pages, list) else pages))
    return paths


# ---------------------------------------------------------------- published-results editions

def published_report_content(pub, *, regions=None, boundaries=None, lang: str = "id", title: str | None = None,
                             date: str | None = None, sambutan=None, parent: str | None = None,
                             register: dict | None = None) -> dict:
    """The book of a results-only edition (``pub``: a Published, a shipped edition's name, an
    edition file or a bare results table) as plain data."""
    from ..intake.published import Published, load_published
    from .framing import framing, read_sambutan
    from .published import published_content

    if not isinstance(pub, Published):
        pub = load_published(pub)
    if parent:
        pub = pub.restrict(parent)
    maps = MapMaker(regions, lang, pub.synthetic, boundaries=boundaries, codes=pub.codes)
    content = published_content(pub, lang=lang, maps=maps, date=_date(date), title=title,
                                framing=framing(pub.election, lang),
                                sambutan=read_sambutan(sambutan, lang) if sambutan else None)
    content["register"] = register_content(register)
    return content


def render_published_report(pub, *, fmt: str = "pdf", regions=None, boundaries=None, lang: str = "id",
                            title: str | None = None, date: str | None = None, sambutan=None,
                            parent: str | None = None, tagged: bool = False, name: str = "",
                            register: dict | None = None) -> bytes:
    """The results-only book as bytes ("pdf" or "html"), e.g. for a web response."""
    if fmt not in ("pdf", "html"):
        raise RawanError(Problem("reports.format", {"file": name or f"<{fmt}>"}))
    content = published_report_content(pub, regions=regions, boundaries=boundaries, lang=lang, title=title,
                                        date=date, sambutan=sambutan, parent=parent, register=register)
    if fmt == "pdf":
        from .pdf import typeset

        return typeset("published.typ", content, name=name, tagged=tagged)[0]
    from .html import render_published_html

    return render_published_html(content).encode("utf-8")


def build_published_report(pub, *, out: Path, **kw) -> Path:
    """Write the results-only book to ``out`` (.pdf or .html)."""
    out = Path(out)
    fmt = {".pdf": "pdf", ".html": "html", ".htm": "html"}.get(out.suffix.lower())
    if fmt is None:
        raise RawanError(Problem("reports.format", {"file": out.name}))
    return _write(out, render_published_report(pub, fmt=fmt, name=out.name, **kw))


def render_published_infographic(pub, *, regions=None, boundaries=None, lang: str = "id", title: str | None = None,
                                 date: str | None = None, name: str = "") -> bytes:
    """The 1080x1350 PNG of a results-only edition: map, count per category, top regions."""
    from ..intake.published import Published, load_published
    from .infographic import PPI
    from .pdf import typeset
    from .published import published_infographic_data

    if not isinstance(pub, Published):
        pub = load_published(pub)
    maps = MapMaker(regions, lang, pub.synthetic, boundaries=boundaries, codes=pub.codes)
    doc = published_infographic_data(pub, maps=maps, lang=lang, title=title, date=_date(date))
    pages, _ = typeset("infographic.typ", doc, fmt="png", ppi=PPI, name=name)
    return pages[0] if isinstance(pages, list) else pages


def build_published_infographic(pub, *, out: Path, **kw) -> Path:
    out = Path(out)
    if out.suffix.lower() != ".png":
        raise RawanError(Problem("reports.infographic_format", {"file": out.name}))
    return _write(out, render_published_infographic(pub, name=out.name, **kw))
