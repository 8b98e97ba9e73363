"""Build the region data shipped in ``rawan/data/`` from the source files described in its SOURCES.md.

    python -m rawan.regions.package_data ../shared/data      # developers only: `make package-data`

Writes, from a folder holding ``indonesia-wilayah.csv``, ``jambi-desa.geojson`` and
``indonesia-kabkota.geojson`` (the workspace's shared/data; SOURCES.md there tells where each came
from):

* ``wilayah-indonesia.csv.gz`` — the region list of all Indonesia, every level, unchanged, gzip'd;
* ``batas-15.npz`` — Jambi at every level: the desa layer cleaned as a coverage, kecamatan,
  kab/kota and province dissolved from it, each simplified for display (:func:`build_boundaries`);
* ``batas-indonesia.npz`` — the 514 kab/kota of Indonesia cleaned and simplified the same way,
  provinces dissolved from them (so every province outline is its kab/kota map's outline);

and copies the two licences.
"""

from __future__ import annotations

import gzip
import shutil
import sys
from pathlib import Path

from .defaults import SHIPPED_DIR, SHIPPED_NATIONAL_BOUNDARIES, SHIPPED_PROVINCE_BOUNDARIES, SHIPPED_REGIONS

SOURCES = {"regions": "indonesia-wilayah.csv", "jambi": "jambi-desa.geojson", "kabkota": "indonesia-kabkota.geojson"}
LICENCES = ("ODbL-1.0_idn-area-data.md", "MIT_cahyadsn-wilayah_boundaries.txt")
WHOLE_PROVINCES = {"15": SOURCES["jambi"]}  # provinces shipped at every level, from their desa layer


def build(source: str | Path, out: str | Path = SHIPPED_DIR) -> dict[str, int]:
    """Write the shipped files into ``out``; returns file name -> size in bytes."""
    import numpy as np

    from .boundaries import build_boundaries
    from .hierarchy import read_regions_csv
    from .importer import import_boundaries, read_features

    source, out = Path(source), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    raw = (source / SOURCES["regions"]).read_bytes()
    with open(out / SHIPPED_REGIONS, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0,
                                                                filename="") as gz:
        gz.write(raw)
    for prov, geojson in WHOLE_PROVINCES.items():
        regions = read_regions_csv(out / SHIPPED_REGIONS, province=prov)
        b = import_boundaries(source / geojson, regions=regions).boundaries
        b.source = f"{geojson} (cahyadsn/wilayah_boundaries, MIT)"
        b.save(out / SHIPPED_PROVINCE_BOUNDARIES.format(province=prov))
    codes, _names, geoms, _ = read_features(source / SOURCES["kabkota"])
    nat = build_boundaries(codes, np.asarray(geoms, dtype=object), "kabupaten_kota",
                           source=f"{SOURCES['kabkota']} (cahyadsn/wilayah_boundaries, MIT)")
    nat.save(out / SHIPPED_NATIONAL_BOUNDARIES)
    lic = out / "licenses"
    lic.mkdir(exist_ok=True)
    for name in LICENCES:
        shutil.copyfile(source / "licenses" / name, lic / name)
    return {p.name: p.stat().st_size for p in sorted(out.rglob("*")) if p.is_file()}


if __name__ == "__main__":  # pragma: no cover - a developer tool
    for name, size in build(sys.argv[1], *(sys.argv[2:3] or [])).items():
        print(f"{size:>10,}  {name}")
