"""Mapping editions, their results, and the frozen bundle of a published edition."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ...vocabulary import SYNTHETIC_MARK
from ..audit.models import LoggedModel


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COLLECTING = "pengumpulan", _("Data collection")
    VERIFYING = "verifikasi", _("Verification")
    PUBLISHED = "terbit", _("Published")
    ARCHIVED = "arsip", _("Archived")


# the workflow: forward one step, or back one step while not yet published
TRANSITIONS = {
    Status.DRAFT: [Status.COLLECTING],
    Status.COLLECTING: [Status.VERIFYING, Status.DRAFT],
    Status.VERIFYING: [Status.COLLECTING],  # forward to "terbit" only through publish()
    Status.PUBLISHED: [Status.ARCHIVED],
    Status.ARCHIVED: [],
}
PUBLIC_STATUSES = (Status.PUBLISHED, Status.ARCHIVED)


class Edition(LoggedModel):
    """One mapping exercise: a frozen model file, a level, a region scope, a window and a status.

    A results-only edition keeps published scores and categories (``ResultRow``) with their
    source and confidence tag, without indicator data.
    """

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    results_only = models.BooleanField(default=False)
    synthetic = models.BooleanField(default=False, help_text=f"values are {SYNTHETIC_MARK} (synthetic)")
    # the methodology, frozen with the edition (empty for results-only editions)
    model_id = models.CharField(max_length=80, blank=True)
    model_yaml = models.TextField(blank=True)
    model_sha256 = models.CharField(max_length=64, blank=True)
    level = models.CharField(max_length=20, default="kabupaten_kota")
    # how typed numbers are read (entry form, API, uploads without a declaration): rawan.engine.numbers
    locale = models.CharField(max_length=2, default="id", choices=[("id", "Indonesia (1.234,5)"),
                                                                   ("en", "English (1,234.5)")])
    scope_code = models.CharField(max_length=20, default="15", help_text="province, or the kab/kota of a kecamatan edition")
    regions = models.JSONField(default=list, help_text="[[code, name], ...] of the units, frozen")
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    # where the figures come from (results-only editions) and how to read their scale
    source = models.TextField(blank=True)
    source_en = models.TextField(blank=True)  # the same in English; empty: shown in Indonesian, said so
    source_urls = models.JSONField(default=list, blank=True)
    confidence = models.CharField(max_length=4, blank=True, help_text="C / S / X / I")
    scale_note = models.TextField(blank=True)
    scale_note_en = models.TextField(blank=True)
    # history: earlier edition to compare with; correction chain
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    version = models.PositiveIntegerField(default=1)
    change_note = models.TextField(blank=True)
    # what classes are computed against: empty = the model's own constants (goalposts, fixed
    # cut-offs); else another edition (e.g. the province-wide one) whose stored reference is frozen
    # into reference_json when this edition is computed (docs/reference.md)
    reference = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reference_json = models.TextField(blank=True, editable=False)
    # results and publication
    computed_at = models.DateTimeField(null=True, blank=True)
    computed_inputs = models.TextField(blank=True, editable=False)  # the verified CSV the preview used
    published_at = models.DateTimeField(null=True, blank=True)
    bundle = models.BinaryField(null=True, blank=True, editable=False)
    bundle_sha256 = models.CharField(max_length=64, blank=True)
    rawan_version = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> dict:
        return {"edition": self}

    def title_in(self, lang: str) -> str:
        return (self.title_en if lang == "en" else "") or self.title

    def source_in(self, lang: str) -> tuple[str, str]:
        """(text, its language): the English source text for "en" when there is one, else the
        Indonesian one with "id" (the page then says it is available in Indonesian only)."""
        if lang == "en" and self.source_en:
            return self.source_en, "en"
        return self.source, "id"

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def region_names(self) -> dict[str, str]:
        return {c: n for c, n in self.regions}


class ResultRow(models.Model):
    """A region's score, rank and category in an edition (computed, or as published)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="results")
    region_code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20)
    score = models.FloatField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    category = models.CharField(max_length=16, blank=True)
    dimensions = models.JSONField(default=dict, blank=True)  # {dimension code: score}
    completeness = models.FloatField(null=True, blank=True)
    note = models.TextField(blank=True)  # e.g. "[X] 41,36 in other sources", "[I] inferred"

    class Meta:
        ordering = ["rank", "region_code"]
        constraints = [models.UniqueConstraint(fields=["edition", "region_code"], name="one_result_per_region")]
