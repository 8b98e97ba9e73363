"""The ``rawan`` command: thin, calls the same objects the web app will call.

Messages are Indonesian by default; ``--lang en`` (anywhere on the line, or
RAWAN_LANG=en) switches to English.  User errors print sentences that name the
place and exit with 2; ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.tree import Tree as RichTree

from .engine import RawanError, compute, explain as explain_region, load_spec, read_data
from .engine import output
from .engine.spec import CATEGORY_LABELS

UI = {
    "id": {
        "error": "Kesalahan",
        "internal": "Kesalahan internal (jalankan ulang dengan --debug untuk rinciannya)",
        "wrote": "Ditulis: {path} ({n} wilayah)",
        "synthetic": "DATA CONTOH — data sintetis, bukan data Bawaslu",
        "model_ok": "Model {id} versi {version} sah: {ind} indikator, {agg} agregat, {lv} tingkat.",
        "data_ok": "Data {file} cocok dengan model: {n} wilayah.",
        "assumptions": "Asumsi",
        "region": "Wilayah", "score": "Skor", "rank": "Peringkat", "category": "Kategori",
        "completeness": "Kelengkapan", "weight": "bobot", "direction": "arah",
        "dims": "Rincian", "drivers": "Pendorong utama (kontribusi ke indeks)",
        "to_up": "Naik ke {label} bila skor bertambah {gap} poin (batas {cut}).",
        "to_down": "Turun ke {label} bila skor berkurang lebih dari {gap} poin (batas {cut}).",
        "top_class": "Sudah di kategori tertinggi.",
        "no_category": "Tidak ada aturan kategori untuk tingkat wilayah ini.",
        "contrib": "kontribusi", "indicator": "Indikator", "value": "Nilai",
        "recipe": "Resep",
        "demo_written": "Data contoh ditulis ke {out}:",
        "no_kecamatan": "Daftar wilayah (jambi-wilayah.csv) tidak ditemukan: hanya data kab/kota yang dibuat.",
        "warning": "Peringatan",
        "rests_on": "Hasil ini bertumpu pada asumsi model (bukan metode Bawaslu): {codes}. Lihat: rawan model show {model}",
    },
    "en": {
        "error": "Error",
        "internal": "Internal error (run again with --debug for details)",
        "wrote": "Wrote: {path} ({n} regions)",
        "synthetic": "DATA CONTOH — synthetic data, not Bawaslu data",
        "model_ok": "Model {id} version {version} is valid: {ind} indicators, {agg} aggregates, {lv} levels.",
        "data_ok": "Data {file} matches the model: {n} regions.",
        "assumptions": "Assumptions",
        "region": "Region", "score": "Score", "rank": "Rank", "category": "Category",
        "completeness": "Completeness", "weight": "weight", "direction": "direction",
        "dims": "Breakdown", "drivers": "Top drivers (contribution to the index)",
        "to_up": "Moves up to {label} if the score rises by {gap} points (cut-off {cut}).",
        "to_down": "Moves down to {label} if the score falls by more than {gap} points (cut-off {cut}).",
        "top_class": "Already in the highest category.",
        "no_category": "No category rule for this region level.",
        "contrib": "contribution", "indicator": "Indicator", "value": "Value",
        "recipe": "Recipe",
        "demo_written": "Demo data written to {out}:",
        "no_kecamatan": "Region list (jambi-wilayah.csv) not found: only the kab/kota dataset was made.",
        "warning": "Warning",
        "rests_on": "This result rests on the model's assumptions (not Bawaslu's method): {codes}. See: rawan model show {model}",
    },
}


class State:
    lang: str = os.environ.get("RAWAN_LANG", "id")
    debug: bool = False


console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def t(key: str, **kw) -> str:
    return UI.get(State.lang, UI["id"])[key].format(**kw)


SHORT_LABELS = {"id": {"rendah": "Rendah", "sedang": "Sedang", "tinggi": "Tinggi"},
                "en": {"rendah": "Low", "sedang": "Medium", "tinggi": "High"}}


def cat_label(code: str | None, short: bool = False) -> str:
    if code is None:
        return "-"
    if short:
        return SHORT_LABELS.get(State.lang, SHORT_LABELS["id"]).get(code, code)
    return CATEGORY_LABELS.get(code, {}).get(State.lang, code)


app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="rawan — pemetaan kerawanan pemilu / election-vulnerability mapping.")
model_app = typer.Typer(no_args_is_help=True, help="Periksa dan tampilkan berkas metodologi / check and show methodology files.")
demo_app = typer.Typer(no_args_is_help=True, help="Data contoh Jambi (sintetis) / the synthetic Jambi demo.")
app.add_typer(model_app, name="model")
app.add_typer(demo_app, name="demo")


@app.callback()
def _root(
    lang: str = typer.Option("id", "--lang", help="Bahasa pesan: id atau en / message language."),
    debug: bool = typer.Option(False, "--debug", help="Tampilkan traceback / show tracebacks."),
):
    """rawan: indeks kerawanan pemilu yang dapat direproduksi dan dijelaskan."""


def _fmt(x: float | None, nd: int = 2) -> str:
    """A number for people: decimal comma in Indonesian, point in English."""
    if x is None or math.isnan(x):
        return "-"
    s = f"{x:.{nd}f}"
    return s.replace(".", ",") if State.lang == "id" else s


def _print_warnings(result) -> None:
    for w in result.warnings:
        err_console.print(f"[yellow]{t('warning')}:[/] {w.render(State.lang)}")


def _banner(synthetic: bool, spec=None) -> None:
    if synthetic:
        console.print(f"[bold reverse] {t('synthetic')} [/]")
    if spec is not None and spec.assumptions:
        console.print(f"[dim]{t('rests_on', codes=', '.join(a.code for a in spec.assumptions), model=spec.id)}[/]")


def _ranking_table(result) -> Table:
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
        tab.add_row(str(r[h["rank"]] or "-"), r[0], name, _fmt(r[h[spec.tree.root]]),
                    cat_label(r[h["category"]], short=True), *[_fmt(r[h[d]]) for d in dims],
                    f"{(r[h['completeness']] or 0) * 100:.0f}")
    return tab


@app.command("compute")
def compute_cmd(
    model: str = typer.Option(..., "--model", "-m", help="Model bawaan (mis. ikp-2024) atau berkas YAML/iMeta."),
    data: Path = typer.Option(..., "--data", "-d", help="Data indikator: CSV, XLSX atau Parquet."),
    out: Path = typer.Option(..., "--out", "-o", help="Hasil: .csv, .xlsx atau .json."),
    level: Optional[str] = typer.Option(None, "--level", help="Tingkat wilayah (provinsi, kabupaten_kota, kecamatan, desa_kelurahan); default dari kode."),
    show: bool = typer.Option(False, "--show", help="Tampilkan tabel peringkat."),
):
    """Hitung indeks: skor tiap tingkat, peringkat dan kategori untuk setiap wilayah."""
    spec = load_spec(model)
    dataset = read_data(data, spec.tree.indicators)
    result = compute(spec, dataset, region_level=level or "auto")
    output.write(result, out)
    _banner(result.synthetic, spec)
    _print_warnings(result)
    if show:
        console.print(_ranking_table(result))
    console.print(t("wrote", path=out, n=len(result.codes)))


@app.command("explain")
def explain_cmd(
    model: str = typer.Option(..., "--model", "-m", help="Model bawaan atau berkas."),
    data: Path = typer.Option(..., "--data", "-d", help="Data indikator."),
    region: str = typer.Option(..., "--region", "-r", help="Kode wilayah."),
    level: Optional[str] = typer.Option(None, "--level", help="Tingkat wilayah; default dari kode."),
    top: int = typer.Option(5, "--top", help="Jumlah pendorong utama."),
):
    """Jelaskan skor satu wilayah: kontribusi, pendorong utama, jarak ke batas kategori."""
    spec = load_spec(model)
    result = compute(spec, read_data(data, spec.tree.indicators), region_level=level or "auto")
    e = explain_region(result, region, top=top)
    _banner(result.synthetic, spec)
    lang = State.lang
    tree = spec.tree
    title = f"{e.name} ({e.region})" if e.name else e.region
    console.print(f"[bold]{title}[/]")
    console.print(f"{spec.node(e.index).name.get(lang)}: [bold]{_fmt(e.score)}[/] · "
                  f"{t('rank')} {int(e.rank) if not math.isnan(e.rank) else '-'}/{len(result.codes)} · "
                  f"{cat_label(e.category)} · {t('completeness')} {e.completeness * 100:.0f}%")
    rt = RichTree(f"{t('dims')} ({t('score')} · {t('contrib')})")

    def add(branch, code):
        for c in tree.children[code]:
            if tree.nodes[c].type != "aggregate":
                continue
            con = e.of(c)
            sub = branch.add(f"{c} {spec.node(c).name.get(lang)}: {_fmt(con.score)} · +{_fmt(con.to_index)}")
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
        tab.add_row(f"{d.code} {spec.node(d.code).name.get(lang)}", _fmt(raw, 0 if float(raw).is_integer() else 2),
                    _fmt(d.score), _fmt(d.to_index))
    console.print(tab)
    if e.category is None:
        console.print(t("no_category"))
    else:
        if e.cutoff_up:
            console.print(t("to_up", label=cat_label(e.cutoff_up[0]), gap=_fmt(e.cutoff_up[2]), cut=_fmt(e.cutoff_up[1])))
        else:
            console.print(t("top_class"))
        if e.cutoff_down:
            console.print(t("to_down", label=cat_label(e.cutoff_down[0]), gap=_fmt(e.cutoff_down[2]), cut=_fmt(e.cutoff_down[1])))
    _print_warnings(result)


@model_app.command("check")
def model_check(
    model: str = typer.Argument(..., help="Model bawaan atau berkas YAML/iMeta."),
    data: Optional[Path] = typer.Option(None, "--data", "-d", help="Periksa juga kecocokan data."),
):
    """Periksa berkas metodologi (dan data); semua masalah sekaligus, kode keluar 2 bila ada."""
    spec = load_spec(model)
    tree = spec.tree
    console.print(t("model_ok", id=spec.id, version=spec.version, ind=len(tree.indicators),
                    agg=len(tree.aggregates), lv=tree.level[tree.root]))
    if data is not None:
        result = compute(spec, read_data(data, tree.indicators))
        console.print(t("data_ok", file=data.name, n=len(result.codes)))
        _print_warnings(result)


@model_app.command("show")
def model_show(model: str = typer.Argument(..., help="Model bawaan atau berkas.")):
    """Tampilkan hierarki dengan bobot, arah dan metode."""
    spec = load_spec(model)
    tree = spec.tree
    lang = State.lang

    def label(code: str) -> str:
        n = tree.nodes[code]
        parts = [f"[bold]{code}[/] {n.name.get(lang)}", f"{t('weight')} {n.weight:g}"]
        if n.type == "indicator":
            if n.direction < 0:
                parts.append(f"{t('direction')} -1")
            if n.kind:
                parts.append(n.kind)
        else:
            parts.append(tree.resolve(spec, code, "aggregation").method.name)
        return " · ".join(parts)

    root = RichTree(f"{label(tree.root)}  [dim]({spec.id} {spec.version})[/]")

    def add(branch, code):
        for c in tree.children[code]:
            add(branch.add(label(c)), c)

    add(root, tree.root)
    console.print(root)
    if spec.assumptions:
        console.print(f"\n[bold]{t('assumptions')}[/]")
        for a in spec.assumptions:
            console.print(f"- [bold]{a.code}[/]: {a.text.get(lang)}")


@demo_app.command("build")
def demo_build(
    out: Path = typer.Option(Path("demo-output"), "--out", "-o", help="Folder keluaran."),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Folder atau berkas jambi-wilayah.csv (default ../shared/data)."),
    seed: int = typer.Option(2024, "--seed", help="Benih acak."),
    model: str = typer.Option("ikp-2024", "--model", "-m", help="Model."),
):
    """Buat data contoh Jambi (sintetis) dan hitung hasilnya untuk setiap tingkat."""
    from . import demo

    spec = load_spec(model)
    files = demo.build(spec, out, regions=regions, seed=seed)
    _banner(True, spec)
    console.print(t("demo_written", out=out))
    if len(files) == 1:
        err_console.print(f"[yellow]{t('warning')}:[/] {t('no_kecamatan')}")
    for f in files:
        result = compute(spec, read_data(f, spec.tree.indicators))
        res_path = f.with_name(f.name.replace("jambi-", "hasil-"))
        output.write(result, res_path)
        console.print(f"  {f}  ->  {res_path}")
        if "kabkota" in f.name:
            console.print(_ranking_table(result))


# Command groups of other packages live in their own modules (cli_*.py), which import `app`,
# `console`, `State` from here and register their commands when imported below.
# (imports added here, one line per module)
from . import cli_reports  # noqa: E402,F401
from . import cli_robustness  # noqa: E402,F401
from . import cli_intake  # noqa: E402,F401
from . import cli_regions  # noqa: E402,F401
from . import cli_web  # noqa: E402,F401


def _extract_global(argv: list[str]) -> list[str]:
    """Accept --lang/--debug anywhere on the command line."""
    out = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--lang" and i + 1 < len(argv):
            State.lang = argv[i + 1]
            i += 2
            continue
        if a.startswith("--lang="):
            State.lang = a.split("=", 1)[1]
        elif a == "--debug":
            State.debug = True
        else:
            out.append(a)
        i += 1
    if State.lang not in UI:
        State.lang = "id"
    return out


def main(argv: list[str] | None = None) -> int:
    args = _extract_global(list(sys.argv[1:] if argv is None else argv))
    try:
        app(args, prog_name="rawan", standalone_mode=False)
    except RawanError as e:
        for line in e.render(State.lang):
            err_console.print(f"[bold red]{t('error')}:[/] {line}", soft_wrap=True)
        return 2
    except (typer.Exit, SystemExit) as e:
        return int(getattr(e, "exit_code", getattr(e, "code", 0)) or 0)
    except Exception as e:  # usage errors (typer's click exceptions) and real bugs
        if hasattr(e, "show") and hasattr(e, "exit_code"):
            e.show()
            return int(e.exit_code)
        if type(e).__name__ == "Abort":
            return 1
        if State.debug:
            raise
        err_console.print(f"[bold red]{t('internal')}:[/] {type(e).__name__}: {e}")
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
