"""Routes of the STAC API: landing page, conformance, collections (with their uploaded assets and
thumbnail), items and item search. Configuration and queryables are in :mod:`.stac_config`;
search semantics in :mod:`.stac_search` and the pages of items in :mod:`.stac_search_routes`;
document checks, links and signing in :mod:`.stac_documents`; collection assets and thumbnails in
:mod:`.stac_collection_assets`.

Writes of collections and items answer 202 with a background operation, as the service does:
creating (``AddCollection``, ``AddItem``), replacing and patching (``UpdateItem``) and deleting
(``DeleteCollection``, ``DeleteItem``). Unknown collections and items are refused at once (404);
what is wrong with an item's content (or an id that is taken, or an asset that cannot be read)
fails the operation with a code. Item assets are copied into managed storage
(:mod:`.stac_item_assets`).
"""

from __future__ import annotations

import shutil
from collections import Counter
from typing import TYPE_CHECKING, Any, Callable, Dict, List

from . import stac_config, stac_openapi
from .errors import conflict
from .http import Request, Response, Router
from .stac_collection_assets import delete_asset, get_thumbnail, keep_uploaded_assets, put_asset
from .stac_documents import (
    GEOJSON,
    check_collection,
    check_item,
    invalid,
    link,
    merge_patch,
    present_collection,
    present_item,
    stac_url,
)
from .stac_item_assets import ingest_assets, refuse_escaping_keys, remove_files
from .stac_requests import require_collection, require_item, signing, stamp
from .stac_search_routes import GEOJSON_TYPE, list_items, search_get, search_post
from .stac_search_routes import find_items as find_items  # importable from here, as before

if TYPE_CHECKING:
    from .catalog import GeoCatalog

API_VERSION = stac_config.API_VERSION
CONFORMANCE = [
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "https://api.stacspec.org/v1.0.0-rc.2/item-search#filter",
    "https://api.stacspec.org/v1.0.0/collections",
    "https://api.stacspec.org/v1.0.0/core",
    "https://api.stacspec.org/v1.0.0/item-search",
    "https://api.stacspec.org/v1.0.0/item-search#fields",
    "https://api.stacspec.org/v1.0.0/item-search#query",
    "https://api.stacspec.org/v1.0.0/item-search#sort",
    "https://api.stacspec.org/v1.0.0/ogcapi-features",
]


# -- landing page and conformance ------------------------------------------------------------


def landing_page(app: "GeoCatalog", request: Request) -> Response:
    base = request.base_url
    root = stac_url(base)
    links = [
        link("self", root),
        link("root", root),
        link("data", stac_url(base, "collections")),
        link("conformance", stac_url(base, "conformance"), title="STAC/OGC conformance classes implemented"),
        link(
            "service-desc", stac_url(base, "openapi.json"), stac_openapi.MEDIA_TYPE, title="OpenAPI service description"
        ),
        link("service-doc", stac_url(base, "docs"), "text/html", title="OpenAPI service documentation"),
        link("search", stac_url(base, "search"), GEOJSON, title="STAC search", method="GET"),
        link("search", stac_url(base, "search"), GEOJSON, title="STAC search", method="POST"),
        link(
            "http://www.opengis.net/def/rel/ogc/1.0/queryables",
            stac_url(base, "queryables"),
            "application/schema+json",
            title="Queryables",
            method="GET",
        ),
    ]
    for _, collection in app.store.list("collection", ""):
        title = collection.get("title") or collection["id"]
        links.append(link("child", stac_url(base, "collections", collection["id"]), title=title))
    return Response.json(
        {
            "type": "Catalog",
            "id": "spatio-stac",
            "title": "GeoCatalog emulator",
            "description": "A local GeoCatalog emulator's STAC API",
            "stac_version": "1.0.0",
            "conformsTo": CONFORMANCE,
            "links": links,
            "stac_extensions": [],
        }
    )


def conformance(app: "GeoCatalog", request: Request) -> Response:
    return Response.json({"conformsTo": CONFORMANCE})


# -- collections -----------------------------------------------------------------------------


def list_collections(app: "GeoCatalog", request: Request) -> Response:
    sign, minutes = signing(request)
    base = request.base_url
    collections = [
        present_collection(app, doc, base, sign=sign, minutes=minutes) for _, doc in app.store.list("collection", "")
    ]
    links = [link("root", stac_url(base)), link("parent", stac_url(base)), link("self", stac_url(base, "collections"))]
    return Response.json({"collections": collections, "links": links})


def get_collection(app: "GeoCatalog", request: Request) -> Response:
    sign, minutes = signing(request)
    doc = require_collection(app, request.params["collection_id"])
    return Response.json(present_collection(app, doc, request.base_url, sign=sign, minutes=minutes))


def create_collection(app: "GeoCatalog", request: Request) -> Response:
    body = check_collection(request.json())
    keep_uploaded_assets(body, None)
    collection_id = body["id"]

    def work() -> None:
        if not app.store.insert("collection", "", collection_id, stamp(dict(body))):
            raise conflict("Collection", collection_id)
        stac_config.initialize(app, collection_id)

    op = app.operations.start("AddCollection", work, collection_id=collection_id)
    return app.operation_response(op, request.base_url)


def replace_collection(app: "GeoCatalog", request: Request) -> Response:
    """Create or replace (200 with the collection, as the 1.0.0 client expects)."""
    collection_id = request.params["collection_id"]
    body = check_collection(request.json(), collection_id)
    with app.store.write_lock:
        existing = app.store.get("collection", "", collection_id)
        keep_uploaded_assets(body, (existing or {}).get("assets"))
        doc = stamp(body, (existing or {}).get("msft:_created"))
        app.store.put("collection", "", collection_id, doc)
        if existing is None:
            stac_config.initialize(app, collection_id)
    return Response.json(present_collection(app, doc, request.base_url))


def delete_collection(app: "GeoCatalog", request: Request) -> Response:
    collection_id = request.params["collection_id"]
    require_collection(app, collection_id)

    def work() -> None:
        store = app.store
        store.delete_children("item", collection_id)
        stac_config.remove(app, collection_id)
        for _, ingestion in store.list("ingestion", collection_id):
            store.delete_children("run", f"{collection_id}/{ingestion.get('id')}")
        store.delete_children("ingestion", collection_id)
        store.delete("collection", "", collection_id)
        shutil.rmtree(store.blob_path(collection_id, ""), ignore_errors=True)

    op = app.operations.start("DeleteCollection", work, collection_id=collection_id)
    return app.operation_response(op, request.base_url)


# -- items -----------------------------------------------------------------------------------


def get_item(app: "GeoCatalog", request: Request) -> Response:
    sign, minutes = signing(request)
    doc = require_item(app, request.params["collection_id"], request.params["item_id"])
    return Response.json(present_item(app, doc, request.base_url, sign=sign, minutes=minutes), headers=GEOJSON_TYPE)


def create_items(app: "GeoCatalog", request: Request) -> Response:
    """An Item or a FeatureCollection of items: all are added (assets copied), or none."""
    collection_id = request.params["collection_id"]
    require_collection(app, collection_id)
    body = request.json()
    kind = body.get("type") if isinstance(body, dict) else None
    if kind == "FeatureCollection":
        features = body.get("features")
        if not isinstance(features, list):
            raise invalid("A FeatureCollection needs a list of features.")
    elif kind == "Feature":
        features = [body]
    else:
        raise invalid("Send a STAC Item (type 'Feature') or an ItemCollection (type 'FeatureCollection').")
    for feature in features:
        refuse_escaping_keys(feature)

    def work() -> None:
        docs = [check_item(feature, collection_id) for feature in features]
        ids = [doc["id"] for doc in docs]
        repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
        if repeated:
            raise invalid(f"Item id(s) sent more than once: {', '.join(repeated)}.")
        _refuse_taken(app, collection_id, ids)  # before copying: never overwrite a stored item's files
        for doc in docs:
            ingest_assets(app, collection_id, doc, request.base_url)
        with app.store.write_lock:
            require_collection(app, collection_id)
            taken = app.store.insert_many("item", collection_id, [(doc["id"], doc) for doc in docs])
            if taken is not None:  # stored meanwhile: nothing was written
                raise conflict("Item", taken)

    op = app.operations.start("AddItem", work, collection_id=collection_id, items=len(features))
    return app.operation_response(op, request.base_url)


def _refuse_taken(app: "GeoCatalog", collection_id: str, ids: List[str]) -> None:
    for item_id in ids:
        if app.store.get("item", collection_id, item_id) is not None:
            raise conflict("Item", item_id)


def _store_item(app: "GeoCatalog", collection_id: str, doc: Dict[str, Any]) -> None:
    """Create or replace an item; files of the old version it no longer points at are deleted."""
    with app.store.write_lock:
        require_collection(app, collection_id)
        old = app.store.get("item", collection_id, doc["id"])
        app.store.put("item", collection_id, doc["id"], doc)
    if old is not None:
        remove_files(app, collection_id, old, keep=doc)


def replace_item(app: "GeoCatalog", request: Request) -> Response:
    """Create or replace an item (its assets copied)."""
    collection_id, item_id = request.params["collection_id"], request.params["item_id"]
    require_collection(app, collection_id)
    body = request.json()
    refuse_escaping_keys(body)
    return _start_update(app, request, collection_id, lambda: check_item(body, collection_id, item_id))


def update_item(app: "GeoCatalog", request: Request) -> Response:
    """A JSON merge patch (RFC 7396) of an item (new assets copied)."""
    collection_id, item_id = request.params["collection_id"], request.params["item_id"]
    require_item(app, collection_id, item_id)
    patch = request.json()
    if not isinstance(patch, dict):
        raise invalid("A merge patch of an item is a JSON object.")
    refuse_escaping_keys(patch)

    def patched() -> Dict[str, Any]:
        return check_item(merge_patch(require_item(app, collection_id, item_id), patch), collection_id, item_id)

    return _start_update(app, request, collection_id, patched)


def _start_update(
    app: "GeoCatalog", request: Request, collection_id: str, new_item: Callable[[], Dict[str, Any]]
) -> Response:
    """An ``UpdateItem`` operation storing the item ``new_item`` checks (run in the operation), assets copied."""

    def work() -> None:
        doc = new_item()
        ingest_assets(app, collection_id, doc, request.base_url)
        _store_item(app, collection_id, doc)

    op = app.operations.start("UpdateItem", work, collection_id=collection_id, items=1)
    return app.operation_response(op, request.base_url)


def delete_item(app: "GeoCatalog", request: Request) -> Response:
    """Delete an item and its copied files."""
    collection_id, item_id = request.params["collection_id"], request.params["item_id"]
    require_item(app, collection_id, item_id)

    def work() -> None:
        with app.store.write_lock:
            doc = require_item(app, collection_id, item_id)
            app.store.delete("item", collection_id, item_id)
        remove_files(app, collection_id, doc)

    op = app.operations.start("DeleteItem", work, collection_id=collection_id, items=1)
    return app.operation_response(op, request.base_url)


# -- routes ----------------------------------------------------------------------------------


def routes(app: "GeoCatalog") -> Router:
    router = Router()

    def bind(method: str, path: str, handler: Callable[["GeoCatalog", Request], Response]) -> None:
        router.add(method, path, lambda request: handler(app, request))

    collection = "/stac/collections/{collection_id}"
    bind("GET", "/stac", landing_page)
    bind("GET", "/stac/", landing_page)
    bind("GET", "/stac/conformance", conformance)
    router.include(stac_openapi.routes())
    bind("GET", "/stac/search", search_get)
    bind("POST", "/stac/search", search_post)
    bind("GET", "/stac/collections", list_collections)
    bind("POST", "/stac/collections", create_collection)
    router.include(stac_config.routes(app, lambda collection_id: require_collection(app, collection_id)))
    bind("POST", collection + "/assets", lambda a, r: put_asset(a, r, replace=False))
    bind("PUT", collection + "/assets/{asset_id}", lambda a, r: put_asset(a, r, replace=True))
    bind("DELETE", collection + "/assets/{asset_id}", delete_asset)
    bind("GET", collection + "/thumbnail", get_thumbnail)
    bind("GET", collection + "/items/{item_id}", get_item)
    bind("PUT", collection + "/items/{item_id}", replace_item)
    bind("PATCH", collection + "/items/{item_id}", update_item)
    bind("DELETE", collection + "/items/{item_id}", delete_item)
    bind("GET", collection + "/items", list_items)
    bind("POST", collection + "/items", create_items)
    bind("GET", collection, get_collection)
    bind("PUT", collection, replace_collection)
    bind("DELETE", collection, delete_collection)
    return router
