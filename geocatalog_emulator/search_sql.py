"""Item search in SQL, over the item index (:mod:`.item_index`).

Collections, ids, datetime and the bounding box of ``bbox``/``intersects`` (through the R-tree)
become SQL conditions; an order by ``datetime``, ``id`` and ``collection`` (the default) is the
index's order, and a page after a token is a keyset condition on it, so a page reads and decodes
only its own candidates: the exact geometry test and the CQL2 filter run on those, and reading
stops once the page is full. Other sort fields are sorted in Python (:func:`.stac_search.select`)
over the SQL-selected candidates.
"""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple

from .item_index import MISSING, instant_key
from .stac_search import Page, Search, make_token, select, total_order

if TYPE_CHECKING:
    from .storage import Store

#: Sort fields the item index holds, as its columns (a missing datetime is stored as MISSING).
SQL_SORTS = {"datetime": "i.dt", "properties.datetime": "i.dt", "id": "i.id", "collection": "i.collection"}
_FROM = "FROM item_index i JOIN docs d ON d.seq = i.seq"


def _placeholders(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values)) or "NULL"


def _where(search: Search) -> Tuple[List[str], List[Any]]:
    """SQL conditions for the collections, ids, datetime and the bounding box of the area."""
    where: List[str] = []
    args: List[Any] = []
    if search.collections is not None:
        where.append(f"i.collection IN ({_placeholders(search.collections)})")
        args.extend(search.collections)
    if search.ids is not None:
        where.append(f"i.id IN ({_placeholders(search.ids)})")
        args.extend(search.ids)
    if search.interval is not None:
        start, end = search.interval
        where.append("i.start IS NOT NULL")
        if end is not None:
            where.append("i.start <= ?")
            args.append(instant_key(end))
        if start is not None:
            where.append("i.end >= ?")
            args.append(instant_key(start))
    if search.area is not None:  # candidates by box (R-tree); the exact test runs on them alone
        boxes = []
        for part in getattr(search.area, "geoms", [search.area]):
            west, south, east, north = part.bounds
            boxes.append("(west <= ? AND east >= ? AND south <= ? AND north >= ?)")
            args.extend([east, west, north, south])
        where.append(f"i.seq IN (SELECT seq FROM item_rtree WHERE {' OR '.join(boxes)})")
    return where, args


def _after(columns: Sequence[Tuple[str, bool]], values: Sequence[Any]) -> Tuple[str, List[Any]]:
    """The keyset condition "after these values" in an order of (column, descending)."""
    terms, args = [], []
    for n, (column, descending) in enumerate(columns):
        equal = [f"{c} = ?" for c, _ in columns[:n]]
        terms.append("(" + " AND ".join([*equal, f"{column} {'<' if descending else '>'} ?"]) + ")")
        args.extend([*values[:n], values[n]])
    # Redundant with the terms, but a plain bound on the first column lets SQLite seek the index to
    # the page instead of scanning every earlier row of it.
    first, descending = columns[0]
    return f"{first} {'<=' if descending else '>='} ? AND (" + " OR ".join(terms) + ")", [values[0], *args]


def _index_values(store: "Store", item: Mapping[str, Any]) -> Dict[str, Any]:
    row = next(
        store.rows(
            "SELECT dt, id, collection FROM item_index WHERE collection = ? AND id = ?",
            (item.get("collection"), item.get("id")),
        ),
        None,
    )
    dt_value, item_id, collection = row if row is not None else (MISSING, item.get("id"), item.get("collection"))
    return {"i.dt": dt_value or MISSING, "i.id": item_id, "i.collection": collection}


def search_page(store: "Store", search: Search, after: Optional[Mapping[str, Any]] = None) -> Page:
    """The page of stored items a search selects, after the item ``after`` (a page token's)."""
    where, args = _where(search)
    order = total_order(search.sortby)
    if not all(name in SQL_SORTS for name, _ in order):  # sorted in Python, over SQL's candidates
        sql = f"SELECT d.body {_FROM} WHERE {' AND '.join(where) or '1'}"
        return select((json.loads(body) for (body,) in store.rows(sql, args)), search, after)
    columns = _dedupe(order)
    if after is not None:
        values = _index_values(store, after)
        condition, more_args = _after(columns, [values[c] for c, _ in columns])
        where.append(condition)
        args.extend(more_args)
    order_by = ", ".join(f"{c} {'DESC' if descending else 'ASC'}" for c, descending in columns)
    sql = f"SELECT d.body {_FROM} WHERE {' AND '.join(where) or '1'} ORDER BY {order_by}"
    exact = search.area is not None or search.filter is not None
    if not exact and search.limit < 2**62:  # SQL decides everything: read one more than a page
        sql += f" LIMIT {search.limit + 1}"
    items: List[Dict[str, Any]] = []
    with contextlib.closing(store.rows(sql, args)) as rows:
        for (body,) in rows:
            item = json.loads(body)
            if exact and not search.matches_exactly(item):
                continue
            items.append(item)
            if len(items) > search.limit:
                break
    page = items[: search.limit]
    return Page(page, make_token(page[-1]) if len(items) > search.limit and page else None)


def _dedupe(order: Sequence[Tuple[str, bool]]) -> List[Tuple[str, bool]]:
    """Index columns of a sort order, each once (the first mention decides its direction)."""
    seen: Dict[str, bool] = {}
    for name, descending in order:
        seen.setdefault(SQL_SORTS[name], descending)
    return list(seen.items())


def find(store: "Store", search: Search, limit: int) -> List[Dict[str, Any]]:
    """Every item a search selects (up to ``limit``), in its order, as stored."""
    search.limit = limit
    return search_page(store, search).items
