"""The mitigation register: Bawaslu's actions, recommendations to organisations, their
follow-up, the dashboard (open / overdue / with and without follow-up / coverage), the bulk
drawing from the model's recommendation file, the book's view of the register, and the
after-the-vote comparison."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import lru_cache

import yaml
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from ..audit.models import log_action
from ..editions.models import Edition
from ..editions.services import result_of, spec_of
from ..entry.models import EventRecord, EventStatus
from ..warnings.models import Organisation
from .models import (OPEN_ACTION, Action, ActionStatus, FollowUp, Recommendation, RecommendationStatus)

TOP_CLASS = "tinggi"


# ---- the model's recommendation file -------------------------------------------------------------------

@lru_cache(maxsize=8)
def _recommendations(model_id: str):
    from ...reports.issues import RECOMMENDATIONS_DIR, load_recommendations

    path = RECOMMENDATIONS_DIR / f"{model_id}.yaml"
    if not path.is_file():
        return None, {}, {}
    recs = load_recommendations(path, None)
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return recs, {str(k): [str(x) for x in v or []] for k, v in (raw.get("organisations") or {}).items()}, \
        raw.get("organisation_assumption") or {}


def action_kinds(edition: Edition, lg: str) -> list[tuple[str, str]]:
    recs, _o, _a = _recommendations(edition.model_id or "ikp-2024")
    if recs is None:
        recs, _o, _a = _recommendations("ikp-2024")
    return [(a.id, a.text.get(lg)) for a in recs.actions.values()] if recs else []


def organisation_assumption(edition: Edition, lg: str) -> str:
    return (_recommendations(edition.model_id or "ikp-2024")[2] or {}).get(lg, "")


# ---- create ----------------------------------------------------------------------------------------------

def create_action(edition: Edition, user, **fields) -> Action:
    with transaction.atomic():
        a = Action.objects.create(edition=edition, created_by=user, **fields)
        a.log_action("rawan.action.created", user=user, data={
            "id": a.pk, "kind": a.kind, "title": a.title, "owner": a.owner_unit, "person": a.person,
            "due": str(a.due_date), "status": a.status, "alert": a.alert_id})
    return a


def update_action(action: Action, user, status: str, note: str, evidence=None) -> Action:
    with transaction.atomic():
        a = Action.objects.select_for_update().get(pk=action.pk)
        old = {"status": a.status, "note": a.note, "evidence": a.evidence.name if a.evidence else ""}
        a.status = status
        if note:
            a.note = note
        if evidence is not None:
            a.evidence.save(evidence.name[-100:], evidence, save=False)
        a.save()
        a.log_action("rawan.action.updated", user=user, data={
            "id": a.pk, "old": old, "new": {"status": a.status, "note": a.note,
                                            "evidence": a.evidence.name if a.evidence else ""}})
    return a


def create_recommendation(edition: Edition, user, *, send: bool = False, **fields) -> Recommendation:
    with transaction.atomic():
        r = Recommendation.objects.create(edition=edition, created_by=user, **fields)
        r.log_action("rawan.recommendation.created", user=user, data={
            "id": r.pk, "organisation": r.organisation.code, "indicator": r.indicator, "tps": r.tps_code,
            "variable": r.variable, "alert": r.alert_id, "text": r.text})
        if send:
            _send(r, user)
    return r


def send_recommendation(rec: Recommendation, user) -> bool:
    with transaction.atomic():
        r = Recommendation.objects.select_for_update().select_related("organisation", "edition").get(pk=rec.pk)
        if r.status != RecommendationStatus.DRAFT:
            return False
        _send(r, user)
    return True


def _send(r: Recommendation, user) -> None:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from ..warnings.delivery import notify, queue_webhooks

    r.status, r.sent_at = RecommendationStatus.SENT, timezone.now()
    r.save(update_fields=["status", "sent_at"])
    r.log_action("rawan.recommendation.sent", user=user, data={"id": r.pk, "organisation": r.organisation.code})
    url = reverse("recommendation", kwargs={"slug": r.edition.slug, "pk": r.pk})
    name = r.edition.region_names().get(r.region_code, r.region_code)
    viewers = get_user_model().objects.filter(is_active=True, profile__role="viewer",
                                             profile__organisation__in=[r.organisation.code, r.organisation.name])
    notify(viewers, "recommendation", f"Rekomendasi Bawaslu: {name}", r.text, url,
           title_en=f"Bawaslu recommendation: {name}")
    queue_webhooks("recommendation.sent", {
        "recommendation": r.pk, "edition": r.edition.slug, "region": r.region_code, "region_name": name,
        "tps": r.tps_code, "indicator": r.indicator, "variable": r.variable, "text": r.text, "url": url},
        organisations=[r.organisation])


def withdraw_recommendation(rec: Recommendation, user, reason: str) -> bool:
    with transaction.atomic():
        r = Recommendation.objects.select_for_update().get(pk=rec.pk)
        if r.status == RecommendationStatus.WITHDRAWN:
            return False
        old = r.status
        r.status = RecommendationStatus.WITHDRAWN
        r.save(update_fields=["status"])
        r.log_action("rawan.recommendation.withdrawn", user=user, data={"id": r.pk, "old": old, "reason": reason})
    return True


def add_follow_up(rec: Recommendation, user, org: Organisation, text: str, date: dt.date, evidence=None) -> FollowUp:
    with transaction.atomic():
        f = FollowUp(recommendation=rec, user=user, organisation_name=org.name, text=text, date=date)
        if evidence is not None:
            f.evidence.save(evidence.name[-100:], evidence, save=False)
        f.save()
        log_action("rawan.followup.added", user=user, edition=rec.edition, region_code=rec.region_code,
                   data={"recommendation": rec.pk, "organisation": org.code, "date": str(date), "text": text})
        from ..warnings.delivery import queue_webhooks

        queue_webhooks("followup.added", {"recommendation": rec.pk, "organisation": org.code, "date": str(date),
                                          "text": text, "edition": rec.edition.slug, "region": rec.region_code},
                       organisations=Organisation.objects.filter(kind__in=["bawaslu-prov", "bawaslu-kab"]))
    return f


def draw_from_mapping(edition: Edition, user, due: dt.date, lg: str = "id", top: int = 2) -> tuple[int, int]:
    """For every rawan-tinggi region: its top drivers (explain), the actions the model's
    recommendation file maps them to, a planned Bawaslu action for each, and a draft
    recommendation to each organisation the file names for it.  Nothing is created twice
    (same region, kind and indicator).  Returns (actions, recommendations) created."""
    from ...engine import explain

    spec = spec_of(edition)
    result = result_of(edition)
    recs, orgs_of, _a = _recommendations(edition.model_id)
    if spec is None or result is None or recs is None:
        return 0, 0
    orgs = list(Organisation.objects.all())
    names = edition.region_names()
    high = list(edition.results.filter(level=edition.level, category=TOP_CLASS).values_list("region_code", flat=True))
    n_act = n_rec = 0
    with transaction.atomic():
        for code in high:
            if code not in result.codes:
                continue
            drivers = [c.code for c in explain(result, code, top=top).top_drivers if c.to_index > 0][:top]
            for ind in drivers:
                for act in recs.for_node(spec, ind):
                    label = f"{act.text.get(lg)} — {spec.tree.nodes[ind].name.get(lg)}"
                    if not Action.objects.filter(edition=edition, region_code=code, kind=act.id,
                                                 note__contains=f"[{ind}]").exists():
                        create_action(edition, user, region_code=code, kind=act.id, title=label[:300],
                                      owner_unit=f"Bawaslu {names.get(code, code)}"[:200], person="",
                                      due_date=due, note=f"[{ind}]")
                        n_act += 1
                    for kind in orgs_of.get(act.id, []):
                        for org in _pick(orgs, kind, code):
                            if Recommendation.objects.filter(edition=edition, organisation=org, region_code=code,
                                                             indicator=ind, action_kind=act.id).exists():
                                continue
                            create_recommendation(edition, user, organisation=org, region_code=code, indicator=ind,
                                                  action_kind=act.id, text=label)
                            n_rec += 1
    return n_act, n_rec


def _pick(orgs: list[Organisation], kind: str, code: str) -> list[Organisation]:
    """The organisations of a kind serving a region: the most local one (kab/kota over province)."""
    cands = [o for o in orgs if o.kind == kind and (not o.region_code or code == o.region_code
                                                     or code.startswith(o.region_code + "."))]
    if not cands:
        return []
    best = max(len(o.region_code) for o in cands)
    return [o for o in cands if len(o.region_code) == best]


# ---- dashboard -------------------------------------------------------------------------------------------

def dashboard(edition: Edition, visible=lambda code: True) -> dict:
    today = timezone.localdate()
    actions = [a for a in Action.objects.filter(edition=edition) if visible(a.region_code)]
    recs = [r for r in Recommendation.objects.filter(edition=edition).select_related("organisation")
            .annotate(n_follow=Count("follow_ups")) if visible(r.region_code)]
    sent = [r for r in recs if r.status == RecommendationStatus.SENT]
    high = [(c, n) for c, n in edition.results.filter(level=edition.level, category=TOP_CLASS)
            .values_list("region_code", "name") if visible(c)]
    with_action = {a.region_code for a in actions if a.status != ActionStatus.CANCELLED}
    with_rec = {r.region_code for r in recs if r.status != RecommendationStatus.WITHDRAWN}
    from ..warnings.tpslink import rawan_stations

    tps_ed, stations = rawan_stations(edition, visible, limit=5000)
    covered = {x.tps_id for x in [*actions, *recs] if x.tps_id} | {x.tps_code for x in [*actions, *recs] if x.tps_code}
    tps_uncovered = [st for st in stations if st.pk not in covered and f"{st.desa_code}/{st.number:03d}" not in covered]
    per_org: dict[str, dict] = {}
    for r in sent:
        d = per_org.setdefault(r.organisation.name, {"sent": 0, "followed": 0})
        d["sent"] += 1
        d["followed"] += r.n_follow > 0
    return {
        "actions": actions, "recs": recs,
        "open_actions": [a for a in actions if a.status in OPEN_ACTION],
        "overdue": [a for a in actions if a.overdue(today)],
        "drafts": [r for r in recs if r.status == RecommendationStatus.DRAFT],
        "with_follow": [r for r in sent if r.n_follow], "without_follow": [r for r in sent if not r.n_follow],
        "high": high, "uncovered": [(c, n) for c, n in high if c not in with_action and c not in with_rec],
        "per_org": sorted(per_org.items()), "today": today,
        "tps_edition": tps_ed, "tps_rawan": len(stations), "tps_uncovered": tps_uncovered,
    }


# ---- the book ----------------------------------------------------------------------------------------------

def register_for_book(edition: Edition, lang: str = "id") -> dict:
    """The register as the mapping book draws it (issue 19): sent recommendations per organisation
    and per region, with the organisations' own follow-up, and Bawaslu's actions per region.

    ``{"recommendations": [{"organisation", "kind", "regions": [{"code", "name", "items": [{"text",
    "indicator", "indicator_name", "tps", "follow_up": [{"date", "text"}]}]}]}], "actions": [{"code",
    "name", "items": [{"title", "owner", "status", "due"}]}], "empty": bool}``; drafts and withdrawn
    recommendations and cancelled actions are left out."""
    spec = spec_of(edition)
    names = edition.region_names()

    def ind_name(c):
        return spec.tree.nodes[c].name.get(lang) if spec is not None and c in spec.tree.nodes else c

    by_org: dict = defaultdict(lambda: defaultdict(list))
    kinds = {}
    for r in (Recommendation.objects.filter(edition=edition, status=RecommendationStatus.SENT)
              .select_related("organisation").prefetch_related("follow_ups").order_by("organisation__kind",
                                                                                      "organisation__name",
                                                                                      "region_code", "id")):
        kinds[r.organisation.name] = r.organisation.get_kind_display()
        by_org[r.organisation.name][r.region_code].append({
            "text": r.text, "indicator": r.indicator, "indicator_name": ind_name(r.indicator) if r.indicator else "",
            "tps": r.tps_code, "follow_up": [{"date": f.date, "text": f.text} for f in r.follow_ups.all()]})
    acts: dict = defaultdict(list)
    for a in Action.objects.filter(edition=edition).exclude(status=ActionStatus.CANCELLED).order_by("region_code",
                                                                                                     "due_date"):
        acts[a.region_code].append({"title": a.title, "owner": a.owner_unit, "status": a.get_status_display(),
                                    "due": a.due_date})
    recs = [{"organisation": org, "kind": str(kinds[org]),
             "regions": [{"code": c, "name": names.get(c, c), "items": items} for c, items in regions.items()]}
            for org, regions in by_org.items()]
    actions = [{"code": c, "name": names.get(c, c), "items": items} for c, items in acts.items()]
    return {"recommendations": recs, "actions": actions, "empty": not recs and not actions}


# ---- after the vote ------------------------------------------------------------------------------------------

def after_vote(edition: Edition) -> dict:
    """Per region: the pre-election class beside what was recorded after publication — verified
    events of the voting-and-counting stage, re-votes (PSU) and disputes (indicators named in the
    rules file's ``outcomes``), and whether mitigation was registered there."""
    from ..warnings.services import rules_of

    spec = spec_of(edition)
    voting = [s.code for s in (spec.stages if spec is not None else []) if s.voting]
    rs = rules_of(edition) if spec is not None else None
    outcomes = rs.outcomes if rs else {}
    psu, disputes = set(outcomes.get("psu", ())), set(outcomes.get("sengketa", ()))
    counts: dict = defaultdict(lambda: {"voting": 0, "psu": 0, "sengketa": 0})
    for region, stage, ind, n in (EventRecord.objects.filter(edition=edition, after_publication=True,
                                                             status=EventStatus.VERIFIED)
                                  .values_list("region_code", "stage", "indicator").annotate(n=Count("id")).order_by()):
        c = counts[region]
        if stage in voting:
            c["voting"] += n
        if ind in psu:
            c["psu"] += n
        if ind in disputes:
            c["sengketa"] += n
    mitigated = set(Action.objects.filter(edition=edition).exclude(status=ActionStatus.CANCELLED)
                    .values_list("region_code", flat=True))
    mitigated |= set(Recommendation.objects.filter(edition=edition, status=RecommendationStatus.SENT)
                     .values_list("region_code", flat=True))
    rows, tally = [], defaultdict(int)
    for r in edition.results.filter(level=edition.level).order_by("rank", "region_code"):
        c = counts.get(r.region_code, {"voting": 0, "psu": 0, "sengketa": 0})
        happened = c["voting"] + c["psu"] + c["sengketa"] > 0
        if r.category == TOP_CLASS:
            verdict = "sesuai-terjadi" if happened else "tidak-terjadi"
        elif r.category == "rendah":
            verdict = "terlewat" if happened else "sesuai-tenang"
        else:
            verdict = "sedang-terjadi" if happened else "sedang-tenang"
        tally[verdict] += 1
        rows.append({"code": r.region_code, "name": r.name, "category": r.category, "score": r.score, **c,
                     "happened": happened, "verdict": verdict, "mitigated": r.region_code in mitigated})
    return {"rows": rows, "tally": dict(tally), "voting_stages": voting, "outcomes": outcomes}
