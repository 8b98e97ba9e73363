"""Strategic issues (isu strategis) and the recommendations file shipped with a model.

A strategic issue is an indicator that occurred (value > 0) in many regions.
Only indicators of kind ``count`` or ``binary`` (or with no kind) count as
occurrences: a rate or a score is always "present".

A recommendations file (``models/rekomendasi/<model id>.yaml``) lists mitigation
actions and maps nodes of the model (indicator, sub-dimension, dimension) to
them; an indicator without an entry takes the nearest ancestor's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from ..engine import Problem, RawanError, Result, Spec
from ..engine.spec import MODELS_DIR, Text

RECOMMENDATIONS_DIR = MODELS_DIR / "rekomendasi"
OCCURRENCE_KINDS = (None, "count", "binary")


@dataclass
class Action:
    id: str
    text: Text


@dataclass
class Recommendations:
    file: str
    title: Text | None
    actions: dict[str, Action]
    issues: dict[str, list[str]]
    sources: list[dict]
    assumptions: list[dict]
    organisations: list[dict] | None = None  # per organisation of roles.md: name, text, actions, issues

    def for_node(self, spec: Spec, code: str) -> list[Action]:
        """Actions for a node: its own entry, else the nearest ancestor's."""
        for c in [code, *spec.tree.ancestors(code)]:
            if c in self.issues:
                return [self.actions[a] for a in self.issues[c]]
        return []


def find_recommendations(spec: Spec, model_path: Path | None = None) -> Path | None:
    """``rekomendasi/<id>.yaml`` beside the model file, else among the shipped ones."""
    candidates = []
    if model_path is not None:
        candidates += [model_path.parent / "rekomendasi" / f"{model_path.stem}.yaml",
                       model_path.parent / "rekomendasi" / f"{spec.id}.yaml"]
    candidates.append(RECOMMENDATIONS_DIR / f"{spec.id}.yaml")
    return next((p for p in candidates if p.is_file()), None)


def by_organisation(rec: "Recommendations", lang: str, related: dict[str, list[str]] | None = None) -> list[dict]:
    """The recommendations per organisation (roles.md): {code, name, own, lines, issues}; ``related``
    maps a model node to the names of this edition's strategic issues under it (shown beside each)."""
    out = []
    for o in rec.organisations or []:
        name = o["name"].get(lang) or o["name"].get("id") if isinstance(o["name"], dict) else str(o["name"])
        lines = [rec.actions[a].text.get(lang) for a in o["actions"] if a in rec.actions]
        if o.get("text"):
            t = o["text"]
            lines.append(" ".join(str(t.get(lang) or t.get("id") if isinstance(t, dict) else t).split()))
        issues = []
        for node in o["issues"]:
            issues += [x for x in (related or {}).get(node, []) if x not in issues]
        out.append({"code": o["code"], "name": name, "own": o["own"], "lines": lines, "issues": issues})
    return out


def standard_recommendations() -> "Recommendations":
    """The shipped IKP 2024 recommendations file (its actions and organisations), for books without a model."""
    return load_recommendations(RECOMMENDATIONS_DIR / "ikp-2024.yaml", None)


def standard_actions() -> list[Action]:
    """Bawaslu's standard mitigation list (from the shipped IKP 2024 file)."""
    return list(load_recommendations(RECOMMENDATIONS_DIR / "ikp-2024.yaml", None).actions.values())


def load_recommendations(path: Path, spec: Spec | None) -> Recommendations:
    """Read and check a recommendations file; every problem names the file and the key."""
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RawanError(Problem("reports.recommendations_missing", {"file": str(path)})) from None
    except yaml.YAMLError as e:
        raise RawanError(Problem("reports.recommendations_yaml", {"file": name, "detail": str(e)})) from None
    if not isinstance(raw, dict):
        raise RawanError(Problem("reports.recommendations_yaml", {"file": name, "detail": "not a mapping"}))
    probs: list[Problem] = []
    actions: dict[str, Action] = {}
    for k, a in enumerate(raw.get("actions") or []):
        if not isinstance(a, dict) or "id" not in a or "text" not in a:
            probs.append(Problem("reports.recommendations_action", {"file": name, "index": k + 1}))
            continue
        text = a["text"]
        actions[str(a["id"])] = Action(str(a["id"]), Text(**text) if isinstance(text, dict) else Text(id=str(text)))
    if not actions and not probs:
        probs.append(Problem("reports.recommendations_action", {"file": name, "index": 1}))
    issues: dict[str, list[str]] = {}
    for node, acts in (raw.get("issues") or {}).items():
        node = str(node)
        if spec is not None and node not in spec.tree.nodes:
            probs.append(Problem("reports.recommendations_node", {"file": name, "node": node, "model": spec.id}))
        for a in acts or []:
            if a not in actions:
                probs.append(Problem("reports.recommendations_unknown_action",
                                     {"file": name, "node": node, "action": a}))
        issues[node] = [str(a) for a in acts or [] if a in actions]
    orgs = []
    for k, o in enumerate(raw.get("organisation_recommendations") or []):
        if not isinstance(o, dict) or "code" not in o or "name" not in o:
            probs.append(Problem("reports.recommendations_org", {"file": name, "index": k + 1}))
            continue
        for a in o.get("actions") or []:
            if a not in actions:
                probs.append(Problem("reports.recommendations_unknown_action",
                                     {"file": name, "node": f"organisations.{o['code']}", "action": a}))
        for node in o.get("issues") or []:
            if spec is not None and node not in spec.tree.nodes:
                probs.append(Problem("reports.recommendations_node", {"file": name, "node": node, "model": spec.id}))
        orgs.append({"code": str(o["code"]), "name": o["name"], "own": bool(o.get("own")), "text": o.get("text"),
                     "actions": [str(a) for a in o.get("actions") or []],
                     "issues": [str(x) for x in o.get("issues") or []]})
    if probs:
        raise RawanError(probs)
    title = raw.get("title")
    return Recommendations(
        file=name, title=Text(**title) if isinstance(title, dict) else None, actions=actions,
        issues=issues, sources=list(raw.get("sources") or []), assumptions=list(raw.get("assumptions") or []),
        organisations=orgs)


@dataclass
class Issue:
    code: str
    regions: int  # regions where it occurred
    share: float
    mean_score: float
    top: list[int]  # rows of the regions with the highest values


def strategic_issues(result: Result, limit: int = 10) -> list[Issue]:
    """Indicators occurring in the most regions (value > 0), at most ``limit``."""
    spec = result.spec
    n = len(result.codes)
    out = []
    for j, code in enumerate(result.indicators):
        if spec.tree.nodes[code].kind not in OCCURRENCE_KINDS:
            continue
        x = result.raw[:, j]
        with np.errstate(invalid="ignore"):
            occurred = np.nan_to_num(x, nan=0.0) > 0
        k = int(occurred.sum())
        if k == 0:
            continue
        s = result.scores[:, j]
        mean = float(np.nanmean(s)) if np.any(~np.isnan(s)) else float("nan")
        order = sorted(np.flatnonzero(occurred).tolist(), key=lambda i: (-x[i], result.codes[i]))
        out.append(Issue(code=code, regions=k, share=k / n, mean_score=mean, top=order[:3]))
    out.sort(key=lambda t: (-t.regions, -np.nan_to_num(t.mean_score), result.indicators.index(t.code)))
    return out[:limit]
