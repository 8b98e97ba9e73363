"""Map slots of the reports: every map is drawn by ``rawan.regions.render_map``.

The reports never draw maps themselves.  A map needs the region list and
boundaries (``regions``, a folder such as ../shared/data); without them, or
when the maps module cannot draw this level, the slot says why instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# the reports' own palette for charts and badges; the maps' colours win when available
FALLBACK_COLOURS = {"tinggi": "#b42318", "sedang": "#e9a23b", "rendah": "#2e7d32", None: "#c4c9cf"}


def category_colours() -> dict:
    try:
        from ..regions import CATEGORY_COLOURS  # type: ignore[attr-defined]
    except ImportError:
        return dict(FALLBACK_COLOURS)
    out = dict(FALLBACK_COLOURS)
    out.update(CATEGORY_COLOURS)
    return out


@dataclass
class MapSlot:
    svg: str | None
    reason: str | None = None


class MapMaker:
    """Draws maps through rawan.regions for one report (regions loaded once)."""

    def __init__(self, regions_path: Any, lang: str, synthetic: bool):
        self.lang = lang
        self.synthetic = synthetic
        self.regions = None
        self.reason: str | None = None
        self._render = None
        if regions_path is None:
            self.reason = ("tidak ada folder batas wilayah (--regions)" if lang == "id"
                           else "no boundaries folder given (--regions)")
            return
        from ..regions import load_regions

        self.regions = load_regions(regions_path)
        self.regions_path = regions_path
        try:
            from ..regions import render_map  # type: ignore[attr-defined]
        except ImportError:
            self.reason = ("modul peta rawan.regions belum tersedia" if lang == "id"
                           else "the map module rawan.regions is not available")
            return
        self._render = render_map

    def draw(self, values: dict, *, level: str, mode: str, title: str = "", subtitle: str = "",
             parent: str | None = None, marked: tuple = (), width: int = 800,
             legend_title: str | None = None) -> MapSlot:
        if self._render is None:
            return MapSlot(None, self.reason)
        svg = self._render(values, level=level, mode=mode, parent=parent, title=title, subtitle=subtitle,
                           lang=self.lang, synthetic=self.synthetic, marked=marked,
                           boundaries=self.regions_path, regions=self.regions, width=width,
                           legend_title=legend_title)
        return MapSlot(svg)

    def name_of(self, code: str) -> str | None:
        if self.regions is None:
            return None
        return self.regions.get(code).name if code in self.regions else None
