"""Choropleth maps as self-contained SVG: by category (rawan tinggi/sedang/rendah) or by score.

    svg = render_map({"15.01": "tinggi", "15.02": None, ...}, level="kabupaten_kota", synthetic=True)

Every region is one ``<path>`` (``<rect>`` on a tile grid) carrying ``data-code``, ``data-name``,
``data-value`` and a ``<title>``, so a web page can make it clickable.  Only presentation
attributes, paths, text, patterns and a linear gradient are used (no CSS, no fonts, no external
references), so the same SVG embeds inline in HTML and in a typst PDF.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection, Mapping

import numpy as np
import shapely

from ..engine.codes import normalise_code
from ..engine.numbers import NumberError, parse_number
from ..engine.errors import Problem
from ..vocabulary import CATEGORY_LABELS, SYNTHETIC_COLOUR, SYNTHETIC_MARK, UnknownCategory, read_category
from . import palette as P
from .boundaries import Boundaries, load_boundaries
from .defaults import ALL_PROVINCES
from .hierarchy import Regions, check_level, load_regions
from ..engine.spec import REGION_LEVELS
from .drawing import MAX_LABELS, MEMO_LOCK, _drawing
from .labels import CHAR_EM, place_labels
from .maptext import ATTRIBUTION, FONT, TEXT, _fmt, _num, _wrap
from .messages import RegionError
from .svgpaths import UNITS, Frame, attr, path_data, text
from .tilegrid import JAMBI_KABKOTA_NAMES, tile_layout

MARGIN = 16
NUMBER_SIZE = 7.0  # px: the region numbers of a numbered map (a book page asks for its own)
KEY_MAX = 400  # above MAX_LABELS regions, up to this many are numbered on the map with a key of names
CONTEXT_FILL = "#E4E7EB"  # regions around (or enclosed by) a drill-down, drawn for orientation only


def _context(b, level, parent, items):
    """(codes, geometries) of the units of the parent's level that are not ``parent`` but lie within
    the drawn area: the neighbours around a drill-down and the enclaves inside it (Kota Sungai Penuh
    inside Kerinci), so no hole is left blank."""
    if parent is None:
        return None
    up = REGION_LEVELS[parent.count(".")]
    if not b.has(up):
        return None
    lay = b.layer(up)
    geoms = [it.geom for it in items if it.geom is not None]
    if not geoms:
        return None
    box = shapely.box(*shapely.total_bounds(np.array(geoms, dtype=object)))
    codes, gs = [], []
    for c in lay.codes:
        if c == parent:
            continue
        g = lay.get(c)
        if g is not None and g.intersects(box):
            codes.append(c)
            gs.append(g.intersection(box))
    return (codes, np.array(gs, dtype=object)) if codes else None


class _Item:
    __slots__ = ("code", "name", "short", "value", "fill", "label", "geom", "cell")

    def __init__(self, code, name, short, value):
        self.code, self.name, self.short, self.value = code, name, short, value
        self.fill = self.label = None
        self.geom = self.cell = None


def map_province(values, parent=None, regions: Regions | None = None) -> str | None:
    """The province a map is of: that of ``parent``, of the region list, or of every code in ``values``
    (``"*"``, all Indonesia, when they span several provinces)."""
    if parent is not None:
        c = normalise_code(str(parent))
        if c is not None:
            return c.split(".")[0]
    if regions is not None:
        roots = regions.roots()
        if len(roots) == 1:
            return roots[0].code
    provs = {c.split(".")[0] for c in (normalise_code(str(k)) for k in values) if c is not None}
    if len(provs) > 1:  # e.g. the published IKP 2024 province scores: a map of Indonesia
        return ALL_PROVINCES
    return provs.pop() if provs else None


def _load_regions_or_none(regions, province):
    if regions is not None:
        return regions
    try:
        return load_regions(province=province)
    except RegionError:
        return None


def _resolve_boundaries(boundaries, level, province):
    if isinstance(boundaries, str) and boundaries == "tiles":
        return None
    if isinstance(boundaries, Boundaries):
        b = boundaries
    elif boundaries is None:
        b = load_boundaries(province=province)
    else:
        b = load_boundaries(boundaries)
    return b if b is not None and b.has(level) else None


def _items(values, level, parent, regions: Regions | None, lang, mode) -> list[_Item]:
    vals: dict[str, object] = {}
    for k, v in values.items():
        c = normalise_code(str(k))
        if c is None:
            raise RegionError(Problem("regions.invalid_code", {"code": k}))
        vals[c] = v
    if regions is not None:
        rs = regions.at_level(level, parent=parent)
        items = [_Item(r.code, r.name, r.name_short, vals.get(r.code)) for r in rs]
    elif level == "kabupaten_kota":  # no region list at all: the built-in Jambi names
        items = [_Item(c, n, n, vals.get(c)) for c, n in sorted(JAMBI_KABKOTA_NAMES.items())]
    else:
        items = [_Item(c, c, c, v) for c, v in sorted(vals.items()) if parent is None or c.startswith(parent + ".")]
    drawn = {it.code for it in items}
    if vals and not drawn & set(vals):
        raise RegionError(Problem("map.no_match", {"level": level, "sample": ", ".join(sorted(vals)[:5])}))
    for it in items:
        it.value = _check_value(it.code, it.value, mode)
    return items


def _check_value(code, v, mode):
    if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
        return None
    if mode == "category":
        try:  # the one category reader: "Rawan Tinggi", "rawan tinggi", "tinggi" (rawan.vocabulary)
            return read_category(v)
        except UnknownCategory:
            raise RegionError(Problem("map.bad_category", {"code": code, "value": v,
                                                           "known": ", ".join(P.CATEGORY_ORDER)})) from None
    try:
        return parse_number(v)  # the engine's one number rule; None when empty
    except NumberError as e:
        key = "map.ambiguous_score" if e.kind == "ambiguous_number" else "map.bad_score"
        raise RegionError(Problem(key, {"code": code, "value": v})) from None


def render_map(values: Mapping[str, float | str | None], *, level: str, mode: str = "category",
               parent: str | None = None, title: str = "", subtitle: str = "", lang: str = "id",
               synthetic: bool = False, marked: Collection[str] = (), boundaries=None, regions=None,
               width: int = 800, legend_title: str | None = None, marked_label: str | None = None,
               no_data_label: str | None = None, value_range: tuple[float, float] | None = None,
               tips: Mapping[str, str] | None = None, unstable: Collection[str] = (),
               unstable_label: str | None = None, ramp: str = "score", source_line: str = "",
               label_size: float | None = None, number_size: float = NUMBER_SIZE, fixed_size: bool = False,
               key_out: list | None = None) -> str:
    """An SVG choropleth of ``values`` (code -> category or score) for the regions at ``level``.

    ``parent`` draws only the regions under that code (drill-down).  ``boundaries``: a
    :class:`Boundaries`, a path, ``"tiles"`` or None (the default set; the tile grid when none).
    ``marked`` codes get a dotted overlay and a legend entry (``marked_label``).
    ``value_range``: (lo, hi) of the colour ramp, shared by several maps (e.g. every dimension map of
    an edition); default the range of ``values``.
    ``unstable``: codes whose category is not stable under the robustness analysis, drawn with a
    dashed outline and counted in the legend (``unstable_label``).
    ``ramp``: "score" (yellow to red) or "dimension" (the blue-purple ramp all dimension maps share,
    never read as a category colour).
    ``source_line``: the source and edition line printed above the attribution of an exported map.
    ``tips``: code -> extra text for the region's ``<title>`` (e.g. its published score).
    ``label_size`` / ``number_size``: the size of the region names (default 11 px, 10 px above 15
    names) and of the region numbers of a numbered map, in px of ``width``; ``fixed_size`` keeps
    every label at that size (no smaller fallback), so a page that prints the map at a known width
    knows the smallest printed text.  ``key_out``: a list that receives the numbered key instead of
    drawing it under the map (``(None, kab/kota name)`` for a group heading, ``(number, name)`` for
    a region), for a page that lays the key out itself.
    ``no_data_label``: what the hatch means here (default "Tidak ada data"; e.g. "Tidak ada skor terpisah").
    """
    check_level(level)
    if mode not in ("category", "continuous"):
        raise RegionError(Problem("map.bad_mode", {"mode": mode}))
    lang = lang if lang in TEXT else "id"
    T = TEXT[lang]
    if no_data_label:
        T = {**T, "no_data": no_data_label}
    province = map_province(values, parent, regions)
    regions = _load_regions_or_none(regions, province)
    if parent is not None:
        parent = normalise_code(str(parent)) or str(parent)
        if regions is not None:
            regions.get(parent)
    items = _items(values, level, parent, regions, lang, mode)
    marked = {normalise_code(str(m)) for m in marked}
    unstable = {normalise_code(str(m)) for m in unstable}
    b = _resolve_boundaries(boundaries, level, province)

    colours = P.DIMENSION_RAMP if ramp == "dimension" else P.RAMP
    lo = hi = None
    if mode == "continuous":
        nums = [it.value for it in items if it.value is not None]
        lo, hi = (min(nums), max(nums)) if nums else (0.0, 1.0)
        if value_range is not None:
            lo, hi = min(float(value_range[0]), lo), max(float(value_range[1]), hi)
        if hi - lo < 1e-12:
            hi = lo + 1.0
    for it in items:
        if it.value is None:
            it.fill, it.label = "url(#nodata)", T["no_data"]
        elif mode == "category":
            it.fill, it.label = P.CATEGORY_COLOURS[it.value], CATEGORY_LABELS[it.value][lang]
        else:
            it.fill, it.label = P.ramp_colour((it.value - lo) / (hi - lo), colours), _fmt(it.value, lang, 2)

    if not title:
        title = T["title"].format(level=T["levels"][level])
        if parent is not None and regions is not None:
            pr = regions.get(parent)
            pname = pr.name
            if pr.level == "kecamatan":
                pname = f"Kecamatan {pr.name}" if lang == "id" else f"{pr.name} district"
            elif pr.level == "provinsi":
                pname = f"Provinsi {pr.name}" if lang == "id" else f"{pr.name} province"
            title += " — " + pname
    canvas = _Canvas(width, title, subtitle, synthetic, lang, T)
    canvas.label_size, canvas.number_size, canvas.fixed_size = label_size, number_size, fixed_size
    canvas.ramp, canvas.source_line = colours, source_line
    canvas.key_out = key_out
    canvas.tips = {normalise_code(str(k)): v for k, v in (tips or {}).items()}
    missing: list[str] = []
    every = items  # the legend counts every region, drawn or not
    if b is not None:
        layer = b.layer(level)
        for it in items:
            it.geom = layer.get(it.code)
        missing = [it.code for it in items if it.geom is None]
        items = [it for it in items if it.geom is not None]
        if not items:
            b = None
            items = every = _items(values, level, parent, regions, lang, mode)
            missing = []
            for it in items:  # recompute fills for the tile fallback
                it.fill = "url(#nodata)" if it.value is None else (
                    P.CATEGORY_COLOURS[it.value] if mode == "category" else P.ramp_colour((it.value - lo) / (hi - lo),
                                                                                             colours))
                it.label = T["no_data"] if it.value is None else (
                    CATEGORY_LABELS[it.value][lang] if mode == "category" else _fmt(it.value, lang, 2))
    if b is not None:
        canvas.context = _context(b, level, parent, items)
        if regions is not None:
            ups = {it.code.rsplit(".", 1)[0] for it in items if "." in it.code}
            canvas.key_groups = {u: regions.get(u).name for u in ups if u in regions}
        canvas.draw_geometry(items, level, parent, regions, marked, layer=b.layer(level), unstable=unstable)
    else:
        canvas.draw_tiles(items, marked)
    notes = []
    if missing:
        shown = ", ".join(missing[:4]) + (", …" if len(missing) > 4 else "")
        notes.append(T["missing_geom"].format(n=len(missing), codes=shown))
        if mode == "category":  # which classes the regions not drawn have
            by = {c: sum(1 for it in every if it.geom is None and it.value == c) for c in P.CATEGORY_ORDER}
            notes.append(T["missing_classes"].format(parts=", ".join(
                f"{CATEGORY_LABELS[c][lang]} {n}" for c, n in by.items() if n) or T["no_data"]))
    if b is None:
        notes.append(T["tiles"])
    n_unstable = len(unstable & {it.code for it in items})
    canvas.missing_n = len(missing)
    canvas.footer(every, mode, lo, hi, legend_title, bool(marked & {it.code for it in items}),
                  marked_label or T["marked"], notes, scale=b is not None,
                  unstable=(f"{unstable_label or T['unstable']} ({n_unstable})" if n_unstable else None))
    return canvas.svg()


class _Canvas:
    """Collects SVG fragments; knows the page layout (header, map box, footer)."""

    def __init__(self, width, title, subtitle, synthetic, lang, T):
        self.w, self.lang, self.T = width, lang, T
        self.title, self.subtitle, self.synthetic = title, subtitle, synthetic
        # title and subtitle fit beside the DATA CONTOH box: smaller type, then two lines
        avail = width - 2 * MARGIN - (140 if synthetic else 40)
        self.title_size = 18.0
        self.title_lines = [title]
        if len(title) * 18 * 0.62 > avail:
            self.title_size = max(14.0, avail / (len(title) * 0.62))
            self.title_lines = _wrap(title, int(avail / (self.title_size * 0.62)))
        self.sub_lines = _wrap(subtitle, int((width - 2 * MARGIN) / (12.5 * 0.56))) if subtitle else []
        self.header_h = len(self.title_lines) * self.title_size * 1.2 + len(self.sub_lines) * 17
        self.top = MARGIN + self.header_h + 14
        self.parts: list[str] = []
        self.tips: dict[str, str] = {}
        self.key: list = []
        self.key_groups: dict[str, str] = {}
        self.key_out: list | None = None
        self.label_size: float | None = None
        self.number_size, self.fixed_size = NUMBER_SIZE, False
        self.ramp = P.RAMP
        self.source_line = ""
        self.context = None
        self.frame: Frame | None = None
        self.map_bottom = self.top

    # --- map body -------------------------------------------------------------------------------
    def draw_geometry(self, items, level, parent, regions, marked, layer=None, unstable=frozenset()):
        geoms = np.array([it.geom for it in items], dtype=object)
        box_w = self.w - 2 * MARGIN
        self.frame = f = Frame.fit(shapely.total_bounds(geoms), box_w, box_w * 0.95, MARGIN, self.top)
        self.map_bottom = f.top + f.height
        n = len(items)
        codes = [it.code for it in items]
        d, groups = _drawing(layer, codes, geoms, f, parent)
        # grey hairlines between few regions (visible on the white no-data hatch), white between many
        border, stroke = (P.BORDER_FEW, 6) if n <= 200 else (P.BORDER, 3 if n <= 600 else 2)  # in 1/10 px
        out = []
        ctx = getattr(self, "context", None)
        if ctx is not None and len(ctx[0]):  # neighbours and enclaves outside the drawn parent, in grey
            cd = path_data(ctx[1], f)
            out.append(f'<g transform="scale({1 / UNITS:g})" fill="{CONTEXT_FILL}" stroke="#FFFFFF" stroke-width="{stroke}" '
                       f'data-context="1">' + "".join(f'<path data-context-code="{c}" d="{x}"/>' for c, x in zip(ctx[0], cd))
                       + "</g>")
            self.context_drawn = True
        out.append(f'<g transform="scale({1 / UNITS:g})" stroke="{border}" stroke-width="{stroke}" stroke-linejoin="round">')
        for it, dd in zip(items, d):
            out.append(self._region("path", it, f'd="{dd}"'))
        out.append("</g>")
        un = [dd for it, dd in zip(items, d) if it.code in unstable]
        if un:  # a dashed dark outline: the category is not stable under the robustness analysis
            out.append(f'<g transform="scale({1 / UNITS:g})" fill="none" stroke="#111111" stroke-width="22" '
                       f'stroke-dasharray="50 35" stroke-linejoin="round" pointer-events="none" data-unstable="1">'
                       + "".join(f'<path d="{dd}"/>' for dd in un) + "</g>")
        mk = [dd for it, dd in zip(items, d) if it.code in marked]
        for it in items:  # a marked region too small to see (a city in its locator map) gets a ring
            if it.code in marked:
                x0, y0, x1, y1 = shapely.bounds(it.geom)
                (px0, px1), (py0, py1) = f.xy(np.array([x0, x1]), np.array([y0, y1]))
                if abs(px1 - px0) < 14 and abs(py1 - py0) < 14:
                    c = it.geom.representative_point()
                    (cx,), (cy,) = f.xy(np.array([c.x]), np.array([c.y]))
                    out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="9" fill="none" stroke="#111111" '
                               f'stroke-width="2" data-small-marked="{it.code}"/>')
        if mk:
            out.append(f'<g transform="scale({1 / UNITS:g})" fill="url(#marked)" stroke="none" pointer-events="none">'
                       + "".join(f'<path d="{dd}"/>' for dd in mk) + "</g>")
        # outlines one level up (dissolved from what is drawn, so they fit exactly); when that level
        # still has too many units to label, also the next level up, drawn thicker and labelled
        for k, (gc, gg, gd) in enumerate(groups):
            if len(gc) == 1 and k == len(groups) - 1 and len(groups) > 1:
                continue
            width = 5 if (k == 0 and len(groups) > 1) else (14 if n > 40 else 12)
            out.append(f'<g transform="scale({1 / UNITS:g})" fill="none" stroke="{P.OUTLINE}" '
                       f'stroke-width="{width}" stroke-linejoin="round">'
                       + "".join(f'<path d="{x}"/>' for x in gd) + "</g>")
        # labels: the regions themselves when few, else the smallest set of units above that is few
        if n <= MAX_LABELS:
            lab_items = [(it.code, _label_text(it, level), it.geom) for it in items]
        elif groups and 1 < len(groups[-1][0]) <= MAX_LABELS and regions is not None:
            gc, gg, _ = groups[-1]
            lab_items = [(c, _label_text(regions.get(c), regions.get(c).level) if c in regions else c, g)
                         for c, g in zip(gc, gg)]
        else:
            lab_items = []
        size = self.label_size or (11 if len(lab_items) <= 15 else 10)
        labels = _labels(layer, codes, lab_items, f, size, [self._north_box()], not self.fixed_size)
        out += [self._label(lab) for lab in labels]
        if MAX_LABELS < n <= KEY_MAX and level in ("kecamatan", "desa_kelurahan"):
            # too many to name on the map: a number in (or beside, with a leader line) every region,
            # placed around the names above, and a numbered key of the names under the map
            self.key = [(k, it.code, it.name) for k, it in enumerate(items, 1)]
            nums = [(it.code, str(k), it.geom) for k, it in enumerate(items, 1)]
            placed = _labels(layer, codes, nums, f, self.number_size, [self._north_box()] + [lab.box() for lab in labels],
                             not self.fixed_size)
            out += [self._number(lab) for lab in placed]
            self.unplaced = n - len(placed)
        self.parts += out
        self._north_arrow()

    def _number(self, lab) -> str:
        s = ""
        if lab.anchor_x is not None:
            s += (f'<line x1="{lab.anchor_x:.1f}" y1="{lab.anchor_y:.1f}" x2="{lab.x:.1f}" '
                  f'y2="{lab.y - lab.size * 0.35:.1f}" stroke="#1A1A1A" stroke-width="0.5"/>')
        common = f'x="{lab.x:.1f}" y="{lab.y:.1f}" font-size="{lab.size:g}" text-anchor="middle"'
        return (s + f'<text {common} fill="none" stroke="#FFFFFF" stroke-width="2.2" stroke-linejoin="round">'
                f'{text(lab.text)}</text><text {common} fill="#1A1A1A" data-key="{lab.code}">{text(lab.text)}</text>')

    def draw_tiles(self, items, marked):
        cells = tile_layout([it.code for it in items])
        cols = max(c for c, _ in cells.values()) + 1
        rows = max(r for _, r in cells.values()) + 1
        box_w = self.w - 2 * MARGIN
        s = min(box_w / cols, 110.0 if len(items) <= 40 else box_w / cols)
        left = MARGIN + (box_w - s * cols) / 2
        gap = max(1.0, s * 0.04)
        out = []
        u = UNITS
        out.append(f'<g transform="scale({1 / u:g})" stroke="{P.BORDER_FEW}" stroke-width="6">')
        for it in items:
            c, r = cells[it.code]
            x, y = left + c * s + gap / 2, self.top + r * s + gap / 2
            geom = f'x="{x * u:.0f}" y="{y * u:.0f}" width="{(s - gap) * u:.0f}" height="{(s - gap) * u:.0f}"'
            out.append(self._region("rect", it, geom))
            if it.code in marked:
                out.append(f'<rect pointer-events="none" fill="url(#marked)" stroke="none" {geom}/>')
        out.append("</g>")
        for it in items:
            c, r = cells[it.code]
            x, y = left + c * s, self.top + r * s
            if s >= 36:
                dark = it.value == "tinggi" or (isinstance(it.value, float) and it.fill in P.RAMP[-2:])
                colour = "#FFFFFF" if dark else "#1A1A1A"
                fs = min(12.0, s / 8)
                lines = _wrap(_label_text(it, "kabupaten_kota"), int((s - 8) / (fs * 0.68)))
                ty = y + s / 2 - (len(lines) - 1) * fs * 0.6
                texts = [(y + fs + 4, fs * 0.85, "", it.code)]
                texts += [(ty + k * fs * 1.2 + fs * 0.35, fs, ' font-weight="bold"', line) for k, line in enumerate(lines)]
                for ty_, size, weight, label in texts:
                    common = f'x="{x + s / 2:.1f}" y="{ty_:.1f}" font-size="{size:.1f}"{weight} text-anchor="middle"'
                    if not dark:  # a white halo keeps the text legible on the no-data hatch
                        out.append(f'<text {common} fill="none" stroke="#FFFFFF" stroke-width="3" '
                                   f'stroke-linejoin="round">{text(label)}</text>')
                    out.append(f'<text {common} fill="{colour}">{text(label)}</text>')
        self.parts += out
        self.map_bottom = self.top + rows * s

    def _region(self, tag, it, geom_attrs) -> str:
        value = "" if it.value is None else (it.value if isinstance(it.value, str) else f"{it.value:.4g}")
        tip = f"{it.name} ({it.code}): {it.label}"
        if self.tips.get(it.code):
            tip += f" · {self.tips[it.code]}"
        return (f'<{tag} data-code="{it.code}" data-name={attr(it.name)} data-value="{value}" '
                f'fill="{it.fill}" {geom_attrs}><title>{text(tip)}</title></{tag}>')

    def _label(self, lab) -> str:
        s = ""
        if lab.anchor_x is not None:
            s += (f'<line x1="{lab.anchor_x:.1f}" y1="{lab.anchor_y:.1f}" x2="{lab.x:.1f}" '
                  f'y2="{lab.y - lab.size * 0.35:.1f}" stroke="#1A1A1A" stroke-width="0.8"/>'
                  f'<circle cx="{lab.anchor_x:.1f}" cy="{lab.anchor_y:.1f}" r="1.6" fill="#1A1A1A"/>')
        common = f'x="{lab.x:.1f}" y="{lab.y:.1f}" font-size="{lab.size:g}" text-anchor="middle"'
        return (s + f'<text {common} fill="none" stroke="#FFFFFF" stroke-width="3" stroke-linejoin="round" '
                f'stroke-opacity="0.9">{text(lab.text)}</text><text {common} fill="#1A1A1A">{text(lab.text)}</text>')

    def _north_box(self):
        f = self.frame
        x = f.left + f.width - 14 if f else self.w - MARGIN - 14
        return (x - 12, self.top - 2, x + 12, self.top + 34)

    def _north_arrow(self):
        x0, y0, x1, _ = self._north_box()
        cx, top = (x0 + x1) / 2, y0 + 14
        self.parts.append(
            f'<g><path d="M{cx:.1f} {top:.1f}l-6 16l6-4l6 4z" fill="#1A1A1A" stroke="#FFFFFF" stroke-width="0.8"/>'
            f'<text x="{cx:.1f}" y="{top - 3:.1f}" font-size="10" font-weight="bold" text-anchor="middle" '
            f'fill="#1A1A1A">{self.T["north"]}</text></g>')

    # --- footer ---------------------------------------------------------------------------------
    def footer(self, items, mode, lo, hi, legend_title, has_marked, marked_label, notes, scale, unstable=None):
        T, lang = self.T, self.lang
        y = self.map_bottom + 14
        out = []
        lt = legend_title or (T["category"] if mode == "category" else T["score"])
        out.append(f'<text x="{MARGIN}" y="{y + 10}" font-size="11" font-weight="bold" fill="#1A1A1A">{text(lt)}</text>')
        y += 18
        entries = []  # (swatch svg at (x, y), label)
        if mode == "category":
            for cat in P.CATEGORY_ORDER:
                n = sum(1 for it in items if it.value == cat)
                entries.append((P.CATEGORY_COLOURS[cat], f"{CATEGORY_LABELS[cat][lang]} ({n})"))
        n_none = sum(1 for it in items if it.value is None)
        if n_none or mode == "category":
            entries.append(("url(#nodata)", f"{T['no_data']} ({n_none})"))
        if has_marked:
            entries.append(("marked", marked_label))
        if getattr(self, "context_drawn", False):
            entries.append((CONTEXT_FILL, T["context"]))
        if getattr(self, "missing_n", 0):
            entries.append(("missing", T["missing_legend"].format(n=self.missing_n)))
        if unstable:
            entries.append(("unstable", unstable))
        x = MARGIN
        if mode == "continuous":
            gw = 180
            out.append(f'<rect x="{x}" y="{y}" width="{gw}" height="12" fill="url(#ramp)" stroke="#6B6B6B" stroke-width="0.5"/>')
            for k, frac in enumerate((0.0, 0.5, 1.0)):
                tx = x + gw * frac
                anchor = ("start", "middle", "end")[k]
                out.append(f'<text x="{tx:.1f}" y="{y + 24}" font-size="10" text-anchor="{anchor}" '
                           f'fill="#1A1A1A">{_fmt(lo + (hi - lo) * frac, lang)}</text>')
            x += gw + 24
        row_h = 18
        first = y  # the first row leaves room on the right for the scale bar; the rows below need none
        for fill, label in entries:
            wlab = 22 + len(label) * 10.5 * CHAR_EM + 16
            if x + wlab > self.w - MARGIN - (150 if y == first else 0) and x > MARGIN:
                x, y = MARGIN, y + row_h
            out.append(self._swatch(x, y, fill))
            out.append(f'<text x="{x + 22}" y="{y + 10}" font-size="10.5" fill="#1A1A1A">{text(label)}</text>')
            x += wlab
        y_scale = self.map_bottom + 24
        if scale and self.frame is not None:
            out.append(self._scale_bar(self.w - MARGIN, y_scale))
        y = max(y + row_h + (22 if mode == "continuous" else 10), y_scale + 22)
        for note in notes + ([self.source_line] if getattr(self, "source_line", "") else []):
            for line in _wrap(note, int((self.w - 2 * MARGIN) / (9.5 * CHAR_EM))):
                out.append(f'<text x="{MARGIN}" y="{y}" font-size="9.5" fill="#3A3A3A">{text(line)}</text>')
                y += 13
        if self.synthetic:
            out.append(f'<text x="{MARGIN}" y="{y}" font-size="9.5" font-weight="bold" fill="{SYNTHETIC_COLOUR}">'
                       f'{T["synthetic"]}: {text(T["synthetic_note"])}</text>')
            y += 13
        for line in _wrap(ATTRIBUTION[lang], int((self.w - 2 * MARGIN) / (9 * CHAR_EM))):
            out.append(f'<text x="{MARGIN}" y="{y + 2}" font-size="9" fill="#4A4A4A">{text(line)}</text>')
            y += 12
        if getattr(self, "key", None):
            if self.key_out is not None:
                self.key_out.extend(self.key_lines())
            else:
                y = self._key(out, y + 4)
        self.parts += out
        self.h = int(math.ceil(y + MARGIN - 6))

    def _key(self, out, y) -> float:
        """The numbered key of region names, in columns, grouped by the unit above (kab/kota)."""
        out.append(f'<text x="{MARGIN}" y="{y + 9}" font-size="10.5" font-weight="bold" fill="#1A1A1A">'
                   f'{text(self.T["key"])}</text>')
        y += 18
        lines = [(name if k is None else f"{k} {name}", k is None) for k, name in self.key_lines()]
        col_w = 170.0
        cols = max(1, int((self.w - 2 * MARGIN) // col_w))
        rows = -(-len(lines) // cols)
        size = 9.0
        for j, (label, head) in enumerate(lines):
            c, r = divmod(j, rows)
            x, yy = MARGIN + c * col_w, y + r * (size + 2.5)
            weight = ' font-weight="bold"' if head else ""
            limit = int((col_w - 6) / (size * CHAR_EM))
            label = label if len(label) <= limit else label[:limit - 1] + "…"
            out.append(f'<text x="{x:.1f}" y="{yy + size:.1f}" font-size="{size:g}"{weight} fill="#1A1A1A">'
                       f'{text(label)}</text>')
        return y + rows * (size + 2.5) + 8

    def key_lines(self) -> list[tuple[int | None, str]]:
        """The numbered key in order: (None, name of the unit above) heads each group, then (number, name)."""
        lines: list[tuple[int | None, str]] = []
        parent = None
        for k, code, name in self.key:
            up = code.rsplit(".", 1)[0]
            if up != parent:
                parent = up
                lines.append((None, self.key_groups.get(up, up)))
            lines.append((k, name))
        return lines

    def _swatch(self, x, y, fill) -> str:
        u = UNITS
        if fill == "missing":
            return (f'<rect x="{x}" y="{y}" width="16" height="12" fill="none" stroke="#6B6B6B" '
                    f'stroke-width="1" stroke-dasharray="2 2"/>')
        if fill == "unstable":
            return (f'<rect x="{x}" y="{y}" width="16" height="12" fill="#FFFFFF" stroke="#111111" '
                    f'stroke-width="2.2" stroke-dasharray="5 3.5"/>')
        if fill == "marked":
            inner = (f'<rect x="{x * u}" y="{y * u}" width="{16 * u}" height="{12 * u}" fill="#FFFFFF"/>'
                     f'<rect x="{x * u}" y="{y * u}" width="{16 * u}" height="{12 * u}" fill="url(#marked)"/>')
        else:
            inner = f'<rect x="{x * u}" y="{y * u}" width="{16 * u}" height="{12 * u}" fill="{fill}"/>'
        return (f'<g transform="scale({1 / u:g})" stroke="#6B6B6B" stroke-width="5">{inner}</g>')

    def _scale_bar(self, right, y) -> str:
        f = self.frame
        km_px = f.km_per_px()
        target = 120 * km_px
        nice = max(v for v in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) if v <= max(target, 1))
        px = nice / km_px
        x0 = right - px - 20
        half = px / 2
        return (f'<g><rect x="{x0:.1f}" y="{y}" width="{half:.1f}" height="5" fill="#1A1A1A"/>'
                f'<rect x="{x0 + half:.1f}" y="{y}" width="{half:.1f}" height="5" fill="#FFFFFF" stroke="#1A1A1A" stroke-width="0.8"/>'
                f'<rect x="{x0:.1f}" y="{y}" width="{px:.1f}" height="5" fill="none" stroke="#1A1A1A" stroke-width="0.8"/>'
                f'<text x="{x0:.1f}" y="{y - 3}" font-size="9.5" text-anchor="middle" fill="#1A1A1A">0</text>'
                f'<text x="{x0 + half:.1f}" y="{y - 3}" font-size="9.5" text-anchor="middle" fill="#1A1A1A">{_num(nice / 2, self.lang)}</text>'
                f'<text x="{x0 + px:.1f}" y="{y - 3}" font-size="9.5" text-anchor="start" fill="#1A1A1A">{_num(nice, self.lang)} km</text></g>')

    # --- assembly -------------------------------------------------------------------------------
    def svg(self) -> str:
        w, h, u = self.w, self.h, UNITS
        frame = f' data-frame="{self.frame.attr()}"' if self.frame is not None else ""
        head = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
                f'font-family="{FONT}"{frame}>', f"<title>{text(self.title)}</title>", "<defs>",
                f'<pattern id="nodata" patternUnits="userSpaceOnUse" width="{6 * u}" height="{6 * u}" '
                f'patternTransform="rotate(45)"><rect width="{6 * u}" height="{6 * u}" fill="{P.NO_DATA_COLOUR}"/>'
                f'<rect width="{1.4 * u:g}" height="{6 * u}" fill="{P.NO_DATA_HATCH}"/></pattern>',
                f'<pattern id="marked" patternUnits="userSpaceOnUse" width="{6 * u}" height="{6 * u}">'
                f'<circle cx="{3 * u}" cy="{3 * u}" r="{1.3 * u:g}" fill="#111111" stroke="#FFFFFF" stroke-width="{0.6 * u:g}"/></pattern>',
                '<linearGradient id="ramp" x1="0" y1="0" x2="1" y2="0">'
                + "".join(f'<stop offset="{i / (len(self.ramp) - 1):.3f}" stop-color="{c}"/>'
                          for i, c in enumerate(self.ramp))
                + "</linearGradient></defs>",
                f'<rect width="{w}" height="{h}" fill="#FFFFFF"/>',
                ]
        y = MARGIN + self.title_size * 0.9
        for line in self.title_lines:
            head.append(f'<text x="{MARGIN}" y="{y:.1f}" font-size="{self.title_size:.1f}" font-weight="bold" '
                        f'fill="#1A1A1A">{text(line)}</text>')
            y += self.title_size * 1.2
        y += 1
        for line in self.sub_lines:
            head.append(f'<text x="{MARGIN}" y="{y:.1f}" font-size="12.5" fill="#3A3A3A">{text(line)}</text>')
            y += 17
        tail = []
        if self.synthetic:
            bw = 128
            head.append(f'<g><rect x="{w - MARGIN - bw}" y="{MARGIN - 2}" width="{bw}" height="24" fill="#FFFFFF" '
                        f'stroke="{SYNTHETIC_COLOUR}" stroke-width="2"/><text x="{w - MARGIN - bw / 2}" y="{MARGIN + 15}" '
                        f'font-size="13" font-weight="bold" text-anchor="middle" fill="{SYNTHETIC_COLOUR}">{SYNTHETIC_MARK}</text></g>')
            cy = (self.top + self.map_bottom) / 2
            tail.append(f'<text x="{w / 2:.0f}" y="{cy:.0f}" font-size="{w / 9:.0f}" font-weight="bold" text-anchor="middle" '
                        f'fill="{SYNTHETIC_COLOUR}" fill-opacity="0.10" transform="rotate(-18 {w / 2:.0f} {cy:.0f})" '
                        f'pointer-events="none">{SYNTHETIC_MARK}</text>')
        svg = "\n".join(head + self.parts + tail + ["</svg>"]) + "\n"
        # ids unique per map (several maps inline in one HTML page), yet deterministic
        prefix = "rawan-" + hashlib.sha1(svg.encode("utf-8")).hexdigest()[:8]
        for name in ("nodata", "marked", "ramp"):
            svg = svg.replace(f'id="{name}"', f'id="{prefix}-{name}"').replace(f"url(#{name})", f"url(#{prefix}-{name})")
        return svg


_LABELS: dict[tuple, tuple] = {}
_LABELS_MAX = 48


def _labels(layer, codes, lab_items, frame: Frame, size: float, obstacles: list, shrink: bool = True):
    """Label placement, memoised like the drawing (labels depend on geometry and text, not values)."""
    key = (id(layer), tuple(codes), tuple((c, t) for c, t, _ in lab_items), frame.attr(), frame.width, size,
           tuple(obstacles), shrink)
    hit = _LABELS.get(key)
    if hit is not None and hit[0] is layer:
        return hit[1]
    labels = place_labels(lab_items, frame, size=size, obstacles=obstacles, shrink=shrink)
    if layer is not None:
        with MEMO_LOCK:
            if len(_LABELS) >= _LABELS_MAX:
                _LABELS.pop(next(iter(_LABELS)), None)
            _LABELS[key] = (layer, labels)
    return labels


def _label_text(it, level) -> str:
    """Short names, but a city keeps "Kota" (Kota Jambi is not the province Jambi)."""
    if level == "kabupaten_kota" and it.name.lower().startswith("kota "):
        return it.name
    return getattr(it, "short", None) or it.name_short
