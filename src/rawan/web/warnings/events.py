"""Events after publication: reported one by one (with an evidence file) or imported from a
CSV/XLSX event table through rawan.intake, all or nothing; each waits for a verifier.

An event's region may be any unit inside the edition's scope down to desa: it counts for the
edition-level region that contains it (``region_code``), and the finer code is kept as its place.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit.models import log_action
from ..editions.models import Edition
from ..editions.services import spec_of
from ..entry.events import severity_levels
from ..entry.models import EventRecord, EventStatus

STAGE_HEADERS = ("tahapan", "stage")
TPS_HEADERS = ("tps", "kode_tps", "nomor_tps")
MAX_EVIDENCE = 10 * 1024 * 1024
EVIDENCE_SUFFIXES = (".jpg", ".jpeg", ".png", ".pdf", ".webp")


CATALOGUE_MODEL = "ikp-2024"  # the indicator catalogue and stages of events on results-only editions


def event_spec(edition: Edition):
    """The model whose indicators, severity levels and stages events name: the edition's own, or,
    for a results-only edition (published scores without a model), the shipped ikp-2024 model's
    catalogue (said on the events page)."""
    spec = spec_of(edition)
    if spec is None and edition.results_only:
        from ...engine import load_spec

        spec = load_spec(CATALOGUE_MODEL)
    return spec


def severity_names(edition: Edition, lg: str) -> dict[str, str]:
    """Severity level code -> its name in the page's language ("berat" -> "severe")."""
    from ..entry.events import severity_levels

    spec = event_spec(edition)
    return {c: n for c, n, _w in severity_levels(spec, lg)} if spec is not None else {}


def stages_of(edition: Edition, lg: str) -> list[tuple[str, str]]:
    spec = event_spec(edition)
    return [(s.code, s.name.get(lg)) for s in (spec.stages if spec is not None else [])]


def entry_region(edition: Edition, code: str) -> str | None:
    """The edition-level region a code lies in (itself or an ancestor), or None when outside."""
    names = edition.region_names()
    if code in names:
        return code
    parts = code.split(".")
    for k in range(len(parts) - 1, 0, -1):
        c = ".".join(parts[:k])
        if c in names:
            return c
    return None


def check_fields(edition: Edition, p, covers, lg: str) -> tuple[dict | None, list[str]]:
    """The event's fields from a form (a dict of strings), or the problems, each naming the field."""
    spec = event_spec(edition)
    errors = []
    levels = {c: w for c, _n, w in severity_levels(spec, lg)}
    stages = dict(stages_of(edition, lg))
    place = p.get("place", "").strip()
    region = entry_region(edition, place) if place else None
    if not place:
        errors.append(_("Give the region code of the event (kab/kota, kecamatan or desa)."))
    elif region is None:
        errors.append(_("The region %(code)s is not in this edition.") % {"code": place[:40]})
    elif not covers(place):
        errors.append(_("The region %(code)s is outside your area.") % {"code": place[:40]})
    indicator = p.get("indicator", "")
    if indicator not in spec.tree.indicators or (spec.node(indicator).kind or "score") not in ("count", "binary"):
        errors.append(_("Choose the indicator of the event."))
    if p.get("severity", "") not in levels:
        errors.append(_("Choose the severity level of the event."))
    if stages and p.get("stage", "") not in stages:
        errors.append(_("Choose the election stage of the event."))
    date = None
    try:
        date = dt.date.fromisoformat(p.get("date", ""))
        if date > timezone.localdate():
            errors.append(_("The event date cannot be in the future."))
    except ValueError:
        errors.append(_("Give the event date (YYYY-MM-DD)."))
    source = p.get("source", "").strip()
    description = p.get("description", "").strip()
    tps = p.get("tps", "").strip()
    if not source:
        errors.append(_("Give the source or evidence of the event."))
    for text, limit, label in ((source, 500, _("Source")), (description, 2000, _("Description")),
                               (tps, 40, "TPS")):
        if len(text) > limit:
            errors.append(_("%(field)s: at most %(n)d characters (now %(len)d).")
                          % {"field": label, "n": limit, "len": len(text)})
    if errors:
        return None, errors
    from .tpslink import find

    return {"region_code": region, "place_code": place if place != region else "", "indicator": indicator,
            "severity": p["severity"], "weight": levels[p["severity"]], "date": date, "stage": p.get("stage", ""),
            "source": source, "description": description, "tps_code": tps,
            "tps": find(place, tps) if tps else None}, []


def check_evidence(f) -> list[str]:
    if f is None:
        return []
    if Path(f.name).suffix.lower() not in EVIDENCE_SUFFIXES or f.size > MAX_EVIDENCE:
        return [_("%(file)s: evidence must be a photo (JPG, PNG, WEBP) or a PDF of at most 10 MB.")
                % {"file": Path(f.name).name[:100]}]
    return []


def report_event(edition: Edition, user, fields: dict, evidence=None) -> EventRecord:
    with transaction.atomic():
        ev = EventRecord(edition=edition, after_publication=True, status=EventStatus.PENDING, created_by=user,
                         **fields)
        if evidence is not None:
            ev.evidence.save(Path(evidence.name).name[-100:], evidence, save=False)
        ev.save()
        log_action("rawan.event.reported", user=user, edition=edition, region_code=ev.region_code,
                   data={"id": ev.pk, "indicator": ev.indicator, "severity": ev.severity, "date": str(ev.date),
                         "stage": ev.stage, "place": ev.place_code, "source": ev.source,
                         "evidence": ev.evidence.name if ev.evidence else ""})
        from .services import tell_verifiers

        tell_verifiers(edition, 1)
    return ev


def import_events(edition: Edition, user, path: Path, covers, lg: str) -> tuple[int, list[str]]:
    """Read an event table (the columns of `rawan template --jenis kejadian` plus ``tahapan``, and
    optionally ``tps``); every problem names the file, row and column; nothing is saved unless the
    whole file is right.  Returns (events saved, problems)."""
    from ...engine import RawanError
    from ...intake.checks import cell_text, find_column
    from ...intake.events import DESCRIPTION_HEADERS, SOURCE_HEADERS, read_events
    from ...intake.limits import WEB_LIMITS
    from ...intake.table import drop_empty_rows, read_raw

    from .tpslink import find

    spec = event_spec(edition)
    try:
        table = drop_empty_rows(read_raw(path, WEB_LIMITS))
    except RawanError as e:
        return 0, e.render(lg)
    events, problems = read_events(table, spec)
    out = [p.render(lg) for p in problems if p.severity == "error"]
    stages = {c.lower(): c for c, _n in stages_of(edition, lg)}
    for c, n in stages_of(edition, lg):
        stages.setdefault(n.lower(), c)
    j_stage = find_column(table, STAGE_HEADERS)
    j_tps = find_column(table, TPS_HEADERS)
    j_desc = find_column(table, DESCRIPTION_HEADERS)
    j_src = find_column(table, SOURCE_HEADERS)
    if j_stage is None and stages:
        out.append(_("%(file)s: the column 'tahapan' (election stage) is missing.") % {"file": path.name})
    if out or events is None:
        return 0, out
    sev_codes = {}
    for code, name, w in severity_levels(spec, lg):
        sev_codes.setdefault(w, code)
    today = timezone.localdate()
    rows = []
    for k in range(len(events)):
        row = int(events.rows[k])
        code = str(events.regions[k])
        region = entry_region(edition, code)
        where = {"file": path.name, "row": row}
        if region is None:
            out.append(_("%(file)s, row %(row)d: region %(code)s is not in this edition.") % {**where, "code": code})
            continue
        if not covers(code):
            out.append(_("%(file)s, row %(row)d: region %(code)s is outside your area.") % {**where, "code": code})
            continue
        date = dt.date.fromisoformat(str(events.dates[k]))
        if date > today:
            out.append(_("%(file)s, row %(row)d: the event date %(date)s is in the future.") % {**where, "date": date})
        stage = ""
        if j_stage is not None:
            stage = stages.get(cell_text(table.columns[j_stage][k]).strip().lower(), "")
            if stages and not stage:
                out.append(_("%(file)s, row %(row)d, column tahapan: '%(value)s' is not a stage of the model "
                             "(%(known)s).") % {**where, "value": cell_text(table.columns[j_stage][k])[:40],
                                                "known": ", ".join(sorted(set(stages.values())))})
        tps_text = cell_text(table.columns[j_tps][k]).strip()[:40] if j_tps is not None else ""
        rows.append(EventRecord(
            edition=edition, after_publication=True, status=EventStatus.PENDING, created_by=user,
            region_code=region, place_code=code if code != region else "", indicator=str(events.indicators[k]),
            severity=sev_codes.get(float(events.weights[k]), ""), weight=float(events.weights[k]), date=date,
            stage=stage, tps_code=tps_text, tps=find(code, tps_text) if tps_text else None,
            source=cell_text(table.columns[j_src][k])[:500],
            description=cell_text(table.columns[j_desc][k])[:2000] if j_desc is not None else ""))
    if out:
        return 0, out
    with transaction.atomic():
        EventRecord.objects.bulk_create(rows)
        log_action("rawan.event.imported", user=user, edition=edition,
                   data={"file": path.name, "events": len(rows)})
        from .services import tell_verifiers

        tell_verifiers(edition, len(rows))
    return len(rows), []
