"""The seeded Jambi demo dataset: SYNTHETIC indicator values ("DATA CONTOH").

Region codes and names are real (Kemendagri codes); every indicator value is
invented by a seeded random generator and is *not* Bawaslu data.

How the values are made (documented in docs/demo.md):

* each kab/kota gets a latent vulnerability level (log-normal) and a size;
* each IKP indicator gets a base event rate; rates per dimension follow the
  order of the published national dimension averages (penyelenggaraan >
  sospol > kontestasi > partisipasi), many indicators are rare events;
* a kab/kota value is a Poisson event count with mean
  ``rate * vulnerability * size``;
* the kab/kota count is split among its kecamatan (multinomial with random
  kecamatan shares), so kecamatan values add up to their kab/kota;
* about 1% of kecamatan values are then blanked, as unreported data.

With no region list at hand the 11 kab/kota below (facts: Kemendagri codes and
names) still give the kab/kota dataset; the kecamatan dataset needs
``jambi-wilayah.csv``.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..engine.data import SYNTHETIC_COLUMN, SYNTHETIC_MARK

JAMBI_KABKOTA = [
    ("15.01", "Kabupaten Kerinci"),
    ("15.02", "Kabupaten Merangin"),
    ("15.03", "Kabupaten Sarolangun"),
    ("15.04", "Kabupaten Batanghari"),
    ("15.05", "Kabupaten Muaro Jambi"),
    ("15.06", "Kabupaten Tanjung Jabung Barat"),
    ("15.07", "Kabupaten Tanjung Jabung Timur"),
    ("15.08", "Kabupaten Bungo"),
    ("15.09", "Kabupaten Tebo"),
    ("15.71", "Kota Jambi"),
    ("15.72", "Kota Sungai Penuh"),
]
WILAYAH_FILE = "jambi-wilayah.csv"
DEFAULT_SEED = 2024
# relative event rates per dimension (ordering from the national IKP 2024 averages)
DIMENSION_RATE = {"penyelenggaraan": 1.0, "sospol": 0.75, "kontestasi": 0.6, "partisipasi": 0.15}


@dataclass
class Region:
    code: str
    name: str
    parent: str | None


def find_shared_data(explicit: str | Path | None = None) -> Path | None:
    """The directory holding jambi-wilayah.csv: given, $RAWAN_SHARED_DATA, or ../shared/data."""
    candidates = []
    if explicit:
        p = Path(explicit)
        candidates.append(p.parent if p.is_file() else p)
    if os.environ.get("RAWAN_SHARED_DATA"):
        candidates.append(Path(os.environ["RAWAN_SHARED_DATA"]))
    candidates += [Path.cwd() / ".." / "shared" / "data",
                   Path(__file__).resolve().parents[3] / ".." / "shared" / "data"]
    for c in candidates:
        if (c / WILAYAH_FILE).is_file():
            return c.resolve()
    return None


def load_wilayah(directory: Path) -> tuple[list[Region], list[Region]]:
    """Kab/kota and kecamatan of ``jambi-wilayah.csv``."""
    kab, kec = [], []
    with open(directory / WILAYAH_FILE, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["level"] == "kabupaten_kota":
                kab.append(Region(row["code"], row["name"], row["parent_code"]))
            elif row["level"] == "kecamatan":
                kec.append(Region(row["code"], row["name"], row["parent_code"]))
    return kab, kec


@dataclass
class DemoData:
    indicators: list[str]
    kabkota: list[Region]
    kabkota_values: np.ndarray
    kecamatan: list[Region]
    kecamatan_values: np.ndarray | None


def generate(spec, kabkota: list[Region] | None = None, kecamatan: list[Region] | None = None,
             seed: int = DEFAULT_SEED, missing_share: float = 0.01) -> DemoData:
    """Synthetic values for every indicator of ``spec`` (an IKP-shaped model)."""
    rng = np.random.default_rng(seed)
    tree = spec.tree
    indicators = tree.indicators
    kabkota = kabkota or [Region(c, n, "15") for c, n in JAMBI_KABKOTA]
    # dimension of each indicator: its ancestor just below the root
    dims = []
    for code in indicators:
        anc = [code] + tree.ancestors(code)
        dims.append(anc[-2] if len(anc) >= 2 else code)
    dim_rate = np.array([DIMENSION_RATE.get(d, 0.5) for d in dims])
    rare = rng.random(len(indicators)) < 0.35  # a third of indicators rarely occur
    base = dim_rate * np.where(rare, rng.uniform(0.05, 0.3, len(indicators)),
                               rng.uniform(0.6, 3.0, len(indicators)))
    vulnerability = rng.lognormal(mean=0.0, sigma=0.55, size=len(kabkota))
    size = rng.uniform(0.6, 1.6, size=len(kabkota))
    lam = np.outer(vulnerability * size, base)
    kab_values = rng.poisson(lam).astype(float)
    kec_values = None
    if kecamatan:
        kec_values = np.zeros((len(kecamatan), len(indicators)))
        for k, kab in enumerate(kabkota):
            rows = [i for i, r in enumerate(kecamatan) if r.parent == kab.code]
            if not rows:
                continue
            share = rng.dirichlet(np.full(len(rows), 2.0))
            for j in range(len(indicators)):
                kec_values[rows, j] = rng.multinomial(int(kab_values[k, j]), share)
        blank = rng.random(kec_values.shape) < missing_share
        kec_values[blank] = np.nan
    return DemoData(indicators, kabkota, kab_values, kecamatan or [], kec_values)


def write_csv(path: Path, regions: list[Region], indicators: list[str], values: np.ndarray) -> Path:
    """One row per region, with the DATA CONTOH mark on every row."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", SYNTHETIC_COLUMN] + indicators)
        for r, row in zip(regions, values):
            w.writerow([r.code, r.name, SYNTHETIC_MARK]
                       + ["" if np.isnan(v) else str(int(v)) for v in row])
    tmp.replace(path)
    return path


def build(spec, out: str | Path, regions: str | Path | None = None, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the demo datasets into ``out``; returns the files written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    directory = find_shared_data(regions)
    kab = kec = None
    if directory is not None:
        kab, kec = load_wilayah(directory)
    demo = generate(spec, kab, kec, seed=seed)
    written = [write_csv(out / "jambi-kabkota.csv", demo.kabkota, demo.indicators, demo.kabkota_values)]
    if demo.kecamatan_values is not None:
        written.append(write_csv(out / "jambi-kecamatan.csv", demo.kecamatan, demo.indicators,
                                 demo.kecamatan_values))
    return written
