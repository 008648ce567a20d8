"""What a data API request draws, and the request pieces every drawing route reads.

A source is an item, or a mosaic: a STAC search over a collection's items or a registered search.
The pieces: the tile matrix set, a tile's index, an output size, a GeoJSON body's geometry, the
image format and the zoom range of a source.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple
from urllib.parse import quote

import morecantile
from rasterio.warp import transform_bounds
from shapely.geometry import box, shape

from . import data_params, data_render, data_tms
from .data_params import WGS84, integer
from .data_render import ItemReader
from .errors import ApiError, bad_request, not_found
from .http import Request, Response
from .stac_criteria import bbox_area
from .stac_requests import require_collection
from .stac_search_routes import find_items

if TYPE_CHECKING:
    from .catalog import GeoCatalog


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


def item_source(app: "GeoCatalog", request: Request) -> Source:
    cid, iid = request.params["collection_id"], request.params["item_id"]
    require_collection(app, cid)
    item = app.store.get("item", cid, iid)
    if item is None:
        raise not_found("Item", iid)
    return Source(
        f"/data/mosaic/collections/{quoted(cid)}/items/{quoted(iid)}",
        f"{cid}: {iid}",
        item=item,
        bounds=item_bbox(item),
    )


def collection_source(app: "GeoCatalog", request: Request) -> Source:
    cid = request.params["collection_id"]
    collection = require_collection(app, cid)
    bboxes = (((collection.get("extent") or {}).get("spatial") or {}).get("bbox")) or []
    search = {"collections": [cid]}
    return Source(
        f"/data/mosaic/collections/{quoted(cid)}",
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
        f"/data/mosaic/searches/{quoted(sid)}",
        metadata.get("name") or sid,
        search=doc["search"],
        search_id=sid,
        metadata=metadata,
        bounds=list(bounds) if bounds else None,
    )


def quoted(value: str) -> str:
    return quote(value, safe="")


def item_bbox(item: Dict[str, Any]) -> List[float]:
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
    return box(*item_bbox(item))


def asset_summary(item: Dict[str, Any]) -> Dict[str, Any]:
    """What the mosaic asset listings answer for an item (TilerAssetGeoJson / StacItemPointAsset)."""
    return {
        "id": item.get("id"),
        "bbox": item_bbox(item),
        "assets": item.get("assets") or {},
        "collection": item.get("collection"),
    }


# -- shared request pieces -------------------------------------------------------------------------


def request_tms(request: Request) -> morecantile.TileMatrixSet:
    return data_tms.get(request.params.get("tms") or request.arg("TileMatrixSetId"))


def request_format(request: Request) -> Optional[str]:
    return data_params.image_format(request.params.get("format") or request.arg("format"))


def image_response(content: Tuple[bytes, str]) -> Response:
    return Response.data(content[0], content[1])


def zoom_range(app: "GeoCatalog", source: Source, request: Request, tms: morecantile.TileMatrixSet) -> Tuple[int, int]:
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


def source_bounds(source: Source, tms: morecantile.TileMatrixSet) -> List[float]:
    return source.bounds or data_tms.bounds_of(tms)


def tile_index(request: Request, tms: morecantile.TileMatrixSet) -> Tuple[int, int, int]:
    z, x, y = (int(float(request.params[k])) for k in ("z", "x", "y"))
    if not tms.minzoom <= z <= tms.maxzoom:
        raise ApiError(404, "TileOutsideBounds", f"Zoom {z} is outside {tms.id} ({tms.minzoom}-{tms.maxzoom}).")
    matrix = tms.matrix(z)
    if not (0 <= x < matrix.matrixWidth and 0 <= y < matrix.matrixHeight):
        raise ApiError(404, "TileOutsideBounds", f"Tile {z}/{x}/{y} does not exist in {tms.id}.")
    return z, x, y


def body_geometry(request: Request) -> Dict[str, Any]:
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


def output_size(request: Request) -> Dict[str, Any]:
    """Output size of a crop: ``{width}x{height}`` in the path, else the ``width``/``height``/``max_size`` query."""
    size = {name: integer(request, name) for name in ("width", "height", "max_size")}
    for name in ("width", "height"):
        if name in request.params:
            size[name] = int(float(request.params[name]))
    for name, value in size.items():
        if value is not None and not 1 <= value <= 8192:
            raise bad_request(f"{name} must be between 1 and 8192, got {value}.")
    return size


def in_wgs84(bounds: Sequence[float], crs: Any) -> List[float]:
    return list(bounds) if crs == WGS84 else list(transform_bounds(crs, WGS84, *bounds, densify_pts=21))
