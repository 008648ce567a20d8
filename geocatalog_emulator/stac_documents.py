"""STAC collection and item documents: checking what clients send, and what the service answers.

Stored documents are what the client sent, normalized (``collection`` set on items, service
timestamps added), without the links the service generates. On the way out, :func:`present_item`
and :func:`present_collection` add those links for the request's base URL, rebase emulator blob
hrefs stored host-relative (``/blobs/...``) and, with ``sign=true``, sign asset hrefs.
"""

from __future__ import annotations

import copy
import re
import uuid
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Set
from urllib.parse import quote

from shapely.geometry import shape

from .errors import ApiError, bad_request
from .item_index import parse_instant
from .operations import now
from .stac_fields import Fields

if TYPE_CHECKING:
    from .catalog import GeoCatalog

STAC_VERSION = "1.0.0"
JSON = "application/json"
GEOJSON = "application/geo+json"
#: Link relations the service writes itself (client-sent links with these are replaced).
COLLECTION_RELS = {"self", "root", "parent", "items"}
ITEM_RELS = {"self", "root", "parent", "collection"}
#: Collection ids name blob containers and URL segments; item ids only need to fit in one segment.
_IDS = {
    "Collection": (
        re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:~-]*$"),
        "use letters, digits and . _ : ~ - (starting with a letter or digit)",
    ),
    "Item": (
        re.compile(r"^(?!\.\.?$)[^/\\\x00-\x1f]+$"),
        "use a non-empty name without '/', '\\' or control characters",
    ),
}


def invalid(message: str, what: str = "Item") -> ApiError:
    return bad_request(message, code=f"Invalid{what}")


# -- links -----------------------------------------------------------------------------------


def stac_url(base_url: str, *segments: str) -> str:
    """``{base}/stac/collections/{id}`` with each segment percent-encoded (``/stac/`` for none)."""
    return f"{base_url}/stac/" + "/".join(quote(s, safe="") for s in segments)


def link(rel: str, href: str, media_type: str = JSON, **extra: Any) -> Dict[str, Any]:
    return {"rel": rel, "type": media_type, "href": href, **extra}


def collection_links(base_url: str, collection_id: str) -> List[Dict[str, Any]]:
    root = stac_url(base_url)
    return [
        link("items", stac_url(base_url, "collections", collection_id, "items"), GEOJSON),
        link("parent", root),
        link("root", root),
        link("self", stac_url(base_url, "collections", collection_id)),
    ]


def item_links(base_url: str, collection_id: str, item_id: str) -> List[Dict[str, Any]]:
    collection = stac_url(base_url, "collections", collection_id)
    return [
        link("collection", collection),
        link("parent", collection),
        link("root", stac_url(base_url)),
        link("self", stac_url(base_url, "collections", collection_id, "items", item_id), GEOJSON),
    ]


def _own_links(links: Any, generated: Set[str]) -> List[Any]:
    """Client-sent links other than those the service generates."""
    return [x for x in links or [] if not (isinstance(x, Mapping) and x.get("rel") in generated)]


# -- asset hrefs -----------------------------------------------------------------------------


def rebase_href(href: Any, base_url: str) -> Any:
    """A host-relative emulator blob href (``/blobs/...``) made absolute for this request."""
    if isinstance(href, str) and href.startswith("/blobs/"):
        return base_url + href
    return href


def finish_assets(
    app: "GeoCatalog", assets: Any, base_url: str, sign: bool, minutes: Optional[int]
) -> Dict[str, Any]:
    """Assets with absolute hrefs, signed (``app.sign``) when asked."""
    if not isinstance(assets, Mapping):
        return {}
    out: Dict[str, Any] = {}
    for key, asset in assets.items():
        if isinstance(asset, Mapping) and "href" in asset:
            asset = dict(asset)
            asset["href"] = rebase_href(asset["href"], base_url)
            if sign and isinstance(asset["href"], str):
                asset["href"] = app.sign(asset["href"], minutes)
        out[key] = asset
    return out


# -- presenting ------------------------------------------------------------------------------


def present_collection(
    app: "GeoCatalog", doc: Mapping[str, Any], base_url: str, *, sign: bool = False, minutes: Optional[int] = None
) -> Dict[str, Any]:
    """A stored collection as the service answers it: generated links, absolute (signed) hrefs."""
    out = copy.deepcopy(dict(doc))
    out["links"] = collection_links(base_url, out["id"]) + _own_links(out.get("links"), COLLECTION_RELS)
    if "assets" in out:
        out["assets"] = finish_assets(app, out["assets"], base_url, sign, minutes)
    return out


def present_item(
    app: "GeoCatalog",
    doc: Mapping[str, Any],
    base_url: str,
    *,
    sign: bool = False,
    minutes: Optional[int] = None,
    fields: Optional[Fields] = None,
) -> Dict[str, Any]:
    """A stored item as the service answers it: generated links, absolute (signed) hrefs, fields."""
    # A top-level copy is enough: links and assets are rebuilt, fields copy what they change, and the
    # rest is only serialized (a deep copy of each item was most of a 500-item page's time).
    out = dict(doc)
    out["links"] = item_links(base_url, out["collection"], out["id"]) + _own_links(out.get("links"), ITEM_RELS)
    out["assets"] = finish_assets(app, out.get("assets"), base_url, sign, minutes)
    return fields.apply(out) if fields is not None else out


# -- checking what clients send --------------------------------------------------------------


def check_id(value: Any, what: str) -> str:
    pattern, rule = _IDS[what]
    if not isinstance(value, str) or not pattern.match(value):
        raise invalid(f"Invalid {what.lower()} id {value!r}: {rule}.", what)
    return value


def check_collection(body: Any, collection_id: Optional[str] = None) -> Dict[str, Any]:
    """A collection to store: an object with ``id``, ``description``, ``license`` and ``extent``."""
    if not isinstance(body, Mapping):
        raise invalid("The collection must be a JSON object.", "Collection")
    doc = copy.deepcopy(dict(body))
    if collection_id is not None:
        doc.setdefault("id", collection_id)
        if doc["id"] != collection_id:
            raise invalid(f"The body's id '{doc['id']}' differs from the URL's '{collection_id}'.", "Collection")
    check_id(doc.get("id"), "Collection")
    if doc.setdefault("type", "Collection") != "Collection":
        raise invalid(f"A collection has type 'Collection', not {doc['type']!r}.", "Collection")
    missing = [name for name in ("description", "license", "extent") if name not in doc]
    if missing:
        raise invalid(f"The collection lacks required field(s): {', '.join(missing)}.", "Collection")
    if not isinstance(doc["extent"], Mapping):
        raise invalid("The collection's extent must be an object with spatial and temporal extents.", "Collection")
    if not isinstance(doc.setdefault("links", []), list):
        raise invalid("The collection's links must be a list.", "Collection")
    doc.setdefault("stac_version", STAC_VERSION)
    doc["links"] = _own_links(doc["links"], COLLECTION_RELS)
    for key in ("msft:_created", "msft:_updated"):
        doc.pop(key, None)
    return doc


def check_item(body: Any, collection_id: str, item_id: Optional[str] = None) -> Dict[str, Any]:
    """An item to store (minimal STAC shape), with ``collection``, ``_msft:ts`` and ``_msft:etag`` set.

    :raises ApiError: 400 ``InvalidItem`` saying what is wrong.
    """
    if not isinstance(body, Mapping):
        raise invalid("An item must be a JSON object.")
    doc = copy.deepcopy(dict(body))
    if item_id is not None:
        doc.setdefault("id", item_id)
        if doc["id"] != item_id:
            raise invalid(f"The item's id '{doc['id']}' differs from the URL's '{item_id}'.")
    name = check_id(doc.get("id"), "Item")
    if doc.get("type") != "Feature":
        raise invalid(f"Item '{name}': type must be 'Feature'.")
    if doc.setdefault("collection", collection_id) != collection_id:
        raise invalid(f"Item '{name}': its collection '{doc['collection']}' is not '{collection_id}'.")
    _check_geometry(doc, name)
    _check_properties(doc.get("properties"), name)
    if not isinstance(doc.setdefault("assets", {}), Mapping):
        raise invalid(f"Item '{name}': assets must be an object.")
    if not isinstance(doc.setdefault("links", []), list):
        raise invalid(f"Item '{name}': links must be a list.")
    doc.setdefault("stac_version", STAC_VERSION)
    doc["links"] = _own_links(doc["links"], ITEM_RELS)
    doc["_msft:ts"] = now()
    doc["_msft:etag"] = str(uuid.uuid4())
    return doc


def _check_geometry(doc: Dict[str, Any], name: str) -> None:
    try:
        geometry = shape(doc.get("geometry"))
    except Exception:
        raise invalid(f"Item '{name}': geometry must be a GeoJSON geometry.") from None
    bbox = doc.get("bbox")
    if bbox is None:
        doc["bbox"] = list(geometry.bounds)
    elif not (isinstance(bbox, list) and len(bbox) in (4, 6) and all(isinstance(v, (int, float)) for v in bbox)):
        raise invalid(f"Item '{name}': bbox must be 4 or 6 numbers.")


def _check_properties(props: Any, name: str) -> None:
    if not isinstance(props, Mapping):
        raise invalid(f"Item '{name}': properties must be an object.")
    try:
        if props.get("datetime") is not None:
            parse_instant(props["datetime"], "properties.datetime")
        elif props.get("start_datetime") is None or props.get("end_datetime") is None:
            raise invalid(f"Item '{name}': properties need a datetime, or start_datetime and end_datetime.")
        for key in ("start_datetime", "end_datetime"):
            if props.get(key) is not None:
                parse_instant(props[key], f"properties.{key}")
    except ApiError as exc:
        raise invalid(f"Item '{name}': {exc.message}") from None


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch: objects merge recursively, ``null`` removes, anything else replaces."""
    if not isinstance(patch, Mapping):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out
