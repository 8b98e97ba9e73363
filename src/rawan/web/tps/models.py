"""TPS editions: the registry of one election's polling stations, the PKD's checklists on them
(one row per TPS, versioned), every save received (each once, by its id), and the state of each
desa's report.

A TPS edition is an ``editions.Edition`` (status, window, source, DATA CONTOH flag, audit log)
with a ``TpsEdition`` beside it; the index pages never show it (``access.edition_for``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TpsEdition(models.Model):
    edition = models.OneToOneField("editions.Edition", primary_key=True, on_delete=models.CASCADE,
                                   related_name="tps")
    election = models.CharField(max_length=40, help_text="pilkada-2024, pemilu-2024, ...")
    # a results-only edition: the figures as published (rawan.tps's packaged file), with sources
    published = models.JSONField(default=dict, blank=True)
    # the IKP edition whose book carries this collection's TPS chapter (its counts and state)
    book_edition = models.ForeignKey("editions.Edition", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="tps_for_book")

    def __str__(self) -> str:
        return self.edition.slug

    @property
    def slug(self) -> str:
        return self.edition.slug

    @property
    def results_only(self) -> bool:
        return self.edition.results_only

    @property
    def synthetic(self) -> bool:
        return self.edition.synthetic


class TpsStation(models.Model):
    """One TPS of the election (desa code + number) and its current checklist."""

    edition = models.ForeignKey(TpsEdition, on_delete=models.CASCADE, related_name="stations")
    desa_code = models.CharField(max_length=20)
    kecamatan_code = models.CharField(max_length=20)
    kabkota_code = models.CharField(max_length=20)
    number = models.PositiveIntegerField()
    address = models.CharField(max_length=300, blank=True)
    dpt = models.PositiveIntegerField(default=0)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    special = models.BooleanField(default=False, help_text="TPS lokasi khusus")
    # the checklist: the indicator codes answered "ya", a note per yes, an optional photo (storage API)
    answers = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=dict, blank=True)
    photo = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0, help_text="0: no checklist saved yet")
    saved_at = models.DateTimeField(null=True, blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        ordering = ["desa_code", "number"]
        constraints = [models.UniqueConstraint(fields=["edition", "desa_code", "number"], name="one_tps_per_number")]
        indexes = [models.Index(fields=["edition", "kecamatan_code"]), models.Index(fields=["edition", "kabkota_code"])]

    @property
    def label(self) -> str:
        return f"TPS {self.number:03d}"  # as KPU writes it (rawan.tps.tables.tps_label)


class ReportStatus(models.TextChoices):
    NOT_YET = "belum", _("Not reported yet")
    PARTIAL = "sebagian", _("Partly reported")
    REPORTED = "lapor", _("Reported")
    NONE = "tidak_ada", _("No vulnerability in this desa")
    RETURNED = "kembali", _("Returned with a comment")


class DesaReport(models.Model):
    """Where a desa's reporting stands; "tidak ada" (nothing found) differs from "belum" (not yet)."""

    edition = models.ForeignKey(TpsEdition, on_delete=models.CASCADE, related_name="desa_reports")
    desa_code = models.CharField(max_length=20)
    desa_name = models.CharField(max_length=200)
    kecamatan_code = models.CharField(max_length=20)
    kabkota_code = models.CharField(max_length=20)
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.NOT_YET)
    comment = models.TextField(blank=True)  # the supervisor's comment when returned
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["desa_code"]
        constraints = [models.UniqueConstraint(fields=["edition", "desa_code"], name="one_report_per_desa")]
        indexes = [models.Index(fields=["edition", "kecamatan_code"]), models.Index(fields=["edition", "status"])]


class SaveOutcome(models.TextChoices):
    APPLIED = "applied", _("Saved")
    CONFLICT = "conflict", _("Conflict: waiting for the supervisor")
    KEPT = "kept", _("Conflict: the newer checklist was kept")
    TAKEN = "taken", _("Conflict: this checklist was taken")


class TpsSave(models.Model):
    """Every checklist save received, once (``save_id`` is made by the phone, so a save sent again
    after a lost answer is recognised and answered as the first time).  A save made on an older
    version than the TPS's current one is kept here as a conflict and changes nothing until a
    supervisor chooses."""

    edition = models.ForeignKey(TpsEdition, on_delete=models.CASCADE, related_name="saves")
    station = models.ForeignKey(TpsStation, on_delete=models.CASCADE, related_name="saves")
    save_id = models.UUIDField(unique=True)
    base_version = models.PositiveIntegerField()
    version = models.PositiveIntegerField(help_text="the TPS's version after this save (conflicts: the current one)")
    outcome = models.CharField(max_length=10, choices=SaveOutcome.choices)
    answers = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=dict, blank=True)
    photo = models.CharField(max_length=300, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["edition", "outcome"])]


class OneTimePassword(models.Model):
    """The first password of an account made in bulk: random (96 bits), stored as its SHA-256 (like
    API tokens: a high-entropy secret needs no slow hash, so a thousand accounts are made in
    seconds), accepted once; the first login then asks for the user's own password."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="onetime")
    digest = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)
