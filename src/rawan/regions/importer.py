"""Import boundary files (GeoJSON, zipped Shapefile, GeoPackage) and match them to region codes.

    report = import_boundaries("desa.geojson", code_field="code")
    report.unmatched      # features whose code is not a known region, with name suggestions
    report.missing        # regions at that level without a geometry
    report.boundaries.save(path)

Coordinates must be longitude/latitude (EPSG:4326).  A projected file (metres) or one with
latitude and longitude swapped is refused with an error that says so.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from ..engine.codes import infer_region_level, normalise_code
from ..engine.errors import Problem
from .boundaries import Boundaries, build_boundaries
from .hierarchy import Regions, check_level, load_regions
from .messages import RegionError
from .names import name_key

CODE_FIELDS = ("code", "kode", "kode_wilayah", "kode_wil", "kdepum", "id")
NAME_FIELDS = ("name", "nama", "wadmkd", "wadmkc", "wadmkk", "namobj")
# Indonesia spans roughly 94..142 E and 12 S..7 N; Kemendagri codes only exist there
LON_RANGE, LAT_RANGE = (94.0, 142.0), (-12.0, 7.0)


@dataclass
class Unmatched:
    code: str
    name: str
    suggestions: list[str] = field(default_factory=list)  # "15.03 Kabupaten Sarolangun"


@dataclass
class ImportReport:
    boundaries: Boundaries
    level: str
    features: int
    matched: int
    unmatched: list[Unmatched]
    missing: list[str]  # codes of regions at `level` without geometry
    repaired: list[str]  # codes whose geometry was invalid and repaired
    duplicates: list[str]  # codes given by more than one feature (their parts were unioned)
    # region without geometry -> unmatched features with a similar name ("15.01.03 X" -> ["1501099 X"])
    missing_suggestions: dict[str, list[str]] = field(default_factory=dict)


def _pick_field(fields: list[str], wanted: str | None, candidates: tuple[str, ...], file: Path) -> int | None:
    lower = [f.lower() for f in fields]
    if wanted is not None:
        if wanted.lower() not in lower:
            raise RegionError(Problem("boundaries.no_code_field", {"file": file.name, "field": wanted,
                                                                   "fields": ", ".join(fields)}))
        return lower.index(wanted.lower())
    for c in candidates:
        if c in lower:
            return lower.index(c)
    return None


def read_features(path: str | Path, code_field: str | None = None, layer: str | int | None = None):
    """Codes, names and shapely geometries of a boundary file, checked for lon/lat coordinates."""
    file = Path(path)
    if not file.is_file():
        raise RegionError(Problem("boundaries.file_missing", {"file": str(file)}))
    import pyogrio.raw  # imported here: pyogrio loads pandas, which every CLI start would pay for

    try:
        meta, _fids, wkb, data = pyogrio.raw.read(file, layer=layer)
    except Exception as e:  # pyogrio's DataSourceError and GDAL parse errors
        raise RegionError(Problem("boundaries.unreadable", {"file": file.name, "detail": str(e).strip()})) from e
    fields = [str(f) for f in meta["fields"]]
    ci = _pick_field(fields, code_field, CODE_FIELDS, file)
    if ci is None:
        raise RegionError(Problem("boundaries.no_code_field", {"file": file.name, "field": "code/kode",
                                                               "fields": ", ".join(fields) or "-"}))
    ni = _pick_field(fields, None, NAME_FIELDS, file)
    geoms = shapely.from_wkb(wkb)
    if geoms is None or len(geoms) == 0 or shapely.is_missing(geoms).all():
        raise RegionError(Problem("boundaries.empty", {"file": file.name}))
    _check_lonlat(file, meta.get("crs"), geoms)
    codes = [str(c).strip() if c is not None else "" for c in data[ci]]
    names = [str(n) if n is not None else "" for n in data[ni]] if ni is not None else [""] * len(codes)
    return codes, names, geoms, fields[ci]


def _check_lonlat(file: Path, crs: str | None, geoms) -> None:
    # judged on the coordinates themselves (pyproj is not a dependency): projected files have
    # metre values far outside +-180/+-90, swapped ones have Indonesia's latitudes as x
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    inside = LON_RANGE[0] <= xmin and xmax <= LON_RANGE[1] and LAT_RANGE[0] <= ymin and ymax <= LAT_RANGE[1]
    if inside:
        return
    bounds = f"x {xmin:.4g}..{xmax:.4g}, y {ymin:.4g}..{ymax:.4g}"
    swapped = LAT_RANGE[0] <= xmin and xmax <= LAT_RANGE[1] and LON_RANGE[0] <= ymin and ymax <= LON_RANGE[1]
    if swapped:
        raise RegionError(Problem("boundaries.swapped", {"file": file.name, "bounds": bounds}))
    if max(abs(xmin), abs(xmax)) > 180 or max(abs(ymin), abs(ymax)) > 90:
        raise RegionError(Problem("boundaries.projected", {"file": file.name, "crs": crs or bounds}))
    raise RegionError(Problem("boundaries.outside", {"file": file.name, "bounds": bounds}))


def _polygonal(g):
    """Repair an invalid geometry and keep only its polygon parts."""
    if g is None:
        return None
    if not shapely.is_valid(g):
        g = shapely.make_valid(g)
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def import_boundaries(path: str | Path, *, code_field: str | None = None, level: str | None = None,
                      regions: Regions | None = None, layer: str | int | None = None,
                      simplify: bool = True) -> ImportReport:
    """Read, check, repair and match a boundary file; build the consistent set for all levels above."""
    file = Path(path)
    codes_raw, names, geoms, used_field = read_features(file, code_field, layer)
    norm = [normalise_code(c) for c in codes_raw]
    if regions is None:  # the default list of the province the file is of
        provinces = {c.split(".")[0] for c in norm if c is not None}
        regions = load_regions(province=provinces.pop() if len(provinces) == 1 else None)
    if level is None:
        known = [c for c in norm if c is not None]
        level = infer_region_level(known) if known else None
        if level is None:
            raise RegionError(Problem("boundaries.mixed_levels", {"file": file.name, "field": used_field}))
    check_level(level)

    by_code: dict[str, list] = {}
    unmatched: list[Unmatched] = []
    repaired: list[str] = []
    for raw, code, name, g in zip(codes_raw, norm, names, geoms):
        if code is None or code not in regions or regions.get(code).level != level:
            sugg = regions.suggest(name, level=level) if name else []
            unmatched.append(Unmatched(raw, name, [f"{r.code} {r.name}" for r in sugg]))
            continue
        fixed = _polygonal(g)
        if fixed is None or fixed.is_empty:
            unmatched.append(Unmatched(raw, name, []))
            continue
        if fixed is not g:
            repaired.append(code)
        by_code.setdefault(code, []).append(fixed)
    if not by_code:
        sample = ", ".join(u.code or "(kosong)" for u in unmatched[:5])
        raise RegionError(Problem("boundaries.nothing_matched", {"file": file.name, "field": used_field,
                                                                 "level": level, "sample": sample}))
    duplicates = sorted(c for c, gs in by_code.items() if len(gs) > 1)
    codes = sorted(by_code)
    merged = [gs[0] if len(gs) == 1 else shapely.union_all(gs) for gs in (by_code[c] for c in codes)]
    # regions without geometry: within the kab/kota (or province) the file covers
    # (a kab/kota file is checked against its province, finer files against the kab/kota they touch)
    scopes = {c.split(".")[0] if level == "kabupaten_kota" else ".".join(c.split(".")[:2]) for c in codes}
    expected = {r.code for s in scopes for r in regions.at_level(level, parent=s)} if level != "provinsi" else set()
    missing = sorted(expected - set(codes))
    b = build_boundaries(codes, np.array(merged, dtype=object), level, source=file.name, simplify=simplify)
    return ImportReport(b, level, len(codes_raw), len(codes), unmatched, missing, sorted(set(repaired)), duplicates,
                        _missing_suggestions(missing, unmatched, regions))


def _missing_suggestions(missing: list[str], unmatched: list[Unmatched], regions: Regions) -> dict[str, list[str]]:
    """For each region without geometry, the unmatched features whose name is close to its name:
    usually a feature carrying an old or mistyped code."""
    named = [(name_key(u.name), u) for u in unmatched if u.name]
    if not named:
        return {}
    keys = [k for k, _ in named]
    out = {}
    for code in missing:
        close = difflib.get_close_matches(name_key(regions.get(code).name), keys, n=3, cutoff=0.8)
        hits = [f"{u.code} {u.name}" for k, u in named if k in close]
        if hits:
            out[code] = hits[:3]
    return out
