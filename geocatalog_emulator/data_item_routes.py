"""Data API operations of items only: info, bounds, assets, statistics and previews."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict

from . import data_params, data_render
from .data_params import WGS84
from .data_render import ItemReader
from .data_sources import Source, image_response, item_bbox, output_size, request_format
from .errors import bad_request
from .http import Request, Response

if TYPE_CHECKING:
    from .catalog import GeoCatalog

#: Item info and statistics are answered as GeoJSON, as the service labels them.
GEOJSON = {"Content-Type": "application/geo+json"}


# -- items only ------------------------------------------------------------------------------------


def item_info(app: "GeoCatalog", request: Request, source: Source) -> Response:
    opts = data_params.options(request)
    return Response.json(ItemReader(app, source.item or {}, opts).info(request.args("assets") or None), headers=GEOJSON)


def item_info_geojson(app: "GeoCatalog", request: Request, source: Source) -> Response:
    opts = data_params.options(request)
    infos = ItemReader(app, source.item or {}, opts).info(request.args("assets") or None)
    west, south, east, north = source.bounds or item_bbox(source.item or {})
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return Response.json(
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": infos},
        headers=GEOJSON,
    )


def item_bounds(app: "GeoCatalog", request: Request, source: Source) -> Response:
    return Response.json({"bounds": source.bounds})


def item_assets(app: "GeoCatalog", request: Request, source: Source) -> Response:
    return Response.json(data_render.raster_assets(source.item or {}))


def _all_assets(opts: data_params.Options, item: Dict[str, Any]) -> data_params.Options:
    if not opts.assets and not opts.expression:  # as the service: no assets -> every raster asset
        opts.assets = [data_params.AssetSpec(n, opts.bidx) for n in data_render.raster_assets(item)]
    return opts


def item_statistics(app: "GeoCatalog", request: Request, source: Source) -> Response:
    opts = _all_assets(data_params.options(request), source.item or {})
    size = output_size(request)
    size["max_size"] = size["max_size"] or 1024
    img = ItemReader(app, source.item or {}, opts).preview(**size)
    return Response.json(data_render.image_statistics(img, data_params.statistics_options(request)), headers=GEOJSON)


def item_feature_statistics(app: "GeoCatalog", request: Request, source: Source) -> Response:
    body = request.json()
    if not isinstance(body, dict) or body.get("type") not in ("Feature", "FeatureCollection"):
        raise bad_request("The body must be a GeoJSON Feature or FeatureCollection.")
    opts = _all_assets(data_params.options(request), source.item or {})
    shape_crs = data_params.crs(request, "coord_crs", WGS84)
    dst_crs = data_params.crs(request, "dst_crs")
    stats, size = data_params.statistics_options(request), output_size(request)
    features = body["features"] if body["type"] == "FeatureCollection" else [body]
    for feature in features:
        if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
            raise bad_request("Every feature needs a geometry.")
        reader = ItemReader(app, source.item or {}, opts)
        img = reader.feature(feature["geometry"], shape_crs=shape_crs, dst_crs=dst_crs, **size)
        feature.setdefault("properties", {})
        feature["properties"] = dict(feature["properties"] or {}, statistics=data_render.image_statistics(img, stats))
    return Response.json(body, headers=GEOJSON)


def item_asset_statistics(app: "GeoCatalog", request: Request, source: Source) -> Response:
    opts = data_params.options(request)
    size = output_size(request)
    found = ItemReader(app, source.item or {}, opts).asset_statistics(
        size.pop("max_size") or 1024, data_params.statistics_options(request), **size
    )
    return Response.json(found)


def item_preview(app: "GeoCatalog", request: Request, source: Source) -> Response:
    opts, fmt, size = data_params.options(request), request_format(request), output_size(request)
    size["max_size"] = size["max_size"] or 1024
    img = ItemReader(app, source.item or {}, opts).preview(dst_crs=data_params.crs(request, "dst_crs"), **size)
    return image_response(data_render.encode(img, opts, fmt))
