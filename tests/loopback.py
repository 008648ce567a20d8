"""Loopback HTTP servers for the trust-boundary tests, and transports whose sleeps are recorded.

``Host`` listens on one loopback address (127.0.0.1 for the client's endpoint, 127.0.0.2 for
someone else's server), answers every request with a handler of the test, and records what
reached it (method, path, headers), so a test can assert that no token ever arrived.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Union

from azure.core.pipeline.transport import AioHttpTransport, RequestsTransport


@dataclass
class Seen:
    method: str
    path: str
    headers: Dict[str, str]


@dataclass
class Answer:
    status: int = 200
    body: Union[bytes, str, Dict[str, Any], List[Any], None] = None
    headers: Dict[str, str] = field(default_factory=dict)

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


Handler = Callable[["Host", Seen], Answer]


def _not_found(host: "Host", seen: Seen) -> Answer:
    return Answer(404, {"error": {"code": "NotFound", "message": f"nothing at {seen.path}"}})


class Host:
    """A threaded HTTP server on ``address`` (a loopback IP) answering with ``handler``.

    Subclasses may override :meth:`respond` to write answers of their own (cut bodies, chunks).
    More than ``max_requests`` requests are answered 418, so a runaway loop fails instead of hanging.
    """

    def __init__(self, address: str, handler: Optional[Handler] = None, *, max_requests: int = 200) -> None:
        self.handler: Handler = handler or _not_found
        self.seen: List[Seen] = []
        self.max_requests = max_requests
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((address, 0), self._handler_class())
        self._httpd.daemon_threads = True
        self.url = f"http://{address}:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def authorizations(self) -> List[str]:
        """Every Authorization header that reached this host."""
        return [v for s in self.seen for k, v in s.headers.items() if k.lower() == "authorization"]

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def over_budget(self, seen: Seen) -> bool:
        """Record a request; True once more than ``max_requests`` arrived."""
        with self._lock:
            self.seen.append(seen)
            return len(self.seen) > self.max_requests

    def respond(self, http: BaseHTTPRequestHandler, seen: Seen) -> None:
        """Answer one recorded request (the handler's answer, or 418 over budget)."""
        answer = Answer(418) if self.over_budget(seen) else self.handler(self, seen)
        body = answer.payload()
        http.send_response(answer.status)
        if answer.body is not None and not any(k.lower() == "content-type" for k in answer.headers):
            http.send_header("Content-Type", "application/json")
        for key, value in answer.headers.items():
            http.send_header(key, value)
        http.send_header("Content-Length", str(len(body)))
        http.end_headers()
        http.wfile.write(body)

    def _handler_class(self) -> type:
        host = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                host.respond(self, Seen(self.command, self.path, dict(self.headers.items())))

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer

        return RequestHandler


class RecordingTransport(RequestsTransport):
    """The default sync transport, its sleeps (retries, polling) recorded instead of slept."""

    def __init__(self, *, really_sleep: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sleeps: List[float] = []
        self._really_sleep = really_sleep

    def sleep(self, duration: float) -> None:
        self.sleeps.append(duration)
        if self._really_sleep:
            super().sleep(duration)


class AsyncRecordingTransport(AioHttpTransport):
    """The default async transport, its sleeps recorded instead of slept."""

    def __init__(self, *, really_sleep: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sleeps: List[float] = []
        self._really_sleep = really_sleep

    async def sleep(self, duration: float) -> None:
        self.sleeps.append(duration)
        if self._really_sleep:
            await super().sleep(duration)
