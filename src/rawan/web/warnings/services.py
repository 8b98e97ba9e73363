"""Early warning: the edition's rules (copied when it is created, frozen when collection starts),
review of events after publication, rule evaluation after every verification, the live view.

Evaluation is incremental per region: the evaluator is rebuilt from that region's verified events
and the alerts already raised there (never from the whole edition), then given the new event.  An
alert is created under a unique constraint (edition, rule, region, window), so two workers that
evaluate at once raise it once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from ...vocabulary import category_label
from ...alerts import Event, Evaluator, LiveScorer, RulesError, load_rules, parse_rules
from ..accounts.models import Role
from ..editions.models import Edition, Status
from ..editions.services import result_of, spec_of
from ..entry.models import EventRecord, EventStatus
from .delivery import notify, queue_webhooks
from .models import Alert, AlertNote, AlertStatus, EditionRules

# ---- rules ----------------------------------------------------------------------------------------


def copy_rules(edition: Edition, frozen: bool = False) -> EditionRules | None:
    """Copy the rules file shipped beside the edition's model (none for results-only editions or
    models without one); ``frozen``: an edition made past its draft (never editable, nothing to log)."""
    if edition.results_only or not edition.model_id:
        return None
    existing = EditionRules.objects.filter(edition=edition).first()
    if existing is not None:
        return existing
    rs = load_rules(edition.model_id, spec_of(edition))
    if rs is None:
        return None
    return EditionRules.objects.create(edition=edition, text=rs.text,
                                       sha256=hashlib.sha256(rs.text.encode("utf-8")).hexdigest(),
                                       frozen_at=timezone.now() if frozen else None)


def rules_of(edition: Edition):
    """The edition's RuleSet (None without rules)."""
    row = EditionRules.objects.filter(edition=edition).first()
    if row is None:
        return None
    return _parsed(row.sha256, row.text, edition.model_sha256, edition)


_PARSED: dict = {}
_LOCK = threading.Lock()


def _parsed(sha: str, text: str, model_sha: str, edition: Edition):
    key = (sha, model_sha)
    with _LOCK:
        hit = _PARSED.get(key)
    if hit is None:
        hit = parse_rules(text, spec_of(edition), file=f"{edition.slug}/peringatan.yaml")
        with _LOCK:
            if len(_PARSED) > 64:
                _PARSED.clear()
            _PARSED[key] = hit
    return hit


def rules_editable(edition: Edition) -> bool:
    return edition.status == Status.DRAFT


def save_rules(edition: Edition, text: str, user) -> EditionRules:
    """Replace the edition's rules (admin, draft editions only); RulesError names every problem."""
    from django.core.exceptions import PermissionDenied

    parse_rules(text, spec_of(edition), file=f"{edition.slug}/peringatan.yaml")  # raises RulesError
    with transaction.atomic():
        ed = Edition.objects.select_for_update().only("id", "status").get(pk=edition.pk)
        if ed.status != Status.DRAFT:
            raise PermissionDenied("rules are frozen once collection starts")
        row = EditionRules.objects.select_for_update().filter(edition=edition).first()
        old = row.sha256 if row else ""
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if row is None:
            row = EditionRules.objects.create(edition=edition, text=text, sha256=sha)
        else:
            row.text, row.sha256 = text, sha
            row.save(update_fields=["text", "sha256"])
        row.log_action("rawan.rules.changed", user=user, data={"old": old, "new": sha})
    return row


def freeze_rules(edition: Edition, user=None) -> None:
    """Called when the edition leaves draft: the rules are frozen (and that is logged)."""
    row = EditionRules.objects.filter(edition=edition, frozen_at__isnull=True).first()
    if row is None or edition.status == Status.DRAFT:
        return
    n = EditionRules.objects.filter(pk=row.pk, frozen_at__isnull=True).update(frozen_at=timezone.now())
    if n:
        row.log_action("rawan.rules.frozen", user=user, data={"sha256": row.sha256, "status": edition.status})


# ---- the live scorer of a published edition --------------------------------------------------------

_SCORERS: dict = {}


def scorer_of(edition: Edition) -> LiveScorer | None:
    """The published values and reference of the edition (None for results-only editions)."""
    if edition.results_only or not edition.bundle_sha256:
        return None
    key = (edition.pk, edition.bundle_sha256)
    with _LOCK:
        hit = _SCORERS.get(key)
    if hit is None:
        result = result_of(edition)
        if result is None:
            return None
        hit = LiveScorer(result, name=edition.title)
        with _LOCK:
            if len(_SCORERS) > 16:
                _SCORERS.clear()
            _SCORERS[key] = hit
    return hit


def anchor_of(edition: Edition) -> dt.date:
    return timezone.localdate(edition.published_at) if edition.published_at else timezone.localdate()


def _event(e) -> Event:
    return Event(id=e.pk, region=e.region_code, indicator=e.indicator, date=e.date, weight=e.weight)


def verified_live_events(edition: Edition, region: str | None = None):
    qs = EventRecord.objects.filter(edition=edition, after_publication=True, status=EventStatus.VERIFIED)
    if region is not None:
        qs = qs.filter(region_code=region)
    return qs


# ---- review and evaluation ---------------------------------------------------------------------------

def review_event(event: EventRecord, user, approve: bool, reason: str) -> EventRecord:
    """Verify or reject a pending event under its row lock; a verified event is then evaluated
    by a background job.  PermissionDenied when someone else reviewed it meanwhile."""
    from django.core.exceptions import PermissionDenied

    from . import jobs

    with transaction.atomic():
        ev = EventRecord.objects.select_for_update().get(pk=event.pk)
        if ev.status != EventStatus.PENDING:
            raise PermissionDenied("event already reviewed")
        old = ev.status
        ev.status = EventStatus.VERIFIED if approve else EventStatus.REJECTED
        ev.reviewed_by, ev.reviewed_at, ev.review_reason = user, timezone.now(), reason
        ev.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
        from ..audit.models import log_action

        log_action("rawan.event.verified" if approve else "rawan.event.rejected", user=user, edition=ev.edition,
                   region_code=ev.region_code, data={"id": ev.pk, "old": old, "new": ev.status, "reason": reason})
        if approve:
            pk = ev.pk
            transaction.on_commit(lambda: jobs.enqueue(jobs.evaluate_event_task, pk,
                                                              subject_key=f"event:{pk}"))
        else:
            _tell_reporter(ev, reason)
    return ev


def _tell_reporter(ev: EventRecord, reason: str) -> None:
    if ev.created_by_id:
        notify([ev.created_by], "event.rejected", f"Kejadian ditolak: {ev.indicator} {ev.region_code}",
               reason, reverse("live_events", kwargs={"slug": ev.edition.slug}),
               title_en=f"Event rejected: {ev.indicator} {ev.region_code}")


def evaluate_event(event_id: int) -> list[Alert]:
    """Evaluate the edition's rules for one verified event; returns the alerts it raised (none
    when they already exist: running twice is harmless)."""
    ev = EventRecord.objects.select_related("edition").filter(pk=event_id).first()
    if ev is None or ev.status != EventStatus.VERIFIED or not ev.after_publication:
        return []
    edition = ev.edition
    rules = rules_of(edition)
    if rules is None:
        return []
    region = ev.region_code
    fired = set(Alert.objects.filter(edition=edition, region_code=region)
                .values_list("rule_id", "region_code", "window"))
    evaluator = Evaluator(rules, anchor_of(edition), scorer=scorer_of(edition), fired=fired)
    # the region's events verified before this one (verification order), whatever order the jobs run in
    earlier = list(verified_live_events(edition, region)
                   .filter(Q(reviewed_at__lt=ev.reviewed_at) | Q(reviewed_at=ev.reviewed_at, pk__lt=ev.pk))
                   .order_by("reviewed_at", "id"))
    raised = evaluator.restore([_event(e) for e in earlier])
    raised += evaluator.add(_event(ev))
    joined = list(evaluator.joined)
    out = []
    with transaction.atomic():
        for key, eid in joined:
            a = Alert.objects.select_for_update().filter(edition=edition, rule_id=key[0], region_code=key[1],
                                                         window=key[2]).first()
            if a is not None and eid not in a.events:
                a.events = [*a.events, eid]
                a.save(update_fields=["events", "updated_at"])
        for al in raised:
            a = _create_alert(edition, rules, al)
            if a is not None:
                out.append(a)
    return out


def _create_alert(edition: Edition, rules, al) -> Alert | None:
    rule = rules.get(al.rule)
    try:
        with transaction.atomic():
            a = Alert.objects.create(
                edition=edition, rule_id=al.rule, rule_name=rule.label("id")[:300], rule_name_en=rule.label("en")[:300],
                kind=al.kind, region_code=al.region, window=al.window, window_start=al.window_start,
                window_end=al.window_end, event_id=al.event, events=list(al.events), numbers=al.numbers)
    except IntegrityError:  # raised meanwhile by another worker
        return None
    a.log_action("rawan.alert.raised", data={"rule": al.rule, "window": al.window, "events": al.events,
                                             "numbers": al.numbers})
    _announce(a)
    return a


def _day(d: dt.date, lang: str) -> str:
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override(lang):
        return date_format(d, "j F Y")


def window_text(a: Alert, lang: str = "id") -> str:
    """The alert's window in words, never its key: "1 November 2026 – 14 November 2026" for a
    window of days, "kategori Rawan Tinggi tercapai" / "category reached: High vulnerability" for a
    score rule (key "kelas:tinggi")."""
    if a.window.startswith("kelas:"):
        label = category_label(a.window.split(":", 1)[1], lang)
        return f"kategori {label} tercapai" if lang != "en" else f"category reached: {label}"
    start, end = a.window_start, a.window_end
    if start is None:
        try:
            start, end = (dt.date.fromisoformat(x) for x in a.window.split("/", 1))
        except ValueError:
            return a.window
    if end is None or end == start:
        return _day(start, lang)
    return f"{_day(start, lang)} – {_day(end, lang)}"


def alert_text(a: Alert, lang: str = "id") -> str:
    """Why the alert fired, in one sentence with its numbers (decimal comma in Indonesian)."""
    n = a.numbers
    name = a.edition.region_names().get(a.region_code, a.region_code)

    def num(x, spec: str = ".2f") -> str:
        s = format(x, spec) if isinstance(x, float) else str(x)
        return s if lang == "en" else s.replace(".", ",")

    if a.kind == "count":
        return (f"{name}: {n['count']} kejadian terverifikasi dalam jendela {window_text(a, lang)} "
                f"(ambang {n['threshold']})."
                if lang != "en" else
                f"{name}: {n['count']} verified events in the window {window_text(a, lang)} "
                f"(threshold {n['threshold']}).")
    if a.kind == "critical":
        return (f"{name}: kejadian kritis indikator {n['indicator']} pada {a.window_start}."
                if lang != "en" else f"{name}: critical event of indicator {n['indicator']} on {a.window_start}.")
    if a.kind == "rate":
        return (f"{name}: {n['count']} kejadian dalam {n['days']} hari, harapan {num(n['expected'])} menurut laju "
                f"dasar; peluang P(X ≥ {n['count']}) = {num(n['p'], '.2g')} < {num(n['alpha'], 'g')} (asumsi Poisson)."
                if lang != "en" else
                f"{name}: {n['count']} events in {n['days']} days, {num(n['expected'])} expected at the baseline "
                f"rate; P(X ≥ {n['count']}) = {num(n['p'], '.2g')} < {num(n['alpha'], 'g')} (Poisson assumption).")
    was, now = (category_label(n.get(k), lang, short=True) for k in ("baseline_class", "live_class"))
    return (f"{name}: skor terkini {num(n['live_score'])} melewati batas {num(n['cutoff'], 'g')} "
            f"({was} → {now}; skor terbit {num(n['baseline_score'])})."
            if lang != "en" else
            f"{name}: live score {num(n['live_score'])} crossed the cut-off {num(n['cutoff'], 'g')} "
            f"({was} → {now}; published {num(n['baseline_score'])}).")


def alert_payload(a: Alert) -> dict:
    return {"alert": a.pk, "edition": a.edition.slug, "rule": a.rule_id, "rule_name": a.rule_name, "kind": a.kind,
            "region": a.region_code, "region_name": a.edition.region_names().get(a.region_code, ""),
            "window": a.window, "events": a.events, "numbers": a.numbers, "status": a.status,
            "reason": {"id": alert_text(a, "id"), "en": alert_text(a, "en")},
            "url": reverse("alert", kwargs={"slug": a.edition.slug, "pk": a.pk})}


def alert_recipients(edition: Edition, region: str, places=()):
    """Province admins and verifiers; the operators of the region's kab/kota; the Panwascam and PKD of
    the kecamatan and desa in the region or where the alert's events happened (``places``): the users
    whose area the alert concerns (``access.alert_in_area``, the same rule as the alert pages)."""
    from ..access import alert_in_area

    users = get_user_model().objects.filter(is_active=True).select_related("profile")
    return [u for u in users.filter(profile__role__in=[Role.ADMIN, Role.VERIFIER, Role.OPERATOR, Role.PANWASCAM,
                                                        Role.PKD])
            if alert_in_area(u.profile.role, u.profile.region_code, region, places)]


def _announce(a: Alert) -> None:
    from ..access import alert_places

    url = reverse("alert", kwargs={"slug": a.edition.slug, "pk": a.pk})
    places = alert_places([a])[a.pk]
    notify(alert_recipients(a.edition, a.region_code, places), "alert", f"Peringatan: {a.rule_label('id')}",
           alert_text(a, "id"), url, title_en=f"Alert: {a.rule_label('en')}", body_en=alert_text(a, "en"))
    queue_webhooks("alert.raised", alert_payload(a))


ALERT_MOVES = {
    "acknowledge": (AlertStatus.ACKNOWLEDGED, (AlertStatus.OPEN, AlertStatus.ESCALATED)),
    "escalate": (AlertStatus.ESCALATED, (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)),
    "close": (AlertStatus.CLOSED, (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED, AlertStatus.ESCALATED)),
    "reopen": (AlertStatus.OPEN, (AlertStatus.CLOSED,)),
}


def move_alert(alert: Alert, action: str, note: str, user) -> Alert:
    """Acknowledge / escalate / close / reopen with a note, under the row lock; PermissionDenied
    when the alert is no longer in a state this move starts from."""
    from django.core.exceptions import PermissionDenied

    new, starts = ALERT_MOVES[action]
    with transaction.atomic():
        a = Alert.objects.select_for_update().select_related("edition").get(pk=alert.pk)
        if a.status not in starts:
            raise PermissionDenied("alert state changed")
        old = a.status
        a.status = new
        a.save(update_fields=["status", "updated_at"])
        AlertNote.objects.create(alert=a, user=user, old=old, new=new, note=note)
        a.log_action("rawan.alert.status", user=user, data={"old": old, "new": new, "reason": note})
        if action == "escalate":
            queue_webhooks("alert.escalated", {**alert_payload(a), "note": note})
    return a


# ---- the live view --------------------------------------------------------------------------------

_LIVE: dict = {}


def live_state(edition: Edition) -> tuple:
    """What the live view depends on, read with one query: the verified events' count and last
    review (a verification, or a correction of one, changes it)."""
    from django.db.models import Max

    agg = verified_live_events(edition).aggregate(n=Count("id"), last=Max("reviewed_at"), top=Max("id"))
    return (edition.pk, edition.bundle_sha256, agg["n"], str(agg["last"]), agg["top"])


LIVE_TIMEOUT = 7 * 24 * 3600  # shared entries: a state's key never goes stale, so only space is at stake


def shared(local: dict, key: tuple, build):
    """``build()`` kept per state key: in this process's dictionary, and in Django's cache (the
    database by default), so a second app server, or this one after a restart, finds it there instead
    of rebuilding it (reading the published bundle, building the live scorer, scoring, drawing the
    table).  The key holds the installation's build identity: new code never meets old entries."""
    from django.core.cache import cache

    from ..build import build_id

    with _LOCK:
        hit = local.get(key)
    if hit is not None:
        return hit
    name = "rawan:live:" + hashlib.sha256(repr((build_id(), key)).encode("utf-8")).hexdigest()
    hit = cache.get(name)
    if hit is None:
        hit = build()
        cache.set(name, hit, LIVE_TIMEOUT)
    with _LOCK:
        if len(local) > 32:
            local.clear()
        local[key] = hit
    return hit


def live_rows(edition: Edition, stage: str | None = None, state: tuple | None = None) -> list[dict]:
    """Per region: the published score and class, the verified events since publication (per
    stage), and the live score and class against the edition's reference (None for results-only
    editions).  One query for the results, one for the events, one computation for the regions
    with events; kept for the same state of the verified events (``live_state``) in this process
    and in Django's cache (``shared``)."""
    key = ("rows", (state or live_state(edition)), stage or "")
    return shared(_LIVE, key, lambda: _live_rows(edition, stage))


def _live_rows(edition: Edition, stage: str | None) -> list[dict]:
    rows = list(edition.results.filter(level=edition.level).order_by("rank", "region_code")
                .values_list("region_code", "name", "score", "category", "rank"))
    ev = verified_live_events(edition)
    if stage:
        ev = ev.filter(stage=stage)
    counts: dict[str, dict[str, int]] = {}
    weights: dict[str, dict[str, float]] = {}
    for region, st, ind, w, n in (ev.values_list("region_code", "stage", "indicator", "weight")
                                  .annotate(n=Count("id")).order_by()):
        counts.setdefault(region, {})
        counts[region][st] = counts[region].get(st, 0) + n
        weights.setdefault(region, {})
        weights[region][ind] = weights[region].get(ind, 0.0) + w * n
    scorer = scorer_of(edition)
    live = scorer.live({r: weights[r] for r in weights if scorer.has(r)}) if scorer and weights else {}
    out = []
    for code, name, score, category, rank in rows:
        c = counts.get(code, {})
        item = {"code": code, "name": name, "score": score, "category": category, "rank": rank,
                "events": sum(c.values()), "by_stage": c, "live_score": None, "live_category": category,
                "delta": None}
        if code in live:
            s, cls = live[code]
            item["live_score"] = s
            item["live_category"] = scorer.label(cls) or category
            item["delta"] = None if score is None else s - score
        elif scorer is not None and scorer.has(code):
            item["live_score"] = score
            item["delta"] = 0.0 if score is not None else None
        out.append(item)
    return out


# ---- the same mechanism for the entry workflow ----------------------------------------------------------

def _verifiers():
    return list(get_user_model().objects.filter(is_active=True, profile__role__in=[Role.VERIFIER, Role.ADMIN]))


def tell_verifiers(edition: Edition, n: int) -> None:
    """Verifiers learn that events wait for them."""
    notify(_verifiers(), "event.waiting", f"{n} kejadian menunggu verifikasi: {edition.title}",
           "", reverse("live_events", kwargs={"slug": edition.slug}) + "?status=menunggu", email=False,
           title_en=f"{n} event(s) waiting for verification: {edition.title_in('en')}")


def submission_waiting(sub) -> None:
    """A submission was sent for verification: the verifiers are told (inbox and e-mail)."""
    edition = sub.edition
    name = edition.region_names().get(sub.region_code, sub.region_code)
    notify(_verifiers(), "submission.waiting",
           f"Menunggu verifikasi: {name} ({edition.title})", "",
           reverse("entry_form", kwargs={"slug": edition.slug, "code": sub.region_code}),
           title_en=f"Waiting for verification: {name} ({edition.title_in('en')})")


def submission_returned(sub) -> None:
    """A submission was returned: the operators of its kab/kota are told, with the comment."""
    edition = sub.edition
    name = edition.region_names().get(sub.region_code, sub.region_code)
    users = [u for u in get_user_model().objects.filter(is_active=True, profile__role=Role.OPERATOR)
             .select_related("profile")
             if sub.region_code == u.profile.region_code or sub.region_code.startswith(u.profile.region_code + ".")]
    notify(users, "submission.returned", f"Dikembalikan: {name} ({edition.title})", sub.comment,
           reverse("entry_form", kwargs={"slug": edition.slug, "code": sub.region_code}),
           title_en=f"Returned: {name} ({edition.title_in('en')})")
