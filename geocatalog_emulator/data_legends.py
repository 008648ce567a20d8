"""Colormaps, class maps and interval maps: the ``/data/legend/*`` answers and ``colormap_name``.

Continuous colormaps are rio-tiler's (viridis, rdylgn, ...). The service also knows Planetary
Computer class maps (land cover and the like) and interval maps; a few of them are built in here
with their published colours. A legend image is a horizontal colour bar; its ``width`` and
``height`` are in inches as the service takes them (default 5 x 0.15 -> 387 x 11 px, the size the
service draws), values above 50 are taken as pixels.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from rio_tiler.colormap import cmap as rio_colormaps
from rio_tiler.utils import render

from .errors import ApiError

RGBA = Tuple[int, int, int, int]
Interval = Tuple[Tuple[float, float], RGBA]
Colormap = Union[Dict[int, RGBA], List[Interval]]

#: Class maps: class value -> RGBA.
CLASSMAPS: Dict[str, Dict[int, RGBA]] = {
    # Impact Observatory 10 m land use / land cover, 9 classes.
    "io-lulc-9-class": {
        0: (0, 0, 0, 0),
        1: (65, 155, 223, 255),  # water
        2: (57, 125, 73, 255),  # trees
        4: (122, 135, 198, 255),  # flooded vegetation
        5: (228, 150, 53, 255),  # crops
        7: (196, 40, 27, 255),  # built area
        8: (165, 155, 143, 255),  # bare ground
        9: (168, 235, 255, 255),  # snow / ice
        10: (97, 97, 97, 255),  # clouds
        11: (227, 226, 195, 255),  # rangeland
    },
    # ESA WorldCover 10 m.
    "esa-worldcover": {
        0: (0, 0, 0, 0),
        10: (0, 100, 0, 255),  # tree cover
        20: (255, 187, 34, 255),  # shrubland
        30: (255, 255, 76, 255),  # grassland
        40: (240, 150, 255, 255),  # cropland
        50: (250, 0, 0, 255),  # built-up
        60: (180, 180, 180, 255),  # bare / sparse vegetation
        70: (240, 240, 240, 255),  # snow and ice
        80: (0, 100, 200, 255),  # permanent water bodies
        90: (0, 150, 160, 255),  # herbaceous wetland
        95: (0, 207, 117, 255),  # mangroves
        100: (250, 230, 160, 255),  # moss and lichen
    },
    # Monitoring Trends in Burn Severity.
    "mtbs-severity": {
        0: (0, 0, 0, 0),
        1: (0, 100, 0, 255),
        2: (127, 255, 212, 255),
        3: (255, 255, 0, 255),
        4: (255, 0, 0, 255),
        5: (127, 255, 0, 255),
        6: (255, 255, 255, 255),
    },
}

#: Interval maps: [min, max) -> RGBA.
INTERVALS: Dict[str, List[Interval]] = {
    # MODIS burned area, day of burn.
    "modis-64A1": [
        ((-2, 0), (0, 0, 0, 0)),
        ((1, 32), (255, 255, 178, 255)),
        ((32, 60), (255, 236, 147, 255)),
        ((60, 91), (254, 218, 115, 255)),
        ((91, 121), (254, 198, 89, 255)),
        ((121, 152), (254, 175, 77, 255)),
        ((152, 182), (253, 152, 66, 255)),
        ((182, 213), (251, 126, 55, 255)),
        ((213, 244), (246, 96, 45, 255)),
        ((244, 274), (241, 66, 35, 255)),
        ((274, 305), (226, 43, 34, 255)),
        ((305, 335), (208, 21, 36, 255)),
        ((335, 366), (189, 0, 38, 255)),
    ],
    # Lidar height above ground (metres).
    "lidar-hag": [
        ((0, 1), (0, 0, 0, 0)),
        ((1, 2), (172, 199, 120, 255)),
        ((2, 5), (120, 176, 88, 255)),
        ((5, 10), (62, 140, 62, 255)),
        ((10, 20), (30, 100, 50, 255)),
        ((20, 40), (14, 64, 40, 255)),
        ((40, 400), (6, 38, 28, 255)),
    ],
}


def names() -> List[str]:
    return sorted(set(rio_colormaps.list()) | set(CLASSMAPS) | set(INTERVALS))


def colormap(name: str, *, status: int = 404) -> Colormap:
    """The colormap ``colormap_name`` selects: rio-tiler's, a class map or an interval map.

    Unknown names raise ``ApiError(status, "InvalidColorMapName")`` (404 for a legend path, 400 for
    a query parameter).
    """
    if name in CLASSMAPS:
        return dict(CLASSMAPS[name])
    if name in INTERVALS:
        return list(INTERVALS[name])
    try:
        return {int(k): _rgba(v) for k, v in rio_colormaps.get(name.lower()).items()}  # type: ignore[union-attr]
    except Exception:
        raise ApiError(
            status, "InvalidColorMapName", f"Colormap '{name}' is not known; known names include {names()[:12]}..."
        ) from None


def _rgba(value: Sequence[int]) -> RGBA:
    r, g, b, *a = (int(v) for v in value)
    return (r, g, b, a[0] if a else 255)


def _trim(entries: List[Any], trim_start: Optional[int], trim_end: Optional[int]) -> List[Any]:
    start = max(trim_start or 0, 0)
    end = len(entries) - max(trim_end or 0, 0)
    return entries[start:end]


def classmap_legend(
    name: str, trim_start: Optional[int] = None, trim_end: Optional[int] = None
) -> Dict[str, List[int]]:
    """``{"<value>": [r, g, b, a], ...}`` (MapsClassMapLegends_Get)."""
    if name in CLASSMAPS:
        entries = sorted(CLASSMAPS[name].items())
    elif name in INTERVALS:
        raise ApiError(404, "ClassmapNotFound", f"'{name}' is an interval map: use /data/legend/interval/{name}.")
    else:
        found = colormap(name)
        entries = sorted(found.items()) if isinstance(found, dict) else []
    return {str(value): list(color) for value, color in _trim(entries, trim_start, trim_end)}


def interval_legend(name: str, trim_start: Optional[int] = None, trim_end: Optional[int] = None) -> List[Any]:
    """``[[[min, max], [r, g, b, a]], ...]`` (MapsIntervalLegends_GetByClassMapName)."""
    if name not in INTERVALS:
        raise ApiError(
            404, "ClassmapNotFound", f"No interval map named '{name}'; built in: {', '.join(sorted(INTERVALS))}."
        )
    entries = _trim(INTERVALS[name], trim_start, trim_end)
    return [[[_number(lo), _number(hi)], list(color)] for (lo, hi), color in entries]


def _number(value: float) -> Union[int, float]:
    return int(value) if float(value).is_integer() else float(value)


def _pixels(value: Optional[float], default_inches: float) -> int:
    inches = default_inches if value is None else float(value)
    if inches <= 0:
        raise ApiError(400, "InvalidRequest", "Legend width and height must be positive.")
    pixels = inches if inches > 50 else inches * 77.4  # the service draws at ~77 dpi
    return max(1, min(int(pixels), 4096))


def legend_png(
    name: str,
    width: Optional[float] = None,
    height: Optional[float] = None,
    trim_start: Optional[int] = None,
    trim_end: Optional[int] = None,
) -> bytes:
    """A horizontal colour bar of the colormap, as PNG (MapsLegends_Get)."""
    found = colormap(name)
    if isinstance(found, dict):
        colors = [color for _, color in sorted(found.items())]
    else:
        colors = [color for _, color in found]
    colors = _trim(colors, trim_start, trim_end) or colors
    w, h = _pixels(width, 5.0), _pixels(height, 0.15)
    table = np.array(colors, dtype=np.uint8)  # (n, 4)
    columns = np.minimum((np.arange(w) * len(colors)) // w, len(colors) - 1)
    bar = np.repeat(table[columns].T[:, None, :], h, axis=1)  # (4, h, w)
    return render(bar, img_format="PNG")
