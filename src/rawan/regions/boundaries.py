"""Boundary sets: one clean polygon coverage per region level, simplified for display, stored compactly.

A :class:`Boundaries` holds, for each level present, the region codes and their shapely geometries
(longitude/latitude, EPSG:4326).  :func:`build_boundaries` turns the finest layer given (e.g. desa)
into a consistent set:

1. ``shapely.coverage_clean`` removes overlaps and slivers, so neighbours share exactly one edge;
2. coarser levels are *dissolved* from it (kecamatan from desa, kab/kota from kecamatan, province
   from kab/kota), so every outline at every level is the same line (SOURCES.md advises this);
3. each level is simplified as a coverage (``shapely.coverage_simplify``): a shared border is
   simplified once, so it stays shared - no gaps or overlaps appear between neighbours.

:meth:`Boundaries.save` writes one ``.npz`` (codes + quantised, delta-coded coordinates, compressed;
about half the size of WKB); :func:`load_boundaries` reads it back in a few tens of milliseconds.
Where the default boundaries come from is decided in one place, :mod:`rawan.regions.defaults`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from ..engine.codes import level_of_code
from ..engine.errors import Problem
from ..engine.spec import REGION_LEVELS
from .defaults import DESA_GEOJSON, FETCHED_SUBDIR, STORE_FILE, default_boundaries
from .hierarchy import check_level, parent_code
from .messages import RegionError

FORMAT_VERSION = 3  # 2: + outlines of the levels above; 3: quantised, delta-coded coordinates
READABLE_VERSIONS = (1, 2, 3)
# display simplification per level (degrees; 0.001 deg ~ 110 m), chosen so the province-wide desa
# map stays under 1 MB of SVG and a drill-down map of one kab/kota keeps sub-pixel detail
TOLERANCE = {"desa_kelurahan": 0.0004, "kecamatan": 0.0008, "kabupaten_kota": 0.0015, "provinsi": 0.0015}
_MEMO_LOCK = threading.RLock()
GAP_WIDTH = 0.0002  # gaps narrower than this (~20 m) between neighbours are closed when cleaning


@dataclass
class Layer:
    level: str
    codes: list[str]
    geoms: np.ndarray  # shapely geometries, same order as codes

    def __post_init__(self):
        self.index = {c: i for i, c in enumerate(self.codes)}
        # level above -> (codes, geoms): this layer's simplified polygons dissolved by that level, so
        # outlines drawn over this layer fit it exactly (filled by build_boundaries)
        self.outlines: dict[str, tuple[list[str], np.ndarray]] = {}

    def outlines_under(self, up: str, parent: str | None) -> tuple[list[str], np.ndarray] | None:
        if up not in self.outlines:
            return None
        codes, geoms = self.outlines[up]
        if parent is None:
            return list(codes), geoms
        keep = [i for i, c in enumerate(codes) if c == parent or c.startswith(parent + ".")]
        return [codes[i] for i in keep], geoms[keep]

    def get(self, code: str):
        i = self.index.get(code)
        return None if i is None else self.geoms[i]

    def select(self, parent: str | None = None) -> tuple[list[str], np.ndarray]:
        if parent is None:
            return list(self.codes), self.geoms
        keep = [i for i, c in enumerate(self.codes) if c == parent or c.startswith(parent + ".")]
        return [self.codes[i] for i in keep], self.geoms[keep]


class Boundaries:
    """Display boundaries for every level present, plus where they came from."""

    def __init__(self, layers: dict[str, Layer], source: str = ""):
        self.layers = layers
        self.source = source

    def __repr__(self) -> str:
        counts = ", ".join(f"{lv}={len(layer.codes)}" for lv, layer in self.layers.items())
        return f"Boundaries({counts})"

    def has(self, level: str) -> bool:
        return level in self.layers

    def layer(self, level: str) -> Layer:
        check_level(level)
        if level not in self.layers:
            raise RegionError(Problem("boundaries.no_level", {"level": level,
                                                              "have": ", ".join(self.layers) or "-"}))
        return self.layers[level]

    def geometry(self, code: str):
        lv = level_of_code(code)
        return None if lv not in self.layers else self.layers[lv].get(code)

    def save(self, path: str | Path) -> Path:
        """Write atomically (tmp file, then rename), in the compact format (see :func:`_encode`)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {"version": np.array([FORMAT_VERSION]), "source": np.array([self.source])}
        for lv, layer in self.layers.items():
            _encode(arrays, lv, layer.codes, layer.geoms)
            for up, (codes, geoms) in layer.outlines.items():
                above = self.layers.get(up)
                if above is not None and list(codes) == above.codes and all(
                        a is b or shapely.equals_exact(a, b, 0.0) for a, b in zip(geoms, above.geoms)):
                    arrays[f"{lv}>{up}.same"] = np.array([1])  # the layer above itself: stored once
                else:
                    _encode(arrays, f"{lv}>{up}", codes, geoms)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
        os.close(fd)
        try:
            np.savez_compressed(tmp, **arrays)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return path

    def within(self, prefix: str) -> Boundaries:
        """Only the regions under ``prefix`` (a province code), at every level; outlines likewise."""
        key = (id(self), prefix)
        with _MEMO_LOCK:
            hit = _WITHIN.get(key)
            if hit is not None and hit[0] is self:
                return hit[1]
            layers = {}
            for lv, layer in self.layers.items():
                codes, geoms = layer.select(prefix)
                if not codes:
                    continue
                sub = Layer(lv, codes, geoms)
                for up in layer.outlines:
                    got = layer.outlines_under(up, prefix)
                    if got and got[0]:
                        sub.outlines[up] = got
                layers[lv] = sub
            out = Boundaries(layers, source=self.source)
            _WITHIN[key] = (self, out)
            return out

    def covers(self, prefix: str) -> bool:
        """True when some region under ``prefix`` (or ``prefix`` itself) has a geometry."""
        return any(c == prefix or c.startswith(prefix + ".") for layer in self.layers.values() for c in layer.codes)


# --- the compact format (version 3) ---------------------------------------------------------------
# Every geometry becomes a MultiPolygon; coordinates are rounded to QUANTUM degrees (~1 cm, far
# below what any map shows), stored as int32 differences from the previous point with the bytes of
# each column grouped (all lowest bytes, then the next ...), which zlib packs about twice as well as
# the WKB of versions 1-2.  Shared vertices stay identical, so a clean coverage stays clean.
QUANTUM = 1e-7  # int32 holds +-214 degrees at this step; 1e-6 broke 3 shared desa edges of Jambi


def _encode(arrays: dict, key: str, codes, geoms) -> None:
    geoms = np.asarray(geoms, dtype=object)
    multi = np.array([shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g for g in geoms], dtype=object)
    kind, coords, (rings, parts, polys) = shapely.to_ragged_array(multi)
    q = np.round(coords / QUANTUM).astype(np.int64)
    delta = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).astype("<i4")
    arrays[f"{key}.codes"] = np.array(codes)
    arrays[f"{key}.coords"] = np.ascontiguousarray(delta.T).view(np.uint8).reshape(-1, 4).T.copy()
    arrays[f"{key}.rings"] = rings.astype("<i4")
    arrays[f"{key}.parts"] = parts.astype("<i4")
    arrays[f"{key}.polys"] = polys.astype("<i4")


def _decode(z, key: str) -> tuple[list[str], np.ndarray]:
    planes = z[f"{key}.coords"]
    delta = np.ascontiguousarray(planes.T).reshape(-1).view("<i4").reshape(2, -1).T
    coords = np.ascontiguousarray(np.cumsum(delta.astype(np.int64), axis=0) * QUANTUM)
    offsets = (z[f"{key}.rings"].astype(np.int64), z[f"{key}.parts"].astype(np.int64),
               z[f"{key}.polys"].astype(np.int64))
    geoms = shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, coords, offsets)
    single = shapely.get_num_geometries(geoms) == 1
    geoms[single] = shapely.get_geometry(geoms[single], 0)
    bad = ~shapely.is_valid(geoms)  # rounding can make a ring touch itself (1 desa of Jambi's 1,568)
    if bad.any():
        geoms[bad] = [_polygon_parts(shapely.make_valid(g)) for g in geoms[bad]]
    return [str(c) for c in z[f"{key}.codes"]], np.asarray(geoms, dtype=object)


def _polygon_parts(g):
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else g


def read_store(path: str | Path) -> Boundaries:
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as z:
            version = int(z["version"][0])
            if version not in READABLE_VERSIONS:
                raise ValueError(f"format version {version}")

            def get(key):
                if version >= 3:
                    return _decode(z, key)
                off, blob = z[f"{key}.offsets"], z[f"{key}.wkb"].tobytes()
                wkb = [blob[off[i]:off[i + 1]] for i in range(len(off) - 1)]
                return [str(c) for c in z[f"{key}.codes"]], shapely.from_wkb(wkb)

            layers = {}
            for lv in REGION_LEVELS:
                if f"{lv}.codes" not in z:
                    continue
                layers[lv] = Layer(lv, *get(lv))
            for lv, layer in layers.items():
                for up in REGION_LEVELS:
                    if f"{lv}>{up}.same" in z:
                        layer.outlines[up] = (list(layers[up].codes), layers[up].geoms)
                    elif f"{lv}>{up}.codes" in z:
                        layer.outlines[up] = get(f"{lv}>{up}")
            return Boundaries(layers, source=str(z["source"][0]))
    except (OSError, ValueError, KeyError) as e:
        raise RegionError(Problem("boundaries.store_unreadable", {"file": str(path), "detail": str(e)})) from e


# --- building ------------------------------------------------------------------------------------
def dissolve(codes: list[str], geoms: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Union a clean coverage by parent code (one level up)."""
    parents = np.array([parent_code(c) for c in codes])
    out_codes = sorted(set(parents.tolist()))
    out = []
    for p in out_codes:
        part = geoms[parents == p]
        try:
            g = shapely.coverage_union_all(part)
        except shapely.errors.GEOSException:
            g = shapely.union_all(part)
        out.append(shapely.make_valid(g) if not shapely.is_valid(g) else g)
    return out_codes, np.array(out, dtype=object)


def clean_coverage(geoms: np.ndarray) -> np.ndarray:
    """No overlaps, no slivers, identical shared edges (GEOS CoverageCleaner).

    Narrow gaps (under GAP_WIDTH wide) go to the neighbour sharing the longest border.  GEOS can do
    that itself (``gap_width``) but takes 3-4x longer than cleaning without it and filling the gaps
    here, so the gaps are filled here and the result cleaned once more to re-match the edges.
    """
    geoms = np.asarray(geoms, dtype=object)
    if shapely.coverage_is_valid(geoms):
        return geoms
    cleaned = _fill_gaps(shapely.coverage_clean(geoms, gap_width=0.0))
    if not shapely.coverage_is_valid(cleaned):
        cleaned = shapely.coverage_clean(cleaned, gap_width=0.0)
    # a polygon swallowed by its neighbours would vanish: keep the original rather than lose a region
    empty = shapely.is_empty(cleaned)
    cleaned[empty] = geoms[empty]
    return cleaned


def _fill_gaps(cov: np.ndarray) -> np.ndarray:
    """Merge each narrow hole of the coverage's union into the polygon with the longest shared border."""
    union = shapely.coverage_union_all(cov)
    holes = np.array([shapely.Polygon(r) for p in shapely.get_parts(union) for r in p.interiors], dtype=object)
    if len(holes) == 0:
        return cov
    width = 2 * shapely.area(holes) / np.maximum(shapely.length(holes), 1e-12)  # ~ width of a sliver
    holes = holes[width < GAP_WIDTH]
    if len(holes) == 0:
        return cov
    hole_i, poly_i = shapely.STRtree(cov).query(holes, predicate="intersects")
    shared = shapely.length(shapely.intersection(shapely.boundary(holes[hole_i]), shapely.boundary(cov[poly_i])))
    best: dict[int, tuple[int, float]] = {}
    for h, p, length in zip(hole_i.tolist(), poly_i.tolist(), shared.tolist()):
        if length > best.get(h, (-1, -1.0))[1]:
            best[h] = (p, length)
    extra: dict[int, list] = {}
    for h, (p, _) in best.items():
        extra.setdefault(p, []).append(holes[h])
    out = cov.copy()
    for p, parts in extra.items():
        g = shapely.union_all([cov[p], *parts])
        out[p] = g if shapely.is_valid(g) else shapely.make_valid(g)
    return out


def build_boundaries(codes: list[str], geoms, level: str, source: str = "",
                     simplify: bool = True) -> Boundaries:
    """A consistent set from the finest layer: clean, dissolve up to the province, simplify per level."""
    check_level(level)
    order = np.argsort(codes)
    codes = [codes[i] for i in order]
    geoms = clean_coverage(np.asarray(geoms, dtype=object)[order])
    full = {level: (codes, geoms)}
    i = REGION_LEVELS.index(level)
    while i > 0:
        i -= 1
        full[REGION_LEVELS[i]] = dissolve(*full[REGION_LEVELS[i + 1]])
    layers = {}
    for lv, (cs, gs) in full.items():
        if simplify and lv != "provinsi":
            gs = shapely.coverage_simplify(gs, TOLERANCE[lv])
        layers[lv] = Layer(lv, list(cs), np.asarray(gs, dtype=object))
    if simplify and "kabupaten_kota" in layers:  # the province outline is the kab/kota map's outline
        pc, pg = dissolve(layers["kabupaten_kota"].codes, layers["kabupaten_kota"].geoms)
        layers["provinsi"] = Layer("provinsi", pc, pg)
    for lv, layer in layers.items():  # outlines over each level, dissolved from it
        codes, geoms = layer.codes, layer.geoms
        while codes and "." in codes[0]:
            codes, geoms = dissolve(codes, geoms)
            layer.outlines[REGION_LEVELS[codes[0].count(".")]] = (codes, geoms)
    return Boundaries({lv: layers[lv] for lv in REGION_LEVELS if lv in layers}, source=source)


# --- default set ---------------------------------------------------------------------------------
_MEMO: dict[tuple, Boundaries] = {}
_WITHIN: dict[tuple, tuple] = {}
SHARED_LAYERS = {"desa_kelurahan": DESA_GEOJSON, "kecamatan": "jambi-kecamatan.geojson",
                 "kabupaten_kota": "jambi-kabkota.geojson"}


def _cache_dir() -> Path:
    from ..paths import data_dir

    return data_dir() / "cache"


def default_boundaries_file() -> Path:
    """Where ``rawan regions import-boundaries`` stores what it imported (the user data directory)."""
    from ..paths import data_dir

    return data_dir() / FETCHED_SUBDIR / STORE_FILE


def load_boundaries(path: str | Path | None = None, province: str | int | None = None) -> Boundaries | None:
    """The boundary set to draw maps with, or None when there is none (maps fall back to tiles).

    ``path``: a stored ``.npz``, a GeoJSON/GPKG/zipped Shapefile, or a directory holding
    ``batas-wilayah.npz`` or ``jambi-desa.geojson``.  ``None``: the default boundaries of
    ``province`` (:func:`rawan.regions.defaults.default_boundaries`; Jambi unless told otherwise),
    found the same way as the default region list.
    """
    if path is None:
        return default_boundaries(province)
    p = Path(path)
    if p.is_dir():
        if (p / STORE_FILE).is_file():
            return load_store(p / STORE_FILE)
        if (p / SHARED_LAYERS["desa_kelurahan"]).is_file():
            return from_source_file(p / SHARED_LAYERS["desa_kelurahan"])
        raise RegionError(Problem("boundaries.none_in_dir", {"dir": str(p)}))
    if p.suffix == ".npz":
        return load_store(p)
    return from_source_file(p)


def load_store(path: Path) -> Boundaries:
    key = ("npz", str(path.resolve()), path.stat().st_mtime_ns)
    with _MEMO_LOCK:
        if key not in _MEMO:
            _MEMO[key] = read_store(path)
        return _MEMO[key]


def from_source_file(path: Path) -> Boundaries:
    """Import once, then reuse the stored result (keyed by the file's content hash)."""
    with _MEMO_LOCK:  # one thread imports; the others wait for its result
        return _from_source_file_locked(path)


def _from_source_file_locked(path: Path) -> Boundaries:
    st = path.stat()
    key = ("src", str(path.resolve()), st.st_mtime_ns, st.st_size)
    if key in _MEMO:
        return _MEMO[key]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    cached = _cache_dir() / f"batas-{digest}-v{FORMAT_VERSION}.npz"
    if cached.is_file():
        b = read_store(cached)
    else:
        from .importer import import_boundaries

        b = import_boundaries(path).boundaries
        b.save(cached)
    _MEMO[key] = b
    return b
