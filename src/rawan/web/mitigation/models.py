"""Mitigation register (roles.md): Bawaslu's own supervision actions, with an owner, a person, a due
date and a status; and Bawaslu's recommendations to other organisations, with the follow-up that
those organisations' own users report (no deadlines imposed on them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..audit.models import LoggedModel


class ActionStatus(models.TextChoices):
    PLANNED = "rencana", _("Planned")
    RUNNING = "berjalan", _("Under way")
    DONE = "selesai", _("Done")
    CANCELLED = "batal", _("Cancelled")


OPEN_ACTION = (ActionStatus.PLANNED, ActionStatus.RUNNING)


class Action(LoggedModel):
    """A Bawaslu supervision action (patroli pengawasan, posko pengaduan, koordinasi, ...)."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="actions")
    region_code = models.CharField(max_length=20)
    tps_code = models.CharField(max_length=40, blank=True)
    tps = models.ForeignKey("tps.TpsStation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=40)  # an action id of the model's recommendation file
    title = models.CharField(max_length=300)
    owner_unit = models.CharField(max_length=200)  # e.g. "Bawaslu Kabupaten Kerinci", "Panwascam Gunung Raya"
    person = models.CharField(max_length=200)
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    evidence = models.FileField(upload_to="mitigasi/%Y/%m/", blank=True, max_length=300)
    note = models.TextField(blank=True)
    alert = models.ForeignKey("warnings.Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]

    def audit_scope(self) -> dict:
        return {"edition": self.edition, "region_code": self.region_code}

    def overdue(self, today) -> bool:
        return self.status in OPEN_ACTION and self.due_date < today


class RecommendationStatus(models.TextChoices):
    DRAFT = "draf", _("Draft")
    SENT = "terkirim", _("Sent")
    WITHDRAWN = "ditarik", _("Withdrawn")


class Recommendation(LoggedModel):
    """Bawaslu's recommendation to one organisation for one region (optionally a TPS, an indicator,
    a TPS variable or an alert).  Only sent recommendations are seen by the organisation."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="recommendations")
    organisation = models.ForeignKey("warnings.Organisation", on_delete=models.PROTECT, related_name="recommendations")
    region_code = models.CharField(max_length=20)
    tps_code = models.CharField(max_length=40, blank=True)
    tps = models.ForeignKey("tps.TpsStation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    indicator = models.CharField(max_length=40, blank=True)
    variable = models.CharField(max_length=60, blank=True)  # a TPS-rawan variable code
    alert = models.ForeignKey("warnings.Alert", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="recommendations")
    action_kind = models.CharField(max_length=40, blank=True)  # the recommendation file's action id, if any
    text = models.TextField()
    status = models.CharField(max_length=10, choices=RecommendationStatus.choices, default=RecommendationStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["region_code", "organisation__kind", "id"]

    def audit_scope(self) -> dict:
        return {"edition": self.edition, "region_code": self.region_code}


class FollowUp(models.Model):
    """What the organisation reports it did (self-reported; Bawaslu does not grade it)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="follow_ups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation_name = models.CharField(max_length=200)
    text = models.TextField()
    date = models.DateField()
    evidence = models.FileField(upload_to="tindak-lanjut/%Y/%m/", blank=True, max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
