# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Stopping a sync download run at once: threads cannot be cancelled, their sockets can.

The download engine (one text, ``aio/_download.py``) imports these names from ``._download_io``;
its sync twin gets this module, the async source ``aio/_download_io.py``. A worker blocked in a
read (a hung peer, a server trickling bytes) wakes up when its socket is shut down, so a run that
fails with ``on_error="raise"`` or passes its ``timeout=`` shuts down every socket of its own
transport (a transport passed by the caller is left alone: other code may share it).
"""

from __future__ import annotations

import socket
import threading
import weakref
from contextlib import contextmanager
from typing import Any, Iterator, Optional, TypeVar

from azure.core.pipeline.policies import SansIOHTTPPolicy

from ._download_safety import Deadline

__all__ = ["Stopper", "within", "chunks_within"]

T = TypeVar("T")


class StoppedError(Exception):
    """A request of a stopped run (not an ``AzureError``, so the retry policy does not retry it)."""


class _RefuseWhenStopped(SansIOHTTPPolicy):  # type: ignore[type-arg]
    def __init__(self, stopper: "Stopper") -> None:
        self._stopper = stopper

    def on_request(self, request: Any) -> None:
        if self._stopper.stopped:
            raise StoppedError("the download run was stopped")


class Stopper:
    """The sockets of one run's own transport; :meth:`stop` shuts them down (and any opened later)."""

    def __init__(self) -> None:
        self._sockets: "weakref.WeakSet[socket.socket]" = weakref.WeakSet()
        self._lock = threading.Lock()
        self._event = threading.Event()  # set when stopped: ends the transport's retry waits
        self.stopped = False
        self.timed_out = False  # stopped by the deadline (the timer may fire a hair before it)

    def policy(self) -> SansIOHTTPPolicy:  # type: ignore[type-arg]
        """A policy (after the retry policy) that refuses to send once the run is stopped."""
        return _RefuseWhenStopped(self)

    def track(self, transport: Any) -> None:
        """Record the sockets a requests transport of our own opens, and make its waits between
        retries end when the run stops (a worker waiting out a ``Retry-After`` is not waited for)."""
        transport.sleep = self._event.wait
        session = getattr(transport, "session", None)
        for adapter in set((getattr(session, "adapters", None) or {}).values()):
            manager = getattr(adapter, "poolmanager", None)
            if manager is not None:
                manager.pool_classes_by_scheme = {
                    scheme: self._recording(pool) for scheme, pool in manager.pool_classes_by_scheme.items()
                }

    def _recording(self, pool: Any) -> Any:
        stopper = self

        class Connection(pool.ConnectionCls):  # type: ignore[misc]
            def connect(self) -> None:
                super().connect()
                stopper._add(self.sock)

        return type(pool.__name__, (pool,), {"ConnectionCls": Connection})

    def _add(self, sock: Optional[socket.socket]) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.add(sock)
            stopped = self.stopped
        if stopped:
            _shut(sock)

    def stop(self) -> None:
        """Stop the run: wake every worker blocked on a socket."""
        with self._lock:
            self.stopped = True
            sockets = list(self._sockets)
        self._event.set()
        for sock in sockets:
            _shut(sock)

    def _time_out(self) -> None:
        self.timed_out = True
        self.stop()

    @contextmanager
    def watch(self, deadline: Deadline) -> Iterator[None]:
        """Stop the run when ``deadline`` passes (a timer thread), unless the block ends first."""
        remaining = deadline.remaining()
        if remaining is None:
            yield
            return
        timer = threading.Timer(remaining, self._time_out)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def within(value: T, deadline: Deadline) -> T:
    """``value`` (the async namesake bounds an awaitable by the deadline; here the watch does)."""
    return value


def chunks_within(chunks: Iterator[bytes], deadline: Deadline) -> Iterator[bytes]:
    """``chunks`` (the async namesake bounds each read by the deadline; here the watch does)."""
    return chunks
