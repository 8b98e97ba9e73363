"""Kemendagri region-code shapes (``15``, ``15.01``, ``15.01.01``, ``15.01.01.2001``).

Pure functions on strings, shared by the engine (to pick the category rule of
the region level) and by ``rawan.regions``.
"""

from __future__ import annotations

import re

LEVEL_BY_PARTS = {1: "provinsi", 2: "kabupaten_kota", 3: "kecamatan", 4: "desa_kelurahan"}
_DOTTED = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_PLAIN = re.compile(r"^\d{2}(\d{2}(\d{2}(\d{4})?)?)?$")


def normalise_code(code: str) -> str | None:
    """Dotted Kemendagri code, or None when ``code`` is not one.

    Codes written without dots (``1501``, ``150101``, ``1501012001``) are accepted.
    """
    c = str(code).strip()
    if _DOTTED.match(c):
        return c
    if _PLAIN.match(c):
        parts = [c[0:2], c[2:4], c[4:6], c[6:10]]
        return ".".join(p for p in parts if p)
    return None


def level_of_code(code: str) -> str | None:
    c = normalise_code(code)
    return None if c is None else LEVEL_BY_PARTS[c.count(".") + 1]


def infer_region_level(codes: list[str]) -> str | None:
    """The one Kemendagri level all ``codes`` share, else None."""
    levels = {level_of_code(c) for c in codes}
    if len(levels) == 1:
        (level,) = levels
        return level
    return None
