"""Small SVG charts for the reports (bars, not maps: maps come from rawan.regions)."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from .text import num

INK = "#1f2933"
MUTED = "#7b8794"
GRID = "#d9dee3"
BAR = "#3e4c59"


def _f(x: float) -> str:
    """Coordinates with at most one decimal, no trailing zeros: stable bytes."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def dimension_bars(items: list[tuple[str, float, float]], lang: str, *, width: int = 480,
                   colour: str = BAR, font: str = "DejaVu Sans") -> str:
    """Horizontal bars, one per dimension: (label, score 0-100, mean of all regions 0-100).

    The score is printed at the bar's end; the mean is a thin vertical tick.
    """
    label_w = 170
    bar_h = 16
    gap = 12
    top = 6
    right = 44
    plot_w = width - label_w - right
    height = top + len(items) * (bar_h + gap) + 16
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="{font}" font-size="11" role="img">']
    for t in (0, 25, 50, 75, 100):
        x = label_w + plot_w * t / 100
        out.append(f'<line x1="{_f(x)}" y1="{top - 2}" x2="{_f(x)}" y2="{height - 14}" stroke="{GRID}" stroke-width="0.6"/>')
        out.append(f'<text x="{_f(x)}" y="{height - 3}" fill="{MUTED}" font-size="9" text-anchor="middle">{t}</text>')
    for k, (label, score, mean) in enumerate(items):
        y = top + k * (bar_h + gap)
        short = label if len(label) <= 28 else label[:27] + "…"
        out.append(f'<text x="{label_w - 8}" y="{_f(y + bar_h - 4)}" fill="{INK}" text-anchor="end">{escape(short)}</text>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" fill="#f0f2f4"/>')
        if not math.isnan(score):
            w = plot_w * max(0.0, min(score, 100.0)) / 100
            out.append(f'<rect x="{label_w}" y="{y}" width="{_f(w)}" height="{bar_h}" fill="{colour}"/>')
            out.append(f'<text x="{_f(label_w + w + 4)}" y="{_f(y + bar_h - 4)}" fill="{INK}" font-weight="bold">'
                       f'{escape(num(score, lang, 1))}</text>')
        if not math.isnan(mean):
            xm = label_w + plot_w * max(0.0, min(mean, 100.0)) / 100
            out.append(f'<line x1="{_f(xm)}" y1="{y - 3}" x2="{_f(xm)}" y2="{y + bar_h + 3}" stroke="#1f2933" stroke-width="2"/>')
    out.append("</svg>")
    return "".join(out)
