"""TPS models: the per-TPS checklist of an election (variables, yes/no indicators, named rules).

    model = load_tps_model("tps-pilkada-2024")
    model.indicator_codes          # ['i01', ..., 'i25']
    model.variable_index           # variable position of each indicator (numpy array)
    model.rules.tps_rawan.min_indicators   # 1: "TPS rawan" = at least one indicator

A TPS model is a YAML file beside the IKP models (``models/tps-*.yaml``, ``kind: tps``); it has no
weights and no score: results are counts of TPS (domain.md §5.1).  The three reporting bands
("paling banyak / banyak / tidak banyak terjadi") have no published numeric rule, so the model
names its rule as an assumption, and the rule is configurable (:class:`BandRule`).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..engine.errors import Problem
from ..engine.spec import MODELS_DIR, Assumption, Source, Text, _text
from .messages import TpsError

TPS_MODEL_PREFIX = "tps-"  # shipped TPS models are models/tps-*.yaml (left out of the IKP model list)
BANDS = ("paling_banyak", "banyak", "tidak_banyak")
BAND_LABELS: dict[str, dict[str, str]] = {
    "paling_banyak": {"id": "Paling banyak terjadi", "en": "Most frequent"},
    "banyak": {"id": "Banyak terjadi", "en": "Frequent"},
    "tidak_banyak": {"id": "Tidak banyak terjadi namun tetap perlu diantisipasi",
                     "en": "Infrequent but still to be anticipated"},
}


class _T(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Collection(_T):
    start: str
    end: str


class Election(_T):
    code: str
    name: Text
    vote_date: str
    collection: Collection | None = None
    max_voters_per_tps: int | None = Field(default=None, gt=0)

    _t = field_validator("name", mode="before")(classmethod(lambda cls, v: _text(v)))


class Variable(_T):
    code: str
    name: Text

    _t = field_validator("name", mode="before")(classmethod(lambda cls, v: _text(v)))


class Indicator(_T):
    code: str
    variable: str
    name: Text
    short: Text | None = None

    _t = field_validator("name", "short", mode="before")(classmethod(lambda cls, v: _text(v)))

    def label(self, lang: str = "id", short: bool = False) -> str:
        return (self.short if short and self.short else self.name).get(lang)


class TpsRawanRule(_T):
    """The model's named rule: a TPS is "TPS rawan" when it meets at least ``min_indicators`` indicators."""

    name: Text
    min_indicators: int = Field(default=1, ge=1)
    text: Text
    source: str | None = None

    _t = field_validator("name", "text", mode="before")(classmethod(lambda cls, v: _text(v)))


class BandRule(_T):
    """How indicator counts fall into the three reporting bands (an assumption: Bawaslu has no numeric rule).

    ``share_of_max``: paling banyak when count >= cuts[0] x the largest count of the region, banyak when
    >= cuts[1] x it, else tidak banyak.  ``rank``: the ``counts[0]`` largest are paling banyak, the next
    ``counts[1]`` banyak, the rest tidak banyak (ties broken by indicator order).  Indicators with no TPS
    are in no band.
    """

    method: Literal["share_of_max", "rank"]
    cuts: tuple[float, float] | None = None
    counts: tuple[int, int] | None = None
    assumption: str

    @model_validator(mode="after")
    def _params(self):
        if self.method == "share_of_max":
            if self.cuts is None or not (1 >= self.cuts[0] > self.cuts[1] > 0):
                raise ValueError("share_of_max needs cuts [a, b] with 1 >= a > b > 0")
        elif self.counts is None or min(self.counts) < 0:
            raise ValueError("rank needs counts [n_paling_banyak, n_banyak], both >= 0")
        return self


class Rules(_T):
    tps_rawan: TpsRawanRule
    bands: BandRule


class CompiledList(_T):
    confidence: str
    note: Text
    sources: list[str] = []

    _t = field_validator("note", mode="before")(classmethod(lambda cls, v: _text(v)))


class TpsModel(_T):
    kind: Literal["tps"]
    id: str
    version: str
    election: Election
    title: Text
    description: Text | None = None
    compiled_list: CompiledList | None = None
    sources: list[Source] = []
    assumptions: list[Assumption] = []
    rules: Rules
    variables: list[Variable] = Field(min_length=1)
    indicators: list[Indicator] = Field(min_length=1)

    _t = field_validator("title", "description", mode="before")(classmethod(lambda cls, v: _text(v)))

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, v):
        return str(v)

    @model_validator(mode="after")
    def _refs(self):
        problems = []
        for kind, codes in (("variable", [v.code for v in self.variables]),
                            ("indicator", [i.code for i in self.indicators])):
            dup = sorted({c for c in codes if codes.count(c) > 1})
            if dup:
                problems.append(f"{kind} codes repeat: {', '.join(dup)}")
        var_codes = {v.code for v in self.variables}
        for i in self.indicators:
            if i.variable not in var_codes:
                problems.append(f"indicator {i.code} names unknown variable {i.variable}")
        empty = [v.code for v in self.variables if not any(i.variable == v.code for i in self.indicators)]
        if empty:
            problems.append(f"variables without indicators: {', '.join(empty)}")
        assumptions = {a.code for a in self.assumptions}
        if self.rules.bands.assumption not in assumptions:
            problems.append(f"rules.bands names unknown assumption {self.rules.bands.assumption}")
        sources = {s.id for s in self.sources}
        refs = [self.rules.tps_rawan.source] + (self.compiled_list.sources if self.compiled_list else [])
        problems += [f"unknown source {s}" for s in refs if s is not None and s not in sources]
        if self.rules.tps_rawan.min_indicators > len(self.indicators):
            problems.append("rules.tps_rawan.min_indicators is larger than the number of indicators")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # --- derived, for vectorised counting -----------------------------------------------------
    @cached_property
    def indicator_codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    @cached_property
    def variable_codes(self) -> list[str]:
        return [v.code for v in self.variables]

    @cached_property
    def variable_index(self) -> np.ndarray:
        """Position of each indicator's variable in :attr:`variables` (int array, one per indicator)."""
        pos = {v.code: k for k, v in enumerate(self.variables)}
        return np.array([pos[i.variable] for i in self.indicators], dtype=np.intp)

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise TpsError(Problem("tps.unknown_indicator", {"code": code, "model": self.id,
                                                          "known": ", ".join(self.indicator_codes)}))

    def variable(self, code: str) -> Variable:
        for v in self.variables:
            if v.code == code:
                return v
        raise TpsError(Problem("tps.unknown_variable", {"code": code, "model": self.id,
                                                         "known": ", ".join(self.variable_codes)}))

    def assumption(self, code: str) -> Assumption:
        return next(a for a in self.assumptions if a.code == code)

    def with_bands(self, rule: BandRule | dict) -> "TpsModel":
        """A copy with another band rule (the rule is configurable; its assumption must exist)."""
        raw = self.model_dump()
        raw["rules"]["bands"] = rule.model_dump() if isinstance(rule, BandRule) else dict(rule)
        return tps_model_from_dict(raw, file=f"{self.id} (bands)")


def shipped_tps_models() -> dict[str, Path]:
    return {p.stem: p for p in sorted(MODELS_DIR.glob(f"{TPS_MODEL_PREFIX}*.yaml"))}


def tps_model_from_dict(raw: dict, file: str = "<model>") -> TpsModel:
    try:
        return TpsModel.model_validate(raw)
    except ValidationError as e:
        raise TpsError([Problem("tps.model_schema", {"file": file, "where": ".".join(str(x) for x in err["loc"]) or "-",
                                                     "detail": err["msg"]}) for err in e.errors()]) from None


_CACHE: dict[tuple, TpsModel] = {}


def load_tps_model(model: str | Path = "tps-pilkada-2024") -> TpsModel:
    """A shipped TPS model by id (``tps-pilkada-2024``, ``tps-pemilu-2024``) or a YAML file."""
    p = Path(model)
    if not p.is_file():
        shipped = shipped_tps_models()
        if str(model) not in shipped:
            raise TpsError(Problem("tps.unknown_model", {"model": str(model), "known": ", ".join(shipped)}))
        p = shipped[str(model)]
    st = p.stat()
    key = (str(p.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _CACHE:
        try:
            raw = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            raise TpsError(Problem("tps.model_schema", {"file": p.name, "where": "-", "detail": str(e)})) from None
        if not isinstance(raw, dict):
            raise TpsError(Problem("tps.model_schema", {"file": p.name, "where": "-", "detail": "not a mapping"}))
        _CACHE[key] = tps_model_from_dict(raw, file=p.name)
    return _CACHE[key]
