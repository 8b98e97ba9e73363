"""Map slots of the reports: every map is drawn by ``rawan.regions.render_map``.

The reports never draw maps themselves.  The region list comes from ``regions`` (a CSV or a
folder holding it) and the boundaries from ``boundaries`` (a boundary file or folder, or
"tiles"); each, when None, is the default one of the province of the result's codes
(``rawan.regions.defaults``: $RAWAN_SHARED_DATA, the user data directory, then the data shipped
with rawan). A level without boundaries is drawn as the tile grid, and when no map can be drawn
the slot says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..vocabulary import category_colours  # noqa: F401  (the one palette, for charts and badges)


def text_on(colour: str) -> str:
    """Dark or white text, whichever reads better on ``colour`` (WCAG relative luminance)."""
    c = colour.lstrip("#")
    r, g, b = (int(c[i:i + 2], 16) / 255 for i in (0, 2, 4))
    lin = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in (r, g, b)]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "#1f2933" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#ffffff"


@dataclass
class MapSlot:
    svg: str | None
    reason: str | None = None


class MapMaker:
    """Draws maps through rawan.regions for one report (regions loaded once)."""

    def __init__(self, regions_path: Any, lang: str, synthetic: bool, boundaries: Any = None, codes=()):
        self.lang = lang
        self.synthetic = synthetic
        self.source_line = ""  # the source and edition line every map of a report carries
        from ..regions import RegionError, load_regions, render_map
        from ..regions.render import map_province

        if regions_path is None:  # the default list of the province of ``codes`` (rawan.regions.defaults)
            try:
                self.regions = load_regions(province=map_province(codes))
            except RegionError:
                self.regions = None  # maps still draw: the tile grid needs only the codes
        else:
            self.regions = load_regions(regions_path)
        self.regions_path = regions_path
        self.boundaries = boundaries
        self._render = render_map

    def draw(self, values: dict, *, level: str, mode: str, title: str = "", subtitle: str = "",
             parent: str | None = None, marked: tuple = (), width: int = 800,
             legend_title: str | None = None, marked_label: str | None = None,
             no_data_label: str | None = None, value_range: tuple[float, float] | None = None,
             tips: dict | None = None, unstable=(), ramp: str = "score", **sizes) -> MapSlot:
        """``sizes``: label_size, number_size, fixed_size, key_out (rawan.regions.render_map)."""
        from ..regions import RegionError

        try:
            svg = self._render(values, level=level, mode=mode, parent=parent, title=title, subtitle=subtitle,
                               lang=self.lang, synthetic=self.synthetic, marked=marked,
                               boundaries=self.boundaries, regions=self.regions, width=width,
                               legend_title=legend_title, marked_label=marked_label,
                               no_data_label=no_data_label, value_range=value_range, tips=tips,
                               unstable=unstable, ramp=ramp, source_line=self.source_line, **sizes)
        except RegionError as e:  # e.g. no boundaries and no tile layout for this level
            return MapSlot(None, " ".join(e.render(self.lang)))
        return MapSlot(svg)

    def name_of(self, code: str, short: bool = False) -> str | None:
        if self.regions is None or code not in self.regions:
            return None
        r = self.regions.get(code)
        return r.name_short if short else r.name

    def parent_of(self, code: str, level: str) -> str:
        """Short name of the region one level up, for regions below kab/kota ("" otherwise)."""
        if "." not in code or level in ("provinsi", "kabupaten_kota"):
            return ""
        up = code.rsplit(".", 1)[0]
        full = self.name_of(up) or ""
        if full.lower().startswith("kota "):  # a city keeps "Kota" (Kota Jambi is not the province Jambi)
            return full
        return self.name_of(up, short=True) or ""
