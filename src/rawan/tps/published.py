"""Published TPS-rawan figures kept as released (results only): ``models/tps-published/*.yaml``.

    pub = load_published("jambi-pilkada-2024")   # Bawaslu Provinsi Jambi, 23 Nov 2024
    pub.rows[0].tps, pub.rows[0].kabkota          # 1834, ['15.01', '15.08', ...]

A release gives the number of TPS per indicator and names the kab/kota with the most; it gives no
per-kab/kota counts, so these figures are shown as a table with the named kab/kota, never as a map.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..engine.errors import Problem
from ..engine.spec import MODELS_DIR, Source, Text, _text
from .messages import TpsError
from .model import BANDS, TpsModel, load_tps_model

PUBLISHED_DIR = MODELS_DIR / "tps-published"


class _T(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PublishedRow(_T):
    rank: int = Field(ge=1)
    indicator: str
    as_written: str
    tps: int = Field(ge=0)
    kabkota: list[str] = []
    kabkota_as_written: list[str] = []
    note: Text | None = None

    _t = field_validator("note", mode="before")(classmethod(lambda cls, v: _text(v)))

    @model_validator(mode="after")
    def _pairs(self):
        if self.kabkota and len(self.kabkota) != len(self.kabkota_as_written):
            raise ValueError(f"row {self.rank}: kabkota and kabkota_as_written differ in length")
        bad = [c for c in self.kabkota if len(c) != 5 or c[2] != "."]
        if bad:
            raise ValueError(f"row {self.rank}: not kab/kota codes: {', '.join(bad)}")
        return self


class PublishedSummary(_T):
    variables: int
    indicators_reported: int
    desa_reported_at_least: int | None = None
    kabkota: int | None = None
    bands: dict[str, int] = {}
    note: Text | None = None

    _t = field_validator("note", mode="before")(classmethod(lambda cls, v: _text(v)))

    @field_validator("bands")
    @classmethod
    def _bands(cls, v):
        unknown = [k for k in v if k not in BANDS]
        if unknown:
            raise ValueError(f"unknown bands: {', '.join(unknown)}")
        return v


class Published(_T):
    id: str
    model: str
    region: str
    region_name: str
    publisher: str
    published: str
    title: Text
    summary: PublishedSummary
    confidence: str
    sources: list[Source] = Field(min_length=1)
    rows: list[PublishedRow] = Field(min_length=1)

    _t = field_validator("title", mode="before")(classmethod(lambda cls, v: _text(v)))

    @property
    def tps_model(self) -> TpsModel:
        return load_tps_model(self.model)

    @property
    def has_region_counts(self) -> bool:
        """False: a release names kab/kota without their counts (no choropleth can be drawn)."""
        return False


def published_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted(PUBLISHED_DIR.glob("*.yaml"))}


def load_published(name: str | Path = "jambi-pilkada-2024") -> Published:
    """A published release by id (``jambi-pilkada-2024``) or a YAML file; indicators checked against its model."""
    p = Path(name)
    if not p.is_file():
        files = published_files()
        if str(name) not in files:
            raise TpsError(Problem("tps.unknown_model", {"model": str(name), "known": ", ".join(files)}))
        p = files[str(name)]
    try:
        pub = Published.model_validate(yaml.safe_load(p.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as e:
        errs = e.errors() if isinstance(e, ValidationError) else [{"loc": (), "msg": str(e)}]
        raise TpsError([Problem("tps.model_schema", {"file": p.name, "where": ".".join(map(str, x["loc"])) or "-",
                                                     "detail": x["msg"]}) for x in errs]) from None
    model = pub.tps_model
    for row in pub.rows:
        model.indicator(row.indicator)  # raises naming the unknown code
    return pub
