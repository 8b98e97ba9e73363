"""The methodology model: hierarchy, methods, weights, categories, assumptions.

A methodology ("model") is a YAML file (see docs/model-format.md), or a COINr
iMeta table (CSV/XLSX) for the hierarchy alone.  :func:`load_spec` reads either
and validates everything at once: a :class:`~rawan.engine.errors.SpecError`
lists every problem, naming the codes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import methods as M
from .errors import Problem, SpecError

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
REGION_LEVELS = ("provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan")
CATEGORY_LABELS = {
    "rendah": {"id": "Rawan Rendah", "en": "Low vulnerability"},
    "sedang": {"id": "Rawan Sedang", "en": "Medium vulnerability"},
    "tinggi": {"id": "Rawan Tinggi", "en": "High vulnerability"},
}


class Text(BaseModel):
    """A text in Indonesian and (optionally) English."""

    model_config = ConfigDict(extra="forbid")
    id: str
    en: str | None = None

    def get(self, lang: str = "id") -> str:
        return (self.en if lang == "en" else None) or self.id


def _text(v: Any) -> Any:
    return {"id": v, "en": v} if isinstance(v, str) else v


class MethodChoice(BaseModel):
    """``{method: name, <param>: value, ...}``."""

    model_config = ConfigDict(extra="allow")
    method: str

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    parent: str | None = None
    name: Text
    description: Text | None = None
    type: Literal["indicator", "aggregate"]
    direction: int = 1
    weight: float = 1.0
    kind: Literal["binary", "count", "rate", "score"] | None = None
    range: tuple[float, float] | None = None
    goalposts: tuple[float, float] | None = None
    normalisation: MethodChoice | None = None
    imputation: MethodChoice | None = None
    aggregation: MethodChoice | None = None
    min_coverage: float | None = Field(default=None, ge=0, le=1)
    assumptions: list[str] = []
    level: int | None = None  # as given by a COINr iMeta table; checked

    _t = field_validator("name", "description", mode="before")(classmethod(lambda cls, v: _text(v)))

    @field_validator("code", "parent", mode="before")
    @classmethod
    def _strip(cls, v):
        if v is None:
            return None
        v = str(v).strip()
        return v or None


class LevelMethods(BaseModel):
    model_config = ConfigDict(extra="forbid")
    normalisation: MethodChoice | None = None
    imputation: MethodChoice | None = None
    aggregation: MethodChoice | None = None
    min_coverage: float | None = Field(default=None, ge=0, le=1)


class Methods(BaseModel):
    model_config = ConfigDict(extra="forbid")
    default: LevelMethods = LevelMethods()
    levels: dict[int, LevelMethods] = {}


DEFAULT_METHODS = {
    "normalisation": MethodChoice(method="minmax", lower=0.0, upper=100.0),
    "imputation": MethodChoice(method="none"),
    "aggregation": MethodChoice(method="arithmetic"),
    "min_coverage": 0.5,
}


class CategoryRule(BaseModel):
    """How scores become classes: ``rule`` names a classification method;
    its parameters (``cutoffs``, ``k``, ``probs``, ``n_classes``) sit beside it."""

    model_config = ConfigDict(extra="allow")
    rule: str
    region_level: str | None = None
    nodes: list[str] | None = None  # default: the index (root)
    labels: list[str] = ["rendah", "sedang", "tinggi"]
    source: str | None = None
    assumption: str | None = None
    note: Text | None = None

    _t = field_validator("note", mode="before")(classmethod(lambda cls, v: _text(v)))

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    url: str | None = None
    note: str | None = None
    confidence: str | None = None


class Assumption(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    text: Text
    reason: Text | None = None

    _t = field_validator("text", "reason", mode="before")(classmethod(lambda cls, v: _text(v)))


class Scale(BaseModel):
    min: float = 0.0
    max: float = 100.0


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    version: str = "0"
    title: Text
    description: Text | None = None
    scale: Scale | None = None
    sources: list[Source] = []
    assumptions: list[Assumption] = []
    methods: Methods = Methods()
    categories: list[CategoryRule] = []
    hierarchy: list[Node]

    _t = field_validator("title", "description", mode="before")(classmethod(lambda cls, v: _text(v)))

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, v):
        return str(v)

    # ---- derived -------------------------------------------------------
    @cached_property
    def tree(self) -> "Tree":
        return Tree.build(self)

    @cached_property
    def plan(self):
        from .pipeline import Plan

        return Plan.build(self)

    @cached_property
    def hash(self) -> str:
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False,
                             separators=(",", ":"))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def node(self, code: str) -> Node:
        return self.tree.nodes[code]

    def category_rules(self, region_level: str | None) -> list[CategoryRule]:
        """Rules for this region level; rules without a level apply when none matches."""
        exact = [c for c in self.categories if c.region_level == region_level and region_level]
        if exact:
            return exact
        return [c for c in self.categories if c.region_level is None]


@dataclass(frozen=True)
class Resolved:
    method: M.Method
    params: dict[str, Any]


@dataclass
class Tree:
    """The hierarchy compiled for computation (built only from a valid spec)."""

    nodes: dict[str, Node]
    root: str
    indicators: list[str]  # hierarchy order
    aggregates: list[str]  # bottom-up: every child before its parent
    children: dict[str, list[str]]
    level: dict[str, int]
    leaves: dict[str, list[str]]  # indicators under each aggregate

    @classmethod
    def build(cls, spec: Spec) -> "Tree":
        nodes = {n.code: n for n in spec.hierarchy}
        children: dict[str, list[str]] = {c: [] for c in nodes}
        for n in spec.hierarchy:
            if n.parent is not None:
                children[n.parent].append(n.code)
        root = next(n.code for n in spec.hierarchy if n.parent is None)
        level: dict[str, int] = {}

        def lev(c: str) -> int:
            if c not in level:
                ch = children[c]
                level[c] = 1 if not ch else 1 + max(lev(x) for x in ch)
            return level[c]

        for c in nodes:
            lev(c)
        indicators = [n.code for n in spec.hierarchy if n.type == "indicator"]
        aggregates = sorted((n.code for n in spec.hierarchy if n.type == "aggregate"),
                            key=lambda c: level[c])
        leaves: dict[str, list[str]] = {}
        for a in aggregates:
            acc: list[str] = []
            for ch in children[a]:
                acc.extend(leaves[ch] if nodes[ch].type == "aggregate" else [ch])
            leaves[a] = acc
        return cls(nodes, root, indicators, aggregates, children, level, leaves)

    def resolve(self, spec: Spec, code: str, step: str) -> Resolved:
        """The method for ``step`` at ``code``: node override, else its level, else default."""
        choice = getattr(self.nodes[code], step)
        if choice is None:
            lv = spec.methods.levels.get(self.level[code])
            choice = getattr(lv, step) if lv is not None else None
        if choice is None:
            choice = getattr(spec.methods.default, step)
        if choice is None:
            choice = DEFAULT_METHODS[step]
        method = M.get(step, choice.method)
        return Resolved(method, method.bind(choice.params))

    def min_coverage(self, spec: Spec, code: str) -> float:
        for value in (self.nodes[code].min_coverage,
                      getattr(spec.methods.levels.get(self.level[code]), "min_coverage", None),
                      spec.methods.default.min_coverage):
            if value is not None:
                return value
        return DEFAULT_METHODS["min_coverage"]

    def ancestors(self, code: str) -> list[str]:
        out = []
        p = self.nodes[code].parent
        while p is not None:
            out.append(p)
            p = self.nodes[p].parent
        return out


# --------------------------------------------------------------------------
# validation


def validate(spec: Spec) -> list[Problem]:
    """Every problem of a parsed spec, all at once."""
    probs: list[Problem] = []
    codes = [n.code for n in spec.hierarchy]
    counts: dict[str, int] = {}
    for c in codes:
        counts[c] = counts.get(c, 0) + 1
    for c, k in counts.items():
        if k > 1:
            probs.append(Problem("spec.duplicate_code", {"code": c, "count": k}))
    nodes = {n.code: n for n in spec.hierarchy}
    children: dict[str, list[str]] = {c: [] for c in nodes}
    for n in spec.hierarchy:
        if n.parent is not None:
            if n.parent not in nodes:
                probs.append(Problem("spec.unknown_parent", {"code": n.code, "parent": n.parent}))
            else:
                children[n.parent].append(n.code)
        if n.weight is None or not np.isfinite(n.weight) or n.weight <= 0:
            probs.append(Problem("spec.weight_not_positive", {"code": n.code, "weight": n.weight}))
        if n.direction not in (1, -1):
            probs.append(Problem("spec.bad_direction", {"code": n.code, "direction": n.direction}))
        if n.goalposts is not None and not n.goalposts[0] < n.goalposts[1]:
            probs.append(Problem("spec.bad_goalposts", {"code": n.code, "goalposts": list(n.goalposts)}))
    # cycles: follow parents from every node
    reported: set[frozenset[str]] = set()
    for start in nodes:
        path = [start]
        seen = {start}
        cur = nodes[start].parent
        while cur is not None and cur in nodes:
            if cur in seen:
                cyc = path[path.index(cur):] + [cur]
                key = frozenset(cyc)
                if key not in reported:
                    reported.add(key)
                    probs.append(Problem("spec.cycle", {"path": " -> ".join(cyc)}))
                break
            seen.add(cur)
            path.append(cur)
            cur = nodes[cur].parent
    roots = [n.code for n in spec.hierarchy if n.parent is None]
    if not roots:
        probs.append(Problem("spec.no_root"))
    elif len(roots) > 1:
        probs.append(Problem("spec.many_roots", {"count": len(roots), "codes": ", ".join(roots)}))
    for n in spec.hierarchy:
        if n.type == "aggregate" and not children[n.code]:
            probs.append(Problem("spec.aggregate_without_children", {"code": n.code}))
        if n.type == "indicator" and children[n.code]:
            probs.append(Problem("spec.indicator_with_children",
                                 {"code": n.code, "children": ", ".join(children[n.code])}))
    probs += _validate_methods(spec, nodes)
    probs += _validate_refs(spec, nodes)
    probs += _validate_categories(spec, nodes)
    if not probs:
        probs += _validate_levels(spec)
    return probs


def _check_choice(step: str, choice: MethodChoice | None, where: str) -> list[Problem]:
    if choice is None:
        return []
    if choice.method not in M.REGISTRY[step]:
        return [Problem("spec.unknown_method", {"step": step, "method": choice.method, "where": where,
                                                 "known": ", ".join(M.names(step))})]
    detail = M.check_params(step, choice.method, choice.params)
    if detail:
        return [Problem("spec.bad_method_params",
                        {"step": step, "method": choice.method, "where": where, "detail": detail})]
    return []


def _validate_methods(spec: Spec, nodes: dict[str, Node]) -> list[Problem]:
    probs: list[Problem] = []
    blocks = [("methods.default", spec.methods.default)]
    blocks += [(f"methods.levels.{k}", v) for k, v in spec.methods.levels.items()]
    for where, block in blocks:
        for step in ("normalisation", "imputation", "aggregation"):
            probs += _check_choice(step, getattr(block, step), where)
    for n in spec.hierarchy:
        for step in ("normalisation", "imputation", "aggregation"):
            probs += _check_choice(step, getattr(n, step), f"node '{n.code}'")
        # a setting that would silently do nothing is an error
        misplaced = ["aggregation", "min_coverage"] if n.type == "indicator" else ["normalisation", "imputation"]
        for step in misplaced:
            if getattr(n, step) is not None:
                probs.append(Problem("spec.misplaced_setting", {"where": f"node '{n.code}'", "setting": step,
                                                                "type": n.type}))
    for lvl, block in spec.methods.levels.items():
        if lvl > 1:
            for step in ("normalisation", "imputation"):
                if getattr(block, step) is not None:
                    probs.append(Problem("spec.misplaced_setting", {
                        "where": f"methods.levels.{lvl}", "setting": step, "type": "aggregate"}))
        elif block.aggregation is not None or block.min_coverage is not None:
            probs.append(Problem("spec.misplaced_setting", {
                "where": "methods.levels.1", "setting": "aggregation", "type": "indicator"}))
    return probs


def _validate_refs(spec: Spec, nodes: dict[str, Node]) -> list[Problem]:
    probs: list[Problem] = []
    assumptions = {a.code for a in spec.assumptions}
    sources = {s.id for s in spec.sources}
    for n in spec.hierarchy:
        for a in n.assumptions:
            if a not in assumptions:
                probs.append(Problem("spec.unknown_assumption", {"where": f"node '{n.code}'", "code": a}))
    for i, c in enumerate(spec.categories, 1):
        where = f"categories #{i}"
        if c.assumption and c.assumption not in assumptions:
            probs.append(Problem("spec.unknown_assumption", {"where": where, "code": c.assumption}))
        if c.source and c.source not in sources:
            probs.append(Problem("spec.unknown_source", {"where": where, "code": c.source}))
        for code in c.nodes or []:
            if code not in nodes:
                probs.append(Problem("spec.unknown_node", {"where": where, "code": code}))
    return probs


def _validate_categories(spec: Spec, nodes: dict[str, Node]) -> list[Problem]:
    probs: list[Problem] = []
    covered: dict[tuple, int] = {}
    for i, c in enumerate(spec.categories, 1):
        if c.rule not in M.REGISTRY["classification"]:
            probs.append(Problem("spec.unknown_method", {
                "step": "classification", "method": c.rule, "where": f"categories #{i}",
                "known": ", ".join(M.names("classification"))}))
            continue
        if c.region_level is not None and c.region_level not in REGION_LEVELS:
            probs.append(Problem("spec.bad_category", {
                "index": i, "detail": f"region_level '{c.region_level}' ∉ {', '.join(REGION_LEVELS)}"}))
        method = M.get("classification", c.rule)
        detail = M.check_params("classification", c.rule, c.params)
        if detail:
            probs.append(Problem("spec.bad_method_params", {
                "step": "classification", "method": c.rule, "where": f"categories #{i}", "detail": detail}))
            continue
        params = method.bind(c.params)
        for code in c.nodes or [None]:
            key = (c.region_level, code)
            if key in covered:
                probs.append(Problem("spec.bad_category", {
                    "index": i, "detail": f"rule #{covered[key]} already classifies "
                                          f"{code or 'the index'} at region level {c.region_level or 'any'}"}))
            covered[key] = i
        n_cuts = None
        if c.rule == "fixed":
            n_cuts = len(method.func(np.array([]), **params))
        elif c.rule == "mean_sd":
            n_cuts = 2
        elif c.rule == "quantiles":
            n_cuts = len(params["probs"])
        elif c.rule == "jenks":
            n_cuts = int(params["n_classes"]) - 1
        if n_cuts is not None and n_cuts + 1 != len(c.labels):
            probs.append(Problem("spec.bad_category", {
                "index": i, "detail": f"{n_cuts} cut-off(s) make {n_cuts + 1} classes, "
                                      f"but {len(c.labels)} labels are given ({', '.join(c.labels)})"}))
    return probs


def _validate_levels(spec: Spec) -> list[Problem]:
    tree = Tree.build(spec)
    probs = []
    for n in spec.hierarchy:
        if n.level is not None and n.level != tree.level[n.code]:
            probs.append(Problem("spec.bad_level", {"code": n.code, "given": n.level,
                                                    "expected": tree.level[n.code]}))
    # goalposts method needs goalposts
    for code in tree.indicators:
        r = tree.resolve(spec, code, "normalisation")
        if r.method.name == "goalposts" and tree.nodes[code].goalposts is None:
            probs.append(Problem("spec.bad_goalposts", {"code": code, "goalposts": None}))
    return probs


# --------------------------------------------------------------------------
# loading


def shipped_models() -> dict[str, Path]:
    return {p.stem: p for p in sorted(MODELS_DIR.glob("*.yaml"))}


def resolve_model_path(model: str | Path) -> Path:
    p = Path(model)
    if p.exists():
        return p
    shipped = shipped_models()
    if str(model) in shipped:
        return shipped[str(model)]
    raise SpecError(Problem("spec.unknown_model", {"model": str(model), "known": ", ".join(shipped)}))


def load_spec(model: str | Path) -> Spec:
    """Load and validate a methodology: a shipped model id, a YAML file, or a COINr iMeta table."""
    path = resolve_model_path(model)
    if path.suffix.lower() in (".csv", ".xlsx"):
        raw = {"id": path.stem, "version": "0", "title": path.stem,
               "hierarchy": read_imeta(path)}
    else:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            raise SpecError(Problem("spec.yaml", {"file": path.name, "detail": str(e)})) from None
        if not isinstance(raw, dict):
            raise SpecError(Problem("spec.yaml", {"file": path.name, "detail": "not a mapping"}))
        if isinstance(raw.get("hierarchy"), str):
            raw["hierarchy"] = read_imeta(path.parent / raw["hierarchy"])
    return spec_from_dict(raw, file=path.name)


def spec_from_dict(raw: dict[str, Any], file: str = "<model>") -> Spec:
    try:
        spec = Spec.model_validate(raw)
    except ValidationError as e:
        probs = [Problem("spec.schema", {"file": file, "where": _loc(raw, err["loc"]), "detail": err["msg"]})
                 for err in e.errors()]
        raise SpecError(probs) from None
    probs = validate(spec)
    if probs:
        raise SpecError(probs)
    return spec


def _loc(raw: dict[str, Any], loc: tuple) -> str:
    """Readable location; hierarchy entries are named by their code."""
    parts = []
    cur: Any = raw
    for item in loc:
        if isinstance(item, int) and isinstance(cur, list) and item < len(cur):
            entry = cur[item]
            code = entry.get("code") if isinstance(entry, dict) else None
            parts.append(f"[{item + 1}]" + (f" ('{code}')" if code else ""))
            cur = entry
        else:
            parts.append(str(item))
            cur = cur.get(item) if isinstance(cur, dict) else None
    return ".".join(parts).replace(".[", "[")


IMETA_REQUIRED = ("iCode", "iName", "Level", "Parent", "Direction", "Weight", "Type")


def read_imeta(path: Path) -> list[dict[str, Any]]:
    """COINr's iMeta table -> hierarchy entries.

    Rows of Type Group/Denominator/Other describe data columns, not the
    hierarchy; they are skipped.
    """
    import pandas as pd

    from .errors import Problem as P

    path = Path(path)
    if not path.exists():
        raise SpecError(P("spec.file_missing", {"file": str(path)}))
    if path.suffix.lower() == ".xlsx":
        df = pd.read_excel(path, dtype=str, engine="calamine")
    else:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df = df.fillna("")
    missing = [c for c in IMETA_REQUIRED if c not in df.columns]
    if missing:
        raise SpecError(P("spec.table_columns", {"file": path.name, "missing": ", ".join(missing)}))
    out: list[dict[str, Any]] = []
    probs: list[Problem] = []
    for i, row in enumerate(df.to_dict("records"), start=2):
        typ = row["Type"].strip().lower()
        if typ not in ("indicator", "aggregate"):
            continue

        def num(col, cast):
            try:
                return cast(float(row[col]))
            except ValueError:
                probs.append(P("spec.table_value", {"file": path.name, "row": i, "column": col,
                                                    "value": row[col], "expected": "angka / a number"}))
                return None

        entry: dict[str, Any] = {
            "code": row["iCode"], "name": row["iName"] or row["iCode"], "type": typ,
            "parent": row["Parent"] or None, "weight": num("Weight", float),
            "level": num("Level", int),
        }
        if typ == "indicator":
            entry["direction"] = num("Direction", int)
        if entry["weight"] is None:
            entry["weight"] = 1.0
        out.append({k: v for k, v in entry.items() if v is not None or k == "parent"})
    if probs:
        raise SpecError(probs)
    return out
