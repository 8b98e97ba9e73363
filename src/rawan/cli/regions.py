"""``rawan regions show|import-boundaries``, ``rawan map`` and ``rawan data fetch``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app
from .ui import LOCALE_HELP, State, console, err_console

PROVINCE_HELP = "Kode provinsi daftar wilayah bawaan (mis. 32 = Jawa Barat); default 15 (Jambi)."

UI = {
    "id": {
        "counts": "{name} ({code}): {parts}",
        "imported": "Batas wilayah {file}: {matched} dari {features} fitur cocok (tingkat {level}); disimpan: {out}",
        "unmatched": "Fitur tanpa wilayah yang cocok ({n})",
        "missing": "Wilayah tingkat {level} tanpa geometri ({n}): {codes}",
        "repaired": "Geometri tidak sah diperbaiki ({n}): {codes}",
        "duplicates": "Kode muncul di lebih dari satu fitur, digabung ({n}): {codes}",
        "missing_hint": "  {code} {name} tanpa geometri; mungkin fitur: {hits}",
        "levels": "Tingkat tersimpan: {levels}",
        "code": "Kode", "name": "Nama", "suggest": "Mungkin maksudnya",
        "map_written": "Peta ditulis: {out} ({n} wilayah, {mode})",
        "map_source": "Sumber data: {file}; peta dibuat dengan rawan {version}.",
        "mode_category": "peta kategori",
        "mode_continuous": "peta skor",
        "fetched": "Data wilayah tersimpan di {dir}: {counts}; batas wilayah untuk {geom} desa/kelurahan.",
    },
    "en": {
        "counts": "{name} ({code}): {parts}",
        "imported": "Boundaries {file}: {matched} of {features} features matched (level {level}); stored: {out}",
        "unmatched": "Features without a matching region ({n})",
        "missing": "Regions at level {level} without geometry ({n}): {codes}",
        "repaired": "Invalid geometries repaired ({n}): {codes}",
        "duplicates": "Codes in more than one feature, merged ({n}): {codes}",
        "missing_hint": "  {code} {name} has no geometry; perhaps feature: {hits}",
        "levels": "Levels stored: {levels}",
        "code": "Code", "name": "Name", "suggest": "Did you mean",
        "map_written": "Map written: {out} ({n} regions, {mode})",
        "map_source": "Data source: {file}; map made with rawan {version}.",
        "mode_category": "category map",
        "mode_continuous": "score map",
        "fetched": "Region data stored in {dir}: {counts}; boundaries for {geom} villages.",
    },
}
LEVEL_WORD = {"id": {"provinsi": "provinsi", "kabupaten_kota": "kab/kota", "kecamatan": "kecamatan",
                     "desa_kelurahan": "desa/kel"},
              "en": {"provinsi": "provinces", "kabupaten_kota": "regencies/cities", "kecamatan": "districts",
                     "desa_kelurahan": "villages"}}


def u(key: str, **kw) -> str:
    return UI.get(State.lang, UI["id"])[key].format(**kw)


def _short_list(codes: list[str], n: int = 8) -> str:
    return ", ".join(codes[:n]) + (f", … (+{len(codes) - n})" if len(codes) > n else "")


regions_app = typer.Typer(no_args_is_help=True, help="Daftar wilayah dan batas wilayah / region list and boundaries.")
data_app = typer.Typer(no_args_is_help=True, help="Data terbuka wilayah / open region data.")
app.add_typer(regions_app, name="regions")
app.add_typer(data_app, name="data")


def _counts(regions, code: str) -> str:
    from ..engine.spec import REGION_LEVELS

    r = regions.get(code)
    words = LEVEL_WORD.get(State.lang, LEVEL_WORD["id"])
    parts = []
    for lv in REGION_LEVELS[REGION_LEVELS.index(r.level) + 1:]:
        parts.append(f"{len(regions.descendants(code, level=lv))} {words[lv]}")
    return ", ".join(parts) or "-"


@regions_app.command("show")
def show_cmd(
    code: Optional[str] = typer.Argument(None, help="Kode wilayah (mis. 15.01 atau 1501); default: semua provinsi."),
    depth: int = typer.Option(1, "--depth", help="Kedalaman pohon yang ditampilkan."),
    regions_path: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder); default: daftar bawaan."),
    province: Optional[str] = typer.Option(None, "--province", help=PROVINCE_HELP),
):
    """Tampilkan pohon wilayah dengan jumlah kab/kota, kecamatan dan desa di bawahnya."""
    from rich.tree import Tree as RichTree

    from ..engine.codes import normalise_code
    from ..regions import load_regions

    regions = load_regions(regions_path, province=province or (code and normalise_code(code) or "").split(".")[0] or None)
    tops = [regions.get(code)] if code else regions.roots()
    for top in tops:
        tree = RichTree(f"[bold]{top.code}[/] {top.name} [dim]({_counts(regions, top.code)})[/]")
        _grow(tree, regions, top.code, depth)
        console.print(tree)


def _grow(node, regions, code: str, depth: int) -> None:
    if depth <= 0:
        return
    for ch in regions.children(code):
        extra = _counts(regions, ch.code)
        label = f"{ch.code} {ch.name}" + ("" if extra == "-" else f" [dim]({extra})[/]")
        _grow(node.add(label), regions, ch.code, depth - 1)


@regions_app.command("import-boundaries")
def import_cmd(
    file: Path = typer.Argument(..., help="Berkas batas: GeoJSON, Shapefile ber-zip (.zip) atau GeoPackage (.gpkg)."),
    level: Optional[str] = typer.Option(None, "--level", help="Tingkat wilayah fitur (default: dari bentuk kode)."),
    code_field: Optional[str] = typer.Option(None, "--code-field", help="Kolom kode wilayah (default: code/kode/kode_wilayah/id)."),
    layer: Optional[str] = typer.Option(None, "--layer", help="Lapisan dalam GeoPackage."),
    regions_path: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder)."),
    province: Optional[str] = typer.Option(None, "--province", help="Kode provinsi daftar wilayah bawaan (default: dari kode dalam berkas)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Simpan ke berkas .npz ini (default: folder data pengguna)."),
):
    """Impor batas wilayah, cocokkan dengan kode, perbaiki, larutkan ke tingkat di atasnya, sederhanakan dan simpan."""
    from rich.table import Table

    from ..regions import import_boundaries, load_regions
    from ..regions.boundaries import default_boundaries_file

    regions = load_regions(regions_path, province=province) if (regions_path or province) else None
    rep = import_boundaries(file, code_field=code_field, level=level, regions=regions, layer=layer)
    if regions is None:  # the importer used the default list of the file's province
        regions = load_regions(province=rep.boundaries.layer("provinsi").codes[0])
    target = rep.boundaries.save(out or default_boundaries_file())
    console.print(u("imported", file=file.name, matched=rep.matched, features=rep.features, level=rep.level, out=target), soft_wrap=True)
    console.print(u("levels", levels=", ".join(f"{lv} ({len(l.codes)})" for lv, l in rep.boundaries.layers.items())), soft_wrap=True)
    if rep.unmatched:
        tab = Table(title=u("unmatched", n=len(rep.unmatched)))
        for col in (u("code"), u("name"), u("suggest")):
            tab.add_column(col)
        for x in rep.unmatched[:30]:
            tab.add_row(x.code or "-", x.name or "-", "; ".join(x.suggestions) or "-")
        err_console.print(tab)
    for key, codes in (("missing", rep.missing), ("repaired", rep.repaired), ("duplicates", rep.duplicates)):
        if codes:
            err_console.print(u(key, n=len(codes), codes=_short_list(codes), level=rep.level), soft_wrap=True)
    for code, hits in list(rep.missing_suggestions.items())[:30]:
        err_console.print(u("missing_hint", code=code, name=regions.get(code).name, hits="; ".join(hits)), soft_wrap=True)


@app.command("map")
def map_cmd(
    result: Path = typer.Option(..., "--result", help="Tabel hasil (CSV/XLSX) dari rawan compute, tabel kode + nilai, atau hasil terbit (berkas edisi YAML, nama edisi bawaan)."),
    locale: Optional[str] = typer.Option(None, "--locale", help=LOCALE_HELP),
    column: str = typer.Option("category", "--column", "-c", help="Kolom yang dipetakan: category, index (kolom indeks), atau skor lain (mis. sospol)."),
    out: Path = typer.Option(..., "--out", "-o", help="Berkas peta: .svg atau .png."),
    level: Optional[str] = typer.Option(None, "--level", help="Tingkat wilayah (default: dari kode)."),
    parent: Optional[str] = typer.Option(None, "--parent", help="Hanya wilayah di bawah kode ini (mis. 15.01)."),
    mode: str = typer.Option("auto", "--mode", help="category, continuous, atau auto (category untuk kolom kategori)."),
    title: str = typer.Option("", "--title", help="Judul peta."),
    subtitle: str = typer.Option("", "--subtitle", help="Subjudul peta."),
    width: int = typer.Option(800, "--width", help="Lebar peta dalam piksel."),
    scale: float = typer.Option(2.0, "--scale", help="PNG: piksel per piksel SVG."),
    boundaries: Optional[str] = typer.Option(None, "--boundaries", help="Berkas/folder batas wilayah, atau 'tiles' untuk peta petak."),
    regions_path: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder)."),
    province: Optional[str] = typer.Option(None, "--province", help="Kode provinsi (default: dari kode dalam tabel)."),
    marked: Optional[str] = typer.Option(None, "--marked", help="Kode wilayah yang ditandai (dipisah koma)."),
):
    """Gambar peta choropleth (SVG atau PNG) dari satu kolom tabel hasil."""
    from ..engine.codes import normalise_code
    from ..engine.errors import Problem
    from ..regions import RegionError, load_regions, write_map
    from ..regions.values import map_mode, map_numbers, read_map_values

    no_data_label = tips = None
    if result.suffix.lower() in (".yaml", ".yml") or not result.exists():
        # a published edition (edition file or shipped name): its categories or scores, its
        # regions without a separate score, and its source line under the title
        from ..intake.published import load_published
        from ..reports.text import num, words

        pub = load_published(result, locale=locale)
        values, synthetic, inferred = pub.map_values(column), pub.synthetic, pub.level
        w = words(State.lang)
        no_data_label = w["no_separate_score"] if pub.no_score else None
        tips = {r.code: f"{w['score']} {num(r.score, State.lang)}" for r in pub.rows if r.score is not None}
        if not subtitle:
            subtitle = " — ".join(x for x in (pub.title_in(State.lang), f"{w['source_word']}: {pub.publisher}"
                                              if pub.publisher else "") if x)
    else:
        values, synthetic, inferred = read_map_values(result, column, locale=locale)
    from .. import __version__

    # the source and edition line every exported map carries
    source_line = u("map_source", file=result.name, version=__version__)
    if mode == "auto":
        mode = map_mode(values)
    if mode == "continuous":
        values = map_numbers(values)
    lvl = level or inferred
    if lvl is None:
        raise RegionError(Problem("map.mixed_levels", {"file": result.name}))
    regions = load_regions(regions_path, province=province) if (regions_path or province) else None
    legend = None if column in ("category", "kategori", "index", "indeks") else column
    write_map(values, out, level=lvl, mode=mode, parent=parent, title=title, subtitle=subtitle,
              lang=State.lang, synthetic=synthetic, boundaries=boundaries, regions=regions, width=width,
              legend_title=legend if mode == "continuous" else None, scale=scale,
              marked=[m.strip() for m in marked.split(",")] if marked else (), no_data_label=no_data_label, tips=tips, source_line=source_line)
    p = normalise_code(parent) if parent else None
    n = sum(1 for k in values if p is None or k == p or k.startswith(p + "."))
    console.print(u("map_written", out=out, n=n, mode=u(f"mode_{mode}")), soft_wrap=True)


@data_app.command("fetch")
def fetch_cmd(
    province: str = typer.Option("15", "--province", help="Kode provinsi (default 15 = Jambi)."),
    registry: Optional[str] = typer.Option(None, "--registry", help="Alamat registri npm (default https://registry.npmjs.org)."),
    package_version: Optional[str] = typer.Option(None, "--package-version", help="Versi idn-area-data (default 4.0.1)."),
    boundaries_url: Optional[str] = typer.Option(None, "--boundaries-url", help="Alamat dasar berkas cahyadsn/wilayah_boundaries."),
    dest: Optional[Path] = typer.Option(None, "--dest", help="Folder tujuan (default: folder data pengguna)."),
):
    """Unduh daftar wilayah (idn-area-data, npm) dan batas wilayah (cahyadsn/wilayah_boundaries), periksa, simpan."""
    from ..regions.fetch import fetch

    kw = {k: v for k, v in (("registry", registry), ("version", package_version),
                            ("boundaries_url", boundaries_url), ("dest", dest)) if v is not None}
    res = fetch(province=province, progress=lambda msg: err_console.print(f"[dim]{msg}[/]"), **kw)
    words = LEVEL_WORD.get(State.lang, LEVEL_WORD["id"])
    counts = ", ".join(f"{n} {words[lv]}" for lv, n in res.counts.items())
    console.print(u("fetched", dir=res.directory, counts=counts, geom=res.with_geometry), soft_wrap=True)
