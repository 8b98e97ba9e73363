"""Matching region names across the usual spelling variants.

Kemendagri spells "Batanghari", "Muaro Jambi", "Tanjung Jabung Barat"; KPU, BPS and news write
"Batang Hari", "Muarojambi", "Tanjab Barat"/"Tanjabbar", with or without "Kab."/"Kabupaten"/"Kota".
:func:`name_key` maps all of them to one key; :func:`name_prefix_type` keeps what the prefix said
("Kota Jambi" is the city, not the province).
"""

from __future__ import annotations

import re
import unicodedata

_PREFIX = re.compile(r"^\s*(kabupaten|kab\.?|kota|kec\.?|kecamatan|desa|kelurahan|kel\.?|provinsi|prov\.?)\s+",
                     re.IGNORECASE)
_PREFIX_TYPE = {"kabupaten": "kabupaten", "kab": "kabupaten", "kota": "kota", "kec": "kecamatan",
                "kecamatan": "kecamatan", "desa": "desa", "kelurahan": "kelurahan", "kel": "kelurahan",
                "provinsi": "provinsi", "prov": "provinsi"}
# (pattern on the squeezed key, replacement): abbreviations and spelling variants seen in KPU/BPS/news
_VARIANTS = [
    (re.compile(r"^tanjab(bar|barat)$"), "tanjungjabungbarat"),
    (re.compile(r"^tanjab(tim|timur)$"), "tanjungjabungtimur"),
    (re.compile(r"^tanjungjabungbar$"), "tanjungjabungbarat"),
    (re.compile(r"^tanjungjabungtim$"), "tanjungjabungtimur"),
    (re.compile(r"^tanjab"), "tanjungjabung"),
    (re.compile(r"bathin"), "batin"),
    (re.compile(r"muaro"), "muara"),
]


def _squeeze(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", text.lower())


def name_prefix_type(name: str) -> str | None:
    """The region type a prefix names ("Kota Jambi" -> "kota"), else None."""
    m = _PREFIX.match(name)
    return _PREFIX_TYPE[m.group(1).lower().rstrip(".")] if m else None


def name_key(name: str) -> str:
    """One key for the spelling variants of a name (case, spaces, prefixes, abbreviations)."""
    key = _squeeze(_PREFIX.sub("", str(name).strip(), count=1))
    for pattern, repl in _VARIANTS:
        key = pattern.sub(repl, key)
    return key
