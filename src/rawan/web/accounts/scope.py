"""A user's role and region, chosen explicitly and checked as a pair; the region found by a
server-side search (a desa is one of ~83,000: never an 83,000-option list in the page)."""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import gettext as _

from ...engine.spec import REGION_LEVELS
from .models import Role

# the level of the region each role is bound to (None: the whole installation, no region)
ROLE_LEVEL = {Role.ADMIN: None, Role.VERIFIER: None, Role.VIEWER: None, Role.OPERATOR: "kabupaten_kota",
              Role.PANWASCAM: "kecamatan", Role.PKD: "desa_kelurahan"}
LEVEL_WORD = {"kabupaten_kota": "kab/kota", "kecamatan": "kecamatan", "desa_kelurahan": "desa/kelurahan"}
SEARCH_LIMIT = 20


@lru_cache(maxsize=1)
def _regions():
    from ...regions import RegionError, load_regions

    try:
        return load_regions()
    except RegionError:
        return None


@lru_cache(maxsize=8)
def _index(level: str) -> list[tuple[str, str, str]]:
    """(code, name, lower-case search key) of every region at ``level``."""
    regions = _regions()
    if regions is None:
        from ...demo import JAMBI_KABKOTA

        return [(c, n, f"{c} {n}".lower()) for c, n in JAMBI_KABKOTA] if level == "kabupaten_kota" else []
    return [(r.code, r.name, f"{r.code} {r.name}".lower()) for r in regions.at_level(level)]


def search(query: str, level: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    """Regions at ``level`` whose code or name contains every word of ``query`` (at most ``limit``)."""
    words = query.lower().split()[:5]
    if not words or level not in REGION_LEVELS:  # an unknown level finds nothing (never a 500)
        return []
    out = []
    for code, name, key in _index(level):
        if all(w in key for w in words):
            out.append({"code": code, "name": name})
            if len(out) >= limit:
                break
    return out


@lru_cache(maxsize=8)
def _names(level: str) -> dict[str, str]:
    return {c: n for c, n, _k in _index(level)}


def region_name(code: str, level: str) -> str | None:
    return _names(level).get(code)


def check_role_region(role: str, region: str) -> list[str]:
    """What is wrong with this role and region as a pair (empty list: fine)."""
    if role not in Role.values:
        return [_("Choose a role.")]
    level = ROLE_LEVEL[Role(role)]
    if level is None:
        if region:
            return [_("The role %(role)s covers the whole province: leave the region empty.")
                    % {"role": Role(role).label}]
        return []
    if not region:
        if role == Role.OPERATOR:
            return [_("An operator needs the kab/kota they work for: search it by name or code.")]
        return [_("The role %(role)s needs the %(level)s it works for: search it by name or code.")
                % {"role": Role(role).label, "level": LEVEL_WORD[level]}]
    if region_name(region, level) is None:
        if level == "kabupaten_kota":
            return [_("%(code)s is not a kab/kota code of this installation.") % {"code": region[:40]}]
        return [_("%(code)s is not a %(level)s code of this installation.")
                % {"code": region[:40], "level": LEVEL_WORD[level]}]
    return []
