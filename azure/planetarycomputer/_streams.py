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

from typing import Any, AsyncIterator, Iterator, Mapping, Optional

__all__ = ["ResponseStream", "AsyncResponseStream"]


def _charset(content_type: Optional[str]) -> Optional[str]:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"')
    return None


class _StreamInfo:
    _response: Any

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

    def __iter__(self) -> "ResponseStream":
        return self

    def __next__(self) -> bytes:
        if self._chunks is None:
            self._chunks = iter(self._response.iter_bytes())
        return next(self._chunks)

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

    def __aiter__(self) -> "AsyncResponseStream":
        return self

    async def __anext__(self) -> bytes:
        if self._chunks is None:
            self._chunks = self._response.iter_bytes().__aiter__()
        return await self._chunks.__anext__()

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
