"""``rawan data fetch``: the open region list and boundaries, downloaded, verified, stored atomically.

Sources (as in ../shared/data/SOURCES.md):

* region codes and names: the npm package ``idn-area-data`` (data ODbL 1.0), fetched with the npm
  registry's ordinary HTTP API (package metadata, then the tarball, checked against the registry's
  sha1/sha512 and, for the pinned version on the public registry, against the known sha1);
* boundaries: ``cahyadsn/wilayah_boundaries`` (MIT) at a pinned commit, the desa/kelurahan SQL files
  of the province (``db/kel/<prov>/wilayah_boundaries_kel_<kab>.sql``), whose ``path`` column is a
  JSON polygon in [lat, lng] order.  Kecamatan, kab/kota and province outlines are dissolved from it.

Everything is written to a temporary folder next to the destination and swapped in only when all
of it downloaded and verified: a failed or partial download leaves the previous data as it was.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import shutil
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from ..engine.codes import normalise_code
from ..engine.errors import Problem
from .boundaries import STORE_FILE, build_boundaries
from .hierarchy import FETCHED_SUBDIR, WILAYAH_FILE, read_regions_csv
from .messages import RegionError

REGISTRY = "https://registry.npmjs.org"
PACKAGE = "idn-area-data"
VERSION = "4.0.1"
KNOWN_SHA1 = {"4.0.1": "371e5cee3d85ad2bd081eb333da25b06551e4ad1"}  # SOURCES.md
BOUNDARIES_URL = "https://raw.githubusercontent.com/cahyadsn/wilayah_boundaries/3c5a7960f4d227a38489094d84252bdbb3f978a5"
EXPECTED = {"15": {"kabupaten_kota": 11, "kecamatan": 144, "desa_kelurahan": 1585}}  # Jambi, idn-area-data 4.0.1
MIN_GEOMETRY_SHARE = 0.9  # of desa/kelurahan; Jambi has 1,568 of 1,585
MANIFEST = "sumber.json"


@dataclass
class FetchResult:
    directory: Path
    counts: dict[str, int]
    with_geometry: int
    missing_geometry: list[str] = field(default_factory=list)
    sources: dict = field(default_factory=dict)


RETRIES = 3  # weak connections: each file is tried this many times


def _get(url: str, timeout: float = 60.0) -> bytes:
    last = None
    for attempt in range(RETRIES):
        try:
            req = urllib.request.Request(url, headers={"User-Agent": "rawan (https://github.com/rawan)"})
            with urllib.request.urlopen(req, timeout=timeout) as r:
                data = r.read()
                length = r.headers.get("Content-Length")
                if length is not None and int(length) != len(data):
                    raise OSError(f"incomplete download ({len(data)} of {length} bytes)")
                return data
        except urllib.error.HTTPError as e:
            if e.code == 404:
                raise RegionError(Problem("fetch.failed", {"url": url, "detail": "404"})) from e
            last = e
        except (OSError, ValueError) as e:
            last = e
        time.sleep(0.5 * (attempt + 1))
    raise RegionError(Problem("fetch.failed", {"url": url, "detail": str(last)}))


def _smart_title(name: str) -> str:
    if name != name.upper():
        return name
    roman = re.compile(r"^(?=[IVXL]+$)M*(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
    return " ".join(w if roman.match(w) else w.capitalize() for w in name.split())


def region_rows(csvs: dict[str, str], province: str) -> list[dict[str, str]]:
    """jambi-wilayah.csv rows for one province from idn-area-data's four CSV files.

    Columns used: ``code`` and ``name`` everywhere, plus ``province_code`` / ``regency_code`` /
    ``district_code`` (extra columns such as ``type`` are ignored); codes with or without dots.
    """
    def read(name, parent_col):
        out = []
        for row in csv.DictReader(io.StringIO(csvs[name])):
            code = normalise_code(row.get("code") or "")
            if code is None or not (code == province or code.startswith(province + ".")):
                continue
            parent = normalise_code(row.get(parent_col) or "") if parent_col else ""
            out.append((code, parent or "", _smart_title((row.get("name") or "").strip())))
        return out

    rows = []
    for code, _, name in read("provinces.csv", None):
        rows.append(dict(code=code, name=name, level="provinsi", type="provinsi", parent_code=""))
    for code, parent, name in read("regencies.csv", "province_code"):
        kota = int(code.split(".")[1]) >= 71
        rows.append(dict(code=code, name=name, level="kabupaten_kota", type="kota" if kota else "kabupaten",
                         parent_code=parent))
    for code, parent, name in read("districts.csv", "regency_code"):
        rows.append(dict(code=code, name=name, level="kecamatan", type="kecamatan", parent_code=parent))
    for code, parent, name in read("villages.csv", "district_code"):
        kel = code.rsplit(".", 1)[1].startswith("1")
        rows.append(dict(code=code, name=name, level="desa_kelurahan", type="kelurahan" if kel else "desa",
                         parent_code=parent))
    for r in rows:
        r["name_short"] = re.sub(r"^(Kabupaten|Kota) ", "", r["name"]) if r["level"] == "kabupaten_kota" else r["name"]
    return rows


def _package(registry: str, version: str, progress) -> tuple[dict[str, str], dict]:
    meta_url = f"{registry.rstrip('/')}/{PACKAGE}"
    progress(f"{PACKAGE}: {meta_url}")
    try:
        meta = json.loads(_get(meta_url))
        v = meta["dist-tags"]["latest"] if version == "latest" else version
        dist = meta["versions"][v]["dist"]
    except (ValueError, KeyError) as e:
        raise RegionError(Problem("fetch.bad_metadata", {"url": meta_url, "detail": str(e)})) from e
    blob = _get(dist["tarball"])
    sha1 = hashlib.sha1(blob).hexdigest()
    expected = [dist.get("shasum")]
    if registry.rstrip("/") == REGISTRY and v in KNOWN_SHA1:
        expected.append(KNOWN_SHA1[v])
    for e in expected:
        if e and e != sha1:
            raise RegionError(Problem("fetch.checksum", {"url": dist["tarball"], "expected": e, "got": sha1}))
    integrity = dist.get("integrity", "")
    if integrity.startswith("sha512-"):
        got = base64.b64encode(hashlib.sha512(blob).digest()).decode()
        if got != integrity[7:]:
            raise RegionError(Problem("fetch.checksum", {"url": dist["tarball"], "expected": integrity, "got": "sha512-" + got}))
    csvs = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
            for name in ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv"):
                f = tar.extractfile(f"package/data/{name}")
                csvs[name] = f.read().decode("utf-8-sig")
    except (tarfile.TarError, KeyError, AttributeError, OSError) as e:
        raise RegionError(Problem("fetch.bad_package", {"url": dist["tarball"], "detail": str(e)})) from e
    return csvs, {"package": PACKAGE, "version": v, "tarball": dist["tarball"], "sha1": sha1}


_ROW = re.compile(r"\(\s*'([^']*)'\s*,\s*'((?:[^']|'')*)'\s*,\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*,\s*'(\[.*?\])'\s*\)", re.S)


def parse_boundary_sql(text: str) -> dict[str, object]:
    """code -> shapely geometry from a wilayah_boundaries SQL file ([lat, lng] JSON paths)."""
    out = {}
    for code, _name, _lat, _lng, path in _ROW.findall(text):
        coords = json.loads(path)
        depth, x = 0, coords
        while isinstance(x, list):
            depth, x = depth + 1, x[0]
        polys = [coords] if depth == 3 else coords  # polygon or multipolygon
        parts = []
        for rings in polys:
            rings = [[(p[1], p[0]) for p in ring] for ring in rings]  # to lon, lat
            if len(rings[0]) >= 4:
                parts.append(shapely.Polygon(rings[0], rings[1:]))
        if parts:
            g = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
            out[code] = g if g.is_valid else shapely.make_valid(g)
    return out


def fetch(province: str = "15", *, registry: str = REGISTRY, version: str = VERSION,
          boundaries_url: str = BOUNDARIES_URL, dest: str | Path | None = None,
          progress: Callable[[str], None] = lambda msg: None) -> FetchResult:
    """Download, verify and store the region list and boundaries of ``province``."""
    if dest is None:
        from ..paths import data_dir

        dest = data_dir() / FETCHED_SUBDIR
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}-baru-"))
    try:
        result = _fetch_into(tmp, province, registry, version, boundaries_url, progress)
        old = dest.with_name(f".{dest.name}-lama")
        if old.exists():
            shutil.rmtree(old)
        if dest.exists():
            dest.rename(old)
        tmp.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
        result.directory = dest
        return result
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _write_rows(path: Path, rows: list[dict], with_geometry: set[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["code", "name", "name_short", "level", "type", "parent_code", "has_boundary"])
        w.writeheader()
        for r in rows:  # no province polygon is shipped upstream: the province row says "no", as in SOURCES.md
            has = r["code"] in with_geometry and r["level"] != "provinsi"
            w.writerow({**r, "has_boundary": "yes" if has else "no"})


def _fetch_into(tmp: Path, province, registry, version, boundaries_url, progress) -> FetchResult:
    csvs, pkg_info = _package(registry, version, progress)
    rows = region_rows(csvs, province)
    if not rows:
        raise RegionError(Problem("fetch.no_province", {"province": province}))
    _write_rows(tmp / WILAYAH_FILE, rows, set())  # has_boundary is filled in once boundaries are read
    regions = read_regions_csv(tmp / WILAYAH_FILE)  # the full structural check (codes, levels, parents)
    counts = {lv: len(regions.at_level(lv)) for lv in ("kabupaten_kota", "kecamatan", "desa_kelurahan")}
    expected = EXPECTED.get(province) if version == VERSION else None
    if expected and counts != expected:
        raise RegionError(Problem("fetch.counts", {"province": province, "expected": expected, "got": counts}))

    geoms: dict[str, object] = {}
    base = boundaries_url.rstrip("/")
    for kab in regions.at_level("kabupaten_kota"):
        url = f"{base}/db/kel/{province}/wilayah_boundaries_kel_{kab.code}.sql"
        progress(url)
        geoms.update(parse_boundary_sql(_get(url).decode("utf-8", errors="replace")))
    desa = {r.code for r in regions.at_level("desa_kelurahan")}
    unknown = sorted(set(geoms) - desa)
    if unknown:
        raise RegionError(Problem("fetch.unknown_codes", {"n": len(unknown), "codes": ", ".join(unknown[:5])}))
    if len(geoms) < MIN_GEOMETRY_SHARE * len(desa):
        raise RegionError(Problem("fetch.too_few_geometries", {"got": len(geoms), "total": len(desa)}))
    codes = sorted(geoms)
    b = build_boundaries(codes, np.array([geoms[c] for c in codes], dtype=object), "desa_kelurahan",
                         source=f"cahyadsn/wilayah_boundaries ({base})")
    b.save(tmp / STORE_FILE)
    with_geom = {c for lv in b.layers.values() for c in lv.codes} | set(codes)
    _write_rows(tmp / WILAYAH_FILE, rows, with_geom)
    missing = sorted(desa - set(codes))
    sources = {"regions": pkg_info, "boundaries": {"repository": "cahyadsn/wilayah_boundaries", "url": base},
               "counts": counts, "with_geometry": len(codes), "missing_geometry": missing,
               "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "licences": "Kode & nama wilayah: idn-area-data (fityannugroho), ODbL 1.0. "
                           "Batas wilayah: cahyadsn/wilayah_boundaries, MIT."}
    (tmp / MANIFEST).write_text(json.dumps(sources, indent=2, ensure_ascii=False), encoding="utf-8")
    return FetchResult(tmp, counts, len(codes), missing, sources)
