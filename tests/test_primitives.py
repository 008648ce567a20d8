"""The primitives behind the sync twins: threads in ``_primitives.py``, asyncio in ``aio/_primitives.py``."""

from __future__ import annotations

import asyncio
import io
import threading
from typing import Any, AsyncIterator, List

import pytest

from azure.planetarycomputer import _primitives as sync
from azure.planetarycomputer.aio import _primitives as aio


def test_workers_run_every_call_at_most_limit_at_once() -> None:
    running, most, guard = [0], [0], threading.Lock()
    release = threading.Barrier(3)

    def call(n: int) -> int:
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        if n < 3:
            release.wait(5)  # the first three meet: three threads really run at once
        with guard:
            running[0] -= 1
        return n * n

    with sync.Workers(3, "test") as workers:
        results = dict(workers.map_unordered(call, range(9)))
    assert results == {n: n * n for n in range(9)}
    assert most[0] == 3


def test_leaving_the_block_stops_the_workers_at_their_next_checkpoint() -> None:
    started, stopped = threading.Event(), []

    def call(n: int) -> int:
        if n == 0:
            started.wait(5)  # fail once the other call is running
            raise ValueError("boom")
        started.set()
        for _ in range(500):
            try:
                workers.checkpoint()
            except sync.Cancelled:
                stopped.append(n)
                raise
            threading.Event().wait(0.01)
        return n

    with pytest.raises(ValueError, match="boom"):
        with sync.Workers(2, "test") as workers:
            for _ in workers.map_unordered(call, [1, 0]):
                pass
    assert stopped == [1]  # the other call ended at a checkpoint, not after its 5 s of work
    with pytest.raises(sync.Cancelled):
        workers.checkpoint()


def test_sync_namesakes_do_no_awaiting() -> None:
    marker = object()
    assert sync.maybe_await(marker) is marker
    assert sync.materialize(marker) is marker
    assert list(sync.read_chunks(io.BytesIO(b"abcde"), 2)) == [b"ab", b"cd", b"e"]


async def test_async_workers_bound_the_tasks_and_cancel_the_rest_on_leaving() -> None:
    running, most, cancelled = [0], [0], []
    gate = asyncio.Event()

    async def call(n: int) -> int:
        running[0] += 1
        most[0] = max(most[0], running[0])
        try:
            if n == 0:
                return 0
            await gate.wait()  # never set: only cancellation ends these
            return n
        except asyncio.CancelledError:
            cancelled.append(n)
            raise
        finally:
            running[0] -= 1

    async with aio.Workers(2, "test") as workers:
        async for n, result in workers.map_unordered(call, range(5)):
            assert (n, result) == (0, 0)
            break
    assert most[0] == 2
    # 0 finished and let 2 in; 1 and 2 were running and are cancelled; 3 and 4 never started
    assert sorted(cancelled) == [1, 2] and running[0] == 0


async def test_async_namesakes_await_what_is_awaitable() -> None:
    async def seven() -> int:
        return 7

    async def items() -> AsyncIterator[int]:
        for n in range(3):
            yield n

    assert await aio.maybe_await(seven()) == 7
    assert await aio.maybe_await(8) == 8
    assert await aio.materialize(items()) == [0, 1, 2]
    plain: List[Any] = [1]
    assert await aio.materialize(plain) is plain
    assert [c async for c in aio.read_chunks(io.BytesIO(b"abcde"), 2)] == [b"ab", b"cd", b"e"]
