"""Place region labels inside their polygons without overlaps; leader lines for the ones that don't fit."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.ops import polylabel

from .svgpaths import Frame

CHAR_EM = 0.60  # average glyph width of DejaVu Sans / Arial, in em (a little generous)


@dataclass
class Label:
    code: str
    text: str
    x: float
    y: float  # baseline centre
    size: float
    anchor_x: float | None = None  # leader line to this point when the label sits outside
    anchor_y: float | None = None

    def box(self, pad: float = 1.5):
        w = len(self.text) * self.size * CHAR_EM
        return (self.x - w / 2 - pad, self.y - self.size * 0.8 - pad, self.x + w / 2 + pad, self.y + self.size * 0.25 + pad)


def _overlaps(a, b) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def _project(geom, frame: Frame):
    return shapely.transform(geom, lambda c: np.column_stack(frame.xy(c[:, 0], c[:, 1])))


def place_labels(items: list[tuple[str, str, object]], frame: Frame, size: float = 11.0,
                 obstacles: list[tuple] = (), shrink: bool = True) -> list[Label]:
    """``items``: (code, text, lon/lat geometry).  Smallest regions are placed first.

    ``shrink``: a label that does not fit may be set a little smaller (85 % inside, 90 % beside the
    region); False keeps every label at ``size`` (a map whose print size is a promise, e.g. the book's)."""
    inner, outer = (0.85, 0.9) if shrink else (1.0, 1.0)
    placed: list[Label] = []
    boxes = list(obstacles)
    polys = [(code, txt, _project(g, frame)) for code, txt, g in items if g is not None and not g.is_empty]
    polys.sort(key=lambda p: p[2].area)
    bounds = (frame.left, frame.top, frame.left + frame.width, frame.top + frame.height)
    land = None
    for code, txt, poly in polys:
        lab = _inside(code, txt, poly, size, boxes) or (_inside(code, txt, poly, size * inner, boxes)
                                                         if inner != 1.0 else None)
        if lab is None:
            if land is None:
                parts = np.array([p for _, _, p in polys], dtype=object)
                try:
                    land = shapely.coverage_union_all(parts)
                except shapely.errors.GEOSException:
                    land = shapely.union_all(parts)
                shapely.prepare(land)
            lab = _outside(code, txt, poly, size * outer, boxes, bounds, land)
        if lab is not None:
            placed.append(lab)
            boxes.append(lab.box())
    return placed


def _candidates(poly, step: float):
    try:
        centre = polylabel(poly, tolerance=0.5) if poly.geom_type == "Polygon" else \
            polylabel(max(poly.geoms, key=lambda p: p.area), tolerance=0.5)
    except Exception:  # pragma: no cover - degenerate polygon (polylabel needs an area)
        centre = poly.representative_point()
    yield centre.x, centre.y
    for r in (step, 2 * step, 3 * step, 4 * step, 6 * step):
        for k in range(8):
            a = k * math.pi / 4
            yield centre.x + r * math.cos(a), centre.y + r * math.sin(a)


def _inside(code, txt, poly, size, boxes) -> Label | None:
    prepared = poly
    shapely.prepare(prepared)
    for x, y in _candidates(poly, size * 0.8):
        lab = Label(code, txt, x, y + size * 0.35, size)
        b = lab.box(pad=0)
        if any(_overlaps(lab.box(), o) for o in boxes):
            continue
        # the text box must lie (almost) inside the region
        if shapely.box(*b).difference(prepared).area <= 0.12 * (b[2] - b[0]) * (b[3] - b[1]):
            return lab
    return None


def _outside(code, txt, poly, size, boxes, bounds, land) -> Label | None:
    """Beside the region with a leader line: the nearest free spot, preferring open space (off the
    map's land, e.g. outside the province) over covering neighbouring regions."""
    c = poly.representative_point()
    best, best_score = None, math.inf
    for r in (18, 28, 40, 56, 72):
        for k in range(16):
            a = -math.pi / 2 + k * math.pi / 8
            x, y = c.x + r * math.cos(a), c.y + r * math.sin(a)
            w = len(txt) * size * CHAR_EM
            x += math.copysign(w / 2 + 2, math.cos(a)) if abs(math.cos(a)) > 0.3 else 0
            lab = Label(code, txt, x, y + size * 0.35, size, c.x, c.y)
            b = lab.box()
            if b[0] < bounds[0] or b[2] > bounds[2] or b[1] < bounds[1] - 4 or b[3] > bounds[3] + 4:
                continue
            if any(_overlaps(b, o) for o in boxes):
                continue
            gx, gy = np.meshgrid(np.linspace(b[0], b[2], 7), np.linspace(b[1], b[3], 3))
            on_land = float(shapely.contains_xy(land, gx.ravel(), gy.ravel()).mean())
            score = r + 60 * on_land
            if score < best_score:
                best, best_score = lab, score
    return best
