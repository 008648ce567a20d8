"""Query parameters of the data API, parsed once into the options rio-tiler takes.

The wire names are the service's (see ``build_data_*`` in the client): ``assets`` (repeated),
``expression``, ``asset_bidx`` (``image|1,2,3``; several assets comma-joined or repeated), ``bidx``,
``asset_as_band``, ``nodata``, ``unscale``, ``resampling``, ``reproject``, ``rescale`` (``min,max``,
repeated), ``color_formula``, ``colormap_name`` / ``colormap`` (JSON), ``return_mask``, ``buffer``,
``padding``, ``tilesize``, ``pixel_selection``; crops: ``coord_crs``, ``dst_crs``, ``max_size``,
``width``, ``height``; statistics: ``categorical``, ``c``, ``p``, ``histogram_bins``,
``histogram_range``; mosaics: ``ids``, ``bbox``, ``datetime``, ``query``, ``sortby``,
``items_limit``. Numbers arrive as ``13`` or ``13.0`` (the client sends floats).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set, Tuple

from rasterio.crs import CRS
from rasterio.errors import CRSError

from . import data_legends
from .errors import ApiError, bad_request
from .http import Request

#: Output formats: extension -> (GDAL driver for rio-tiler's render, media type, alpha from mask).
FORMATS: Dict[str, Tuple[str, str, bool]] = {
    "png": ("PNG", "image/png", True),
    "pngraw": ("PNG", "image/png", False),
    "jpeg": ("JPEG", "image/jpeg", False),
    "jpg": ("JPEG", "image/jpeg", False),
    "webp": ("WEBP", "image/webp", True),
    "tif": ("GTiff", "image/tiff; application=geotiff", True),
    "jp2": ("JP2OpenJPEG", "image/jp2", True),
    "npy": ("NPY", "application/x-binary", True),
}
RESAMPLING = {"nearest", "bilinear", "cubic", "cubic_spline", "lanczos", "average", "mode", "gauss", "rms"}
WARP_RESAMPLING = RESAMPLING - {"gauss"} | {"max", "min", "med", "q1", "q3", "sum"}
PIXEL_SELECTION = {"first", "highest", "lowest", "mean", "median", "stdev", "lastbandlow", "lastbandhigh", "count"}
WGS84 = CRS.from_epsg(4326)


@dataclass
class AssetSpec:
    """One asset to read, and the bands of it (None: all)."""

    name: str
    indexes: Optional[List[int]] = None


@dataclass
class Options:
    """What to read and how to draw it: one request's rendering parameters."""

    assets: List[AssetSpec] = field(default_factory=list)
    expression: Optional[str] = None
    bidx: Optional[List[int]] = None
    asset_as_band: bool = False
    reader: Dict[str, Any] = field(default_factory=dict)  # rio-tiler Reader options: nodata, unscale, ...
    rescale: List[Tuple[float, float]] = field(default_factory=list)
    color_formula: Optional[str] = None
    colormap: Optional[data_legends.Colormap] = None
    return_mask: bool = True
    buffer: Optional[float] = None
    padding: Optional[int] = None
    pixel_selection: str = "first"

    def bands_of(self, name: str) -> Optional[List[int]]:
        for spec in self.assets:
            if spec.name == name:
                return spec.indexes
        return None


def flag(request: Request, name: str, default: bool = False) -> bool:
    value = request.arg(name)
    if value is None or value == "":
        return default
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise bad_request(f"Query parameter '{name}' must be true or false, got '{value}'.")


def number(request: Request, name: str, default: Optional[float] = None) -> Optional[float]:
    value = request.arg(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise bad_request(f"Query parameter '{name}' must be a number, got '{value}'.") from None


def integer(request: Request, name: str, default: Optional[int] = None) -> Optional[int]:
    value = number(request, name)
    return default if value is None else int(value)


def numbers(request: Request, name: str) -> List[float]:
    """Every number in a (repeated or comma-joined) parameter."""
    try:
        return [float(v) for v in request.args(name)]
    except ValueError:
        raise bad_request(f"Query parameter '{name}' must hold numbers, got {request.query.get(name)}.") from None


def crs(request: Request, name: str, default: Optional[CRS] = None) -> Optional[CRS]:
    value = request.arg(name)
    if not value:
        return default
    try:
        return CRS.from_user_input(value)
    except CRSError:
        raise bad_request(f"Query parameter '{name}' is not a coordinate reference system: '{value}'.") from None


def choice(request: Request, name: str, allowed: Set[str], default: Optional[str] = None) -> Optional[str]:
    value = request.arg(name)
    if value is None or value == "":
        return default
    if value not in allowed:
        raise bad_request(f"Query parameter '{name}' must be one of {sorted(allowed)}, got '{value}'.")
    return value


def image_format(value: Optional[str]) -> Optional[str]:
    """A known format name (``png``, ``jpg``, ...), or None to let the image decide."""
    if value is None or value == "":
        return None
    value = value.lower()
    if value not in FORMATS:
        raise bad_request(f"Unknown image format '{value}'; use one of {sorted(FORMATS)}.", "InvalidFormat")
    return value


def asset_bands(values: List[str]) -> Dict[str, List[int]]:
    """``["image|1,2,3"]`` or ``["image|1,2,3,other|1"]`` or repeated values -> {asset: [bands]}."""
    found: Dict[str, List[int]] = {}
    current: Optional[str] = None
    for raw in values:
        for token in raw.split(","):
            token = token.strip()
            if not token:
                continue
            if "|" in token:
                current, _, token = token.partition("|")
                found.setdefault(current, [])
            if current is None:
                raise bad_request(f"asset_bidx must look like 'asset|1,2,3', got '{raw}'.")
            try:
                found[current].append(int(float(token)))
            except ValueError:
                raise bad_request(f"asset_bidx holds a band that is not a number: '{token}'.") from None
    return found


def rescale_ranges(request: Request) -> List[Tuple[float, float]]:
    values = numbers(request, "rescale")
    if len(values) % 2:
        raise bad_request("rescale takes 'min,max' pairs, e.g. rescale=0,255.")
    return [(values[i], values[i + 1]) for i in range(0, len(values), 2)]


def parse_colormap(request: Request) -> Optional[data_legends.Colormap]:
    raw = request.arg("colormap")
    if raw:
        try:
            value = json.loads(raw)
        except ValueError:
            raise bad_request(
                'colormap must be JSON: {"1": [r, g, b, a], ...} or [[[min, max], [r, g, b, a]], ...].'
            ) from None
        try:
            if isinstance(value, dict):
                return {int(float(k)): tuple(int(c) for c in v) for k, v in value.items()}  # type: ignore[misc]
            return [((float(lo), float(hi)), tuple(int(c) for c in rgba)) for (lo, hi), rgba in value]  # type: ignore
        except (TypeError, ValueError):
            raise bad_request("colormap entries must be value -> [r, g, b, a] or [[min, max], [r, g, b, a]].") from None
    name = request.arg("colormap_name")
    return data_legends.colormap(name, status=400) if name else None


def options(request: Request) -> Options:
    """Every rendering parameter of a request (unused ones are harmless)."""
    if request.arg("algorithm"):
        raise ApiError(
            400, "NotSupportedByEmulator", "The emulator does not run tiler algorithms (hillshade, contours, ...)."
        )
    bands = asset_bands(request.query.get("asset_bidx", []))
    names = request.args("assets")
    for name in bands:  # asset_bidx names an asset: read it even if 'assets' forgot it
        if name not in names:
            names.append(name)
    reader: Dict[str, Any] = {}
    nodata = request.arg("nodata")
    if nodata not in (None, ""):
        try:
            reader["nodata"] = math.nan if nodata.lower() == "nan" else float(nodata)
        except ValueError:
            raise bad_request(f"nodata must be a number or 'nan', got '{nodata}'.") from None
    if flag(request, "unscale"):
        reader["unscale"] = True
    reader["resampling_method"] = choice(request, "resampling", RESAMPLING, "nearest")
    reader["reproject_method"] = choice(request, "reproject", WARP_RESAMPLING, "nearest")
    bidx = [int(v) for v in numbers(request, "bidx")] or None
    return Options(
        assets=[AssetSpec(name, bands.get(name) or bidx) for name in names],
        expression=request.arg("expression") or None,
        bidx=bidx,
        asset_as_band=flag(request, "asset_as_band"),
        reader=reader,
        rescale=rescale_ranges(request),
        color_formula=request.arg("color_formula") or None,
        colormap=parse_colormap(request),
        return_mask=flag(request, "return_mask", True),
        buffer=number(request, "buffer"),
        padding=integer(request, "padding"),
        pixel_selection=choice(request, "pixel_selection", PIXEL_SELECTION, "first") or "first",
    )


def statistics_options(request: Request) -> Dict[str, Any]:
    """Keyword arguments of rio-tiler's ``ImageData.statistics``."""
    hist: Dict[str, Any] = {}
    bins = request.arg("histogram_bins")
    if bins:
        bin_values = [v for v in re.split(r"[,\s]+", bins) if v]
        try:
            hist["bins"] = int(bin_values[0]) if len(bin_values) == 1 else [float(v) for v in bin_values]
        except ValueError:
            raise bad_request(f"histogram_bins must be a number or a list of edges, got '{bins}'.") from None
    hist_range = numbers(request, "histogram_range")
    if hist_range:
        if len(hist_range) != 2:
            raise bad_request("histogram_range takes 'min,max'.")
        hist["range"] = hist_range
    return {
        "categorical": flag(request, "categorical"),
        "categories": numbers(request, "c") or None,
        "percentiles": [int(p) for p in numbers(request, "p")] or None,
        "hist_options": hist or None,
    }


def tile_size(request: Request, scale: Optional[float]) -> int:
    size = integer(request, "tilesize")
    if size is None:
        factor = scale if scale is not None else number(request, "scale", 1.0)
        if factor is None or factor < 1 or factor > 4:
            raise bad_request("scale must be between 1 and 4.")
        size = int(256 * factor)
    if not 16 <= size <= 2048:
        raise bad_request("tilesize must be between 16 and 2048.")
    return size


def mosaic_filter(request: Request) -> Dict[str, Any]:
    """Search refinements a mosaic request may carry (``ids``, ``bbox``, ``datetime``, ``query``, ``sortby``)."""
    extra: Dict[str, Any] = {}
    ids = request.args("ids")
    if ids:
        extra["ids"] = ids
    if request.arg("datetime"):
        extra["datetime"] = request.arg("datetime")
    bbox = numbers(request, "bbox")
    if bbox:
        if len(bbox) != 4:
            raise bad_request("bbox takes 'minx,miny,maxx,maxy'.")
        extra["bbox"] = bbox
    if request.arg("query"):
        try:
            extra["query"] = json.loads(request.arg("query") or "")
        except ValueError:
            raise bad_request("query must be a JSON object (the STAC query extension).") from None
    if request.arg("sortby"):
        extra["sortby"] = [
            {"field": s.strip().lstrip("+-"), "direction": "desc" if s.strip().startswith("-") else "asc"}
            for s in request.args("sortby")
        ]
    return extra
