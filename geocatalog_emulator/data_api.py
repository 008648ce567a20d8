"""Routes of the data (tiler) API: real pixels from the items' COGs, drawn with rio-tiler.

Three kinds of source share most operations (tiles, TileJSON, WMTS, tilesets, bbox and feature
crops, points):

* an item: ``/data/mosaic/collections/{collectionId}/items/{itemId}/...`` (also info, bounds,
  assets, statistics, previews);
* a collection mosaic: ``/data/mosaic/collections/{collectionId}/...``, every item of the
  collection that touches the requested area;
* a registered search mosaic: ``POST /data/mosaic/register`` then ``/data/mosaic/searches/{searchId}/...``.

Plus tile matrix sets (``/data/tile-matrix-sets``), legends (``/data/legend/...``) and static images
(``/data/collections/{collectionId}/image/static``). ``SOURCE_ROUTES`` and ``GLOBAL_ROUTES`` are the
one table of them all; its templates type their parameters (``{z:num}`` matches ``13`` and ``13.0``,
the client sends floats), so ``.../{y}.{format}`` and bbox paths split where the service splits them.

The handlers live by what they serve: :mod:`.data_source_routes` (every source),
:mod:`.data_item_routes`, :mod:`.data_mosaic_routes`; :mod:`.data_sources` turns a request into
the source it draws.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, List, Pattern, Tuple

from . import data_legends, data_tms
from .data_item_routes import (
    item_asset_statistics,
    item_assets,
    item_bounds,
    item_feature_statistics,
    item_info,
    item_info_geojson,
    item_preview,
    item_statistics,
)
from .data_mosaic_routes import (
    bbox_assets,
    create_static_image,
    get_static_image,
    mosaic_info,
    point_assets,
    register_search,
    tile_assets,
)
from .data_params import integer, number
from .data_source_routes import bbox_crop, feature_crop, point, tile, tilejson, tileset, tilesets, wmts
from .data_sources import Source, collection_source, item_source, search_source
from .http import Request, Response, Router

if TYPE_CHECKING:
    from .catalog import GeoCatalog

#: The service labels its (PNG) colormap legend images as JPEG.
LEGEND_TYPE = "image/jpg"


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


def _table(app: "GeoCatalog") -> Router:
    table = Router()
    for method, template, handler in GLOBAL_ROUTES:
        table.add_pattern(method, compile_template(template), _bind(app, handler))
    for prefix, make_source in SOURCES:
        for method, suffix, handler, scopes in SOURCE_ROUTES:
            if prefix in scopes:
                table.add_pattern(method, compile_template(prefix + suffix), _bind_source(app, make_source, handler))
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
        return table.match(request)(request)

    router = Router()
    for method in ("GET", "POST"):
        router.add(method, "/data/{path*}", dispatch)
    return router
