"""A search sends the next page's request before it parses the page in hand.

The next link is read from the end of the raw bytes (``_json_tail.top_level_links``); the parsed
page's own link then confirms it, or replaces it. These tests pin the reader on documents built
to mislead it, and the order of requests and parses in a search, sync and async.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any, Callable, Dict, List, Optional, TypeVar

import pytest
from azure.core.exceptions import DecodeError
from azure.core.rest import HttpRequest
from hypothesis import given, settings
from hypothesis import strategies as st

from azure.planetarycomputer import PlanetaryComputerProClient, _item_search, _runtime
from azure.planetarycomputer import _search as search_module
from azure.planetarycomputer._json_tail import TAIL_BYTES, top_level_links
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncClient
from azure.planetarycomputer.aio import _item_search as async_item_search

from .conftest import ENDPOINT, AsyncFakeCredential, FakeCredential
from .fakes import AsyncFakeTransport, FakeTransport, Reply
from .test_search_pages import Service, ids, item

R = TypeVar("R")

NEXT = {"rel": "next", "href": ENDPOINT + "/stac/search", "method": "POST", "body": {"token": "next:5"}, "merge": True}


def raw(document: Any) -> bytes:
    return json.dumps(document).encode("utf-8")


# --------------------------------------------------------------------------- the tail reader


def test_links_after_the_features_are_read_from_the_tail() -> None:
    features = [{**item(i), "links": [{"rel": "self", "href": f"{ENDPOINT}/x/{i}"}]} for i in range(3)]
    page = {"type": "FeatureCollection", "features": features, "links": [NEXT]}
    assert top_level_links(raw(page)) == [NEXT]
    page_with_more = {**page, "numberMatched": 12, "context": {"note": '} ] "links": []', "x": [1, {"y": None}]}}
    assert top_level_links(raw(page_with_more)) == [NEXT]  # members after the links are skipped whole
    assert top_level_links(json.dumps(page, indent=2).encode() + b"\n\n") == [NEXT]


@pytest.mark.parametrize(
    "document",
    [
        # no top-level links at all, but a feature has some
        {"type": "FeatureCollection", "features": [{**item(0), "links": [NEXT]}]},
        # "links" inside a nested object that ends the document
        {"type": "FeatureCollection", "features": [], "context": {"links": [NEXT]}},
        # "links" as a value, and inside a string
        {"type": "FeatureCollection", "features": [], "rel": "links"},
        {"type": "FeatureCollection", "features": [], "note": ', "links": [1]}'},
        # the links are not an array
        {"type": "FeatureCollection", "features": [], "links": {"next": NEXT}},
    ],
)
def test_anything_but_the_outermost_links_array_is_not_taken(document: Dict[str, Any]) -> None:
    assert top_level_links(raw(document)) is None


def test_links_before_the_features_are_found_only_near_the_end() -> None:
    first_links = [{**NEXT, "title": "the page's own"}]
    features = [{**item(i), "links": [NEXT]} for i in range(2)]
    small = {"links": first_links, "type": "FeatureCollection", "features": features}
    assert top_level_links(raw(small)) == first_links  # the features' links end inside a feature: skipped
    many = {**small, "features": [{**item(i), "links": [NEXT]} for i in range(500)]}
    assert top_level_links(raw(many)) is None  # out of reach: the parse decides


@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b"[]", b'{"links": [1]', b'{"links": [1]}}', b'{"links": [1}', b'{"a" "links": [1]}', b"\xff}"],
)
def test_broken_or_cut_bodies_give_nothing(body: bytes) -> None:
    assert top_level_links(body) is None


def test_a_tail_window_cut_inside_a_character_and_links_beyond_the_window() -> None:
    links = [{**NEXT, "title": "Säntis — 次のページ"}]
    filler = "é" * TAIL_BYTES  # two bytes each: the window starts inside one of them either way
    for pad in ("", "x"):
        page = {"type": "FeatureCollection", "features": [{"id": pad + filler}], "links": links}
        assert top_level_links(raw(page)) == links
    too_long = [{**NEXT, "title": "x" * TAIL_BYTES}]
    assert top_level_links(raw({"features": [], "links": too_long})) is None  # the parse decides instead


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='"\\{}[],: linksé\n'),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(alphabet='"links{}', max_size=6), children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(alphabet='"links{}', max_size=6), JSON_VALUES, max_size=5), st.booleans())
def test_whatever_the_tail_shows_is_the_documents_own_links(document: Dict[str, Any], pretty: bool) -> None:
    found = top_level_links(json.dumps(document, indent=1 if pretty else None).encode())
    assert found is None or found == document.get("links")


# --------------------------------------------------------------------------- the order in a search


class Immediate:
    """``Ahead`` that runs its call at once, so the order of sends and parses is deterministic."""

    def __init__(self, call: Callable[[Any], R], argument: Any) -> None:
        self._error: Optional[BaseException] = None
        try:
            self._value: Any = call(argument)
        except BaseException as error:  # noqa: BLE001 - handed to result()
            self._error = error

    def result(self) -> Any:
        if self._error is not None:
            raise self._error
        return self._value

    def cancel(self) -> None:
        pass


def recording(service: Service, events: List[str], monkeypatch: pytest.MonkeyPatch) -> Callable[[HttpRequest], Reply]:
    parse = _runtime.UnparsedResponse.parse

    def parsing(self: Any) -> Any:
        page = parse(self)
        events.append(f"parsed {page.features[0].id}")
        return page

    monkeypatch.setattr(_runtime.UnparsedResponse, "parse", parsing)

    def handler(request: HttpRequest) -> Reply:
        token = json.loads(request.content).get("token")
        events.append(f"sent {token or 'first'}")
        return service(request)

    return handler


EXPECTED_ORDER = [
    "sent first",
    "sent next:5",  # page 2 is asked for before page 1 is parsed
    "parsed item-00",
    "sent next:10",
    "parsed item-05",
    "parsed item-10",  # the last page: nothing more to ask for
]


def test_the_next_request_leaves_before_the_page_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    events: List[str] = []
    monkeypatch.setattr(_item_search, "Ahead", Immediate)
    transport = FakeTransport(recording(Service(15), events, monkeypatch))
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport, retry_total=0)
    assert ids(client.stac.item_search(collections=["c"], page_size=5)) == [f"item-{i:02d}" for i in range(15)]
    assert events == EXPECTED_ORDER


async def test_async_the_next_request_leaves_before_the_page_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    events: List[str] = []
    # Long enough for the in-memory transport to answer a task whatever the machine's load.
    monkeypatch.setattr(async_item_search, "SEND_GRACE", 0.5)
    monkeypatch.setattr(async_item_search, "BIG_PAGE", 0)  # the grace is for big pages only
    transport = AsyncFakeTransport(recording(Service(15), events, monkeypatch))
    async with AsyncClient(ENDPOINT, AsyncFakeCredential(), transport=transport, retry_total=0) as client:
        found = [i.id async for i in client.stac.item_search(collections=["c"], page_size=5)]
    assert found == [f"item-{i:02d}" for i in range(15)]
    assert events == EXPECTED_ORDER


def test_a_wrong_guess_is_dropped_and_the_pages_own_link_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    events: List[str] = []
    monkeypatch.setattr(_item_search, "Ahead", Immediate)
    misleading = [{**NEXT, "body": {"token": "next:10"}}]  # skips a page
    monkeypatch.setattr(search_module, "top_level_links", lambda body: misleading)
    transport = FakeTransport(recording(Service(12), events, monkeypatch))
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport, retry_total=0)
    assert ids(client.stac.item_search(collections=["c"], page_size=5)) == [f"item-{i:02d}" for i in range(12)]
    # The guess went out, then the page named page 2: the guess was dropped and page 2 fetched.
    assert events[:4] == ["sent first", "sent next:10", "parsed item-00", "sent next:5"]


def test_no_guess_when_the_page_may_be_the_last_one_wanted(monkeypatch: pytest.MonkeyPatch) -> None:
    events: List[str] = []
    monkeypatch.setattr(_item_search, "Ahead", Immediate)
    transport = FakeTransport(recording(Service(30), events, monkeypatch))
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport, retry_total=0)
    assert len(list(client.stac.item_search(collections=["c"], page_size=5, max_items=8))) == 8
    # Page 1 cannot be the last (8 > 5): its next page is guessed; page 2 may be: nothing after it.
    assert events == ["sent first", "sent next:5", "parsed item-00", "parsed item-05"]


def test_a_page_that_is_not_json_raises_after_the_pages_before_it() -> None:
    pages = [
        Reply(200, {"type": "FeatureCollection", "features": [item(0)], "links": [NEXT]}),
        Reply(200, b'{"type": "FeatureCollection", "features": [', {"Content-Type": "application/geo+json"}),
    ]
    transport = FakeTransport(lambda request: pages[len(transport.requests) - 1])
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport, retry_total=0)
    seen: List[str] = []
    with pytest.raises(DecodeError, match="POST /stac/search returned 200 .* not valid JSON"):
        for found in client.stac.item_search(collections=["c"]):
            seen.append(found.id)
    assert seen == ["item-00"]


# --------------------------------------------------------------------------- tracing


class _SpanType(type):
    def __getattr__(cls, name: str) -> Any:  # the class-level hooks azure-core calls: no-ops
        return lambda *args, **kwargs: contextlib.nullcontext() if name == "change_context" else None


class RecordingSpan(metaclass=_SpanType):
    """A tracing plugin that only records the names of the spans opened."""

    names: List[str] = []

    def __init__(self, span: Any = None, name: str = "span", kind: Any = None, **kwargs: Any) -> None:
        RecordingSpan.names.append(name)

    def __enter__(self) -> "RecordingSpan":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


def test_each_page_is_traced_under_the_operation_it_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    from azure.core.settings import settings

    monkeypatch.setattr(_item_search, "Ahead", Immediate)  # spans opened on this thread, in order
    monkeypatch.setattr(RecordingSpan, "names", [])
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport(Service(12)), retry_total=0)
    settings.tracing_implementation = RecordingSpan
    try:
        assert len(list(client.stac.item_search(collections=["c"], page_size=5))) == 12
        searched = [name for name in RecordingSpan.names if name.startswith("StacOperations")]
        RecordingSpan.names.clear()
        assert len(list(client.stac.list_items("c", page_size=5))) == 12
        listed = [name for name in RecordingSpan.names if name.startswith("StacOperations")]
    finally:
        settings.tracing_implementation.unset_value()
    assert searched == ["StacOperations.search"] * 3
    assert listed == ["StacOperations.get_item_collection", "StacOperations.search"]  # the fake's next link is a POST
