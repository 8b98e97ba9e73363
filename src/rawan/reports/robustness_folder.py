"""The robustness folder: an uncertainty and sensitivity analysis with its statistical audit,
computed first and then written into one folder (nothing half-written on an error).

    from rawan.reports.robustness_folder import analyse, write_folder
    run = analyse(spec, dataset, runs=1000, seed=2024)
    written, why_no_map = write_folder(run, Path("ketahanan"), lang="id", top=50)

The folder: the per-region table (rank intervals, class stability), the run plan (replayable),
the rank-interval chart (SVG, PNG), class-stability maps when a region level is known, the
statistical audit, leave-one-out, the sensitivity indices (with ``sensitivity`` > 0), a JSON
recipe and every table in one XLSX.  See docs/robustness.md.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..engine import Design, RawanError, uncertainty
from ..engine.output import SYNTHETIC_NOTE
from ..engine.sensitivity import STABLE_SHARE


@dataclass
class RobustnessRun:
    """Everything ``rawan robustness`` computed, before anything is written."""

    spec: Any
    ua: Any  # engine.UncertaintyResult
    audit: Any  # engine.audit report
    leave_one_out: Any  # DataFrame
    sensitivity: Any  # engine.saltelli result or None
    design: Design | None
    plan_file: Path | None
    seconds: float

    @property
    def order(self) -> np.ndarray:
        """Regions by nominal rank (unranked last)."""
        rank = self.ua.table["rank"]
        return np.argsort(np.where(np.isnan(rank), np.inf, rank), kind="stable")


def analyse(spec, dataset, *, runs: int, seed: int, design: Design | None = None, plan: Path | None = None,
            level: str | None = None, chunk: int | None = None, sensitivity: int = 0,
            target: str = "rank_shift", first_order: str = "saltelli2010") -> RobustnessRun:
    """The uncertainty analysis (``plan`` replays a run plan instead of ``design``), the
    statistical audit, leave-one-out and (``sensitivity`` = N base samples) Saltelli indices."""
    from ..engine.audit import audit
    from ..engine.sensitivity import leave_one_out as leave_each_out

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

        raw = dataset.values if dataset.columns == spec.tree.indicators else dataset.subset(spec.tree.indicators)
        sens = run_sensitivity(spec, dataset, n=sensitivity, seed=seed, target=target, first_order=first_order,
                               design=design or Design.default(spec, raw),
                               region_level=level or "auto", chunk=chunk, nominal=res, per_region=True)
    return RobustnessRun(spec=spec, ua=ua, audit=rep, leave_one_out=loo, sensitivity=sens, design=design,
                         plan_file=plan, seconds=took)


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


def _class_maps(ua, level: str | None, lang: str) -> tuple[list[tuple[str, str]], str | None]:
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
    lang = lang if lang in MAP_TEXT else "id"
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
        return [], " ".join(e.render(lang))
    except TypeError as e:  # a different render_map signature: say so, keep the rest
        return [], f"render_map: {e}"
    return [("class-stability.svg", svg1), ("class-instability-share.svg", svg2)], None


def write_folder(run: RobustnessRun, out: Path, *, lang: str = "id", top: int = 50) -> tuple[list[Path], str | None]:
    """Write the robustness folder; returns the files written and why the class maps were not
    drawn (None when they were)."""
    from .robustness_chart import write_rank_interval_chart

    ua, rep, loo, sens, design, plan = run.ua, run.audit, run.leave_one_out, run.sensitivity, run.design, run.plan_file
    res = ua.nominal
    maps, why = _class_maps(ua, res.region_level, lang)

    out.mkdir(parents=True, exist_ok=True)
    written = []
    tab = ua.table
    order = run.order
    written.append(_write_frame(tab.iloc[order], out / "robustness-regions.csv", ua.synthetic))
    written.append(_write_frame(ua.plan.to_frame(), out / "robustness-plan.csv", False))
    written += write_rank_interval_chart(ua, [out / "rank-intervals.svg", out / "rank-intervals.png"],
                                         lang=lang, top=top)
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
    return written, why
