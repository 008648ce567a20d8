# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The few places where sync and async code really differ: their asyncio side.

Async sources import these names from ``._primitives``; their generated sync twins get the
namesakes of ``azure/planetarycomputer/_primitives.py`` (threads, ``time``) from the same import.
"""

from __future__ import annotations

import inspect
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Dict,
    Generic,
    Iterable,
    List,
    Tuple,
    TypeVar,
    Union,
)

from .._primitives import Cancelled  # never raised here: a stopped task gets CancelledError

__all__ = ["Ahead", "Cancelled", "Lock", "Workers"]
__all__ += ["default_transport", "fsync", "materialize", "maybe_await", "read_chunks", "sleep", "let_others_run"]
__all__ += ["search_geo_interface"]

T = TypeVar("T")
R = TypeVar("R")

# asyncio is imported where it is used, not here: importing the package loads no asyncio (as
# azure-core's own aio modules), which is a good part of its import time.
if TYPE_CHECKING:
    import asyncio
    from asyncio import Lock
else:

    def Lock() -> Any:
        """A lock for one key of a cache: one task fetches, the others wait for its result."""
        import asyncio

        return asyncio.Lock()


class Workers:
    """Run calls as asyncio tasks, at most ``limit`` at once; leaving the ``async with`` block
    cancels the tasks still running and waits for them to unwind."""

    def __init__(self, limit: int, name: str) -> None:
        import asyncio

        self._gate = asyncio.Semaphore(max(1, limit))
        self._tasks: List[asyncio.Future[Any]] = []

    async def __aenter__(self) -> "Workers":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        import asyncio

        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def checkpoint(self) -> None:
        """Let other tasks run (cancellation arrives at awaits)."""
        import asyncio

        await asyncio.sleep(0)

    async def map_unordered(self, call: Callable[[T], Awaitable[R]], items: Iterable[T]) -> AsyncIterator[Tuple[T, R]]:
        """(item, result) of ``await call(item)`` for each item, as they finish; a call's error is raised."""
        import asyncio

        async def bounded(item: T) -> Tuple[T, R]:
            async with self._gate:
                return item, await call(item)

        tasks = [asyncio.ensure_future(bounded(item)) for item in items]
        self._tasks.extend(tasks)
        for next_done in asyncio.as_completed(tasks):
            yield await next_done
        self._tasks = [task for task in self._tasks if not task.done()]  # a long run keeps no finished ones


class Ahead(Generic[R]):
    """``await call(argument)`` started now as a task, its result taken later: the next page of a
    search is fetched while the caller reads the current one. :meth:`cancel` stops the task."""

    def __init__(self, call: Callable[[T], Awaitable[R]], argument: T) -> None:
        import asyncio

        self._task: asyncio.Future[R] = asyncio.ensure_future(call(argument))
        # A task cancelled or dropped after failing must not log "exception was never retrieved".
        self._task.add_done_callback(lambda task: task.cancelled() or task.exception())

    async def result(self) -> R:
        """The call's result; its exception is raised here."""
        return await self._task

    def cancel(self) -> None:
        """Stop the task (its request is abandoned)."""
        self._task.cancel()


async def maybe_await(value: Union[Awaitable[T], T]) -> T:
    """``value``, awaited when it is awaitable (callbacks and signers may be sync or async)."""
    if inspect.isawaitable(value):
        return await value
    return value


async def materialize(items: Any) -> Any:
    """``items``, or the list of its items when it is an async iterable (e.g. an async pager)."""
    if hasattr(items, "__aiter__"):
        return [item async for item in items]
    return items


async def sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def let_others_run() -> None:
    """Give the event loop one turn: a task started just before (a page fetched ahead) sends its
    request, or reads what has arrived, while the caller goes on with code that never awaits."""
    import asyncio

    await asyncio.sleep(0)


async def fsync(fileno: int) -> None:
    """fsync on a worker thread: it is the slow part of writing a file and would block the loop."""
    import asyncio
    import os

    await asyncio.get_running_loop().run_in_executor(None, os.fsync, fileno)


async def read_chunks(handle: IO[bytes], size: int) -> AsyncIterator[bytes]:
    """The bytes of an open file, ``size`` at a time, letting other tasks run between chunks."""
    import asyncio

    while True:
        chunk = handle.read(size)
        if not chunk:
            return
        yield chunk
        await asyncio.sleep(0)


def default_transport(max_concurrency: int, **kwargs: Any) -> Any:
    """An aiohttp transport (the ``aio`` extra).

    :raises ImportError: If aiohttp is not installed.
    """
    message = "async downloads need aiohttp: pip install 'azure-planetarycomputer[aio]'"
    try:
        from azure.core.pipeline.transport import AioHttpTransport
    except ImportError:  # pragma: no cover - azure-core always has it; aiohttp is what may be missing
        raise ImportError(message) from None
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        raise ImportError(message) from None
    return AioHttpTransport(**kwargs)


def search_geo_interface(search: Any) -> Dict[str, Any]:
    """An async search has no ``__geo_interface__`` (reading it would block): AttributeError, so
    geo libraries see it as not GeoJSON. ``(await search.item_collection())`` is."""
    raise AttributeError(
        "An async search is not GeoJSON until it is read: use (await search.item_collection()).__geo_interface__"
    )
