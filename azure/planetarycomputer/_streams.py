# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Streamed bodies of binary responses (images, thumbnails, WMTS XML).

A ``ResponseStream`` is an ``Iterator[bytes]``, as the official package returns, so
``for chunk in stream`` and ``b"".join(stream)`` work; it also reads the rest at once
(``read()``), decodes text documents such as WMTS capabilities (``text()``), and tells the
media type. Chunks are pulled from the connection as they are iterated: a large image is
never held in memory unless ``read()`` asks for it.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Iterator, Mapping, Optional, TypeVar

from azure.core.exceptions import AzureError

from ._logging import redact

__all__ = ["ResponseStream", "AsyncResponseStream"]

_E = TypeVar("_E", bound=BaseException)


def safe_text(text: str) -> str:
    """``text`` without SAS signatures or bearer tokens, for exception messages."""
    return redact(text)


def operation_name(request: Any) -> str:
    """``"GET /stac/collections/c"``: the method and path of a request, without host or query."""
    url = str(getattr(request, "url", "") or "")
    path = url.split("?", 1)[0]
    if "://" in path:
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    return f"{getattr(request, 'method', '?')} {path}"


def name_operation(error: _E, prefix: str) -> _E:
    """Put ``prefix`` (the operation, maybe the status) before an azure-core error's message, in place.

    Transport and decoding errors from azure-core say what broke ("Connection broken",
    "JSON is invalid") but not which call; the type, traceback and ``response`` are kept.
    """
    message = getattr(error, "message", None)
    if isinstance(error, AzureError) and isinstance(message, str) and not message.startswith(prefix):
        error.message = f"{prefix}: {safe_text(message)}"
        error.args = (error.message,)
    return error


def _charset(content_type: Optional[str]) -> Optional[str]:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"')
    return None


class _StreamInfo:
    _response: Any
    _received: int

    def _failure(self) -> str:
        return (
            f"{operation_name(self._response.request)}: the {self.status_code} response's body broke off "
            f"after {self._received} bytes"
        )

    @property
    def status_code(self) -> int:
        """HTTP status of the response."""
        return int(self._response.status_code)

    @property
    def headers(self) -> Mapping[str, str]:
        """Response headers (case-insensitive)."""
        headers: Mapping[str, str] = self._response.headers
        return headers

    @property
    def content_type(self) -> Optional[str]:
        """The response's ``Content-Type``, e.g. ``image/png`` or ``application/xml``."""
        return self.headers.get("Content-Type")

    def _decode(self, data: bytes, encoding: Optional[str]) -> str:
        return data.decode(encoding or _charset(self.content_type) or "utf-8")


class ResponseStream(_StreamInfo, Iterator[bytes]):
    """The body of a binary response: iterate for chunks, or ``read()`` / ``text()``."""

    def __init__(self, response: Any) -> None:
        self._response = response
        self._chunks: Optional[Iterator[bytes]] = None
        self._received = 0

    def __iter__(self) -> "ResponseStream":
        return self

    def __next__(self) -> bytes:
        if self._chunks is None:
            self._chunks = iter(self._response.iter_bytes())
        try:
            chunk = next(self._chunks)
        except AzureError as error:
            name_operation(error, self._failure())
            raise
        self._received += len(chunk)
        return chunk

    def read(self) -> bytes:
        """The rest of the body, as one ``bytes``."""
        return b"".join(self)

    def text(self, encoding: Optional[str] = None) -> str:
        """The rest of the body decoded (the response's charset, else UTF-8); for XML documents."""
        return self._decode(self.read(), encoding)

    def close(self) -> None:
        """Release the connection without reading the rest."""
        self._response.close()

    def __enter__(self) -> "ResponseStream":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


class AsyncResponseStream(_StreamInfo, AsyncIterator[bytes]):
    """The body of a binary response: ``async for`` chunks, or ``await read()`` / ``text()``."""

    def __init__(self, response: Any) -> None:
        self._response = response
        self._chunks: Optional[AsyncIterator[bytes]] = None
        self._received = 0

    def __aiter__(self) -> "AsyncResponseStream":
        return self

    async def __anext__(self) -> bytes:
        if self._chunks is None:
            self._chunks = self._response.iter_bytes().__aiter__()
        try:
            chunk = await self._chunks.__anext__()
        except AzureError as error:
            name_operation(error, self._failure())
            raise
        self._received += len(chunk)
        return chunk

    async def read(self) -> bytes:
        """The rest of the body, as one ``bytes``."""
        return b"".join([chunk async for chunk in self])

    async def text(self, encoding: Optional[str] = None) -> str:
        """The rest of the body decoded (the response's charset, else UTF-8); for XML documents."""
        return self._decode(await self.read(), encoding)

    async def close(self) -> None:
        """Release the connection without reading the rest."""
        await self._response.close()

    async def __aenter__(self) -> "AsyncResponseStream":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()
