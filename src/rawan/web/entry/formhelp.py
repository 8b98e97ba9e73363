"""What the entry page shows around the form: how much is filled, per section and in all, how many
values lack a source, and what a failed event or verification post left for the next page view."""

from __future__ import annotations


def progress(sections: list[dict], raw: dict[str, str], notes: dict[str, str]) -> dict:
    """Adds ``filled``/``total`` to each section; returns the totals and the unsourced count."""
    filled = total = unsourced = 0
    for s in sections:
        codes = [it["code"] for g in s["groups"] for it in g["items"]]
        s["total"] = len(codes)
        s["filled"] = sum(1 for c in codes if str(raw.get(c) or "").strip())
        filled += s["filled"]
        total += s["total"]
        unsourced += sum(1 for c in codes if str(raw.get(c) or "").strip() and not (notes.get(c) or "").strip())
    return {"filled": filled, "total": total, "unsourced": unsourced}


def _key(kind: str, edition, code: str) -> str:
    return f"rawan:{kind}:{edition.pk}:{code}"


def keep(request, kind: str, edition, code: str, value) -> None:
    """Keep something for the next view of this region's entry page (after a redirect)."""
    request.session[_key(kind, edition, code)] = value


def take(request, kind: str, edition, code: str, default=None):
    return request.session.pop(_key(kind, edition, code), default)
