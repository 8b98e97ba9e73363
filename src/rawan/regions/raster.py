"""PNG maps: the SVG of :func:`render_map` rasterised by typst (resvg inside), so PNG and SVG
(and the PDF reports that embed the SVG) look the same.  No browser, no network, no system fonts."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from ..engine.errors import Problem
from .messages import RegionError
from .render import render_map


_TYP = """#set page(width: float(sys.inputs.w) * 1pt, height: float(sys.inputs.h) * 1pt, margin: 0pt)
#image(bytes(sys.inputs.svg), format: "svg", width: 100%)
"""
_COMPILER = None
_INVISIBLE = re.compile(r'<title>[^<]*</title>| data-(?:code|name|value)="[^"]*"')
_LOCK = threading.Lock()


def _compiler():
    """One typst compiler per process (font loading is the slow part), with matplotlib's bundled
    DejaVu Sans only: the same pixels on Linux and Windows, whatever fonts are installed."""
    global _COMPILER
    if _COMPILER is None:
        import matplotlib
        import typst

        tmp = Path(tempfile.mkdtemp(prefix="rawan-map-"))
        atexit.register(shutil.rmtree, tmp, True)
        (tmp / "map.typ").write_text(_TYP, encoding="utf-8")
        fonts = tmp / "fonts"  # only the two faces the maps use: typst reads every font it is given
        fonts.mkdir()
        for face in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
            shutil.copyfile(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / face, fonts / face)
        _COMPILER = typst.Compiler(str(tmp / "map.typ"), root=str(tmp), font_paths=[str(fonts)],
                                   ignore_system_fonts=True)
    return _COMPILER


def svg_to_png(svg: str, out: str | Path, scale: float = 2.0) -> Path:
    """Rasterise an SVG string (``scale`` pixels per SVG pixel); written atomically."""
    out = Path(out)
    m = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    if not m:
        raise ValueError("not an SVG with width and height")
    w, h = m.groups()
    # what a picture cannot show (tooltips, data attributes) only slows the SVG parser down
    svg = _INVISIBLE.sub("", svg)
    with _LOCK:
        png = _compiler().compile(format="png", ppi=72.0 * scale, sys_inputs={"svg": svg, "w": w, "h": h})
    if isinstance(png, list):  # one page per list item in some typst versions
        png = png[0]
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_out = tempfile.mkstemp(dir=out.parent, prefix=".tmp-", suffix=".png")
    with os.fdopen(fd, "wb") as f:
        f.write(png)
    os.chmod(tmp_out, 0o644)
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
    os.chmod(tmp, 0o644)
    os.replace(tmp, out)
    return out
