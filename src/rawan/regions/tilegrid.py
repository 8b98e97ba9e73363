"""Tile-grid maps: one equal square per region, placed to keep relative positions.

Used when no boundary file is available.  Jambi's 11 kab/kota have a hand-made layout; any other
set of regions is laid out from centroids (greedy nearest free cell), or in code order.
"""

from __future__ import annotations

import math

# (column, row) for Jambi's kab/kota: west (Kerinci) to east (Tanjung Jabung Timur), north on top.
# Own layout from the regions' relative positions; Kota Sungai Penuh lies inside Kerinci (west) and
# Kota Jambi inside Muaro Jambi (east), so each sits beside its surrounding kabupaten.
JAMBI_KABKOTA_LAYOUT = {
    "15.72": (0, 0), "15.08": (1, 0), "15.09": (2, 0), "15.06": (3, 0), "15.07": (4, 0),
    "15.01": (0, 1), "15.02": (1, 1), "15.03": (2, 1), "15.04": (3, 1), "15.05": (4, 1), "15.71": (5, 1),
}
JAMBI_KABKOTA_NAMES = {
    "15.01": "Kerinci", "15.02": "Merangin", "15.03": "Sarolangun", "15.04": "Batanghari",
    "15.05": "Muaro Jambi", "15.06": "Tanjung Jabung Barat", "15.07": "Tanjung Jabung Timur",
    "15.08": "Bungo", "15.09": "Tebo", "15.71": "Kota Jambi", "15.72": "Kota Sungai Penuh",
}


def tile_layout(codes: list[str], centroids: dict[str, tuple[float, float]] | None = None) -> dict[str, tuple[int, int]]:
    """(column, row) per code; row 0 is north."""
    codes = sorted(codes)
    if set(codes) <= set(JAMBI_KABKOTA_LAYOUT):
        return {c: JAMBI_KABKOTA_LAYOUT[c] for c in codes}
    n = len(codes)
    pts = {c: centroids[c] for c in codes if centroids and c in centroids}
    if len(pts) < n:  # no positions: a near-square block in code order
        cols = max(1, math.ceil(math.sqrt(n * 1.5)))
        return {c: (i % cols, i // cols) for i, c in enumerate(codes)}
    xs = [p[0] for p in pts.values()]
    ys = [p[1] for p in pts.values()]
    w, h = max(max(xs) - min(xs), 1e-9), max(max(ys) - min(ys), 1e-9)
    cols = max(1, round(math.sqrt(n * w / h) * 1.2))
    rows = max(1, math.ceil(n / cols * 1.2))
    # target cell of each region, then greedy: regions far from the centre claim cells first
    target = {c: ((pts[c][0] - min(xs)) / w * (cols - 1), (max(ys) - pts[c][1]) / h * (rows - 1)) for c in codes}
    cx, cy = (cols - 1) / 2, (rows - 1) / 2
    order = sorted(codes, key=lambda c: -((target[c][0] - cx) ** 2 + (target[c][1] - cy) ** 2))
    free = {(i, j) for i in range(cols) for j in range(rows + n)}
    out = {}
    for c in order:
        tx, ty = target[c]
        cell = min(free, key=lambda ij: ((ij[0] - tx) ** 2 + (ij[1] - ty) ** 2, ij))
        free.discard(cell)
        out[c] = cell
    return out
