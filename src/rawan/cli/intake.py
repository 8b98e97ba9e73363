"""``rawan template``, ``rawan import``, ``rawan validate``: data intake from the command line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from .app import app
from .ui import LOCALE_HELP, State, console, err_console

UI = {
    "id": {
        "template_written": "Templat ditulis: {path} ({n} wilayah, model {model} versi {version}).",
        "imported": "Diimpor: {file} -> {out} ({n} wilayah, {kind}; SHA-256 {sha}).",
        "events": "{events} kejadian dijumlahkan per {level} dengan bobot tingkat kejadian.",
        "valid": "Berkas {file} sah: tidak ada kesalahan ({n} peringatan).",
        "invalid": "Berkas {file}: {errors} kesalahan, {warnings} peringatan.",
        "copy": "Salinan bertanda ditulis: {path} (sel bermasalah berwarna merah, dengan komentar).",
        "warning": "Peringatan", "kind": "Jenis", "place": "Tempat", "problem": "Masalah",
        "error": "kesalahan", "warn": "peringatan",
    },
    "en": {
        "template_written": "Template written: {path} ({n} regions, model {model} version {version}).",
        "imported": "Imported: {file} -> {out} ({n} regions, {kind}; SHA-256 {sha}).",
        "events": "{events} events summed per {level} with severity weights.",
        "valid": "File {file} is valid: no errors ({n} warnings).",
        "invalid": "File {file}: {errors} errors, {warnings} warnings.",
        "copy": "Marked-up copy written: {path} (cells with problems in red, with comments).",
        "warning": "Warning", "kind": "Kind", "place": "Place", "problem": "Problem",
        "error": "error", "warn": "warning",
    },
}


def tt(key: str, **kw) -> str:
    return UI.get(State.lang, UI["id"])[key].format(**kw)


PROVINCE_HELP = "Kode provinsi daftar wilayah bawaan (mis. 32 = Jawa Barat); default 15 (Jambi)."


def _regions(path: Optional[Path], province: Optional[str] = None):
    """The given region list, else the default one (rawan.regions.defaults): codes are always checked."""
    from ..regions import load_regions

    return load_regions(path, province=province)


@app.command("template")
def template_cmd(
    model: str = typer.Option(..., "--model", "-m", help="Model bawaan (mis. ikp-2024) atau berkas YAML."),
    level: str = typer.Option(..., "--level", help="Tingkat wilayah: provinsi, kabupaten_kota, kecamatan, desa_kelurahan."),
    out: Path = typer.Option(..., "--out", "-o", help="Templat: .xlsx atau .csv."),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder); default: daftar bawaan."),
    province: Optional[str] = typer.Option(None, "--province", help=PROVINCE_HELP),
    parent: Optional[str] = typer.Option(None, "--parent", help="Hanya wilayah di bawah kode ini (mis. 15.01)."),
    kind: str = typer.Option("kuesioner", "--kind", help="kuesioner (satu baris per wilayah) atau kejadian (satu baris per kejadian)."),
):
    """Buat templat isian (XLSX/CSV) untuk satu tingkat wilayah."""
    from ..engine import DataError, Problem, load_spec
    from ..intake import make_template

    spec = load_spec(model)
    regs = _regions(regions, province)
    if kind not in ("kuesioner", "kejadian"):
        raise DataError(Problem("intake.out_format", {"file": kind, "known": "kuesioner, kejadian"}))
    path = make_template(spec, regs, level=level, parent=parent, out=out, lang=State.lang, kind=kind)
    n = len(regs.at_level(level, parent=parent) if parent else regs.at_level(level))
    console.print(tt("template_written", path=path, n=n, model=spec.id, version=spec.version))


def _problem_table(problems: list) -> "Table":
    from rich.table import Table

    tab = Table(show_lines=False)
    tab.add_column("#", justify="right")
    tab.add_column(tt("kind"))
    tab.add_column(tt("place"), no_wrap=True)
    tab.add_column(tt("problem"))
    for k, p in enumerate(problems, start=1):
        pr = p.params
        place = ""
        if pr.get("row"):
            place = f"{pr.get('column', '')}{pr['row']}" if pr.get("column", "-") != "-" else f"{pr['row']}"
        elif pr.get("cell"):
            place = str(pr["cell"])
        elif pr.get("column") and pr.get("column") != "-":
            place = str(pr["column"])
        kind = f"[red]{tt('error')}[/]" if p.severity == "error" else f"[yellow]{tt('warn')}[/]"
        tab.add_row(str(k), kind, place, p.render(State.lang))
    return tab


@app.command("validate")
def validate_cmd(
    file: Path = typer.Argument(..., help="Berkas isian: .xlsx, .csv atau .parquet."),
    locale: Optional[str] = typer.Option(None, "--locale", help=LOCALE_HELP),
    model: str = typer.Option(..., "--model", "-m", help="Model bawaan atau berkas YAML."),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder) untuk memeriksa kode; default: daftar bawaan."),
    province: Optional[str] = typer.Option(None, "--province", help=PROVINCE_HELP),
    level: Optional[str] = typer.Option(None, "--level", help="Tingkat wilayah (kejadian: tingkat penjumlahan)."),
    parent: Optional[str] = typer.Option(None, "--parent", help="Cakupan: hanya wilayah di bawah kode ini."),
    copy: Optional[Path] = typer.Option(None, "--copy", help="Salinan bertanda (.xlsx); default BERKAS-periksa.xlsx."),
    no_copy: bool = typer.Option(False, "--no-copy", help="Jangan menulis salinan bertanda."),
):
    """Periksa berkas isian: semua masalah sekaligus, dan salinan dengan sel bermasalah ditandai."""
    from ..engine import load_spec
    from ..intake import validate_file
    from ..intake.annotate import can_annotate, write_annotated

    spec = load_spec(model)
    problems = validate_file(file, spec, regions=_regions(regions, province), level=level, parent=parent, locale=locale)
    errors = [p for p in problems if p.severity == "error"]
    if problems:
        console.print(_problem_table(problems))
    if errors:
        console.print(tt("invalid", file=file.name, errors=len(errors), warnings=len(problems) - len(errors)))
    else:
        console.print(tt("valid", file=file.name, n=len(problems)))
    if problems and not no_copy and can_annotate(problems):
        target = copy or file.with_name(f"{file.stem}-periksa.xlsx")
        write_annotated(file, problems, target, lang=State.lang)
        console.print(tt("copy", path=target))
    if errors:
        raise SystemExit(2)  # click does not pass typer.Exit codes through rawan.cli.main


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="Berkas isian: .xlsx, .csv atau .parquet."),
    locale: Optional[str] = typer.Option(None, "--locale", help=LOCALE_HELP),
    model: str = typer.Option(..., "--model", "-m", help="Model bawaan atau berkas YAML."),
    out: Path = typer.Option(..., "--out", "-o", help="Data hasil impor: .parquet atau .csv."),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder) untuk memeriksa kode; default: daftar bawaan."),
    province: Optional[str] = typer.Option(None, "--province", help=PROVINCE_HELP),
    level: Optional[str] = typer.Option(None, "--level", help="Kejadian: tingkat wilayah penjumlahan."),
    parent: Optional[str] = typer.Option(None, "--parent", help="Cakupan: hanya wilayah di bawah kode ini."),
    user: Optional[str] = typer.Option(None, "--user", help="Siapa yang mengimpor (dicatat dalam provenans)."),
):
    """Impor berkas isian: seluruhnya sah atau tidak sama sekali; hasil ditulis dengan provenansnya."""
    from ..engine import DataError, Problem, load_spec
    from ..intake import import_file
    from ..intake.output import write_dataset

    if out.suffix.lower() not in (".parquet", ".csv"):  # before reading anything
        raise DataError(Problem("intake.out_format", {"file": out.name, "known": ".parquet, .csv"}))
    spec = load_spec(model)
    result = import_file(file, spec, regions=_regions(regions, province), user=user or os.environ.get("USER"),
                         level=level, parent=parent, lang=State.lang, locale=locale)
    write_dataset(result, out)
    for w in result.warnings:
        err_console.print(f"[yellow]{tt('warning')}:[/] {w.render(State.lang)}", soft_wrap=True)
    prov = result.provenance
    console.print(tt("imported", file=file.name, out=out, n=len(result.dataset.codes), kind=prov.kind,
                     sha=prov.sha256[:12]))
    if prov.events is not None:
        console.print(tt("events", events=prov.events, level=prov.level))


__all__ = ["import_cmd", "template_cmd", "validate_cmd"]
