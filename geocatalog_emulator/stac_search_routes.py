"""Pages of items: a collection's item listing and item search (GET and POST), with their ``next``
links; and :func:`find_items`, the search the data API's mosaics run. The search's meaning is in
:mod:`.stac_search`, its SQL in :mod:`.search_sql`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from .errors import bad_request
from .http import Request, Response
from .search_sql import find, search_page
from .stac_documents import GEOJSON, link, present_item, stac_url
from .stac_requests import API_VERSION, require_collection, signing, with_query
from .stac_search import Page, Search, token_candidates

if TYPE_CHECKING:
    from .catalog import GeoCatalog

#: Item, item collection and search answers are GeoJSON.
GEOJSON_TYPE = {"Content-Type": GEOJSON}
#: Query parameters of a collection's item listing (the rest are ignored, as by the service).
ITEM_LIST_PARAMS = ("bbox", "datetime", "limit", "token")


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
        href = with_query(stac_url(base, "collections", collection_id, "items"), request.query, token=page.next_token)
        links.append(link("next", href, GEOJSON, method="GET"))
    return _item_collection(app, request, search, page, links)


def search_get(app: "GeoCatalog", request: Request) -> Response:
    search = Search.from_query(request.query)
    page = run_search(app, search)
    links = _search_links(request)
    if page.next_token:
        href = with_query(stac_url(request.base_url, "search"), request.query, token=page.next_token)
        links.append(link("next", href, GEOJSON, method="GET"))
    return _item_collection(app, request, search, page, links)


def search_post(app: "GeoCatalog", request: Request) -> Response:
    body = request.json() if request.body.strip() else {}
    search = Search.from_body(body)
    page = run_search(app, search)
    links = _search_links(request)
    if page.next_token:
        href = with_query(stac_url(request.base_url, "search"), request.query)
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
