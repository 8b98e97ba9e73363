"""Pages of the mitigation register and of "after the vote"."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..access import covers, edition_for, is_internal, organisation_of, recommendation_for, require_internal
from ..accounts.roles import who
from ..editions.dashboard import lang
from ..editions.models import PUBLIC_STATUSES
from ..editions.services import spec_of
from ..warnings.events import check_evidence
from ..warnings.models import Alert, Organisation
from ..warnings.tpslink import find as find_tps, rawan_stations
from . import services as M
from .models import Action, ActionStatus, Recommendation, RecommendationStatus


def _writer(user) -> bool:
    return who(user).role in ("admin", "verifier", "operator")


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@login_required
@require_GET
def register(request, slug):
    edition = edition_for(request.user, slug)
    lg = lang()
    org = organisation_of(request.user)
    if not is_internal(request.user):
        if org is None:
            raise PermissionDenied("stakeholder organisation required")
        recs = (Recommendation.objects.filter(edition=edition, organisation=org, status=RecommendationStatus.SENT)
                .prefetch_related("follow_ups"))
        return render(request, "rawan/mitigation/stakeholder.html", {
            "edition": edition, "synthetic": edition.synthetic, "org": org, "recs": recs,
            "names": edition.region_names()})
    d = M.dashboard(edition, lambda c: covers(request.user, c))
    spec = spec_of(edition)
    region = request.GET.get("wilayah", "")
    alert_pk = request.GET.get("peringatan", "")
    alert = Alert.objects.filter(edition=edition, pk=int(alert_pk)).first() if alert_pk.isdigit() else None
    if alert is not None:
        region = alert.region_code
    return render(request, "rawan/mitigation/register.html", {
        "edition": edition, "synthetic": edition.synthetic, **d, "names": edition.region_names(),
        "kinds": M.action_kinds(edition, lg), "organisations": Organisation.objects.exclude(
            kind__in=["bawaslu-prov", "bawaslu-kab"]),
        "regions": [(c, n) for c, n in edition.regions if covers(request.user, c)],
        "indicators": [(c, spec.tree.nodes[c].name.get(lg)) for c in spec.tree.indicators] if spec else [],
        "region": region, "alert": alert, "alert_label": alert.rule_label(lg) if alert else "",
        "can_write": _writer(request.user),
        "can_bulk": who(request.user).role == "admin" and not edition.results_only,
        "org_assumption": M.organisation_assumption(edition, lg),
        "statuses": ActionStatus.choices, "due_default": timezone.localdate() + dt.timedelta(days=14)})


@login_required
@require_POST
def new_action(request, slug):
    edition = edition_for(request.user, slug)
    if not _writer(request.user):
        raise PermissionDenied("cannot write the register")
    p = request.POST
    errors = []
    code = p.get("region", "")
    if code not in edition.region_names() or not covers(request.user, code):
        errors.append(_("Choose a region of your area."))
    kinds = dict(M.action_kinds(edition, lang()))
    if p.get("kind", "") not in kinds:
        errors.append(_("Choose the kind of action."))
    due = _date(p.get("due_date", ""))
    if due is None:
        errors.append(_("Give the due date (YYYY-MM-DD)."))
    for key, label in (("owner_unit", _("Owning Bawaslu unit")), ("person", _("Person responsible"))):
        if not p.get(key, "").strip():
            errors.append(_("%(field)s is required.") % {"field": label})
    alert = None
    if p.get("alert", "").isdigit():
        alert = Alert.objects.filter(edition=edition, pk=int(p["alert"])).first()
    ev = request.FILES.get("evidence")
    errors += check_evidence(ev)
    if errors:
        for e in errors:
            messages.error(request, e)
        return redirect("register", slug=slug)
    tps_text = p.get("tps", "").strip()[:40]
    a = M.create_action(edition, request.user, region_code=code, tps_code=tps_text, tps=find_tps(code, tps_text),
                        kind=p["kind"], title=(p.get("title", "").strip() or kinds[p["kind"]])[:300],
                        owner_unit=p["owner_unit"].strip()[:200], person=p["person"].strip()[:200], due_date=due,
                        note=p.get("note", "").strip()[:2000], alert=alert)
    if ev is not None:
        M.update_action(a, request.user, a.status, "", ev)
    messages.success(request, _("Action added to the register."))
    return redirect("register", slug=slug)


@login_required
@require_POST
def update_action(request, slug, pk):
    edition = edition_for(request.user, slug)
    a = Action.objects.filter(edition=edition, pk=pk).first()
    if a is None or not is_internal(request.user) or not covers(request.user, a.region_code):
        raise Http404("action")
    if not _writer(request.user):
        raise PermissionDenied("cannot write the register")
    status = request.POST.get("status", "")
    if status not in ActionStatus.values:
        raise Http404("status")
    ev = request.FILES.get("evidence")
    problems = check_evidence(ev)
    if problems:
        messages.error(request, problems[0])
    else:
        M.update_action(a, request.user, status, request.POST.get("note", "").strip()[:2000], ev)
        messages.success(request, _("Action updated."))
    return redirect("register", slug=slug)


@login_required
@require_GET
def action_evidence(request, slug, pk):
    edition = edition_for(request.user, slug)
    a = Action.objects.filter(edition=edition, pk=pk).first()
    if a is None or not a.evidence or not is_internal(request.user) or not covers(request.user, a.region_code):
        raise Http404("evidence")
    return FileResponse(a.evidence.open("rb"), as_attachment=True, filename=a.evidence.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def new_recommendation(request, slug):
    edition = edition_for(request.user, slug)
    if not _writer(request.user):
        raise PermissionDenied("cannot write the register")
    p = request.POST
    errors = []
    code = p.get("region", "")
    if code not in edition.region_names() or not covers(request.user, code):
        errors.append(_("Choose a region of your area."))
    orgs = list(Organisation.objects.filter(pk__in=[int(x) for x in p.getlist("organisation") if x.isdigit()]))
    if not orgs:
        errors.append(_("Choose at least one organisation."))
    text = p.get("text", "").strip()
    if not text:
        errors.append(_("Write the recommendation."))
    spec = spec_of(edition)
    ind = p.get("indicator", "")
    if ind and (spec is None or ind not in spec.tree.indicators):
        errors.append(_("Choose an indicator of the model, or none."))
    alert = Alert.objects.filter(edition=edition, pk=int(p["alert"])).first() if p.get("alert", "").isdigit() else None
    if errors:
        for e in errors:
            messages.error(request, e)
        return redirect("register", slug=slug)
    send = p.get("send") == "1" and who(request.user).role in ("admin", "verifier")
    tps_text = p.get("tps", "").strip()[:40]
    targets = [(tps_text, find_tps(code, tps_text))]
    if p.get("per_tps") == "1":  # from the TPS list: one per TPS rawan of the region
        _ed, stations = rawan_stations(edition, lambda c: c.startswith(code + "."), limit=500)
        targets = [(f"{st.desa_code}/{st.number:03d}", st) for st in stations] or targets
    n = 0
    for org in orgs:
        for t_text, station in targets:
            M.create_recommendation(edition, request.user, send=send, organisation=org, region_code=code,
                                    tps_code=t_text, tps=station, indicator=ind,
                                    variable=p.get("variable", "").strip()[:60], alert=alert, text=text[:4000])
            n += 1
    messages.success(request, _("%(n)d recommendation(s) added.") % {"n": n})
    return redirect("register", slug=slug)


@login_required
@require_POST
def bulk_recommendations(request, slug):
    edition = edition_for(request.user, slug)
    if who(request.user).role != "admin":
        raise PermissionDenied("admin only")
    due = _date(request.POST.get("due_date", "")) or timezone.localdate() + dt.timedelta(days=14)
    n_act, n_rec = M.draw_from_mapping(edition, request.user, due, lang())
    messages.success(request, _("Drawn from the model's recommendation file: %(a)d planned action(s) and %(r)d "
                                "draft recommendation(s). Check them, fill in the persons responsible, then send.")
                     % {"a": n_act, "r": n_rec})
    return redirect("register", slug=slug)


@login_required
def recommendation(request, slug, pk):
    edition = edition_for(request.user, slug)
    rec = recommendation_for(request.user, edition, pk)
    org = organisation_of(request.user)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "follow_up":
            if org is None or org.pk != rec.organisation_id or rec.status != RecommendationStatus.SENT:
                raise PermissionDenied("only the organisation reports its follow-up")
            text = request.POST.get("text", "").strip()[:4000]
            date = _date(request.POST.get("date", ""))
            ev = request.FILES.get("evidence")
            problems = check_evidence(ev)
            if not text:
                problems.append(_("Write what your organisation did."))
            if date is None or date > timezone.localdate():
                problems.append(_("Give the date it was done (YYYY-MM-DD, not in the future)."))
            if problems:
                for e in problems:
                    messages.error(request, e)
            else:
                M.add_follow_up(rec, request.user, org, text, date, ev)
                messages.success(request, _("Follow-up recorded. Thank you."))
        elif action in ("send", "withdraw"):
            if who(request.user).role not in ("admin", "verifier"):
                raise PermissionDenied("verifier or admin")
            if action == "send":
                M.send_recommendation(rec, request.user)
                messages.success(request, _("Recommendation sent to %(org)s.") % {"org": rec.organisation.name})
            else:
                M.withdraw_recommendation(rec, request.user, request.POST.get("note", "").strip()[:2000])
                messages.success(request, _("Recommendation withdrawn."))
        else:
            raise Http404("action")
        return redirect("recommendation", slug=slug, pk=pk)
    lg = lang()
    spec = spec_of(edition)
    return render(request, "rawan/mitigation/recommendation.html", {
        "edition": edition, "synthetic": edition.synthetic, "rec": rec,
        "region_name": edition.region_names().get(rec.region_code, rec.region_code),
        "indicator_name": spec.tree.nodes[rec.indicator].name.get(lg) if spec and rec.indicator in spec.tree.nodes
        else "", "follow_ups": rec.follow_ups.all(), "today": timezone.localdate(),
        "can_follow": org is not None and org.pk == rec.organisation_id and rec.status == RecommendationStatus.SENT,
        "can_send": who(request.user).role in ("admin", "verifier") and rec.status == RecommendationStatus.DRAFT,
        "can_withdraw": who(request.user).role in ("admin", "verifier")
        and rec.status != RecommendationStatus.WITHDRAWN})


@login_required
@require_GET
def followup_evidence(request, slug, pk, fpk):
    edition = edition_for(request.user, slug)
    rec = recommendation_for(request.user, edition, pk)
    f = rec.follow_ups.filter(pk=fpk).first()
    if f is None or not f.evidence:
        raise Http404("evidence")
    return FileResponse(f.evidence.open("rb"), as_attachment=True, filename=f.evidence.name.rsplit("/", 1)[-1])


@login_required
@require_GET
def after_vote(request, slug):
    edition = edition_for(request.user, slug)
    require_internal(request.user)
    if edition.status not in PUBLIC_STATUSES:
        raise Http404("not published")
    d = M.after_vote(edition)
    return render(request, "rawan/mitigation/after_vote.html", {"edition": edition, "synthetic": edition.synthetic,
                                                                 **d})

