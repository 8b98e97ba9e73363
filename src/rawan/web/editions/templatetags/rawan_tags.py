"""Template helpers: category labels in the active language, numbers with the right decimal mark."""

from __future__ import annotations

import math

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

from ....vocabulary import SYNTHETIC_MARK, category_label

register = template.Library()


@register.filter
def catlabel(code: str | None) -> str:
    if not code:
        return "–"
    lang = "en" if (get_language() or "id").startswith("en") else "id"
    return category_label(code, lang)


@register.simple_tag
def contoh_mark() -> str:
    """The mark of synthetic data, from rawan.vocabulary ("DATA CONTOH")."""
    return SYNTHETIC_MARK


@register.filter
def num(x, digits: int = 2) -> str:
    if x is None or x == "" or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return number_format(round(float(x), int(digits)), int(digits))


@register.filter
def pct(x) -> str:
    if x is None or x == "":
        return "–"
    return number_format(round(float(x) * 100), 0) + "%"


@register.filter
def pct2(x) -> str:
    """A share as a percentage with two decimals (effective weights: 1,64%)."""
    if x is None or x == "":
        return "–"
    return number_format(round(float(x) * 100, 2), 2) + "%"


@register.filter
def get(d: dict, key):
    return (d or {}).get(key)


@register.filter
def action_label(code: str) -> str:
    from ...audit.actions import ACTIONS, describe

    if code not in ACTIONS:
        return code
    return describe(code, "en" if (get_language() or "id").startswith("en") else "id")


@register.filter
def score(row) -> str:
    """A result row's score: 2 decimals when computed; as published (no padded zeros) otherwise."""
    if row is None or row == "" or getattr(row, "score", None) is None:
        return "–"
    x = float(row.score)
    if getattr(row.edition, "results_only", False):
        digits = len(f"{x:.2f}".rstrip("0").split(".")[1]) if "." in f"{x:.2f}".rstrip("0") else 0
        return number_format(round(x, 2), digits)
    return number_format(round(x, 2), 2)


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


@register.filter
def title_of(edition) -> str:
    """An edition's title in the page's language (its English title when there is one)."""
    return edition.title_in(_lang()) if edition else ""


@register.filter
def source_of(edition) -> str:
    """Where an edition's figures come from, in the page's language (editions/dashboard.source_text)."""
    from ..dashboard import source_text

    return source_text(edition, _lang()) if edition else ""


@register.filter
def source_only_id(edition) -> bool:
    """True when an English page shows the Indonesian source text (no English one stored)."""
    from ..dashboard import source_of as source_pair

    return bool(edition) and _lang() == "en" and source_pair(edition, "en")[1] != "en"


@register.filter
def row_note(row) -> str:
    """A result row's note with the ids of the sources of a shipped edition written as their names."""
    from ..dashboard import readable_note

    return readable_note(row.edition, note_in(row.note, _lang())) if row is not None and row.note else ""


def note_in(note: str, lang: str) -> str:
    """A note written in both languages as "Indonesian / English" (one " / " between them) in one of
    them; any other note as it is."""
    parts = note.split(" / ")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        return note
    return parts[1].strip() if lang == "en" else parts[0].strip()
