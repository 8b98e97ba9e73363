"""The edition's map as a file (SVG, PNG) and as an embeddable view, per edition and dimension.

An exported map stands on its own: its title names the edition (and dimension), a line under it
says where the figures come from and which edition (version, publication date) they are, and
regions whose category is unstable under the robustness replays are dotted, with a legend entry.
The embed view (``/e/<slug>/sematkan/``) is the only page another site may frame.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from csp.decorators import csp_replace

from ...vocabulary import synthetic_note
from ..access import edition_for
from . import dashboard as D
from .pagecache import frozen_public

PNG_SCALE = 2.0  # pixels per SVG pixel: 1440 px wide, sharp on a phone and in a slide


def source_line(edition) -> str:
    """"Sumber: ... · Edisi: ..., versi n, terbit d" — printed under the title of an exported map."""
    if edition.synthetic:
        src = synthetic_note(D.lang())
    else:
        src = D.source_of(edition, D.lang())[0].strip()
        src = re.split(r" \(|\. ", src, maxsplit=1)[0].rstrip(".") if src else _("not stated")
    parts = [_("Source: %(s)s") % {"s": src}, _("Edition: %(t)s") % {"t": edition.title_in(D.lang())}]
    if edition.version > 1:
        parts.append(_("version %(v)s") % {"v": edition.version})
    if edition.published_at:
        parts.append(_("published %(d)s") % {"d": date_format(edition.published_at, "j F Y")})
    return " · ".join(parts) + " · rawan"


def edition_map(request, edition, *, export: bool) -> tuple[str, str | None, str | None]:
    """(svg, dimension code, dimension name) for ``?dimensi=`` (404 for an unknown one)."""
    rows = D.rows_of(edition)
    if not rows:
        raise Http404("no results")
    dims = dict(D.dimension_names(edition))
    dim = request.GET.get("dimensi") or None
    if dim and dim not in dims:
        raise Http404("dimension")
    svg = D.map_svg(edition, rows, dimension=dim, dimension_name=dims.get(dim, ""),
                    subtitle=source_line(edition) if export else "",
                    title=(edition.title_in(D.lang()) + (" — " + dims[dim] if dim else "")) if export else "")
    return svg, dim, dims.get(dim)


def _filename(edition, dim: str | None, ext: str) -> str:
    return f"peta-{edition.slug}{'-' + dim if dim else ''}.{ext}"


def svg_to_png_bytes(svg: str) -> bytes:
    from ...regions.raster import svg_to_png

    with tempfile.TemporaryDirectory(prefix="rawan-map-") as d:
        out = svg_to_png(svg, Path(d) / "peta.png", scale=PNG_SCALE)
        return out.read_bytes()


@require_safe
@frozen_public(params=("dimensi",))
def map_file(request, slug, fmt):
    edition = edition_for(request.user, slug)
    if fmt not in ("svg", "png") or not (edition.is_public or D.sees_internal_user(request.user)):
        raise Http404("map")
    svg, dim, _name = edition_map(request, edition, export=True)
    if fmt == "svg":
        resp = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    else:
        resp = HttpResponse(svg_to_png_bytes(svg), content_type="image/png")
    resp["Content-Disposition"] = f'attachment; filename="{_filename(edition, dim, fmt)}"'
    return resp


@xframe_options_exempt  # the only view another site may frame (settings: X_FRAME_OPTIONS = DENY)
@csp_replace({"frame-ancestors": ["*"]})
@require_safe
@frozen_public(params=("dimensi",))
def embed(request, slug):
    edition = edition_for(request.user, slug)
    if not edition.is_public:
        raise Http404("not published")  # only published maps are embedded
    svg, dim, name = edition_map(request, edition, export=True)
    return render(request, "rawan/embed.html", {
        "edition": edition, "map_svg": svg, "dimension": dim, "dimension_name": name,
        "synthetic": edition.synthetic, "title": edition.title_in(D.lang())})
