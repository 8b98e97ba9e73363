"""Per-region indicator values of an edition: draft -> submitted -> verified (or returned)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..audit.models import LoggedModel


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    VERIFIED = "verified", _("Verified")


class Submission(LoggedModel):
    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="submissions")
    region_code = models.CharField(max_length=20)
    status = models.CharField(max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT)
    values = models.JSONField(default=dict, blank=True)  # {indicator code: number or None}
    notes = models.JSONField(default=dict, blank=True)  # {indicator code: source / evidence note}
    comment = models.TextField(blank=True)  # the verifier's comment when returned
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_code"]
        constraints = [models.UniqueConstraint(fields=["edition", "region_code"], name="one_submission_per_region")]

    def audit_scope(self) -> dict:
        return {"edition": self.edition, "region_code": self.region_code}

    @property
    def editable(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class EventStatus(models.TextChoices):
    """Review of an event recorded after publication (events before it are checked with their
    submission and keep the empty status)."""

    WITH_SUBMISSION = "", _("With its submission")
    PENDING = "menunggu", _("Waiting for verification")
    VERIFIED = "terverifikasi", _("Verified")
    REJECTED = "ditolak", _("Rejected")


class EventRecord(models.Model):
    """One event (kejadian) behind an indicator value: where, which indicator, how severe, when, source.

    Before publication events feed a submission's indicator values.  After publication they go on
    (``after_publication``): each names its election stage, may carry an evidence file (storage
    API), and is verified or rejected on its own; verified ones feed the live view and the
    early-warning rules (rawan.web.warnings)."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="events")
    region_code = models.CharField(max_length=20, help_text="the entry region (kab/kota or kecamatan)")
    place_code = models.CharField(max_length=20, blank=True, help_text="where inside it (kecamatan/desa), optional")
    indicator = models.CharField(max_length=40)
    severity = models.CharField(max_length=40)  # severity level code of the model
    weight = models.FloatField()  # its weight, frozen when recorded
    date = models.DateField()
    source = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # after publication
    after_publication = models.BooleanField(default=False)
    stage = models.CharField(max_length=40, blank=True)  # a stage code of the model (tahapan)
    tps_code = models.CharField(max_length=40, blank=True)  # the TPS, when the event happened at one
    tps = models.ForeignKey("tps.TpsStation", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")  # the registry's station, when the TPS is found there
    evidence = models.FileField(upload_to="kejadian/%Y/%m/", blank=True, max_length=300)
    status = models.CharField(max_length=16, choices=EventStatus.choices, default=EventStatus.WITH_SUBMISSION,
                              blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["edition", "after_publication", "status", "region_code"],
                                name="event_live_idx")]
