"""The words and colours every part of rawan shows: one table, used by the engine's output, maps,
charts, reports, the CLI and the web app.

- the vulnerability categories, highest first (``CATEGORY_ORDER``), with their labels in
  Indonesian and English, long as Bawaslu prints them ("Rawan Tinggi") and short ("Tinggi");
- the category palette, checked for colour-blind readers (tests/test_maps_palette.py simulates
  deuteranopia, protanopia and tritanopia; docs/maps.md gives the separations), and the no-data
  colours (a hatch, never a fourth category colour);
- the mark of synthetic data, "DATA CONTOH", and its note.

This module imports nothing of rawan: the engine and every layer above it may import it.
"""

from __future__ import annotations

# ---- categories ------------------------------------------------------------------------------
CATEGORY_ORDER: tuple[str, ...] = ("tinggi", "sedang", "rendah")  # highest vulnerability first

CATEGORY_LABELS: dict[str, dict[str, str]] = {  # long labels, as Bawaslu prints them
    "tinggi": {"id": "Rawan Tinggi", "en": "High vulnerability"},
    "sedang": {"id": "Rawan Sedang", "en": "Medium vulnerability"},
    "rendah": {"id": "Rawan Rendah", "en": "Low vulnerability"},
}
CATEGORY_SHORT: dict[str, dict[str, str]] = {  # in tables and badges
    "tinggi": {"id": "Tinggi", "en": "High"},
    "sedang": {"id": "Sedang", "en": "Medium"},
    "rendah": {"id": "Rendah", "en": "Low"},
}
NO_DATA_LABEL: dict[str, str] = {"id": "Tidak ada data", "en": "No data"}
NO_DATA_SHORT = "–"

# ---- palette (colour-blind checked) ----------------------------------------------------------
# One light-to-dark sequence (rendah pale yellow, sedang orange, tinggi dark red): ordered and
# distinct for deuteranopes and protanopes (who lose red-green, not lightness) and in greyscale.
CATEGORY_COLOURS: dict[str, str] = {"tinggi": "#B2182B", "sedang": "#F0962E", "rendah": "#FFF0A8"}
NO_DATA_COLOUR = "#FFFFFF"      # background of the no-data hatch
NO_DATA_HATCH = "#8C8C8C"       # its lines
NO_DATA_EFFECTIVE = "#D4D4D4"   # what the hatch averages to at a distance (flat fills, checks)

# ---- synthetic data --------------------------------------------------------------------------
SYNTHETIC_MARK = "DATA CONTOH"
SYNTHETIC_COLOUR = "#B42318"  # the mark's red, on maps, charts, reports and infographics
SYNTHETIC_EXPLANATION: dict[str, str] = {"id": "data sintetis, bukan data Bawaslu",
                                         "en": "synthetic data, not Bawaslu data"}

LANGS = ("id", "en")


def _lang(lang: str | None) -> str:
    return lang if lang in LANGS else "id"


def category_label(code: str | None, lang: str = "id", *, short: bool = False, missing: str | None = None) -> str:
    """The label of a category code ("tinggi" -> "Rawan Tinggi" / "Tinggi"); ``missing`` for None
    (default: "Tanpa data" / "–"); an unknown code is shown as it is."""
    lang = _lang(lang)
    if code is None:
        if missing is not None:
            return missing
        return NO_DATA_SHORT if short else NO_DATA_LABEL[lang]
    table = CATEGORY_SHORT if short else CATEGORY_LABELS
    return table.get(code, {}).get(lang, code)


def category_labels(lang: str = "id", *, short: bool = False) -> dict[str | None, str]:
    """Every category's label, plus None (no data), in one language."""
    out: dict[str | None, str] = {c: category_label(c, lang, short=short) for c in CATEGORY_ORDER}
    out[None] = category_label(None, lang, short=short)
    return out


def category_colours(*, no_data: str = NO_DATA_EFFECTIVE) -> dict[str | None, str]:
    """The palette with None (no data) as a flat colour, for charts and badges."""
    return {**CATEGORY_COLOURS, None: no_data}


def synthetic_note(lang: str = "id") -> str:
    """The note printed with synthetic results: the mark, a dash and what it means."""
    return f"{SYNTHETIC_MARK} — {SYNTHETIC_EXPLANATION[_lang(lang)]}"


def is_synthetic_mark(value) -> bool:
    """Whether a cell carries the mark (any case, surrounding spaces ignored)."""
    return value is not None and str(value).strip().upper() == SYNTHETIC_MARK


# ---- reading a category as Bawaslu prints it -------------------------------------------------
class UnknownCategory(ValueError):
    """A cell that is not a category; ``value`` is the cell as given."""

    def __init__(self, value):
        super().__init__(value)
        self.value = value


def _category_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for code in CATEGORY_ORDER:
        for text in (code, f"rawan {code}", CATEGORY_LABELS[code]["id"], CATEGORY_LABELS[code]["en"],
                     CATEGORY_SHORT[code]["id"], CATEGORY_SHORT[code]["en"],
                     f"kerawanan {code}", f"{CATEGORY_SHORT[code]['en']} vulnerability"):
            words[" ".join(text.lower().split())] = code
    return words


_CATEGORY_WORDS = _category_words()


def read_category(value, aliases: dict[str, str] | None = None) -> str | None:
    """The category code of a cell as Bawaslu prints it: "Rawan Tinggi", "rawan tinggi", "TINGGI",
    "tinggi", "High vulnerability"; abbreviations ("RT") only where ``aliases`` declares them
    ({"RT": "tinggi"}).  None for an empty cell; :class:`UnknownCategory` for anything else.

    The one reader of categories: maps, reports, results-only tables and the web all use it.
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = " ".join(str(value).replace("_", " ").replace("-", " ").split()).lower()
    if not text:
        return None
    code = _CATEGORY_WORDS.get(text)
    if code is None and aliases:
        declared = {" ".join(str(k).split()).lower(): v for k, v in aliases.items()}
        code = declared.get(text)
        if code is not None and code not in CATEGORY_ORDER:
            code = _CATEGORY_WORDS.get(" ".join(str(code).split()).lower())
    if code is None:
        raise UnknownCategory(value)
    return code


def is_category(value, aliases: dict[str, str] | None = None) -> bool:
    """Whether a non-empty cell reads as a category (see :func:`read_category`)."""
    try:
        return read_category(value, aliases) is not None
    except UnknownCategory:
        return False
