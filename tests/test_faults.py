"""Fault injection: our real clients against a loopback server that misbehaves on purpose.

Each test scripts the server's answers (status, headers, body, or a fault: a connection
cut mid-body, fewer bytes than Content-Length, garbled JSON, HTML pages, delays) and checks
the client retries what is transient and otherwise raises an azure-core exception whose
message names the operation and the status, never a bare ``KeyError``/``TypeError``/...,
and never the bearer token or a SAS ``sig=`` value.
"""

from __future__ import annotations

import json
import queue
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

import pytest
import urllib3
from azure.core.exceptions import (
    AzureError,
    DecodeError,
    HttpResponseError,
    IncompleteReadError,
    ResourceNotFoundError,
    ServiceResponseError,
)

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential
from azure.planetarycomputer.aio import AsyncStaticTokenCredential
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncClient

from .loopback import Host, Seen

TOKEN = "fault-secret-token"
SIG = "sig=S3cr3tSignature%3D"
FAST_RETRY: Dict[str, Any] = {"retry_backoff_factor": 0.01, "retry_backoff_max": 0.05}
#: Most requests any one test may send: a runaway retry loop fails instead of hanging.
MAX_REQUESTS = 20

Body = Union[bytes, str, Dict[str, Any], List[Any], None]


@dataclass
class Reply:
    """One scripted answer.

    ``cut_after``: send that many body bytes (after headers announcing the whole body), then
    close the connection. ``content_length``: announce this length instead of the real one.
    ``chunked``: send the body with chunked transfer encoding (``cut_after`` then cuts it
    before the final chunk). ``delay``: seconds to wait before answering.
    """

    status: int = 200
    body: Body = None
    headers: Dict[str, str] = field(default_factory=dict)
    content_type: Optional[str] = None
    cut_after: Optional[int] = None
    content_length: Optional[int] = None
    chunked: bool = False
    delay: float = 0.0

    def payload(self) -> Tuple[bytes, str]:
        if isinstance(self.body, (dict, list)):
            return json.dumps(self.body).encode(), self.content_type or "application/json"
        if isinstance(self.body, str):
            return self.body.encode(), self.content_type or "text/plain; charset=utf-8"
        return self.body or b"", self.content_type or "application/octet-stream"


class FaultServer(Host):
    """A loopback server on 127.0.0.1 answering from a script, one reply per request."""

    def __init__(self) -> None:
        self.replies: "queue.Queue[Reply]" = queue.Queue()
        super().__init__("127.0.0.1", max_requests=MAX_REQUESTS)

    def script(self, *replies: Reply) -> None:
        for reply in replies:
            self.replies.put(reply)

    def paths(self) -> List[str]:
        return [f"{s.method} {s.path.split('?')[0]}" for s in self.seen]

    def _next(self, seen: Seen) -> Reply:
        if self.over_budget(seen):
            return Reply(418, {"error": {"code": "TooManyTestRequests", "message": "request budget exceeded"}})
        try:
            return self.replies.get_nowait()
        except queue.Empty:
            message = f"no reply scripted for {seen.method} {seen.path}"
            return Reply(418, {"error": {"code": "Unscripted", "message": message}})

    def respond(self, http: BaseHTTPRequestHandler, seen: Seen) -> None:
        reply = self._next(seen)
        if reply.delay:
            time.sleep(reply.delay)
        body, content_type = reply.payload()
        http.send_response(reply.status)
        http.send_header("Content-Type", content_type)
        for key, value in reply.headers.items():
            http.send_header(key, value.replace("{base}", self.url))
        if reply.chunked:
            http.send_header("Transfer-Encoding", "chunked")
        else:
            announced = reply.content_length if reply.content_length is not None else len(body)
            http.send_header("Content-Length", str(announced))
        if reply.cut_after is not None or reply.content_length is not None:
            http.send_header("Connection", "close")
            http.close_connection = True
        http.end_headers()
        sent = body if reply.cut_after is None else body[: reply.cut_after]
        if reply.chunked:
            half = len(sent) // 2
            for piece in (sent[:half], sent[half:]):
                if piece:
                    http.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            if reply.cut_after is None:
                http.wfile.write(b"0\r\n\r\n")
        else:
            http.wfile.write(sent)
        http.wfile.flush()


@pytest.fixture
def server() -> Iterator[FaultServer]:
    srv = FaultServer()
    try:
        yield srv
    finally:
        srv.stop()


def make_client(server: FaultServer, **kwargs: Any) -> PlanetaryComputerProClient:
    options = {**FAST_RETRY, **kwargs}
    return PlanetaryComputerProClient(server.url, StaticTokenCredential(TOKEN), **options)


def make_async_client(server: FaultServer, **kwargs: Any) -> AsyncClient:
    options = {**FAST_RETRY, **kwargs}
    return AsyncClient(server.url, AsyncStaticTokenCredential(TOKEN), **options)


def assert_clean(exc: BaseException) -> None:
    """No secret in the message; an azure-core exception, never a bare Python one."""
    text = str(exc)
    assert TOKEN not in text
    assert "S3cr3tSignature" not in text
    assert isinstance(exc, AzureError), f"{type(exc).__name__}: {text}"


COLLECTION = {
    "type": "Collection",
    "id": "c",
    "stac_version": "1.0.0",
    "description": "d",
    "license": "proprietary",
    "links": [],
    "extent": {"spatial": {"bbox": [[0, 0, 1, 1]]}, "temporal": {"interval": [[None, None]]}},
}


def service_error(code: str, message: str) -> Dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def assert_names(exc: BaseException, operation: str, status: Optional[int] = None) -> None:
    text = str(exc)
    assert operation in text, text
    if status is not None:
        assert str(status) in text, text
    assert_clean(exc)


GET_C = "GET /stac/collections/c"
#: With urllib3 1.x (what Python 3.9 resolves beside vcrpy 7), requests reads a non-streamed body
#: before azure-core turns on urllib3's Content-Length check, so a body cut short arrives as if
#: whole: it fails JSON decoding (DecodeError, not retried) or, if it still parses, passes. Strict:
#: once the library detects it there too, these pass and the mark must go.
SHORT_BODY_UNDETECTED_ON_URLLIB3_1 = pytest.mark.xfail(
    int(urllib3.__version__.split(".")[0]) < 2,
    reason="urllib3 1.x: azure-core enables Content-Length enforcement after requests has read the body",
    raises=(DecodeError, pytest.fail.Exception),
    strict=True,
)
OP_LOCATION = {"Operation-Location": "{base}/operations/op-1"}
UNAVAILABLE = service_error("ServiceUnavailable", "The service is busy, try again later.")
BUSY = {"x-ms-error-code": "ServiceUnavailable"}


# 1. Retries -------------------------------------------------------------------------------


def test_429_with_retry_after_is_retried(server: FaultServer) -> None:
    server.script(
        Reply(429, service_error("TooManyRequests", "slow down"), {"Retry-After": "0"}), Reply(200, COLLECTION)
    )
    collection = make_client(server).stac.get_collection("c")
    assert collection.id == "c"
    assert server.paths() == [GET_C, GET_C]


def test_burst_of_503_then_200_succeeds(server: FaultServer) -> None:
    server.script(*[Reply(503, UNAVAILABLE, BUSY)] * 3, Reply(200, COLLECTION))
    assert make_client(server, retry_total=3).stac.get_collection("c").id == "c"
    assert len(server.seen) == 4


def test_retries_exhausted_raise_the_service_error(server: FaultServer) -> None:
    server.script(*[Reply(503, UNAVAILABLE, BUSY)] * 3)
    with pytest.raises(HttpResponseError) as info:
        make_client(server, retry_total=2).stac.get_collection("c")
    assert len(server.seen) == 3
    assert info.value.status_code == 503
    assert info.value.error is not None and info.value.error.code == "ServiceUnavailable"
    assert_names(info.value, GET_C, 503)
    assert "The service is busy" in str(info.value)


def test_slow_answer_within_the_timeout_succeeds(server: FaultServer) -> None:
    server.script(Reply(200, COLLECTION, delay=0.2))
    assert make_client(server, retry_total=0).stac.get_collection("c", read_timeout=5).id == "c"


def test_answer_slower_than_the_read_timeout_is_a_service_response_error(server: FaultServer) -> None:
    server.script(Reply(200, COLLECTION, delay=0.5))
    with pytest.raises(ServiceResponseError) as info:
        make_client(server, retry_total=0).stac.get_collection("c", read_timeout=0.1)
    assert_names(info.value, GET_C)


# 2. Broken and unexpected bodies ----------------------------------------------------------


@SHORT_BODY_UNDETECTED_ON_URLLIB3_1
def test_connection_cut_mid_body_is_retried_then_raised(server: FaultServer) -> None:
    server.script(*[Reply(200, COLLECTION, cut_after=20)] * 2)
    with pytest.raises(IncompleteReadError) as info:
        make_client(server, retry_total=1).stac.get_collection("c")
    assert len(server.seen) == 2  # a broken read of a GET is retried
    assert_names(info.value, GET_C)


@SHORT_BODY_UNDETECTED_ON_URLLIB3_1
def test_connection_cut_then_good_answer_succeeds(server: FaultServer) -> None:
    server.script(Reply(200, COLLECTION, cut_after=20), Reply(200, COLLECTION))
    assert make_client(server, retry_total=1).stac.get_collection("c").id == "c"


@SHORT_BODY_UNDETECTED_ON_URLLIB3_1
def test_fewer_bytes_than_content_length(server: FaultServer) -> None:
    server.script(Reply(200, COLLECTION, content_length=5000))
    with pytest.raises(IncompleteReadError) as info:
        make_client(server, retry_total=0).stac.get_collection("c")
    assert_names(info.value, GET_C)


def test_chunked_body_cut_before_its_last_chunk(server: FaultServer) -> None:
    server.script(Reply(200, COLLECTION, chunked=True, cut_after=100))
    with pytest.raises(HttpResponseError) as info:
        make_client(server, retry_total=0).stac.get_collection("c")
    assert_names(info.value, GET_C)


@pytest.mark.parametrize(
    "reply, error_type",
    [
        (Reply(200, b'{"type": "Coll', content_type="application/json"), DecodeError),
        (Reply(200, [COLLECTION]), HttpResponseError),
        (Reply(200, '"just a string"', content_type="application/json"), HttpResponseError),
        (Reply(200, b"", content_type="application/json"), HttpResponseError),
        (Reply(200, "<html><body>Sign in</body></html>", content_type="text/html"), HttpResponseError),
    ],
    ids=["garbled-json", "list-not-object", "string-not-object", "empty-body", "html-200"],
)
def test_unreadable_success_bodies(server: FaultServer, reply: Reply, error_type: type) -> None:
    server.script(reply)
    with pytest.raises(error_type) as info:
        make_client(server, retry_total=0).stac.get_collection("c")
    assert info.value.status_code == 200
    assert_names(info.value, GET_C, 200)


@pytest.mark.parametrize(
    "reply, error_type",
    [
        (Reply(500, "<html><h1>500 Internal Server Error</h1></html>", content_type="text/html"), HttpResponseError),
        (Reply(500, b'{"error": {', content_type="application/json"), HttpResponseError),
        (Reply(404, b"{not json", content_type="application/json"), ResourceNotFoundError),
        (Reply(502, b"Bad Gateway", content_type="text/plain"), HttpResponseError),
    ],
    ids=["html-500", "garbled-json-500", "garbled-json-404", "text-502"],
)
def test_error_statuses_with_undecodable_bodies(server: FaultServer, reply: Reply, error_type: type) -> None:
    server.script(reply)
    with pytest.raises(error_type) as info:
        make_client(server, retry_total=0).stac.get_collection("c")
    assert not isinstance(info.value, DecodeError)  # the status-mapped type
    assert info.value.status_code == reply.status
    assert info.value.error is None
    assert_names(info.value, GET_C, reply.status)
    assert reply.payload()[0].decode()[:10] in str(info.value)  # the body, for diagnosis


def test_huge_error_body_is_truncated_in_the_message(server: FaultServer) -> None:
    server.script(Reply(500, "<html>" + "x" * 100_000 + "</html>", content_type="text/html"))
    with pytest.raises(HttpResponseError) as info:
        make_client(server, retry_total=0).stac.get_collection("c")
    assert len(str(info.value)) <= 2048
    assert_names(info.value, GET_C, 500)


def test_secrets_echoed_in_a_service_error_are_redacted(server: FaultServer) -> None:
    message = f"Cannot read https://acct.blob.core.windows.net/c/a.tif?sv=2024&{SIG} with Bearer {TOKEN}"
    server.script(Reply(403, service_error("AuthorizationFailure", message)))
    with pytest.raises(HttpResponseError) as info:
        make_client(server, retry_total=0).stac.get_collection("c")
    assert info.value.status_code == 403
    assert info.value.error is not None and info.value.error.code == "AuthorizationFailure"
    assert "sig=REDACTED" in str(info.value)
    assert_names(info.value, GET_C, 403)


def test_secrets_echoed_in_an_html_error_page_are_redacted(server: FaultServer) -> None:
    page = f"<html><body>Denied: https://acct.blob.core.windows.net/c/a.tif?sv=2024&{SIG}</body></html>"
    server.script(Reply(500, page, content_type="text/html"))
    with pytest.raises(HttpResponseError) as info:
        make_client(server, retry_total=0).stac.get_collection("c")
    assert "Denied" in str(info.value)
    assert_names(info.value, GET_C, 500)


def test_bearer_token_is_sent_but_never_in_errors(server: FaultServer) -> None:
    server.script(Reply(500, UNAVAILABLE))
    with pytest.raises(HttpResponseError) as info:
        make_client(server, retry_total=0).stac.get_collection("c")
    assert server.seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert_clean(info.value)
    assert TOKEN not in repr(info.value)


# 3. Long-running operations ---------------------------------------------------------------


def operation(status: str, **extra: Any) -> Dict[str, Any]:
    return {"id": "op-1", "status": status, "type": "CreateCollection", **extra}


def test_lro_that_ends_failed_raises_the_service_error(server: FaultServer) -> None:
    failed = operation("Failed", error=service_error("CollectionInvalid", "extent is missing")["error"])
    server.script(Reply(202, operation("Running"), OP_LOCATION), Reply(200, operation("Running")), Reply(200, failed))
    poller = make_client(server, retry_total=0).stac.begin_create_collection(COLLECTION, polling_interval=0)
    with pytest.raises(HttpResponseError) as info:
        poller.result()
    assert info.value.error is not None and info.value.error.code == "CollectionInvalid"
    assert "extent is missing" in str(info.value)
    assert_clean(info.value)
    assert server.paths() == ["POST /stac/collections"] + ["GET /operations/op-1"] * 2


def test_lro_polling_survives_a_transient_503(server: FaultServer) -> None:
    server.script(
        Reply(202, operation("Running"), OP_LOCATION),
        Reply(503, UNAVAILABLE, BUSY),
        Reply(200, operation("Succeeded")),
    )
    poller = make_client(server, retry_total=2).stac.begin_create_collection(COLLECTION, polling_interval=0)
    assert poller.result() is None
    assert poller.status() == "Succeeded"
    assert server.paths() == ["POST /stac/collections"] + ["GET /operations/op-1"] * 2


def test_lro_initial_request_error_names_the_operation(server: FaultServer) -> None:
    server.script(Reply(400, service_error("InvalidCollection", "id is required")))
    with pytest.raises(HttpResponseError) as info:
        make_client(server, retry_total=0).stac.begin_create_collection(COLLECTION, polling_interval=0)
    assert info.value.error is not None and info.value.error.code == "InvalidCollection"
    assert_names(info.value, "POST /stac/collections", 400)


# 4. Streamed binary bodies ----------------------------------------------------------------

IMAGE = bytes(range(256)) * 1024  # 256 KiB


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_stream_cut_mid_body_raises_while_iterating(server: FaultServer, chunked: bool) -> None:
    server.script(Reply(200, IMAGE, content_type="image/png", cut_after=150_000, chunked=chunked))
    stream = make_client(server, retry_total=0).stac.get_collection_thumbnail("c")
    received = bytearray()
    with pytest.raises(HttpResponseError) as info:  # IncompleteReadError is one
        for chunk in stream:
            received += chunk
    assert len(received) < len(IMAGE)
    assert IMAGE.startswith(bytes(received))
    assert_names(info.value, "GET /stac/collections/c/thumbnail", 200)
    assert f"after {len(received)} bytes" in str(info.value)


def test_stream_error_status_is_raised_before_streaming(server: FaultServer) -> None:
    server.script(Reply(404, service_error("NotFound", "no thumbnail")))
    with pytest.raises(ResourceNotFoundError) as info:
        make_client(server, retry_total=0).stac.get_collection_thumbnail("c")
    assert_names(info.value, "GET /stac/collections/c/thumbnail", 404)


def test_whole_stream_is_read(server: FaultServer) -> None:
    server.script(Reply(200, IMAGE, content_type="image/png"))
    assert make_client(server, retry_total=0).stac.get_collection_thumbnail("c").read() == IMAGE


# 5. Paging --------------------------------------------------------------------------------

INGESTIONS = "GET /inma/collections/c/ingestions"


def page(*ids: str, next_link: Optional[str] = None) -> Dict[str, Any]:
    body: Dict[str, Any] = {"value": [{"id": i, "importType": "StaticCatalog"} for i in ids]}
    if next_link:
        body["nextLink"] = next_link
    return body


def test_failing_second_page_raises_after_the_first_pages_items(server: FaultServer) -> None:
    first = page("a", "b", next_link=server.url + "/inma/collections/c/ingestions?skip=2")
    server.script(Reply(200, first), Reply(500, service_error("InternalServerError", "page 2 broke")))
    seen: List[str] = []
    with pytest.raises(HttpResponseError) as info:
        for ingestion in make_client(server, retry_total=0).ingestion.list("c"):
            seen.append(ingestion.id)
    assert seen == ["a", "b"]
    assert info.value.status_code == 500
    assert info.value.error is not None and info.value.error.code == "InternalServerError"
    assert_names(info.value, INGESTIONS, 500)
    assert server.paths() == [INGESTIONS, INGESTIONS]


@pytest.mark.parametrize(
    "body",
    [[1, 2], {"value": {"id": "a"}}, {"value": [1]}, {"value": [], "nextLink": 7}],
    ids=["list-page", "value-object", "value-of-ints", "next-link-int"],
)
def test_malformed_pages(server: FaultServer, body: Any) -> None:
    server.script(Reply(200, body))
    with pytest.raises(HttpResponseError) as info:
        list(make_client(server, retry_total=0).ingestion.list("c"))
    assert_names(info.value, INGESTIONS, 200)


# Async (aiohttp) --------------------------------------------------------------------------


async def test_async_429_then_200_and_exhausted_503(server: FaultServer) -> None:
    server.script(
        Reply(429, service_error("TooManyRequests", "slow down"), {"Retry-After": "0"}), Reply(200, COLLECTION)
    )
    server.script(*[Reply(503, UNAVAILABLE, BUSY)] * 2)
    async with make_async_client(server, retry_total=1) as client:
        assert (await client.stac.get_collection("c")).id == "c"
        with pytest.raises(HttpResponseError) as info:
            await client.stac.get_collection("c")
    assert len(server.seen) == 4
    assert info.value.status_code == 503
    assert info.value.error is not None and info.value.error.code == "ServiceUnavailable"
    assert_names(info.value, GET_C, 503)


@pytest.mark.parametrize(
    "reply, error_type, status",
    [
        (Reply(200, COLLECTION, content_length=5000), HttpResponseError, None),
        (Reply(200, COLLECTION, chunked=True, cut_after=100), HttpResponseError, None),
        (Reply(200, b'{"type": "Coll', content_type="application/json"), DecodeError, 200),
        (Reply(200, "<html><body>Sign in</body></html>", content_type="text/html"), HttpResponseError, 200),
        (Reply(500, b'{"error": {', content_type="application/json"), HttpResponseError, 500),
    ],
    ids=["short-content-length", "chunked-cut", "garbled-json", "html-200", "garbled-json-500"],
)
async def test_async_unreadable_bodies(server: FaultServer, reply: Reply, error_type: type, status: Any) -> None:
    server.script(reply)
    async with make_async_client(server, retry_total=0) as client:
        with pytest.raises(error_type) as info:
            await client.stac.get_collection("c")
    assert_names(info.value, GET_C, status)


async def test_async_stream_cut_mid_body_raises_while_iterating(server: FaultServer) -> None:
    server.script(Reply(200, IMAGE, content_type="image/png", cut_after=150_000))
    received = bytearray()
    async with make_async_client(server, retry_total=0) as client:
        stream = await client.stac.get_collection_thumbnail("c")
        with pytest.raises(HttpResponseError) as info:
            async for chunk in stream:
                received += chunk
    assert len(received) < len(IMAGE)
    assert_names(info.value, "GET /stac/collections/c/thumbnail", 200)


async def test_async_lro_failed_and_transient_503(server: FaultServer) -> None:
    failed = operation("Failed", error=service_error("CollectionInvalid", "extent is missing")["error"])
    server.script(Reply(202, operation("Running"), OP_LOCATION), Reply(200, failed))
    server.script(
        Reply(202, operation("Running"), OP_LOCATION), Reply(503, UNAVAILABLE, BUSY), Reply(200, operation("Succeeded"))
    )
    async with make_async_client(server, retry_total=1) as client:
        poller = await client.stac.begin_create_collection(COLLECTION, polling_interval=0)
        with pytest.raises(HttpResponseError) as info:
            await poller.result()
        assert info.value.error is not None and info.value.error.code == "CollectionInvalid"
        assert_clean(info.value)
        poller = await client.stac.begin_create_collection(COLLECTION, polling_interval=0)
        assert await poller.result() is None
    assert len(server.seen) == 5


async def test_async_failing_second_page(server: FaultServer) -> None:
    first = page("a", next_link=server.url + "/inma/collections/c/ingestions?skip=1")
    server.script(Reply(200, first), Reply(500, service_error("InternalServerError", "page 2 broke")))
    seen: List[str] = []
    async with make_async_client(server, retry_total=0) as client:
        with pytest.raises(HttpResponseError) as info:
            async for ingestion in client.ingestion.list("c"):
                seen.append(ingestion.id)
    assert seen == ["a"]
    assert info.value.status_code == 500
    assert_names(info.value, INGESTIONS, 500)
