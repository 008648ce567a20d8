"""Routes of the STAC API: landing page, conformance, collections (with their uploaded assets and
thumbnail), items and item search. Configuration and queryables are in :mod:`.stac_config`;
search semantics in :mod:`.stac_search`; document checks, links and signing in
:mod:`.stac_documents`.

Writes of collections and items answer 202 with a background operation, as the service does:
creating (``AddCollection``, ``AddItem``), replacing and patching (``UpdateItem``) and deleting
(``DeleteCollection``, ``DeleteItem``). Unknown collections and items are refused at once (404);
what is wrong with an item's content (or an id that is taken, or an asset that cannot be read)
fails the operation with a code. Item assets are copied into managed storage
(:mod:`.stac_item_assets`).
"""

from __future__ import annotations

import json
import mimetypes
import re
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Mapping, Optional, Tuple
from urllib.parse import quote, urlencode, urlparse

from . import stac_config, stac_openapi
from .errors import ApiError, bad_request, conflict, not_found
from .http import Request, Response, Router
from .multipart import Part, parse_form
from .operations import now
from .search_sql import find, search_page
from .service_headers import created_at
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
from .stac_search import Page, Search, token_candidates

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
#: Item, item collection and search answers are GeoJSON.
GEOJSON_TYPE = {"Content-Type": GEOJSON}
#: Query parameters of a collection's item listing (the rest are ignored, as by the service).
ITEM_LIST_PARAMS = ("bbox", "datetime", "limit", "token")
_ASSET_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


# -- shared helpers --------------------------------------------------------------------------


def require_collection(app: "GeoCatalog", collection_id: str) -> Dict[str, Any]:
    found = app.store.get("collection", "", collection_id)
    if found is None:
        raise not_found("Collection", collection_id)
    return found


def require_item(app: "GeoCatalog", collection_id: str, item_id: str) -> Dict[str, Any]:
    require_collection(app, collection_id)
    found = app.store.get("item", collection_id, item_id)
    if found is None:
        raise not_found("Item", item_id)
    return found


def signing(request: Request) -> Tuple[bool, Optional[int]]:
    """The ``sign`` (``true``/``false``) and ``duration`` (minutes) query parameters."""
    sign = (request.arg("sign") or "false").lower()
    if sign not in ("true", "false"):
        raise bad_request(f"Invalid sign '{request.arg('sign')}': use true or false.")
    minutes = request.int_arg("duration")
    if minutes is not None and minutes < 1:
        raise bad_request(f"Invalid duration {minutes}: a positive number of minutes.")
    return sign == "true", minutes


def _with_query(url: str, query: Mapping[str, List[str]], **changes: str) -> str:
    """``url`` with a request's query parameters, some replaced."""
    params = {k: list(v) for k, v in query.items() if k not in changes}
    params.update({k: [v] for k, v in changes.items()})
    params.setdefault("api-version", [API_VERSION])
    return f"{url}?{urlencode(params, doseq=True)}"


def _stamp(doc: Dict[str, Any], created: Optional[str] = None) -> Dict[str, Any]:
    stamp = now()
    doc["msft:_created"] = created or stamp
    doc["msft:_updated"] = stamp
    return doc


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


def _keep_uploaded_assets(body: Dict[str, Any], stored: Optional[Mapping[str, Any]]) -> None:
    """Collection-level assets come from uploads: the body may restate those, not add new ones."""
    sent = body.pop("assets", None) or {}
    if not isinstance(sent, Mapping):
        raise invalid("The collection's assets must be an object.", "Collection")
    stored = stored or {}
    new = sorted(set(sent) - set(stored))
    if new:
        raise invalid(
            f"Collection assets ({', '.join(new)}) cannot be set in the collection body: upload each with "
            f"POST /stac/collections/{body['id']}/assets (multipart: data + file).",
            "Collection",
        )
    if stored:
        body["assets"] = {
            key: {**(sent.get(key) or {}), "href": asset["href"]} if isinstance(sent.get(key), Mapping) else asset
            for key, asset in stored.items()
        }


def create_collection(app: "GeoCatalog", request: Request) -> Response:
    body = check_collection(request.json())
    _keep_uploaded_assets(body, None)
    collection_id = body["id"]

    def work() -> None:
        if not app.store.insert("collection", "", collection_id, _stamp(dict(body))):
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
        _keep_uploaded_assets(body, (existing or {}).get("assets"))
        doc = _stamp(body, (existing or {}).get("msft:_created"))
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


# -- collection assets -----------------------------------------------------------------------


def _asset_upload(request: Request, key: Optional[str]) -> Tuple[Dict[str, Any], Part]:
    """The asset metadata (``data`` part, JSON) and the file (``file`` part) of an upload."""
    form = parse_form(request.headers.get("content-type", ""), request.body)
    if "data" not in form or "file" not in form:
        raise bad_request("An asset upload has two parts: 'data' (the asset's JSON metadata) and 'file'.")
    try:
        meta = json.loads(form["data"].text())
    except ValueError as exc:
        raise bad_request(f"The 'data' part is not JSON: {exc}") from None
    if not isinstance(meta, dict):
        raise bad_request("The 'data' part must be a JSON object with the asset's key, type, roles, title.")
    if key is not None:
        meta.setdefault("key", key)
        if meta["key"] != key:
            raise bad_request(f"The asset key '{meta['key']}' differs from the URL's '{key}'.")
    if not isinstance(meta.get("key"), str) or not _ASSET_KEY.match(meta["key"]):
        raise bad_request("The asset needs a key: letters, digits, '.', '_' or '-' (e.g. 'thumbnail').")
    return meta, form["file"]


def _extension(upload: Part, media_type: Optional[str], href: Any) -> str:
    """The stored file's extension: the upload's file name's, else the media type's, else the href's."""
    suffix = Path(upload.filename or "").suffix
    if suffix:
        return suffix.lower()
    guessed = mimetypes.guess_extension(media_type.split(";")[0].strip()) if media_type else None
    if guessed:
        return guessed
    return Path(urlparse(href).path).suffix.lower() if isinstance(href, str) else ""


def _write_asset(app: "GeoCatalog", collection_id: str, meta: Dict[str, Any], upload: Part) -> Dict[str, Any]:
    """Store the uploaded file in the collection's container; the asset pointing at it."""
    key = meta["key"]
    media_type = meta.get("type")
    if not media_type and upload.content_type and upload.content_type != "application/octet-stream":
        media_type = upload.content_type
    name = f"collection-assets/{key}/{key}{_extension(upload, media_type, meta.get('href'))}"
    app.store.write_blob(collection_id, name, upload.data)
    asset: Dict[str, Any] = {"href": app.blob_url("", collection_id, name)}  # host-relative: see rebase_href
    asset.update({k: v for k, v in meta.items() if k not in ("key", "href") and v is not None})
    if media_type:
        asset["type"] = media_type
    elif mimetypes.guess_type(name)[0]:
        asset["type"] = mimetypes.guess_type(name)[0]
    return asset


def _remove_asset_file(app: "GeoCatalog", collection_id: str, asset: Any) -> None:
    href = asset.get("href") if isinstance(asset, Mapping) else None
    path = app.local_blob_path(href) if isinstance(href, str) else None
    if path is not None and app.store.blob_path(collection_id, "") in path.parents:
        path.unlink(missing_ok=True)


def put_asset(app: "GeoCatalog", request: Request, *, replace: bool) -> Response:
    collection_id = request.params["collection_id"]
    require_collection(app, collection_id)
    meta, upload = _asset_upload(request, request.params.get("asset_id") if replace else None)
    with app.store.write_lock:
        collection = require_collection(app, collection_id)
        assets = collection.setdefault("assets", {})
        previous = assets.get(meta["key"])
        if previous is not None and not replace:
            raise conflict("Asset", meta["key"])
        asset = _write_asset(app, collection_id, meta, upload)
        if previous is not None and previous.get("href") != asset["href"]:
            _remove_asset_file(app, collection_id, previous)
        assets[meta["key"]] = asset
        app.store.put("collection", "", collection_id, _stamp(collection, collection.get("msft:_created")))
    body = present_collection(app, collection, request.base_url)
    if replace:
        return Response.json(body)
    return Response.json(body, 201, created_at(request, f"{request.path}/{quote(meta['key'], safe='')}"))


def delete_asset(app: "GeoCatalog", request: Request) -> Response:
    collection_id, key = request.params["collection_id"], request.params["asset_id"]
    with app.store.write_lock:
        collection = require_collection(app, collection_id)
        asset = (collection.get("assets") or {}).pop(key, None)
        if asset is None:
            raise not_found("Asset", key)
        _remove_asset_file(app, collection_id, asset)
        app.store.put("collection", "", collection_id, _stamp(collection, collection.get("msft:_created")))
    return Response.json(present_collection(app, collection, request.base_url))


def get_thumbnail(app: "GeoCatalog", request: Request) -> Response:
    """The file of the collection's thumbnail asset (key ``thumbnail``, else role ``thumbnail``)."""
    collection_id = request.params["collection_id"]
    assets = require_collection(app, collection_id).get("assets") or {}
    asset = assets.get("thumbnail") or next(
        (a for a in assets.values() if isinstance(a, Mapping) and "thumbnail" in (a.get("roles") or [])), None
    )
    if not isinstance(asset, Mapping):
        raise ApiError(404, "ThumbnailNotFound", f"Collection '{collection_id}' has no thumbnail asset.")
    path = app.local_blob_path(str(asset.get("href")))
    if path is None:
        raise ApiError(
            404, "ThumbnailNotFound", f"The thumbnail of '{collection_id}' is not a file stored in this catalog."
        )
    media_type = asset.get("type") or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Response(200, _file_chunks(path), {"Content-Type": media_type})


def _file_chunks(path: Path, size: int = 64 * 1024) -> Iterator[bytes]:
    with path.open("rb") as source:
        while True:
            chunk = source.read(size)
            if not chunk:
                return
            yield chunk


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

    def work() -> None:
        doc = check_item(body, collection_id, item_id)
        ingest_assets(app, collection_id, doc, request.base_url)
        _store_item(app, collection_id, doc)

    op = app.operations.start("UpdateItem", work, collection_id=collection_id, items=1)
    return app.operation_response(op, request.base_url)


def update_item(app: "GeoCatalog", request: Request) -> Response:
    """A JSON merge patch (RFC 7396) of an item (new assets copied)."""
    collection_id, item_id = request.params["collection_id"], request.params["item_id"]
    require_item(app, collection_id, item_id)
    patch = request.json()
    if not isinstance(patch, dict):
        raise invalid("A merge patch of an item is a JSON object.")
    refuse_escaping_keys(patch)

    def work() -> None:
        current = require_item(app, collection_id, item_id)
        doc = check_item(merge_patch(current, patch), collection_id, item_id)
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


# -- listing and search ----------------------------------------------------------------------


def run_search(app: "GeoCatalog", search: Search) -> Page:
    """The page of stored items a search selects (after the item its token names)."""
    return search_page(app.store, search, _token_item(app, search.token) if search.token else None)


def _token_item(app: "GeoCatalog", token: str) -> Dict[str, Any]:
    for collection_id, item_id in token_candidates(token):
        found = app.store.get("item", collection_id, item_id)
        if found is not None:
            return found
    raise bad_request(
        f"The paging token '{token}' names an item that no longer exists: search again without a token.",
        code="InvalidToken",
    )


def _item_collection(
    app: "GeoCatalog", request: Request, search: Search, page: Page, links: List[Dict[str, Any]]
) -> Response:
    sign, minutes = signing(request)
    features = [
        present_item(app, doc, request.base_url, sign=sign, minutes=minutes, fields=search.fields) for doc in page.items
    ]
    # As the service: no numberMatched, numberReturned or context (counting every match costs a full scan).
    return Response.json({"type": "FeatureCollection", "features": features, "links": links}, headers=GEOJSON_TYPE)


def list_items(app: "GeoCatalog", request: Request) -> Response:
    """A collection's items (``bbox``, ``datetime``, ``limit``; ``token`` from the ``next`` link)."""
    collection_id = request.params["collection_id"]
    require_collection(app, collection_id)
    search = Search.from_query({k: v for k, v in request.query.items() if k in ITEM_LIST_PARAMS})
    search.collections = [collection_id]
    page = run_search(app, search)
    base = request.base_url
    collection_url = stac_url(base, "collections", collection_id)
    links = [
        link("collection", collection_url),
        link("parent", collection_url),
        link("root", stac_url(base)),
        link("self", stac_url(base, "collections", collection_id, "items"), GEOJSON),
    ]
    if page.next_token:
        href = _with_query(stac_url(base, "collections", collection_id, "items"), request.query, token=page.next_token)
        links.append(link("next", href, GEOJSON, method="GET"))
    return _item_collection(app, request, search, page, links)


def search_get(app: "GeoCatalog", request: Request) -> Response:
    search = Search.from_query(request.query)
    page = run_search(app, search)
    links = _search_links(request)
    if page.next_token:
        href = _with_query(stac_url(request.base_url, "search"), request.query, token=page.next_token)
        links.append(link("next", href, GEOJSON, method="GET"))
    return _item_collection(app, request, search, page, links)


def search_post(app: "GeoCatalog", request: Request) -> Response:
    body = request.json() if request.body.strip() else {}
    search = Search.from_body(body)
    page = run_search(app, search)
    links = _search_links(request)
    if page.next_token:
        href = _with_query(stac_url(request.base_url, "search"), request.query)
        next_body = {**body, "token": page.next_token}  # the whole search, as the service sends it (no merge)
        links.append(link("next", href, GEOJSON, method="POST", body=next_body))
    return _item_collection(app, request, search, page, links)


def _search_links(request: Request) -> List[Dict[str, Any]]:
    return [
        link("root", stac_url(request.base_url)),
        link("self", f"{stac_url(request.base_url, 'search')}?api-version={API_VERSION}"),
    ]


def find_items(app: "GeoCatalog", search: Dict[str, Any], *, limit: Optional[int] = None) -> List[Dict[str, Any]]:
    """Items matching a STAC search body (collections, ids, bbox, intersects, datetime, filter, query,
    sortby), in its order (newest first by default), as stored (no links). Shared with the data
    API's mosaics. The body's own ``limit`` and ``token`` are ignored: ``limit`` caps the result.

    :raises ApiError: 400 when the search is invalid.
    """
    parsed = Search.from_body({k: v for k, v in (search or {}).items() if k not in ("limit", "token")})
    return find(app.store, parsed, limit if limit is not None else sys.maxsize)


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
