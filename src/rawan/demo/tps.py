"""Seeded synthetic TPS registries (rawan.demo.tps) and checklists: every row is DATA CONTOH (not Bawaslu or KPU data).

    registry, checklist = jambi_pilkada()             # ~5,750 TPS over Jambi's 1,585 desa
    registry, checklist = national(n_tps=426_000)     # all Indonesia, 83,762 desa of the shipped list

How the data are made (docs/tps.md, "Data contoh"):

* every desa/kelurahan of the region list gets at least one TPS; the rest of ``n_tps`` is spread over
  the desa in proportion to a log-normal size (kelurahan three times larger on average);
* each TPS gets a DPT drawn around ``mean_voters`` (default 470, Jambi's DPT per TPS [I], domain.md 7.1)
  and capped at the election's limit (600 for Pilkada 2024, 300 for Pemilu 2024); about 0.3% are
  special-location TPS (prison, hospital);
* the coordinates of about 60% of the TPS are a point inside their desa's boundary, jittered, when
  the boundaries of that province are shipped (Jambi); otherwise none;
* each indicator has a base rate (the shape of Bawaslu Jambi's 23 Nov 2024 release for the frequent
  ones: disability, TMS, DPTb, KPPS outside their TPS, internet, DPK, electricity; rare events
  otherwise), multiplied by a log-normal factor per kab/kota and per desa, so regions differ;
  the special-location indicator follows the registry's flag;
* a factor per TPS (log-normal) makes several indicators meet at the same TPS;
* every yes answer carries a short note ("catatan contoh PKD"); the registry rows say DATA CONTOH.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..vocabulary import SYNTHETIC_MARK
from ..tps.model import TpsModel, load_tps_model
from ..tps.tables import Checklist, Registry

DEFAULT_SEED = 2024
JAMBI_TPS = 5750  # ~ DPT 2.695.348 / 470 [I] (domain.md 7.1)
NATIONAL_TPS = 426_000  # Pilkada 2024, about (issue 16)
# base share of TPS per indicator, by the indicator's short Indonesian label (falls back to RARE)
BASE_RATE = {
    "Pemilih disabilitas di DPT": 0.30, "Pemilih DPT TMS": 0.22, "Pemilih pindahan (DPTb)": 0.21,
    "KPPS pemilih di luar domisili TPS": 0.12, "Kendala internet": 0.10, "Potensi DPK": 0.055,
    "Kendala listrik": 0.05, "Rawan bencana": 0.03, "Dekat lembaga pendidikan": 0.02,
    "Sulit dijangkau": 0.02, "Dekat rumah paslon/posko": 0.02, "Dekat posko/rumah tim kampanye": 0.02,
    "Pemberian uang/materi di sekitar TPS": 0.012, "Riwayat kekurangan/kelebihan logistik": 0.01,
    "Riwayat keterlambatan logistik": 0.008, "Riwayat kerusakan logistik": 0.006,
    "Dekat tambang/pabrik": 0.01, "Riwayat PSU/PSSU": 0.004,
}
RARE = 0.003
NOTE = "catatan contoh PKD"


def _regions(province: str):
    from ..regions import load_regions

    return load_regions(province=province)


def _desa_points(codes: list[str], province: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A point inside each desa (NaN where the desa has no shipped boundary)."""
    lat = np.full(len(codes), np.nan)
    lon = np.full(len(codes), np.nan)
    from ..engine.errors import RawanError

    try:  # rawan[maps]; without it (the light core) the TPS have no coordinates
        import shapely

        from ..regions import load_boundaries

        b = load_boundaries(province=province)
    except (ImportError, RawanError):
        return lat, lon
    if b is None or not b.has("desa_kelurahan"):
        return lat, lon
    layer = b.layer("desa_kelurahan")
    geoms = np.array([layer.get(c) for c in codes], dtype=object)
    have = np.array([g is not None for g in geoms])
    if have.any():
        pts = shapely.point_on_surface(geoms[have])
        lon[have] = shapely.get_x(pts)
        lat[have] = shapely.get_y(pts)
    return lat, lon


def synthetic_registry(desa_codes: list[str], desa_names: list[str], *, n_tps: int, election: str,
                       max_voters: int = 600, mean_voters: int = 470, seed: int = DEFAULT_SEED,
                       coordinates: tuple[np.ndarray, np.ndarray] | None = None,
                       coordinate_share: float = 0.6) -> Registry:
    """A registry of ``n_tps`` TPS over the given desa (at least one per desa), DATA CONTOH."""
    rng = np.random.default_rng(seed)
    n_desa = len(desa_codes)
    n_tps = max(int(n_tps), n_desa)
    codes = np.asarray(desa_codes, dtype=object)
    kel = np.array([c.rsplit(".", 1)[1].startswith("1") for c in desa_codes])
    size = rng.lognormal(0.0, 0.6, n_desa) * np.where(kel, 3.0, 1.0)
    extra = rng.multinomial(n_tps - n_desa, size / size.sum())
    per_desa = extra + 1
    desa_of = np.repeat(np.arange(n_desa), per_desa)
    first = np.r_[0, np.cumsum(per_desa)[:-1]]
    number = np.arange(n_tps) - np.repeat(first, per_desa) + 1
    dpt = np.clip(np.rint(rng.normal(mean_voters, 0.17 * mean_voters, n_tps)), 60, max_voters).astype(np.int32)
    special = rng.random(n_tps) < 0.003
    dpt[special] = np.minimum(dpt[special], rng.integers(30, 250, int(special.sum())))
    names = pa.array(np.asarray(desa_names, dtype=object)[desa_of], pa.string())
    places = np.array(["Balai Desa", "SD Negeri", "Halaman Masjid", "Gedung Serbaguna", "Rumah Warga",
                       "Posyandu", "Lapangan"], dtype=object)
    place = places[rng.integers(0, len(places), n_tps)]
    place[special] = np.array(["Lapas", "Rumah Sakit"], dtype=object)[rng.integers(0, 2, int(special.sum()))]
    rt = pc.utf8_lpad(pa.array(rng.integers(1, 30, n_tps).astype(str)), 3, "0")
    address = pc.binary_join_element_wise(pa.array(place, pa.string()), pa.scalar(" "), names,
                                          pa.scalar(", RT "), rt, pa.scalar(" ("), pa.scalar(SYNTHETIC_MARK),
                                          pa.scalar(")"), "")
    lat = np.full(n_tps, np.nan)
    lon = np.full(n_tps, np.nan)
    if coordinates is not None:
        dlat, dlon = coordinates
        have = ~np.isnan(dlat[desa_of]) & (rng.random(n_tps) < coordinate_share)
        lat[have] = dlat[desa_of][have] + rng.normal(0, 0.004, int(have.sum()))
        lon[have] = dlon[desa_of][have] + rng.normal(0, 0.004, int(have.sum()))
    table = pa.table({
        "election": pa.array(np.full(n_tps, election, dtype=object), pa.string()),
        "desa": pa.array(codes[desa_of], pa.string()),
        "tps": pa.array(number.astype(np.int32)),
        "address": address,
        "dpt": pa.array(dpt),
        "lat": pa.array(lat, from_pandas=True),
        "lon": pa.array(lon, from_pandas=True),
        "special": pa.array(special),
        "synthetic": pa.array(np.ones(n_tps, dtype=bool)),
    })
    return Registry.from_table(table, election=election)


def synthetic_checklist(model: TpsModel, registry: Registry, *, seed: int = DEFAULT_SEED,
                        reported_share: float = 1.0) -> Checklist:
    """Yes/no answers for the TPS of ``registry`` (desa reporting with probability ``reported_share``)."""
    rng = np.random.default_rng(seed + 1)
    n = len(registry)
    n_desa = len(registry.desa_codes)
    base = np.array([BASE_RATE.get(i.label("id", short=True), RARE) for i in model.indicators], dtype=np.float32)
    kab = np.asarray(registry.desa_codes, dtype="<U5")
    kab_codes, kab_of_desa = np.unique(kab, return_inverse=True)
    kab_factor = rng.lognormal(0.0, 0.45, (len(kab_codes), len(base))).astype(np.float32)
    desa_factor = rng.lognormal(0.0, 0.35, n_desa).astype(np.float32)
    d = registry.desa_index
    # a factor per TPS makes indicators meet at the same TPS (as in the field: one TPS, several problems)
    sigma = 1.1
    tps_factor = (rng.lognormal(0.0, sigma, n) / np.exp(sigma ** 2 / 2)).astype(np.float32)
    p = base[None, :] * kab_factor[kab_of_desa[d]] * (desa_factor[d] * tps_factor)[:, None]
    answers = rng.random((n, len(base)), dtype=np.float32) < np.minimum(p, 0.95)
    special_j = [j for j, i in enumerate(model.indicators) if i.label("id", short=True) == "TPS lokasi khusus"]
    if special_j:
        answers[:, special_j[0]] = registry.column("special").astype(bool)
    reported_desa = rng.random(n_desa) < reported_share
    answered = reported_desa[d]
    answers &= answered[:, None]
    rows, cols = np.nonzero(answers)
    shorts = np.array([NOTE] * len(model.indicators), dtype=object)
    notes = pa.table({"row": pa.array(rows.astype(np.int64)), "indicator": pa.array(cols.astype(np.int16)),
                      "note": pa.array(shorts[cols], pa.string())})
    return Checklist(model, registry, answers, answered, notes)


def jambi_pilkada(*, n_tps: int = JAMBI_TPS, seed: int = DEFAULT_SEED, model: str = "tps-pilkada-2024",
                  coordinates: bool = True) -> tuple[Registry, Checklist]:
    """Jambi, Pilkada 2024: ~5,750 TPS over the 1,585 desa of the shipped list, all reporting."""
    m = load_tps_model(model)
    desa = _regions("15").at_level("desa_kelurahan")
    codes = [r.code for r in desa]
    rng = np.random.default_rng(seed + 2)
    coords = _desa_points(codes, "15", rng) if coordinates else None
    reg = synthetic_registry(codes, [r.name for r in desa], n_tps=n_tps, election=m.election.code,
                             max_voters=m.election.max_voters_per_tps or 600, seed=seed, coordinates=coords)
    return reg, synthetic_checklist(m, reg, seed=seed)


def national(*, n_tps: int = NATIONAL_TPS, seed: int = DEFAULT_SEED, model: str = "tps-pilkada-2024",
             reported_share: float = 0.875) -> tuple[Registry, Checklist]:
    """All Indonesia: ``n_tps`` TPS over the 83,762 desa of the shipped list; ~87.5% of desa report
    (73,256 of 83,762 did for Pilkada 2024, domain.md 5.1)."""
    from ..regions.defaults import ALL_PROVINCES

    m = load_tps_model(model)
    desa = _regions(ALL_PROVINCES).at_level("desa_kelurahan")
    reg = synthetic_registry([r.code for r in desa], [r.name for r in desa], n_tps=n_tps,
                             election=m.election.code, max_voters=m.election.max_voters_per_tps or 600, seed=seed)
    return reg, synthetic_checklist(m, reg, seed=seed, reported_share=reported_share)
