"""Methods, rules and indicator kinds in words (Indonesian and English), never as their codes.

The engine names its methods with codes (``goalposts``, ``arithmetic``, ``mean_sd``) and the model
its assumptions with codes (``equal-indicator-weights``); a book says what they do, in the reader's
language (docs/glossary.md). An unknown method falls back to the engine's own summary.
"""

from __future__ import annotations

from . import text as T

METHODS: dict[tuple[str, str], dict[str, str]] = {
    ("normalisation", "minmax"): {
        "id": "normalisasi min–maks: setiap indikator diskalakan ke {lower}–{upper} antara nilai terendah dan "
              "tertinggi wilayah dalam tabel",
        "en": "min–max normalisation: each indicator scaled to {lower}–{upper} between the lowest and the highest "
              "region in the table"},
    ("normalisation", "goalposts"): {
        "id": "normalisasi terhadap batas acuan tetap (goalpost) tiap indikator ke skala {lower}–{upper}; nilai di "
              "luar batas acuan dipotong",
        "en": "normalisation against each indicator's fixed goalposts to a {lower}–{upper} scale; values outside "
              "the goalposts are clipped"},
    ("normalisation", "zscore"): {"id": "skor-z: selisih dari rata-rata dibagi simpangan baku",
                                  "en": "z-scores: difference from the mean divided by the standard deviation"},
    ("normalisation", "rank"): {"id": "peringkat antarwilayah", "en": "ranks across regions"},
    ("normalisation", "percentile"): {"id": "persentil antarwilayah", "en": "percentiles across regions"},
    ("normalisation", "distance_to_max"): {"id": "jarak ke nilai tertinggi, skala 0–{scale}",
                                           "en": "distance to the highest value, 0–{scale} scale"},
    ("normalisation", "occurred"): {"id": "terjadi (1) atau tidak terjadi (0)", "en": "occurred (1) or not (0)"},
    ("normalisation", "none"): {"id": "tanpa normalisasi (arah indikator tetap diterapkan)",
                                "en": "no normalisation (indicator direction still applied)"},
    ("imputation", "none"): {"id": "tanpa imputasi: nilai kosong tidak diikutkan dalam agregasi",
                             "en": "no imputation: empty values are left out of the aggregation"},
    ("imputation", "mean"): {"id": "nilai kosong diisi rata-rata indikator antarwilayah",
                             "en": "empty values filled with the indicator's mean across regions"},
    ("imputation", "median"): {"id": "nilai kosong diisi median indikator antarwilayah",
                               "en": "empty values filled with the indicator's median across regions"},
    ("imputation", "zero"): {"id": "nilai kosong diisi nol (tidak ada kejadian)",
                             "en": "empty values filled with zero (no events)"},
    ("imputation", "group_mean"): {"id": "nilai kosong diisi rata-rata kelompok wilayahnya",
                                   "en": "empty values filled with the mean of the region's group"},
    ("aggregation", "arithmetic"): {"id": "rata-rata aritmetika berbobot", "en": "weighted arithmetic mean"},
    ("aggregation", "geometric"): {"id": "rata-rata geometrik berbobot", "en": "weighted geometric mean"},
    ("aggregation", "harmonic"): {"id": "rata-rata harmonik berbobot", "en": "weighted harmonic mean"},
    ("aggregation", "sum"): {"id": "jumlah berbobot", "en": "weighted sum"},
    ("aggregation", "min"): {"id": "nilai terkecil", "en": "minimum"},
    ("aggregation", "max"): {"id": "nilai terbesar", "en": "maximum"},
    ("classification", "fixed"): {"id": "batas tetap", "en": "fixed cut-offs"},
    ("classification", "mean_sd"): {"id": "rata-rata ± {k} simpangan baku", "en": "mean ± {k} standard deviations"},
    ("classification", "quantiles"): {"id": "kuantil skor wilayah", "en": "quantiles of the region scores"},
    ("classification", "jenks"): {"id": "pemisahan alami Jenks", "en": "Jenks natural breaks"},
}
KINDS = {"count": {"id": "hitungan", "en": "count"}, "binary": {"id": "biner", "en": "binary"},
         "rate": {"id": "laju", "en": "rate"}, "score": {"id": "skor", "en": "score"},
         "share": {"id": "persentase", "en": "share"}}


class _Params(dict):
    def __missing__(self, key):
        return {"lower": "0", "upper": "100", "scale": "100", "k": "1"}.get(key, "")


def method_text(step: str, name: str, params: dict | None, lang: str, fallback: str = "") -> str:
    """What a method does, in words, with its parameters in the sentence."""
    t = METHODS.get((step, name))
    if t is None:
        return fallback or name
    p = _Params({k: T.num(float(v), lang, 0 if float(v).is_integer() else 2) if isinstance(v, (int, float))
                 and not isinstance(v, bool) else str(v) for k, v in (params or {}).items()})
    return t.get(lang, t["id"]).format_map(p)


def kind_text(kind: str | None, lang: str) -> str:
    k = KINDS.get(kind or "")
    return k.get(lang, k["id"]) if k else (kind or "")


def typographic(s: str) -> str:
    """Plain-text stand-ins replaced by the symbols a printed page uses (±, →)."""
    return s.replace(" +/- ", " ± ").replace("+/-", "±").replace(" -> ", " → ")


def typeset_strings(x):
    """``typographic`` over every string of a content tree (SVG maps and charts left alone)."""
    if isinstance(x, dict):
        return {k: (v if k in ("svg", "chart") else typeset_strings(v)) for k, v in x.items()}
    if isinstance(x, list):
        return [typeset_strings(v) for v in x]
    if isinstance(x, str) and not x.startswith("<svg"):
        return typographic(x)
    return x
