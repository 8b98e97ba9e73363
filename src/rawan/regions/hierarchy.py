"""The Kemendagri region list as one checked tree: provinsi > kab/kota > kecamatan > desa/kelurahan.

    regions = load_regions()            # the default list (see rawan.regions.defaults)
    regions = load_regions(province="32")  # Jawa Barat, from the list shipped with rawan
    regions.get("1501").name            # 'Kabupaten Kerinci'
    regions.descendants("15.01", level="desa_kelurahan")
    regions.find("Tanjab Barat")        # [Region('15.06', ...)]

The CSV format is ``jambi-wilayah.csv``: code, name, name_short, level, type, parent_code
(has_boundary is optional and ignored).  Codes may be written without dots; a ``.csv.gz`` is read
the same way.
"""

from __future__ import annotations

import csv
import difflib
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..engine.codes import level_of_code, normalise_code
from ..engine.errors import Problem
from ..engine.spec import REGION_LEVELS
from .messages import RegionError
from .names import name_key, name_prefix_type

from .defaults import FETCHED_SUBDIR, default_regions, list_files, normalise_province

WILAYAH_FILE = "jambi-wilayah.csv"  # the name `rawan data fetch` writes (whatever the province)
REQUIRED_COLUMNS = ("code", "name", "level", "parent_code")


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    name_short: str
    level: str
    parent: str | None
    type: str

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def parent_code(code: str) -> str | None:
    """The code one level up (``15.01.01`` -> ``15.01``), None for a province."""
    return code.rsplit(".", 1)[0] if "." in code else None


def _type_from_code(code: str, level: str) -> str:
    if level == "kabupaten_kota":
        return "kota" if int(code.split(".")[1]) >= 71 else "kabupaten"
    if level == "desa_kelurahan":
        return "kelurahan" if code.rsplit(".", 1)[1].startswith("1") else "desa"
    return level


def check_level(level: str) -> str:
    if level not in REGION_LEVELS:
        raise RegionError(Problem("regions.unknown_level", {"level": level, "known": ", ".join(REGION_LEVELS)}))
    return level


class Regions:
    """A checked tree of regions keyed by dotted Kemendagri code."""

    def __init__(self, regions: list[Region], source: str = ""):
        self.source = source
        self._by_code: dict[str, Region] = {r.code: r for r in regions}
        self._children: dict[str, list[str]] = {}
        for r in sorted(regions, key=lambda r: r.code):
            if r.parent is not None:
                self._children.setdefault(r.parent, []).append(r.code)
        self._by_key: dict[str, list[Region]] | None = None

    # --- basic access -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Region]:
        return iter(sorted(self._by_code.values(), key=lambda r: r.code))

    def __contains__(self, code: object) -> bool:
        if isinstance(code, Region):
            code = code.code
        c = normalise_code(str(code)) if code is not None else None
        return c is not None and c in self._by_code

    def normalise(self, code: str | int) -> str:
        """Dotted code for ``1501``/``150101``/``15.01`` (shape only; membership is ``in``)."""
        c = normalise_code(str(code))
        if c is None:
            raise RegionError(Problem("regions.invalid_code", {"code": code}))
        return c

    def get(self, code: str | int) -> Region:
        c = self.normalise(code)
        try:
            return self._by_code[c]
        except KeyError:
            raise RegionError(Problem("regions.unknown_code", {"code": c, "hint": ""})) from None

    def name(self, code: str, short: bool = False) -> str:
        r = self.get(code)
        return r.name_short if short else r.name

    @property
    def codes(self) -> list[str]:
        return sorted(self._by_code)

    # --- hierarchy ------------------------------------------------------------------------------
    def children(self, code: str) -> list[Region]:
        c = self.get(code).code
        return [self._by_code[k] for k in self._children.get(c, [])]

    def ancestors(self, code: str) -> list[Region]:
        """Parent first, province last."""
        out, r = [], self.get(code)
        while r.parent is not None:
            r = self._by_code[r.parent]
            out.append(r)
        return out

    def descendants(self, code: str, level: str | None = None) -> list[Region]:
        """All regions below ``code`` (sorted by code), or only those at ``level``."""
        if level is not None:
            check_level(level)
        out: list[Region] = []
        stack = [self.get(code).code]
        while stack:
            for k in self._children.get(stack.pop(), []):
                r = self._by_code[k]
                if level is None or r.level == level:
                    out.append(r)
                if level is None or REGION_LEVELS.index(r.level) < REGION_LEVELS.index(level):
                    stack.append(k)
        return sorted(out, key=lambda r: r.code)

    def at_level(self, level: str, parent: str | None = None) -> list[Region]:
        """Every region at ``level`` (sorted by code), optionally only those under ``parent``."""
        check_level(level)
        if parent is not None:
            p = self.get(parent)
            if p.level == level:
                return [p]
            return self.descendants(p.code, level=level)
        return sorted((r for r in self._by_code.values() if r.level == level), key=lambda r: r.code)

    def roots(self) -> list[Region]:
        return sorted((r for r in self._by_code.values() if r.parent is None), key=lambda r: r.code)

    # --- names ----------------------------------------------------------------------------------
    def _index(self) -> dict[str, list[Region]]:
        if self._by_key is None:
            idx: dict[str, list[Region]] = {}
            for r in self:
                for n in {r.name, r.name_short}:
                    bucket = idx.setdefault(name_key(n), [])
                    if r not in bucket:
                        bucket.append(r)
            self._by_key = idx
        return self._by_key

    def find(self, name: str, level: str | None = None, parent: str | None = None) -> list[Region]:
        """Regions whose name matches ``name`` up to spelling variants, sorted by code.

        "Batang Hari" = "Batanghari", "Tanjab Barat" = "Tanjabbar" = "Tanjung Jabung Barat",
        "Muarojambi" = "Muaro Jambi", with or without "Kab."/"Kabupaten"/"Kota", any case.
        A prefix narrows the type: "Kota Jambi" finds the city, not the province.  Names repeat
        (desa especially): narrow with ``level`` and ``parent``.  Empty list when nothing matches
        (see :meth:`suggest`).
        """
        if level is not None:
            check_level(level)
        hits = list(self._index().get(name_key(name), []))
        want_type = name_prefix_type(name)
        if want_type:
            typed = [r for r in hits if r.type == want_type]
            hits = typed or hits
        if level is not None:
            hits = [r for r in hits if r.level == level]
        if parent is not None:
            p = self.get(parent).code
            hits = [r for r in hits if r.code.startswith(p + ".")]
        return sorted(hits, key=lambda r: r.code)

    def suggest(self, name: str, level: str | None = None, n: int = 3) -> list[Region]:
        """The regions with the most similar names (for "did you mean ...?")."""
        idx = self._index()
        keys = [k for k, rs in idx.items() if level is None or any(r.level == level for r in rs)]
        out: list[Region] = []
        for k in difflib.get_close_matches(name_key(name), keys, n=n, cutoff=0.6):
            out += [r for r in idx[k] if (level is None or r.level == level) and r not in out]
        return out[:n]


def load_regions(path: str | Path | None = None, province: str | int | None = None) -> Regions:
    """Load and check a region list: a CSV (or .csv.gz) file, or a folder holding one.

    ``path=None`` is the default list (:func:`rawan.regions.defaults.default_regions`: $RAWAN_SHARED_DATA,
    the user data directory, then the list shipped with rawan).  ``province`` keeps only that
    province (needed for a list of all Indonesia; the default is Jambi, 15).
    """
    if path is None:
        return default_regions(province)
    province = normalise_province(province)
    p = Path(path)
    if p.is_dir():
        files = list_files(p)
        if not files:
            raise RegionError(Problem("regions.not_found", {"province": province or "-", "places": str(p)}))
        p = files[0]
    elif not p.is_file():
        raise RegionError(Problem("regions.not_found", {"province": province or "-", "places": str(p)}))
    return read_regions_file(p, province=province)


_CACHE: dict[tuple, Regions] = {}


def read_regions_file(file: Path, province: str | int | None = None) -> Regions:
    """:func:`read_regions_csv`, memoised per file version and province."""
    st = file.stat()
    prov = None if province is None else str(province)
    key = (str(file.resolve()), st.st_mtime_ns, st.st_size, prov)
    if key not in _CACHE:
        _CACHE[key] = read_regions_csv(file, province=prov)
    return _CACHE[key]


def read_regions_csv(file: Path, province: str | None = None) -> Regions:
    """Parse and check every row (of ``province`` only, if given); raise one RegionError listing all problems."""
    problems: list[Problem] = []
    regions: list[Region] = []
    first_row: dict[str, int] = {}
    opener = gzip.open if file.suffix == ".gz" else open
    with opener(file, "rt", encoding="utf-8-sig", newline="") as f:
        lines = f.read().splitlines(keepends=True)
    numbers = range(2, len(lines) + 1)
    if province is not None:  # one province of a national list: skip other lines before parsing them
        keep = [i for i in range(1, len(lines)) if lines[i].lstrip('"').startswith(province)]
        numbers = [i + 1 for i in keep]
        lines = lines[:1] + [lines[i] for i in keep]
    reader = csv.DictReader(lines)
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RegionError(Problem("regions.columns", {"file": file.name, "missing": ", ".join(missing)}))
    for i, row in zip(numbers, reader):
        raw = (row.get("code") or "").strip()
        code = normalise_code(raw)
        where = {"file": file.name, "row": i}
        if code is None:
            problems.append(Problem("regions.bad_code", {**where, "code": raw}))
            continue
        if province is not None and code.split(".")[0] != province:
            continue
        if code in first_row:
            problems.append(Problem("regions.duplicate", {**where, "code": code, "first": first_row[code]}))
            continue
        first_row[code] = i
        expected = level_of_code(code)
        given = (row.get("level") or "").strip() or expected
        if given != expected:
            problems.append(Problem("regions.bad_level", {**where, "code": code, "given": given, "expected": expected}))
        name = (row.get("name") or "").strip()
        if not name:
            problems.append(Problem("regions.empty_name", {**where, "code": code}))
        parent_raw = (row.get("parent_code") or "").strip()
        parent = normalise_code(parent_raw) if parent_raw else None
        if parent != parent_code(code):
            problems.append(Problem("regions.bad_parent", {**where, "code": code, "parent": parent_raw,
                                                           "expected": parent_code(code) or ""}))
        rtype = (row.get("type") or "").strip() or _type_from_code(code, expected)
        regions.append(Region(code, name, (row.get("name_short") or "").strip() or name, expected, parent, rtype))
    codes = {r.code for r in regions}
    for r in regions:
        if r.parent is not None and r.parent not in codes:
            problems.append(Problem("regions.bad_parent", {"file": file.name, "row": first_row[r.code], "code": r.code,
                                                           "parent": r.parent, "expected": r.parent}))
    if problems:
        raise RegionError(problems)
    return Regions(regions, source=str(file))
