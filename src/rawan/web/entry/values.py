"""Reading and checking entered values against the edition's model (same rules as the engine)."""

from __future__ import annotations

import math
import re

from django.utils.translation import gettext as _

_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")


def parse_number(text: str) -> float:
    """A number as people type it: 12, 12.5, 12,5 (decimal comma), 1.234,5 (Indonesian)."""
    s = text.strip().replace(" ", "").replace("\u00a0", "")
    if _THOUSANDS.match(s):
        s = s.replace(".", "").replace(",", ".")
    elif "," in s and "." not in s:
        s = s.replace(",", ".")
    x = float(s)  # ValueError on anything else
    if not math.isfinite(x):
        raise ValueError(text)
    return x


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


def check(spec, raw: dict[str, str]) -> tuple[dict[str, float | None], dict[str, str]]:
    """Values (None = no data) and an error message per bad field; nothing partial is returned."""
    plan = spec.plan
    values: dict[str, float | None] = {}
    errors: dict[str, str] = {}
    for j, code in enumerate(plan.indicators):
        text = (raw.get(code) or "").strip()
        if text == "":
            values[code] = None
            continue
        try:
            x = parse_number(text)
        except ValueError:
            errors[code] = _("“%(value)s” is not a number (write for example 3 or 2,5).") % {"value": text}
            continue
        if plan.binary[j] and x not in (0.0, 1.0):
            errors[code] = _("Must be 0 (did not occur) or 1 (occurred), not %(value)s.") % {"value": text}
            continue
        if spec.tree.nodes[code].kind == "count" and x != int(x):  # as rawan.intake: events are counted
            errors[code] = _("Must be a whole number of events, not %(value)s.") % {"value": text}
            continue
        lo, hi = float(plan.low[j]), float(plan.high[j])
        if x < lo or x > hi:
            if math.isinf(hi):
                errors[code] = _("Must be at least %(low)s, not %(value)s.") % {"low": f"{lo:g}", "value": text}
            else:
                errors[code] = _("Must be between %(low)s and %(high)s, not %(value)s.") % {
                    "low": f"{lo:g}", "high": f"{hi:g}", "value": text}
            continue
        values[code] = x
    return values, errors
