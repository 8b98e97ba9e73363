"""import_file / validate_file: all or nothing.

An import returns a complete, validated :class:`ImportResult` (dataset + provenance +
warnings) or raises :class:`~rawan.engine.errors.DataError` holding every problem found;
it never returns part of a file.  ``validate_file`` returns the same problems as a list and
never raises for bad data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..engine.data import Dataset, resolve_locale
from ..engine.errors import DataError, Problem, RawanError
from . import messages  # noqa: F401  (registers the intake messages)
from .events import aggregate_events, is_event_table, read_events
from .identity import check_meta
from .limits import DEFAULT_LIMITS, Limits
from .questionnaire import validate_questionnaire
from .table import RawTable, check_size, read_raw


@dataclass
class Provenance:
    file: str  # file name
    sha256: str
    user: str | None
    when: str  # UTC, ISO 8601
    kind: str  # "kuesioner" (one row per region) or "kejadian" (event records)
    rows: int  # data rows read
    model: str  # model id and version the data was validated against
    model_version: str
    template_model: str | None = None  # from the template's hidden _rawan sheet, when present
    template_version: str | None = None
    template_checksum: str | None = None
    level: str | None = None
    events: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ImportResult:
    dataset: Dataset
    provenance: Provenance
    warnings: list[Problem] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _run(path: Path, spec, *, regions, limits: Limits, level: str | None, parent: str | None,
         locale: str | None = None, default_locale: str | None = None
         ) -> tuple[RawTable | None, Dataset | None, list[Problem], dict]:
    """(table, dataset or None, problems incl. warnings, info) — raises only for unreadable files."""
    table = read_raw(path, limits)
    info: dict = {"kind": "kuesioner", "rows": len(table.rows)}
    meta_probs = check_meta(table.meta, spec, table.file)
    if meta_probs:  # another model or version: the columns cannot be trusted to mean the same
        return table, None, [*table.problems, *meta_probs], info
    meta = table.meta or {}
    # the template's, or the one given, else the caller's default (an edition's locale)
    locale = resolve_locale(meta.get("locale"), locale, table.file) or resolve_locale(None, default_locale, table.file)
    if is_event_table(table):
        info["kind"] = "kejadian"
        events, problems = read_events(table, spec, regions=regions, cap=limits.max_problems_per_kind)
        if events is None:
            return table, None, problems, info
        try:
            data, warns = aggregate_events(events, spec, level=level or meta.get("level") or None, regions=regions,
                                           parent=parent or meta.get("parent") or None, table=table,
                                           cap=limits.max_problems_per_kind)
        except DataError as e:
            return table, None, problems + e.problems, info
        info["events"] = len(events)
        info["level"] = level or meta.get("level") or _level(data)
        return table, data, problems + warns, info
    data, problems = validate_questionnaire(table, spec, regions=regions, level=level, parent=parent,
                                            cap=limits.max_problems_per_kind, locale=locale)
    if data is not None:
        info["level"] = _level(data)
    return table, data, problems, info


def _level(data: Dataset) -> str | None:
    from ..engine.codes import infer_region_level

    return infer_region_level(data.codes)


def _renamed(problems: list[Problem], old: str, new: str | None) -> list[Problem]:
    """Problems naming the file as the user knows it (an upload is stored under another name)."""
    if not new or new == old:
        return problems
    return [Problem(p.key, {**p.params, "file": new} if p.params.get("file") == old else p.params, p.severity)
            for p in problems]


def import_file(path: Path | str, spec, *, regions=None, user: str | None = None, limits: Limits | None = None,
                lang: str = "id", level: str | None = None, parent: str | None = None,
                name: str | None = None, locale: str | None = None,
                default_locale: str | None = None) -> ImportResult:
    """Read, validate and return a complete dataset, or raise DataError with every problem.

    ``level`` (event records): the region level to aggregate events to; default the template's,
    else the coarsest level among the events.  ``name``: the file name to show in messages and
    provenance (an uploaded file is stored under another name).  ``locale`` (``id`` / ``en``): how to
    read numbers in a file that does not declare it (a template declares it in its ``_rawan`` sheet).  ``lang`` is accepted for
    symmetry with the other calls; problems are rendered by the caller (``p.render(lang)``).
    """
    path = Path(path)
    limits = limits or DEFAULT_LIMITS
    try:
        check_size(path, limits)
    except DataError as e:
        raise DataError(_renamed(e.problems, path.name, name)) from None
    sha = file_sha256(path)
    try:
        table, data, problems, info = _run(path, spec, regions=regions, limits=limits, level=level, parent=parent,
                                           locale=locale, default_locale=default_locale)
    except DataError as e:
        raise DataError(_renamed(e.problems, path.name, name)) from None
    problems = _renamed(problems, path.name, name)
    errors = [p for p in problems if p.severity == "error"]
    if errors or data is None:
        raise DataError(errors or problems)
    if name:
        data.source = name
    meta = table.meta or {}
    prov = Provenance(
        file=name or path.name, sha256=sha, user=user,
        when=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        kind=info["kind"], rows=info["rows"], model=spec.id, model_version=spec.version,
        template_model=meta.get("model"), template_version=meta.get("version"),
        template_checksum=meta.get("checksum"), level=info.get("level"), events=info.get("events"))
    return ImportResult(dataset=data, provenance=prov, warnings=[p for p in problems if p.severity != "error"])


def validate_file(path: Path | str, spec, *, regions=None, limits: Limits | None = None,
                  level: str | None = None, parent: str | None = None, name: str | None = None,
                  locale: str | None = None) -> list[Problem]:
    """Every problem of a file (errors and warnings); never raises for bad data."""
    path = Path(path)
    try:
        _, _, problems, _ = _run(path, spec, regions=regions, limits=limits or DEFAULT_LIMITS,
                                 level=level, parent=parent, locale=locale)
    except RawanError as e:
        problems = list(e.problems)
    return _renamed(problems, path.name, name)
