"""The audit log: who did what, when, to which edition and region, old -> new, and why.

Append-only from the application: an entry is never updated or deleted (``save`` of an existing
entry, ``delete`` and queryset ``update``/``delete`` raise), deleting an edition or a user leaves
its entries in place (no cascade: the edition's slug and the username are kept in the entry), and
every entry carries a SHA-256 chained over the previous one, so an edit or a removal made behind
the application's back shows: ``verify_chain()`` / ``rawan web audit-verify`` name the first entry
that does not match.  Entries are chained in one order: writers take the chain head's row lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .actions import ACTIONS

GENESIS = "0" * 64


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

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-when", "-id"]

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
    """One row: the hash and number of the last entry (its row lock orders the chain)."""

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


def log_action(action: str, *, user=None, edition=None, region_code: str = "", data: dict | None = None) -> AuditEntry:
    """Write one audit entry; ``action`` must be registered in ``audit/actions.py``."""
    if action not in ACTIONS:
        raise KeyError(f"unregistered audit action {action!r}: add it to rawan/web/audit/actions.py")
    u = user if (user is not None and getattr(user, "is_authenticated", False)) else None
    data = json.loads(json.dumps(data or {}, default=str))  # exactly what the JSON column will hold
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            AuditHead.objects.get_or_create(pk=1)
            head = AuditHead.objects.select_for_update().get(pk=1)
        entry = AuditEntry(when=timezone.now(), user=u, username=u.get_username() if u else "", action=action,
                           edition=edition, edition_slug=getattr(edition, "slug", "") or "",
                           region_code=region_code, data=data, prev_hash=head.hash)
        entry.hash = entry.digest()
        entry.save()
        AuditHead.objects.filter(pk=1).update(hash=entry.hash, count=head.count + 1)
    return entry


def verify_chain() -> tuple[int, AuditEntry | None]:
    """(entries checked, the first entry that does not match or None).  A changed entry, a removed
    one (its successor's ``prev_hash`` no longer matches) or a removed tail (the head's count and
    hash) are all found."""
    prev = GENESIS
    n = 0
    for e in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if e.prev_hash != prev or e.digest() != e.hash:
            return n, e
        prev = e.hash
        n += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.count != n or head.hash != prev):
        return n, AuditEntry(action="(missing entries at the end)", hash=head.hash)
    return n, None


class LoggedModel(models.Model):
    """Mixin: ``obj.log_action("rawan.submission.approved", user=..., data=...)``."""

    class Meta:
        abstract = True

    def audit_scope(self) -> dict:
        return {}

    def log_action(self, action: str, *, user=None, data: dict | None = None) -> AuditEntry:
        return log_action(action, user=user, data=data, **self.audit_scope())
