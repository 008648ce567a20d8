"""STAC item search: parsing the parameters, matching items, sorting, and keyset paging.

Shared by ``GET/POST /stac/search``, a collection's ``/items`` listing and the data API's mosaics
(through ``stac_search_routes.find_items``); the search runs in SQL (:mod:`.search_sql`), the
criteria are in :mod:`.stac_criteria`, the order in :mod:`.stac_sorting`, the fields extension in
:mod:`.stac_fields`. Semantics follow STAC API item-search with the filter (CQL2
text and JSON), query, sort and fields extensions, as the service (pgstac) implements them:

- ``bbox`` (4 or 6 numbers; west > east crosses the antimeridian) and ``intersects`` (a GeoJSON
  geometry) select items whose geometry intersects; they cannot be combined.
- ``datetime`` is an RFC 3339 date-time or an interval ``a/b`` with ``..`` (or nothing) for an open
  end (a date alone, no time zone or a ``,`` fraction are 400); an item's time is
  ``properties.datetime`` or its ``start_datetime``/``end_datetime`` range, and it matches when
  the two overlap (ends included).
- ``filter`` is evaluated with the ``cql2`` package against the whole item, so ``id``,
  ``collection``, ``geometry`` and every property (``datetime``, ``eo:cloud_cover`` ...) are
  queryable; an expression that cannot be decided for an item (a missing property) does not match.
  A range item's ``datetime`` (for filters and sorting) is its ``start_datetime``, as in pgstac.
- The default order is ``datetime`` descending; ``id`` descending then ``collection`` break ties,
  which makes the order total so that a page token can say "after this item".
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

import cql2
from shapely.geometry.base import BaseGeometry

from .errors import bad_request
from .stac_criteria import (
    Interval,
    filter_matches,
    item_geometry,
    overlaps,
    parse_bbox,
    parse_filter,
    parse_geometry,
    parse_interval,
    query_to_cql2,
)
from .stac_fields import Fields, parse_fields
from .stac_sorting import DEFAULT_SORT, parse_sortby, sort_key

DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
TOKEN_PREFIX = "next:"
#: Search parameters read the same way from a body and a query: Search._build's name -> wire name.
_WIRE_NAMES = {
    "bbox": "bbox",
    "intersects": "intersects",
    "datetime": "datetime",
    "filter": "filter",
    "filter_lang": "filter-lang",
    "filter_crs": "filter-crs",
    "query": "query",
    "sortby": "sortby",
    "limit": "limit",
    "token": "token",
    "fields": "fields",
}


# -- the search ------------------------------------------------------------------------------


@dataclass
class Search:
    """A parsed STAC search. Build it with :meth:`from_body` or :meth:`from_query`."""

    collections: Optional[List[str]] = None
    ids: Optional[List[str]] = None
    area: Optional[BaseGeometry] = None
    interval: Optional[Interval] = None
    filter: Optional[cql2.Expr] = None
    sortby: List[Tuple[str, bool]] = field(default_factory=lambda: list(DEFAULT_SORT))
    limit: int = DEFAULT_LIMIT
    token: Optional[str] = None
    fields: Optional[Fields] = None

    @classmethod
    def from_body(cls, body: Any) -> "Search":
        """From a POST /stac/search body (wire names: ``bbox``, ``filter-lang``, ...)."""
        if not isinstance(body, Mapping):
            raise bad_request("The search body must be a JSON object.")
        return cls._build(
            collections=_strings(body.get("collections"), "collections"),
            ids=_strings(body.get("ids"), "ids"),
            **{name: body.get(wire) for name, wire in _WIRE_NAMES.items()},
            fields_sent="fields" in body,
            json_body=True,
        )

    @classmethod
    def from_query(cls, query: Mapping[str, List[str]]) -> "Search":
        """From GET query parameters (comma-separated lists; ``intersects`` and ``query`` as JSON text)."""

        def first(name: str) -> Optional[str]:
            values = query.get(name)
            return values[0] if values else None

        def listed(name: str) -> Optional[List[str]]:
            if name not in query:
                return None
            return [v.strip() for value in query[name] for v in value.split(",") if v.strip()]

        params: Dict[str, Any] = {name: first(wire) for name, wire in _WIRE_NAMES.items()}
        params["bbox"] = listed("bbox")
        return cls._build(
            collections=listed("collections"),
            ids=listed("ids"),
            **params,
            fields_sent="fields" in query,
            json_body=False,
        )

    @classmethod
    def _build(cls, **p: Any) -> "Search":
        search = cls(collections=p["collections"], ids=p["ids"], token=p["token"] or None)
        if p["bbox"] is not None and p["intersects"] is not None:
            raise bad_request("Use either bbox or intersects, not both.")
        if p["bbox"] is not None:
            search.area = parse_bbox(p["bbox"], json_numbers=p["json_body"])
        if p["intersects"] is not None:
            search.area = parse_geometry(p["intersects"])
        if p["datetime"]:
            search.interval = parse_interval(p["datetime"])
        if p["filter_crs"] and "4326" not in str(p["filter_crs"]) and "CRS84" not in str(p["filter_crs"]):
            raise bad_request(f"Unsupported filter-crs '{p['filter_crs']}': filters are in WGS 84.")
        search.filter = _combined_filter(p["filter"], p["filter_lang"], p["query"])
        search.sortby = parse_sortby(p["sortby"])
        search.limit = parse_limit(p["limit"])
        search.fields = parse_fields(p["fields"], sent=p["fields_sent"])
        return search

    def matches(self, item: Mapping[str, Any]) -> bool:
        """Whether an item (a stored document, with ``collection``) meets every criterion."""
        if self.collections is not None and item.get("collection") not in self.collections:
            return False
        if self.ids is not None and item.get("id") not in self.ids:
            return False
        if self.interval is not None and not overlaps(item, self.interval):
            return False
        return self.matches_exactly(item)

    def matches_exactly(self, item: Mapping[str, Any]) -> bool:
        """The criteria SQL cannot decide: the exact geometry test and the CQL2 filter."""
        if self.area is not None:
            geometry = item_geometry(item)
            if geometry is None or not self.area.intersects(geometry):
                return False
        return self.filter is None or filter_matches(self.filter, item)


def _combined_filter(value: Any, lang: Optional[str], query: Any) -> Optional[cql2.Expr]:
    """The ``filter`` and the ``query`` extension as one CQL2 expression (None when neither)."""
    expr = parse_filter(value, lang) if value not in (None, "", {}) else None
    from_query = query_to_cql2(query)
    if from_query is None:
        return expr
    if expr is None:
        return parse_filter(from_query, "cql2-json")
    return parse_filter({"op": "and", "args": [expr.to_json(), from_query]}, "cql2-json")


def parse_limit(value: Any) -> int:
    """The page size: default 10; larger than the maximum (1000) is served as the maximum."""
    if value is None or value == "":
        return DEFAULT_LIMIT
    try:
        limit = int(value)
    except (TypeError, ValueError):
        raise bad_request(f"Invalid limit '{value}': expected a positive integer.") from None
    if limit < 1:
        raise bad_request(f"Invalid limit {limit}: the minimum is 1.")
    return min(limit, MAX_LIMIT)


def _strings(value: Any, name: str) -> Optional[List[str]]:
    if value is None:
        return None
    if isinstance(value, str):
        return [v for v in value.split(",") if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad_request(f"Invalid {name}: expected a list of strings.")
    return list(value)


# -- paging ----------------------------------------------------------------------------------


def make_token(item: Mapping[str, Any]) -> str:
    """The token of the page after ``item``: ``next:<collection>:<item id>`` like the service's."""
    return f"{TOKEN_PREFIX}{item.get('collection')}:{item.get('id')}"


def token_candidates(token: str) -> List[Tuple[str, str]]:
    """The (collection, item id) pairs a token may name (ids may hold ':'); 400 if it is not a token."""
    if not token.startswith(TOKEN_PREFIX):
        raise bad_request(f"Invalid token '{token}': use the token of a 'next' link.", code="InvalidToken")
    rest = token[len(TOKEN_PREFIX) :]
    pairs = [(rest[:i], rest[i + 1 :]) for i, char in enumerate(rest) if char == ":"]
    if not pairs:
        raise bad_request(f"Invalid token '{token}': use the token of a 'next' link.", code="InvalidToken")
    return pairs


@dataclass
class Page:
    items: List[Dict[str, Any]]
    next_token: Optional[str]


def select(items: Iterable[Dict[str, Any]], search: Search, after: Optional[Mapping[str, Any]] = None) -> Page:
    """The page of matching ``items`` in search order that starts after ``after`` (an item), sorted
    in Python (for sort fields the index does not hold)."""
    key = sort_key(search.sortby)
    # Each item's key once, and only the page's worth picked (n log limit), not a full sort per page.
    keyed = [(key(item), n, item) for n, item in enumerate(items) if search.matches(item)]
    if after is not None:
        bound = key(after)
        keyed = [entry for entry in keyed if bound < entry[0]]
    head = heapq.nsmallest(search.limit + 1, keyed) if search.limit < len(keyed) else sorted(keyed)
    page = [item for _, _, item in head[: search.limit]]
    more = len(head) > search.limit
    return Page(page, make_token(page[-1]) if more and page else None)
