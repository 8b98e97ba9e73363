"""Pages of early warning: the live view, events after publication, alerts, rules, the inbox."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ...alerts import RulesError
from ...vocabulary import category_label
from ..access import (alert_places, can_report_events, covers, edition_for, is_internal, live_edition_for,
                      region_for, require_admin, require_internal, require_reviewer, sees_alert)
from ..accounts.roles import who
from ..bodylimit import upload_dir
from ..editions.dashboard import lang
from ..editions.services import spec_of
from ..entry.events import severity_levels
from ..entry.models import EventRecord, EventStatus
from . import events as E, services as S
from .models import Alert, AlertStatus, EditionRules, Notification


def _indicators(edition, lg):
    spec = E.event_spec(edition)
    if spec is None:
        return []
    return [(c, spec.tree.nodes[c].name.get(lg)) for c in spec.tree.indicators
            if (spec.tree.nodes[c].kind or "score") in ("count", "binary")]


# ---- live view ----------------------------------------------------------------------------------------

@login_required
@require_GET
def live_view(request, slug):
    edition = live_edition_for(request.user, slug)
    lg = lang()
    # the stages come from the edition's frozen model file: parsed once, then kept in Django's cache
    stages = S.shared(_TABLES, ("stages", edition.pk, edition.model_sha256, edition.results_only, lg),
                      lambda: E.stages_of(edition, lg))
    stage = request.GET.get("tahapan", "")
    if stage not in dict(stages):
        stage = ""
    state = S.live_state(edition)
    shown = [(c, n) for c, n in stages if not stage or c == stage]

    def build() -> dict:
        rows = S.live_rows(edition, stage or None, state)
        has_score = S.scorer_of(edition) is not None
        return {"table": _live_table(edition, rows, shown, has_score, lg), "has_score": has_score,
                "changed": sum(1 for r in rows if r["events"]), "n_events": sum(r["events"] for r in rows)}

    # the drawn rows for this state of the verified events, stage and language: in a fresh process
    # (a second app server, a restart) the first render reads them from Django's cache, without
    # reading the published bundle or building the live scorer
    view = S.shared(_TABLES, ("table", state, stage, lg), build)
    return render(request, "rawan/warnings/live.html", {
        "edition": edition, "synthetic": edition.synthetic, "table": view["table"],
        "stages": stages, "shown_stages": shown, "stage": stage,
        "changed": view["changed"], "has_score": view["has_score"], "n_events": view["n_events"],
        "internal": is_internal(request.user),
        "open_alerts": Alert.objects.filter(edition=edition).exclude(status=AlertStatus.CLOSED).count()
        if is_internal(request.user) else None})


_TABLES: dict = {}  # the rendered rows per state of the verified events, stage and language


def _live_table(edition, rows, stages, has_score: bool, lg: str):
    """The rows of the live view as HTML, built here rather than in the template: 514 regions with
    a column per stage are ~10,000 cells, which the template language renders ~50x slower."""
    from django.urls import reverse
    from django.utils.formats import number_format
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from ...vocabulary import category_label

    def num(x):
        return "–" if x is None or x != x else number_format(round(float(x), 2), 2)

    def cat(c):
        return f'<span class="cat cat-{escape(c)}">{escape(category_label(c, lg) if c else "–")}</span>'

    moved = escape(_("moved"))
    base = reverse("live_region", kwargs={"slug": edition.slug, "code": "00"})[:-3]
    out = []
    for r in rows:
        cells = [f'<th scope="row"><a href="{base}{escape(r["code"])}/">{escape(r["name"])}</a> '
                 f'<span class="small">{escape(r["code"])}</span></th>', f"<td>{cat(r['category'])}</td>"]
        if has_score:
            cells.append(f'<td class="n">{num(r["score"])}</td>')
        cells.append(f'<td class="n">{r["events"]}</td>')
        cells += [f'<td class="n small">{r["by_stage"].get(c, "") or ""}</td>' for c, _n in stages]
        if has_score:
            delta = f"+{num(r['delta'])}" if r["delta"] else ""
            mark = f" <strong>{moved}</strong>" if r["live_category"] != r["category"] else ""
            cells += [f'<td class="n">{num(r["live_score"])}</td>', f'<td class="n">{delta}</td>',
                      f"<td>{cat(r['live_category'])}{mark}</td>"]
        tr = '<tr class="changed">' if r["events"] else "<tr>"
        out.append(tr + "".join(cells) + "</tr>")
    return mark_safe("\n".join(out))  # every value above is escaped


@login_required
@require_GET
def live_region(request, slug, code):
    edition = live_edition_for(request.user, slug)
    name = region_for(edition, code)
    lg = lang()
    rows = [r for r in S.live_rows(edition) if r["code"] == code]
    evs = S.verified_live_events(edition, code).order_by("-date", "-id")
    alerts = list(Alert.objects.filter(edition=edition, region_code=code)) if is_internal(request.user) else []
    places = alert_places(alerts)
    alerts = [a for a in alerts if sees_alert(request.user, a, places[a.pk])]
    return render(request, "rawan/warnings/live_region.html", {
        "edition": edition, "synthetic": edition.synthetic, "code": code, "name": name,
        "row": rows[0] if rows else None, "events": evs,
        "alerts": [{"a": a, "label": a.rule_label(lg), "window": S.window_text(a, lg)} for a in alerts],
        "stage_names": dict(E.stages_of(edition, lg)), "severity_names": E.severity_names(edition, lg), "indicator_names": dict(_indicators(edition, lg)),
        "has_score": S.scorer_of(edition) is not None})


# ---- events after publication -------------------------------------------------------------------------

def _visible_events(request, edition):
    qs = EventRecord.objects.filter(edition=edition, after_publication=True).select_related("created_by",
                                                                                          "reviewed_by")
    w = who(request.user)
    if not is_internal(request.user):
        return qs.filter(status=EventStatus.VERIFIED)
    if w.role in ("admin", "verifier"):
        return qs
    r = w.region
    if not r:
        return qs.none()
    return qs.filter(Q(region_code=r) | Q(region_code__startswith=r + ".") | Q(place_code=r)
                     | Q(place_code__startswith=r + "."))


@login_required
def live_events(request, slug):
    edition = live_edition_for(request.user, slug)
    lg = lang()
    status = request.GET.get("status", "")
    qs = _visible_events(request, edition)
    if status in (EventStatus.PENDING, EventStatus.VERIFIED, EventStatus.REJECTED):
        qs = qs.filter(status=status)
    events = list(qs.order_by("-created_at", "-id")[:500])
    return render(request, "rawan/warnings/events.html", {
        "edition": edition, "synthetic": edition.synthetic, "events": events, "status": status,
        "can_report": can_report_events(request.user, edition),
        "can_review": who(request.user).role in ("admin", "verifier"),
        "indicators": _indicators(edition, lg), "severities": severity_levels(E.event_spec(edition), lg),
        "catalogue": E.CATALOGUE_MODEL if spec_of(edition) is None else "",
        "stages": E.stages_of(edition, lg), "today": timezone.localdate(),
        "stage_names": dict(E.stages_of(edition, lg)), "severity_names": E.severity_names(edition, lg), "indicator_names": dict(_indicators(edition, lg)),
        "form": request.session.pop("live_event_form", None)})


@login_required
@require_POST
def add_live_event(request, slug):
    edition = live_edition_for(request.user, slug)
    if not can_report_events(request.user, edition) or E.event_spec(edition) is None:
        raise PermissionDenied("cannot report events")
    fields, errors = E.check_fields(edition, request.POST, lambda c: covers(request.user, c), lang())
    f = request.FILES.get("evidence")
    errors += E.check_evidence(f)
    if errors:
        request.session["live_event_form"] = {"errors": errors, "fields": {
            k: request.POST.get(k, "")[:2000] for k in ("place", "indicator", "severity", "stage", "date", "source",
                                                         "description", "tps")}}
        return redirect("live_events", slug=slug)
    E.report_event(edition, request.user, fields, f)
    messages.success(request, _("Event recorded; it waits for a verifier."))
    return redirect("live_events", slug=slug)


@login_required
@require_POST
def import_live_events(request, slug):
    edition = live_edition_for(request.user, slug)
    if not can_report_events(request.user, edition) or E.event_spec(edition) is None:
        raise PermissionDenied("cannot report events")
    f = request.FILES.get("file")
    suffix = Path(f.name).suffix.lower() if f else ""
    problems: list[str] = []
    if f is None or suffix not in (".xlsx", ".csv") or f.size > 10 * 1024 * 1024:
        problems = [_("Choose an .xlsx or .csv file of at most 10 MB.")]
    else:
        name = Path(f.name).name.replace(os.sep, "_")
        with tempfile.TemporaryDirectory(prefix="rawan-events-", dir=upload_dir()) as d:
            path = Path(d) / name
            with open(path, "wb") as out:
                for chunk in f.chunks():
                    out.write(chunk)
            n, problems = E.import_events(edition, request.user, path, lambda c: covers(request.user, c), lang())
        if not problems:
            messages.success(request, _("%(n)d event(s) imported; they wait for a verifier.") % {"n": n})
            return redirect("live_events", slug=slug)
    request.session["live_event_form"] = {"import_errors": problems[:50], "more": max(0, len(problems) - 50)}
    return redirect("live_events", slug=slug)


@login_required
@require_POST
def review_live_event(request, slug, pk):
    edition = live_edition_for(request.user, slug)
    require_reviewer(request.user)
    ev = EventRecord.objects.filter(edition=edition, after_publication=True, pk=pk).first()
    if ev is None:
        raise Http404("event")
    approve = request.POST.get("action") == "approve"
    reason = request.POST.get("reason", "").strip()[:2000]
    if not approve and not reason:
        messages.error(request, _("Give the reason for rejecting the event."))
        return redirect("live_events", slug=slug)
    try:
        S.review_event(ev, request.user, approve, reason)
    except PermissionDenied:
        messages.error(request, _("Someone else has already reviewed this event."))
        return redirect("live_events", slug=slug)
    messages.success(request, _("Event verified.") if approve else _("Event rejected."))
    nxt = request.POST.get("next", "")
    if not (nxt.startswith(f"/e/{slug}/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts=None)):
        nxt = reverse("live_events", kwargs={"slug": slug}) + "?status=menunggu"  # only back to this edition
    return redirect(nxt)


@login_required
@require_GET
def event_evidence(request, slug, pk):
    edition = live_edition_for(request.user, slug)
    ev = _visible_events(request, edition).filter(pk=pk).first()
    if ev is None or not ev.evidence:
        raise Http404("evidence")
    return FileResponse(ev.evidence.open("rb"), as_attachment=True, filename=Path(ev.evidence.name).name)


# ---- alerts -----------------------------------------------------------------------------------------------

@login_required
@require_GET
def alerts(request, slug):
    edition = edition_for(request.user, slug)
    require_internal(request.user)
    status = request.GET.get("status", "")
    qs = Alert.objects.filter(edition=edition)
    if status in AlertStatus.values:
        qs = qs.filter(status=status)
    qs = list(qs)
    places = alert_places(qs)
    items = [a for a in qs if sees_alert(request.user, a, places[a.pk])]
    lg = lang()
    return render(request, "rawan/warnings/alerts.html", {
        "edition": edition, "synthetic": edition.synthetic, "status": status, "statuses": AlertStatus.choices,
        "items": [{"a": a, "text": S.alert_text(a, lg), "label": a.rule_label(lg)} for a in items]})


# the alert's numbers (rawan.alerts.evaluate) as labelled rows, never the raw keys
_NUMBER_LABELS = {
    "count": ("Jumlah kejadian", "Events"), "threshold": ("Ambang", "Threshold"),
    "days": ("Jendela (hari)", "Window (days)"), "indicator": ("Indikator", "Indicator"),
    "expected": ("Harapan menurut laju dasar", "Expected at the baseline rate"),
    "p": ("Peluang P(X ≥ jumlah)", "Probability P(X ≥ count)"), "alpha": ("Batas peluang (alfa)", "Alpha"),
    "baseline": ("Kejadian dalam data terbit", "Events in the published data"),
    "baseline_days": ("Lama periode data terbit (hari)", "Published data period (days)"),
    "baseline_score": ("Skor terbit", "Published score"), "live_score": ("Skor terkini", "Live score"),
    "cutoff": ("Batas kelas", "Class cut-off"), "baseline_class": ("Kelas terbit", "Published class"),
    "live_class": ("Kelas terkini", "Live class"),
}


def _number_rows(numbers: dict, lg: str) -> list[tuple[str, object]]:
    rows = []
    for k, v in (numbers or {}).items():
        label = _NUMBER_LABELS.get(k, (k, k))[1 if lg == "en" else 0]
        if k in ("baseline_class", "live_class") and isinstance(v, str):
            v = category_label(v, lg)  # "sedang" -> "Rawan Sedang" / "Medium vulnerability"
        if isinstance(v, float):
            v = float(f"{v:.2g}") if k == "p" else round(v, 2)
        rows.append((label, v))
    return rows


@login_required
def alert(request, slug, pk):
    edition = edition_for(request.user, slug)
    require_internal(request.user)
    a = Alert.objects.filter(edition=edition, pk=pk).first()
    if a is None or not sees_alert(request.user, a):
        raise Http404("alert")
    if request.method == "POST":
        require_reviewer(request.user)
        action = request.POST.get("action", "")
        note = request.POST.get("note", "").strip()[:2000]
        if action not in S.ALERT_MOVES:
            raise Http404("action")
        if not note:
            messages.error(request, _("Write a note: what was done or why."))
        else:
            try:
                S.move_alert(a, action, note, request.user)
                messages.success(request, _("Alert updated."))
            except PermissionDenied:
                messages.error(request, _("The alert changed meanwhile; check its state and try again."))
        return redirect("alert", slug=slug, pk=pk)
    lg = lang()
    evs = EventRecord.objects.filter(edition=edition, pk__in=a.events).order_by("date", "id")
    rules = S.rules_of(edition)
    rule = rules.get(a.rule_id) if rules else None
    return render(request, "rawan/warnings/alert.html", {
        "edition": edition, "synthetic": edition.synthetic, "a": a, "text": S.alert_text(a, lg),
        "window": S.window_text(a, lg),
        "numbers": _number_rows(a.numbers, lg),
        "label": a.rule_label(lg), "events": evs, "notes": a.notes.select_related("user"),
        "assumption": rules.assumptions.get(rule.assumption, {}).get(lg) if rule and rule.assumption else "",
        "region_name": edition.region_names().get(a.region_code, a.region_code),
        "can_move": who(request.user).role in ("admin", "verifier"),
        "moves": [m for m, (_new, starts) in S.ALERT_MOVES.items() if a.status in starts],
        "indicator_names": dict(_indicators(edition, lg)), "stage_names": dict(E.stages_of(edition, lg)), "severity_names": E.severity_names(edition, lg),
        "actions": a.actions.all(), "recommendations": a.recommendations.select_related("organisation")})


# ---- rules ---------------------------------------------------------------------------------------------------

@login_required
def rules(request, slug):
    edition = edition_for(request.user, slug)
    require_internal(request.user)
    row = EditionRules.objects.filter(edition=edition).first()
    errors: list[str] = []
    text = row.text if row else ""
    if request.method == "POST":
        require_admin(request.user)
        if not S.rules_editable(edition):
            raise PermissionDenied("rules frozen")
        text = request.POST.get("text", "")[:100_000]
        try:
            S.save_rules(edition, text, request.user)
            messages.success(request, _("Early-warning rules saved."))
            return redirect("rules", slug=slug)
        except RulesError as e:
            errors = [p.render(lang()) for p in e.problems]
    rs = None
    if row is not None and not errors:
        try:
            rs = S.rules_of(edition)
        except RulesError as e:
            errors = [p.render(lang()) for p in e.problems]
    lg = lang()
    return render(request, "rawan/warnings/rules.html", {
        "edition": edition, "synthetic": edition.synthetic, "row": row, "text": text, "errors": errors,
        "rules": [{"r": r, "label": r.label(lg), "assumption": rs.assumptions.get(r.assumption, {}).get(lg, "")
                   if r.assumption else ""} for r in (rs.rules if rs else [])],
        "editable": S.rules_editable(edition) and who(request.user).role == "admin"})


# ---- inbox ---------------------------------------------------------------------------------------------------

@login_required
def inbox(request):
    qs = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        pk = request.POST.get("id", "")
        target = qs.filter(read_at__isnull=True)
        if pk != "all":
            target = target.filter(pk=int(pk) if pk.isdigit() else -1)
        target.update(read_at=timezone.now())
        return redirect("inbox")
    items = list(qs[:200])
    lg = lang()
    for n in items:  # in the reader's language
        n.text_title, n.text_body = n.title_in(lg), n.body_in(lg)
    return render(request, "rawan/warnings/inbox.html", {"items": items,
                                                          "unread": sum(1 for n in items if n.read_at is None)})
