"""Hostile answers and hostile ids: no loop, no raw Python error, no request to another resource.

* Every generated pager (sync and async) stops with ``PagingError`` when a next link repeats or
  when ``max_empty_pages`` (5) empty pages in a row each carry a fresh next link.
* JSON nested past the recursion limit is an ``HttpResponseError``/``DecodeError`` keeping the
  status, not a ``RecursionError``.
* Path ids ``.``, ``..``, blank and non-strings raise ``ValueError``/``TypeError`` naming the
  parameter before anything is sent (for every generated operation: ``test_arguments``).
"""

from __future__ import annotations

import math
from typing import Any, Dict, Iterator, List

import pytest
from azure.core.exceptions import DecodeError, HttpResponseError

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential
from azure.planetarycomputer import aio as pc_aio
from azure.planetarycomputer._auth import AsyncStaticTokenCredential
from azure.planetarycomputer._guards import PageGuard, PagingError, path_argument

from .loopback import Answer, Host, Seen

OPERATION = {"id": "op", "status": "Succeeded", "type": "StacCollectionCreate"}
#: (operation group, pager method, keyword arguments) of every generated pager.
PAGERS = [
    ("ingestion", "list_sources", {}),
    ("ingestion", "list", {"collection_id": "c"}),
    ("ingestion", "list_runs", {"collection_id": "c", "ingestion_id": "i"}),
    ("ingestion", "list_operations", {}),
    ("ingestion", "list_managed_identities", {}),
]
ITEMS = {
    "list_sources": {"id": "s", "kind": "SasToken"},
    "list": {"id": "i", "importType": "StaticCatalog", "displayName": "x"},
    "list_runs": {"id": "r"},
    "list_operations": OPERATION,
    "list_managed_identities": {"objectId": "o", "resourceId": "r"},
}


class Paging:
    """A loopback endpoint whose every GET answers a page, built by ``page(number)``."""

    def __init__(self) -> None:
        self.pages = 0
        self.page: Any = None
        self.host = Host("127.0.0.1", self._answer)

    def _answer(self, host: Host, seen: Seen) -> Answer:
        self.pages += 1
        return Answer(200, self.page(self.pages, seen.path))

    def client(self, **kwargs: Any) -> PlanetaryComputerProClient:
        return PlanetaryComputerProClient(self.host.url, StaticTokenCredential(), retry_total=0, **kwargs)

    def async_client(self, **kwargs: Any) -> pc_aio.PlanetaryComputerProClient:
        return pc_aio.PlanetaryComputerProClient(self.host.url, AsyncStaticTokenCredential(), retry_total=0, **kwargs)


@pytest.fixture
def paging() -> Iterator[Paging]:
    served = Paging()
    try:
        yield served
    finally:
        served.host.stop()


def _self_link(paging: Paging, name: str) -> Any:
    def page(number: int, path: str) -> Dict[str, Any]:
        return {"value": [ITEMS[name]], "nextLink": paging.host.url + "/same/page?x=1"}

    return page


def _empty_pages(paging: Paging, name: str) -> Any:
    def page(number: int, path: str) -> Dict[str, Any]:
        return {"value": [ITEMS[name]] if number == 1 else [], "nextLink": f"{paging.host.url}/p?token={number}"}

    return page


@pytest.mark.parametrize(("group", "name", "kwargs"), PAGERS, ids=[p[1] for p in PAGERS])
def test_every_pager_stops_on_a_repeated_next_link(paging: Paging, group: str, name: str, kwargs: Any) -> None:
    paging.page = _self_link(paging, name)
    pager = getattr(getattr(paging.client(), group), name)(**kwargs)
    got: List[Any] = []
    with pytest.raises(PagingError, match="repeats an earlier one") as caught:
        for item in pager:
            got.append(item)
    assert paging.pages == 2 and len(got) == 2  # each page's items arrive; the loop is caught when followed
    assert isinstance(caught.value, HttpResponseError) and isinstance(caught.value, RuntimeError)


@pytest.mark.parametrize(("group", "name", "kwargs"), PAGERS, ids=[p[1] for p in PAGERS])
def test_every_pager_stops_after_five_empty_pages(paging: Paging, group: str, name: str, kwargs: Any) -> None:
    paging.page = _empty_pages(paging, name)
    with pytest.raises(PagingError, match="after 5 empty pages in a row"):
        list(getattr(getattr(paging.client(), group), name)(**kwargs))
    assert paging.pages == 6  # one page with an item, then five empty ones


@pytest.mark.parametrize(("group", "name", "kwargs"), PAGERS, ids=[p[1] for p in PAGERS])
async def test_every_async_pager_stops_on_loops(paging: Paging, group: str, name: str, kwargs: Any) -> None:
    async with paging.async_client() as client:
        paging.page = _self_link(paging, name)
        with pytest.raises(PagingError, match="repeats"):
            async for _ in getattr(getattr(client, group), name)(**kwargs):
                pass
        assert paging.pages == 2
        paging.pages, paging.page = 0, _empty_pages(paging, name)
        with pytest.raises(PagingError, match="5 empty pages"):
            async for _ in getattr(getattr(client, group), name)(**kwargs):
                pass
        assert paging.pages == 6


def test_max_empty_pages_is_the_clients_to_set(paging: Paging) -> None:
    def page(number: int, path: str) -> Dict[str, Any]:
        last = number == 12
        return {
            "value": [] if not last else [ITEMS["list_sources"]],
            **({} if last else {"nextLink": f"/p?t={number}"}),
        }

    paging.page = page
    assert len(list(paging.client(max_empty_pages=None).ingestion.list_sources())) == 1
    paging.pages = 0
    with pytest.raises(PagingError, match="after 2 empty pages"):
        list(paging.client(max_empty_pages=2).ingestion.list_sources())
    assert paging.pages == 2


def test_a_pager_can_be_iterated_again(paging: Paging) -> None:
    paging.page = lambda n, path: {
        "value": [ITEMS["list_sources"]],
        **({} if "page=2" in path else {"nextLink": "/p?page=2"}),
    }
    pager = paging.client().ingestion.list_sources()
    assert len(list(pager.by_page())) == 2 and len(list(pager.by_page())) == 2  # no false loop
    assert len(list(pager.by_page(continuation_token="/p?page=2"))) == 1


def test_page_guard_rules() -> None:
    guard = PageGuard(3)
    guard.check("a", 0)
    guard.check("b", 0)
    guard.check("c", 4)  # items: the run of empty pages starts over
    guard.check("d", 0)
    with pytest.raises(PagingError, match="repeats"):
        guard.check("a", 1)
    guard.reset()
    guard.check("a", 0)
    guard.check("b", 0)
    with pytest.raises(PagingError, match="3 empty pages"):
        guard.check("c", 0)
    for bad in (0, -1, True, 2.5):
        with pytest.raises(ValueError, match="max_empty_pages"):
            PageGuard(bad)  # type: ignore[arg-type]


# -- JSON nested too deep ---------------------------------------------------------------------------------------------

DEEP = "[" * 200_000 + "]" * 200_000


@pytest.mark.parametrize("status", [200, 500])
def test_deep_json_keeps_the_status(status: int) -> None:
    endpoint = Host("127.0.0.1", lambda host, seen: Answer(status, DEEP, {"Content-Type": "application/json"}))
    try:
        client = PlanetaryComputerProClient(endpoint.url, StaticTokenCredential(), retry_total=0)
        with pytest.raises(HttpResponseError) as caught:
            client.stac.get_collection("c")
    finally:
        endpoint.stop()
    error = caught.value
    assert not isinstance(error, RecursionError) and error.status_code == status
    assert isinstance(error, DecodeError) == (status == 200)
    assert "GET /stac/collections/c returned" in str(error) and len(str(error)) <= 2048  # azure-core's cut


async def test_async_deep_json_keeps_the_status() -> None:
    endpoint = Host("127.0.0.1", lambda host, seen: Answer(503, DEEP, {"Content-Type": "application/json"}))
    try:
        async with pc_aio.PlanetaryComputerProClient(
            endpoint.url, AsyncStaticTokenCredential(), retry_total=0
        ) as client:
            with pytest.raises(HttpResponseError) as caught:
                await client.stac.get_collection("c")
    finally:
        endpoint.stop()
    assert caught.value.status_code == 503


def _nested(levels: int) -> Dict[str, Any]:
    root: Dict[str, Any] = {}
    node = root
    for _ in range(levels):
        node["a"] = {}
        node = node["a"]
    return root


def test_an_item_nested_deeper_than_python_walks_says_so_when_copied() -> None:
    """json.loads reads ~900 levels, Python's walkers stop near the recursion limit: a clear error."""
    import copy
    import json
    import pickle
    import sys
    import traceback

    from azure.core.exceptions import DeserializationError

    from azure.planetarycomputer import models

    from .fakes import FakeTransport, Reply

    levels = 400  # json.loads reads it on every Python; the walkers get a lower limit below
    document = {"type": "Feature", "id": "x", "properties": _nested(levels), "assets": {}, "links": []}
    page = json.dumps({"type": "FeatureCollection", "features": [document], "links": []})
    client = PlanetaryComputerProClient(
        "https://contoso.geocatalog.spatio.azure.com",
        StaticTokenCredential("t"),
        transport=FakeTransport(lambda request: Reply(200, page)),
        retry_total=0,
    )
    (item,) = client.stac.item_search(collections=["c"])
    assert item.id == "x" and "StacItem" in repr(item)  # reading what is there still works
    depth = len(traceback.extract_stack())
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + levels // 2)  # as if the item were nested past the usual limit
    try:
        for copy_it in (item.as_dict, lambda: item.__geo_interface__, lambda: copy.deepcopy(item), lambda: pickle.dumps(item)):
            with pytest.raises(ValueError, match="nested too deeply to copy to plain dicts"):
                copy_it()
        with pytest.raises(DeserializationError, match="nested too deeply to read as a model"):
            models.StacItem.deserialize(document)
    finally:
        sys.setrecursionlimit(limit)
    assert item.as_dict()["properties"] == _nested(levels)  # with room to walk it, it copies


# -- path ids ----------------------------------------------------------------------------------------------------------


def test_path_argument() -> None:
    assert path_argument("item_id", "a b/c", "str") == "a%20b%2Fc"
    assert path_argument("item_id", "...", "str") == "..."  # only "." and ".." are dot segments
    assert path_argument("item_id", "a..b", "str") == "a..b"
    assert path_argument("z", 3, "float") == "3.0"
    for value in (".", ".."):
        with pytest.raises(ValueError, match=r"^item_id must not be '\.{1,2}': the URL would address another"):
            path_argument("item_id", value, "str")
    with pytest.raises(ValueError, match="^item_id must not be blank"):
        path_argument("item_id", "  ", "str")
    with pytest.raises(TypeError, match="^item_id must be a str, not list$"):
        path_argument("item_id", ["a"], "str")
    with pytest.raises(TypeError, match="^z must be a number, not bool$"):
        path_argument("z", True, "float")
    assert not math.isnan(float(path_argument("z", "1", "float")))


def test_dot_ids_never_reach_the_server() -> None:
    endpoint = Host("127.0.0.1")
    try:
        client = PlanetaryComputerProClient(endpoint.url, StaticTokenCredential(), retry_total=0)
        with pytest.raises(ValueError, match="^item_id must not be '..'"):
            client.stac.begin_delete_item("c", "..")
        with pytest.raises(ValueError, match="^id must not be '..'"):
            client.ingestion.delete_source("..")
        with pytest.raises(ValueError, match="^collection_id must not be '.'"):
            client.sas.get_token(".")
        with pytest.raises(TypeError, match="^collection_id must be a str, not list"):
            client.stac.get_collection(["c"])  # type: ignore[arg-type]
    finally:
        endpoint.stop()
    assert endpoint.seen == []
