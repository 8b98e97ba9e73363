"""The audit log: who did what, when, to which edition and region, old -> new, and why.

Append-only from the application: an entry is never updated or deleted (``save`` of an existing
entry, ``delete`` and queryset ``update``/``delete`` raise), deleting an edition or a user leaves
its entries in place (no cascade: the edition's slug and the username are kept in the entry), and
every entry carries a SHA-256 chained over the previous one, so an edit or a removal made behind
the application's back shows: ``verify_chain()`` / ``rawan web audit-verify`` name the first entry
that does not match.

The log is ``LANES`` hash chains ("lanes"), each with its head row (hash and count of its last
entry) whose row lock orders that lane.  Entries about one region of one edition (a save, a
verification of a submission, a TPS decision) go to that region's lane, picked by a hash of
(edition, region) among lanes 1..LANES-1; everything else (editions, accounts, logins) to lane 0.
One transaction writes all its entries to one lane: the lane of its first entry (so it holds at
most one head lock, always the last lock it takes, and two transactions cannot wait for each
other's heads).  Twenty operators saving at once therefore wait for each other only when two of
their regions share a lane, instead of all queueing on one head row (on PostgreSQL, where the head
lock is held until the save commits).  Every lane is checked like the single chain was: a changed
entry, a removed one, a removed tail (the lane head's count and hash), an entry moved to another
lane, and a lane head removed while its lane has entries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from .actions import ACTIONS

GENESIS = "0" * 64
LANES = 64  # lane 0: editions, accounts, logins; 1..63: the entries of one region of one edition


class AppendOnly(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("the audit log is append-only")

    def delete(self):
        raise AppendOnly("the audit log is append-only")

    _raw_delete = delete


class AuditEntry(models.Model):
    when = models.DateTimeField(db_index=True)
    # no cascade and no SET NULL: deleting a user or an edition changes no entry
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+")
    username = models.CharField(max_length=150, blank=True)  # kept if the user is deleted
    action = models.CharField(max_length=64, db_index=True)
    edition = models.ForeignKey("editions.Edition", null=True, blank=True, on_delete=models.DO_NOTHING,
                                db_constraint=False, related_name="audit_entries")
    edition_slug = models.CharField(max_length=80, blank=True)  # kept if the edition is deleted
    region_code = models.CharField(max_length=20, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)  # {"old": ..., "new": ..., "reason": ...}
    prev_hash = models.CharField(max_length=64, default=GENESIS)
    hash = models.CharField(max_length=64, blank=True)
    lane = models.PositiveSmallIntegerField(default=0)  # the hash chain this entry is in (see above)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-when", "-id"]
        indexes = [models.Index(fields=["lane", "id"], name="audit_lane_order")]

    def describe(self, lang: str = "id") -> str:
        from .actions import describe
        return describe(self.action, lang)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("an audit entry is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("an audit entry is never deleted")

    def digest(self) -> str:
        return entry_hash(self.prev_hash, self.when, self.username, self.action, self.edition_id,
                          self.edition_slug, self.region_code, self.data)


class AuditHead(models.Model):
    """One row per lane (``pk`` = lane + 1): the hash and number of the lane's last entry (its row
    lock orders the lane)."""

    hash = models.CharField(max_length=64, default=GENESIS)
    count = models.PositiveBigIntegerField(default=0)


def _canonical(v):
    """JSON as the database gives it back: integral floats as ints (PostgreSQL's jsonb prints
    1e20 as 100000000000000000000), keys sorted."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, dict):
        return {str(k): _canonical(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_canonical(x) for x in v]
    return v


def entry_hash(prev: str, when, username: str, action: str, edition_id, edition_slug: str, region: str,
               data) -> str:
    doc = [prev, when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), username, action,
           edition_id, edition_slug, region, _canonical(data)]
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lane_of(edition, region_code: str) -> int:
    """The lane of an entry: lane 0 without both an edition and a region, else one of 1..LANES-1."""
    edition_id = getattr(edition, "pk", edition)
    if edition_id is None or not region_code:
        return 0
    digest = hashlib.sha256(f"{edition_id}:{region_code}".encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:4], "big") % (LANES - 1)


class _LaneMark:
    """A no-op commit callback recording the lane this transaction holds: Django drops it with the
    transaction (or with the savepoint it was taken in, whose row locks the database drops too)."""

    def __init__(self, lane: int):
        self.lane = lane

    def __call__(self) -> None:
        pass


def _held_lane() -> int | None:
    for _sids, func, *_rest in connection.run_on_commit:
        if isinstance(func, _LaneMark):
            return func.lane
    return None


def log_action(action: str, *, user=None, edition=None, region_code: str = "", data: dict | None = None) -> AuditEntry:
    """Write one audit entry; ``action`` must be registered in ``audit/actions.py``."""
    if action not in ACTIONS:
        raise KeyError(f"unregistered audit action {action!r}: add it to rawan/web/audit/actions.py")
    u = user if (user is not None and getattr(user, "is_authenticated", False)) else None
    data = json.loads(json.dumps(data or {}, default=str))  # exactly what the JSON column will hold
    # inside the caller's transaction no savepoint of its own: an entry that fails makes the whole
    # transaction roll back (the write it records included), which is what the caller needs anyway
    with transaction.atomic(savepoint=False):
        lane = _held_lane()
        if lane is None:
            lane = lane_of(edition, region_code)
            transaction.on_commit(_LaneMark(lane))
        heads = AuditHead.objects.select_for_update().filter(pk=lane + 1).values_list("hash", "count")
        head = heads.first()
        if head is None:
            AuditHead.objects.get_or_create(pk=lane + 1)
            head = heads.get()
        entry = AuditEntry(when=timezone.now(), user=u, username=u.get_username() if u else "", action=action,
                           edition=edition, edition_slug=getattr(edition, "slug", "") or "",
                           region_code=region_code, data=data, prev_hash=head[0], lane=lane)
        entry.hash = entry.digest()
        entry.save(force_insert=True)
        AuditHead.objects.filter(pk=lane + 1).update(hash=entry.hash, count=head[1] + 1)
    return entry


def verify_chain() -> tuple[int, AuditEntry | None]:
    """(entries checked, the first entry that does not match or None).  A changed entry, a removed
    one (its successor's ``prev_hash`` no longer matches), an entry moved to another lane, a
    removed tail (the lane head's count and hash) and a removed lane head are all found."""
    prev: dict[int, str] = {}
    counts: dict[int, int] = {}
    n = 0
    for e in AuditEntry.objects.order_by("lane", "id").iterator(chunk_size=2000):
        if e.prev_hash != prev.get(e.lane, GENESIS) or e.digest() != e.hash:
            return n, e
        prev[e.lane] = e.hash
        counts[e.lane] = counts.get(e.lane, 0) + 1
        n += 1
    heads = {h.pk - 1: h for h in AuditHead.objects.all()}
    for lane in sorted(set(heads) | set(counts)):
        head = heads.get(lane)
        if head is None:
            return n, AuditEntry(action=f"(lane {lane}: its head is missing)", lane=lane)
        if head.count != counts.get(lane, 0) or head.hash != prev.get(lane, GENESIS):
            return n, AuditEntry(action=f"(lane {lane}: missing entries at the end)", hash=head.hash, lane=lane)
    return n, None


def log_fingerprint() -> str:
    """One SHA-256 over every lane head (lane, count, hash): it changes with any entry written to
    any lane, so an administrator who keeps it beside the backups can tell a log rewritten as a
    whole (every lane recomputed) from the one they saw."""
    lines = [f"{h.pk - 1}:{h.count}:{h.hash}" for h in AuditHead.objects.order_by("pk") if h.count]
    return hashlib.sha256("\n".join(lines).encode("ascii")).hexdigest() if lines else GENESIS


class LoggedModel(models.Model):
    """Mixin: ``obj.log_action("rawan.submission.approved", user=..., data=...)``."""

    class Meta:
        abstract = True

    def audit_scope(self) -> dict:
        return {}

    def log_action(self, action: str, *, user=None, data: dict | None = None) -> AuditEntry:
        return log_action(action, user=user, data=data, **self.audit_scope())
