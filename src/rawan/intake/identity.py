"""A template's identity: model id, version and a checksum of the structure its columns follow."""

from __future__ import annotations

import hashlib
import json

from ..engine.errors import Problem

META_KEYS = ("model", "version", "checksum", "level", "parent", "kind", "locale", "created")


def structure_checksum(spec) -> str:
    """SHA-256 (first 16 hex digits) of what a template's columns depend on: the indicators,
    their kinds, ranges and required flags, and the severity levels."""
    nodes = [spec.node(c) for c in spec.tree.indicators]
    payload = {
        "model": spec.id,
        "indicators": [[n.code, n.kind or "score", list(n.range) if n.range else None, bool(n.required)]
                       for n in nodes],
        "severity": [[lv.code, lv.weight] for lv in spec.severity.levels] if getattr(spec, "severity", None) else None,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def check_meta(meta: dict[str, str] | None, spec, file: str) -> list[Problem]:
    """Problems when a template was made for another model, version or structure."""
    if not meta:
        return []
    found_model = meta.get("model", "")
    if found_model and found_model != spec.id:
        return [Problem("intake.model_mismatch", {"file": file, "found": found_model, "expected": spec.id})]
    probs = []
    found_version = meta.get("version", "")
    if found_version and found_version != spec.version:
        probs.append(Problem("intake.version_mismatch", {"file": file, "model": spec.id, "found": found_version,
                                                         "expected": spec.version}))
    found_sum = meta.get("checksum", "")
    expected = structure_checksum(spec)
    if found_sum and found_sum != expected and not probs:
        probs.append(Problem("intake.structure_mismatch", {"file": file, "model": spec.id, "version": spec.version,
                                                           "found": found_sum, "expected": expected}))
    return probs
