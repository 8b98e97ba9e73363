"""Early warning in the web app: organisations, an edition's frozen rules, alerts, the in-app
inbox, and outgoing webhooks with their deliveries (at-least-once, delivery ids for the receiver)."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..audit.models import LoggedModel


class OrganisationKind(models.TextChoices):
    """docs roles.md: the organisations Bawaslu recommends to (and itself)."""

    BAWASLU_PROV = "bawaslu-prov", _("Bawaslu Provinsi")
    BAWASLU_KAB = "bawaslu-kab", _("Bawaslu Kabupaten/Kota")
    KPU = "kpu", _("KPU Provinsi / KPU Kabupaten/Kota")
    POLRI = "polri", _("Polda / Polres")
    TNI = "tni", _("Korem / Kodim")
    PEMDA = "pemda", _("Pemerintah daerah / Kesbangpol")
    PARPOL = "parpol", _("Partai politik / tim pasangan calon")
    MEDIA = "media", _("Media")
    MASYARAKAT = "masyarakat", _("Pemantau pemilu, ormas, akademisi")


class Organisation(models.Model):
    """One organisation (e.g. ``polda-jambi``, kind ``polri``).  A viewer whose profile names its
    code is that organisation's stakeholder user."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    region_code = models.CharField(max_length=20, blank=True, help_text="province or kab/kota it serves")

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_bawaslu(self) -> bool:
        return self.kind in (OrganisationKind.BAWASLU_PROV, OrganisationKind.BAWASLU_KAB)


class EditionRules(LoggedModel):
    """The edition's copy of the early-warning rules file; editable while the edition is a draft."""

    edition = models.OneToOneField("editions.Edition", on_delete=models.CASCADE, related_name="rules")
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    frozen_at = models.DateTimeField(null=True, blank=True)

    def audit_scope(self) -> dict:
        return {"edition": self.edition}


class AlertStatus(models.TextChoices):
    OPEN = "terbuka", _("Open")
    ACKNOWLEDGED = "diketahui", _("Acknowledged")
    ESCALATED = "dieskalasi", _("Escalated")
    CLOSED = "ditutup", _("Closed")


def _status_label(value: str) -> str:
    try:
        return str(AlertStatus(value).label)
    except ValueError:
        return value


class Alert(LoggedModel):
    """One alert: the rule, the region, the window, the events behind it and the numbers; once per
    rule, region and window (a unique constraint, so two workers cannot raise it twice)."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="alerts")
    rule_id = models.CharField(max_length=80)
    rule_name = models.CharField(max_length=300)
    rule_name_en = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=12)
    region_code = models.CharField(max_length=20)
    window = models.CharField(max_length=40)
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    event = models.ForeignKey("entry.EventRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    events = models.JSONField(default=list)  # ids of the events behind it (grows as events join)
    numbers = models.JSONField(default=dict)
    status = models.CharField(max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["edition", "rule_id", "region_code", "window"],
                                               name="one_alert_per_rule_region_window")]

    def audit_scope(self) -> dict:
        return {"edition": self.edition, "region_code": self.region_code}

    def rule_label(self, lang: str) -> str:
        return (self.rule_name_en if lang == "en" else "") or self.rule_name

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule_id, self.region_code, self.window)


class AlertNote(models.Model):
    """Acknowledge / escalate / close, with a note (also in the audit log)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    old = models.CharField(max_length=12)
    new = models.CharField(max_length=12)
    note = models.TextField()
    when = models.DateTimeField(auto_now_add=True)

    @property
    def old_label(self) -> str:
        """The status before, as the page says it (never the stored value "terbuka")."""
        return _status_label(self.old)

    @property
    def new_label(self) -> str:
        return _status_label(self.new)

    class Meta:
        ordering = ["when", "id"]


class Notification(models.Model):
    """One message in a user's inbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30)  # alert / submission.returned / submission.waiting / recommendation ...
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # the same in English (empty: the message has one text for both languages, e.g. a comment)
    title_en = models.CharField(max_length=300, blank=True)
    body_en = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="inbox_unread_idx")]

    def title_in(self, lang: str) -> str:
        return (self.title_en if lang == "en" else "") or self.title

    def body_in(self, lang: str) -> str:
        return (self.body_en if lang == "en" else "") or self.body


def new_secret() -> str:
    return secrets.token_hex(32)


class Webhook(models.Model):
    """An organisation's receiver: JSON POSTs signed with HMAC-SHA256 over the body."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=128, default=new_secret)
    kinds = models.JSONField(default=list, blank=True, help_text="event kinds sent; empty = all")
    active = models.BooleanField(default=True)
    # the demo's subscription (rawan demo's local receiver): disabled after a few failed attempts in a
    # row, so a server started without that receiver does not retry for it (delivery.py)
    demo = models.BooleanField(default=False)
    # the current outage: since when the receiver has not answered, and how many attempts failed in a
    # row (logged once when it starts, summarised when it ends); a note says why it was disabled
    failing_since = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)

    def wants(self, kind: str) -> bool:
        return self.active and (not self.kinds or kind in self.kinds or kind.split(".")[0] in self.kinds)


class DeliveryStatus(models.TextChoices):
    PENDING = "menunggu", _("Waiting")
    DELIVERED = "terkirim", _("Delivered")
    FAILED = "gagal", _("Failed")


class Delivery(models.Model):
    """One webhook message.  Marked delivered only after the receiver answered 2xx, so a worker
    that dies midway leaves it pending and it is sent again: at least once; ``delivery_id`` (in
    the ``X-Rawan-Delivery`` header and the body) lets the receiver drop the duplicates."""

    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=30)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]
