"""STAC item search: parsing the parameters, matching items, sorting, and keyset paging.

Shared by ``GET/POST /stac/search``, a collection's ``/items`` listing and the data API's mosaics
(through ``stac_api.find_items``); the search runs in SQL (:mod:`.search_sql`), the fields
extension is in :mod:`.stac_fields`. Semantics follow STAC API item-search with the filter (CQL2
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

import datetime as dt
import functools
import heapq
import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import cql2
import shapely
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from .errors import bad_request
from .item_index import parse_instant
from .stac_fields import Fields, parse_fields

DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
DEFAULT_SORT: List[Tuple[str, bool]] = [("datetime", True)]  # (field, descending)
#: Properties compared as instants when sorting (not as text).
TIME_FIELDS = {"datetime", "start_datetime", "end_datetime", "created", "updated"}
TOKEN_PREFIX = "next:"

Interval = Tuple[Optional[dt.datetime], Optional[dt.datetime]]

# -- time ------------------------------------------------------------------------------------


def parse_interval(value: Any) -> Interval:
    """``instant``, ``start/end``, ``../end``, ``start/..`` (an empty side is open too) -> (start, end)."""
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"Invalid datetime '{value}': expected an instant or an interval 'start/end'.")
    sides = value.split("/")
    if len(sides) == 1:
        instant = parse_instant(sides[0], strict=True)
        return instant, instant
    if len(sides) != 2:
        raise bad_request(f"Invalid datetime '{value}': an interval has exactly one '/'.")
    start, end = (None if side in ("", "..") else parse_instant(side, strict=True) for side in sides)
    if start is None and end is None:
        raise bad_request(f"Invalid datetime '{value}': at most one end of an interval may be open ('..').")
    if start is not None and end is not None and start > end:
        raise bad_request(f"Invalid datetime '{value}': the start is after the end.")
    return start, end


def item_interval(item: Mapping[str, Any]) -> Optional[Tuple[dt.datetime, dt.datetime]]:
    """The item's time: ``start_datetime``/``end_datetime`` if it has them, else ``datetime``."""
    props = item.get("properties") or {}
    start = props.get("start_datetime") or props.get("datetime")
    end = props.get("end_datetime") or props.get("datetime")
    if not start or not end:
        return None
    try:
        return parse_instant(start), parse_instant(end)
    except Exception:  # an unreadable stored value never matches a time filter
        return None


def overlaps(item: Mapping[str, Any], interval: Interval) -> bool:
    span = item_interval(item)
    if span is None:
        return False
    start, end = interval
    return (end is None or span[0] <= end) and (start is None or span[1] >= start)


# -- space -----------------------------------------------------------------------------------


def parse_bbox(values: Any, *, json_numbers: bool = False) -> BaseGeometry:
    """A bbox (``[w, s, e, n]`` or ``[w, s, zmin, e, n, zmax]``) as an area. ``json_numbers`` (a POST
    body): a JSON array of numbers exactly, as the service's schema requires (a string is 400);
    else numbers or numeric strings (query parameters)."""
    if json_numbers and not (
        isinstance(values, list) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    ):
        raise bad_request(f"Invalid bbox {values!r}: expected an array of 4 or 6 numbers.")
    if isinstance(values, str):
        values = values.split(",")
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        raise bad_request(f"Invalid bbox {values!r}: expected 4 or 6 numbers.") from None
    if not all(math.isfinite(n) for n in numbers):
        raise bad_request(f"Invalid bbox {values!r}: the numbers must be finite.")
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4:
        raise bad_request(f"Invalid bbox {values!r}: expected 4 or 6 numbers, got {len(numbers)}.")
    west, south, east, north = numbers
    if south > north:
        raise bad_request(f"Invalid bbox {values!r}: south ({south}) is greater than north ({north}).")
    if west > east:  # crosses the antimeridian
        return shapely.union(box(west, south, 180.0, north), box(-180.0, south, east, north))
    return bbox_area(west, south, east, north)


def bbox_area(west: float, south: float, east: float, north: float) -> BaseGeometry:
    """A bbox as a geometry: a point or a line when it has no width or height.

    GEOS before 3.12 (the shapely 2.0 wheels of Python 3.9) finds that a polygon collapsed to a
    point or a line intersects nothing, so a point query given as a bbox would find no item.
    """
    if west == east and south == north:
        return shapely.Point(west, south)
    if west == east or south == north:
        return shapely.LineString([(west, south), (east, north)])
    return box(west, south, east, north)


def parse_geometry(value: Any, what: str = "intersects") -> BaseGeometry:
    """A GeoJSON geometry (a mapping or its JSON text) as a shapely geometry."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise bad_request(f"Invalid {what}: not a JSON GeoJSON geometry.") from None
    if isinstance(value, Mapping) and value.get("type") == "Feature":
        value = value.get("geometry")
    try:
        geometry = shape(value)
    except Exception as exc:
        raise bad_request(f"Invalid {what}: not a GeoJSON geometry ({exc}).") from None
    if geometry.is_empty:
        raise bad_request(f"Invalid {what}: the geometry is empty.")
    return geometry


def item_geometry(item: Mapping[str, Any]) -> Optional[BaseGeometry]:
    """The item's geometry, or its bbox when it has no geometry; None if it has neither."""
    try:
        if item.get("geometry"):
            return shape(item["geometry"])
        if item.get("bbox"):
            return parse_bbox(item["bbox"])
    except Exception:
        return None
    return None


# -- filter ----------------------------------------------------------------------------------

_QUERY_OPS: Dict[str, Callable[[Dict[str, str], Any], Dict[str, Any]]] = {
    "eq": lambda p, v: {"op": "=", "args": [p, v]},
    "neq": lambda p, v: {"op": "<>", "args": [p, v]},
    "lt": lambda p, v: {"op": "<", "args": [p, v]},
    "lte": lambda p, v: {"op": "<=", "args": [p, v]},
    "gt": lambda p, v: {"op": ">", "args": [p, v]},
    "gte": lambda p, v: {"op": ">=", "args": [p, v]},
    "in": lambda p, v: {"op": "in", "args": [p, list(v) if isinstance(v, (list, tuple)) else [v]]},
    "startsWith": lambda p, v: {"op": "like", "args": [p, f"{v}%"]},
    "endsWith": lambda p, v: {"op": "like", "args": [p, f"%{v}"]},
    "contains": lambda p, v: {"op": "like", "args": [p, f"%{v}%"]},
}


def parse_filter(value: Any, lang: Optional[str]) -> cql2.Expr:
    """A CQL2 filter: JSON (a mapping or its text) or text, per ``filter-lang`` (guessed when absent)."""
    lang = (lang or ("cql2-json" if isinstance(value, Mapping) else "cql2-text")).lower()
    if lang in ("cql2-json", "cql-json"):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise bad_request("Invalid filter: filter-lang is cql2-json but the filter is not JSON.") from None
        if not isinstance(value, Mapping):
            raise bad_request("Invalid filter: a cql2-json filter is a JSON object.")
        source: Any = dict(value)
    elif lang == "cql2-text":
        if not isinstance(value, str):
            raise bad_request("Invalid filter: a cql2-text filter is a string.")
        source = value
    else:
        raise bad_request(f"Unsupported filter-lang '{lang}': use cql2-json or cql2-text.")
    try:
        expr = cql2.Expr(source)
        expr.validate()
    except Exception as exc:
        raise bad_request(f"Invalid {lang} filter: {_first_lines(str(exc))}") from None
    return expr


def _first_lines(message: str, count: int = 6) -> str:
    return " ".join(line.strip() for line in message.strip().splitlines()[:count] if line.strip())


def query_to_cql2(query: Any) -> Optional[Dict[str, Any]]:
    """The query extension (``{"eo:cloud_cover": {"lt": 10}}``) as the equivalent CQL2-JSON."""
    if isinstance(query, str):
        try:
            query = json.loads(query)
        except ValueError:
            raise bad_request("Invalid query: not a JSON object.") from None
    if not query:
        return None
    if not isinstance(query, Mapping):
        raise bad_request("Invalid query: expected an object of property -> {operator: value}.")
    terms = []
    for name, ops in query.items():
        if not isinstance(ops, Mapping):
            raise bad_request(f"Invalid query for '{name}': expected {{operator: value}}.")
        for op, operand in ops.items():
            if op not in _QUERY_OPS:
                raise bad_request(f"Invalid query operator '{op}': use one of {', '.join(_QUERY_OPS)}.")
            terms.append(_QUERY_OPS[op]({"property": name}, operand))
    return terms[0] if len(terms) == 1 else {"op": "and", "args": terms}


def filter_matches(expr: cql2.Expr, item: Mapping[str, Any]) -> bool:
    """Whether a CQL2 expression holds for an item; a range item's ``datetime`` is its start (as in pgstac)."""
    props = item.get("properties") or {}
    if props.get("datetime") is None and props.get("start_datetime") is not None:
        item = {**item, "properties": {**props, "datetime": props["start_datetime"]}}
    try:
        return bool(expr.matches(dict(item)))
    except Exception:  # undecidable for this item (e.g. a missing property): not a match
        return False


# -- sorting ---------------------------------------------------------------------------------


def parse_sortby(value: Any) -> List[Tuple[str, bool]]:
    """``[{"field", "direction"}]``, ``["-datetime", "id"]`` or ``"-datetime,+id"`` -> [(field, descending)]."""
    if value is None or value == [] or value == "":
        return list(DEFAULT_SORT)
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        raise bad_request("Invalid sortby: expected a list of {field, direction}.")
    out: List[Tuple[str, bool]] = []
    for entry in value:
        if isinstance(entry, str):
            text = entry.strip()  # a '+' sent unencoded in a query string arrives as a space
            name, descending = (text[1:], True) if text.startswith("-") else (text.lstrip("+"), False)
        elif isinstance(entry, Mapping) and isinstance(entry.get("field"), str):
            direction = str(entry.get("direction", "asc")).lower()
            if direction not in ("asc", "desc"):
                raise bad_request(f"Invalid sortby direction '{entry.get('direction')}': use asc or desc.")
            name, descending = entry["field"], direction == "desc"
        else:
            raise bad_request(f"Invalid sortby entry {entry!r}: expected {{field, direction}}.")
        if not name.strip():
            raise bad_request("Invalid sortby: a field name is empty.")
        out.append((name.strip(), descending))
    return out


def field_value(item: Mapping[str, Any], name: str) -> Any:
    """A sort field of an item: ``id``/``collection`` at the top, ``properties.x`` or ``x`` in properties."""
    props = item.get("properties") or {}
    if name.startswith("properties."):
        name = name[len("properties.") :]
        value = props.get(name)
    elif name in ("id", "collection"):
        value = item.get(name)
    else:
        value = props[name] if name in props else item.get(name)
    if name == "datetime" and value is None:  # a range item sorts by its start, as in pgstac
        value = props.get("start_datetime")
    if name in TIME_FIELDS and isinstance(value, str):
        return _sortable_instant(value)
    return value


@functools.lru_cache(maxsize=65536)
def _sortable_instant(text: str) -> Any:
    """A date-time field as a datetime to sort by (the text if it is not one); cached, because every
    page of a search parses the same values again."""
    try:
        return parse_instant(text)
    except Exception:
        return text


def _compare(a: Any, b: Any) -> int:
    """Ascending order of two field values. A missing value is greater than any other, as NULL in
    Postgres: last when ascending, first when descending."""
    if a is None or b is None:
        return int(a is None) - int(b is None)
    try:
        return int(a > b) - int(a < b)
    except TypeError:  # different types: order by type name, then text
        left, right = (type(a).__name__, str(a)), (type(b).__name__, str(b))
        return (left > right) - (left < right)


def total_order(sortby: Sequence[Tuple[str, bool]]) -> List[Tuple[str, bool]]:
    """The requested order plus ``id`` (descending, as pgstac) and ``collection`` to break ties."""
    order = list(sortby)
    if not any(name == "id" for name, _ in order):
        order.append(("id", True))
    order.append(("collection", False))
    return order


def sort_key(sortby: Sequence[Tuple[str, bool]]) -> Callable[[Mapping[str, Any]], Any]:
    """A ``key=`` function ordering items by ``sortby`` (a total order: see :func:`total_order`)."""
    order = total_order(sortby)

    def compare(left: List[Any], right: List[Any]) -> int:
        for (_, descending), a, b in zip(order, left, right):
            result = _compare(a, b)
            if result:
                return -result if descending else result
        return 0

    wrap = functools.cmp_to_key(compare)
    return lambda item: wrap([field_value(item, name) for name, _ in order])


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
            bbox=body.get("bbox"),
            intersects=body.get("intersects"),
            datetime=body.get("datetime"),
            filter=body.get("filter"),
            filter_lang=body.get("filter-lang"),
            filter_crs=body.get("filter-crs"),
            query=body.get("query"),
            sortby=body.get("sortby"),
            limit=body.get("limit"),
            token=body.get("token"),
            fields=body.get("fields"),
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

        return cls._build(
            collections=listed("collections"),
            ids=listed("ids"),
            bbox=listed("bbox"),
            intersects=first("intersects"),
            datetime=first("datetime"),
            filter=first("filter"),
            filter_lang=first("filter-lang"),
            filter_crs=first("filter-crs"),
            query=first("query"),
            sortby=first("sortby"),
            limit=first("limit"),
            token=first("token"),
            fields=first("fields"),
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
