"""The category palette stays readable for colour-blind readers and in greyscale print.

Stated thresholds (docs/maps.md): under normal vision, deuteranopia and protanopia (Machado et al.
2009, full severity) every pair of {tinggi, sedang, rendah, tidak ada data} differs by CIE76
Delta-E >= 25, and the three categories are ordered by lightness with steps of at least 20 L*.
"""

from __future__ import annotations

import itertools

import pytest

from rawan.regions.palette import (CATEGORY_COLOURS, NO_DATA_EFFECTIVE, RAMP, delta_e, lab, ramp_colour,
                                   simulate)

VISIONS = ("normal", "deuteranopia", "protanopia")
COLOURS = {**CATEGORY_COLOURS, "tidak_ada_data": NO_DATA_EFFECTIVE}


@pytest.mark.parametrize("vision", VISIONS)
def test_categories_and_no_data_distinguishable(vision):
    for (a, ca), (b, cb) in itertools.combinations(COLOURS.items(), 2):
        assert delta_e(ca, cb, vision) >= 25, f"{a} vs {b} under {vision}: {delta_e(ca, cb, vision):.1f}"


@pytest.mark.parametrize("vision", VISIONS)
def test_categories_ordered_by_lightness(vision):
    L = {k: lab(simulate(c, vision))[0] for k, c in CATEGORY_COLOURS.items()}
    assert L["rendah"] - L["sedang"] >= 20 and L["sedang"] - L["tinggi"] >= 20


def test_simulation_is_not_a_no_op():
    # red and green collapse for a deuteranope: the check above is meaningful
    assert delta_e("#D62728", "#2CA02C", "normal") > 60
    assert delta_e("#D62728", "#2CA02C", "deuteranopia") < delta_e("#D62728", "#2CA02C", "normal") / 2


def test_continuous_ramp_monotone_in_lightness():
    Ls = [lab(simulate(ramp_colour(t / 20), "normal"))[0] for t in range(21)]
    assert all(a > b for a, b in zip(Ls, Ls[1:]))
    assert ramp_colour(0) == RAMP[0] and ramp_colour(1) == RAMP[-1]
