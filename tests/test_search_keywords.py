"""item_search / list_items take pystac-client's keyword names, fields= and method=, and refuse unknown keywords."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict
from urllib.parse import parse_qs, urlsplit

import pytest

from azure.planetarycomputer import PlanetaryComputerProClient
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncPlanetaryComputerProClient

from .conftest import ENDPOINT, AsyncFakeCredential, Captured, CapturePolicy, FakeCredential


def first_request(operation: str, *args: Any, **kwargs: Any) -> Any:
    capture = CapturePolicy()
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), per_retry_policies=[capture])
    with pytest.raises(Captured):
        next(iter(getattr(client.stac, operation)(*args, **kwargs)))
    return capture.requests[0]


def first_async_request(operation: str, *args: Any, **kwargs: Any) -> Any:
    async def run() -> Any:
        capture = CapturePolicy()
        async with AsyncPlanetaryComputerProClient(ENDPOINT, AsyncFakeCredential(), per_retry_policies=[capture]) as client:
            with pytest.raises(Captured):
                async for _ in getattr(client.stac, operation)(*args, **kwargs):
                    break
        return capture.requests[0]

    return asyncio.run(run())


def body(request: Any) -> Dict[str, Any]:
    return json.loads(request.content)


@pytest.mark.parametrize("send", [first_request, first_async_request])
def test_pystac_client_names_mean_ours(send: Any) -> None:
    theirs = body(send("item_search", collections=["c"], bbox=[1, 2, 3, 4], sortby="-properties.datetime", limit=7, fields="id,-assets"))
    ours = body(
        send("item_search", collections=["c"], bounding_box=[1, 2, 3, 4], sort_by="-properties.datetime", page_size=7, fields={"include": ["id"], "exclude": ["assets"]})
    )
    assert theirs == ours == {
        "collections": ["c"],
        "bbox": [1, 2, 3, 4],
        "sortby": [{"field": "properties.datetime", "direction": "desc"}],
        "fields": {"include": ["id"], "exclude": ["assets"]},
        "limit": 7,
    }
    listed = send("list_items", "c", bbox=[1, 2, 3, 4], limit=3, datetime="2021-11")
    query = parse_qs(urlsplit(listed.url).query)
    assert query["bbox"] == ["1,2,3,4"] and query["limit"] == ["3"]
    assert query["datetime"] == ["2021-11-01T00:00:00Z/2021-11-30T23:59:59Z"]


@pytest.mark.parametrize("send", [first_request, first_async_request])
def test_method_get_sends_the_criteria_as_query_parameters(send: Any) -> None:
    request = send(
        "item_search", collections=["a", "b"], bbox=[1, 2, 3, 4], datetime="2021-11-16", sortby="id,-properties.datetime",
        fields=["id", "-links"], filter="id = 'x'", limit=5, method="GET",
    )  # fmt: skip
    assert request.method == "GET" and urlsplit(request.url).path == "/stac/search"
    query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
    assert query == {
        "collections": "a,b",
        "bbox": "1,2,3,4",
        "datetime": "2021-11-16T00:00:00Z/2021-11-16T23:59:59Z",
        "sortby": "+id,-properties.datetime",
        "fields": "+id,-links",
        "filter": "id = 'x'",
        "filter-lang": "cql2-text",
        "limit": "5",
        "api-version": "2026-04-15",
    }


def test_unknown_keywords_are_refused_with_the_accepted_ones() -> None:
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential())
    with pytest.raises(TypeError) as caught:
        client.stac.item_search(collections=["c"], bboxx=[1, 2, 3, 4])
    message = str(caught.value)
    assert "'bboxx'" in message and "bounding_box" in message and "bbox (bounding_box)" in message and "fields" in message
    with pytest.raises(TypeError, match="'sortby'.*collection_id"):
        client.stac.list_items("c", sortby="id")  # list_items has no sort
    with pytest.raises(TypeError, match="both bbox= and bounding_box="):
        client.stac.item_search(bbox=[1, 2, 3, 4], bounding_box=[1, 2, 3, 4])
    with pytest.raises(ValueError, match="method"):
        client.stac.item_search(method="PUT")
    # Pipeline options still pass through.
    client.stac.item_search(collections=["c"], headers={"x-ms-test": "1"}, retry_total=0, timeout=5)


def test_pystac_client_names_on_the_async_client_are_refused_the_same_way() -> None:
    client = AsyncPlanetaryComputerProClient(ENDPOINT, AsyncFakeCredential())
    with pytest.raises(TypeError, match="'q'"):
        client.stac.item_search(q="cloud")


def test_items_and_shapely_geometries_are_search_areas() -> None:
    from azure.planetarycomputer import models

    item = models.StacItem({"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [1.0, 2.0]}, "properties": {}})
    assert body(first_request("item_search", intersects=item))["intersects"] == {"type": "Point", "coordinates": [1.0, 2.0]}
    shapely_geometry = pytest.importorskip("shapely.geometry")
    sent = body(first_request("item_search", intersects=shapely_geometry.box(0, 0, 1, 1)))["intersects"]
    assert sent["type"] == "Polygon" and len(sent["coordinates"][0]) == 5


def test_cli_search_fields_reach_the_body(monkeypatch: pytest.MonkeyPatch) -> None:
    from azure.planetarycomputer._cli import build_parser

    args = build_parser().parse_args(["search", "-c", "c", "--fields", "id,-assets", "--bbox=1,2,3,4", "-d", "2021"])
    from azure.planetarycomputer._cli import _search

    capture = CapturePolicy()
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), per_retry_policies=[capture])
    with pytest.raises(Captured):
        next(iter(_search(client, args)))
    assert body(capture.requests[0]) == {
        "collections": ["c"],
        "bbox": [1.0, 2.0, 3.0, 4.0],
        "datetime": "2021-01-01T00:00:00Z/2021-12-31T23:59:59Z",
        "fields": {"include": ["id"], "exclude": ["assets"]},
    }
