"""Behaviour every operation shares: errors, cls hook, long-running operations, streaming, auth."""

from __future__ import annotations

from typing import Any, List

import pytest
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceExistsError,
    ResourceNotFoundError,
    ServiceRequestError,
)
from azure.core.rest import HttpRequest

from azure.planetarycomputer import PlanetaryComputerProClient, models
from azure.planetarycomputer._version import VERSION
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncClient

from .conftest import ENDPOINT, AsyncFakeCredential, FakeCredential
from .fakes import AsyncFakeTransport, FakeTransport, Reply

OP_URL = ENDPOINT + "/operations/op-1"
ERROR = {"error": {"code": "CollectionNotFound", "message": "Collection 'nope' was not found."}}
ITEM = {"type": "Feature", "id": "i", "bbox": [0, 0, 1, 1], "properties": {"datetime": "2024-01-01T00:00:00Z"}}


def client_with(replies: Any, **kwargs: Any) -> "tuple[PlanetaryComputerProClient, FakeTransport]":
    transport = FakeTransport(replies)
    return PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport, **kwargs), transport


@pytest.mark.parametrize(
    "status, error_type",
    [
        (401, ClientAuthenticationError),
        (404, ResourceNotFoundError),
        (409, ResourceExistsError),
        (500, HttpResponseError),
    ],
)
def test_error_statuses_map_to_azure_core_exceptions(status: int, error_type: type) -> None:
    client, _ = client_with([Reply(status, ERROR, {"x-ms-error-code": "CollectionNotFound"})], retry_total=0)
    with pytest.raises(error_type) as info:
        client.stac.get_collection("nope")
    err = info.value
    assert isinstance(err, HttpResponseError)
    assert err.status_code == status
    assert err.error is not None and err.error.code == "CollectionNotFound"
    assert "was not found" in str(err)
    assert isinstance(err.model, models.ErrorResponse) and err.model.error.code == "CollectionNotFound"


def test_unexpected_success_status_is_an_error() -> None:
    client, _ = client_with([Reply(200, {"id": "m"})])  # add_mosaic expects 201
    with pytest.raises(HttpResponseError) as info:
        client.stac.add_mosaic("c", {"id": "m", "name": "m", "cql": []})
    assert info.value.status_code == 200


def test_error_map_override_and_cls_hook() -> None:
    class Gone(HttpResponseError):
        pass

    client, _ = client_with([Reply(404, ERROR), Reply(200, ITEM, {"ETag": '"v1"'})])
    with pytest.raises(Gone):
        client.stac.get_item("c", "i", error_map={404: Gone})
    seen: List[Any] = []
    result = client.stac.get_item("c", "i", cls=lambda resp, obj, headers: seen.append((resp, obj)) or "custom")
    assert result == "custom"
    response, obj = seen[0]
    assert response.http_response.headers["ETag"] == '"v1"' and isinstance(obj, models.StacItem)


def test_response_of_the_wrong_shape_raises_http_response_error_naming_the_type() -> None:
    client, _ = client_with([Reply(200, [1, 2, 3])])
    with pytest.raises(HttpResponseError, match="StacItem"):
        client.stac.get_item("c", "i")


def test_long_running_operation_polls_operation_location_until_done() -> None:
    replies = [
        Reply(202, None, {"Operation-Location": OP_URL}),
        Reply(200, {"id": "op-1", "status": "Running"}),
        Reply(200, {"id": "op-1", "status": "Succeeded"}),
    ]
    client, transport = client_with(replies)
    poller = client.stac.begin_delete_collection("c", polling_interval=0)
    assert poller.result() is None and poller.status() == "Succeeded"
    assert [r.method for r in transport.requests] == ["DELETE", "GET", "GET"]
    assert transport.requests[1].url == OP_URL


def test_failed_long_running_operation_raises() -> None:
    replies = [
        Reply(202, None, {"Operation-Location": OP_URL}),
        Reply(200, {"id": "op-1", "status": "Failed", "error": {"code": "IngestFailed", "message": "bad item"}}),
    ]
    client, _ = client_with(replies)
    poller = client.stac.begin_create_item("c", ITEM, polling_interval=0)
    with pytest.raises(HttpResponseError):
        poller.result()


def test_long_running_operation_resumes_from_a_continuation_token() -> None:
    def service(request: HttpRequest) -> Reply:
        if request.method == "POST":
            return Reply(202, None, {"Operation-Location": OP_URL})
        return Reply(200, {"id": "op-1", "status": "Succeeded"})

    first, first_transport = client_with(service)
    token = first.stac.begin_create_collection({"id": "c"}, polling_interval=0).continuation_token()
    assert first_transport.requests[0].method == "POST"

    second, second_transport = client_with(service)
    resumed = second.stac.begin_create_collection({"id": "ignored"}, continuation_token=token, polling_interval=0)
    assert resumed.result() is None
    assert [(r.method, r.url) for r in second_transport.requests] == [("GET", OP_URL)]


def test_streamed_body_and_streamed_error() -> None:
    png = b"\x89PNG" + bytes(range(256)) * 1000
    client, _ = client_with([Reply(200, png, {"Content-Type": "image/png"}), Reply(404, ERROR)])
    assert b"".join(client.stac.get_collection_thumbnail("c")) == png
    with pytest.raises(ResourceNotFoundError) as info:
        client.stac.get_collection_thumbnail("nope")
    assert info.value.error is not None and info.value.error.code == "CollectionNotFound"


def test_headers_user_agent_and_api_version() -> None:
    client, transport = client_with([Reply(200, ITEM), Reply(200, ITEM)], api_version="2025-04-30-preview")
    client.stac.get_item("c", "i", headers={"x-custom": "1"})
    request = transport.requests[0]
    assert request.headers["Authorization"] == "Bearer fake-token"
    assert f"azsdk-python-planetarycomputer/{VERSION}" in request.headers["User-Agent"]
    assert request.headers["x-custom"] == "1"
    assert "api-version=2025-04-30-preview" in request.url


def test_send_request_joins_relative_urls_to_the_endpoint() -> None:
    client, transport = client_with([Reply(200, {"conformsTo": []})])
    response = client.send_request(HttpRequest("GET", "/stac/conformance?api-version=2026-04-15"))
    assert response.status_code == 200 and response.json() == {"conformsTo": []}
    assert transport.requests[0].url == ENDPOINT + "/stac/conformance?api-version=2026-04-15"


def test_bearer_tokens_over_plain_http_only_for_loopback() -> None:
    transport = FakeTransport([Reply(200, ITEM)])
    local = PlanetaryComputerProClient("http://127.0.0.1:8080", FakeCredential(), transport=transport)
    assert local.stac.get_item("c", "i").id == "i"
    assert transport.requests[0].headers["Authorization"] == "Bearer fake-token"
    remote = PlanetaryComputerProClient(
        "http://example.com", FakeCredential(), transport=FakeTransport([]), retry_total=0
    )
    with pytest.raises(ServiceRequestError, match="https"):
        remote.stac.get_item("c", "i")


def test_empty_or_missing_path_values_are_rejected_before_sending() -> None:
    client, transport = client_with([])
    with pytest.raises(ValueError, match="collection_id"):
        client.stac.get_collection("")
    with pytest.raises(ValueError, match="item_id"):
        client.stac.get_item("c", None)  # type: ignore[arg-type]
    assert transport.requests == []


def test_bodies_accept_models_mappings_and_bytes() -> None:
    replies = [Reply(200, {"type": "FeatureCollection", "features": []}) for _ in range(3)]
    client, transport = client_with(replies)
    client.stac.search(models.StacSearchParameters(collections=["a"], limit=2))
    client.stac.search({"collections": ["a"], "limit": 2})
    client.stac.search(b'{"collections": ["a"], "limit": 2}')
    bodies = [r.content for r in transport.requests]
    assert bodies[0] == bodies[1] == '{"collections": ["a"], "limit": 2}'
    assert bodies[2] == b'{"collections": ["a"], "limit": 2}'
    with pytest.raises(TypeError, match="str"):
        client.stac.search('{"collections": []}')  # type: ignore[call-overload]


def test_context_manager_and_close() -> None:
    with PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport([Reply(200, ITEM)])) as client:
        assert client.stac.get_item("c", "i").id == "i"


async def test_async_errors_lro_and_streaming() -> None:
    png = b"\x89PNG-async"
    transport = AsyncFakeTransport(
        [
            Reply(404, ERROR),
            Reply(202, None, {"Operation-Location": OP_URL}),
            Reply(200, {"status": "Succeeded"}),
            Reply(200, png, {"Content-Type": "image/png"}),
            Reply(200, ITEM),
        ]
    )
    async with AsyncClient(ENDPOINT, AsyncFakeCredential(), transport=transport) as client:
        with pytest.raises(ResourceNotFoundError):
            await client.stac.get_collection("nope")
        poller = await client.stac.begin_delete_item("c", "i", polling_interval=0)
        assert await poller.result() is None
        stream = await client.stac.get_collection_thumbnail("c")
        assert b"".join([chunk async for chunk in stream]) == png
        item = await client.stac.get_item("c", "i", cls=lambda resp, obj, headers: obj.id)
        assert item == "i"


def test_aliases_from_client_config_call_the_same_operation() -> None:
    client, transport = client_with([Reply(200, {"type": "FeatureCollection", "features": [ITEM]})])
    page = client.stac.search_items(body={"collections": ["c"]})
    assert page.features[0].id == "i"
    assert transport.requests[0].url.startswith(ENDPOINT + "/stac/search?")
    assert AsyncClient.__module__ and type(client.stac).search_items is type(client.stac).search


def _paged_service(request: HttpRequest) -> Reply:
    """Three pages of ingestion runs; the next links carry their own query and an old api-version."""
    url = request.url
    if "page=2" in url:
        return Reply(
            200,
            {
                "value": [{"id": "r3"}],
                "nextLink": ENDPOINT + "/inma/collections/c/ingestions/i/runs?page=3&api-version=old",
            },
        )
    if "page=3" in url:
        return Reply(200, {"value": [{"id": "r4"}, {"id": "r5"}]})
    return Reply(
        200,
        {
            "value": [{"id": "r1"}, {"id": "r2"}],
            "nextLink": ENDPOINT + "/inma/collections/c/ingestions/i/runs?page=2&$skip=2",
        },
    )


def test_pager_follows_next_links_with_the_client_api_version() -> None:
    client, transport = client_with(_paged_service)
    runs = client.ingestion.list_runs("c", "i", top=2)
    assert transport.requests == []  # nothing is sent until iteration
    assert [run.id for run in runs] == ["r1", "r2", "r3", "r4", "r5"]
    assert all(isinstance(run, models.IngestionRun) for run in client.ingestion.list_runs("c", "i"))
    base = ENDPOINT + "/inma/collections/c/ingestions/i/runs"
    assert [r.url for r in transport.requests[:3]] == [
        base + "?api-version=2026-04-15&$top=2",
        base + "?page=2&$skip=2&api-version=2026-04-15",  # the next link's query is kept
        base + "?page=3&api-version=2026-04-15",  # and its api-version replaced by the client's
    ]


def test_pager_pages_and_errors() -> None:
    client, _ = client_with(_paged_service)
    pages = [[run.id for run in page] for page in client.ingestion.list_runs("c", "i").by_page()]
    assert pages == [["r1", "r2"], ["r3"], ["r4", "r5"]]
    failing, _ = client_with([Reply(200, {"value": [{"id": "r1"}], "nextLink": ENDPOINT + "/next"}), Reply(404, ERROR)])
    runs = iter(failing.ingestion.list_runs("c", "i"))
    assert next(runs).id == "r1"
    with pytest.raises(ResourceNotFoundError):
        next(runs)


def test_pager_cls_hook_sees_each_page() -> None:
    client, _ = client_with(_paged_service)
    sizes = list(client.ingestion.list_runs("c", "i", cls=lambda items: [len(items)]))
    assert sizes == [2, 1, 2]


async def test_async_pager() -> None:
    transport = AsyncFakeTransport(_paged_service)
    async with AsyncClient(ENDPOINT, AsyncFakeCredential(), transport=transport) as client:
        ids = [run.id async for run in client.ingestion.list_runs("c", "i")]
        assert ids == ["r1", "r2", "r3", "r4", "r5"]
        sources = client.ingestion.list_sources()
        assert hasattr(sources, "__aiter__")


WMTS = '<?xml version="1.0" encoding="UTF-8"?><Capabilities xmlns="http://www.opengis.net/wmts/1.0">é</Capabilities>'


def test_binary_responses_are_byte_iterators_with_read_and_text() -> None:
    from azure.planetarycomputer import ResponseStream

    client, transport = client_with(
        [
            Reply(200, WMTS.encode("utf-8"), {"Content-Type": "application/xml; charset=utf-8"}),
            Reply(200, b"\x89PNG" * 50_000, {"Content-Type": "image/png"}),
            Reply(200, WMTS.encode("latin-1"), {"Content-Type": "application/xml; charset=latin-1"}),
        ]
    )
    xml = client.data.get_item_wmts_capabilities("c", "i")
    assert isinstance(xml, ResponseStream) and xml.content_type.startswith("application/xml")
    assert transport.requests[0].headers["Accept"] == "application/xml"
    assert xml.text() == WMTS
    png = client.data.get_item_preview("c", "i")
    first = next(png)  # streamed in chunks: the first chunk is not the whole image
    assert first.startswith(b"\x89PNG") and len(first) < 200_000
    assert len(first + png.read()) == 200_000 and png.status_code == 200
    assert client.data.get_item_wmts_capabilities("c", "i").text() == WMTS  # charset from the header


async def test_async_binary_responses() -> None:
    from azure.planetarycomputer.aio import AsyncResponseStream

    transport = AsyncFakeTransport(
        [
            Reply(200, WMTS.encode(), {"Content-Type": "application/xml"}),
            Reply(200, b"\x89PNG" * 10, {"Content-Type": "image/png"}),
        ]
    )
    async with AsyncClient(ENDPOINT, AsyncFakeCredential(), transport=transport) as client:
        xml = await client.data.get_search_wmts_capabilities("search-1")
        assert isinstance(xml, AsyncResponseStream) and await xml.text() == WMTS
        tile = await client.data.get_search_tile_by_scale_and_format("search-1", "WebMercatorQuad", 1, 2, 3, 1, "png")
        assert b"".join([chunk async for chunk in tile]) == b"\x89PNG" * 10


def test_failed_operation_error_reads_the_shape_the_service_sends() -> None:
    flat = models.Operation.deserialize({"id": "o", "status": "Failed", "error": {"code": "NoRecordsToDelete", "message": "gone"}})
    assert flat.error.code == "NoRecordsToDelete" and flat.error.message == "gone"
    wrapped = models.ErrorInfo.deserialize({"error": {"code": "X", "message": "m"}})
    assert wrapped.error.code == "X" and (wrapped.code, wrapped.message) == ("X", "m")


def test_next_pages_ask_for_json_like_the_first() -> None:
    client, transport = client_with(_paged_service)
    list(client.ingestion.list_runs("c", "i"))
    assert [r.headers["Accept"] for r in transport.requests] == ["application/json"] * 3


def test_download_functions_load_on_first_use() -> None:
    import subprocess
    import sys

    code = (
        "import sys, azure.planetarycomputer as pc, azure.planetarycomputer.aio as aio\n"
        "assert 'azure.planetarycomputer._download' not in sys.modules\n"
        "from azure.planetarycomputer import download_item\n"
        "assert download_item.__module__ == 'azure.planetarycomputer._download'\n"
        "assert aio.download_item.__module__ == 'azure.planetarycomputer.aio._download'\n"
        "assert 'download_item' in pc.__all__ and 'download_item' in aio.__all__\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_importing_the_packages_loads_no_asyncio_threads_or_pickle() -> None:
    """They cost a good part of the import time, and are imported where first used."""
    import subprocess
    import sys

    code = (
        "import sys, azure.planetarycomputer, azure.planetarycomputer.aio\n"
        "loaded = {'asyncio', 'concurrent.futures', 'pickle', 'hashlib'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
