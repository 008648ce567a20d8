"""Routes of the stac API (to be filled)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional

from .http import Router

if TYPE_CHECKING:
    from .app import GeoCatalog


def find_items(app: "GeoCatalog", search: Dict[str, Any], *, limit: Optional[int] = None) -> List[Dict[str, Any]]:
    """Items matching a STAC search body (collections, ids, bbox, intersects, datetime, filter, sortby).

    Shared with the data API's mosaics. (Stand-in until search is implemented: collections only.)
    """
    found: List[Dict[str, Any]] = []
    for collection in search.get("collections") or [c["id"] for _, c in app.store.list("collection", "")]:
        found.extend(doc for _, doc in app.store.list("item", collection))
    return found[:limit] if limit is not None else found


def routes(app: "GeoCatalog") -> Router:
    router = Router()
    return router
