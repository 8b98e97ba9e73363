"""``rawan robustness``: uncertainty and sensitivity analysis and the statistical audit.

Writes into one folder: per-region table (rank intervals, class stability),
the run plan (replayable), a rank-interval chart, a class-stability map when
boundaries are available, the statistical audit and (with ``--sensitivity``)
variance-based sensitivity indices.  See docs/robustness.md.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Optional

import numpy as np
import typer
from rich.table import Table

from .. import __version__
from ..engine import Design, RawanError, WeightDesign, load_spec, read_data, uncertainty
from ..engine.errors import Problem
from ..engine.output import SYNTHETIC_NOTE
from ..engine.sensitivity import STABLE_SHARE
from .app import app
from .ui import State, banner, cat_label, console, err_console, fmt, print_warnings

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


def _write_bytes(path: Path, data: bytes) -> Path:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def _noted(df, synthetic: bool):
    df = df.copy()
    if synthetic:
        df["catatan"] = SYNTHETIC_NOTE
    return df


def _write_frame(df, path: Path, synthetic: bool) -> Path:
    df = _noted(df, synthetic)
    return _write_bytes(path, df.to_csv(index=False, float_format="%.17g", lineterminator="\n").encode("utf-8"))


def _write_workbook(path: Path, sheets: dict, meta: dict, synthetic: bool) -> Path:
    """Every table in one XLSX for spreadsheet users (decimal separators follow Excel's locale)."""
    import io

    import pandas as pd

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, df in sheets.items():
            _noted(df, synthetic).to_excel(xw, sheet_name=name, index=False)
        rows = [(k, json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v) for k, v in meta.items()]
        pd.DataFrame(rows, columns=["kunci", "nilai"]).to_excel(xw, sheet_name="resep", index=False)
    return _write_bytes(path, buf.getvalue())


MAP_TEXT = {
    "id": {"cat": "Kategori nominal dan stabilitasnya ({runs} run)",
           "cat_sub": "Bertitik: kategori bertahan di < {pct}% run",
           "marked": "Kategori bertahan < {pct}% run",
           "share": "Bagian run yang keluar dari kategori nominal",
           "share_legend": "Keluar dari kategori (%)"},
    "en": {"cat": "Nominal category and its stability ({runs} runs)",
           "cat_sub": "Dotted: category holds in < {pct}% of runs",
           "marked": "Category holds in < {pct}% of runs",
           "share": "Share of runs leaving the nominal category",
           "share_legend": "Leaves its category (%)"},
}


def _class_maps(ua, level: str | None) -> tuple[list[tuple[str, str]], str | None]:
    """Two maps through rawan.regions (when it and a region level are known): the nominal
    category with unstable regions marked, and the share of runs leaving the nominal category."""
    if ua.classes is None:
        return [], None
    try:
        from ..regions import render_map  # built by the regions package
    except ImportError:
        return [], "rawan.regions.render_map"
    if level is None:
        return [], "--level"
    lang = State.lang if State.lang in MAP_TEXT else "id"
    T = MAP_TEXT[lang]
    pct = int(STABLE_SHARE * 100)
    cat = ua.nominal.categories[ua.nominal.index_code]
    cats = {c: cat.label_of(i) for i, c in enumerate(ua.codes)}
    leave = {c: (None if np.isnan(v) else round(100 * (1 - v), 1)) for c, v in zip(ua.codes, ua.class_stability)}
    common = dict(level=level, synthetic=ua.synthetic, lang=lang)
    try:
        svg1 = render_map(cats, mode="category", marked=ua.unstable(STABLE_SHARE),
                          title=T["cat"].format(runs=ua.runs), subtitle=T["cat_sub"].format(pct=pct),
                          marked_label=T["marked"].format(pct=pct), **common)
        svg2 = render_map(leave, mode="continuous", title=T["share"], legend_title=T["share_legend"],
                          marked=ua.unstable(STABLE_SHARE), marked_label=T["marked"].format(pct=pct), **common)
    except RawanError as e:
        return [], " ".join(e.render(State.lang))
    except TypeError as e:  # a different render_map signature: say so, keep the rest
        return [], f"render_map: {e}"
    return [("class-stability.svg", svg1), ("class-instability-share.svg", svg2)], None


@app.command("robustness")
def robustness_cmd(
    model: str = typer.Option(..., "--model", "-m", help="Model bawaan (mis. ikp-2024) atau berkas YAML/iMeta."),
    data: Path = typer.Option(..., "--data", "-d", help="Data indikator: CSV, XLSX atau Parquet."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder keluaran (dibuat bila belum ada)."),
    runs: int = typer.Option(1000, "--runs", "-n", help="Jumlah run analisis ketidakpastian."),
    seed: int = typer.Option(0, "--seed", help="Benih acak (hasil dapat diulang)."),
    plan: Optional[Path] = typer.Option(None, "--plan", help="Rencana run (CSV/XLSX, satu baris per run); menggantikan --runs/--seed dan rancangan."),
    level: Optional[str] = typer.Option(None, "--level", help="Tingkat wilayah; default dari kode."),
    spread: float = typer.Option(0.25, "--spread", help="Bobot dikali U(1-p, 1+p); 0 = bobot tetap."),
    weight_levels: Optional[str] = typer.Option(None, "--weight-levels", help="Tingkat yang bobotnya bervariasi, mis. '1,2' (1 = indikator); default semua di bawah indeks."),
    normalisation: Optional[str] = typer.Option(None, "--normalisation", help="Alternatif normalisasi dipisah ';', mis. 'nominal;zscore(mean=50, sd=10)'. Default: lihat docs/robustness.md."),
    aggregation: Optional[str] = typer.Option(None, "--aggregation", help="Alternatif agregasi per tingkat: 'L:alt;alt', mis. '2:nominal;geometric(zeros=offset)'."),
    category: Optional[str] = typer.Option(None, "--category", help="Alternatif aturan kategori dipisah ';', mis. 'nominal;mean_sd(k=1)'."),
    imputation: Optional[str] = typer.Option(None, "--imputation", help="Alternatif imputasi dipisah ';', mis. 'nominal;median'."),
    leave_one_out: bool = typer.Option(False, "--leave-one-out", help="Tambahkan 'satu indikator dikeluarkan' sebagai masukan tidak pasti."),
    dirichlet: Optional[float] = typer.Option(None, "--dirichlet", help="Bobot Dirichlet dengan konsentrasi ini (mis. 50) sebagai ganti U(1-p, 1+p); hanya analisis ketidakpastian."),
    sensitivity: int = typer.Option(0, "--sensitivity", help="Analisis sensitivitas Saltelli dengan N sampel dasar (N x (k+2) run); 0 = tidak."),
    first_order: str = typer.Option("saltelli2010", "--first-order", help="Penduga indeks orde pertama: saltelli2010 (0 tepat untuk masukan yang tidak berpengaruh) atau jansen (Jansen 1999). Orde total selalu Jansen."),
    target: str = typer.Option("rank_shift", "--target", help="Target sensitivitas: rank_shift, score:<kode wilayah> atau rank:<kode wilayah>."),
    top: int = typer.Option(50, "--top", help="Jumlah wilayah teratas pada grafik selang peringkat."),
    chunk: Optional[int] = typer.Option(None, "--chunk", help="Run per potongan (membatasi memori)."),
):
    """Analisis ketidakpastian & sensitivitas dan audit statistik: rentang peringkat, stabilitas kategori."""
    from ..engine.audit import audit
    from ..engine.sensitivity import leave_one_out as leave_each_out
    from ..robustness_chart import write_rank_interval_chart

    if first_order not in ("saltelli2010", "jansen"):
        raise RawanError(Problem("robust.design", {"detail": f"--first-order {first_order!r}: saltelli2010 / jansen"}))
    spec = load_spec(model)
    dataset = read_data(data, spec.tree.indicators)
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
            weights = WeightDesign(levels=levels, distribution="dirichlet", concentration=dirichlet)
        elif spread > 0:
            weights = WeightDesign(spread=spread, levels=levels)
        design = Design(weights=weights,
                        normalisation=_split(normalisation) if normalisation else default.normalisation,
                        imputation=_split(imputation), aggregation=agg, category=_split(category),
                        leave_one_out=leave_one_out)
    # everything is computed first, then written: an error leaves no half-written folder
    t0 = time.perf_counter()
    ua = uncertainty(spec, dataset, runs=runs, seed=seed, design=plan or design,
                     region_level=level or "auto", chunk=chunk)
    took = time.perf_counter() - t0
    res = ua.nominal
    rep = audit(spec, dataset, nominal=res)
    loo = leave_each_out(spec, dataset, region_level=level or "auto", nominal=res)
    sens = None
    if sensitivity > 0:
        from ..engine.saltelli import sensitivity as run_sensitivity

        sens = run_sensitivity(spec, dataset, n=sensitivity, seed=seed, target=target, first_order=first_order,
                               design=design or Design.default(spec, raw),
                               region_level=level or "auto", chunk=chunk, nominal=res, per_region=True)
    maps, why = _class_maps(ua, res.region_level)

    out.mkdir(parents=True, exist_ok=True)
    written = []
    tab = ua.table
    order = np.argsort(np.where(np.isnan(tab["rank"]), np.inf, tab["rank"]), kind="stable")
    written.append(_write_frame(tab.iloc[order], out / "robustness-regions.csv", ua.synthetic))
    written.append(_write_frame(ua.plan.to_frame(), out / "robustness-plan.csv", False))
    written += write_rank_interval_chart(ua, [out / "rank-intervals.svg", out / "rank-intervals.png"],
                                         lang=State.lang, top=top)
    for name, svg in maps:
        written.append(_write_bytes(out / name, svg.encode("utf-8")))
    written.append(_write_frame(rep.indicators, out / "audit-indicators.csv", ua.synthetic))
    written.append(_write_frame(rep.aggregates, out / "audit-aggregates.csv", ua.synthetic))
    written.append(_write_frame(rep.correlations, out / "audit-correlations.csv", ua.synthetic))
    written.append(_write_frame(loo, out / "leave-one-out.csv", ua.synthetic))
    if sens is not None:
        written.append(_write_frame(sens.table, out / "sensitivity.csv", ua.synthetic))
        written.append(_write_frame(sens.regions, out / "sensitivity-regions.csv", ua.synthetic))

    meta = {
        "recipe": res.recipe, "synthetic": ua.synthetic, "note": SYNTHETIC_NOTE if ua.synthetic else None,
        "runs": ua.runs, "seed": ua.seed, "plan_file": str(plan) if plan else None,
        "inputs": {k: [c.label for c in v] for k, v in ua.plan.options.items()},
        "weights": None if design is None or design.weights is None else {
            "distribution": design.weights.distribution, "spread": design.weights.spread,
            "levels": list(design.weights.levels) if design.weights.levels else "all below the index"},
        "leave_one_out": bool(np.any(ua.plan.leave_out >= 0)),
        "stable_share": STABLE_SHARE, "unstable_regions": ua.unstable(),
        "mean_abs_rank_shift": float(np.nanmean(ua.rank_shift)),
        "audit_flags": len(rep.flags),
        "sensitivity": None if sens is None else {"n": sens.n, "runs": sens.runs, "target": sens.target},
        "rawan_version": __version__,
    }
    written.append(_write_bytes(out / "robustness.json",
                                (json.dumps(meta, ensure_ascii=False, indent=1) + "\n").encode("utf-8")))
    sheets = {"wilayah": tab.iloc[order], "audit_indikator": rep.indicators, "audit_agregat": rep.aggregates,
              "audit_korelasi": rep.correlations, "tanpa_satu_indikator": loo}
    if sens is not None:
        sheets["sensitivitas"] = sens.table
        sheets["sensitivitas_wilayah"] = sens.regions
    written.append(_write_workbook(out / "robustness.xlsx", sheets, meta, ua.synthetic))

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
