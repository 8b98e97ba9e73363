"""TPS rawan: the polling-station registry, TPS models, checklists and counts in Bawaslu's format.

    from rawan.tps import load_tps_model, Registry, Checklist, count_tps
    model = load_tps_model("tps-pilkada-2024")          # 8 variables x 25 yes/no indicators
    registry = Registry.from_table(table)                # REGISTRY_SCHEMA (one election)
    checklist = Checklist.from_table(model, registry, answers)   # CHECKLIST_SCHEMA
    counts = count_tps(checklist)                        # every level, desa -> nation
    counts.to_table("kabupaten_kota", within="15")       # counts of TPS, never a score

Imports (CSV/XLSX KPU lists and checklist templates) are in :mod:`rawan.tps.registry_import` and
:mod:`rawan.tps.checklist_import`; the seeded synthetic data (DATA CONTOH) in :mod:`rawan.demo.tps`;
the published Jambi Pilkada 2024 figures in :mod:`rawan.tps.published`.  See docs/tps.md.
"""

from . import messages  # noqa: F401  (registers the TPS messages)
from .counts import LEVELS, NATION, LevelCounts, RegionCounts, TpsCounts, TpsFlags, band_indicators, count_tps, tps_flags
from .messages import TpsError
from .model import BAND_LABELS, BANDS, BandRule, TpsModel, load_tps_model, shipped_tps_models
from .tables import CHECKLIST_SCHEMA, REGISTRY_SCHEMA, Checklist, Registry, tps_label

__all__ = [
    "BAND_LABELS", "BANDS", "BandRule", "CHECKLIST_SCHEMA", "Checklist", "LEVELS", "LevelCounts", "NATION",
    "REGISTRY_SCHEMA", "RegionCounts", "Registry", "TpsCounts", "TpsError", "TpsFlags", "TpsModel",
    "band_indicators", "count_tps", "load_tps_model", "shipped_tps_models", "tps_flags", "tps_label",
]
