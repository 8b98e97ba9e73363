"""Rules that say when they mislead: warnings about category cut-offs.

A cut-off at or below the score of a region with nothing recorded (so such a region
cannot be in the lowest class), a cut-off outside the score range, and a rule that
leaves a class empty are *warnings*, not errors: IKP 2019 did publish an empty
rendah class.  The same checks serve ``model check`` (the cut-offs a model states),
``compute`` (the cut-offs used on a population), the report and the web app.
"""

from __future__ import annotations

import numpy as np

from .errors import Problem, register_messages

MESSAGES = {
    "rule.cut_below_nothing": {
        "id": "Batas kategori tingkat {level_id}: batas terendah {cut} berada pada atau di bawah skor "
              "wilayah tanpa kejadian tercatat ({floor}), sehingga wilayah dengan nilai 0 pada semua indikator "
              "tidak masuk kelas '{lowest}'.",
        "en": "Category cut-offs at {level_en} level: the lowest cut-off {cut_en} is at or below the score of a "
              "region with nothing recorded ({floor_en}), so a region with 0 on every indicator is not in "
              "class '{lowest_en}'.",
    },
    "rule.cut_outside_scale": {
        "id": "Batas kategori tingkat {level_id}: batas {cut} berada di luar rentang skor {low}-{high}.",
        "en": "Category cut-offs at {level_en} level: cut-off {cut_en} is outside the score range {low_en}-{high_en}.",
    },
    "rule.empty_class": {
        "id": "Batas kategori tingkat {level_id}: kelas '{label}' kosong di antara {n} wilayah referensi "
              "(batas {cuts}).",
        "en": "Category cut-offs at {level_en} level: class '{label_en}' is empty among the {n} regions of the "
              "reference (cut-offs {cuts_en}).",
    },
}
register_messages(MESSAGES)
LEVEL_WORDS = {"provinsi": ("provinsi", "province"), "kabupaten_kota": ("kabupaten/kota", "regency/city"),
               "kecamatan": ("kecamatan", "district"), "desa_kelurahan": ("desa/kelurahan", "village")}


def _fmt(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def _fmt_en(x: float) -> str:
    return f"{x:.2f}"


def _label_en(label: str) -> str:
    """A class label in English for the English message ("rendah" -> "low"); other labels as they are."""
    from ..vocabulary import category_label

    return category_label(label, "en", short=True).lower() if label else label


def check_cutoffs(rule: str, node: str, level: str | None, labels: list[str], cutoffs: np.ndarray,
                  scale: tuple[float, float], floor: float | None = None,
                  population: np.ndarray | None = None) -> list[Problem]:
    """Warnings for one set of cut-offs.

    ``floor``: the score of a region with nothing recorded (all indicators 0), when known;
    ``population``: the reference's scores, for empty classes.
    """
    cuts = np.asarray(cutoffs, dtype=float)
    if cuts.size == 0 or np.isnan(cuts).any():
        return []
    where = {"rule": rule, "node": node, "level": level or "-",  # codes kept for programs, words for people
             "level_id": LEVEL_WORDS.get(level or "", ("-", "-"))[0], "level_en": LEVEL_WORDS.get(level or "", ("-", "-"))[1]}
    out: list[Problem] = []
    lo, hi = scale
    if floor is not None and not np.isnan(floor) and cuts[0] <= floor:
        out.append(Problem("rule.cut_below_nothing", {**where, "cut": _fmt(cuts[0]), "floor": _fmt(floor),
                                                      "lowest": labels[0], "cut_en": _fmt_en(cuts[0]),
                                                      "floor_en": _fmt_en(floor), "lowest_en": _label_en(labels[0])},
                           severity="warning"))
    for c in cuts:
        if c < lo or c > hi:
            out.append(Problem("rule.cut_outside_scale", {**where, "cut": _fmt(c), "low": _fmt(lo),
                                                          "high": _fmt(hi), "cut_en": _fmt_en(c), "low_en": _fmt_en(lo),
                                                          "high_en": _fmt_en(hi)}, severity="warning"))
    if population is not None:
        v = np.asarray(population, dtype=float)
        v = v[~np.isnan(v)]
        if v.size:
            counts = np.bincount(np.searchsorted(cuts, v, side="right"), minlength=len(labels))
            for k, label in enumerate(labels):
                if counts[k] == 0:
                    out.append(Problem("rule.empty_class", {
                        **where, "label": label, "n": int(v.size), "label_en": _label_en(label),
                        "cuts": " / ".join(_fmt(c) for c in cuts),
                        "cuts_en": " / ".join(_fmt_en(c) for c in cuts)}, severity="warning"))
    return out


def static_warnings(spec) -> list[Problem]:
    """What ``model check`` can say without data: fixed cut-offs against the scale and the
    score of a region with nothing recorded (when the model's own constants give it)."""
    from . import methods as M

    scale = (spec.scale.min, spec.scale.max) if spec.scale else (0.0, 100.0)
    out: list[Problem] = []
    for rule in spec.categories:
        if rule.rule != "fixed":
            continue
        cuts = np.asarray(M.get("classification", "fixed").func(np.array([]), **rule.params), dtype=float)
        for node in rule.nodes or [spec.tree.root]:
            floor = nothing_recorded_score(spec, node, rule.region_level)
            out += check_cutoffs("fixed", node, rule.region_level, list(rule.labels), cuts, scale, floor)
    return out


def nothing_recorded_score(spec, node: str, region_level: str | None, stats=None) -> float | None:
    """The score of ``node`` for a region with 0 on every indicator, or None when it depends on
    the table (a normalisation that reads the other regions, without stored stats)."""
    from .pipeline import compute_zero_row

    try:
        return compute_zero_row(spec, node, region_level, stats)
    except LookupError:
        return None
