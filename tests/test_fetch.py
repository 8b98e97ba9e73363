"""`rawan data fetch` against a local HTTP server serving upstream-format files made from the shipped Jambi data."""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import http.server
import io
import json
import tarfile
import threading

import pytest
import shapely.geometry

from rawan.regions import RegionError, load_boundaries, load_regions
from rawan.regions.fetch import fetch, parse_boundary_sql, region_rows



class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


def _csv(header, rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _sql(features) -> str:
    """A wilayah_boundaries-style SQL file: kode, nama, lat, lng, path ([lat, lng] JSON)."""
    rows = []
    for f in features:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        latlng = [[[[p[1], p[0]] for p in ring] for ring in poly] for poly in polys]
        path = latlng[0] if g["type"] == "Polygon" else latlng
        name = f["properties"]["name"].replace("'", "''")
        rows.append(f"\t('{f['properties']['code']}','{name}',-1.5,103.0,'{json.dumps(path, separators=(',', ':'))}')")
    return "/* test copy */\nINSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES\n" + ",\n".join(rows) + ";\n"


def _prepare(root, base_url, shared):
    with open(shared / "jambi-wilayah.csv", encoding="utf-8") as f:
        wil = list(csv.DictReader(f))
    wil_names = {r["code"]: r["name"] for r in wil}
    by = lambda lv: [r for r in wil if r["level"] == lv]  # noqa: E731
    csvs = {
        "provinces.csv": _csv(["code", "name"], [["14", "RIAU"]] + [[r["code"], r["name"].upper()] for r in by("provinsi")]),
        "regencies.csv": _csv(["code", "province_code", "name"], [["14.01", "14", "KABUPATEN KAMPAR"]]
                              + [[r["code"], r["parent_code"], r["name"].upper()] for r in by("kabupaten_kota")]),
        "districts.csv": _csv(["code", "regency_code", "name"], [["14.01.01", "14.01", "Bangkinang"]]
                              + [[r["code"], r["parent_code"], r["name"]] for r in by("kecamatan")]),
        "villages.csv": _csv(["code", "district_code", "name"], [["14.01.01.2001", "14.01.01", "Desa Lain"]]
                             + [[r["code"], r["parent_code"], r["name"]] for r in by("desa_kelurahan")]),
    }
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, text in csvs.items():
            data = text.encode()
            info = tarfile.TarInfo(f"package/data/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    blob = buf.getvalue()
    (root / "npm" / "idn-area-data" / "-").mkdir(parents=True)
    (root / "npm" / "idn-area-data" / "-" / "idn-area-data-4.0.1.tgz").write_bytes(blob)
    meta = {"name": "idn-area-data", "dist-tags": {"latest": "4.0.1"}, "versions": {"4.0.1": {"dist": {
        "tarball": f"{base_url}/npm/idn-area-data/-/idn-area-data-4.0.1.tgz",
        "shasum": hashlib.sha1(blob).hexdigest(),
        "integrity": "sha512-" + base64.b64encode(hashlib.sha512(blob).digest()).decode()}}}}
    (root / "npm" / "idn-area-data" / "index.json").write_text(json.dumps(meta))
    layer = load_boundaries(province="15").layer("desa_kelurahan")  # the shipped Jambi desa polygons
    desa = [{"type": "Feature", "geometry": shapely.geometry.mapping(g),
             "properties": {"code": c, "name": wil_names[c], "kabkota_code": c[:5]}}
            for c, g in zip(layer.codes, layer.geoms)]
    kel = root / "wb" / "db" / "kel" / "15"
    kel.mkdir(parents=True)
    for kab in by("kabupaten_kota"):
        feats = [f for f in desa if f["properties"]["kabkota_code"] == kab["code"]]
        (kel / f"wilayah_boundaries_kel_{kab['code']}.sql").write_text(_sql(feats), encoding="utf-8")
    return meta


class _Handler(_Quiet):
    def translate_path(self, path):  # /npm/idn-area-data -> its index.json, like a registry
        p = super().translate_path(path)
        return p + "/index.json" if path.rstrip("/").endswith("/npm/idn-area-data") else p


@pytest.fixture(scope="module")
def server(tmp_path_factory, jambi_data):
    shared = jambi_data
    root = tmp_path_factory.mktemp("upstream")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    meta = _prepare(root, base, shared)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield {"root": root, "base": base, "registry": f"{base}/npm", "boundaries": f"{base}/wb", "meta": meta,
           "shared": shared}
    httpd.shutdown()


@pytest.fixture(scope="module")
def fetched(server, tmp_path_factory):
    dest = tmp_path_factory.mktemp("userdata") / "wilayah"
    res = fetch("15", registry=server["registry"], boundaries_url=server["boundaries"], dest=dest)
    return dest, res


def _snapshot(d):
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def test_fetch_stores_verified_region_list_and_boundaries(fetched, server):
    dest, res = fetched
    assert res.counts == {"kabupaten_kota": 11, "kecamatan": 144, "desa_kelurahan": 1585}
    assert res.with_geometry == 1568 and len(res.missing_geometry) == 17
    regions = load_regions(dest)
    shared = load_regions(server["shared"])
    assert len(regions) == 1741
    for r in shared:  # same codes, names (upper-case upstream names title-cased), levels, types, parents
        got = regions.get(r.code)
        assert (got.name, got.name_short, got.level, got.type, got.parent) == \
               (r.name, r.name_short, r.level, r.type, r.parent), r.code
    b = load_boundaries(dest)
    assert len(b.layer("kecamatan").codes) == 144 and len(b.layer("kabupaten_kota").codes) == 11
    with open(dest / "jambi-wilayah.csv", encoding="utf-8") as f:
        ours = {r["code"]: r["has_boundary"] for r in csv.DictReader(f)}
    with open(server["shared"] / "jambi-wilayah.csv", encoding="utf-8") as f:
        theirs = {r["code"]: r["has_boundary"] for r in csv.DictReader(f)}
    assert ours == theirs
    manifest = json.loads((dest / "sumber.json").read_text(encoding="utf-8"))
    assert manifest["regions"]["version"] == "4.0.1" and manifest["with_geometry"] == 1568


def test_missing_boundary_file_leaves_previous_data_intact(fetched, server):
    dest, _ = fetched
    before = _snapshot(dest)
    sql = server["root"] / "wb" / "db" / "kel" / "15" / "wilayah_boundaries_kel_15.09.sql"
    hidden = sql.with_suffix(".hidden")
    sql.rename(hidden)
    try:
        with pytest.raises(RegionError) as e:
            fetch("15", registry=server["registry"], boundaries_url=server["boundaries"], dest=dest)
    finally:
        hidden.rename(sql)
    assert e.value.keys == ["fetch.failed"] and "15.09" in e.value.render("id")[0]
    assert _snapshot(dest) == before
    assert [p.name for p in dest.parent.iterdir()] == ["wilayah"]  # no half-written folders left


def test_bad_checksum_is_refused(fetched, server):
    dest, _ = fetched
    before = _snapshot(dest)
    index = server["root"] / "npm" / "idn-area-data" / "index.json"
    good = index.read_text()
    meta = json.loads(good)
    meta["versions"]["4.0.1"]["dist"]["shasum"] = "0" * 40
    index.write_text(json.dumps(meta))
    try:
        with pytest.raises(RegionError) as e:
            fetch("15", registry=server["registry"], boundaries_url=server["boundaries"], dest=dest)
    finally:
        index.write_text(good)
    assert e.value.keys == ["fetch.checksum"]
    assert _snapshot(dest) == before


def test_unreachable_server_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr("rawan.regions.fetch.RETRIES", 1)
    with pytest.raises(RegionError) as e:
        fetch("15", registry="http://127.0.0.1:9", boundaries_url="http://127.0.0.1:9", dest=tmp_path / "w")
    assert e.value.keys == ["fetch.failed"] and "tidak diubah" in e.value.render("id")[0]
    assert not (tmp_path / "w").exists()


def test_sql_parser_swaps_to_lon_lat_and_reads_multipolygons():
    text = ("INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES\n"
            "\t('15.01.01.2001','Desa ''A''',-2.0,101.5,'[[[-2.0,101.0],[-2.0,101.1],[-1.9,101.1],[-2.0,101.0]]]'),\n"
            "\t('15.01.01.2002','B',-2.0,101.5,'[[[[-2.0,102.0],[-2.0,102.1],[-1.9,102.1],[-2.0,102.0]]],"
            "[[[-3.0,102.0],[-3.0,102.1],[-2.9,102.1],[-3.0,102.0]]]]');\n")
    g = parse_boundary_sql(text)
    assert g["15.01.01.2001"].bounds == (101.0, -2.0, 101.1, -1.9)
    assert g["15.01.01.2002"].geom_type == "MultiPolygon" and len(g["15.01.01.2002"].geoms) == 2


def test_region_rows_title_cases_upper_names():
    csvs = {"provinces.csv": "code,name\n15,JAMBI\n",
            "regencies.csv": "code,province_code,name\n15.03,15,KABUPATEN SAROLANGUN\n",
            "districts.csv": "code,regency_code,name\n15.03.08,15.03,BATHIN VIII\n",
            "villages.csv": "code,district_code,name\n15.03.08.1001,15.03.08,PASAR\n"}
    rows = {r["code"]: r for r in region_rows(csvs, "15")}
    assert rows["15.03"]["name"] == "Kabupaten Sarolangun" and rows["15.03"]["name_short"] == "Sarolangun"
    assert rows["15.03.08"]["name"] == "Bathin VIII" and rows["15.03.08.1001"]["type"] == "kelurahan"
    # codes without dots and extra columns (other idn-area-data versions) give the same rows
    plain = {"provinces.csv": "code,name\n15,JAMBI\n16,SUMATERA SELATAN\n",
             "regencies.csv": "code,province_code,name,type\n1503,15,KABUPATEN SAROLANGUN,kabupaten\n",
             "districts.csv": "code,regency_code,name\n150308,1503,BATHIN VIII\n",
             "villages.csv": "code,district_code,name,type\n1503081001,150308,PASAR,kelurahan\n"}
    assert {r["code"]: r for r in region_rows(plain, "15")} == rows
