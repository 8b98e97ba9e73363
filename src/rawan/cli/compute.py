"""``rawan compute`` and ``rawan explain``: the index, and one region's score explained."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Optional

import typer

from .app import app
from .ui import LOCALE_HELP, State, banner, cat_label, console, fmt, print_reference, print_warnings, t

REFERENCE_HELP = "Referensi tersimpan (berkas JSON dari --save-reference): batas, nilai imputasi dan batas kelas run itu."
PARENT_HELP = "Hanya wilayah di bawah kode ini (mis. 15.01), dinilai dan dikelaskan terhadap referensi seluruh tabel."


def computed(spec, data: Path, level: str | None, reference: Path | None, parent: str | None = None,
             locale: str | None = None):
    """Read, compute against the stored reference when given, and restrict to ``parent``:
    (result of the whole table, result shown)."""
    from ..engine import Reference, compute, read_data

    ref = Reference.load(reference) if reference is not None else None
    whole = compute(spec, read_data(data, spec.tree.indicators, locale=locale), region_level=level or "auto", reference=ref)
    return whole, (whole.restrict(parent) if parent else whole)


def ranking_table(result):
    """The ranking of a result as a Rich table (index, category, dimensions, completeness)."""
    from rich.table import Table

    from ..engine import output

    header, rows = output.table(result)
    spec = result.spec
    tab = Table(title=spec.title.get(State.lang))
    dims = spec.tree.children[spec.tree.root]
    for name, justify in (("#", "right"), ("Kode" if State.lang == "id" else "Code", "left"),
                          (t("region"), "left"), (spec.tree.root, "right"), (t("category"), "left")):
        tab.add_column(name, justify=justify, no_wrap=name != t("region"))
    for d in dims:
        tab.add_column(d, justify="right")
    tab.add_column("%", justify="right")
    h = {c: i for i, c in enumerate(header)}
    for r in rows:
        name = r[h["name"]] if "name" in h else ""
        name = name.removeprefix("Kabupaten ")
        tab.add_row(str(r[h["rank"]] or "-"), r[0], name, fmt(r[h[spec.tree.root]]),
                    cat_label(r[h["category"]], short=True), *[fmt(r[h[d]]) for d in dims],
                    f"{(r[h['completeness']] or 0) * 100:.0f}")
    return tab


@app.command("compute")
def compute_cmd(
    model: str = typer.Option(..., "--model", "-m", help="Model bawaan (mis. ikp-2024) atau berkas YAML/iMeta."),
    data: Path = typer.Option(..., "--data", "-d", help="Data indikator: CSV, XLSX atau Parquet."),
    locale: Optional[str] = typer.Option(None, "--locale", help=LOCALE_HELP),
    out: Path = typer.Option(..., "--out", "-o", help="Hasil: .csv, .xlsx atau .json."),
    level: Optional[str] = typer.Option(None, "--level", help="Tingkat wilayah (provinsi, kabupaten_kota, kecamatan, desa_kelurahan); default dari kode."),
    show: bool = typer.Option(False, "--show", help="Tampilkan tabel peringkat."),
    reference: Optional[Path] = typer.Option(None, "--reference", help=REFERENCE_HELP),
    save_reference: Optional[Path] = typer.Option(None, "--save-reference", help="Simpan referensi run ini (batas normalisasi, nilai imputasi, batas kelas, skor indeks) ke berkas JSON."),
    parent: Optional[str] = typer.Option(None, "--parent", help=PARENT_HELP),
):
    """Hitung indeks: skor tiap tingkat, peringkat dan kategori untuk setiap wilayah."""
    from ..engine import load_spec, output

    spec = load_spec(model)
    whole, result = computed(spec, data, level, reference, parent, locale=locale)
    output.write(result, out)
    banner(result.synthetic, spec)
    print_reference(result)
    print_warnings(result)
    if save_reference is not None:
        ref = whole.to_reference(data.name)
        ref.save(save_reference)
        console.print(t("reference_saved", path=save_reference, n=ref.n_regions))
    if show:
        console.print(ranking_table(result))
    console.print(t("wrote", path=out, n=len(result.codes)))


@app.command("explain")
def explain_cmd(
    model: str = typer.Option(..., "--model", "-m", help="Model bawaan atau berkas."),
    data: Path = typer.Option(..., "--data", "-d", help="Data indikator."),
    locale: Optional[str] = typer.Option(None, "--locale", help=LOCALE_HELP),
    region: str = typer.Option(..., "--region", "-r", help="Kode wilayah."),
    level: Optional[str] = typer.Option(None, "--level", help="Tingkat wilayah; default dari kode."),
    top: int = typer.Option(5, "--top", help="Jumlah pendorong utama."),
    reference: Optional[Path] = typer.Option(None, "--reference", help=REFERENCE_HELP),
):
    """Jelaskan skor satu wilayah: kontribusi, pendorong utama, jarak ke batas kategori."""
    from rich.table import Table
    from rich.tree import Tree as RichTree

    from ..engine import explain as explain_region, load_spec

    spec = load_spec(model)
    _, result = computed(spec, data, level, reference, locale=locale)
    e = explain_region(result, region, top=top)
    banner(result.synthetic, spec)
    lang = State.lang
    tree = spec.tree
    title = f"{e.name} ({e.region})" if e.name else e.region
    console.print(f"[bold]{title}[/]")
    console.print(f"{spec.node(e.index).name.get(lang)}: [bold]{fmt(e.score)}[/] · "
                  f"{t('rank')} {_rank_text(e, result)} · "
                  f"{cat_label(e.category)} · {t('completeness')} {e.completeness * 100:.0f}%")
    rt = RichTree(f"{t('dims')} ({t('score')} · {t('contrib')})")

    def add(branch, code):
        for c in tree.children[code]:
            if tree.nodes[c].type != "aggregate":
                continue
            con = e.of(c)
            sub = branch.add(f"{c} {spec.node(c).name.get(lang)}: {fmt(con.score)} · +{fmt(con.to_index)}")
            add(sub, c)

    add(rt, tree.root)
    console.print(rt)
    tab = Table(title=t("drivers"))
    tab.add_column(t("indicator"))
    tab.add_column(t("value"), justify="right")
    tab.add_column(t("score"), justify="right")
    tab.add_column(t("contrib"), justify="right")
    for d in e.top_drivers:
        raw = result.raw[result.region(region), result.indicators.index(d.code)]
        tab.add_row(f"{d.code} {spec.node(d.code).name.get(lang)}", fmt(raw, 0 if float(raw).is_integer() else 2),
                    fmt(d.score), fmt(d.to_index))
    console.print(tab)
    if e.category is None:
        console.print(t("no_category"))
    else:
        if e.cutoff_up:
            console.print(t("to_up", label=cat_label(e.cutoff_up[0]), gap=fmt(e.cutoff_up[2]), cut=fmt(e.cutoff_up[1])))
        else:
            console.print(t("top_class"))
        if e.cutoff_down:
            console.print(t("to_down", label=cat_label(e.cutoff_down[0]), gap=fmt(e.cutoff_down[2]), cut=fmt(e.cutoff_down[1])))
    print_warnings(result)
    print_reference(result)


def _rank_text(e, result) -> str:
    r = int(e.rank) if not math.isnan(e.rank) else "-"
    if not result.is_subset:
        return f"{r}/{len(result.codes)}"
    rr = int(e.rank_reference) if not math.isnan(e.rank_reference) else "-"
    return t("rank_both", rank=r, n=len(result.codes), ref_rank=rr, ref=result.reference_size)
