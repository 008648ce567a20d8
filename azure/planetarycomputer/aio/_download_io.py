# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Stopping an async download run: tasks are cancelled (closing their responses) and every wait is
bounded by the run's deadline.

The async namesakes of ``azure/planetarycomputer/_download_io.py``: the download engine (one text)
imports them from ``._download_io``.
"""

from __future__ import annotations

import asyncio
from contextlib import contextmanager
from typing import Any, AsyncIterator, Awaitable, Iterator, TypeVar

from azure.core.pipeline.policies import SansIOHTTPPolicy

from .._download_io import StoppedError, _RefuseWhenStopped
from .._download_safety import Deadline

__all__ = ["Stopper", "StoppedError", "within", "chunks_within"]

T = TypeVar("T")


class Stopper:
    """A stopped async run cancels its tasks, and cancelling closes their responses: nothing to track."""

    def __init__(self) -> None:
        self.stopped = False
        self.timed_out = False  # the deadline bounds each await instead (see within)

    def policy(self) -> SansIOHTTPPolicy:  # type: ignore[type-arg]
        """A policy (after the retry policy) that refuses to send once the run is stopped."""
        return _RefuseWhenStopped(self)  # type: ignore[arg-type]

    def track(self, transport: Any) -> None:
        """Nothing to record: see the class."""

    def stop(self) -> None:
        self.stopped = True

    @contextmanager
    def watch(self, deadline: Deadline) -> Iterator[None]:
        """Nothing to watch: each wait is bounded by :func:`within`."""
        yield


async def within(awaitable: Awaitable[T], deadline: Deadline) -> T:
    """``await awaitable``, but no longer than the deadline allows.

    :raises DownloadTimeoutError: When the deadline passes first.
    """
    remaining = deadline.remaining()
    if remaining is None:
        return await awaitable
    try:
        return await asyncio.wait_for(awaitable, remaining)
    except asyncio.TimeoutError:
        raise deadline.error() from None


async def chunks_within(chunks: AsyncIterator[bytes], deadline: Deadline) -> AsyncIterator[bytes]:
    """The chunks, each read bounded by the deadline."""
    iterator = chunks.__aiter__()
    while True:
        try:
            chunk = await within(iterator.__anext__(), deadline)
        except StopAsyncIteration:
            return
        yield chunk
