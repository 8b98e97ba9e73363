"""Path data of a boundary selection and of the outlines above it, memoised per selection and size.

The same boundaries are drawn again and again with other values (web app, reports), so the
projection, the outlines and the path strings are computed once per (layer, codes, frame).
"""

from __future__ import annotations

import threading

from ..engine.spec import REGION_LEVELS
from .boundaries import dissolve
from .svgpaths import Frame, path_data

MAX_LABELS = 40  # label the regions themselves up to this many, else the units above

_DRAWINGS: dict[tuple, tuple] = {}
MEMO_LOCK = threading.Lock()
_DRAWINGS_MAX = 12


def _drawing(layer, codes: list[str], geoms, frame: Frame, parent: str | None = None):
    """Path data of the regions and of the outlines above them, memoised: the same selection of
    boundaries at the same size is drawn again and again with other values (web app, reports)."""
    key = (id(layer), tuple(codes), frame.attr(), frame.width)
    hit = _DRAWINGS.get(key)
    if hit is not None and hit[0] is layer:  # the entry holds the layer, so its id cannot be reused
        return hit[1]
    d = path_data(geoms, frame)
    groups = []  # (codes, geoms, path data) per level above, finest first
    # outlines stored with the boundaries fit when the whole layer (under parent) is drawn
    whole = layer is not None and set(codes) == set(layer.select(parent)[0])
    gc, gg = codes, geoms
    while gc and "." in gc[0]:
        up = REGION_LEVELS[gc[0].count(".") - 1]
        stored = layer.outlines_under(up, parent) if whole else None
        if stored is not None and stored[0]:
            gc, gg = stored  # dissolved when the boundaries were built
        else:
            gc, gg = dissolve(gc, gg)
        groups.append((gc, gg, path_data(gg, frame)))
        if len(gc) <= MAX_LABELS:
            break
    with MEMO_LOCK:  # the web app draws from several threads
        if len(_DRAWINGS) >= _DRAWINGS_MAX:
            _DRAWINGS.pop(next(iter(_DRAWINGS)), None)
        _DRAWINGS[key] = (layer, (d, groups))
    return d, groups
