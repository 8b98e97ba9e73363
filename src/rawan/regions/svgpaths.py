"""Projection and compact SVG path data for many polygons at once (vectorised with numpy)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import shapely

UNITS = 10  # path coordinates are integers in 1/10 px (drawn inside a scale(0.1) group)


@dataclass
class Frame:
    """Equirectangular projection (x scaled by cos of the mean latitude) fitted into a box of pixels."""

    lon0: float
    lat1: float  # top latitude
    kx: float  # px per degree of longitude
    ky: float  # px per degree of latitude
    left: float
    top: float
    width: float
    height: float

    @classmethod
    def fit(cls, bounds, width: float, max_height: float, left: float = 0.0, top: float = 0.0) -> Frame:
        xmin, ymin, xmax, ymax = bounds
        coslat = math.cos(math.radians((ymin + ymax) / 2))
        w_deg, h_deg = max(xmax - xmin, 1e-9) * coslat, max(ymax - ymin, 1e-9)
        s = min(width / w_deg, max_height / h_deg)
        w, h = w_deg * s, h_deg * s
        return cls(xmin, ymax, s * coslat, s, left + (width - w) / 2, top, w, h)

    def xy(self, lon, lat):
        return self.left + (np.asarray(lon) - self.lon0) * self.kx, self.top + (self.lat1 - np.asarray(lat)) * self.ky

    def attr(self) -> str:
        """The projection as a string, for the SVG's ``data-frame`` (x = left + (lon-lon0)*kx; y = top + (lat1-lat)*ky)."""
        return f"{self.lon0:.6f} {self.lat1:.6f} {self.kx:.4f} {self.ky:.4f} {self.left:.2f} {self.top:.2f}"

    @classmethod
    def from_attr(cls, s: str) -> Frame:
        lon0, lat1, kx, ky, left, top = map(float, s.split())
        return cls(lon0, lat1, kx, ky, left, top, 0.0, 0.0)

    def km_per_px(self) -> float:
        return 111.32 / self.ky


def path_data(geoms, frame: Frame) -> list[str]:
    """SVG ``d`` strings (relative moves, integer 1/10-px units) for each polygonal geometry."""
    geoms = np.asarray(geoms, dtype=object)
    out = [""] * len(geoms)
    if len(geoms) == 0:
        return out
    # ring index and geometry index of every coordinate
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    rings, ring_of_part = shapely.get_rings(parts, return_index=True)
    coords, ring_idx = shapely.get_coordinates(rings, return_index=True)
    geom_of_ring = part_of[ring_of_part]
    x, y = frame.xy(coords[:, 0], coords[:, 1])
    xi = np.rint(x * UNITS).astype(np.int64)
    yi = np.rint(y * UNITS).astype(np.int64)
    starts = np.r_[True, ring_idx[1:] != ring_idx[:-1]]
    dx = np.where(starts, xi, np.r_[0, np.diff(xi)])
    dy = np.where(starts, yi, np.r_[0, np.diff(yi)])
    keep = starts | (dx != 0) | (dy != 0)
    # drop the closing point (z closes the ring)
    ends = np.r_[ring_idx[1:] != ring_idx[:-1], True]
    keep &= ~ends | starts
    dx, dy, ring_k, start_k = dx[keep], dy[keep], ring_idx[keep], starts[keep]
    pieces: dict[int, list[str]] = {}
    bounds = np.flatnonzero(start_k).tolist() + [len(dx)]
    flat = np.empty(2 * len(dx), dtype=np.int64)
    flat[0::2], flat[1::2] = dx, dy
    flat = flat.tolist()
    for a, b in zip(bounds[:-1], bounds[1:]):
        if b - a < 3:  # a ring shrunk below 3 points at this scale: invisible
            continue
        rel = " ".join(map(str, flat[2 * a + 2:2 * b])).replace(" -", "-")
        seg = f"M{flat[2 * a]} {flat[2 * a + 1]}l{rel}z"
        pieces.setdefault(int(geom_of_ring[ring_k[a]]), []).append(seg)
    for g, segs in pieces.items():
        out[g] = "".join(segs)
    return out


def attr(value) -> str:
    return quoteattr(str(value))


def text(value) -> str:
    return escape(str(value))
