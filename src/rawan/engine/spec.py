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

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .. import vocabulary
from . import methods as M
from .errors import Problem, SpecError

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
REGION_LEVELS = ("provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan")
CATEGORY_LABELS = vocabulary.CATEGORY_LABELS  # kept here for old imports; the table is rawan.vocabulary


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
    # [low, high], or per region level: {kabupaten_kota: [0, 10], kecamatan: [0, 4], default: [0, 10]}
    goalposts: tuple[float, float] | dict[str, tuple[float, float]] | None = None
    normalisation: MethodChoice | None = None
    imputation: MethodChoice | None = None
    aggregation: MethodChoice | None = None
    min_coverage: float | None = Field(default=None, ge=0, le=1)
    assumptions: list[str] = []
    required: bool = False  # intake: an import refuses an empty value of this indicator
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
    # what min_coverage counts: every indicator beneath an aggregate (rawan's default), or the
    # aggregate's direct children, a child that is itself missing counting as missing (COINr's dat_thresh)
    coverage: Literal["indicators", "children"] = "indicators"


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
    assumption: str | list[str] | None = None  # one code or several
    note: Text | None = None

    _t = field_validator("note", mode="before")(classmethod(lambda cls, v: _text(v)))

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})

    @property
    def assumption_codes(self) -> list[str]:
        a = self.assumption
        return [] if not a else [a] if isinstance(a, str) else list(a)


class Source(BaseModel):
    """A source of the model.  ``title``: the work as it is named (often Indonesian); ``description``:
    what kind of copy it is, in each language ("bahan paparan, 27 salindia" / "slide deck, 27 slides"),
    so a book in either language reads in it; ``note``: the English working note on what it supports."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    description: Text | None = None
    url: str | None = None
    note: str | None = None
    confidence: str | None = None

    _t = field_validator("description", mode="before")(classmethod(lambda cls, v: _text(v)))

    def title_in(self, lang: str = "id") -> str:
        """The title with its description in ``lang``: "Bawaslu RI, ... (bahan paparan, 27 salindia)"."""
        return f"{self.title} ({self.description.get(lang)})" if self.description else self.title


class Assumption(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    text: Text
    reason: Text | None = None

    _t = field_validator("text", "reason", mode="before")(classmethod(lambda cls, v: _text(v)))


class SeverityLevel(BaseModel):
    """One level of event severity ("tingkat kejadian") and its weight."""

    model_config = ConfigDict(extra="forbid")
    code: str
    name: Text
    weight: float = Field(gt=0, allow_inf_nan=False)

    _t = field_validator("name", mode="before")(classmethod(lambda cls, v: _text(v)))


class Severity(BaseModel):
    """Severity levels of event records: an indicator value is the sum of its events' weights."""

    model_config = ConfigDict(extra="forbid")
    levels: list[SeverityLevel] = Field(min_length=1)
    assumption: str | None = None
    source: str | None = None

    @field_validator("levels")
    @classmethod
    def _unique(cls, v):
        codes = [lv.code.strip().lower() for lv in v]
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise ValueError(f"severity level codes must be unique: {', '.join(dup)}")
        return v


class Stage(BaseModel):
    """One election stage (tahapan): events after publication are recorded per stage."""

    model_config = ConfigDict(extra="forbid")
    code: str
    name: Text
    voting: bool = False  # the voting and counting stage ("pungut hitung"): read after the vote
    # the parts of the index (dimension, sub-dimension or indicator codes) the model maps to this stage,
    # when its methodology says so (the book's stages chapter names them); none in ikp-2024
    nodes: list[str] = []

    _t = field_validator("name", mode="before")(classmethod(lambda cls, v: _text(v)))


class Scale(BaseModel):
    min: float = 0.0
    max: float = 100.0


class Denominator(BaseModel):
    """Indicator values divided by a column of the data (e.g. DPT) times ``per``: a rate."""

    model_config = ConfigDict(extra="forbid")
    column: str
    per: float = Field(default=10000.0, gt=0, allow_inf_nan=False)
    name: Text
    kinds: list[Literal["binary", "count", "rate", "score"]] = ["count"]
    assumption: str | None = None

    _t = field_validator("name", mode="before")(classmethod(lambda cls, v: _text(v)))


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
    severity: Severity | None = None
    # the election stages events are recorded in (not part of the computation: outside the hash)
    stages: list[Stage] = []
    # "levels": a node's weight is relative to its siblings at each level of the tree;
    # "indicators": weights are given on indicators only, every aggregate weighs the sum of
    # the indicator weights beneath it (with weight 1 everywhere: every indicator counts the same)
    weights_at: Literal["levels", "indicators"] = "levels"
    weights_assumption: str | None = None
    denominator: Denominator | None = None
    hierarchy: list[Node]

    _t = field_validator("title", "description", mode="before")(classmethod(lambda cls, v: _text(v)))

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, v):
        return str(v)

    @model_validator(mode="after")
    def _severity_refs(self):
        sev = self.severity
        if sev is not None and sev.assumption and sev.assumption not in {a.code for a in self.assumptions}:
            raise ValueError(f"severity.assumption '{sev.assumption}' is not defined under assumptions")
        if sev is not None and sev.source and sev.source not in {x.id for x in self.sources}:
            raise ValueError(f"severity.source '{sev.source}' is not defined under sources")
        known = {n.code for n in self.hierarchy}
        for st in self.stages:
            bad = [c for c in st.nodes if c not in known]
            if bad:
                raise ValueError(f"stage '{st.code}': nodes {', '.join(bad)} are not in the hierarchy")
        known = {a.code for a in self.assumptions}
        for where, code in (("weights_assumption", self.weights_assumption),
                            ("denominator.assumption", self.denominator.assumption if self.denominator else None)):
            if code and code not in known:
                raise ValueError(f"{where} '{code}' is not defined under assumptions")
        return self

    @model_validator(mode="after")
    def _indicator_weights(self):
        """weights_at: indicators -> every aggregate weighs the sum of the indicator weights beneath it."""
        if self.weights_at != "indicators":
            return self
        nodes = {n.code: n for n in self.hierarchy}
        total: dict[str, float] = {}
        for n in self.hierarchy:
            if n.type != "indicator":
                continue
            seen = set()
            p = n.parent
            while p is not None and p in nodes and p not in seen:
                seen.add(p)
                total[p] = total.get(p, 0.0) + float(n.weight)
                p = nodes[p].parent
        given = [n.code for n in self.hierarchy if n.type == "aggregate" and n.parent is not None
                 and "weight" in n.model_fields_set and n.weight != total.get(n.code)]
        if given:
            raise ValueError("weights_at: indicators takes weights on indicators only; remove the weight of "
                             + ", ".join(given))
        for code, w in total.items():
            nodes[code].weight = w
        return self

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
        dumped = self.model_dump(mode="json")
        if dumped.get("severity") is None:  # models without severity keep their earlier hash
            dumped.pop("severity", None)
        dumped.pop("stages", None)  # when events happen, not how the index is computed
        for src in dumped.get("sources") or []:  # sources without a description keep their earlier hash
            if src.get("description") is None:
                src.pop("description", None)
        payload = json.dumps(dumped, sort_keys=True, ensure_ascii=False,
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
# loading


def shipped_models() -> dict[str, Path]:
    # models/tps-*.yaml are TPS checklist models (rawan.tps.model), not index methodologies
    return {p.stem: p for p in sorted(MODELS_DIR.glob("*.yaml")) if not p.stem.startswith("tps-")}


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
        # an iMeta table on its own behaves as COINr does: no data-availability threshold
        raw = {"id": path.stem, "version": "0", "title": path.stem,
               "methods": {"default": {"min_coverage": 0.0}}, "hierarchy": read_imeta(path)}
    else:
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when present
        except yaml.YAMLError as e:
            raise SpecError(Problem("spec.yaml", {"file": path.name, "detail": str(e)})) from None
        if not isinstance(raw, dict):
            raise SpecError(Problem("spec.yaml", {"file": path.name, "detail": "not a mapping"}))
        if isinstance(raw.get("hierarchy"), str):
            raw["hierarchy"] = read_imeta(path.parent / raw["hierarchy"])
    return spec_from_dict(raw, file=path.name)


def spec_from_text(text: str, file: str = "<model>") -> Spec:
    """Parse (libyaml when present: ~10x faster than PyYAML's pure-Python parser) and validate a
    methodology held as YAML text, e.g. the frozen copy an edition keeps."""
    try:
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        raise SpecError(Problem("spec.yaml", {"file": file, "detail": str(e)})) from None
    if not isinstance(raw, dict):
        raise SpecError(Problem("spec.yaml", {"file": file, "detail": "not a mapping"}))
    return spec_from_dict(raw, file=file)


def spec_from_dict(raw: dict[str, Any], file: str = "<model>") -> Spec:
    try:
        spec = Spec.model_validate(raw)
    except ValidationError as e:
        probs = [Problem("spec.schema", {"file": file, "where": _loc(raw, err["loc"]), "detail": err["msg"]})
                 for err in e.errors()]
        raise SpecError(probs) from None
    from .validation import validate

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
