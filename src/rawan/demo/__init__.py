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
* about 1% of kecamatan values are then blanked, as unreported data;
* when desa/kelurahan are given, each kecamatan count (before blanking) is split
  among its desa the same way, so desa values add up to their kecamatan, and
  about 1% of desa values are blanked.

The regions come from the default region list (shipped with rawan, see
``rawan.regions.defaults``) or a list given as ``regions``; the 11 kab/kota below
(facts: Kemendagri codes and names) serve ``generate`` when it is given none.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
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
DEFAULT_SEED = 2024
# relative event rates per dimension (ordering from the national IKP 2024 averages)
DIMENSION_RATE = {"penyelenggaraan": 1.0, "sospol": 0.75, "kontestasi": 0.6, "partisipasi": 0.15}


@dataclass
class Region:
    code: str
    name: str
    parent: str | None


def load_wilayah(regions: str | Path | None = None) -> tuple[list[Region], list[Region]]:
    """Kab/kota and kecamatan of Jambi: from ``regions`` (a region-list CSV or folder) or the default list."""
    from ..regions import load_regions

    rs = load_regions(regions, province="15")
    kab = [Region(r.code, r.name, r.parent) for r in rs.at_level("kabupaten_kota")]
    kec = [Region(r.code, r.name, r.parent) for r in rs.at_level("kecamatan")]
    return kab, kec


def load_desa(regions: str | Path | None = None) -> list[Region]:
    """Desa/kelurahan of Jambi: from ``regions`` (a region-list CSV or folder) or the default list."""
    from ..regions import load_regions

    return [Region(r.code, r.name, r.parent) for r in load_regions(regions, province="15").at_level("desa_kelurahan")]


def _split(rng, counts: np.ndarray, parents: list[Region], children: list[Region]) -> np.ndarray:
    """Each parent's counts (one row per parent) split among its children: multinomial with Dirichlet shares."""
    out = np.zeros((len(children), counts.shape[1]))
    rows_of: dict[str, list[int]] = {}
    for i, r in enumerate(children):
        rows_of.setdefault(r.parent, []).append(i)
    for k, parent in enumerate(parents):
        rows = rows_of.get(parent.code)
        if not rows:
            continue
        share = rng.dirichlet(np.full(len(rows), 2.0))
        out[rows, :] = rng.multinomial(counts[k].astype(np.int64), share).T  # (indicators, children) -> T
    return out


@dataclass
class DemoData:
    indicators: list[str]
    kabkota: list[Region]
    kabkota_values: np.ndarray
    kecamatan: list[Region]
    kecamatan_values: np.ndarray | None
    desa: list[Region] = field(default_factory=list)
    desa_values: np.ndarray | None = None


def generate(spec, kabkota: list[Region] | None = None, kecamatan: list[Region] | None = None,
             seed: int = DEFAULT_SEED, missing_share: float = 0.01, desa: list[Region] | None = None) -> DemoData:
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
        kec_counts = kec_values.copy()
        blank = rng.random(kec_values.shape) < missing_share
        kec_values[blank] = np.nan
    desa_values = None
    if desa and kecamatan:  # drawn after the kecamatan: kab/kota and kecamatan values do not change
        desa_values = _split(rng, kec_counts, kecamatan, desa)
        desa_values[rng.random(desa_values.shape) < missing_share] = np.nan
    return DemoData(indicators, kabkota, kab_values, kecamatan or [], kec_values, desa or [], desa_values)


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
    kab, kec = load_wilayah(regions)
    demo = generate(spec, kab, kec, seed=seed)
    written = [write_csv(out / "jambi-kabkota.csv", demo.kabkota, demo.indicators, demo.kabkota_values)]
    if demo.kecamatan_values is not None:
        written.append(write_csv(out / "jambi-kecamatan.csv", demo.kecamatan, demo.indicators,
                                 demo.kecamatan_values))
    return written
