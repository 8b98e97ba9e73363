"""Event-record (kejadian) form: record events per region, then fill indicator values from them.

An indicator value is the sum of its events' severity weights (count indicators) or 1 when any
event occurred (binary), as rawan.intake aggregates uploaded event tables (domain.md §3.5).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import edition_for, submission_for
from ..audit.models import log_action
from ..editions.dashboard import lang
from ..editions.services import spec_of
from .formhelp import keep
from .models import EventRecord
from .state import diff, lock_for_entry


def severity_levels(spec, lg: str) -> list[tuple[str, str, float]]:
    sev = getattr(spec, "severity", None)
    if sev is None:
        return [("1", "1", 1.0)]
    return [(lv.code, lv.name.get(lg), float(lv.weight)) for lv in sev.levels]


def event_values(spec, events) -> dict[str, float]:
    """Indicator values from events: sum of weights (count), 1 if any (binary)."""
    out: dict[str, float] = {}
    for e in events:
        kind = spec.tree.nodes[e.indicator].kind
        out[e.indicator] = 1.0 if kind == "binary" else out.get(e.indicator, 0.0) + e.weight
    return out


@login_required
@require_POST
def add_event(request, slug, code):
    edition = edition_for(request.user, slug)
    sub = submission_for(request.user, edition, code, write=True)
    spec = spec_of(edition)
    p = request.POST
    levels = {c: w for c, _n, w in severity_levels(spec, lang())}
    errors = []
    indicator = p.get("e_indicator", "")
    if indicator not in spec.tree.indicators:
        errors.append(_("Choose the indicator of the event."))
    if p.get("e_severity", "") not in levels:
        errors.append(_("Choose the severity level of the event."))
    try:
        date = dt.date.fromisoformat(p.get("e_date", ""))
        if date > dt.date.today():
            errors.append(_("The event date cannot be in the future."))
    except ValueError:
        date = None
        errors.append(_("Give the event date (YYYY-MM-DD)."))
    place = p.get("e_place", "").strip()
    if len(place) > 20:
        errors.append(_("The place must be a region code such as %(code)s.01.") % {"code": code})
    elif place and not (place == code or place.startswith(code + ".")):
        errors.append(_("The place %(place)s is not inside %(code)s.") % {"place": place, "code": code})
    source = p.get("e_source", "").strip()
    description = p.get("e_description", "").strip()
    if not source:
        errors.append(_("Give the source or evidence of the event."))
    for text, limit, label in ((source, 500, _("Source")), (description, 2000, _("Description"))):
        if len(text) > limit:
            errors.append(_("%(field)s: at most %(n)d characters (now %(len)d).")
                          % {"field": label, "n": limit, "len": len(text)})
    if errors:  # shown above the event form, with what was typed kept in it
        fields = {k: p.get(k, "")[:5000] for k in ("e_indicator", "e_severity", "e_date", "e_place", "e_source",
                                                   "e_description")}
        keep(request, "event", edition, code, {"fields": fields, "errors": errors})
        return redirect(reverse("entry_form", kwargs={"slug": slug, "code": code}) + "#event-form")
    with transaction.atomic():
        sub = lock_for_entry(sub)  # still open for entry, judged under the lock
        ev = EventRecord.objects.create(edition=edition, region_code=code, place_code=place, indicator=indicator,
                                        severity=p["e_severity"], weight=levels[p["e_severity"]], date=date,
                                        source=source, description=description,
                                        created_by=request.user)
        sub.log_action("rawan.event.added", user=request.user,
                       data={"id": ev.pk, "indicator": indicator, "severity": ev.severity, "date": str(date),
                             "place": place, "source": source})
    messages.success(request, _("Event recorded."))
    return redirect("entry_form", slug=slug, code=code)


@login_required
@require_POST
def apply_events(request, slug, code):
    edition = edition_for(request.user, slug)
    sub = submission_for(request.user, edition, code, write=True)
    spec = spec_of(edition)
    values = event_values(spec, EventRecord.objects.filter(edition=edition, region_code=code))
    if not values:
        messages.error(request, _("No events recorded for this region yet."))
        return redirect("entry_form", slug=slug, code=code)
    with transaction.atomic():
        sub = lock_for_entry(sub)  # still open for entry, judged under the lock
        changed = {c: [sub.values.get(c), v] for c, v in values.items() if sub.values.get(c) != v}
        old_notes = dict(sub.notes)
        sub.values = {**sub.values, **values}
        sub.notes = {**sub.notes, **{c: _("from %(n)d event record(s)") % {
            "n": sum(1 for e in EventRecord.objects.filter(edition=edition, region_code=code, indicator=c))}
            for c in values}}
        sub.updated_by = request.user
        sub.save()
        sub.log_action("rawan.event.applied", user=request.user,
                       data={"changed": changed, "notes": diff(old_notes, sub.notes)})
    messages.success(request, _("Values of %(n)d indicator(s) filled from the event records.") % {"n": len(values)})
    return redirect("entry_form", slug=slug, code=code)


@login_required
@require_POST
def delete_event(request, slug, code, pk):
    """Delete a wrong event record (editing = delete + add).  Indicator values already filled from
    events stay as they are until the operator fills them again from the events."""
    edition = edition_for(request.user, slug)
    sub = submission_for(request.user, edition, code, write=True)
    ev = EventRecord.objects.filter(edition=edition, region_code=code, pk=pk).first()
    if ev is None:
        raise Http404("event")
    reason = request.POST.get("reason", "").strip()[:500]
    old = {"id": ev.pk, "indicator": ev.indicator, "severity": ev.severity, "weight": ev.weight,
           "date": str(ev.date), "place": ev.place_code, "source": ev.source, "description": ev.description}
    with transaction.atomic():
        sub = lock_for_entry(sub)
        ev.delete()
        sub.log_action("rawan.event.deleted", user=request.user,
                       data={"old": old, "new": "deleted", **({"reason": reason} if reason else {})})
    messages.success(request, _("Event deleted. Indicator values already filled from events are unchanged: "
                                "fill them again from the events if needed."))
    return redirect("entry_form", slug=slug, code=code)
