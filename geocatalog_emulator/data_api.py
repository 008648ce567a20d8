"""Routes of the data (tiler) API: real pixels from the items' COGs, drawn with rio-tiler.

Three kinds of source share most operations (tiles, TileJSON, WMTS, tilesets, bbox and feature
crops, points):

* an item: ``/data/mosaic/collections/{collectionId}/items/{itemId}/...`` (also info, bounds,
  assets, statistics, previews);
* a collection mosaic: ``/data/mosaic/collections/{collectionId}/...``, every item of the
  collection that touches the requested area;
* a registered search mosaic: ``POST /data/mosaic/register`` then ``/data/mosaic/searches/{searchId}/...``.

Plus tile matrix sets (``/data/tile-matrix-sets``), legends (``/data/legend/...``) and static images
(``/data/collections/{collectionId}/image/static``). ``ROUTES`` is the one table of them all; its
templates type their parameters (``{z:num}`` matches ``13`` and ``13.0``, the client sends
floats), so ``.../{y}.{format}`` and bbox paths split where the service splits them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Pattern, Sequence, Tuple
from urllib.parse import quote, unquote, urlencode

import morecantile
from rasterio.warp import transform_bounds
from rio_tiler.models import ImageData, PointData
from shapely.geometry import box, shape

from . import data_legends, data_params, data_render, data_tms
from .data_params import WGS84, integer, number
from .data_render import ItemReader
from .errors import ApiError, bad_request, not_found
from .http import Request, Response, Router
from .stac_api import find_items
from .stac_search import bbox_area

if TYPE_CHECKING:
    from .catalog import GeoCatalog

API_VERSION = "2026-04-15"
XML_TYPE = "application/xml"
#: Item info and statistics are answered as GeoJSON, as the service labels them.
GEOJSON = {"Content-Type": "application/geo+json"}
#: The service labels its (PNG) colormap legend images as JPEG.
LEGEND_TYPE = "image/jpg"


# -- sources: what a request draws -----------------------------------------------------------------


@dataclass
class Source:
    """An item, or a mosaic (a STAC search: a collection's items or a registered search)."""

    path: str  # URL path of the source, e.g. /data/mosaic/collections/c/items/i
    title: str
    item: Optional[Dict[str, Any]] = None
    search: Dict[str, Any] = field(default_factory=dict)
    search_id: Optional[str] = None
    metadata: Dict[str, Any] = field(default_factory=dict)
    bounds: Optional[List[float]] = None

    @property
    def is_item(self) -> bool:
        return self.item is not None


def _collection(app: "GeoCatalog", collection_id: str) -> Dict[str, Any]:
    doc = app.store.get("collection", "", collection_id)
    if doc is None:
        raise not_found("Collection", collection_id)
    return doc


def item_source(app: "GeoCatalog", request: Request) -> Source:
    cid, iid = request.params["collection_id"], request.params["item_id"]
    _collection(app, cid)
    item = app.store.get("item", cid, iid)
    if item is None:
        raise not_found("Item", iid)
    return Source(
        f"/data/mosaic/collections/{_q(cid)}/items/{_q(iid)}", f"{cid}: {iid}", item=item, bounds=_bounds(item)
    )


def collection_source(app: "GeoCatalog", request: Request) -> Source:
    cid = request.params["collection_id"]
    collection = _collection(app, cid)
    bboxes = (((collection.get("extent") or {}).get("spatial") or {}).get("bbox")) or []
    search = {"collections": [cid]}
    return Source(
        f"/data/mosaic/collections/{_q(cid)}",
        cid,
        search=search,
        search_id=search_hash(search),
        metadata={"type": "mosaic"},
        bounds=list(bboxes[0][:4]) if bboxes and len(bboxes[0]) >= 4 else None,
    )


def search_source(app: "GeoCatalog", request: Request) -> Source:
    sid = request.params["search_id"]
    doc = app.store.get("search", "", sid)
    if doc is None:
        raise ApiError(
            404, "SearchNotFound", f"No registered mosaic search '{sid}': register it with /data/mosaic/register."
        )
    metadata = doc.get("metadata") or {"type": "mosaic"}
    bounds = metadata.get("bounds")
    return Source(
        f"/data/mosaic/searches/{_q(sid)}",
        metadata.get("name") or sid,
        search=doc["search"],
        search_id=sid,
        metadata=metadata,
        bounds=list(bounds) if bounds else None,
    )


def _q(value: str) -> str:
    return quote(value, safe="")


def _bounds(item: Dict[str, Any]) -> List[float]:
    return [float(v) for v in data_render.item_bounds(item)]


def search_hash(search: Dict[str, Any]) -> str:
    return hashlib.md5(json.dumps(search, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def mosaic_items(
    app: "GeoCatalog", source: Source, request: Request, area: Optional[Sequence[float]] = None, geometry: Any = None
) -> List[Dict[str, Any]]:
    """The search's items touching ``area`` (lon/lat bbox) or ``geometry``, newest first unless sorted."""
    search = dict(source.search)
    search.update(data_params.mosaic_filter(request))
    if area is not None and "bbox" not in search and "intersects" not in search:
        search["bbox"] = list(area)
    items = find_items(app, search)
    target = geometry if geometry is not None else (bbox_area(*area) if area is not None else None)
    if target is not None:
        items = [item for item in items if _footprint(item).intersects(target)]
    if not search.get("sortby"):
        items.sort(key=lambda i: str((i.get("properties") or {}).get("datetime") or ""), reverse=True)
    limit = integer(request, "items_limit")
    return items[:limit] if limit else items


def _footprint(item: Dict[str, Any]) -> Any:
    if item.get("geometry"):
        try:
            return shape(item["geometry"])
        except Exception:  # an unusual geometry: fall back to the bbox
            pass
    return box(*_bounds(item))


def _asset_summary(item: Dict[str, Any]) -> Dict[str, Any]:
    """What the mosaic asset listings answer for an item (TilerAssetGeoJson / StacItemPointAsset)."""
    return {
        "id": item.get("id"),
        "bbox": _bounds(item),
        "assets": item.get("assets") or {},
        "collection": item.get("collection"),
    }


# -- shared request pieces -------------------------------------------------------------------------


def _tms(request: Request) -> morecantile.TileMatrixSet:
    return data_tms.get(request.params.get("tms") or request.arg("TileMatrixSetId"))


def _format(request: Request) -> Optional[str]:
    return data_params.image_format(request.params.get("format") or request.arg("format"))


def _image(content: Tuple[bytes, str]) -> Response:
    return Response.data(content[0], content[1])


def _zooms(app: "GeoCatalog", source: Source, request: Request, tms: morecantile.TileMatrixSet) -> Tuple[int, int]:
    """Zoom range of a TileJSON / WMTS / tileset document: the query, the source, or the TMS."""
    low, high = source.metadata.get("minzoom"), source.metadata.get("maxzoom")
    if source.is_item:
        opts = data_params.options(request)
        if not opts.assets and not opts.expression:
            opts.assets = [data_params.AssetSpec(n) for n in data_render.raster_assets(source.item or {})[:1]]
        try:
            low, high = ItemReader(app, source.item or {}, opts, tms).zooms()
        except ApiError:
            pass
    return data_tms.clamp_zooms(tms, integer(request, "minzoom", low), integer(request, "maxzoom", high))


def _source_bounds(source: Source, tms: morecantile.TileMatrixSet) -> List[float]:
    return source.bounds or data_tms.bounds_of(tms)


def _tile_index(request: Request, tms: morecantile.TileMatrixSet) -> Tuple[int, int, int]:
    z, x, y = (int(float(request.params[k])) for k in ("z", "x", "y"))
    if not tms.minzoom <= z <= tms.maxzoom:
        raise ApiError(404, "TileOutsideBounds", f"Zoom {z} is outside {tms.id} ({tms.minzoom}-{tms.maxzoom}).")
    matrix = tms.matrix(z)
    if not (0 <= x < matrix.matrixWidth and 0 <= y < matrix.matrixHeight):
        raise ApiError(404, "TileOutsideBounds", f"Tile {z}/{x}/{y} does not exist in {tms.id}.")
    return z, x, y


def _geometry(request: Request) -> Dict[str, Any]:
    """A GeoJSON geometry from a Feature, a FeatureCollection (its first feature) or a bare geometry."""
    body = request.json()
    if not isinstance(body, dict):
        raise bad_request("The body must be a GeoJSON Feature or geometry.")
    if body.get("type") == "FeatureCollection":
        features = body.get("features") or []
        if not features:
            raise bad_request("The FeatureCollection has no features.")
        body = features[0]
    geometry = body.get("geometry") if body.get("type") == "Feature" else body
    if not isinstance(geometry, dict) or "coordinates" not in geometry:
        raise bad_request("The body must be a GeoJSON Feature or geometry with coordinates.")
    return geometry


def _size(request: Request) -> Dict[str, Any]:
    """Output size of a crop: ``{width}x{height}`` in the path, else the ``width``/``height``/``max_size`` query."""
    size = {name: integer(request, name) for name in ("width", "height", "max_size")}
    for name in ("width", "height"):
        if name in request.params:
            size[name] = int(float(request.params[name]))
    for name, value in size.items():
        if value is not None and not 1 <= value <= 8192:
            raise bad_request(f"{name} must be between 1 and 8192, got {value}.")
    return size


def _in_wgs84(bounds: Sequence[float], crs: Any) -> List[float]:
    return list(bounds) if crs == WGS84 else list(transform_bounds(crs, WGS84, *bounds, densify_pts=21))


# -- tiles and documents (every source) ------------------------------------------------------------


def tile(app: "GeoCatalog", request: Request, source: Source) -> Response:
    tms = _tms(request)
    z, x, y = _tile_index(request, tms)
    scale = request.params.get("scale")
    size = data_params.tile_size(request, float(scale) if scale else None)
    opts, fmt = data_params.options(request), _format(request)
    img: Optional[ImageData]
    if source.is_item:
        img = ItemReader(app, source.item or {}, opts, tms).tile(x, y, z, size)
    else:
        area = tms.bounds(morecantile.Tile(x, y, z))
        items = mosaic_items(app, source, request, area)
        img = data_render.mosaic(app, items, opts, tms, lambda reader, _: reader.tile(x, y, z, size))
        if img is None:
            return _image(data_render.empty_image(size, size, opts, fmt))
    return _image(data_render.encode(img, opts, fmt))


def tilejson(app: "GeoCatalog", request: Request, source: Source) -> Response:
    tms = _tms(request)
    minzoom, maxzoom = _zooms(app, source, request, tms)
    scale = integer(request, "tile_scale", 1) or 1
    fmt = data_params.image_format(request.arg("tile_format"))
    url = data_tms.tile_template(request.base_url + source.path, tms, request.query, scale=scale, fmt=fmt)
    doc = data_tms.tilejson(url, _source_bounds(source, tms), minzoom, maxzoom, name=source.search_id)
    return Response.json(doc)


def wmts(app: "GeoCatalog", request: Request, source: Source) -> Response:
    tms = _tms(request)
    minzoom, maxzoom = _zooms(app, source, request, tms)
    fmt = data_params.image_format(request.arg("tile_format")) or "png"
    scale = integer(request, "tile_scale", 1) or 1
    xml = data_tms.wmts(
        self_url=_self_url(request),
        tile_url=data_tms.wmts_tile_template(request.base_url + source.path, tms, request.query, scale, fmt),
        tms=tms,
        bounds=_source_bounds(source, tms),
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
    bounds = _source_bounds(source, data_tms.get(None))
    return Response.json(data_tms.tileset_list(request.base_url, request.base_url + source.path, bounds))


def tileset(app: "GeoCatalog", request: Request, source: Source) -> Response:
    tms = _tms(request)
    minzoom, maxzoom = _zooms(app, source, request, tms)
    doc = data_tms.tileset_metadata(
        request.base_url, request.base_url + source.path, tms, _source_bounds(source, tms), minzoom, maxzoom
    )
    return Response.json(doc)


# -- crops and points (every source) ---------------------------------------------------------------


def bbox_crop(app: "GeoCatalog", request: Request, source: Source) -> Response:
    bbox = [float(request.params[k]) for k in ("minx", "miny", "maxx", "maxy")]
    bounds_crs = data_params.crs(request, "coord_crs", WGS84)
    dst_crs = data_params.crs(request, "dst_crs")
    opts, fmt, size = data_params.options(request), _format(request), _size(request)

    def read(reader: ItemReader, fixed: Dict[str, int]) -> Any:
        return reader.part(bbox, bounds_crs=bounds_crs, dst_crs=dst_crs, **(dict(fixed) or size))

    if source.is_item:
        img = read(ItemReader(app, source.item or {}, opts), {})
    else:
        items = mosaic_items(app, source, request, _in_wgs84(bbox, bounds_crs))
        img = data_render.mosaic(app, items, opts, data_tms.get(None), read)
        if img is None:
            return _image(data_render.empty_image(size["width"] or 256, size["height"] or 256, opts, fmt))
    return _image(data_render.encode(img, opts, fmt))


def feature_crop(app: "GeoCatalog", request: Request, source: Source) -> Response:
    geometry = _geometry(request)
    shape_crs = data_params.crs(request, "coord_crs", WGS84)
    dst_crs = data_params.crs(request, "dst_crs")
    opts, fmt, size = data_params.options(request), _format(request), _size(request)

    def read(reader: ItemReader, fixed: Dict[str, int]) -> Any:
        return reader.feature(geometry, shape_crs=shape_crs, dst_crs=dst_crs, **(dict(fixed) or size))

    if source.is_item:
        img = read(ItemReader(app, source.item or {}, opts), {})
    else:
        area = _in_wgs84(shape(geometry).bounds, shape_crs)
        items = mosaic_items(app, source, request, area)
        img = data_render.mosaic(app, items, opts, data_tms.get(None), read)
        if img is None:
            return _image(data_render.empty_image(size["width"] or 256, size["height"] or 256, opts, fmt))
    return _image(data_render.encode(img, opts, fmt))


def point(app: "GeoCatalog", request: Request, source: Source) -> Response:
    lon, lat = float(request.params["lon"]), float(request.params["lat"])
    coord_crs = data_params.crs(request, "coord_crs", WGS84)
    opts = data_params.options(request)
    found: Optional[PointData]
    if source.is_item:
        found = ItemReader(app, source.item or {}, opts).point(lon, lat, coord_crs)
    else:
        area = _in_wgs84([lon, lat, lon, lat], coord_crs)
        items = mosaic_items(app, source, request, area)
        found = data_render.mosaic_point(app, items, opts, lon, lat, coord_crs)
        if found is None:
            raise ApiError(404, "NoAssetFoundError", f"No item of the mosaic has data at {lon},{lat}.")
    return Response.json(data_render.point_json(found, lon, lat))


# -- mosaics only ----------------------------------------------------------------------------------


def mosaic_info(app: "GeoCatalog", request: Request, source: Source) -> Response:
    doc = app.store.get("search", "", source.search_id or "") or {}
    definition = {
        "hash": source.search_id,
        "search": source.search,
        "_where": doc.get("where") or _where(source.search),
        "orderby": "datetime DESC, id DESC",
        "lastused": doc.get("lastused") or _now(),
        "usecount": doc.get("usecount", 1),
        "metadata": source.metadata,
    }
    return Response.json({"search": definition, "links": _mosaic_links(request.base_url + source.path, "self")})


def _where(search: Dict[str, Any]) -> str:
    collections = search.get("collections") or []
    if collections:
        return "collection IN (" + ", ".join(f"'{c}'" for c in collections) + ")"
    return "TRUE"


def _mosaic_links(base: str, first_rel: str) -> List[Dict[str, Any]]:
    return [
        {"href": f"{base}/info", "rel": first_rel, "type": "application/json", "title": "Mosaic metadata"},
        {"href": f"{base}/tilejson.json", "rel": "tilejson", "type": "application/json", "title": "Link for TileJSON"},
        {"href": f"{base}/WMTSCapabilities.xml", "rel": "wmts", "type": XML_TYPE, "title": "Link for WMTS"},
    ]


def tile_assets(app: "GeoCatalog", request: Request, source: Source) -> Response:
    tms = _tms(request)
    z, x, y = _tile_index(request, tms)
    items = mosaic_items(app, source, request, tms.bounds(morecantile.Tile(x, y, z)))
    return Response.json([_asset_summary(i) for i in items])


def bbox_assets(app: "GeoCatalog", request: Request, source: Source) -> Response:
    bbox = [float(request.params[k]) for k in ("minx", "miny", "maxx", "maxy")]
    area = _in_wgs84(bbox, data_params.crs(request, "coord_crs", WGS84))
    return Response.json([_asset_summary(i) for i in mosaic_items(app, source, request, area)])


def point_assets(app: "GeoCatalog", request: Request, source: Source) -> Response:
    lon, lat = float(request.params["lon"]), float(request.params["lat"])
    area = _in_wgs84([lon, lat, lon, lat], data_params.crs(request, "coord_crs", WGS84))
    return Response.json([_asset_summary(i) for i in mosaic_items(app, source, request, area)])


# -- items only ------------------------------------------------------------------------------------


def item_info(app: "GeoCatalog", request: Request, source: Source) -> Response:
    opts = data_params.options(request)
    return Response.json(ItemReader(app, source.item or {}, opts).info(request.args("assets") or None), headers=GEOJSON)


def item_info_geojson(app: "GeoCatalog", request: Request, source: Source) -> Response:
    opts = data_params.options(request)
    infos = ItemReader(app, source.item or {}, opts).info(request.args("assets") or None)
    west, south, east, north = source.bounds or _bounds(source.item or {})
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
    size = _size(request)
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
    stats, size = data_params.statistics_options(request), _size(request)
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
    size = _size(request)
    found = ItemReader(app, source.item or {}, opts).asset_statistics(
        size.pop("max_size") or 1024, data_params.statistics_options(request), **size
    )
    return Response.json(found)


def item_preview(app: "GeoCatalog", request: Request, source: Source) -> Response:
    opts, fmt, size = data_params.options(request), _format(request), _size(request)
    size["max_size"] = size["max_size"] or 1024
    img = ItemReader(app, source.item or {}, opts).preview(dst_crs=data_params.crs(request, "dst_crs"), **size)
    return _image(data_render.encode(img, opts, fmt))


# -- global routes ---------------------------------------------------------------------------------


def tile_matrix_sets(app: "GeoCatalog", request: Request) -> Response:
    return Response.json(data_tms.ids())


def tile_matrix_set(app: "GeoCatalog", request: Request) -> Response:
    return Response.json(data_tms.definition(request.params["tms"]))


def legend_colormap(app: "GeoCatalog", request: Request) -> Response:
    png = data_legends.legend_png(
        request.params["name"],
        number(request, "width"),
        number(request, "height"),
        integer(request, "trim_start"),
        integer(request, "trim_end"),
    )
    # PNG bytes labelled as JPEG, as the service labels them (clients read the bytes, not the type).
    return Response.data(png, LEGEND_TYPE)


def legend_classmap(app: "GeoCatalog", request: Request) -> Response:
    name = request.params["name"]
    return Response.json(
        data_legends.classmap_legend(name, integer(request, "trim_start"), integer(request, "trim_end"))
    )


def legend_interval(app: "GeoCatalog", request: Request) -> Response:
    name = request.params["name"]
    return Response.json(
        data_legends.interval_legend(name, integer(request, "trim_start"), integer(request, "trim_end"))
    )


def register_search(app: "GeoCatalog", request: Request) -> Response:
    body = request.json()
    if not isinstance(body, dict):
        raise bad_request("The body must be a STAC search (a JSON object).")
    search = {k: v for k, v in body.items() if k != "metadata" and v is not None}
    metadata = dict(body.get("metadata") or {})
    metadata.setdefault("type", "mosaic")
    search_id = search_hash(search)
    previous = app.store.get("search", "", search_id) or {}
    app.store.put(
        "search",
        "",
        search_id,
        {"search": search, "metadata": metadata, "lastused": _now(), "usecount": previous.get("usecount", 0) + 1},
    )
    base = f"{request.base_url}/data/mosaic/searches/{search_id}"
    # The service answers ``searchid`` (the key the 1.0.0 clients read); older examples spell it ``searchId``.
    return Response.json({"searchid": search_id, "links": _mosaic_links(base, "metadata")})


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# -- static images ---------------------------------------------------------------------------------


def create_static_image(app: "GeoCatalog", request: Request) -> Response:
    cid = request.params["collection_id"]
    _collection(app, cid)
    body = request.json()
    if not isinstance(body, dict) or not isinstance(body.get("geometry"), dict):
        raise bad_request("The body needs a 'geometry' (GeoJSON) to draw, plus 'cql', 'render_params', 'cols', 'rows'.")
    cols, rows = _image_size(body)
    data_params.options(_render_request(request, body))  # refuse bad render parameters now, not at download
    image_id = f"geocatalog-{cid}-{hashlib.md5(json.dumps(body, sort_keys=True).encode()).hexdigest()}.png"
    app.store.put("static_image", cid, image_id, dict(body, cols=cols, rows=rows))
    url = f"{request.base_url}/data/collections/{_q(cid)}/image/static/{_q(image_id)}?api-version={API_VERSION}"
    return Response.json({"url": url})


def _image_size(body: Dict[str, Any]) -> Tuple[int, int]:
    cols, rows = body.get("cols"), body.get("rows")
    if (not cols or not rows) and isinstance(body.get("imageSize"), str) and "x" in body["imageSize"]:
        cols, rows = body["imageSize"].split("x", 1)
    try:
        cols, rows = int(cols), int(rows)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise bad_request("Give the image size as 'cols' and 'rows' (or 'imageSize': 'WIDTHxHEIGHT').") from None
    if not (1 <= cols <= 4096 and 1 <= rows <= 4096):
        raise bad_request("cols and rows must be between 1 and 4096.")
    return cols, rows


def _render_request(request: Request, body: Dict[str, Any]) -> Request:
    return Request.build("GET", "/?" + str(body.get("render_params") or ""), {}, b"", request.base_url)


def get_static_image(app: "GeoCatalog", request: Request) -> Response:
    cid, image_id = request.params["collection_id"], request.params["image_id"]
    body = app.store.get("static_image", cid, image_id)
    if body is None:
        raise not_found("StaticImage", image_id)
    render = _render_request(request, body)
    opts = data_params.options(render)
    geometry = body["geometry"]
    search: Dict[str, Any] = {"collections": [cid]}
    if body.get("cql"):
        search.update({"filter": body["cql"], "filter-lang": "cql2-json"})
    area = list(shape(geometry).bounds)
    source = Source(f"/data/collections/{_q(cid)}", cid, search=search)
    items = mosaic_items(app, source, render, area)
    size = {"width": int(body["cols"]), "height": int(body["rows"])}
    mercator = data_tms.get(None).rasterio_crs

    def read(reader: ItemReader, fixed: Dict[str, int]) -> Any:
        return reader.part(area, bounds_crs=WGS84, dst_crs=mercator, **size)

    img = data_render.mosaic(app, items, opts, data_tms.get(None), read)
    if img is None:
        return _image(data_render.empty_image(size["width"], size["height"], opts, "png"))
    return _image(data_render.encode(img, opts, "png"))


# -- the route table -------------------------------------------------------------------------------

ITEM = "/data/mosaic/collections/{collection_id}/items/{item_id}"
COLLECTION = "/data/mosaic/collections/{collection_id}"
SEARCH = "/data/mosaic/searches/{search_id}"
SOURCES: List[Tuple[str, Callable[["GeoCatalog", Request], Source]]] = [
    (ITEM, item_source),
    (COLLECTION, collection_source),
    (SEARCH, search_source),
]
ALL, MOSAICS, ITEMS = (ITEM, COLLECTION, SEARCH), (COLLECTION, SEARCH), (ITEM,)
TILE = "{z:num}/{x:num}/{y:num}"
BBOX = "/bbox/{minx:num},{miny:num},{maxx:num},{maxy:num}"
SIZE = "{width:num}x{height:num}"

#: (method, path under the source, handler, sources it applies to). Order matters: the first match wins.
SOURCE_ROUTES: List[Tuple[str, str, Callable[..., Response], Tuple[str, ...]]] = [
    ("GET", f"/tiles/{{tms}}/{TILE}/assets", tile_assets, MOSAICS),
    ("GET", f"/tiles/{TILE}/assets", tile_assets, MOSAICS),
    ("GET", f"/tiles/{{tms}}/{TILE}@{{scale:num}}x.{{format:fmt}}", tile, ALL),
    ("GET", f"/tiles/{{tms}}/{TILE}@{{scale:num}}x", tile, ALL),
    ("GET", f"/tiles/{{tms}}/{TILE}.{{format:fmt}}", tile, ALL),
    ("GET", f"/tiles/{{tms}}/{TILE}", tile, ALL),
    ("GET", f"/tiles/{TILE}@{{scale:num}}x.{{format:fmt}}", tile, ALL),
    ("GET", f"/tiles/{TILE}@{{scale:num}}x", tile, ALL),
    ("GET", f"/tiles/{TILE}.{{format:fmt}}", tile, ALL),
    ("GET", f"/tiles/{TILE}", tile, ALL),
    ("GET", "/tiles/{tms}", tileset, ALL),
    ("GET", "/tiles", tilesets, ALL),
    ("GET", "/tilejson.json", tilejson, ALL),
    ("GET", "/{tms}/tilejson.json", tilejson, ALL),
    ("GET", "/WMTSCapabilities.xml", wmts, ALL),
    ("GET", "/{tms}/WMTSCapabilities.xml", wmts, ALL),
    ("GET", f"{BBOX}/assets", bbox_assets, MOSAICS),
    ("GET", f"{BBOX}/{SIZE}.{{format:fmt}}", bbox_crop, ALL),
    ("GET", f"{BBOX}.{{format:fmt}}", bbox_crop, ALL),
    ("POST", f"/feature/{SIZE}.{{format:fmt}}", feature_crop, ALL),
    ("POST", "/feature.{format:fmt}", feature_crop, ALL),
    ("POST", "/feature", feature_crop, ALL),
    ("GET", "/point/{lon:num},{lat:num}/assets", point_assets, MOSAICS),
    ("GET", "/point/{lon:num},{lat:num}", point, ALL),
    ("GET", "/info", mosaic_info, MOSAICS),
    ("GET", "/info", item_info, ITEMS),
    ("GET", "/info.geojson", item_info_geojson, ITEMS),
    ("GET", "/bounds", item_bounds, ITEMS),
    ("GET", "/assets", item_assets, ITEMS),
    ("GET", "/statistics", item_statistics, ITEMS),
    ("POST", "/statistics", item_feature_statistics, ITEMS),
    ("GET", "/asset_statistics", item_asset_statistics, ITEMS),
    ("GET", "/preview.{format:fmt}", item_preview, ITEMS),
    ("GET", "/preview", item_preview, ITEMS),
]

#: Routes that are not about one source.
GLOBAL_ROUTES: List[Tuple[str, str, Callable[["GeoCatalog", Request], Response]]] = [
    ("GET", "/data/tile-matrix-sets", tile_matrix_sets),
    ("GET", "/data/tile-matrix-sets/{tms}", tile_matrix_set),
    ("GET", "/data/legend/colormap/{name}", legend_colormap),
    ("GET", "/data/legend/classmap/{name}", legend_classmap),
    ("GET", "/data/legend/interval/{name}", legend_interval),
    ("POST", "/data/mosaic/register", register_search),
    ("POST", "/data/collections/{collection_id}/image/static", create_static_image),
    ("GET", "/data/collections/{collection_id}/image/static/{image_id}", get_static_image),
]

NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
KINDS = {"": r"[^/]+?", "num": NUMBER, "fmt": r"[A-Za-z][A-Za-z0-9]*"}  # formats start with a letter
LITERALS = {",": "(?:,|%2[Cc])", "@": "(?:@|%40)"}


def compile_template(template: str) -> Pattern[str]:
    """``/tiles/{z:num}/{x:num}/{y:num}.{format:fmt}`` -> a regex; ``,`` and ``@`` also match percent-encoded."""
    pattern = ""
    for literal, name, kind in re.findall(r"([^{]*)(?:\{(\w+)(?::(\w+))?\})?", template):
        pattern += "".join(LITERALS.get(ch, re.escape(ch)) for ch in literal)
        if name:
            pattern += f"(?P<{name}>{KINDS[kind]})"
    return re.compile(f"^{pattern}$")


Handler = Callable[[Request], Response]


def _table(app: "GeoCatalog") -> List[Tuple[str, Pattern[str], Handler]]:
    table: List[Tuple[str, Pattern[str], Handler]] = []
    for method, template, handler in GLOBAL_ROUTES:
        table.append((method, compile_template(template), _bind(app, handler)))
    for prefix, make_source in SOURCES:
        for method, suffix, handler, scopes in SOURCE_ROUTES:
            if prefix in scopes:
                table.append((method, compile_template(prefix + suffix), _bind_source(app, make_source, handler)))
    return table


def _bind(app: "GeoCatalog", handler: Callable[["GeoCatalog", Request], Response]) -> Handler:
    return lambda request: handler(app, request)


def _bind_source(
    app: "GeoCatalog", make_source: Callable[["GeoCatalog", Request], Source], handler: Callable[..., Response]
) -> Handler:
    return lambda request: handler(app, request, make_source(app, request))


def routes(app: "GeoCatalog") -> Router:
    """One catch-all under ``/data/`` dispatching on the typed table above."""
    table = _table(app)

    def dispatch(request: Request) -> Response:
        allowed = False
        for method, pattern, handler in table:
            found = pattern.match(request.path)
            if not found:
                continue
            if method != request.method:
                allowed = True
                continue
            request.params = {k: unquote(v) for k, v in found.groupdict().items()}
            return handler(request)
        if allowed:
            raise ApiError(405, "MethodNotAllowed", f"{request.method} is not allowed on {request.path}.")
        raise ApiError(404, "NotFound", f"No API at {request.path}.")

    router = Router()
    for method in ("GET", "POST"):
        router.add(method, "/data/{path*}", dispatch)
    return router
