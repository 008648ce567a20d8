"""The search index of stored items: the columns a search filters and sorts on, kept beside each
item document so that searches run in SQL instead of decoding every item.

One ``item_index`` row per stored item (same ``seq`` as its document): collection, id, its time as
an interval (``start``/``end``) and a sort instant (``dt``: ``datetime``, or ``start_datetime`` for
range items, as pgstac sorts), all UTC text in one fixed-width format so that text order is time
order; and one ``item_rtree`` row with its bounding box (an SQLite R-tree, so a bbox search reads
only the items whose boxes overlap, and the exact geometry test runs on those alone).

Also here: reading RFC 3339 instants, shared by search parameters (strict) and stored items.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from typing import Any, List, Mapping, Optional, Tuple

from .errors import bad_request

SCHEMA = """
CREATE TABLE IF NOT EXISTS item_index (
    seq INTEGER PRIMARY KEY,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    start TEXT,
    end TEXT,
    dt TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS item_index_order ON item_index (dt DESC, id DESC, collection);
CREATE INDEX IF NOT EXISTS item_index_collection ON item_index (collection, dt DESC, id DESC);
CREATE INDEX IF NOT EXISTS item_index_id ON item_index (id, collection);
CREATE VIRTUAL TABLE IF NOT EXISTS item_rtree USING rtree(seq, west, east, south, north);
"""

#: The sort instant of an item without one: after every instant's text (as NULL sorts last in pgstac).
MISSING = "~"
Row = Tuple[str, str, Optional[str], Optional[str], str]
Box = Tuple[float, float, float, float]

# -- instants ----------------------------------------------------------------------------------

#: RFC 3339 date-time: full date, ``T``, full time with seconds, optional ``.fraction``, a zone.
_STRICT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$")
#: What stored items are accepted with (and read as): a date is its midnight, no zone is UTC.
_LENIENT = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)


def parse_instant(text: Any, what: str = "datetime", *, strict: bool = False) -> dt.datetime:
    """An instant in UTC. ``strict``: an RFC 3339 date-time exactly (as search parameters must be:
    a date alone, a missing zone or a ``,`` fraction are 400); else also a date (its midnight) or a
    date-time without zone (UTC), as stored items may hold.

    :raises ApiError: 400 when ``text`` is not such an instant.
    """
    found = (
        (_STRICT if strict else _LENIENT).match(text.strip() if not strict else text) if isinstance(text, str) else None
    )
    if not found:
        raise bad_request(f"Invalid {what} '{text}': expected an RFC 3339 date-time such as 2024-01-31T12:00:00Z.")
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    try:
        value = dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")),
            tzinfo=_zone(zone),
        )
        return value.astimezone(dt.timezone.utc)
    except (ValueError, OverflowError) as exc:
        raise bad_request(f"Invalid {what} '{text}': {exc}.") from None


def _zone(zone: Optional[str]) -> dt.timezone:
    if not zone or zone in "Zz":
        return dt.timezone.utc
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))


def instant_key(value: dt.datetime) -> str:
    """A UTC instant as fixed-width text whose order is time order (the index's time columns)."""
    value = value.astimezone(dt.timezone.utc)
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}Z"
    )


def _stored_key(text: Any) -> Optional[str]:
    try:
        return instant_key(parse_instant(text)) if isinstance(text, str) and text else None
    except Exception:  # an unreadable stored value: no time (never matches a time filter)
        return None


# -- rows --------------------------------------------------------------------------------------


def index_row(doc: Mapping[str, Any]) -> Tuple[Row, Optional[Box]]:
    """The ``item_index`` columns (collection, id, start, end, dt) and the R-tree box of an item."""
    props = doc.get("properties") if isinstance(doc.get("properties"), Mapping) else {}
    assert isinstance(props, Mapping)
    key = functools.lru_cache(maxsize=4)(_stored_key)  # the same text is often read twice or thrice
    start = key(props.get("start_datetime") or props.get("datetime"))
    end = key(props.get("end_datetime") or props.get("datetime"))
    if start is None or end is None:
        start = end = None
    moment = key(props.get("datetime")) or key(props.get("start_datetime")) or MISSING
    return (str(doc.get("collection")), str(doc.get("id")), start, end, moment), item_box(doc)


def _bounds(geometry: Mapping[str, Any]) -> List[float]:
    """[west, south, east, north] of a GeoJSON geometry's coordinates (shapely's bounds, without
    building the geometry: indexing 100,000 items should not cost a shapely object each)."""
    if geometry.get("type") == "GeometryCollection":
        parts = [_bounds(g) for g in geometry.get("geometries") or []]
        return [min(p[0] for p in parts), min(p[1] for p in parts), max(p[2] for p in parts), max(p[3] for p in parts)]
    xs: List[float] = []
    ys: List[float] = []
    stack = [geometry["coordinates"]]
    while stack:
        value = stack.pop()
        if value and isinstance(value[0], (int, float)):
            xs.append(float(value[0]))
            ys.append(float(value[1]))
        else:
            stack.extend(value)
    if not xs:
        raise ValueError("a geometry without coordinates")
    return [min(xs), min(ys), max(xs), max(ys)]


def item_box(doc: Mapping[str, Any]) -> Optional[Box]:
    """(west, east, south, north) covering an item's geometry and its bbox (either may be what the
    exact test reads); a box that crosses the antimeridian (west > east) is indexed as all
    longitudes (the exact test decides)."""
    boxes = []
    bbox = doc.get("bbox")
    if isinstance(bbox, list) and len(bbox) in (4, 6) and all(isinstance(v, (int, float)) for v in bbox):
        boxes.append([bbox[0], bbox[1], bbox[3], bbox[4]] if len(bbox) == 6 else list(bbox))
    if doc.get("geometry"):
        try:
            boxes.append(_bounds(doc["geometry"]))
        except Exception:  # not a geometry: the bbox alone (or no box) stands for the item
            pass
    boxes = [b for b in boxes if len(b) == 4 and all(math.isfinite(float(v)) for v in b)]
    if not boxes:
        return None
    west, east = min(float(b[0]) for b in boxes), max(float(b[2]) for b in boxes)
    south, north = min(float(b[1]) for b in boxes), max(float(b[3]) for b in boxes)
    if any(float(b[0]) > float(b[2]) for b in boxes):
        west, east = -180.0, 180.0
    return west, east, south, north
