"""What the STAC routes share: the collection or item a request names (404 when there is none),
its signing parameters, links that carry its query, and the service's timestamps on writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple
from urllib.parse import urlencode

from . import stac_config
from .errors import bad_request, not_found
from .http import Request
from .operations import now

if TYPE_CHECKING:
    from .catalog import GeoCatalog

API_VERSION = stac_config.API_VERSION



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


def with_query(url: str, query: Mapping[str, List[str]], **changes: str) -> str:
    """``url`` with a request's query parameters, some replaced."""
    params = {k: list(v) for k, v in query.items() if k not in changes}
    params.update({k: [v] for k, v in changes.items()})
    params.setdefault("api-version", [API_VERSION])
    return f"{url}?{urlencode(params, doseq=True)}"


def stamp(doc: Dict[str, Any], created: Optional[str] = None) -> Dict[str, Any]:
    stamp = now()
    doc["msft:_created"] = created or stamp
    doc["msft:_updated"] = stamp
    return doc
