"""The order of a STAC search's items: ``sortby`` parsed, field values compared as pgstac compares
them (missing values as NULL, date-times as instants), and ``id`` then ``collection`` to make
the order total.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, List, Mapping, Sequence, Tuple

from .errors import bad_request
from .item_index import parse_instant

DEFAULT_SORT: List[Tuple[str, bool]] = [("datetime", True)]  # (field, descending)
#: Properties compared as instants when sorting (not as text).
TIME_FIELDS = {"datetime", "start_datetime", "end_datetime", "created", "updated"}


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
