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


class CollectionState(_T):
    """The state of a TPS collection of the web app when its counts were exported (a "TPS results
    file"): closed (the collection window has ended) or still open, and how many desa/kelurahan of
    its registry had not reported.  A release of published figures has none."""

    closed: bool
    desa: int = Field(ge=0)  # desa/kelurahan in the collection's TPS list
    desa_not_reported: int = Field(ge=0)  # of which had not reported ("belum")
    as_of: str  # the date of the latest save or report counted (ISO)

    @model_validator(mode="after")
    def _within(self):
        if self.desa_not_reported > self.desa:
            raise ValueError(f"desa_not_reported {self.desa_not_reported} exceeds desa {self.desa}")
        return self

    @property
    def complete(self) -> bool:
        return self.desa_not_reported == 0


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
    rows: list[PublishedRow] = []
    collection: CollectionState | None = None  # set in a TPS results file exported from the web app
    synthetic: bool = False  # counts of DATA CONTOH checklists

    _t = field_validator("title", mode="before")(classmethod(lambda cls, v: _text(v)))

    @model_validator(mode="after")
    def _rows(self):
        if not self.rows and self.collection is None:  # a collection may have found no TPS rawan yet
            raise ValueError("rows: a release lists at least one indicator")
        return self

    @property
    def tps_model(self) -> TpsModel:
        return load_tps_model(self.model)

    @property
    def has_region_counts(self) -> bool:
        """False: a release names kab/kota without their counts (no choropleth can be drawn)."""
        return False


def from_counts(counts, *, region: str, region_name: str, publisher: str, date: str, title: dict, model: str,
                collection: CollectionState, names: dict[str, str] | None = None,
                source: dict | None = None) -> Published:
    """A TPS results file from the counts of a collection (rawan.tps.count_tps): the number of TPS per
    indicator in ``region`` (largest first), its band, the kab/kota with the most (up to five) and the
    collection's state.  What the web app exports and the book's TPS chapter reads, like a release."""
    reg = counts.region(region)
    bands = counts.bands(region)
    tm = counts.model
    order = sorted((j for j in range(len(tm.indicators)) if reg.indicators[j] > 0),
                   key=lambda j: (-int(reg.indicators[j]), tm.indicators[j].code))
    rows = []
    for k, j in enumerate(order, 1):
        ind = tm.indicators[j]
        top = counts.top(ind.code, level="kabupaten_kota", within=region, n=5) if region.count(".") < 1 else []
        rows.append({"rank": k, "indicator": ind.code, "as_written": ind.name.get("id"), "tps": int(reg.indicators[j]),
                     "kabkota": [c for c, _ in top], "kabkota_as_written": [(names or {}).get(c, c) for c, _ in top]})
    used = {b for j, b in enumerate(bands) if b is not None and reg.indicators[j] > 0}
    summary = {"variables": int(sum(1 for v in reg.variables if v > 0)), "indicators_reported": len(order),
               "desa_reported_at_least": collection.desa - collection.desa_not_reported,
               "bands": {b: sum(1 for j in order if bands[j] == b) for b in BANDS if b in used}}
    if region.count(".") < 1:
        summary["kabkota"] = int(sum(1 for r in counts.level("kabupaten_kota").select(region)
                                     if counts.level("kabupaten_kota").n_reported[r] > 0))
    return Published.model_validate({
        "id": f"{model}-{region}", "model": model, "region": region, "region_name": region_name,
        "publisher": publisher, "published": date, "title": title, "summary": summary, "confidence": "",
        "sources": [source or {"id": "rawan", "title": publisher}], "rows": rows,
        "collection": collection.model_dump(), "synthetic": bool(counts.synthetic)})


def write_published(pub: Published, path: Path) -> Path:
    """Write a TPS results file (YAML, the schema of the packaged releases), atomically."""
    path = Path(path)
    data = pub.model_dump(mode="json", exclude_none=True)
    text = "# TPS-rawan counts (rawan): number of TPS per indicator, never a score.\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=110)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


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
