"""The seeded synthetic TPS data (DATA CONTOH)."""

from __future__ import annotations

import numpy as np

from rawan.demo.tps import jambi_pilkada, synthetic_registry
from rawan.tps import count_tps


def test_jambi_pilkada_registry_shape():
    reg, cl = jambi_pilkada()
    assert 5500 <= len(reg) <= 6000
    assert len(reg.desa_codes) == 1585 and all(c.startswith("15.") for c in reg.desa_codes)
    dpt = reg.column("dpt")
    assert dpt.max() <= 600 and dpt.min() > 0
    assert reg.synthetic and reg.column("synthetic").all()
    assert all("DATA CONTOH" in a for a in reg.table.column("address").to_pylist()[:50])
    assert np.isfinite(reg.column("lat")).mean() > 0.4  # points inside the shipped desa boundaries
    counts = count_tps(cl)
    jambi = counts.region("15")
    assert jambi.n_tps == len(reg) and jambi.n_desa == jambi.n_desa_reported == 1585
    # the special-location indicator follows the registry's flag
    j = cl.model.indicator_codes.index("i23")
    assert jambi.indicators[j] == int(reg.column("special").sum())
    # seeded: the same seed gives the same data
    reg2, cl2 = jambi_pilkada()
    assert reg2.table.equals(reg.table) and (cl2.answers == cl.answers).all()


def test_every_desa_gets_a_tps_and_the_total_is_kept():
    codes = ["15.01.01.2001", "15.01.01.2002", "15.71.01.1001"]
    reg = synthetic_registry(codes, ["A", "B", "C"], n_tps=10, election="x", max_voters=300, seed=1)
    assert len(reg) == 10 and reg.desa_codes == codes and reg.column("dpt").max() <= 300
    numbers = reg.column("tps")
    for s, e in zip(reg.desa_starts, list(reg.desa_starts[1:]) + [len(reg)]):
        assert numbers[s:e].tolist() == list(range(1, e - s + 1))
