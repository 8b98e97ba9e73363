"""Reading and checking entered values against the edition's model (same rules as the engine)."""

from __future__ import annotations

import math

import numpy as np
from django.utils.translation import gettext as _

from ...engine.numbers import NumberError, format_number, parse_number as _parse, parse_numbers

def parse_number(text, locale: str = "id") -> float:
    """One entered value by the engine's one number rule (:func:`rawan.engine.data.parse_number`)
    in the edition's ``locale``; ValueError (a NumberError naming its kind) for anything else."""
    x = _parse(text, locale)
    if x is None:
        raise NumberError("not_a_number", str(text))
    return x


def format_value(x: float | None, locale: str = "id") -> str:
    """A stored value as the form shows it, in the edition's locale; reads back unchanged."""
    return "" if x is None else format_number(x, locale)


def sections(spec, lang: str) -> list[dict]:
    """The model as form sections: one per dimension, sub-dimension groups, indicators with help."""
    tree = spec.tree
    plan = spec.plan
    pos = {c: j for j, c in enumerate(plan.indicators)}
    out = []

    def indicators_under(code):
        kids = tree.children.get(code, [])
        if not kids:
            return [code]
        found = []
        for k in kids:
            found += indicators_under(k)
        return found

    for dim in tree.children[tree.root]:
        groups = []
        for sub in tree.children.get(dim, []) or [dim]:
            items = []
            for code in indicators_under(sub):
                node = tree.nodes[code]
                j = pos[code]
                items.append({
                    "code": code, "name": node.name.get(lang),
                    "help": node.description.get(lang) if node.description else "",
                    "kind": node.kind or "score", "low": float(plan.low[j]), "high": float(plan.high[j]),
                    "binary": bool(plan.binary[j])})
            groups.append({"code": sub, "name": tree.nodes[sub].name.get(lang), "items": items})
        out.append({"code": dim, "name": tree.nodes[dim].name.get(lang), "groups": groups})
    return out


def check(spec, raw: dict, locale: str = "id") -> tuple[dict[str, float | None], dict[str, str]]:
    """Values (None = no data) and an error message per bad field; nothing partial is returned.

    ``raw`` holds text (the form) or numbers (JSON); every field is read at once by the engine's
    number rule with the edition's ``locale``, so the same text gives the same value as a file.
    """
    values, errors, _ = check_fields(spec, raw, locale)
    return values, errors


def check_fields(spec, raw: dict, locale: str = "id"):
    """(values, messages, kinds): kinds names each bad field's problem as the other entrances do
    (``not_a_number``, ``ambiguous_number``, ``not_whole_number``, ``not_yes_no``, ``out_of_range``)."""
    plan = spec.plan
    codes = list(plan.indicators)
    cells = np.array([_cell(raw.get(code)) for code in codes], dtype=object)
    parsed = parse_numbers(cells, locale)
    values: dict[str, float | None] = {}
    errors: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for j, code in enumerate(codes):
        text = cells[j] if isinstance(cells[j], str) else format_number(cells[j], locale)
        if parsed.empty[j]:
            values[code] = None
            continue
        kind = parsed.kind(j)  # "ambiguous_number" cannot happen: an edition always has a locale
        if kind:
            kinds[code] = kind
            errors[code] = _("“%(value)s” is not a number (write for example 3 or 2,5).") % {"value": text}
            continue
        x = float(parsed.values[j])
        if plan.binary[j] and x not in (0.0, 1.0):
            kinds[code] = "not_yes_no"
            errors[code] = _("Must be 0 (did not occur) or 1 (occurred), not %(value)s.") % {"value": text}
            continue
        if spec.tree.nodes[code].kind == "count" and x != int(x):  # as rawan.intake: events are counted
            kinds[code] = "not_whole_number"
            errors[code] = _("Must be a whole number of events, not %(value)s.") % {"value": text}
            continue
        lo, hi = float(plan.low[j]), float(plan.high[j])
        if x < lo or x > hi:
            kinds[code] = "out_of_range"
            if x > hi and hi >= 1e6:  # a plausible maximum (engine KIND_RANGES), written in full
                big = f"{hi:,.0f}".replace(",", "." if locale == "id" else ",")
                errors[code] = _("Must be at most %(high)s, not %(value)s.") % {"high": big, "value": text}
            elif math.isinf(hi) or hi >= 1e6:
                errors[code] = _("Must be at least %(low)s, not %(value)s.") % {"low": f"{lo:g}", "value": text}
            else:
                errors[code] = _("Must be between %(low)s and %(high)s, not %(value)s.") % {
                    "low": f"{lo:g}", "high": f"{hi:g}", "value": text}
            continue
        values[code] = x
    return values, errors, kinds


def _cell(v):
    """A form or JSON field: text stripped, numbers as they are, None/absent as empty text."""
    if v is None:
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    return str(v)
