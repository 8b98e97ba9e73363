"""``rawan tps ...``: the TPS registry, checklists, counts, lists for police/army/KPU, maps, press release."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .app import app
from .ui import State, console, err_console

tps_app = typer.Typer(no_args_is_help=True, help="TPS rawan: daftar TPS, daftar periksa, jumlah, daftar untuk "
                                                 "Polri/TNI/KPU, peta, draf siaran pers / vulnerable polling stations.")
app.add_typer(tps_app, name="tps")

UI = {
    "id": {
        "registry": "Daftar TPS diimpor: {file} -> {out} ({n} TPS di {desa} desa/kelurahan; dicocokkan dengan {by}).",
        "checklists": "Daftar periksa diimpor: {files} berkas -> {out} ({n} TPS menjawab).",
        "template": "Templat ditulis: {path} ({n} TPS).",
        "written": "Ditulis: {path}",
        "demo": "Data contoh TPS ditulis ke {out}:",
        "counts": "Jumlah TPS (bukan skor) — {title}",
        "warning": "Peringatan",
        "list": "Daftar TPS rawan: {n} TPS -> {path}",
    },
    "en": {
        "registry": "TPS registry imported: {file} -> {out} ({n} TPS in {desa} desa/kelurahan; matched by {by}).",
        "checklists": "Checklists imported: {files} files -> {out} ({n} TPS answered).",
        "template": "Template written: {path} ({n} TPS).",
        "written": "Written: {path}",
        "demo": "Synthetic TPS data written to {out}:",
        "counts": "Numbers of TPS (not a score) — {title}",
        "warning": "Warning",
        "list": "TPS rawan list: {n} TPS -> {path}",
    },
}
MODEL_HELP = "Model TPS bawaan (tps-pilkada-2024, tps-pemilu-2024) atau berkas YAML."
LIST_HELP = "Daftar TPS (Parquet dari 'rawan tps import' atau 'rawan tps demo')."
CHECKLIST_HELP = "Jawaban daftar periksa (Parquet dari 'rawan tps import --tps-list')."


def tt(key: str, **kw) -> str:
    if key == "synthetic":
        from ..vocabulary import synthetic_note

        return synthetic_note(State.lang)
    return UI.get(State.lang, UI["id"])[key].format(**kw)


def _regions(path: Optional[Path], province: Optional[str] = None):
    from ..regions import load_regions

    return load_regions(path, province=province or "*") if path is None and province == "*" else \
        load_regions(path, province=province)


def _regions_for(registry, path: Optional[Path]):
    """The region list covering the registry's desa (one province, or all Indonesia)."""
    from ..regions import load_regions

    provs = {c[:2] for c in registry.desa_codes}
    return load_regions(path, province=provs.pop() if len(provs) == 1 else "*")


def _read(tps_list: Path, checklist: Optional[Path], model: str):
    import pyarrow.parquet as pq

    from ..tps import Checklist, Registry, load_tps_model

    m = load_tps_model(model)
    reg = Registry.from_table(pq.read_table(tps_list), election=m.election.code)
    cl = Checklist.from_table(m, reg, pq.read_table(checklist)) if checklist else Checklist.empty(m, reg)
    return m, reg, cl


def _write_parquet(table, out: Path) -> Path:
    import os
    import tempfile

    import pyarrow.parquet as pq

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp's 0600 would hide the file from the rest of the office
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


@tps_app.command("import")
def import_cmd(
    files: List[Path] = typer.Argument(..., help="Daftar TPS KPU (CSV/XLSX), atau isian daftar periksa (XLSX/CSV) bila --tps-list diberikan."),
    out: Path = typer.Option(..., "--out", "-o", help="Berkas Parquet yang ditulis (hanya bila semua baris sah)."),
    tps_list: Optional[Path] = typer.Option(None, "--tps-list", help=LIST_HELP + " Bila diberikan, berkas adalah daftar periksa."),
    model: str = typer.Option("tps-pilkada-2024", "--model", "-m", help=MODEL_HELP),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder); default: daftar bawaan seluruh Indonesia."),
    province: Optional[str] = typer.Option(None, "--province", help="Kode provinsi daftar wilayah bawaan (mis. 15); default: seluruh Indonesia."),
):
    """Impor daftar TPS (kode desa, atau nama provinsi/kabupaten/kecamatan/kelurahan) atau daftar periksa: semua atau tidak sama sekali."""
    from ..tps import load_tps_model

    m = load_tps_model(model)
    if tps_list is None:
        from ..regions import load_regions
        from ..tps.registry_import import import_registry

        if len(files) != 1:
            raise typer.BadParameter("satu berkas daftar TPS / one TPS list file")
        regs = load_regions(regions, province=province or ("*" if regions is None else None))
        res = import_registry(files[0], m, regs, lang=State.lang)
        for w in res.warnings:
            err_console.print(f"[yellow]{tt('warning')}:[/] {w.render(State.lang)}", soft_wrap=True)
        _write_parquet(res.registry.table, out)
        console.print(tt("registry", file=res.file, out=out, n=len(res.registry), desa=len(res.registry.desa_codes),
                         by=res.matched_by))
        return
    from ..tps import Registry
    from ..tps.checklist_io import import_checklists
    import pyarrow.parquet as pq

    reg = Registry.from_table(pq.read_table(tps_list), election=m.election.code)
    res = import_checklists(files, m, reg)
    _write_parquet(res.checklist.to_table(), out)
    console.print(tt("checklists", files=len(res.files), out=out, n=res.tps))


@tps_app.command("template")
def template_cmd(
    tps_list: Path = typer.Option(..., "--tps-list", help=LIST_HELP),
    parent: str = typer.Option(..., "--parent", help="Kecamatan (atau desa, kab/kota) yang TPS-nya masuk templat, mis. 15.04.01."),
    out: Path = typer.Option(..., "--out", "-o", help="Templat: .xlsx atau .csv."),
    model: str = typer.Option("tps-pilkada-2024", "--model", "-m", help=MODEL_HELP),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder); default: daftar bawaan."),
):
    """Templat daftar periksa TPS per kecamatan: satu baris per TPS, satu kolom per indikator (ya/tidak)."""
    from ..tps.checklist_io import _scope_rows, make_checklist_template

    m, reg, _ = _read(tps_list, None, model)
    path = make_checklist_template(m, reg, _regions_for(reg, regions), parent=parent, out=out, lang=State.lang)
    console.print(tt("template", path=path, n=len(_scope_rows(reg, parent))))


@tps_app.command("summary")
def summary_cmd(
    tps_list: Optional[Path] = typer.Option(None, "--tps-list", help=LIST_HELP),
    checklist: Optional[Path] = typer.Option(None, "--checklist", help=CHECKLIST_HELP),
    published: Optional[str] = typer.Option(None, "--published", help="Angka yang diterbitkan (mis. jambi-pilkada-2024): tabel apa adanya, dengan sumbernya."),
    region: Optional[str] = typer.Option(None, "--region", "-r", help="Wilayah ringkasan (kode), mis. 15; default: seluruh daftar."),
    level: Optional[str] = typer.Option(None, "--level", help="Tingkat baris tabel: desa_kelurahan, kecamatan, kabupaten_kota, provinsi, nasional (default: satu tingkat di bawah wilayah)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Tabel jumlah: .csv, .xlsx atau .parquet (setiap tingkat di bawah wilayah)."),
    model: str = typer.Option("tps-pilkada-2024", "--model", "-m", help=MODEL_HELP),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder); default: daftar bawaan."),
    top: int = typer.Option(3, "--top", help="Berapa wilayah terbanyak per indikator yang ditampilkan."),
):
    """Jumlah TPS per indikator dalam format Bawaslu (kelompok, wilayah terbanyak) dan TPS rawan per wilayah."""
    from rich.table import Table

    if published is not None:
        return _published(published)
    if tps_list is None or checklist is None:
        raise typer.BadParameter("--tps-list dan --checklist (atau --published)")

    from ..reports.tps import counts_rows, fmt_int, fmt_pct, indicator_summary
    from ..tps import BAND_LABELS, count_tps
    from ..tps.counts import NATION

    m, reg, cl = _read(tps_list, checklist, model)
    regs = _regions_for(reg, regions)
    counts = count_tps(cl)
    lang = State.lang
    if region is None:
        provs = counts.level("provinsi").codes
        region = provs[0] if len(provs) == 1 else NATION
    rc = counts.region(region)
    if counts.synthetic:
        console.print(f"[bold red]{tt('synthetic')}[/]")
    tab = Table(title=tt("counts", title=m.title.get(lang)))
    for h in (("Kode", "Indikator", "TPS", "Kelompok", "Terbanyak di") if lang == "id" else
              ("Code", "Indicator", "TPS", "Band", "Most in")):
        tab.add_column(h, justify="right" if h == "TPS" else "left")
    for r in sorted(indicator_summary(counts, region, regs, lang=lang, top=top), key=lambda r: -r["tps"]):
        tab.add_row(r["code"], r["short"], fmt_int(r["tps"], lang), BAND_LABELS[r["band"]][lang] if r["band"] else "–",
                    ", ".join(f"{n} ({fmt_int(c, lang)})" for n, c in r["top"]))
    console.print(tab)
    console.print(("TPS: {n} · melapor: {rep} · TPS rawan: {r} ({p}) · desa/kel. melapor: {d}" if lang == "id" else
                   "TPS: {n} · reported: {rep} · TPS rawan: {r} ({p}) · desa/kel. reported: {d}").format(
        n=fmt_int(rc.n_tps, lang), rep=fmt_int(rc.n_reported, lang), r=fmt_int(rc.rawan, lang),
        p=fmt_pct(rc.share, lang), d=fmt_int(rc.n_desa_reported, lang)))
    ge = " · ".join(f"≥{k + 1}: {fmt_int(v, lang)}" for k, v in enumerate(rc.at_least) if k >= 1 and v > 0)
    if ge:
        console.print(("TPS menurut jumlah variabel yang dipenuhi: " if lang == "id" else
                       "TPS by the number of variables they carry: ") + ge)
    below = {"nasional": "provinsi", "provinsi": "kabupaten_kota", "kabupaten_kota": "kecamatan",
             "kecamatan": "desa_kelurahan", "desa_kelurahan": "desa_kelurahan"}[rc.level]
    level = level or below
    head, rows = counts_rows(counts, level=level, within=region, regions=regs, lang=lang)
    t2 = Table()
    for h in head[:6]:
        t2.add_column(h)
    for r in rows[:60]:
        t2.add_row(r[0], r[1], fmt_int(r[2], lang), fmt_int(r[3], lang), fmt_int(r[4], lang), fmt_pct(r[5], lang))
    console.print(t2)
    if out is not None:
        _write_counts(counts, region, regs, out, lang)
        console.print(tt("written", path=out))


def _published(name: str) -> None:
    """The published figures as released: a table with the kab/kota named (no per-kab/kota counts, no map)."""
    from rich.table import Table

    from ..reports.tps import fmt_int
    from ..tps.published import load_published

    lang = State.lang
    pub = load_published(name)
    model = pub.tps_model
    tab = Table(title=f"{pub.title.get(lang)} — {pub.publisher}, {pub.published}")
    for h in (("#", "Kode", "Indikator (seperti dirilis)", "TPS", "Kab/kota yang disebut") if lang == "id" else
              ("#", "Code", "Indicator (as released)", "TPS", "Kab/kota named")):
        tab.add_column(h, justify="right" if h in ("#", "TPS") else "left")
    for r in pub.rows:
        named = ", ".join(r.kabkota_as_written) or (r.note.get(lang) if r.note else "–")
        tab.add_row(str(r.rank), f"{r.indicator} {model.indicator(r.indicator).label(lang, short=True)}", r.as_written,
                    fmt_int(r.tps, lang), named)
    console.print(tab)
    if pub.summary.note:
        console.print(pub.summary.note.get(lang), soft_wrap=True)
    for s in pub.sources:
        console.print(f"  [{s.id}] {s.title_in(lang)} {s.url or ''}", soft_wrap=True)


def _write_counts(counts, region, regs, out: Path, lang: str) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from ..tps.counts import LEVELS
    from ..tps.messages import TpsError
    from ..engine import Problem

    start = LEVELS.index(counts.region(region).level)
    tables = [counts.to_table(lv, within=region, regions=regs, lang=lang) for lv in reversed(LEVELS[:start + 1])]
    table = pa.concat_tables(tables)
    label = ("jumlah TPS, bukan skor Bawaslu; share_rawan = TPS rawan / TPS" if lang == "id" else
             "numbers of TPS, not a Bawaslu score; share_rawan = TPS rawan / TPS")
    table = table.append_column("keterangan", pa.array([label] * table.num_rows, pa.string()))
    if counts.synthetic:
        from ..vocabulary import SYNTHETIC_MARK

        table = table.append_column("data_contoh", pa.array([SYNTHETIC_MARK] * table.num_rows))
    suffix = out.suffix.lower()
    if suffix == ".csv":
        pacsv.write_csv(table, out)
    elif suffix == ".parquet":
        _write_parquet(table, out)
    elif suffix == ".xlsx":
        table.to_pandas().to_excel(out, index=False, sheet_name="jumlah_tps")
    else:
        raise TpsError(Problem("tps.out_format", {"file": out.name, "known": ".csv, .xlsx, .parquet"}))


@tps_app.command("list")
def list_cmd(
    tps_list: Path = typer.Option(..., "--tps-list", help=LIST_HELP),
    checklist: Path = typer.Option(..., "--checklist", help=CHECKLIST_HELP),
    region: str = typer.Option(..., "--region", "-r", help="Kab/kota atau kecamatan (kode), mis. 15.04."),
    out: Path = typer.Option(..., "--out", "-o", help="Daftar: .pdf (A4 mendatar) atau .xlsx."),
    variable: Optional[str] = typer.Option(None, "--variable", help="Hanya TPS dengan variabel ini (mis. v7)."),
    indicator: Optional[str] = typer.Option(None, "--indicator", help="Hanya TPS dengan indikator ini (mis. i17)."),
    model: str = typer.Option("tps-pilkada-2024", "--model", "-m", help=MODEL_HELP),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder); default: daftar bawaan."),
    date: Optional[str] = typer.Option(None, "--date", help="Tanggal yang dicetak, YYYY-MM-DD."),
):
    """Daftar TPS rawan untuk Polri, TNI dan KPU per kab/kota atau kecamatan (PDF/XLSX)."""
    from ..reports.tps import tps_list as make_list, write_tps_list

    m, reg, cl = _read(tps_list, checklist, model)
    lst = make_list(cl, _regions_for(reg, regions), region=region, variable=variable, indicator=indicator, lang=State.lang)
    write_tps_list(lst, out, lang=State.lang, date=date)
    console.print(tt("list", n=len(lst.rows), path=out))


@tps_app.command("map")
def map_cmd(
    tps_list: Path = typer.Option(..., "--tps-list", help=LIST_HELP),
    checklist: Path = typer.Option(..., "--checklist", help=CHECKLIST_HELP),
    out: Path = typer.Option(..., "--out", "-o", help="Peta: .svg atau .png."),
    level: str = typer.Option("kabupaten_kota", "--level", help="Tingkat wilayah peta: desa_kelurahan, kecamatan, kabupaten_kota."),
    parent: Optional[str] = typer.Option(None, "--parent", help="Hanya wilayah di bawah kode ini (mis. 15.04)."),
    column: str = typer.Option("jumlah", "--column", "-c", help="jumlah (TPS rawan) atau persen (% TPS rawan)."),
    points: bool = typer.Option(False, "--points", help="Tambahkan titik TPS yang berkoordinat."),
    model: str = typer.Option("tps-pilkada-2024", "--model", "-m", help=MODEL_HELP),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder); default: daftar bawaan."),
    boundaries: Optional[str] = typer.Option(None, "--boundaries", help="Batas wilayah (.npz, GeoJSON, ...) atau 'tiles'; default: batas bawaan."),
    title: str = typer.Option("", "--title", help="Judul peta."),
):
    """Peta jumlah atau persentase TPS rawan per desa, kecamatan atau kab/kota, dengan titik TPS."""
    from ..reports.tps import tps_map
    from ..tps import count_tps

    m, reg, cl = _read(tps_list, checklist, model)
    counts = count_tps(cl)
    svg = tps_map(counts, level=level, parent=parent, value=column, regions=_regions_for(reg, regions),
                  boundaries=boundaries, lang=State.lang, title=title, points=cl if points else None)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".png":
        from ..regions import svg_to_png

        svg_to_png(svg, out)
    else:
        out.write_text(svg, encoding="utf-8")
    console.print(tt("written", path=out))


@tps_app.command("press-release")
def press_release_cmd(
    tps_list: Path = typer.Option(..., "--tps-list", help=LIST_HELP),
    checklist: Path = typer.Option(..., "--checklist", help=CHECKLIST_HELP),
    region: str = typer.Option(..., "--region", "-r", help="Wilayah rilis (kode), mis. 15."),
    out: Path = typer.Option(..., "--out", "-o", help="Draf siaran pers (.md)."),
    model: str = typer.Option("tps-pilkada-2024", "--model", "-m", help=MODEL_HELP),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder); default: daftar bawaan."),
    date: Optional[str] = typer.Option(None, "--date", help="Tanggal rilis, YYYY-MM-DD."),
    top: int = typer.Option(5, "--top", help="Berapa wilayah terbanyak per indikator yang disebut."),
):
    """Draf siaran pers gaya Bawaslu (setiap angka dari data)."""
    from ..reports.tps import press_release
    from ..tps import count_tps

    m, reg, cl = _read(tps_list, checklist, model)
    text = press_release(count_tps(cl), region=region, regions=_regions_for(reg, regions), lang=State.lang,
                         date=date, top=top)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    console.print(tt("written", path=out))


@tps_app.command("demo")
def demo_cmd(
    out: Path = typer.Option(Path("demo-output/tps"), "--out", "-o", help="Folder keluaran."),
    national: bool = typer.Option(False, "--national", help="Seluruh Indonesia (83.762 desa) alih-alih Jambi."),
    count: Optional[int] = typer.Option(None, "--tps-count", help="Jumlah TPS (default: Jambi 5.750, nasional 426.000)."),
):
    """Data contoh TPS (DATA CONTOH): daftar TPS, daftar periksa, jumlah, daftar Polri, peta dan draf siaran pers."""
    from ..demo.tps import JAMBI_TPS, NATIONAL_TPS, jambi_pilkada, national as make_national
    from ..extras import MissingExtra
    from ..reports.tps import press_release, tps_list as make_list, tps_map, write_tps_list
    from ..tps import count_tps
    from ..tps.registry_import import registry_frame

    out.mkdir(parents=True, exist_ok=True)
    if national:
        reg, cl = make_national(n_tps=count or NATIONAL_TPS)
    else:
        reg, cl = jambi_pilkada(n_tps=count or JAMBI_TPS)
    files = [_write_parquet(reg.table, out / "daftar-tps.parquet"),
             _write_parquet(cl.to_table(), out / "daftar-periksa.parquet")]
    frame = registry_frame(reg)
    frame.to_csv(out / "daftar-tps.csv", index=False)
    files.append(out / "daftar-tps.csv")
    regs = _regions_for(reg, None)
    counts = count_tps(cl)
    region = "15" if not national else "ID"
    _write_counts(counts, region, regs, out / "jumlah-tps.csv", State.lang)
    files.append(out / "jumlah-tps.csv")
    (out / "draf-siaran-pers.md").write_text(press_release(counts, region=region, regions=regs, lang=State.lang),
                                             encoding="utf-8")
    files.append(out / "draf-siaran-pers.md")
    if not national:
        kab = counts.top("i05", level="kabupaten_kota", within="15", n=1)[0][0]
        lst = make_list(cl, regs, region=kab, lang=State.lang)
        files.append(write_tps_list(lst, out / f"daftar-tps-rawan-{kab}.xlsx", lang=State.lang))
        try:
            files.append(write_tps_list(lst, out / f"daftar-tps-rawan-{kab}.pdf", lang=State.lang))
            for name, kw in (("peta-tps-rawan-kabkota.svg", dict(level="kabupaten_kota", parent="15")),
                             ("peta-persen-tps-rawan-kecamatan.svg", dict(level="kecamatan", parent="15", value="persen")),
                             (f"peta-titik-tps-{kab}.svg", dict(level="desa_kelurahan", parent=kab, points=cl))):
                (out / name).write_text(tps_map(counts, regions=regs, lang=State.lang, **kw), encoding="utf-8")
                files.append(out / name)
        except (ImportError, MissingExtra) as e:  # rawan[reports]/[maps] missing: the data files are still written
            err_console.print(f"[yellow]{tt('warning')}:[/] {e}")
    console.print(f"[bold red]{tt('synthetic')}[/]")
    console.print(tt("demo", out=out))
    for f in files:
        console.print(f"  {f}")
