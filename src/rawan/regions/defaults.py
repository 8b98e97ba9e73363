"""Where the default region list and boundaries come from: the one discovery path.

Every command, the web app and the reports ask :func:`default_regions` and
:func:`default_boundaries` (through ``load_regions()`` / ``load_boundaries()`` without a path).
The places, first match wins:

1. ``$RAWAN_SHARED_DATA`` — a folder set on purpose for this process (a folder like the
   workspace's ``shared/data``: ``jambi-wilayah.csv`` or ``indonesia-wilayah.csv``, boundaries as
   ``batas-wilayah.npz`` or ``jambi-desa.geojson``);
2. the user data directory, ``<data dir>/wilayah/`` — what ``rawan data fetch`` and
   ``rawan regions import-boundaries`` write (``RAWAN_DATA_DIR`` moves it);
3. the data shipped inside the package (``rawan/data/``): the region list of all Indonesia (every
   level), Jambi's boundaries at every level, and the province and kab/kota boundaries of all
   Indonesia.  This is always there, so a fresh clone or a pip install needs nothing else.

A place is used only if it holds the province asked for: asking for province ``32`` when the user
data directory holds Jambi skips to the shipped data.  Without a province the default province is
that of the first region list found in places 1-2, else ``15`` (Jambi).  Boundaries are looked up
the same way, per province: the user's imported kecamatan boundaries of province 32 win over the
shipped kab/kota ones.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SHIPPED_DIR = Path(__file__).resolve().parents[1] / "data"
SHIPPED_REGIONS = "wilayah-indonesia.csv.gz"
SHIPPED_NATIONAL_BOUNDARIES = "batas-indonesia.npz"  # provinces and kab/kota of all Indonesia
SHIPPED_PROVINCE_BOUNDARIES = "batas-{province}.npz"  # every level, for the provinces shipped whole
DEFAULT_PROVINCE = "15"
ALL_PROVINCES = "*"  # a map of several provinces: the list of all Indonesia and its national boundaries
ENV = "RAWAN_SHARED_DATA"
FETCHED_SUBDIR = "wilayah"  # inside rawan.paths.data_dir(), written by `rawan data fetch`
LIST_FILES = ("jambi-wilayah.csv", "wilayah.csv", "indonesia-wilayah.csv", SHIPPED_REGIONS)
STORE_FILE = "batas-wilayah.npz"
DESA_GEOJSON = "jambi-desa.geojson"


@dataclass(frozen=True)
class Place:
    kind: str  # "env" | "user" | "shipped"
    directory: Path

    def __str__(self) -> str:
        return f"{self.directory} ({self.kind})"


def places() -> list[Place]:
    """The places searched, in order (see the module docstring)."""
    from ..paths import data_dir

    out = []
    if os.environ.get(ENV):
        out.append(Place("env", Path(os.environ[ENV])))
    out.append(Place("user", data_dir() / FETCHED_SUBDIR))
    out.append(Place("shipped", SHIPPED_DIR))
    return out


def list_files(directory: Path) -> list[Path]:
    """Region-list files in a folder, most specific first."""
    return [directory / n for n in LIST_FILES if (directory / n).is_file()]


def normalise_province(province: str | int | None) -> str | None:
    if province is None or str(province).strip() == "":
        return None
    from ..engine.codes import normalise_code
    from ..engine.errors import Problem
    from .messages import RegionError

    c = normalise_code(str(province).strip())
    if c is None or "." in c:
        raise RegionError(Problem("regions.bad_province", {"province": province}))
    return c


def default_province() -> str:
    """The province of the first region list found outside the package, else Jambi (15)."""
    from .hierarchy import read_regions_file

    for place in places():
        if place.kind == "shipped":
            break
        for f in list_files(place.directory):
            roots = read_regions_file(f).roots()
            if len(roots) == 1:
                return roots[0].code
    return DEFAULT_PROVINCE


def default_regions(province: str | int | None = None):
    """The region list of ``province`` (default: :func:`default_province`) from the first place holding it."""
    from ..engine.errors import Problem
    from .hierarchy import read_regions_file
    from .messages import RegionError

    national = province == ALL_PROVINCES
    prov = ALL_PROVINCES if national else (normalise_province(province) or default_province())
    looked = []
    for place in places():
        for f in list_files(place.directory):
            looked.append(str(f))
            regions = read_regions_file(f, province=None if national else prov)
            if (len(regions.roots()) > 1) if national else (prov in regions):
                return regions
    raise RegionError(Problem("regions.not_found", {"province": prov, "places": ", ".join(looked) or "-"}))


def default_boundaries(province: str | int | None = None):
    """The boundaries of ``province`` from the first place holding any, or None (maps use tiles)."""
    from .boundaries import load_store, from_source_file

    national = province == ALL_PROVINCES
    prov = ALL_PROVINCES if national else (normalise_province(province) or default_province())
    for place in places():
        d = place.directory
        if place.kind == "shipped":
            candidates = [d / SHIPPED_NATIONAL_BOUNDARIES] if national else [
                d / SHIPPED_PROVINCE_BOUNDARIES.format(province=prov), d / SHIPPED_NATIONAL_BOUNDARIES]
        else:
            candidates = [d / STORE_FILE, d / DESA_GEOJSON]
        for f in candidates:
            if not f.is_file():
                continue
            b = load_store(f) if f.suffix == ".npz" else from_source_file(f)
            if national and b.has("provinsi") and len(b.layer("provinsi").codes) > 1:
                return b
            if not national and b.covers(prov):
                return b.within(prov)
    return None

