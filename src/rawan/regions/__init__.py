"""Kemendagri regions: the code hierarchy, boundaries and choropleth maps (SVG/PNG).

    from rawan.regions import load_regions, render_map, render_map_png
    regions = load_regions()
    svg = render_map({"15.01": "tinggi"}, level="kabupaten_kota", synthetic=True)
"""

from .boundaries import Boundaries, build_boundaries, load_boundaries
from .hierarchy import Region, Regions, find_data_dir, load_regions, parent_code
from .importer import ImportReport, import_boundaries
from .messages import RegionError
from .names import name_key
from .palette import CATEGORY_COLOURS, NO_DATA_COLOUR
from .raster import render_map_png, svg_to_png, write_map
from .maptext import ATTRIBUTION
from .render import render_map
from .tilegrid import tile_layout
from .values import map_mode, map_numbers, read_map_values

__all__ = [
    "ATTRIBUTION", "Boundaries", "CATEGORY_COLOURS", "ImportReport", "NO_DATA_COLOUR", "Region", "RegionError",
    "Regions", "build_boundaries", "find_data_dir", "import_boundaries", "load_boundaries", "load_regions",
    "map_mode", "map_numbers", "name_key", "parent_code", "read_map_values", "render_map", "render_map_png",
    "svg_to_png", "tile_layout", "write_map",
]
