"""``rawan robustness``: uncertainty and sensitivity analysis and the statistical audit.

Parses the options into a design, then :mod:`rawan.reports.robustness_folder` computes and writes the
folder (per-region table, run plan, rank-interval chart, class-stability maps, statistical audit,
sensitivity indices); this module prints the summary.  See docs/robustness.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app
from .ui import LOCALE_HELP, DEFAULT_SEED, State, banner, cat_label, console, err_console, fmt, print_warnings

UI = {
    "id": {
        "title": "Ketahanan hasil: {runs} run, benih {seed}",
        "title_plan": "Ketahanan hasil: {runs} run dari rencana {plan}",
        "region": "Wilayah", "rank": "Peringkat", "interval": "Rentang 5–95%", "category": "Kategori",
        "stability": "Bertahan", "shift": "Rata-rata pergeseran peringkat per run: {mean} (maks {max}).",
        "unstable": "{n} wilayah dengan kategori bertahan < {pct}% run: {codes}",
        "all_stable": "Semua wilayah bertahan di kategorinya pada >= {pct}% run.",
        "wrote": "Ditulis ke {out}:",
        "no_map": "Peta stabilitas kelas tidak dibuat: {why}",
        "took": "Waktu: {s} detik ({per} ms per run).",
        "sens": "Indeks sensitivitas (target: {target}; {runs} run):",
        "flags": "Audit statistik: {n} tanda — lihat {file}",
        "no_flags": "Audit statistik: tidak ada tanda.",
    },
    "en": {
        "title": "Robustness: {runs} runs, seed {seed}",
        "title_plan": "Robustness: {runs} runs from plan {plan}",
        "region": "Region", "rank": "Rank", "interval": "5–95% interval", "category": "Category",
        "stability": "Holds", "shift": "Mean absolute rank shift per run: {mean} (max {max}).",
        "unstable": "{n} regions whose category holds in < {pct}% of runs: {codes}",
        "all_stable": "Every region keeps its category in >= {pct}% of runs.",
        "wrote": "Written to {out}:",
        "no_map": "Class-stability map not drawn: {why}",
        "took": "Time: {s} s ({per} ms per run).",
        "sens": "Sensitivity indices (target: {target}; {runs} runs):",
        "flags": "Statistical audit: {n} flags — see {file}",
        "no_flags": "Statistical audit: no flags.",
    },
}


def tr(key: str, **kw) -> str:
    return UI.get(State.lang, UI["id"])[key].format(**kw)


def _split(text: str | None) -> list[str] | None:
    """Alternatives separated by ';' (labels may hold commas: zscore(mean=50, sd=10))."""
    if not text:
        return None
    return [p.strip() for p in text.split(";") if p.strip()]


@app.command("robustness")
def robustness_cmd(
    model: str = typer.Option(..., "--model", "-m", help="Model bawaan (mis. ikp-2024) atau berkas YAML/iMeta."),
    data: Path = typer.Option(..., "--data", "-d", help="Data indikator: CSV, XLSX atau Parquet."),
    locale: Optional[str] = typer.Option(None, "--locale", help=LOCALE_HELP),
    out: Path = typer.Option(..., "--out", "-o", help="Folder keluaran (dibuat bila belum ada)."),
    runs: int = typer.Option(1000, "--runs", "-n", help="Jumlah run analisis ketidakpastian."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Benih acak: benih yang sama memberi hasil yang sama."),
    plan: Optional[Path] = typer.Option(None, "--plan", help="Rencana run (CSV/XLSX, satu baris per run); menggantikan --runs/--seed dan rancangan."),
    level: Optional[str] = typer.Option(None, "--level", help="Tingkat wilayah; default dari kode."),
    spread: float = typer.Option(0.25, "--spread", help="Bobot dikali U(1-p, 1+p); 0 = bobot tetap."),
    weight_levels: Optional[str] = typer.Option(None, "--weight-levels", help="Tingkat yang bobotnya bervariasi, mis. '1,2' (1 = indikator); default semua di bawah indeks."),
    normalisation: Optional[str] = typer.Option(None, "--normalisation", help="Alternatif normalisasi dipisah ';', mis. 'nominal;zscore(mean=50, sd=10)'. Default: lihat docs/robustness.md."),
    aggregation: Optional[str] = typer.Option(None, "--aggregation", help="Alternatif agregasi per tingkat: 'L:alt;alt', mis. '2:nominal;geometric(zeros=offset)'."),
    category: Optional[str] = typer.Option(None, "--category", help="Alternatif aturan kategori dipisah ';', mis. 'nominal;mean_sd(k=1)'."),
    imputation: Optional[str] = typer.Option(None, "--imputation", help="Alternatif imputasi dipisah ';', mis. 'nominal;median'."),
    leave_one_out: bool = typer.Option(False, "--leave-one-out", help="Tambahkan 'satu indikator dikeluarkan' sebagai masukan tidak pasti."),
    weight_groups: str = typer.Option("level", "--weight-groups", help="Faktor bobot pada analisis sensitivitas: level (satu per tingkat), node (satu per bobot) atau all (semua bobot satu masukan)."),
    dirichlet: Optional[float] = typer.Option(None, "--dirichlet", help="Bobot Dirichlet dengan konsentrasi ini (mis. 50) sebagai ganti U(1-p, 1+p); hanya analisis ketidakpastian."),
    sensitivity: int = typer.Option(0, "--sensitivity", help="Analisis sensitivitas Saltelli dengan N sampel dasar (N x (k+2) run); 0 = tidak."),
    first_order: str = typer.Option("saltelli2010", "--first-order", help="Penduga indeks orde pertama: saltelli2010 (0 tepat untuk masukan yang tidak berpengaruh) atau jansen (Jansen 1999). Orde total selalu Jansen."),
    target: str = typer.Option("rank_shift", "--target", help="Target sensitivitas: rank_shift, score:<kode wilayah> atau rank:<kode wilayah>."),
    top: int = typer.Option(50, "--top", help="Jumlah wilayah teratas pada grafik selang peringkat."),
    chunk: Optional[int] = typer.Option(None, "--chunk", help="Run per potongan (membatasi memori)."),
):
    """Analisis ketidakpastian & sensitivitas dan audit statistik: rentang peringkat, stabilitas kategori."""
    import numpy as np
    from rich.table import Table

    from ..engine import Design, RawanError, WeightDesign, load_spec, read_data
    from ..engine.errors import Problem
    from ..engine.sensitivity import STABLE_SHARE
    from ..reports.robustness_folder import analyse, write_folder

    if first_order not in ("saltelli2010", "jansen"):
        raise RawanError(Problem("robust.design", {"detail": f"--first-order {first_order!r}: saltelli2010 / jansen"}))
    spec = load_spec(model)
    dataset = read_data(data, spec.tree.indicators, locale=locale)
    raw = dataset.values if dataset.columns == spec.tree.indicators else dataset.subset(spec.tree.indicators)
    design = None
    if plan is None:
        levels = None
        if weight_levels:
            try:
                levels = tuple(int(x) for x in weight_levels.split(","))
            except ValueError:
                raise RawanError(Problem("robust.design", {"detail": f"--weight-levels {weight_levels!r}"})) from None
        agg = None
        if aggregation:
            agg = {}
            for part in aggregation.split("|"):
                lv, _, alts = part.partition(":")
                try:
                    agg[int(lv)] = _split(alts)
                except ValueError:
                    raise RawanError(Problem("robust.design", {"detail": f"--aggregation {aggregation!r}: use L:alt;alt"})) from None
        default = Design.default(spec, raw)
        weights = None
        if dirichlet is not None:
            weights = WeightDesign(levels=levels, distribution="dirichlet", concentration=dirichlet,
                                   group=weight_groups)
        elif spread > 0:
            weights = WeightDesign(spread=spread, levels=levels, group=weight_groups)
        design = Design(weights=weights,
                        normalisation=_split(normalisation) if normalisation else default.normalisation,
                        imputation=_split(imputation), aggregation=agg, category=_split(category),
                        leave_one_out=leave_one_out)
    # everything is computed first, then written: an error leaves no half-written folder
    run = analyse(spec, dataset, runs=runs, seed=seed, design=design, plan=plan, level=level, chunk=chunk,
                  sensitivity=sensitivity, target=target, first_order=first_order)
    written, why = write_folder(run, out, lang=State.lang, top=top)
    ua, rep, sens, res, took = run.ua, run.audit, run.sensitivity, run.ua.nominal, run.seconds
    tab, order = ua.table, run.order

    # ---- screen --------------------------------------------------------
    banner(ua.synthetic, spec)
    print_warnings(res)
    title = tr("title_plan", runs=ua.runs, plan=plan.name) if plan else tr("title", runs=ua.runs, seed=seed)
    table = Table(title=title)
    for name, just in (("#", "right"), ("Kode" if State.lang == "id" else "Code", "left"), (tr("region"), "left"),
                       (tr("interval"), "right"), (tr("category"), "left"), (tr("stability"), "right")):
        table.add_column(name, justify=just)
    for i in order[:top]:
        r = tab.iloc[i]
        stab = r.get("class_stability", np.nan)
        stab_s = "-" if np.isnan(stab) else f"{stab * 100:.0f}%"
        if not np.isnan(stab) and stab < STABLE_SHARE:
            stab_s = f"[bold red]{stab_s}[/]"
        table.add_row("-" if np.isnan(r["rank"]) else str(int(r["rank"])), r["code"],
                      str(r["name"]).removeprefix("Kabupaten "),
                      f"{fmt(r['rank_p05'], 0)}–{fmt(r['rank_p95'], 0)}",
                      cat_label(r.get("category"), short=True), stab_s)
    console.print(table)
    console.print(tr("shift", mean=fmt(float(np.nanmean(ua.rank_shift))), max=fmt(float(np.nanmax(ua.rank_shift)))))
    unstable = ua.unstable()
    pct = int(STABLE_SHARE * 100)
    if ua.classes is not None:
        console.print(tr("unstable", n=len(unstable), pct=pct, codes=", ".join(unstable)) if unstable
                      else tr("all_stable", pct=pct))
    if sens is not None:
        console.print(tr("sens", target=sens.target, runs=sens.runs))
        st = Table()
        for c in ("factor", "S1", "S1 95%", "ST", "ST 95%"):
            st.add_column(c, justify="left" if c == "factor" else "right")
        for _, r in sens.table.iterrows():
            st.add_row(r["factor"], fmt(r["S1"], 3), f"{fmt(r['S1_low'], 2)}–{fmt(r['S1_high'], 2)}",
                       fmt(r["ST"], 3), f"{fmt(r['ST_low'], 2)}–{fmt(r['ST_high'], 2)}")
        console.print(st)
    console.print(tr("flags", n=len(rep.flags), file="audit-indicators.csv") if rep.flags else tr("no_flags"))
    if rep.flags:
        counts: dict[str, list[str]] = {}
        for f in rep.flags:
            counts.setdefault(f["flag"], []).append(f["code"])
        for flag, codes in counts.items():
            shown = ", ".join(codes[:12]) + (" ..." if len(codes) > 12 else "")
            console.print(f"  {flag} ({len(codes)}): {shown}")
    if why:
        err_console.print(f"[dim]{tr('no_map', why=why)}[/]")
    console.print(tr("took", s=fmt(took), per=fmt(took / max(ua.runs, 1) * 1e3, 3)))
    console.print(tr("wrote", out=out))
    for p in written:
        console.print(f"  {p.name}")
