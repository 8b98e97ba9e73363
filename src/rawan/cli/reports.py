"""``rawan report`` and ``rawan infographic``: the published mapping book and media images."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app
from .ui import LOCALE_HELP, DEFAULT_SEED, State, banner, console, err_console, print_reference, print_warnings, t

UI = {
    "id": {
        "wrote": "Ditulis: {path} ({size} KB)",
        "wrote_many": "Ditulis: {n} infografik di {path}",
        "results_only": "Hasil terbit: skor dan kategori sebagaimana dipublikasikan, dengan sumbernya (tanpa data indikator).",
    },
    "en": {
        "wrote": "Wrote: {path} ({size} KB)",
        "wrote_many": "Wrote: {n} infographics in {path}",
        "results_only": "Published results: scores and categories as published, with their sources (no indicator data).",
    },
}


def _read(model: str, data: Path, locale: str | None):
    """The data file read with the number locale given (the engine's one entrance)."""
    from ..engine import load_spec, read_data

    return read_data(data, load_spec(model).tree.indicators, locale=locale)


def _published(model: str | None, data: Path) -> bool:
    """Whether ``data`` is a published results table (or edition file / shipped edition name): the
    book, infographic and maps are then made from the published scores and categories."""
    from ..engine import Problem, RawanError, load_spec
    from ..intake.published import looks_published

    if looks_published(data, load_spec(model).tree.indicators if model else ()):
        return True
    if model is None:
        raise RawanError(Problem("reports.model_needed", {"file": data.name}))
    return False


def _t(key: str, **kw) -> str:
    return UI.get(State.lang, UI["id"])[key].format(**kw)


def _boundaries(regions: Path | None, boundaries: str | None) -> str | None:
    """Until 0.3, a --regions folder without --boundaries also gives the boundaries (its meaning up to 0.1)."""
    if boundaries is None and regions is not None and regions.is_dir():
        err_console.print(f"[yellow]{t('warning')}:[/] {t('regions_dir', dir=regions)}", soft_wrap=True)
        return str(regions)
    return boundaries


@app.command("report")
def report_cmd(
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Model bawaan (mis. ikp-2024) atau berkas YAML; tidak perlu untuk tabel hasil terbit."),
    data: Path = typer.Option(..., "--data", "-d", help="Data indikator edisi ini (CSV, XLSX, Parquet), atau hasil terbit: tabel kode, nama, skor, kategori, berkas edisi YAML, atau nama edisi bawaan (pilkada-2024-jambi, ikp-2024-provinsi)."),
    locale: Optional[str] = typer.Option(None, "--locale", help=LOCALE_HELP),
    out: Path = typer.Option(..., "--out", "-o", help="Laporan: .pdf atau .html (format dari akhiran)."),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder); default: daftar bawaan provinsi data."),
    boundaries: Optional[str] = typer.Option(None, "--boundaries", help="Berkas/folder batas wilayah untuk peta, atau 'tiles' untuk peta petak; default: batas bawaan provinsi data."),
    previous: Optional[Path] = typer.Option(None, "--previous", help="Data edisi sebelumnya, untuk kolom perubahan."),
    title: Optional[str] = typer.Option(None, "--title", help="Judul laporan."),
    date: Optional[str] = typer.Option(None, "--date", help="Tanggal laporan TTTT-BB-HH (default: SOURCE_DATE_EPOCH atau hari ini)."),
    level: Optional[str] = typer.Option(None, "--level", help="Tingkat wilayah; default dari kode."),
    recommendations: Optional[Path] = typer.Option(None, "--recommendations", help="Berkas rekomendasi (default: yang dibawa model)."),
    runs: int = typer.Option(0, "--runs", "-n", help="Jumlah run analisis ketahanan peringkat (0 = tanpa), mis. 1000."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Benih acak: benih yang sama memberi hasil yang sama."),
    tagged: bool = typer.Option(False, "--tagged", help="PDF bertanda (aksesibel untuk pembaca layar); lebih lambat dan besar."),
    reference: Optional[Path] = typer.Option(None, "--reference", help="Referensi tersimpan (berkas JSON dari compute --save-reference)."),
    parent: Optional[str] = typer.Option(None, "--parent", help="Hanya wilayah di bawah kode ini (mis. 15.01), dinilai dan dikelaskan terhadap referensi seluruh tabel."),
    sambutan: Optional[Path] = typer.Option(None, "--sambutan", help="Berkas teks sambutan (baris pertama '# Judul' boleh; tanda tangan setelah baris '--')."),
    tps: Optional[str] = typer.Option(None, "--tps", help="Bab TPS: pemetaan TPS rawan yang diterbitkan (mis. jambi-pilkada-2024) atau berkas hasil TPS dari aplikasi web."),
    election: str = typer.Option("pemilu", "--election", help="Jenis pemilihan untuk dasar hukum di bab kerangka: pemilu atau pilkada (hasil terbit: dari berkas edisinya)."),
):
    """Susun laporan pemetaan (PDF atau HTML): ringkasan, metodologi, peta, peringkat, profil wilayah, isu strategis, rekomendasi dan lampiran.

    Bahasa Inggris dengan --lang en."""
    from ..reports import build_report, prepare

    boundaries = _boundaries(regions, boundaries)
    if _published(model, data):
        from ..reports import build_published_report

        path = build_published_report(str(data), out=out, regions=regions, boundaries=boundaries, lang=State.lang,
                                      title=title, date=date, sambutan=sambutan, parent=parent, tagged=tagged)
        console.print(_t("results_only"), soft_wrap=True)
        console.print(_t("wrote", path=path, size=(path.stat().st_size + 1023) // 1024))
        return
    spec, result, _, _, _ = prepare(model, _read(model, data, locale), level=level, reference=reference,
                                    parent=parent)
    path = build_report(model, result, out=out, regions=regions, boundaries=boundaries, previous=previous,
                        lang=State.lang, title=title, date=date, level=level, recommendations=recommendations,
                        uncertainty=runs or None, seed=seed, tagged=tagged, reference=reference, parent=parent,
                        sambutan=sambutan, election=election, tps=tps)
    banner(result.synthetic, spec)
    print_reference(result)
    print_warnings(result)
    console.print(_t("wrote", path=path, size=(path.stat().st_size + 1023) // 1024))


@app.command("infographic")
def infographic_cmd(
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Model bawaan atau berkas YAML; tidak perlu untuk tabel hasil terbit."),
    data: Path = typer.Option(..., "--data", "-d", help="Data indikator, atau hasil terbit (tabel, berkas edisi YAML, nama edisi bawaan)."),
    locale: Optional[str] = typer.Option(None, "--locale", help=LOCALE_HELP),
    out: Path = typer.Option(..., "--out", "-o", help="Berkas .png, atau folder dengan --all."),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder); default dicari otomatis."),
    boundaries: Optional[str] = typer.Option(None, "--boundaries", help="Berkas/folder batas wilayah untuk peta, atau 'tiles' untuk peta petak; default dicari otomatis."),
    region: Optional[str] = typer.Option(None, "--region", help="Kode satu wilayah (default: seluruh edisi)."),
    all_regions: bool = typer.Option(False, "--all", help="Satu PNG untuk edisi dan satu per wilayah, ke folder --out."),
    title: Optional[str] = typer.Option(None, "--title", help="Judul."),
    date: Optional[str] = typer.Option(None, "--date", help="Tanggal TTTT-BB-HH."),
    level: Optional[str] = typer.Option(None, "--level", help="Tingkat wilayah; default dari kode."),
    runs: int = typer.Option(0, "--runs", "-n", help="Jumlah run analisis ketahanan (0 = tanpa): kategori kurang stabil ditandai di peta dan disebut."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Benih acak: benih yang sama memberi hasil yang sama."),
):
    """Infografik 1080x1350 untuk media: peta, jumlah per kategori dan wilayah teratas, atau satu wilayah."""
    from ..reports import build_infographic, build_infographics, prepare

    boundaries = _boundaries(regions, boundaries)
    if _published(model, data):
        from ..reports import build_published_infographic

        path = build_published_infographic(str(data), out=out, regions=regions, boundaries=boundaries,
                                           lang=State.lang, title=title, date=date)
        console.print(_t("results_only"), soft_wrap=True)
        console.print(_t("wrote", path=path, size=(path.stat().st_size + 1023) // 1024))
        return
    spec, result, _, _, _ = prepare(model, _read(model, data, locale), level=level)
    if all_regions:
        paths = build_infographics(spec, result, out_dir=out, regions=regions, boundaries=boundaries,
                                   lang=State.lang, title=title, date=date, level=level)
        banner(result.synthetic, spec)
        console.print(_t("wrote_many", n=len(paths), path=out))
        return
    path = build_infographic(spec, result, out=out, regions=regions, boundaries=boundaries, region=region,
                             lang=State.lang, title=title, date=date, level=level, uncertainty=runs or None, seed=seed)
    banner(result.synthetic, spec)
    console.print(_t("wrote", path=path, size=(path.stat().st_size + 1023) // 1024))
