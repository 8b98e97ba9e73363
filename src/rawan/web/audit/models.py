"""The audit log: who did what, when, to which edition and region, old -> new, and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .actions import ACTIONS


class AuditEntry(models.Model):
    when = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150, blank=True)  # kept if the user is deleted
    action = models.CharField(max_length=64, db_index=True)
    edition = models.ForeignKey("editions.Edition", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="audit_entries")
    region_code = models.CharField(max_length=20, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)  # {"old": ..., "new": ..., "reason": ...}

    class Meta:
        ordering = ["-when", "-id"]

    def describe(self, lang: str = "id") -> str:
        from .actions import describe
        return describe(self.action, lang)


def log_action(action: str, *, user=None, edition=None, region_code: str = "", data: dict | None = None) -> AuditEntry:
    """Write one audit entry; ``action`` must be registered in ``audit/actions.py``."""
    if action not in ACTIONS:
        raise KeyError(f"unregistered audit action {action!r}: add it to rawan/web/audit/actions.py")
    u = user if (user is not None and getattr(user, "is_authenticated", False)) else None
    return AuditEntry.objects.create(action=action, user=u, username=u.get_username() if u else "",
                                     edition=edition, region_code=region_code, data=data or {})


class LoggedModel(models.Model):
    """Mixin: ``obj.log_action("rawan.submission.approved", user=..., data=...)``."""

    class Meta:
        abstract = True

    def audit_scope(self) -> dict:
        return {}

    def log_action(self, action: str, *, user=None, data: dict | None = None) -> AuditEntry:
        return log_action(action, user=user, data=data, **self.audit_scope())
