"""What a user is: one place that turns a request user into a role and a scope."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Role

PUBLIC = "public"
BOUND_ROLES = (Role.OPERATOR, Role.PANWASCAM, Role.PKD)  # roles bound to one region and its units
FIELD_ROLES = (Role.PANWASCAM, Role.PKD)  # TPS collection only: read-only on the index editions


@dataclass(frozen=True)
class Who:
    role: str  # admin / operator / verifier / viewer / public
    region: str = ""  # operator's kab/kota, panwascam's kecamatan, pkd's desa/kelurahan code

    @property
    def internal(self) -> bool:
        return self.role != PUBLIC

    def covers(self, region_code: str) -> bool:
        """Whether this user may see/enter data for a region (operators: own kab/kota and below;
        panwascam: own kecamatan and below; pkd: own desa/kelurahan)."""
        if self.role in BOUND_ROLES:
            return bool(self.region) and (region_code == self.region or region_code.startswith(self.region + "."))
        return self.role in (Role.ADMIN, Role.VERIFIER, Role.VIEWER)


def who(user) -> Who:
    if user is None or not user.is_authenticated or not user.is_active:
        return Who(PUBLIC)
    if user.is_superuser:
        return Who(Role.ADMIN)
    profile = getattr(user, "profile", None)
    if profile is None:
        return Who(PUBLIC)
    return Who(profile.role, profile.region_code)
