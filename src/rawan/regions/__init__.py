"""Kemendagri regions: the code hierarchy, boundaries and choropleth maps (SVG/PNG).

    from rawan.regions import load_regions, render_map, render_map_png
    regions = load_regions()                     # Jambi, from the data shipped with rawan
    regions = load_regions(province="32")        # any province (see rawan.regions.defaults)
    svg = render_map({"15.01": "tinggi"}, level="kabupaten_kota", synthetic=True)

The region list needs only the light core; boundaries and maps need ``rawan[maps]`` (shapely,
pyogrio) and PNG output ``rawan[reports]``: those names are imported on first use, and a missing
package raises :class:`rawan.extras.MissingExtra` naming the extra.
"""

from importlib import import_module

from .defaults import default_province, default_regions
from .hierarchy import Region, Regions, load_regions, parent_code
from .messages import RegionError
from .names import name_key

_LAZY = {
    "Boundaries": ".boundaries", "build_boundaries": ".boundaries", "load_boundaries": ".boundaries",
    "default_boundaries": ".defaults", "ImportReport": ".importer", "import_boundaries": ".importer",
    "CATEGORY_COLOURS": ".palette", "NO_DATA_COLOUR": ".palette", "render_map_png": ".raster",
    "svg_to_png": ".raster", "write_map": ".raster", "ATTRIBUTION": ".maptext", "render_map": ".render",
    "tile_layout": ".tilegrid", "map_mode": ".values", "map_numbers": ".values", "read_map_values": ".values",
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'rawan.regions' has no attribute {name!r}")
    try:
        value = getattr(import_module(_LAZY[name], __name__), name)
    except ImportError as e:
        from ..extras import missing_extra

        raise (missing_extra(e) or e) from e
    globals()[name] = value
    return value


__all__ = [
    "ATTRIBUTION", "Boundaries", "CATEGORY_COLOURS", "ImportReport", "NO_DATA_COLOUR", "Region", "RegionError",
    "Regions", "build_boundaries", "default_boundaries", "default_province", "default_regions", "import_boundaries",
    "load_boundaries", "load_regions", "map_mode", "map_numbers", "name_key", "parent_code", "read_map_values",
    "render_map", "render_map_png", "svg_to_png", "tile_layout", "write_map",
]
