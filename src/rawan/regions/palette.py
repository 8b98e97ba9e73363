"""Map colours: the category palette (checked for colour-blind readers) and the continuous ramp.

Categories follow one light-to-dark sequence (rendah pale yellow, sedang orange, rawan tinggi dark
red), so they stay ordered and distinct for deuteranopes and protanopes (who lose red-green, not
lightness) and in greyscale print.  "Tidak ada data" is white with grey hatching: a pattern, not a
fourth colour, so it can never be read as a category.  ``tests/test_maps_palette.py`` simulates
colour-vision deficiency (Machado et al. 2009) and checks the separations stated in docs/maps.md.
"""

from __future__ import annotations

import numpy as np

# the category palette and the no-data colours are rawan.vocabulary's (one table for maps, charts,
# reports and the web app); the borders and the continuous ramp are the maps' own
from ..vocabulary import (CATEGORY_COLOURS, CATEGORY_ORDER, NO_DATA_COLOUR, NO_DATA_EFFECTIVE,  # noqa: F401
                          NO_DATA_HATCH)

BORDER = "#FFFFFF"       # between many small regions
BORDER_FEW = "#8A8A8A"   # between few regions
OUTLINE = "#3A3A3A"
# continuous scores: a sequential ramp (ColorBrewer YlOrRd, 7 classes), light = low
RAMP = ("#FFFFB2", "#FED976", "#FEB24C", "#FD8D3C", "#FC4E2A", "#E31A1C", "#B10026")


def hex_to_rgb(colour: str) -> np.ndarray:
    c = colour.lstrip("#")
    return np.array([int(c[i:i + 2], 16) for i in (0, 2, 4)], dtype=float) / 255.0


def rgb_to_hex(rgb) -> str:
    r, g, b = (int(round(float(v) * 255)) for v in np.clip(rgb, 0, 1))
    return f"#{r:02X}{g:02X}{b:02X}"


# dimension maps share one blue-purple ramp, so a dimension score is never read as a category colour
DIMENSION_RAMP = ("#F7FCFD", "#E0ECF4", "#BFD3E6", "#9EBCDA", "#8C96C6", "#8856A7", "#810F7C")


def ramp_colour(t: float, ramp: tuple[str, ...] | None = None) -> str:
    """Colour at position t in [0, 1] of RAMP (or ``ramp``), interpolated in sRGB."""
    colours = ramp or RAMP
    t = min(1.0, max(0.0, float(t)))
    pos = t * (len(colours) - 1)
    i = min(int(pos), len(colours) - 2)
    f = pos - i
    return rgb_to_hex(hex_to_rgb(colours[i]) * (1 - f) + hex_to_rgb(colours[i + 1]) * f)


# --- colour science for the checks (sRGB -> linear -> CVD simulation -> CIELAB) ---------------------
_MACHADO = {  # severity 1.0, Machado, Oliveira & Fernandes (2009), on linear RGB
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _to_linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _to_srgb(lin: np.ndarray) -> np.ndarray:
    lin = np.clip(lin, 0, 1)
    return np.where(lin <= 0.0031308, lin * 12.92, 1.055 * lin ** (1 / 2.4) - 0.055)


def simulate(colour: str, vision: str) -> np.ndarray:
    """sRGB (0..1) of ``colour`` as seen with ``vision`` ('normal', 'deuteranopia', ...)."""
    rgb = hex_to_rgb(colour)
    if vision == "normal":
        return rgb
    return _to_srgb(_MACHADO[vision] @ _to_linear(rgb))


def lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of an sRGB triple in 0..1."""
    lin = _to_linear(np.asarray(rgb, dtype=float))
    m = np.array([[0.4124564, 0.3575761, 0.1804375],
                  [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = m @ lin / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, vision: str = "normal") -> float:
    """CIE76 colour difference of two colours as seen with ``vision``."""
    return float(np.linalg.norm(lab(simulate(a, vision)) - lab(simulate(b, vision))))
