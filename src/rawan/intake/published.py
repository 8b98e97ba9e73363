"""Published results ("hasil terbit"): a table of code, name, score and category as Bawaslu
printed them, with their sources, and no indicator data.

    pub = load_published("pilkada-2024-jambi")          # shipped with rawan (src/rawan/data/terbit)
    pub = load_published("hasil-pilkada-2024.yaml")     # an edition file naming its table and sources
    pub = load_published("hasil.csv")                   # a bare table: kode, nama, skor, kategori[, ...]

Categories are read by the one reader (:func:`rawan.vocabulary.read_category`): "Rawan Tinggi",
"rawan tinggi", "tinggi", and abbreviations the edition file declares (``categories: {RT: tinggi}``).
Numbers are read by the engine's one number rule (decimal comma "26,05" is read as 26.05).
Other numeric columns are published dimension scores.  Errors name the file, row and column.

An edition file (YAML) holds what a reader needs to trust the figures:

    id: pilkada-2024-jambi
    title: {id: ..., en: ...}
    publisher: Bawaslu Provinsi Jambi
    date: 2024-08-31
    election: pilkada              # pilkada | pemilu: which legal basis the book cites
    level: kabupaten_kota
    table: pilkada-2024-jambi.csv  # beside the edition file
    categories: {RT: tinggi}       # abbreviations used in the table, if any
    scale: {id: ..., en: ...}      # how to read the scale and the classes
    sources: [{id, title, url, confidence, note}]
    figures:                       # the figure(s) of the region above the table (e.g. the province)
      - {code: "15", score: 41.63, category: sedang, approach: {id: ..., en: ...}, sources: [a, b]}
      - {code: "15", score: 41.36, category: sedang, sources: [c]}   # sources that disagree: both kept
    no_score: [{code: "93", note: {id: ..., en: ...}}]   # regions drawn as "no separate score"
    dimensions: [{code: sospol, name: {id: ..., en: ...}}]
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..engine.codes import infer_region_level, normalise_codes
from ..engine.data import parse_numbers, read_columns, resolve_locale
from ..engine.errors import DataError, Problem, register_messages
from ..vocabulary import CATEGORY_ORDER, UnknownCategory, read_category

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "terbit"

COLUMNS = {
    "code": ("code", "kode", "kode_wilayah"),
    "name": ("name", "nama", "wilayah", "nama_wilayah"),
    "score": ("score", "skor", "index", "indeks", "nilai"),
    "category": ("category", "kategori", "kelas"),
    "rank": ("rank", "peringkat"),
    "source": ("source", "sumber", "sources", "source_note", "catatan", "note", "keterangan"),
}


@dataclass
class Figure:
    """One published figure of a region (e.g. the province score), with its sources."""

    code: str
    score: float | None
    category: str | None
    sources: list[str] = field(default_factory=list)  # source ids (or text)
    approach: dict[str, str] = field(default_factory=dict)
    confidence: str = ""
    name: str = ""


@dataclass
class PublishedRow:
    code: str
    name: str
    score: float | None
    category: str | None
    rank: int | None
    dims: dict[str, float | None] = field(default_factory=dict)
    note: str = ""


@dataclass
class Published:
    """A results-only edition: rows as published, where they come from and how to read them."""

    id: str
    title: dict[str, str]
    level: str
    rows: list[PublishedRow]
    sources: list[dict] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    no_score: list[dict] = field(default_factory=list)
    dimensions: list[dict] = field(default_factory=list)
    scale: dict[str, str] = field(default_factory=dict)
    publisher: str = ""
    date: str = ""
    election: str = "pemilu"
    stages: list[dict] = field(default_factory=list)  # {name, national, items}: the mapping's stages as published
    tps: str = ""  # the published TPS-rawan mapping of the same election (rawan.tps.published), if any
    file: str = ""
    sha256: str = ""
    synthetic: bool = False

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.rows]

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("id") or ""

    def source(self, sid: str) -> dict | None:
        return next((s for s in self.sources if s.get("id") == sid), None)

    def map_values(self, column: str = "category") -> dict:
        """code -> category (or score with ``column`` "score"), the regions without a separate score as None."""
        vals = {r.code: (r.score if column in ("score", "skor") else r.category) for r in self.rows}
        for n in self.no_score:
            vals.setdefault(n["code"], None)
        return vals

    def counts(self) -> dict[str | None, int]:
        out: dict[str | None, int] = {c: 0 for c in CATEGORY_ORDER}
        for r in self.rows:
            out[r.category] = out.get(r.category, 0) + 1
        return out

    def restrict(self, parent: str) -> "Published":
        """Only the rows under ``parent`` (their published scores, classes and ranks kept)."""
        rows = [r for r in self.rows if r.code == parent or r.code.startswith(parent + ".")]
        if not rows:
            raise DataError(Problem("published.no_rows_under", {"file": self.file or self.id, "parent": parent}))
        return Published(**{**self.__dict__, "rows": rows,
                            "figures": [f for f in self.figures if f.code == parent],
                            "no_score": [n for n in self.no_score if str(n.get("code", "")).startswith(parent)]})


def _pick(cols: list[str], role: str) -> str | None:
    low = {c.strip().lower(): c for c in cols}
    return next((low[a] for a in COLUMNS[role] if a in low), None)


def looks_published(path: str | Path, indicators=()) -> bool:
    """Whether a table is a published results table (a category and a score column, none of the
    model's ``indicators``) or an edition file; the report, infographic and map commands use it
    to take the results-only path instead of computing."""
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        return True
    if not path.exists():
        return (SHIPPED / f"{path.name}.yaml").exists()
    try:
        cols = [str(c) for c in read_columns(path).header]
    except DataError:
        return False
    if set(indicators) & set(cols):
        return False
    return _pick(cols, "category") is not None and _pick(cols, "score") is not None


def shipped_editions() -> list[str]:
    """The published editions shipped with rawan (src/rawan/data/terbit)."""
    return sorted(p.stem for p in SHIPPED.glob("*.yaml"))


def load_published(source: str | Path, *, locale: str | None = None) -> Published:
    """A published edition: a shipped one by name, an edition file (YAML) or a bare table."""
    path = Path(source)
    if not path.exists() and (SHIPPED / f"{path.name}.yaml").exists():
        path = SHIPPED / f"{path.name}.yaml"
    if path.suffix.lower() in (".yaml", ".yml"):
        return _from_edition_file(path, locale)
    return read_published_table(path, locale=locale)


def _text(v) -> dict[str, str]:
    if v is None:
        return {}
    if isinstance(v, dict):
        return {str(k): " ".join(str(x).split()) for k, x in v.items()}
    return {"id": " ".join(str(v).split())}


def _from_edition_file(path: Path, locale: str | None) -> Published:
    import yaml

    if not path.exists():
        raise DataError(Problem("data.file_missing", {"file": str(path)}))
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise DataError(Problem("published.yaml", {"file": path.name, "detail": str(e).splitlines()[0]})) from None
    if not isinstance(meta, dict) or "table" not in meta:
        raise DataError(Problem("published.key", {"file": path.name, "key": "table"}))
    aliases = {str(k): str(v) for k, v in (meta.get("categories") or {}).items()}
    pub = read_published_table(path.parent / str(meta["table"]), locale=locale, aliases=aliases)
    pub.id = str(meta.get("id") or path.stem)
    pub.title = _text(meta.get("title"))
    pub.publisher = str(meta.get("publisher") or "")
    pub.date = str(meta.get("date") or "")
    pub.election = str(meta.get("election") or "pemilu")
    if pub.election not in ("pemilu", "pilkada"):
        raise DataError(Problem("published.election", {"file": path.name, "value": pub.election}))
    if meta.get("level"):
        pub.level = str(meta["level"])
    pub.scale = _text(meta.get("scale"))
    pub.sources = [{"id": str(s.get("id", "")), "title": " ".join(str(s.get("title", "")).split()),
                    "url": str(s.get("url") or ""), "confidence": str(s.get("confidence") or ""),
                    "note": _text(s.get("note"))} for s in meta.get("sources") or []]
    ids = {s["id"] for s in pub.sources}
    for k, f in enumerate(meta.get("figures") or [], 1):
        cat = _category(f.get("category"), aliases, path.name, f"figures[{k}]", "category")
        srcs = [str(s) for s in f.get("sources") or []]
        unknown = [s for s in srcs if s not in ids]
        if unknown:
            raise DataError(Problem("published.unknown_source", {"file": path.name, "where": f"figures[{k}]",
                                                                 "source": unknown[0]}))
        score = f.get("score")
        pub.figures.append(Figure(code=str(f.get("code", "")), score=None if score is None else float(score),
                                  category=cat, sources=srcs, approach=_text(f.get("approach")),
                                  confidence=str(f.get("confidence") or ""), name=str(f.get("name") or "")))
    pub.no_score = [{"code": str(n.get("code", "")), "note": _text(n.get("note"))} for n in meta.get("no_score") or []]
    pub.dimensions = [{"code": str(d.get("code")), "name": _text(d.get("name"))} for d in meta.get("dimensions") or []]
    pub.stages = [{"name": _text(st.get("name")), "national": _text(st.get("national")),
                   "items": [_text(i) for i in st.get("items") or []]} for st in meta.get("stages") or []]
    pub.tps = str(meta.get("tps") or "")
    h = hashlib.sha256(path.read_bytes())
    h.update(pub.sha256.encode())
    pub.sha256 = h.hexdigest()
    pub.file = path.name
    return pub


def _category(value, aliases, file, row, column):
    try:
        return read_category(value, aliases)
    except UnknownCategory:
        raise DataError(Problem("published.bad_category", {"file": file, "row": row, "column": column,
                                                           "value": value, "aliases": ", ".join(aliases) or "-"})) from None


def read_published_table(path: str | Path, *, locale: str | None = None,
                         aliases: dict[str, str] | None = None) -> Published:
    """A bare published table (CSV, XLSX, Parquet): code, name, score, category, [rank], [source],
    and any other numeric column as a published dimension score."""
    path = Path(path)
    raw = read_columns(path)
    locale = resolve_locale(raw.locale, locale, path.name)
    cols = [str(c) for c in raw.header]
    by = dict(zip(cols, raw.columns))
    pick = {role: _pick(cols, role) for role in COLUMNS}
    for role in ("code", "score", "category"):
        if pick[role] is None:
            raise DataError(Problem("published.missing_column", {"file": path.name, "role": role,
                                                                 "names": ", ".join(COLUMNS[role]),
                                                                 "columns": ", ".join(cols)}))
    codes, ok = normalise_codes(by[pick["code"]])
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise DataError(Problem("published.bad_code", {"file": path.name, "row": i + 2, "column": pick["code"],
                                                       "code": codes[i]}))
    seen: dict[str, int] = {}
    for i, c in enumerate(codes):
        if c in seen:
            raise DataError(Problem("published.duplicate", {"file": path.name, "row": i + 2, "code": c,
                                                            "first": seen[c] + 2}))
        seen[c] = i

    def numbers(col: str) -> list[float | None]:
        p = parse_numbers(by[col], locale)
        cells = by[col].to_pylist()
        for i in np.flatnonzero(p.bad | p.ambiguous):
            raise DataError(Problem("published.bad_number", {"file": path.name, "row": int(i) + 2, "column": col,
                                                             "value": cells[i]}))
        return [None if p.empty[i] else float(p.values[i]) for i in range(len(cells))]

    scores = numbers(pick["score"])
    cats = [_category(v, aliases or {}, path.name, i + 2, pick["category"])
            for i, v in enumerate(by[pick["category"]].to_pylist())]
    ranks = numbers(pick["rank"]) if pick["rank"] else None
    names = [str(v or "") for v in by[pick["name"]].to_pylist()] if pick["name"] else [""] * len(codes)
    notes = [str(v or "") for v in by[pick["source"]].to_pylist()] if pick["source"] else [""] * len(codes)
    used = {v for v in pick.values() if v}
    dims = {}
    for c in cols:
        if c in used:
            continue
        dims[c] = numbers(c)
    if ranks is None:  # as ranks are computed everywhere: ties share the best rank (1, 2, 2, 4)
        s = [x for x in scores if x is not None]
        ranks = [None if x is None else 1 + sum(1 for y in s if y > x) for x in scores]
    rows = [PublishedRow(code=codes[i], name=names[i], score=scores[i], category=cats[i],
                         rank=None if ranks[i] is None else int(ranks[i]),
                         dims={d: v[i] for d, v in dims.items()}, note=notes[i]) for i in range(len(codes))]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.code))
    level = infer_region_level(codes) or ""
    return Published(id=path.stem, title={}, level=level, rows=rows,
                     dimensions=[{"code": d, "name": {"id": d}} for d in dims], file=path.name,
                     sha256=hashlib.sha256(path.read_bytes()).hexdigest())


register_messages({
    "published.missing_column": {
        "id": "Tabel hasil terbit {file} tidak punya kolom {role} (nama yang dikenal: {names}); kolomnya: {columns}.",
        "en": "Published results table {file} has no {role} column (known names: {names}); its columns: {columns}.",
    },
    "published.bad_category": {
        "id": "{file}, baris {row}, kolom {column}: '{value}' bukan kategori kerawanan (Rawan Tinggi / Sedang / "
              "Rendah; singkatan yang dinyatakan: {aliases}).",
        "en": "{file}, row {row}, column {column}: '{value}' is not a vulnerability category (Rawan Tinggi / Sedang / "
              "Rendah; declared abbreviations: {aliases}).",
    },
    "published.bad_number": {
        "id": "{file}, baris {row}, kolom {column}: '{value}' bukan angka.",
        "en": "{file}, row {row}, column {column}: '{value}' is not a number.",
    },
    "published.bad_code": {
        "id": "{file}, baris {row}, kolom {column}: kode wilayah '{code}' tidak sah.",
        "en": "{file}, row {row}, column {column}: region code '{code}' is not valid.",
    },
    "published.duplicate": {
        "id": "{file}, baris {row}: kode {code} sudah ada di baris {first}.",
        "en": "{file}, row {row}: code {code} already appears in row {first}.",
    },
    "published.yaml": {
        "id": "Berkas edisi {file} bukan YAML yang sah: {detail}",
        "en": "Edition file {file} is not valid YAML: {detail}",
    },
    "published.key": {
        "id": "Berkas edisi {file} tidak punya kunci '{key}'.",
        "en": "Edition file {file} has no '{key}' key.",
    },
    "published.election": {
        "id": "Berkas edisi {file}: election '{value}' tidak dikenal (pemilu atau pilkada).",
        "en": "Edition file {file}: unknown election '{value}' (pemilu or pilkada).",
    },
    "published.unknown_source": {
        "id": "Berkas edisi {file}, {where}: sumber '{source}' tidak ada di daftar sources.",
        "en": "Edition file {file}, {where}: source '{source}' is not in the sources list.",
    },
    "published.no_rows_under": {
        "id": "Edisi {file} tidak punya wilayah di bawah kode {parent}.",
        "en": "Edition {file} has no region under code {parent}.",
    },
})
