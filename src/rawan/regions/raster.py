"""PNG maps: the SVG of :func:`render_map` rasterised by typst (resvg inside), so PNG and SVG
(and the PDF reports that embed the SVG) look the same.  No browser, no network."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from ..engine.errors import Problem
from .messages import RegionError
from .render import render_map


def svg_to_png(svg: str, out: str | Path, scale: float = 2.0) -> Path:
    """Rasterise an SVG string (``scale`` pixels per SVG pixel); written atomically."""
    import typst

    out = Path(out)
    m = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    if not m:
        raise ValueError("not an SVG with width and height")
    w, h = m.groups()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rawan-map-") as tmp:
        (Path(tmp) / "map.svg").write_text(svg, encoding="utf-8")
        (Path(tmp) / "map.typ").write_text(
            f'#set page(width: {w}pt, height: {h}pt, margin: 0pt)\n#image("map.svg", width: 100%)\n', encoding="utf-8")
        png = typst.compile(str(Path(tmp) / "map.typ"), format="png", ppi=72.0 * scale, root=tmp)
    if isinstance(png, list):  # one page per list item in some typst versions
        png = png[0]
    fd, tmp_out = tempfile.mkstemp(dir=out.parent, prefix=".tmp-", suffix=".png")
    with os.fdopen(fd, "wb") as f:
        f.write(png)
    os.replace(tmp_out, out)
    return out


def render_map_png(values, *, out: str | Path, scale: float = 2.0, **kwargs) -> Path:
    """Same arguments as :func:`render_map`, plus ``out`` (the .png path) and ``scale``."""
    return svg_to_png(render_map(values, **kwargs), out, scale=scale)


def write_map(values, out: str | Path, **kwargs) -> Path:
    """Write an .svg or .png map (by the file suffix), atomically."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".png":
        return render_map_png(values, out=out, **kwargs)
    if suffix != ".svg":
        raise RegionError(Problem("map.bad_format", {"file": out.name}))
    kwargs.pop("scale", None)
    svg = render_map(values, **kwargs)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".tmp-", suffix=".svg")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(svg)
    os.replace(tmp, out)
    return out
