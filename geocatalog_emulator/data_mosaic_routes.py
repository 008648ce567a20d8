"""Data API operations of mosaics only: their definition, the items under a tile, bbox or point,
registering a search, and static images (a collection's items drawn into one picture).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any, Dict, List, Tuple

import morecantile
from shapely.geometry import shape

from . import data_params, data_render, data_tms
from .data_params import WGS84
from .data_render import ItemReader
from .data_source_routes import XML_TYPE
from .data_sources import (
    Source,
    asset_summary,
    image_response,
    in_wgs84,
    mosaic_items,
    quoted,
    request_tms,
    search_hash,
    tile_index,
)
from .errors import bad_request, not_found
from .http import Request, Response
from .stac_requests import require_collection

if TYPE_CHECKING:
    from .catalog import GeoCatalog

API_VERSION = "2026-04-15"


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
    tms = request_tms(request)
    z, x, y = tile_index(request, tms)
    items = mosaic_items(app, source, request, tms.bounds(morecantile.Tile(x, y, z)))
    return Response.json([asset_summary(i) for i in items])


def bbox_assets(app: "GeoCatalog", request: Request, source: Source) -> Response:
    bbox = [float(request.params[k]) for k in ("minx", "miny", "maxx", "maxy")]
    area = in_wgs84(bbox, data_params.crs(request, "coord_crs", WGS84))
    return Response.json([asset_summary(i) for i in mosaic_items(app, source, request, area)])


def point_assets(app: "GeoCatalog", request: Request, source: Source) -> Response:
    lon, lat = float(request.params["lon"]), float(request.params["lat"])
    area = in_wgs84([lon, lat, lon, lat], data_params.crs(request, "coord_crs", WGS84))
    return Response.json([asset_summary(i) for i in mosaic_items(app, source, request, area)])


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
    require_collection(app, cid)
    body = request.json()
    if not isinstance(body, dict) or not isinstance(body.get("geometry"), dict):
        raise bad_request("The body needs a 'geometry' (GeoJSON) to draw, plus 'cql', 'render_params', 'cols', 'rows'.")
    cols, rows = _image_size(body)
    data_params.options(_render_request(request, body))  # refuse bad render parameters now, not at download
    image_id = f"geocatalog-{cid}-{hashlib.md5(json.dumps(body, sort_keys=True).encode()).hexdigest()}.png"
    app.store.put("static_image", cid, image_id, dict(body, cols=cols, rows=rows))
    url = f"{request.base_url}/data/collections/{quoted(cid)}/image/static/{quoted(image_id)}?api-version={API_VERSION}"
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
    source = Source(f"/data/collections/{quoted(cid)}", cid, search=search)
    items = mosaic_items(app, source, render, area)
    size = {"width": int(body["cols"]), "height": int(body["rows"])}
    mercator = data_tms.get(None).rasterio_crs

    def read(reader: ItemReader, fixed: Dict[str, int]) -> Any:
        return reader.part(area, bounds_crs=WGS84, dst_crs=mercator, **size)

    img = data_render.mosaic(app, items, opts, data_tms.get(None), read)
    if img is None:
        return image_response(data_render.empty_image(size["width"], size["height"], opts, "png"))
    return image_response(data_render.encode(img, opts, "png"))
