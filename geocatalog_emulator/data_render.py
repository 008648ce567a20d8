"""Pixels from STAC items with rio-tiler: one item's assets, or a mosaic of items; image encoding.

``ItemReader`` opens each requested asset of one item with ``rio_tiler.io.Reader`` (hrefs are
resolved to files of the emulator's blob store, or to local files; anything else is refused, the
emulator never fetches remote data), merges the bands, names them the way the service does
(``image_b1``, or the asset name with ``asset_as_band``, or the expression's blocks) and applies the
expression. ``mosaic`` runs ``rio_tiler.mosaic.mosaic_reader`` over several items with the chosen
``pixel_selection``. ``encode`` applies rescale / color formula / colormap and renders the format.
rio-tiler's errors become the service's error shape (``raster_errors``).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple
from urllib.parse import unquote, urlparse

import numpy as np
from morecantile import TileMatrixSet
from rasterio.crs import CRS
from rasterio.errors import RasterioError, RasterioIOError
from rasterio.warp import transform_bounds
from rio_tiler import errors as rio_errors
from rio_tiler.io import Reader
from rio_tiler.io.stac import DEFAULT_VALID_TYPE
from rio_tiler.models import ImageData, PointData
from rio_tiler.mosaic import mosaic_point_reader, mosaic_reader
from rio_tiler.mosaic.methods import defaults as mosaic_methods

from . import data_tms
from .data_params import FORMATS, WGS84, AssetSpec, Options
from .errors import ApiError, bad_request

#: The CRS of the bounds item info answers with (longitude/latitude), as an OGC URI.
WGS84_URI = "http://www.opengis.net/def/crs/EPSG/0/4326"

if TYPE_CHECKING:
    from .catalog import GeoCatalog

RASTER_SUFFIXES = (".tif", ".tiff", ".jp2", ".vrt", ".nc", ".h5", ".hdf")
PIXEL_SELECTION = {
    "first": mosaic_methods.FirstMethod,
    "highest": mosaic_methods.HighestMethod,
    "lowest": mosaic_methods.LowestMethod,
    "mean": mosaic_methods.MeanMethod,
    "median": mosaic_methods.MedianMethod,
    "stdev": mosaic_methods.StdevMethod,
    "lastbandlow": mosaic_methods.LastBandLowMethod,
    "lastbandhigh": mosaic_methods.LastBandHighMethod,
    "count": mosaic_methods.CountMethod,
}
#: GDAL creation options per driver: quick PNG compression (a loopback emulator favours speed over bytes).
CREATION: Dict[str, Dict[str, Any]] = {"PNG": {"ZLEVEL": 1}, "GTiff": {"COMPRESS": "DEFLATE"}}
STATISTICS_KEYS = (
    "min max mean count sum std median majority minority unique histogram valid_percent masked_pixels valid_pixels"
).split()


# -- errors ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def raster_errors() -> Iterator[None]:
    """rio-tiler / rasterio exceptions -> ``ApiError`` (the service's error shape)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # NoOverviewWarning, InvalidDatatypeWarning, ...
            yield
    except ApiError:
        raise
    except rio_errors.TileOutsideBounds as exc:
        raise ApiError(404, "TileOutsideBounds", str(exc)) from None
    except rio_errors.PointOutsideBounds as exc:
        raise ApiError(404, "PointOutsideBounds", str(exc)) from None
    except (rio_errors.InvalidExpression, rio_errors.InvalidBandName, rio_errors.MissingBands) as exc:
        raise bad_request(str(exc), "InvalidExpression") from None
    except rio_errors.InvalidFormat as exc:
        raise bad_request(
            f"{exc}. Pick 1 or 3 bands (e.g. asset_bidx=image|1,2,3) or rescale to 8 bits for this format.",
            "InvalidFormat",
        ) from None
    except rio_errors.RioTilerError as exc:
        raise bad_request(f"{type(exc).__name__}: {exc}", type(exc).__name__) from None
    except RasterioIOError as exc:
        raise ApiError(404, "AssetNotReadable", f"Could not read the raster: {exc}") from None
    except RasterioError as exc:
        raise bad_request(f"{type(exc).__name__}: {exc}", "RasterError") from None


# -- assets of an item -----------------------------------------------------------------------------


def local_path(app: "GeoCatalog", href: str) -> Optional[str]:
    """The file behind an asset href: an emulator blob URL or a local path; None for anything else."""
    found = app.local_blob_path(href)
    if found is not None:
        return str(found)
    parsed = urlparse(href)
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path))
    elif parsed.scheme == "" or (len(parsed.scheme) == 1 and os.name == "nt"):  # /data/x.tif, C:\x.tif
        path = Path(href)
        if not path.is_absolute():
            return None
    else:
        return None
    # Hrefs kept as sent (keepOriginalAssets) name files only in the folders the emulator may read.
    return str(path) if path.is_file() and app.sources.file_allowed(path) else None


def is_raster(asset: Dict[str, Any]) -> bool:
    """An asset rio-tiler reads by default: a raster media type, or an untyped data / .tif asset."""
    media_type = asset.get("type")
    if media_type:
        return media_type in DEFAULT_VALID_TYPE
    href = urlparse(asset.get("href", "")).path.lower()
    return href.endswith(RASTER_SUFFIXES) or "data" in (asset.get("roles") or [])


def raster_assets(item: Dict[str, Any]) -> List[str]:
    return [name for name, asset in (item.get("assets") or {}).items() if is_raster(asset)]


def item_bounds(item: Dict[str, Any]) -> List[float]:
    bbox = item.get("bbox")
    if bbox and len(bbox) >= 4:
        return [bbox[0], bbox[1], bbox[-3], bbox[-2]] if len(bbox) == 6 else list(bbox[:4])
    coords = np.array(list(_coordinates((item.get("geometry") or {}).get("coordinates", []))), dtype=float)
    if not coords.size:
        raise ApiError(400, "InvalidItem", f"Item '{item.get('id')}' has neither bbox nor geometry.")
    return [coords[:, 0].min(), coords[:, 1].min(), coords[:, 0].max(), coords[:, 1].max()]


def _coordinates(value: Any) -> Iterator[Sequence[float]]:
    if value and isinstance(value[0], (int, float)):
        yield value[:2]
    else:
        for part in value or []:
            yield from _coordinates(part)


# -- one item --------------------------------------------------------------------------------------


class ItemReader:
    """Reads one STAC item's assets (as chosen by ``Options``) with rio-tiler, merged into one image."""

    def __init__(self, app: "GeoCatalog", item: Dict[str, Any], opts: Options, tms: Optional[TileMatrixSet] = None):
        self.app = app
        self.item = item
        self.opts = opts
        self.tms = tms or data_tms.get(None)

    # which assets, from which files

    def _path(self, name: str) -> str:
        asset = (self.item.get("assets") or {}).get(name)
        if asset is None:
            raise ApiError(
                404,
                "InvalidAssetName",
                f"Item '{self.item.get('id')}' has no asset '{name}'; it has {sorted(self.item.get('assets') or {})}.",
            )
        path = local_path(self.app, asset.get("href", ""))
        if path is None:
            raise ApiError(
                404,
                "AssetNotReadable",
                f"Asset '{name}' of item '{self.item.get('id')}' points at '{asset.get('href')}', which the emulator "
                "cannot read: only files in its blob store (ingested or uploaded) and local files are served.",
            )
        return path

    def specs(self) -> List[AssetSpec]:
        if self.opts.assets:
            return self.opts.assets
        if self.opts.expression:
            found = [
                AssetSpec(name, self.opts.bidx)
                for name in sorted(self.item.get("assets") or {}, key=len, reverse=True)
                if re.search(rf"(?<![\w.]){re.escape(name)}(?:_b\d+)?(?![\w])", self.opts.expression)
            ]
            if found:
                return found
        raise ApiError(
            400, "MissingAssets", "Say which assets to read: 'assets' (e.g. assets=image) or an 'expression'."
        )

    def _open(self, name: str) -> Reader:
        return Reader(self._path(name), tms=self.tms, options=dict(self.opts.reader))

    # reading

    def _read(self, method: str, *args: Any, sized: bool = False, **kwargs: Any) -> ImageData:
        """Each asset's ``Reader.<method>`` merged into one image; ``sized``: later assets match the first's size."""
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        images: List[ImageData] = []
        sources: List[Tuple[str, int]] = []
        with raster_errors():
            for spec in self.specs():
                with self._open(spec.name) as src:
                    img = getattr(src, method)(*args, indexes=spec.indexes, **kwargs)
                if sized and not (kwargs.get("width") and kwargs.get("height")):
                    kwargs.update(width=img.width, height=img.height)
                    kwargs.pop("max_size", None)
                images.append(img)
                sources.extend(self._band_sources(spec, img.count))
            merged = images[0] if len(images) == 1 else ImageData.create_from_list(images)
            return self._finish(merged, sources)

    def _band_sources(self, spec: AssetSpec, count: int) -> List[Tuple[str, int]]:
        indexes = spec.indexes or list(range(1, count + 1))
        if self.opts.asset_as_band and len(indexes) > 1:
            raise bad_request(
                f"asset_as_band needs one band per asset; '{spec.name}' has {len(indexes)} (use asset_bidx).",
                "AssetAsBandError",
            )
        return [(spec.name, index) for index in indexes]

    def _finish(self, img: Any, sources: List[Tuple[str, int]]) -> Any:
        """Name the bands; apply the expression (its blocks name the output bands)."""
        img.band_names = [f"b{i}" for i in range(1, len(sources) + 1)]
        names = [asset if self.opts.asset_as_band else f"{asset}_b{index}" for asset, index in sources]
        if self.opts.expression:
            img = apply_expression(img, self.opts.expression, sources, self.opts.asset_as_band)
            names = [block.strip() for block in self.opts.expression.split(";") if block.strip()]
        img.band_names = [f"b{i}" for i in range(1, img.count + 1)]
        img.band_descriptions = names
        return img

    def tile(self, x: int, y: int, z: int, tilesize: int = 256) -> ImageData:
        return self._read("tile", x, y, z, tilesize=tilesize, buffer=self.opts.buffer, padding=self.opts.padding)

    def part(self, bbox: Sequence[float], *, bounds_crs: CRS, dst_crs: Optional[CRS], **size: Any) -> ImageData:
        return self._read("part", bbox, sized=True, bounds_crs=bounds_crs, dst_crs=dst_crs or bounds_crs, **size)

    def feature(self, shape: Dict[str, Any], *, shape_crs: CRS, dst_crs: Optional[CRS], **size: Any) -> ImageData:
        return self._read("feature", shape, sized=True, shape_crs=shape_crs, dst_crs=dst_crs or shape_crs, **size)

    def preview(self, **size: Any) -> ImageData:
        return self._read("preview", sized=True, **size)

    def point(self, lon: float, lat: float, coord_crs: CRS = WGS84) -> PointData:
        points: List[PointData] = []
        sources: List[Tuple[str, int]] = []
        with raster_errors():
            for spec in self.specs():
                with self._open(spec.name) as src:
                    pt = src.point(lon, lat, coord_crs=coord_crs, indexes=spec.indexes)
                points.append(pt)
                sources.extend(self._band_sources(spec, pt.count))
            merged = points[0] if len(points) == 1 else PointData.create_from_list(points)
            return self._finish(merged, sources)

    # metadata

    def info(self, assets: Optional[List[str]] = None) -> Dict[str, Dict[str, Any]]:
        """``{asset: Info}`` with bounds in longitude/latitude (``crs`` says so) and min/max zoom, as the
        service answers: no ``scales``/``offsets``, band descriptions empty."""
        out: Dict[str, Dict[str, Any]] = {}
        with raster_errors():
            for name in assets or raster_assets(self.item):
                with self._open(name) as src:
                    info = src.info().model_dump(exclude_none=True)
                    for key in ("scales", "offsets"):
                        info.pop(key, None)
                    info["bounds"] = list(transform_bounds(src.crs, WGS84, *src.bounds, densify_pts=21))
                    info["crs"] = WGS84_URI
                    info["band_descriptions"] = [[band, ""] for band, _ in info.get("band_descriptions") or []]
                    info["minzoom"], info["maxzoom"] = src.minzoom, src.maxzoom
                    out[name] = _jsonable(info)
        return out

    def zooms(self) -> Tuple[int, int]:
        """The min/max zoom of the first asset read in this TMS."""
        with raster_errors(), self._open(self.specs()[0].name) as src:
            return src.minzoom, src.maxzoom

    def asset_statistics(self, max_size: int, stats: Dict[str, Any], **size: Any) -> Dict[str, Dict[str, Any]]:
        out: Dict[str, Dict[str, Any]] = {}
        with raster_errors():
            for spec in self.opts.assets or [AssetSpec(n, self.opts.bidx) for n in raster_assets(self.item)]:
                with self._open(spec.name) as src:
                    found = src.statistics(
                        max_size=max_size, indexes=spec.indexes, **{k: v for k, v in size.items() if v}, **stats
                    )
                out[spec.name] = {band: statistics_json(value) for band, value in found.items()}
        return out


def apply_expression(img: Any, expression: str, sources: List[Tuple[str, int]], asset_as_band: bool) -> Any:
    """Evaluate ``expression`` on merged bands, accepting ``b1`` (merged position), ``image_b1`` and asset names."""
    aliases: Dict[str, str] = {}
    for position, (asset, index) in enumerate(sources, 1):
        aliases[f"{asset}_b{index}"] = f"b{position}"
        if asset_as_band or sum(1 for a, _ in sources if a == asset) == 1:
            aliases.setdefault(asset, f"b{position}")
    rewritten = expression
    if aliases:
        pattern = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
        rewritten = re.sub(rf"(?<![\w.])({pattern})(?![\w])", lambda m: aliases[m.group(1)], expression)
    try:
        return img.apply_expression(rewritten)
    except ApiError:
        raise
    except Exception as exc:
        raise bad_request(f"Invalid expression '{expression}': {exc}", "InvalidExpression") from None


# -- several items ---------------------------------------------------------------------------------


class _Skip(Exception):
    """An item of a mosaic that cannot be drawn (missing asset): left out like a tile outside it."""


def mosaic(
    app: "GeoCatalog",
    items: List[Dict[str, Any]],
    opts: Options,
    tms: TileMatrixSet,
    read: Callable[[ItemReader, Dict[str, int]], ImageData],
) -> Optional[ImageData]:
    """``read`` each item, merged with ``opts.pixel_selection``; None if no item has data there.

    ``read`` gets the item's reader and the output size of the first image read (empty at first), so
    crops of every item come out the same size.
    """
    size: Dict[str, int] = {}
    refused: List[ApiError] = []

    def reader(item: Dict[str, Any], *args: Any, **kwargs: Any) -> ImageData:
        try:
            img = read(ItemReader(app, item, opts, tms), size)
        except ApiError as exc:
            if exc.code in ("TileOutsideBounds", "InvalidAssetName", "AssetNotReadable"):
                refused.append(exc)
                raise _Skip() from None
            raise
        size.setdefault("width", img.width)
        size.setdefault("height", img.height)
        return img

    if not items:
        return None
    with raster_errors():
        try:
            img, _ = mosaic_reader(
                items,
                reader,
                pixel_selection=PIXEL_SELECTION[opts.pixel_selection](),
                threads=1,
                allowed_exceptions=(rio_errors.TileOutsideBounds, _Skip),
            )
        except rio_errors.EmptyMosaicError:
            img = None
    if img is None:
        wrong = [e for e in refused if e.code != "TileOutsideBounds"]
        if wrong and len(wrong) == len(items):  # every item refused: a wrong asset name, not an empty area
            raise wrong[0]
        return None
    return img


def mosaic_point(
    app: "GeoCatalog", items: List[Dict[str, Any]], opts: Options, lon: float, lat: float, coord_crs: CRS
) -> Optional[PointData]:
    read: List[PointData] = []

    def reader(item: Dict[str, Any], *args: Any, **kwargs: Any) -> PointData:
        try:
            read.append(ItemReader(app, item, opts).point(lon, lat, coord_crs))
            return read[-1]
        except ApiError as exc:
            if exc.code in ("PointOutsideBounds", "InvalidAssetName", "AssetNotReadable"):
                raise _Skip() from None
            raise

    if not items:
        return None
    with raster_errors():
        try:
            point, _ = mosaic_point_reader(
                items,
                reader,
                pixel_selection=PIXEL_SELECTION[opts.pixel_selection](),
                threads=1,
                allowed_exceptions=(rio_errors.PointOutsideBounds, _Skip),
            )
        except rio_errors.EmptyMosaicError:
            return None
    if not hasattr(point, "band_descriptions"):  # rio-tiler 7 (Python < 3.11) drops them from the mosaic's point
        point.band_descriptions = read[0].band_descriptions
    return point


# -- output ----------------------------------------------------------------------------------------


def encode(img: ImageData, opts: Options, fmt: Optional[str]) -> Tuple[bytes, str]:
    """Rescale, color formula, colormap, then the image format (png when the image has holes, else jpeg)."""
    with raster_errors():
        if opts.rescale:
            img.rescale(in_range=opts.rescale)
        if opts.color_formula:
            img.apply_color_formula(opts.color_formula)
        if fmt is None:
            fmt = "png" if np.ma.getmaskarray(img.array).any() else "jpg"
        driver, media_type, with_mask = FORMATS[fmt]
        content = img.render(
            add_mask=with_mask and opts.return_mask,
            img_format=driver,
            colormap=opts.colormap,
            **CREATION.get(driver, {}),
        )
    return content, media_type


def empty_image(width: int, height: int, opts: Options, fmt: Optional[str]) -> Tuple[bytes, str]:
    """A fully transparent image: what a mosaic draws where it has no item."""
    blank = ImageData(np.ma.masked_all((3, height, width), dtype="uint8"))
    return encode(blank, Options(return_mask=opts.return_mask), fmt or "png")


def statistics_json(value: Any) -> Dict[str, Any]:
    stats = value.model_dump() if hasattr(value, "model_dump") else dict(value)
    ordered = {k: stats[k] for k in STATISTICS_KEYS if k in stats}
    ordered.update({k: v for k, v in stats.items() if k.startswith("percentile_")})
    return _jsonable(ordered)


def image_statistics(img: ImageData, stats: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """Statistics of a merged image, keyed by the service's band names (``image_b1``, ...)."""
    with raster_errors():
        found = img.statistics(**stats)
    names = img.band_descriptions or list(found)
    return {names[i]: statistics_json(value) for i, value in enumerate(found.values())}


def point_json(point: PointData, lon: float, lat: float) -> Dict[str, Any]:
    values = np.ma.masked_invalid(point.array.astype("float64"))
    return {
        "coordinates": [lon, lat],
        "values": [None if v is np.ma.masked else float(v) for v in values],
        "band_names": list(point.band_descriptions),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
