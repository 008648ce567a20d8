"""Searches across pages: ``stac.item_search`` / ``stac.list_items`` (sync and async).

Unit tests run against a fake service (``tests/fakes.py``) that pages a list of items with POST or
GET next links; emulator tests page real searches of a GeoCatalog emulator.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import uuid
from typing import Any, Callable, Dict, Iterator, List, Optional
from urllib.parse import parse_qs, urlsplit

import pytest
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpRequest

from azure.planetarycomputer import (
    ItemSearch,
    PagingError,
    PlanetaryComputerProClient,
    StaticTokenCredential,
    UntrustedUrlError,
    models,
)
from azure.planetarycomputer import _search as search_module
from azure.planetarycomputer.aio import AsyncItemSearch, AsyncStaticTokenCredential
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncClient
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

from .conftest import ENDPOINT, AsyncFakeCredential, FakeCredential
from .fakes import AsyncFakeTransport, FakeTransport, Reply

SEARCH_URL = ENDPOINT + "/stac/search"


def item(index: int, collection: str = "c") -> Dict[str, Any]:
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": f"item-{index:02d}",
        "collection": collection,
        "bbox": [0, 0, 1, 1],
        "geometry": {"type": "Point", "coordinates": [0.5, 0.5]},
        "properties": {"datetime": "2024-01-01T00:00:00Z"},
        "assets": {},
        "links": [],
    }


class Service:
    """A fake ``/stac/search`` and ``/stac/collections/c/items`` paging ``total`` items.

    ``style`` chooses the next links: "post" (body with token, merge true), "post-replace" (the whole
    body, no merge), "get" (an href with ?token=). Tokens are the offset of the next page.
    """

    def __init__(self, total: int, style: str = "post", default_limit: int = 10, matched: bool = True) -> None:
        self.items = [item(i) for i in range(total)]
        self.style = style
        self.default_limit = default_limit
        self.matched = matched
        self.fail_on: Optional[int] = None  # the request number (1-based) to answer with a 500
        self.calls = 0

    def __call__(self, request: HttpRequest) -> Reply:
        self.calls += 1
        if self.fail_on == self.calls:
            return Reply(500, {"error": {"code": "InternalServerError", "message": "page went wrong"}})
        query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
        assert query.get("api-version") == "2026-04-15"
        if request.method == "POST":
            body = json.loads(request.content)
            token, limit = body.get("token"), body.get("limit", self.default_limit)
        else:
            body = {}
            token, limit = query.get("token"), int(query.get("limit", self.default_limit))
        offset = int(token.split(":")[1]) if token else 0
        features = self.items[offset : offset + limit]
        page: Dict[str, Any] = {"type": "FeatureCollection", "features": features, "links": []}
        if self.matched:
            page["numberMatched"] = len(self.items)
        following = offset + limit
        if following < len(self.items):
            page["links"].append(self.next_link(request, body, query, f"next:{following}"))
        return Reply(200, page)

    def next_link(self, request: HttpRequest, body: Dict[str, Any], query: Dict[str, str], token: str) -> Any:
        path = urlsplit(request.url).path
        keep = "&".join(f"{k}={v}" for k, v in query.items() if k != "token")
        if self.style == "post":
            href = f"{ENDPOINT}{path}?{keep}"
            return {"rel": "next", "href": href, "method": "POST", "body": {"token": token}, "merge": True}
        if self.style == "post-replace":
            href = f"{ENDPOINT}{path}?{keep}"
            return {"rel": "next", "href": href, "method": "POST", "body": {**body, "token": token}}
        limit = body.get("limit", query.get("limit", self.default_limit))
        return {"rel": "next", "href": f"{ENDPOINT}/stac/search?api-version=2026-04-15&limit={limit}&token={token}"}


def client_for(handler: Callable[[HttpRequest], Reply]) -> "tuple[PlanetaryComputerProClient, FakeTransport]":
    transport = FakeTransport(handler)
    return PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport, retry_total=0), transport


def ids(items: Any) -> List[str]:
    return [i.id for i in items]


def bodies(transport: Any) -> List[Dict[str, Any]]:
    return [json.loads(r.content) for r in transport.requests]


# --------------------------------------------------------------------------- request shape


def test_nothing_is_sent_until_iterated_and_keywords_become_wire_keys() -> None:
    client, transport = client_for(Service(3))
    search = client.stac.item_search(
        collections="c",
        ids=["item-00", "item-01"],
        bounding_box=[0, 0, 1, 1],
        datetime=(dt.datetime(2024, 1, 1), None),
        filter="eo:cloud_cover < 10",
        query={"platform": {"eq": "x"}},
        sort_by="-properties.datetime,id",
        page_size=2,
    )
    assert isinstance(search, ItemSearch)
    assert transport.requests == []
    list(search)
    first = transport.requests[0]
    assert first.method == "POST" and first.url.startswith(SEARCH_URL + "?")
    assert json.loads(first.content) == {
        "collections": ["c"],
        "ids": ["item-00", "item-01"],
        "bbox": [0, 0, 1, 1],
        "datetime": "2024-01-01T00:00:00Z/..",
        "filter": "eo:cloud_cover < 10",
        "filter-lang": "cql2-text",
        "query": {"platform": {"eq": "x"}},
        "sortby": [{"field": "properties.datetime", "direction": "desc"}, {"field": "id", "direction": "asc"}],
        "limit": 2,
    }


def test_body_as_model_or_mapping_with_keywords_over_it() -> None:
    client, transport = client_for(Service(1))
    body = models.StacSearchParameters(collections=["c"], limit=50, filter={"op": "=", "args": [1, 1]})
    list(client.stac.item_search(body, page_size=7))
    list(client.stac.item_search({"collections": ["c"], "filter-lang": "cql2-json", "datetime": "2024"}))
    assert bodies(transport) == [
        {"collections": ["c"], "limit": 7, "filter": {"op": "=", "args": [1, 1]}, "filter-lang": "cql2-json"},
        {"collections": ["c"], "filter-lang": "cql2-json", "datetime": "2024"},
    ]


def test_bad_arguments_fail_before_any_request() -> None:
    client, transport = client_for(Service(1))
    with pytest.raises(ValueError, match="page_size"):
        client.stac.item_search(page_size=0)
    with pytest.raises(ValueError, match="max_items"):
        client.stac.item_search(max_items=-1)
    with pytest.raises(ValueError, match="bounding_box"):
        client.stac.item_search(bounding_box=[1, 2, 3])
    with pytest.raises(TypeError, match="body"):
        client.stac.item_search("collections=c")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="cls"):
        client.stac.item_search(cls=lambda *a: a)
    with pytest.raises(ValueError, match="bounding_box"):
        client.stac.list_items("c", bounding_box=[1])
    assert transport.requests == []


# --------------------------------------------------------------------------- following next links


def test_post_next_links_merge_their_body_and_keep_the_query() -> None:
    client, transport = client_for(Service(10))
    search = client.stac.item_search(collections=["c"], page_size=4, sign="true", duration_in_minutes=15)
    assert ids(search) == [f"item-{i:02d}" for i in range(10)]
    assert [r.method for r in transport.requests] == ["POST"] * 3
    assert bodies(transport) == [
        {"collections": ["c"], "limit": 4},
        {"collections": ["c"], "limit": 4, "token": "next:4"},
        {"collections": ["c"], "limit": 4, "token": "next:8"},
    ]
    for request in transport.requests:
        query = parse_qs(urlsplit(request.url).query)
        assert query == {"api-version": ["2026-04-15"], "sign": ["true"], "duration": ["15"]}


def test_post_next_links_without_merge_replace_the_body() -> None:
    client, transport = client_for(Service(5, style="post-replace"))
    assert len(list(client.stac.item_search(collections=["c"], page_size=2))) == 5
    assert [b.get("token") for b in bodies(transport)] == [None, "next:2", "next:4"]
    assert all(b["collections"] == ["c"] for b in bodies(transport))


def test_get_next_links_go_through_the_pipeline() -> None:
    client, transport = client_for(Service(7, style="get"))
    assert ids(client.stac.item_search(collections=["c"], page_size=3)) == [f"item-{i:02d}" for i in range(7)]
    methods = [(r.method, urlsplit(r.url).path) for r in transport.requests]
    assert methods == [("POST", "/stac/search"), ("GET", "/stac/search"), ("GET", "/stac/search")]
    second = parse_qs(urlsplit(transport.requests[1].url).query)
    assert second == {"api-version": ["2026-04-15"], "limit": ["3"], "token": ["next:3"]}
    assert transport.requests[1].headers["Authorization"] == "Bearer fake-token"


def test_a_get_next_link_keeps_sign_and_duration_it_lost() -> None:
    client, transport = client_for(Service(4, style="get"))
    list(client.stac.item_search(collections=["c"], page_size=2, sign="true", duration_in_minutes=5))
    query = parse_qs(urlsplit(transport.requests[1].url).query)
    assert query["sign"] == ["true"] and query["duration"] == ["5"] and query["token"] == ["next:2"]


def test_pages_and_item_collection() -> None:
    client, transport = client_for(Service(9))
    search = client.stac.item_search(collections=["c"], page_size=4)
    pages = list(search.pages())
    assert [len(p.features) for p in pages] == [4, 4, 1]
    assert all(isinstance(p, models.StacItemCollection) for p in pages)
    everything = search.item_collection()
    assert isinstance(everything, models.StacItemCollection)
    assert everything.type == "FeatureCollection"
    assert ids(everything.features) == [f"item-{i:02d}" for i in range(9)]
    assert all(isinstance(f, models.StacItem) for f in everything.features)
    assert json.loads(json.dumps(everything.as_dict()))["features"][0]["id"] == "item-00"
    assert len(transport.requests) == 6  # each iteration runs the search again


def test_max_items_stops_without_fetching_further_pages() -> None:
    service = Service(12)
    client, transport = client_for(service)
    assert ids(client.stac.item_search(collections=["c"], page_size=4, max_items=4)) == ids(
        models.StacItem(i) for i in service.items[:4]
    )
    assert len(transport.requests) == 1  # the first page had them all: no second request
    transport.requests.clear()
    search = client.stac.item_search(collections=["c"], page_size=4, max_items=6)
    assert len(list(search)) == 6 and len(transport.requests) == 2
    transport.requests.clear()
    assert [len(p.features) for p in search.pages()] == [4, 2]  # the last page is cut
    assert len(search.item_collection().features) == 6
    transport.requests.clear()
    assert list(client.stac.item_search(collections=["c"], max_items=0)) == []
    assert transport.requests == []


def wait_until(condition: Callable[[], bool]) -> None:
    """Wait for a page fetched ahead on another thread to reach the transport (not a speed bound)."""
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the page fetched ahead never reached the transport"
        time.sleep(0.001)


def test_iteration_fetches_one_page_ahead() -> None:
    client, transport = client_for(Service(15))
    items = iter(client.stac.item_search(collections=["c"], page_size=5))
    assert next(items).id == "item-00"
    wait_until(lambda: len(transport.requests) == 2)  # page 2 is fetched while page 1 is read
    for _ in range(4):
        next(items)
    assert len(transport.requests) == 2  # never more than one page ahead
    assert next(items).id == "item-05"
    wait_until(lambda: len(transport.requests) == 3)
    assert [i.id for i in items][-1] == "item-14"
    assert len(transport.requests) == 3  # the last page has no next link: nothing more is asked for


def test_stopping_early_asks_for_no_further_page() -> None:
    client, transport = client_for(Service(50))
    search = client.stac.item_search(collections=["c"], page_size=5)
    for found in search:
        if found.id == "item-07":  # in page 2, while page 3 is fetched ahead
            break
    wait_until(lambda: len(transport.requests) == 3)
    time.sleep(0.05)  # a stray fetch of page 4 would have started by now
    assert len(transport.requests) == 3


def test_a_bad_next_link_is_raised_after_its_page() -> None:
    page = {
        "type": "FeatureCollection",
        "features": [item(0)],
        "links": [{"rel": "next", "href": SEARCH_URL, "method": "PUT"}],
    }
    client, transport = client_for(lambda request: Reply(200, page))
    seen: List[str] = []
    with pytest.raises(ValueError, match="PUT"):
        for found in client.stac.item_search(collections=["c"]):
            seen.append(found.id)
    assert seen == ["item-00"] and len(transport.requests) == 1


def test_number_matched() -> None:
    client, transport = client_for(Service(11))
    assert client.stac.item_search(collections=["c"], page_size=4).number_matched() == 11
    assert bodies(transport)[-1]["limit"] == 1  # a small request
    client, _ = client_for(Service(3, matched=False))
    assert client.stac.item_search(collections=["c"]).number_matched() is None
    context_page = {"type": "FeatureCollection", "features": [], "context": {"matched": 42, "returned": 0}}
    client, _ = client_for(lambda request: Reply(200, context_page))
    assert client.stac.item_search(collections=["c"]).number_matched() == 42


def test_a_failing_page_raises_after_the_earlier_pages() -> None:
    service = Service(10)
    service.fail_on = 2
    client, _ = client_for(service)
    seen: List[str] = []
    with pytest.raises(HttpResponseError) as info:
        for found in client.stac.item_search(collections=["c"], page_size=4):
            seen.append(found.id)
    assert info.value.status_code == 500 and "page went wrong" in str(info.value)
    assert seen == ["item-00", "item-01", "item-02", "item-03"]


def test_a_failing_get_page_raises() -> None:
    service = Service(10, style="get")
    service.fail_on = 2
    client, _ = client_for(service)
    with pytest.raises(HttpResponseError) as info:
        list(client.stac.item_search(collections=["c"], page_size=4))
    assert info.value.status_code == 500


def _looping(style: str) -> Callable[[HttpRequest], Reply]:
    if style == "post":
        link = {"rel": "next", "href": SEARCH_URL, "method": "POST", "body": {"token": "same"}, "merge": True}
    else:
        link = {"rel": "next", "href": SEARCH_URL + "?token=same"}

    def handler(request: HttpRequest) -> Reply:
        return Reply(200, {"type": "FeatureCollection", "features": [item(0)], "links": [link]})

    return handler


@pytest.mark.parametrize("style", ["post", "get"])
def test_a_next_link_that_repeats_itself_stops_with_an_error(style: str) -> None:
    client, transport = client_for(_looping(style))
    with pytest.raises(RuntimeError, match="repeats a request already made"):
        list(client.stac.item_search(collections=["c"]))
    assert len(transport.requests) == 2


def test_a_next_link_back_to_the_first_request_is_a_loop() -> None:
    link = {"rel": "next", "href": SEARCH_URL, "method": "POST", "body": {"collections": ["c"]}}
    client, transport = client_for(
        lambda request: Reply(200, {"type": "FeatureCollection", "features": [], "links": [link]})
    )
    with pytest.raises(RuntimeError, match="page 1"):
        list(client.stac.item_search(collections=["c"]))
    assert len(transport.requests) == 1


def _empty_pages_with_fresh_tokens(style: str) -> Callable[[HttpRequest], Reply]:
    calls = [0]

    def handler(request: HttpRequest) -> Reply:
        calls[0] += 1
        token = f"t{calls[0]}"
        if style == "post":
            link = {"rel": "next", "href": SEARCH_URL, "method": "POST", "body": {"collections": ["c"], "token": token}}
        else:
            link = {"rel": "next", "href": f"{SEARCH_URL}?api-version=2026-04-15&token={token}"}
        return Reply(200, {"type": "FeatureCollection", "features": [], "links": [link]})

    return handler


@pytest.mark.parametrize("style", ["post", "get"])
def test_empty_pages_in_a_row_stop_with_an_error(style: str) -> None:
    client, transport = client_for(_empty_pages_with_fresh_tokens(style))
    with pytest.raises(PagingError, match="5 empty pages in a row"):
        list(client.stac.item_search(collections=["c"]))
    assert len(transport.requests) == 5
    relaxed = PlanetaryComputerProClient(
        ENDPOINT,
        FakeCredential(),
        transport=FakeTransport(_empty_pages_with_fresh_tokens(style)),
        retry_total=0,
        max_empty_pages=8,
    )
    with pytest.raises(PagingError, match="8 empty pages in a row"):
        list(relaxed.stac.item_search(collections=["c"]))


@pytest.mark.parametrize("style", ["post", "get"])
def test_a_next_link_to_another_host_is_refused_before_sending(style: str) -> None:
    stranger = "https://stranger.example.com/stac/search"
    if style == "post":
        link = {"rel": "next", "href": stranger, "method": "POST", "body": {"collections": ["c"], "token": "x"}}
    else:
        link = {"rel": "next", "href": f"{stranger}?token=x"}
    client, transport = client_for(
        lambda request: Reply(200, {"type": "FeatureCollection", "features": [item(0)], "links": [link]})
    )
    seen: List[str] = []
    with pytest.raises(UntrustedUrlError, match="stranger.example.com"):
        for found in client.stac.item_search(collections=["c"]):
            seen.append(found.id)
    assert seen == ["item-00"]  # the page before it is read
    assert [urlsplit(r.url).hostname for r in transport.requests] == [urlsplit(ENDPOINT).hostname]


async def test_async_search_guards() -> None:
    client, transport = async_client_for(_empty_pages_with_fresh_tokens("post"))
    async with client:
        with pytest.raises(PagingError, match="empty pages in a row"):
            [i async for i in client.stac.item_search(collections=["c"])]
    link = {"rel": "next", "href": "https://stranger.example.com/stac/search?token=x"}
    client, transport = async_client_for(
        lambda request: Reply(200, {"type": "FeatureCollection", "features": [item(0)], "links": [link]})
    )
    async with client:
        with pytest.raises(UntrustedUrlError):
            [i async for i in client.stac.item_search(collections=["c"])]
    assert len(transport.requests) == 1


def test_pages_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "MAX_PAGES", 3)
    client, transport = client_for(Service(100))
    with pytest.raises(RuntimeError, match="after 3 pages"):
        list(client.stac.item_search(collections=["c"], page_size=1))
    assert len(transport.requests) == 3


def test_list_items_pages_a_collection_over_get_links() -> None:
    service = Service(7, style="get")

    def handler(request: HttpRequest) -> Reply:
        reply = service(request)
        page = reply.body
        for link in page["links"]:  # the collection's items endpoint, like the service's
            link["href"] = link["href"].replace("/stac/search", "/stac/collections/c/items")
        return reply

    client, transport = client_for(handler)
    search = client.stac.list_items(
        "c", bounding_box=[0, 0, 1, 1], datetime="2024-01-01T00:00:00Z/..", page_size=3, sign="true"
    )
    assert transport.requests == []
    assert ids(search) == [f"item-{i:02d}" for i in range(7)]
    first = transport.requests[0]
    assert first.method == "GET" and urlsplit(first.url).path == "/stac/collections/c/items"
    assert parse_qs(urlsplit(first.url).query) == {
        "api-version": ["2026-04-15"],
        "limit": ["3"],
        "bbox": ["0,0,1,1"],
        "datetime": ["2024-01-01T00:00:00Z/.."],
        "sign": ["true"],
    }
    second = parse_qs(urlsplit(transport.requests[1].url).query)
    assert second["token"] == ["next:3"] and second["sign"] == ["true"]
    assert [urlsplit(r.url).path for r in transport.requests] == ["/stac/collections/c/items"] * 3
    transport.requests.clear()
    assert len(list(client.stac.list_items("c", page_size=3, max_items=3))) == 3
    assert len(transport.requests) == 1


def test_headers_reach_every_page() -> None:
    client, transport = client_for(Service(5, style="get"))
    list(client.stac.item_search(collections=["c"], page_size=2, headers={"x-ms-test": "1"}))
    assert [r.headers.get("x-ms-test") for r in transport.requests] == ["1", "1", "1"]


# --------------------------------------------------------------------------- async


def async_client_for(handler: Callable[[HttpRequest], Reply]) -> "tuple[AsyncClient, AsyncFakeTransport]":
    transport = AsyncFakeTransport(handler)
    return AsyncClient(ENDPOINT, AsyncFakeCredential(), transport=transport, retry_total=0), transport


@pytest.mark.parametrize("style", ["post", "get"])
async def test_async_item_search_across_pages(style: str) -> None:
    client, transport = async_client_for(Service(10, style=style))
    async with client:
        search = client.stac.item_search(collections=["c"], page_size=4, sign="true")
        assert isinstance(search, AsyncItemSearch)
        assert transport.requests == []
        assert [i.id async for i in search] == [f"item-{i:02d}" for i in range(10)]
        assert len(transport.requests) == 3
        assert all("sign=true" in r.url for r in transport.requests)
        assert [len(p.features) async for p in search.pages()] == [4, 4, 2]
        everything = await search.item_collection()
        assert isinstance(everything, models.StacItemCollection) and len(everything.features) == 10
        assert await search.number_matched() == 10


async def test_async_max_items_and_errors() -> None:
    service = Service(12)
    client, transport = async_client_for(service)
    async with client:
        search = client.stac.item_search(collections=["c"], page_size=4, max_items=4)
        assert len([i async for i in search.items()]) == 4
        assert len(transport.requests) == 1
        assert (
            len((await client.stac.item_search(collections=["c"], page_size=5, max_items=7).item_collection()).features)
            == 7
        )
        service.fail_on = service.calls + 2
        with pytest.raises(HttpResponseError):
            [i async for i in client.stac.item_search(collections=["c"], page_size=4)]
        with pytest.raises(ValueError):
            client.stac.item_search(page_size=-3)


class GatedTransport(AsyncFakeTransport):
    """Answers the first two requests at once; later ones wait for ``gate`` (a slow server)."""

    def __init__(self, handler: Callable[[HttpRequest], Reply]) -> None:
        super().__init__(handler)
        self.gate = asyncio.Event()
        self.started = 0

    async def send(self, request: HttpRequest, **kwargs: Any) -> Any:
        self.started += 1
        if self.started > 2:
            await self.gate.wait()
        return await super().send(request, **kwargs)


async def test_async_fetches_one_page_ahead_and_cancels_it_when_stopped() -> None:
    transport = GatedTransport(Service(15))
    client = AsyncClient(ENDPOINT, AsyncFakeCredential(), transport=transport, retry_total=0)
    async with client:
        items = client.stac.item_search(collections=["c"], page_size=5).items()
        assert (await items.__anext__()).id == "item-00"
        assert transport.started == 2  # page 2 was asked for before page 1 was handed out
        for _ in range(4):
            await items.__anext__()
        assert transport.started == 2  # never more than one page ahead
        assert (await items.__anext__()).id == "item-05"
        assert transport.started == 3  # page 3 under way, held by the slow server
        pending = {task for task in asyncio.all_tasks() if task is not asyncio.current_task()}
        assert pending
        await items.aclose()  # the caller stops early
        await asyncio.sleep(0)  # the cancelled task unwinds
        assert all(task.cancelled() for task in pending)
        assert len(transport.requests) == 2  # page 3 was never answered


async def test_async_list_items_and_loop_guard() -> None:
    client, transport = async_client_for(Service(5, style="get"))
    async with client:
        assert len([i async for i in client.stac.list_items("c", page_size=2)]) == 5
        assert [r.method for r in transport.requests] == ["GET"] * 3
    client, transport = async_client_for(_looping("post"))
    async with client:
        with pytest.raises(RuntimeError, match="repeats"):
            [i async for i in client.stac.item_search(collections=["c"])]


# --------------------------------------------------------------------------- emulator

EMULATOR_ITEMS = 25


def emulator_item(cid: str, index: int) -> Dict[str, Any]:
    west = float(index % 5)
    south = float(index // 5)
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": f"p{index:02d}",
        "collection": cid,
        "bbox": [west, south, west + 1, south + 1],
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[west, south], [west + 1, south], [west + 1, south + 1], [west, south + 1], [west, south]]
            ],
        },
        "properties": {"datetime": f"2024-01-{index + 1:02d}T00:00:00Z", "eo:cloud_cover": index * 4},
        "assets": {},
        "links": [],
    }


@pytest.fixture(scope="module")
def paged_collection(geocatalog_emulator: Emulator) -> Iterator[str]:  # noqa: F811
    cid = f"paging-{uuid.uuid4().hex[:8]}"
    with PlanetaryComputerProClient(geocatalog_emulator.endpoint, StaticTokenCredential(), retry_total=0) as client:
        collection = {
            "type": "Collection",
            "id": cid,
            "stac_version": "1.0.0",
            "description": "paging",
            "license": "CC-BY-4.0",
            "extent": {
                "spatial": {"bbox": [[0, 0, 5, 5]]},
                "temporal": {"interval": [["2024-01-01T00:00:00Z", None]]},
            },
            "links": [],
        }
        client.stac.begin_create_collection(collection, polling_interval=0).result()
        features = [emulator_item(cid, i) for i in range(EMULATOR_ITEMS)]
        client.stac.begin_create_item(
            cid, {"type": "FeatureCollection", "features": features}, polling_interval=0
        ).result()
        yield cid
        client.stac.begin_delete_collection(cid, polling_interval=0).result()


@pytest.fixture
def emulator_client(geocatalog_emulator: Emulator) -> Iterator[PlanetaryComputerProClient]:  # noqa: F811
    with PlanetaryComputerProClient(geocatalog_emulator.endpoint, StaticTokenCredential(), retry_total=0) as client:
        yield client


def test_emulator_item_search_pages_every_item_once(
    emulator_client: PlanetaryComputerProClient, paged_collection: str
) -> None:
    stac = emulator_client.stac
    one_page = ids(stac.search({"collections": [paged_collection], "limit": 100}).features)
    assert len(one_page) == EMULATOR_ITEMS
    search = stac.item_search(collections=[paged_collection], page_size=4)
    assert ids(search) == one_page  # all, no duplicates, in the emulator's order
    assert [len(p.features) for p in search.pages()] == [4] * 6 + [1]
    assert search.number_matched() is None  # the emulator, like the service, sends no numberMatched
    assert ids(stac.item_search(collections=[paged_collection], page_size=4, max_items=10)) == one_page[:10]
    assert len(search.item_collection().features) == EMULATOR_ITEMS


def test_emulator_item_search_filters(emulator_client: PlanetaryComputerProClient, paged_collection: str) -> None:
    stac = emulator_client.stac
    cloudy = stac.item_search(collections=[paged_collection], filter="eo:cloud_cover >= 60", page_size=3)
    assert sorted(ids(cloudy)) == [f"p{i:02d}" for i in range(15, EMULATOR_ITEMS)]
    by_json = stac.item_search(
        collections=[paged_collection],
        filter={"op": "<", "args": [{"property": "eo:cloud_cover"}, 20]},
        page_size=2,
    )
    assert sorted(ids(by_json)) == [f"p{i:02d}" for i in range(5)]
    in_box = stac.item_search(collections=[paged_collection], bounding_box=[0.2, 0.2, 0.8, 4.8], page_size=2)
    assert sorted(ids(in_box)) == [f"p{i:02d}" for i in range(0, EMULATOR_ITEMS, 5)]
    in_time = stac.item_search(
        collections=[paged_collection], datetime=(dt.datetime(2024, 1, 20), None), page_size=2, max_items=100
    )
    assert sorted(ids(in_time)) == [f"p{i:02d}" for i in range(19, EMULATOR_ITEMS)]
    newest = stac.item_search(collections=[paged_collection], sort_by="-properties.datetime", page_size=4, max_items=5)
    assert ids(newest) == [f"p{i:02d}" for i in range(24, 19, -1)]


def test_emulator_list_items_pages_the_collection(
    emulator_client: PlanetaryComputerProClient, paged_collection: str
) -> None:
    stac = emulator_client.stac
    listed = ids(stac.list_items(paged_collection, page_size=4))
    assert sorted(listed) == [f"p{i:02d}" for i in range(EMULATOR_ITEMS)] and len(set(listed)) == EMULATOR_ITEMS
    assert len(list(stac.list_items(paged_collection, page_size=4, max_items=9))) == 9
    in_box = stac.list_items(paged_collection, bounding_box=[0.2, 0.2, 0.8, 4.8], page_size=2)
    assert sorted(ids(in_box)) == [f"p{i:02d}" for i in range(0, EMULATOR_ITEMS, 5)]


async def test_emulator_async_item_search(geocatalog_emulator: Emulator, paged_collection: str) -> None:  # noqa: F811
    async with AsyncClient(geocatalog_emulator.endpoint, AsyncStaticTokenCredential(), retry_total=0) as client:
        one_page = ids((await client.stac.search({"collections": [paged_collection], "limit": 100})).features)
        search = client.stac.item_search(collections=[paged_collection], page_size=4)
        assert [i.id async for i in search] == one_page
        assert [len(p.features) async for p in search.pages()] == [4] * 6 + [1]
        limited = await client.stac.item_search(
            collections=[paged_collection], page_size=4, max_items=10
        ).item_collection()
        assert ids(limited.features) == one_page[:10]
        listed = [i.id async for i in client.stac.list_items(paged_collection, page_size=6)]
        assert sorted(listed) == sorted(one_page)
        cloudy = client.stac.item_search(collections=[paged_collection], filter="eo:cloud_cover >= 60", page_size=3)
        assert len([i async for i in cloudy]) == 10
