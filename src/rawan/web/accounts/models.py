"""Roles, the failed-login counter (lock-out) and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Province administrator")
    OPERATOR = "operator", _("Kab/kota operator")
    VERIFIER = "verifier", _("Verifier")
    VIEWER = "viewer", _("Stakeholder viewer")
    PANWASCAM = "panwascam", _("Panwascam (kecamatan)")
    PKD = "pkd", _("PKD (desa/kelurahan supervisor)")


class Profile(models.Model):
    """A user's role and, for an operator, the kab/kota (Kemendagri code) they work for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=16, choices=Role.choices)
    region_code = models.CharField(max_length=20, blank=True, help_text="kab/kota of an operator (15.01), kecamatan of a panwascam, desa of a pkd")
    organisation = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.user.username} ({self.role} {self.region_code})".strip()


class LoginFailure(models.Model):
    """Consecutive failed logins per username; reaching the limit locks the account for a while."""

    username = models.CharField(max_length=150, unique=True)
    count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure = models.DateTimeField(auto_now=True)


READ, WRITE = "read", "write"
ALL_EDITIONS = "*"


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored, the token is shown once.

    ``scopes`` maps an edition slug (or ``"*"`` for every edition) to ``"read"`` or ``"write"``:
    a token reaches only the editions it names (others: 404), writes only where it says
    ``write`` (else 403), and never more than its user's role allows.  It stops working when it
    expires or is revoked (401)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)
    scopes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @classmethod
    def issue(cls, user, name: str = "", *, days: int = 90, scopes: dict | None = None) -> tuple["ApiToken", str]:
        from datetime import timedelta

        from django.utils import timezone

        token = "rwn_" + secrets.token_urlsafe(32)
        scopes = {ALL_EDITIONS: WRITE} if scopes is None else scopes
        return cls.objects.create(user=user, name=name, digest=cls.digest_of(token), scopes=scopes,
                                  expires=timezone.now() + timedelta(days=days)), token

    @property
    def usable(self) -> bool:
        from django.utils import timezone

        return self.revoked is None and (self.expires is None or self.expires > timezone.now())

    def level(self, slug: str) -> str | None:
        """``read``, ``write`` or None (no access) for an edition."""
        return self.scopes.get(slug) or self.scopes.get(ALL_EDITIONS)
