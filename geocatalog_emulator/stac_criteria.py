"""What a STAC search matches an item by: its time (``datetime``), its place (``bbox``,
``intersects``) and a CQL2 ``filter`` (with the ``query`` extension turned into CQL2). The
semantics are described in :mod:`.stac_search`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

import cql2
import shapely
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from .errors import bad_request
from .item_index import parse_instant

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
