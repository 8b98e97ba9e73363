"""Kemendagri regions: the code hierarchy, boundaries and choropleth maps (SVG/PNG).

    from rawan.regions import load_regions
    regions = load_regions()
    [r.name for r in regions.children("15")]
"""

from .hierarchy import Region, Regions, find_data_dir, load_regions, parent_code
from .messages import RegionError
from .names import name_key

__all__ = ["Region", "RegionError", "Regions", "find_data_dir", "load_regions", "name_key", "parent_code"]
