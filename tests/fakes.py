"""In-memory transports: canned responses for the real pipeline, no sockets.

``FakeTransport`` / ``AsyncFakeTransport`` answer each request with the next
queued ``Reply`` (or with a handler function), record every request they see,
and stream bodies in chunks so streaming code paths are exercised too.
"""

from __future__ import annotations

import copy
import json as _json
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Callable, Dict, Iterator, List, Optional, Union

from azure.core.pipeline.transport import AsyncHttpTransport, HttpTransport
from azure.core.rest import HttpRequest
from azure.core.rest._http_response_impl import HttpResponseImpl
from azure.core.rest._http_response_impl_async import AsyncHttpResponseImpl
from azure.core.utils import case_insensitive_dict

CHUNK = 64 * 1024


@dataclass
class Reply:
    """One canned response."""

    status: int = 200
    body: Union[bytes, str, Any, None] = None  # bytes/str sent as is; anything else as JSON
    headers: Dict[str, str] = field(default_factory=dict)

    def content(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return _json.dumps(self.body).encode("utf-8")

    def all_headers(self) -> Dict[str, str]:
        headers = dict(self.headers)
        if self.body is not None and not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = (
                "application/json" if not isinstance(self.body, bytes) else "application/octet-stream"
            )
        return headers


Handler = Callable[[HttpRequest], Reply]


def _chunks(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), CHUNK):
        yield data[start : start + CHUNK]


def _response_fields(request: HttpRequest, reply: Reply) -> Dict[str, Any]:
    """Constructor keywords of azure-core's response implementations; the body is the internal response."""
    headers = case_insensitive_dict(reply.all_headers())
    return {
        "request": request,
        "internal_response": reply.content(),
        "status_code": reply.status,
        "reason": "OK" if reply.status < 400 else "Error",
        "content_type": headers.get("Content-Type"),
        "headers": headers,
        "stream_download_generator": None,
    }


class _SyncResponse(HttpResponseImpl):
    def __init__(self, request: HttpRequest, reply: Reply) -> None:
        super().__init__(**_response_fields(request, reply))

    def iter_bytes(self, **kwargs: Any) -> Iterator[bytes]:
        if self._content is not None:
            yield from _chunks(self._content)
            return
        self._is_stream_consumed = True
        yield from _chunks(self._internal_response)
        self.close()

    def iter_raw(self, **kwargs: Any) -> Iterator[bytes]:
        return self.iter_bytes()

    def close(self) -> None:
        self._is_closed = True

    def read(self) -> bytes:
        if self._content is None:
            self._content = self._internal_response
        return self._content


class _AsyncResponse(AsyncHttpResponseImpl):
    def __init__(self, request: HttpRequest, reply: Reply) -> None:
        super().__init__(**_response_fields(request, reply))

    async def iter_bytes(self, **kwargs: Any) -> AsyncIterator[bytes]:  # type: ignore[override]
        data = self._content if self._content is not None else self._internal_response
        self._is_stream_consumed = True
        for chunk in _chunks(data):
            yield chunk

    async def iter_raw(self, **kwargs: Any) -> AsyncIterator[bytes]:  # type: ignore[override]
        async for chunk in self.iter_bytes():
            yield chunk

    async def read(self) -> bytes:
        if self._content is None:
            self._content = self._internal_response
        return self._content

    async def close(self) -> None:
        self._is_closed = True


#: Keywords that belong to an operation or a poller; reaching a transport, they would break a real one.
OPERATION_KEYWORDS = {"polling", "polling_interval", "continuation_token", "cls", "error_map", "content_type"}


def _check_transport_kwargs(kwargs: Dict[str, Any]) -> None:
    leaked = OPERATION_KEYWORDS & set(kwargs)
    if leaked:
        raise TypeError(f"operation keywords reached the transport: {sorted(leaked)}")


def _as_sent(request: HttpRequest) -> HttpRequest:
    """The request with its headers as sent: the pipeline removes the Authorization header afterwards."""
    seen = copy.copy(request)
    seen.headers = case_insensitive_dict(request.headers)
    return seen


class _Script:
    def __init__(self, replies: Union[List[Reply], Handler, None]) -> None:
        self.requests: List[HttpRequest] = []
        self._handler: Optional[Handler] = replies if callable(replies) else None
        self._queue: List[Reply] = list(replies) if isinstance(replies, list) else []

    def reply(self, request: HttpRequest) -> Reply:
        self.requests.append(_as_sent(request))
        if self._handler is not None:
            return self._handler(request)
        if not self._queue:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        return self._queue.pop(0)


class FakeTransport(HttpTransport):
    """Sync transport answering from a list of replies or a handler."""

    def __init__(self, replies: Union[List[Reply], Handler, None] = None) -> None:
        self._script = _Script(replies)

    @property
    def requests(self) -> List[HttpRequest]:
        return self._script.requests

    def send(self, request: HttpRequest, **kwargs: Any) -> _SyncResponse:  # type: ignore[override]
        _check_transport_kwargs(kwargs)
        response = _SyncResponse(request, self._script.reply(request))
        if not kwargs.get("stream"):
            response.read()  # as real transports do for non-streamed calls
        return response

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> "FakeTransport":
        return self

    def __exit__(self, *args: Any) -> None:
        pass


class AsyncFakeTransport(AsyncHttpTransport):
    """Async transport answering from a list of replies or a handler."""

    def __init__(self, replies: Union[List[Reply], Handler, None] = None) -> None:
        self._script = _Script(replies)

    @property
    def requests(self) -> List[HttpRequest]:
        return self._script.requests

    async def send(self, request: HttpRequest, **kwargs: Any) -> _AsyncResponse:  # type: ignore[override]
        _check_transport_kwargs(kwargs)
        response = _AsyncResponse(request, self._script.reply(request))
        if not kwargs.get("stream"):
            await response.read()  # as real transports do for non-streamed calls
        return response

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def __aenter__(self) -> "AsyncFakeTransport":
        return self

    async def __aexit__(self, *args: Any) -> None:
        pass
