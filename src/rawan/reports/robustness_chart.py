"""The rank-interval chart of an uncertainty analysis (matplotlib, SVG or PNG).

One row per region, best rank first: a bar from the 5th to the 95th percentile
of its rank over the runs, a dot at the median and a ring at the nominal rank,
coloured by the nominal category (rawan.vocabulary's palette, the maps' colours, each bar
outlined so the pale "rendah" reads on white); the share of runs in that category is
printed beside it.  Regions whose category holds in fewer than 80% of runs are
marked.  Used by ``rawan robustness``; the web app and reports can call it too.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from ..engine.sensitivity import STABLE_SHARE, UncertaintyResult
from ..vocabulary import SYNTHETIC_COLOUR, category_colours, category_label, synthetic_note

COLOURS = category_colours()
EDGE = "#3A3A3A"
TEXT = {
    "id": {"title": "Rentang peringkat ({runs} run)\npersentil 5–95 (batang), median (titik), nominal (lingkaran)",
           "rank": "Peringkat (1 = paling rawan)", "stable": "kategori bertahan",
           "marked": "▲ kategori bertahan < {pct}% run", "synthetic": synthetic_note("id"),
           "top": "{shown} dari {n} wilayah teratas"},
    "en": {"title": "Rank intervals ({runs} runs)\n5th–95th percentile (bar), median (dot), nominal (ring)",
           "rank": "Rank (1 = most vulnerable)", "stable": "category holds",
           "marked": "▲ category holds in < {pct}% of runs", "synthetic": synthetic_note("en"),
           "top": "top {shown} of {n} regions"},
}


def rank_interval_figure(ua: UncertaintyResult, *, lang: str = "id", top: int = 50):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    T = TEXT.get(lang, TEXT["id"])
    tab = ua.table
    order = np.argsort(np.where(np.isnan(tab["rank"].to_numpy()), np.inf, tab["rank"].to_numpy()), kind="stable")
    n = len(order)
    order = order[:top]
    k = len(order)
    fig_h = 2.0 + 0.28 * k
    fig, ax = plt.subplots(figsize=(8.5, fig_h), dpi=100)
    y = np.arange(k)
    has_cat = "category" in tab.columns
    cats = tab["category"].to_numpy()[order] if has_cat else [None] * k
    colours = [COLOURS.get(c, COLOURS[None]) for c in cats]
    lo, hi = tab["rank_p05"].to_numpy()[order], tab["rank_p95"].to_numpy()[order]
    ax.barh(y, np.maximum(hi - lo, 0.08), left=lo, height=0.42, color=colours, edgecolor=EDGE, linewidth=0.6,
            zorder=2)
    ax.scatter(tab["rank_median"].to_numpy()[order], y, s=22, color=colours, edgecolors=EDGE, linewidths=0.6,
               zorder=3)
    ax.scatter(tab["rank"].to_numpy()[order], y, s=70, facecolors="none", edgecolors="black", linewidths=1, zorder=4)
    names = tab["name"].to_numpy()[order]
    codes = tab["code"].to_numpy()[order]
    labels = [f"{(nm or c).removeprefix('Kabupaten ')} ({c})" for nm, c in zip(names, codes)]
    stab = tab["class_stability"].to_numpy()[order] if "class_stability" in tab.columns else np.full(k, np.nan)
    marked = [not np.isnan(s) and s < STABLE_SHARE for s in stab]
    labels = [("▲ " if m else "") + lab for lab, m in zip(labels, marked)]
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    shown_rank = tab["rank"].to_numpy()[order]
    xmax = max(float(np.nanmax(np.r_[hi, shown_rank, 1.0])), 1.0)
    ax.set_xlim(0.5, xmax + 0.5 + xmax * 0.18)
    for yi, s in zip(y, stab):
        if not np.isnan(s):
            ax.text(xmax + 0.5 + xmax * 0.02, yi, f"{s * 100:.0f}%", va="center", fontsize=7.5,
                    color=COLOURS["tinggi"] if s < STABLE_SHARE else "#333333")
    ax.set_xlabel(T["rank"])
    title = T["title"].format(runs=ua.runs)
    if k < n:
        title += "\n" + T["top"].format(shown=k, n=n)
    ax.set_title(title, fontsize=9.5, loc="left")
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if has_cat:
        from matplotlib.patches import Patch

        present = [c for c in ua.labels[::-1] if c in set(cats)]
        handles = [Patch(facecolor=COLOURS.get(c, COLOURS[None]), edgecolor=EDGE, linewidth=0.6,
                         label=category_label(c, lang)) for c in present]
        ax.legend(handles=handles, loc="lower left" if k > 3 else "upper right", fontsize=7.5, frameon=False)
    foot = 0.08  # inches from the bottom edge
    if ua.synthetic:
        fig.text(0.01, foot / fig_h, T["synthetic"], fontsize=8, va="bottom", color=SYNTHETIC_COLOUR, weight="bold")
        foot += 0.2
    if "class_stability" in tab.columns:
        fig.text(0.01, foot / fig_h, f"% = {T['stable']};  " + T["marked"].format(pct=int(STABLE_SHARE * 100)),
                 fontsize=7.5, color="#333333", va="bottom")
        foot += 0.2
    fig.tight_layout(rect=(0, foot / fig_h, 1, 1))
    return fig


def write_rank_interval_chart(ua: UncertaintyResult, path, *, lang: str = "id", top: int = 50) -> list[Path]:
    """Write the chart to one path or a list of paths (SVG or PNG by suffix), drawing it once;
    each file is written atomically."""
    import matplotlib.pyplot as plt

    paths = [Path(p) for p in (path if isinstance(path, (list, tuple)) else [path])]
    fig = rank_interval_figure(ua, lang=lang, top=top)
    try:
        for p in paths:
            buf = io.BytesIO()
            fmt = "png" if p.suffix.lower() == ".png" else "svg"
            fig.savefig(buf, format=fmt, dpi=150 if fmt == "png" else None,
                        metadata={"Date": None} if fmt == "svg" else None)
            tmp = p.with_name(p.name + ".tmp")
            tmp.write_bytes(buf.getvalue())
            tmp.replace(p)
    finally:
        plt.close(fig)
    return paths
