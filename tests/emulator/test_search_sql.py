"""Search in SQL (the item index) answers exactly what the item-by-item reference answers, and the
search parameters are read as the service reads them (RFC 3339 datetimes, POST bbox arrays, the
fields extension).

Most tests work on a :class:`Store` directly (no server); a few go through HTTP for the status codes.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
import requests

from geocatalog_emulator import API_VERSION
from geocatalog_emulator.errors import ApiError
from geocatalog_emulator.search_sql import search_page
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.stac_fields import Fields, parse_fields
from geocatalog_emulator.stac_search import Search, select
from geocatalog_emulator.storage import Store

COLLECTIONS = ["c-one", "c-two", "c-three"]


def make_item(rng: random.Random, n: int, collection: str) -> Dict[str, Any]:
    lon, lat = rng.uniform(-179, 179), rng.uniform(-80, 80)
    size = rng.choice([0.0, 0.5, 3.0])
    if size:
        geometry = {
            "type": "Polygon",
            "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
        }
        bbox = [lon, lat, lon + size, lat + size]
    else:
        geometry = {"type": "Point", "coordinates": [lon, lat]}
        bbox = [lon, lat, lon, lat]
    day = rng.randrange(1, 28)
    hour = rng.randrange(24)
    properties: Dict[str, Any] = {"eo:cloud_cover": rng.randrange(100)}
    if n % 7 == 0:  # a range item
        properties.update(
            datetime=None,
            start_datetime=f"2021-03-{day:02d}T{hour:02d}:00:00Z",
            end_datetime=f"2021-04-{day:02d}T00:00:00+02:00",
        )
    else:
        properties["datetime"] = f"2021-0{1 + n % 6}-{day:02d}T{hour:02d}:{n % 60:02d}:00.{n:06d}Z"
    if n % 11 == 0:  # the same instant as another item: the tie breaks by id, then collection
        properties["datetime"] = "2021-02-02T00:00:00Z"
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": f"item-{n % 50:03d}-{n}" if n % 13 else "same-id",
        "collection": collection,
        "geometry": geometry,
        "bbox": bbox,
        "properties": properties,
        "links": [],
        "assets": {},
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    rng = random.Random(7)
    opened = Store(tmp_path_factory.mktemp("search-sql"))
    for collection in COLLECTIONS:
        items = [make_item(rng, n, collection) for n in range(150)]
        unique = {item["id"]: item for item in items}  # "same-id" once per collection
        assert opened.insert_many("item", collection, [(i, item) for i, item in unique.items()]) is None
    yield opened
    opened.close()


def all_items(store: Store) -> List[Dict[str, Any]]:
    return [doc for _, doc in store.list("item")]


def pages(store: Store, search: Search) -> List[List[str]]:
    """Every page of a search through SQL, following tokens (as ``collection:id`` keys)."""
    out: List[List[str]] = []
    after: Optional[Dict[str, Any]] = None
    for _ in range(200):
        page = search_page(store, search, after)
        out.append([f"{i['collection']}:{i['id']}" for i in page.items])
        if page.next_token is None:
            return out
        after = page.items[-1]
    raise AssertionError("paging did not end")


def reference(store: Store, search: Search) -> List[List[str]]:
    """The same pages from the item-by-item reference (every item decoded, sorted in Python)."""
    out: List[List[str]] = []
    after: Optional[Dict[str, Any]] = None
    items = all_items(store)
    while True:
        page = select(items, search, after)
        out.append([f"{i['collection']}:{i['id']}" for i in page.items])
        if page.next_token is None:
            return out
        after = page.items[-1]


SEARCHES: List[Dict[str, Any]] = [
    {},
    {"limit": 7},
    {"collections": ["c-two"], "limit": 13},
    {"collections": ["c-one", "c-three"], "limit": 40},
    {"collections": [], "limit": 5},
    {"ids": ["same-id", "item-001-1", "item-002-52", "nothing"], "limit": 2},
    {"bbox": [-20, -20, 40, 30], "limit": 9},
    {"bbox": [170, -80, -170, 80], "limit": 4},  # across the antimeridian
    {"bbox": [0, 0, 0.01, 0.01]},
    {"intersects": {"type": "Polygon", "coordinates": [[[0, 0], [60, 0], [0, 60], [0, 0]]]}, "limit": 6},
    {"datetime": "2021-02-01T00:00:00Z/2021-03-15T00:00:00Z", "limit": 11},
    {"datetime": "../2021-01-15T00:00:00Z", "limit": 8},
    {"datetime": "2021-04-01T00:00:00+02:00/..", "limit": 8},
    {"datetime": "2021-02-02T00:00:00Z"},
    {"datetime": "../2021-02-01T23:59:59.999999Z", "limit": 30},  # ends just before shared instants
    {"datetime": "2021-02-02T00:00:00.000001Z/..", "sortby": "datetime", "limit": 30},
    {"datetime": "2021-03-20T00:00:00Z", "collections": ["c-one"]},  # inside range items
    {"sortby": [{"field": "datetime", "direction": "asc"}], "limit": 17},
    {"sortby": [{"field": "id", "direction": "asc"}], "limit": 17},
    {"sortby": [{"field": "collection", "direction": "desc"}, {"field": "id", "direction": "asc"}], "limit": 50},
    {"sortby": [{"field": "properties.datetime", "direction": "desc"}], "limit": 31, "bbox": [-100, -50, 100, 50]},
    {"sortby": [{"field": "eo:cloud_cover", "direction": "asc"}], "limit": 25, "collections": ["c-two"]},
    {"filter": {"op": "<", "args": [{"property": "eo:cloud_cover"}, 30]}, "limit": 12},
    {"filter": "eo:cloud_cover > 50", "filter-lang": "cql2-text", "bbox": [-90, -45, 90, 45], "limit": 5},
]


@pytest.mark.parametrize("body", SEARCHES, ids=[json.dumps(s, sort_keys=True)[:60] for s in SEARCHES])
def test_sql_pages_equal_the_reference(store: Store, body: Dict[str, Any]) -> None:
    search = Search.from_body(body)
    got = pages(store, search)
    assert got == reference(store, search)
    flat = [key for page in got for key in page]
    assert len(flat) == len(set(flat))  # each item once across pages


def test_index_follows_writes(tmp_path: Path) -> None:
    rng = random.Random(3)
    store = Store(tmp_path)
    item = make_item(rng, 1, "c")
    store.put("item", "c", item["id"], item)
    in_march = Search.from_body({"datetime": "2021-03-01T00:00:00Z/2021-03-31T00:00:00Z"})
    assert search_page(store, in_march).items == []

    moved = {**item, "properties": {"datetime": "2021-03-05T00:00:00Z"}, "geometry": None, "bbox": [50, 50, 51, 51]}
    store.put("item", "c", item["id"], moved)  # a replacement updates the index
    assert [i["id"] for i in search_page(store, in_march).items] == [item["id"]]
    assert [i["id"] for i in search_page(store, Search.from_body({"bbox": [49, 49, 50.5, 50.5]})).items] == [item["id"]]

    store.delete("item", "c", item["id"])
    assert search_page(store, Search.from_body({})).items == []
    store.insert("item", "c", "x", {**moved, "id": "x", "collection": "c"})
    store.insert("item", "d", "x", {**moved, "id": "x", "collection": "d"})
    store.delete_children("item", "c")
    assert [(i["collection"], i["id"]) for i in search_page(store, Search.from_body({})).items] == [("d", "x")]
    rows = sqlite3.connect(tmp_path / "geocatalog.sqlite3").execute("SELECT COUNT(*) FROM item_rtree").fetchone()
    assert rows == (1,)
    store.close()


def test_items_stored_before_the_index_are_indexed_on_start(tmp_path: Path) -> None:
    store = Store(tmp_path)
    item = make_item(random.Random(1), 2, "old")
    store.insert("item", "old", item["id"], item)
    store.close()
    db = sqlite3.connect(tmp_path / "geocatalog.sqlite3")
    db.execute("DELETE FROM item_index")
    db.execute("DELETE FROM item_rtree")
    db.commit()
    db.close()
    reopened = Store(tmp_path)
    assert [i["id"] for i in search_page(reopened, Search.from_body({"collections": ["old"]})).items] == [item["id"]]
    reopened.close()


# -- parameters as the service reads them ----------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "1985-04-12",
        "1985-04-12T23:20:50",
        "1985-04-12T23:20:50,52Z",
        "1985-04-12T23:20Z",
        "1985-04-12 23:20:50Z",
        "1985-04-12/1986-01-01T00:00:00Z",
        "1985-04-12T23:20:50Z/1986-01-01",
        "../..",
        "1986-01-01T00:00:00Z/1985-01-01T00:00:00Z",
        "1985-13-12T23:20:50Z",
    ],
)
def test_datetimes_that_are_not_rfc3339_are_400(value: str) -> None:
    with pytest.raises(ApiError) as raised:
        Search.from_body({"datetime": value})
    assert raised.value.status == 400


@pytest.mark.parametrize(
    "value",
    [
        "1985-04-12T23:20:50.52Z",
        "1985-04-12t23:20:50z",
        "1996-12-19T16:39:57-08:00",
        "1985-04-12T23:20:50Z/..",
        "../1985-04-12T23:20:50Z",
        "/1985-04-12T23:20:50Z",
        "1985-04-12T23:20:50Z/1985-04-12T23:20:50Z",
    ],
)
def test_rfc3339_datetimes_are_read(value: str) -> None:
    assert Search.from_body({"datetime": value}).interval is not None


def test_post_bbox_is_an_array_of_numbers() -> None:
    for bad in ("0,0,1,1", ["0", "0", "1", "1"], [0, 0, 1], [True, 0, 1, 1], {"w": 0}):
        with pytest.raises(ApiError):
            Search.from_body({"bbox": bad})
    assert Search.from_body({"bbox": [0, 0, 1, 1]}).area is not None
    assert Search.from_query({"bbox": ["0,0,1,1"]}).area is not None  # GET: comma-separated text


ITEM = {
    "type": "Feature",
    "stac_version": "1.0.0",
    "stac_extensions": [],
    "id": "i",
    "collection": "c",
    "geometry": {"type": "Point", "coordinates": [0, 0]},
    "bbox": [0, 0, 0, 0],
    "properties": {"datetime": "2020-01-01T00:00:00Z", "eo:cloud_cover": 5, "gsd": 1},
    "links": [{"rel": "self", "href": "x"}],
    "assets": {"a": {"href": "y"}},
}
DEFAULT_KEYS = {"type", "stac_version", "id", "geometry", "bbox", "links", "assets", "properties"}


def shaped(fields: Optional[Fields]) -> Dict[str, Any]:
    assert fields is not None
    return fields.apply(json.loads(json.dumps(ITEM)))


@pytest.mark.parametrize("value", [{}, {"include": None, "exclude": None}, {"include": [], "exclude": []}])
def test_fields_empty_is_the_default_set(value: Dict[str, Any]) -> None:
    for fields in (parse_fields(value), parse_fields("")):
        out = shaped(fields)
        assert set(out) == DEFAULT_KEYS and out["properties"] == {"datetime": "2020-01-01T00:00:00Z"}


def test_fields_absent_is_the_whole_item_and_null_is_400() -> None:
    assert parse_fields(None, sent=False) is None
    with pytest.raises(ApiError):
        parse_fields(None)
    with pytest.raises(ApiError):
        parse_fields({"include": "id"})


def test_fields_include_is_those_fields_alone() -> None:
    for value in ({"include": ["bbox"]}, "bbox", "+bbox"):
        out = shaped(parse_fields(value))
        assert set(out) == {"bbox", "type", "id", "collection", "links"}
    out = shaped(parse_fields({"include": ["properties.eo:cloud_cover"]}))
    assert out["properties"] == {"eo:cloud_cover": 5} and "geometry" not in out
    assert shaped(parse_fields("eo:cloud_cover"))["properties"] == {"eo:cloud_cover": 5}  # properties implied
    assert "missing" not in shaped(parse_fields("properties.missing"))["properties"]


def test_fields_exclude() -> None:
    whole_minus = shaped(parse_fields({"exclude": ["geometry"]}))
    assert "geometry" not in whole_minus and whole_minus["properties"]["eo:cloud_cover"] == 5
    assert shaped(parse_fields("-geometry")) == whole_minus
    for include in ([], None):
        default_minus = shaped(parse_fields({"exclude": ["geometry"], "include": include}))
        assert set(default_minus) == DEFAULT_KEYS - {"geometry"} and "eo:cloud_cover" not in default_minus["properties"]


def test_fields_nested_and_include_wins() -> None:
    out = shaped(parse_fields({"exclude": ["properties"], "include": ["properties.eo:cloud_cover"]}))
    assert out["properties"] == {"eo:cloud_cover": 5} and len(out) == 5 and "geometry" not in out
    out = shaped(parse_fields("-properties,+properties.eo:cloud_cover"))
    assert out["properties"] == {"eo:cloud_cover": 5}
    out = shaped(parse_fields({"include": ["properties"], "exclude": ["properties.gsd"]}))
    assert out["properties"] == {"datetime": "2020-01-01T00:00:00Z", "eo:cloud_cover": 5}
    for value in ({"include": ["geometry"], "exclude": ["geometry"]}, "+geometry,-geometry"):
        assert "geometry" in shaped(parse_fields(value))


def test_search_parameters_over_http(tmp_path: Path) -> None:
    with Emulator(tmp_path / "data") as emulator:
        url = f"{emulator.endpoint}/stac/search"
        auth = {"Authorization": "Bearer t"}
        params = {"api-version": API_VERSION}

        def post(body: Any) -> requests.Response:
            return requests.post(url, params=params, json=body, headers=auth, timeout=10)

        def get(**query: str) -> requests.Response:
            return requests.get(url, params={**params, **query}, headers=auth, timeout=10)

        assert post({"datetime": "1985-04-12"}).status_code == 400
        assert get(datetime="1985-04-12T23:20:50").status_code == 400
        assert get(datetime="1985-04-12T23:20:50,52Z").status_code == 400
        assert post({"datetime": "1985-04-12T23:20:50Z/.."}).status_code == 200
        assert post({"bbox": "0,0,1,1"}).status_code == 400
        assert get(bbox="0,0,1,1").status_code == 200
        assert post({"fields": None}).status_code == 400
        answer = post({"fields": {}, "limit": 1})
        assert answer.status_code == 200 and set(answer.json()) == {"type", "features", "links"}


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [1, 2, 30]},
        {"type": "LineString", "coordinates": [[0, 0], [1, -4]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [3, 1], [2, 5], [0, 0]]]},
        {
            "type": "MultiPolygon",
            "coordinates": [[[[0, 0], [3, 1], [2, 5], [0, 0]]], [[[-10, -1], [3, 1], [2, 50], [-10, -1]]]],
        },
        {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Point", "coordinates": [9, 9]},
                {"type": "MultiPoint", "coordinates": [[-1, 0], [0, -2]]},
            ],
        },
    ],
)
def test_index_boxes_are_the_geometry_bounds(geometry: Dict[str, Any]) -> None:
    from shapely.geometry import shape

    from geocatalog_emulator.item_index import item_box

    west, south, east, north = shape(geometry).bounds
    assert item_box({"geometry": geometry}) == (west, east, south, north)
    union = item_box({"geometry": geometry, "bbox": [-100, -5, -99, -4]})  # covers both
    assert union == (-100, max(east, -99), min(south, -5), max(north, -4))
