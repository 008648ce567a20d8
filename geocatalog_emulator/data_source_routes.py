"""Data API operations every source answers: tiles, TileJSON, WMTS, tilesets, bbox and feature crops, points.

An item is drawn from its own assets; a mosaic from every item of its search that touches the
requested area, newest on top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional
from urllib.parse import urlencode

import morecantile
from rio_tiler.models import ImageData, PointData
from shapely.geometry import shape

from . import data_params, data_render, data_tms
from .data_params import WGS84, integer
from .data_render import ItemReader
from .data_sources import (
    Source,
    body_geometry,
    image_response,
    in_wgs84,
    mosaic_items,
    output_size,
    request_format,
    request_tms,
    source_bounds,
    tile_index,
    zoom_range,
)
from .errors import ApiError
from .http import Request, Response

if TYPE_CHECKING:
    from .catalog import GeoCatalog

XML_TYPE = "application/xml"


# -- tiles and documents (every source) ------------------------------------------------------------


def tile(app: "GeoCatalog", request: Request, source: Source) -> Response:
    tms = request_tms(request)
    z, x, y = tile_index(request, tms)
    scale = request.params.get("scale")
    size = data_params.tile_size(request, float(scale) if scale else None)
    opts, fmt = data_params.options(request), request_format(request)
    img: Optional[ImageData]
    if source.is_item:
        img = ItemReader(app, source.item or {}, opts, tms).tile(x, y, z, size)
    else:
        area = tms.bounds(morecantile.Tile(x, y, z))
        items = mosaic_items(app, source, request, area)
        img = data_render.mosaic(app, items, opts, tms, lambda reader, _: reader.tile(x, y, z, size))
        if img is None:
            return image_response(data_render.empty_image(size, size, opts, fmt))
    return image_response(data_render.encode(img, opts, fmt))


def tilejson(app: "GeoCatalog", request: Request, source: Source) -> Response:
    tms = request_tms(request)
    minzoom, maxzoom = zoom_range(app, source, request, tms)
    scale = integer(request, "tile_scale", 1) or 1
    fmt = data_params.image_format(request.arg("tile_format"))
    url = data_tms.tile_template(request.base_url + source.path, tms, request.query, scale=scale, fmt=fmt)
    doc = data_tms.tilejson(url, source_bounds(source, tms), minzoom, maxzoom, name=source.search_id)
    return Response.json(doc)


def wmts(app: "GeoCatalog", request: Request, source: Source) -> Response:
    tms = request_tms(request)
    minzoom, maxzoom = zoom_range(app, source, request, tms)
    fmt = data_params.image_format(request.arg("tile_format")) or "png"
    scale = integer(request, "tile_scale", 1) or 1
    xml = data_tms.wmts(
        self_url=_self_url(request),
        tile_url=data_tms.wmts_tile_template(request.base_url + source.path, tms, request.query, scale, fmt),
        tms=tms,
        bounds=source_bounds(source, tms),
        minzoom=minzoom,
        maxzoom=maxzoom,
        media_type=data_params.FORMATS[fmt][1],
        title=source.title,
    )
    return Response.data(xml.encode("utf-8"), XML_TYPE)


def _self_url(request: Request) -> str:
    query = urlencode([(k, v) for k, values in request.query.items() for v in values])
    return f"{request.base_url}{request.path}" + (f"?{query}" if query else "")


def tilesets(app: "GeoCatalog", request: Request, source: Source) -> Response:
    bounds = source_bounds(source, data_tms.get(None))
    return Response.json(data_tms.tileset_list(request.base_url, request.base_url + source.path, bounds))


def tileset(app: "GeoCatalog", request: Request, source: Source) -> Response:
    tms = request_tms(request)
    minzoom, maxzoom = zoom_range(app, source, request, tms)
    doc = data_tms.tileset_metadata(
        request.base_url, request.base_url + source.path, tms, source_bounds(source, tms), minzoom, maxzoom
    )
    return Response.json(doc)


# -- crops and points (every source) ---------------------------------------------------------------


def bbox_crop(app: "GeoCatalog", request: Request, source: Source) -> Response:
    bbox = [float(request.params[k]) for k in ("minx", "miny", "maxx", "maxy")]
    bounds_crs = data_params.crs(request, "coord_crs", WGS84)
    dst_crs = data_params.crs(request, "dst_crs")
    return _crop(
        app,
        request,
        source,
        lambda reader, size: reader.part(bbox, bounds_crs=bounds_crs, dst_crs=dst_crs, **size),
        lambda: in_wgs84(bbox, bounds_crs),
    )


def feature_crop(app: "GeoCatalog", request: Request, source: Source) -> Response:
    geometry = body_geometry(request)
    shape_crs = data_params.crs(request, "coord_crs", WGS84)
    dst_crs = data_params.crs(request, "dst_crs")
    return _crop(
        app,
        request,
        source,
        lambda reader, size: reader.feature(geometry, shape_crs=shape_crs, dst_crs=dst_crs, **size),
        lambda: in_wgs84(shape(geometry).bounds, shape_crs),
    )


def _crop(
    app: "GeoCatalog",
    request: Request,
    source: Source,
    part: Callable[[ItemReader, Dict[str, Any]], Any],
    area: Callable[[], List[float]],
) -> Response:
    """A crop: ``part(reader, size)`` reads an item's; a mosaic's items over ``area()`` (lon/lat) are mosaicked."""
    opts, fmt, size = data_params.options(request), request_format(request), output_size(request)

    def read(reader: ItemReader, fixed: Dict[str, int]) -> Any:
        return part(reader, dict(fixed) or size)

    if source.is_item:
        img = read(ItemReader(app, source.item or {}, opts), {})
    else:
        items = mosaic_items(app, source, request, area())
        img = data_render.mosaic(app, items, opts, data_tms.get(None), read)
        if img is None:
            return image_response(data_render.empty_image(size["width"] or 256, size["height"] or 256, opts, fmt))
    return image_response(data_render.encode(img, opts, fmt))


def point(app: "GeoCatalog", request: Request, source: Source) -> Response:
    lon, lat = float(request.params["lon"]), float(request.params["lat"])
    coord_crs = data_params.crs(request, "coord_crs", WGS84)
    opts = data_params.options(request)
    found: Optional[PointData]
    if source.is_item:
        found = ItemReader(app, source.item or {}, opts).point(lon, lat, coord_crs)
    else:
        area = in_wgs84([lon, lat, lon, lat], coord_crs)
        items = mosaic_items(app, source, request, area)
        found = data_render.mosaic_point(app, items, opts, lon, lat, coord_crs)
        if found is None:
            raise ApiError(404, "NoAssetFoundError", f"No item of the mosaic has data at {lon},{lat}.")
    return Response.json(data_render.point_json(found, lon, lat))
