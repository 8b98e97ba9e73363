"""One explicit access helper per scoped object.  Outside your scope: 404.  Read-only role
writing: 403.  Every view gets its objects through these functions and nothing else.

Who sees which edition:
  public (no login)  published and archived editions
  viewer, operator   every edition except drafts: results shown before publication are computed from
                     verified data only; entry pages (drafts) stay closed to viewers (403) and to
                     operators outside their kab/kota (404)
  verifier, admin    everything
  panwascam, pkd     as a viewer (read-only) on the index editions; they work on TPS editions

TPS editions (``rawan.web.tps``): the same statuses.  The public sees the results of published and
archived ones only; every logged-in role also sees those in collection.  A PKD reads and writes
only their own desa/kelurahan (another desa: 404), a Panwascam reads and supervises only their
kecamatan, an operator (Bawaslu kab/kota) their kab/kota, verifier and admin everything.  Checklists
are written by the desa's PKD (and the admin) while the edition collects and its window is open;
any other role writing: 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from .accounts.models import Role
from .accounts.roles import FIELD_ROLES, PUBLIC, Who, who
from .editions.models import PUBLIC_STATUSES, Edition, Status
from .entry.models import Submission

VISIBLE = {
    PUBLIC: PUBLIC_STATUSES,
    Role.VIEWER: (*PUBLIC_STATUSES, Status.VERIFYING, Status.COLLECTING),
    Role.OPERATOR: (*PUBLIC_STATUSES, Status.VERIFYING, Status.COLLECTING),
    Role.PANWASCAM: (*PUBLIC_STATUSES, Status.VERIFYING, Status.COLLECTING),
    Role.PKD: (*PUBLIC_STATUSES, Status.VERIFYING, Status.COLLECTING),
    Role.VERIFIER: tuple(Status),
    Role.ADMIN: tuple(Status),
}


def visible_editions(user):
    """The index editions this user may see (TPS editions have their own pages: ``tps_editions``)."""
    return Edition.objects.filter(status__in=VISIBLE[who(user).role], tps__isnull=True).defer(
        "bundle", "model_yaml", "computed_inputs")


# the large columns a page may leave unread (``edition_for(..., light=True)``): read on first use
HEAVY_COLUMNS = ("bundle", "model_yaml", "computed_inputs", "reference_json")


def edition_for(user, slug: str, *, light: bool = False) -> Edition:
    """The index edition, if this user may see it; else 404.  ``light``: without the model's text,
    the computed inputs and the reference (the entry form: ``spec_of`` finds the model by its hash)."""
    ed = Edition.objects.filter(slug=slug, status__in=VISIBLE[who(user).role], tps__isnull=True).defer(
        *(HEAVY_COLUMNS if light else ("bundle",))).first()
    if ed is None:
        raise Http404("edition")
    return ed


def region_for(edition: Edition, code: str) -> str:
    """The region's name in the edition's scope; else 404."""
    name = edition.region_names().get(code)
    if name is None:
        raise Http404("region")
    return name


def sees_internal(user, edition: Edition) -> bool:
    """Completeness, audit and unpublished figures: internal roles only."""
    return who(user).internal


def submission_for(user, edition: Edition, code: str, *, write: bool = False) -> Submission:
    """The region's submission for data entry.

    Operators outside their kab/kota: 404 (they cannot learn it exists).  Viewers and public:
    403.  Writing by a verifier, or into a submission that is not open: 403.
    """
    w: Who = who(user)
    if w.role in (PUBLIC, Role.VIEWER, *FIELD_ROLES):
        raise PermissionDenied("read-only role")
    region_for(edition, code)
    if not w.covers(code):
        raise Http404("submission")
    if edition.results_only:
        raise Http404("results-only edition")
    sub, _ = Submission.objects.get_or_create(edition=edition, region_code=code)
    sub.edition = edition  # the object in hand (no second query when the submission's edition is read)
    if write:
        if w.role not in (Role.OPERATOR, Role.ADMIN):
            raise PermissionDenied("role cannot enter data")
        if edition.status != Status.COLLECTING or not sub.editable or not collection_open(edition):
            raise PermissionDenied("submission not open for entry")
    return sub


def collection_open(edition: Edition) -> bool:
    """Within the edition's collection window (when it has one)."""
    today = timezone.localdate()
    return ((edition.window_start is None or edition.window_start <= today)
            and (edition.window_end is None or today <= edition.window_end))


def require_verifier(user, edition: Edition) -> None:
    if who(user).role not in (Role.VERIFIER, Role.ADMIN):
        raise PermissionDenied("verifier only")
    if edition.status not in (Status.COLLECTING, Status.VERIFYING):
        raise PermissionDenied("edition not in collection or verification")


def require_admin(user) -> None:
    if who(user).role != Role.ADMIN:
        raise PermissionDenied("province administrator only")


def entry_regions(user, edition: Edition) -> list[tuple[str, str]]:
    """Regions this user may open for data entry (operators: own kab/kota and its units)."""
    w = who(user)
    if w.role in (PUBLIC, Role.VIEWER, *FIELD_ROLES) or edition.results_only:
        return []
    return [(c, n) for c, n in edition.regions if w.covers(c)]


# ---- early warning and mitigation (rawan.web.warnings, rawan.web.mitigation) ---------------------------
#
#   live view, verified events   every logged-in user who sees the edition; published/archived editions
#   pending/rejected events      internal roles within their scope (the reporter's area)
#   report an event              operator, panwascam, pkd (their area), verifier, admin; published editions
#   verify / reject an event     verifier, admin
#   alerts                       internal roles (operators: their kab/kota); acknowledge/escalate/close:
#                                verifier, admin
#   Bawaslu actions              internal roles read (operators: their area); admin/verifier write;
#                                operators write in their area
#   recommendations              internal roles read all (drafts too); a viewer with an organisation
#                                reads what was sent to that organisation and reports its follow-up;
#                                other viewers and the public: nothing

INTERNAL_ROLES = ("admin", "verifier", "operator", "panwascam", "pkd")
EVENT_REPORTERS = ("admin", "verifier", "operator", "panwascam", "pkd")


def live_edition_for(user, slug: str) -> Edition:
    """A published (or archived) edition for the live view and events after publication: login
    required (anonymous: PermissionDenied -> login), else as edition_for."""
    if not who(user).internal:
        raise PermissionDenied("login required")
    ed = edition_for(user, slug)
    if ed.status not in PUBLIC_STATUSES:
        raise Http404("not published")
    return ed


def is_internal(user) -> bool:
    return who(user).role in INTERNAL_ROLES


def covers(user, code: str) -> bool:
    """Whether the user's area holds this region (admin/verifier: the province)."""
    w = who(user)
    if w.role in (Role.ADMIN, Role.VERIFIER):
        return True
    if w.role in INTERNAL_ROLES:
        return bool(w.region) and (code == w.region or code.startswith(w.region + "."))
    return False


def inside(code: str, area: str) -> bool:
    """Whether region ``code`` is ``area`` or lies under it."""
    return bool(area) and (code == area or code.startswith(area + "."))


def alert_in_area(role: str, area: str, alert_region: str, places) -> bool:
    """Whether an alert concerns a user of ``role`` working in ``area``: admins and verifiers see every
    alert; an operator the alerts of regions in their kab/kota; a Panwascam (kecamatan) and a PKD (desa)
    also the alerts of a larger region (a kab/kota edition's) raised by events that happened in their
    area (``places``: the place codes of the alert's events).  One rule for the inbox and the pages."""
    if role in (Role.ADMIN, Role.VERIFIER):
        return True
    if role not in INTERNAL_ROLES or not area:
        return False
    if inside(alert_region, area):
        return True
    return role in (Role.PANWASCAM, Role.PKD) and any(inside(p, area) for p in places if p)


def alert_places(alerts) -> dict[int, set[str]]:
    """Alert id -> the place codes of the events behind it (one query for all the alerts)."""
    from .entry.models import EventRecord

    alerts = list(alerts)
    ids = {e for a in alerts for e in a.events}
    place = dict(EventRecord.objects.filter(pk__in=ids).values_list("pk", "place_code")) if ids else {}
    return {a.pk: {place[e] for e in a.events if place.get(e)} for a in alerts}


def sees_alert(user, alert, places: set[str] | None = None) -> bool:
    """The alert pages: internal users whose area the alert concerns (:func:`alert_in_area`)."""
    w = who(user)
    if places is None:
        places = alert_places([alert])[alert.pk]
    return alert_in_area(w.role, w.region or "", alert.region_code, places)


def can_report_events(user, edition: Edition) -> bool:
    return who(user).role in EVENT_REPORTERS and edition.status == Status.PUBLISHED


def require_reviewer(user) -> None:
    if who(user).role not in (Role.VERIFIER, Role.ADMIN):
        raise PermissionDenied("verifier only")


def require_internal(user) -> None:
    if not is_internal(user):
        raise PermissionDenied("Bawaslu users only")


def organisation_of(user):
    """The organisation of a stakeholder viewer (None for everyone else)."""
    from .warnings.models import Organisation

    w = who(user)
    if w.role != Role.VIEWER:
        return None
    code = (getattr(getattr(user, "profile", None), "organisation", "") or "").strip()
    if not code:
        return None
    return Organisation.objects.filter(code=code).first() or Organisation.objects.filter(name=code).first()


def recommendation_for(user, edition: Edition, pk: int):
    """A recommendation this user may read: internal roles (operators: their area) any; a
    stakeholder viewer only one sent to their organisation; else 404."""
    from .mitigation.models import Recommendation, RecommendationStatus

    rec = Recommendation.objects.select_related("organisation").filter(edition=edition, pk=pk).first()
    if rec is None:
        raise Http404("recommendation")
    if is_internal(user):
        if not covers(user, rec.region_code):
            raise Http404("recommendation")
        return rec
    org = organisation_of(user)
    if org is None or rec.organisation_id != org.pk or rec.status != RecommendationStatus.SENT:
        raise Http404("recommendation")
    return rec


# ---- TPS editions (rawan.web.tps) ----------------------------------------------------------

TPS_SUPERVISORS = (Role.PANWASCAM, Role.OPERATOR, Role.VERIFIER, Role.ADMIN)


def tps_editions(user):
    """The TPS editions this user may see (public: published and archived only)."""
    from .tps.models import TpsEdition

    w = who(user)
    statuses = PUBLIC_STATUSES if w.role == PUBLIC else VISIBLE[w.role]
    return TpsEdition.objects.select_related("edition").filter(edition__status__in=statuses).defer(
        "edition__bundle", "edition__model_yaml", "edition__computed_inputs")


def tps_edition_for(user, slug: str):
    """The TPS edition, if this user may see it; else 404."""
    ed = tps_editions(user).filter(edition__slug=slug).first()
    if ed is None:
        raise Http404("tps edition")
    return ed


def tps_collection_open(tps) -> bool:
    """Checklists may be written: the edition is collecting and inside its window."""
    return tps.edition.status == Status.COLLECTING and collection_open(tps.edition)


def desa_for(user, tps, code: str, *, write: bool = False):
    """The desa's report of a TPS edition (its TPS list and checklists).

    Anonymous: PermissionDenied (views send them to the login page first).  A PKD of another desa,
    a Panwascam of another kecamatan, an operator of another kab/kota: 404.  Viewers: 403.
    Writing (checklists, "tidak ada") is the desa's PKD's and the admin's, while collection is
    open; anyone else: 403.
    """
    from .tps.models import DesaReport

    w = who(user)
    if w.role in (PUBLIC, Role.VIEWER):
        raise PermissionDenied("read-only role")
    if tps.results_only:
        raise Http404("results-only TPS edition")
    rep = DesaReport.objects.filter(edition=tps, desa_code=code).first()
    if rep is None or not w.covers(code):
        raise Http404("desa")
    if write:
        if w.role not in (Role.PKD, Role.ADMIN):
            raise PermissionDenied("role cannot fill checklists")
        if not tps_collection_open(tps):
            raise PermissionDenied("collection closed")
    return rep


def station_for(user, tps, code: str, number: int, *, write: bool = False):
    """One TPS of a desa: the same codes as ``desa_for`` (one query: the TPS row exists only for a
    desa of the edition's registry); an unknown number: 404."""
    from .tps.models import TpsStation

    w = who(user)
    if w.role in (PUBLIC, Role.VIEWER):
        raise PermissionDenied("read-only role")
    if tps.results_only or not w.covers(code):
        raise Http404("desa")
    st = TpsStation.objects.filter(edition=tps, desa_code=code, number=number).first()
    if st is None:
        if not tps.desa_reports.filter(desa_code=code).exists():
            raise Http404("desa")
        raise Http404("tps")
    if write:
        if w.role not in (Role.PKD, Role.ADMIN):
            raise PermissionDenied("role cannot fill checklists")
        if not tps_collection_open(tps):
            raise PermissionDenied("collection closed")
    return st


def require_tps_supervisor(user, tps, code: str | None = None) -> None:
    """Supervision of a TPS collection: Panwascam (their kecamatan), operator (their kab/kota),
    verifier, admin.  PKD and viewers: 403; a region outside the supervisor's: 404."""
    w = who(user)
    if w.role not in TPS_SUPERVISORS:
        raise PermissionDenied("supervisors only")
    if tps.results_only:
        raise Http404("results-only TPS edition")
    if code is not None and not w.covers(code):
        raise Http404("outside the supervisor's region")


def supervised_prefix(user) -> str:
    """The region a supervisor sees ('' = the whole edition)."""
    w = who(user)
    return w.region if w.role in (Role.PANWASCAM, Role.OPERATOR) else ""
